"""The columns of the facility spreadsheet (DESIGN.md §5 "Import files") and how a file is read
into rows keyed by them: the keys, the Vietnamese labels of the template, the rules shown on its
"Hướng dẫn" sheet, and the parsers of the cells that are about facilities (tax code, ownership,
status). Reading files and their safety checks are core.spreadsheets'; the generic cell parsers
core.cells'.

XLSX cells holding numbers: `tax_code`, `commune_code` and `ward_code` are zero-padded to 10, 5
and 5 digits (Excel drops leading zeros); other cells are turned into text as they display.
A number in `vsic_code` (`vsic_cell`), t its digits as displayed (810.0 is 810): one digit is
zero-padded to two (8 is 08); three or four digits starting with 5–9 are read with a leading 0
when "0" + t starts with a known three-digit VSIC group (level 3: 081, 089, …, groups of the
divisions 05–09), with a warning (810 is 0810, 8101 is 08101; 550 stays 550, since there is no
group 055); anything else as displayed. Text cells and CSV files are read as written.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import spreadsheets
from core.cells import BOOLEAN_RULE, CellError, cell_text, choices, max_length
from core.sheet_files import Number
from core.spreadsheets import Column

from .models import Facility
from .validators import (
    PHONE_RULE,
    is_valid_phone,
    is_valid_tax_code,
    normalize_tax_code,
    validate_tax_code,
)

COLUMNS = (
    Column(
        "tax_code",
        "Mã số thuế",
        True,
        gettext_lazy(
            "10 chữ số với chữ số kiểm tra hợp lệ, có thể kèm mã chi nhánh -NNN "
            "(ví dụ 0100109106-001); không trùng nhau trong tệp. Mã đã có thì cập nhật cơ sở đó."
        ),
    ),
    Column("name", "Tên cơ sở", True, gettext_lazy("1–255 ký tự.")),
    Column("address", "Địa chỉ", True, gettext_lazy("Tối đa 255 ký tự.")),
    Column(
        "commune_code",
        "Mã xã/phường cũ (trước 1/7/2025)",
        False,
        gettext_lazy(
            "Mã GSO 5 chữ số (trước 1/7/2025) của một xã/phường/thị trấn thuộc một tỉnh cũ nay "
            "là một phần của tỉnh/thành phố. Bắt buộc nếu không ghi mã xã/phường mới. Nếu xã cũ "
            "nay thuộc nhiều xã/phường mới thì cơ sở vẫn được nhập, kèm cảnh báo: cần chọn "
            "xã/phường mới."
        ),
        aliases=("Mã xã/phường",),
    ),
    Column(
        "ward_code",
        "Mã xã/phường mới (từ 1/7/2025)",
        False,
        gettext_lazy(
            "Mã 5 chữ số của một xã/phường/đặc khu (từ 1/7/2025) của tỉnh/thành phố. Bắt buộc "
            "nếu không ghi mã xã/phường cũ; ghi cả hai thì xã/phường mới phải là nơi xã/phường "
            "cũ được sáp nhập vào. Để trống: lấy theo xã/phường cũ nếu xã cũ chỉ thuộc một "
            "xã/phường mới; cơ sở đã có xã/phường mới thì giữ nguyên, trừ khi đổi xã/phường cũ."
        ),
    ),
    Column(
        "vsic_code",
        "Mã ngành VSIC",
        True,
        gettext_lazy(
            "Mã VSIC 2018 gồm 2–5 chữ số; hai chữ số đầu phải là một ngành cấp 2. Nên định dạng "
            "cột là Văn bản (Text) vì Excel bỏ số 0 ở đầu của ô kiểu số. Ô kiểu số được đọc như "
            "sau: số có 1 chữ số được thêm số 0 ở đầu (8 = 08); số có 3 hoặc 4 chữ số bắt đầu "
            "bằng 5–9 được thêm số 0 ở đầu, kèm cảnh báo, khi ba chữ số đầu sau khi thêm là một "
            "nhóm ngành cấp 3 có trong danh mục (051, 081, 089, …): 810 = 0810, 8101 = 08101; "
            "các số khác được đọc như hiển thị."
        ),
    ),
    Column(
        "industrial_area",
        "Khu/cụm công nghiệp",
        False,
        gettext_lazy("Tên một khu/cụm công nghiệp đã có trong danh mục; để trống nếu ngoài khu."),
    ),
    Column(
        "ownership",
        "Loại hình sở hữu",
        False,
        gettext_lazy("state / private / fdi hoặc: nhà nước / ngoài nhà nước / FDI."),
    ),
    Column("established_year", "Năm thành lập", False, gettext_lazy("Từ 1900 đến năm hiện tại.")),
    Column("employees", "Số lao động", False, gettext_lazy("Số nguyên ≥ 0.")),
    Column(
        "revenue_bn_vnd",
        "Doanh thu (tỷ đồng)",
        False,
        gettext_lazy(
            "Số ≥ 0, tỷ đồng, tối đa 3 chữ số sau dấu thập phân; dấu phẩy hoặc dấu chấm là "
            "dấu thập phân (29,4 = 29.4)."
        ),
    ),
    Column(
        "capital_bn_vnd",
        "Nguồn vốn (tỷ đồng)",
        False,
        gettext_lazy(
            "Số ≥ 0, tỷ đồng, tối đa 3 chữ số sau dấu thập phân; dấu phẩy hoặc dấu chấm là "
            "dấu thập phân (29,4 = 29.4)."
        ),
    ),
    Column(
        "high_pollution_risk",
        "Nguy cơ ô nhiễm cao",
        False,
        BOOLEAN_RULE,
    ),
    Column(
        "key_energy_user",
        "Sử dụng năng lượng trọng điểm",
        False,
        BOOLEAN_RULE,
    ),
    Column(
        "status",
        "Tình trạng",
        False,
        gettext_lazy(
            "active (đang hoạt động) / suspended (tạm ngừng) / closed (đã đóng cửa); "
            "để trống = active."
        ),
    ),
    Column(
        "closed_year",
        "Năm đóng cửa",
        False,
        gettext_lazy("Bắt buộc khi tình trạng là closed; để trống trong các trường hợp khác."),
    ),
    Column("contact_name", "Người liên hệ", False, gettext_lazy("Tối đa 150 ký tự.")),
    Column(
        "contact_phone",
        "Điện thoại liên hệ",
        False,
        gettext_lazy(
            "Chữ số, dấu cách và các ký tự + . - ( ) /, mỗi số có ít nhất 8 chữ số; nhiều số thì "
            "ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy (ví dụ 0222 3821 234; 0912 345 678). "
            "Tối đa 30 ký tự."
        ),
    ),
    Column("contact_email", "E-mail liên hệ", False, gettext_lazy("Địa chỉ e-mail hợp lệ.")),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)
ADDRESS_KEYS = ("commune_code", "ward_code")  # at least one of the two, in the header and a row
LABELS = {c.key: c.label for c in COLUMNS}


def read_table(file_obj, filename: str) -> list[spreadsheets.Row]:
    """Rows of a facility file keyed by column key; raises ImportFileError."""
    return spreadsheets.read_table(file_obj, filename, COLUMNS)


def count_rows(file_obj, filename: str, *, limit: int) -> int:
    """Data rows of a facility file, counting no further than `limit` + 1."""
    return spreadsheets.count_rows(file_obj, filename, COLUMNS, limit=limit)


PADDED_NUMBERS = {"tax_code": 10, "commune_code": 5, "ward_code": 5}


def cell(row: dict, key: str) -> str:
    text = cell_text(row, key, padded=PADDED_NUMBERS)
    # A phone number in a number cell lost its leading 0 (a Vietnamese number starts with 0 or
    # +84): 912345678 is 0912345678.
    numeric = isinstance(row.get(key), Number)
    if key == "contact_phone" and numeric and text.isdigit() and not text.startswith("0"):
        return f"0{text}"
    return text


def vsic_cell(row: dict, groups) -> tuple[str, str | None]:
    """The text of the row's `vsic_code` cell and, when a numeric XLSX cell was read with the
    leading zero Excel dropped, a warning for the row (module docstring). `groups`: the known
    three-digit VSIC codes (level 3)."""
    text = cell(row, "vsic_code")
    if not isinstance(row.get("vsic_code"), Number) or not text.isdigit():
        return text, None
    if len(text) == 1:
        return f"0{text}", None
    padded = f"0{text}"
    if len(text) in (3, 4) and text[0] in "56789" and padded[:3] in groups:
        warning = _(
            "Ô kiểu số %(number)s được đọc là mã ngành %(code)s vì Excel bỏ số 0 ở đầu của ô "
            "kiểu số. Nếu không đúng, hãy định dạng cột này là Văn bản (Text) và ghi lại mã."
        ) % {"number": text, "code": padded}
        return padded, warning
    return text, None


# --------------------------------------------------------------------------------------------
# Cell parsers of the facility columns (the generic ones are core.cells')


def parse_tax_code(text: str) -> str:
    # Full-width digits (０１００…) become ASCII; other non-ASCII digits, which the validator's
    # \d would let through, are refused: the stored code must match the same code typed again.
    text = normalize_tax_code(text)
    if not text.isascii():
        raise CellError(_("Mã số thuế chỉ gồm các chữ số 0–9 (và dấu - trước mã chi nhánh)."))
    try:
        validate_tax_code(text)
    except ValidationError as exc:
        message = exc.messages[0]
        if re.fullmatch(r"\d{9}(?:-\d{3})?", text) and is_valid_tax_code(f"0{text}"):
            message += " " + _(
                "Có phải là %(code)s? Hãy ghi đủ 10 chữ số, kể cả số 0 ở đầu (Excel bỏ số 0 ở "
                "đầu khi lưu tệp: định dạng cột là Văn bản)."
            ) % {"code": f"0{text}"}
        raise CellError(message) from exc
    return text


def parse_contact_phone(text: str) -> str:
    """The phone as written (at most 30 characters), after NFKC: full-width digits and no-break
    spaces pasted from other programs become ASCII digits and spaces."""
    return max_length(30)(unicodedata.normalize("NFKC", text))


def phone_warning(phone: str) -> str | None:
    """DESIGN §5 writes no rule for the phone: one the forms would refuse (validators.PHONE_RULE)
    is imported as written, with a warning for the row, rather than stopping the whole file."""
    if is_valid_phone(phone):
        return None
    return _("%(rule)s Đã nhập đúng như trong tệp; hãy sửa lại trên trang của cơ sở.") % {
        "rule": PHONE_RULE
    }


OWNERSHIP_WORDS = {
    "state": Facility.Ownership.STATE,
    "private": Facility.Ownership.PRIVATE,
    "fdi": Facility.Ownership.FDI,
    "nhà nước": Facility.Ownership.STATE,
    "ngoài nhà nước": Facility.Ownership.PRIVATE,
    "có vốn đầu tư nước ngoài (fdi)": Facility.Ownership.FDI,
}
STATUS_WORDS = {
    "active": Facility.Status.ACTIVE,
    "suspended": Facility.Status.SUSPENDED,
    "closed": Facility.Status.CLOSED,
    "đang hoạt động": Facility.Status.ACTIVE,
    "tạm ngừng": Facility.Status.SUSPENDED,
    "đã đóng cửa": Facility.Status.CLOSED,
}

parse_ownership = choices(
    OWNERSHIP_WORDS,
    gettext_lazy("Loại hình sở hữu phải là state, private, fdi (nhà nước, ngoài nhà nước, FDI)."),
)
parse_status = choices(
    STATUS_WORDS, gettext_lazy("Tình trạng phải là active, suspended hoặc closed.")
)
