import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: `\d` would take any script's digits ("٠٣٦٤…"), and a code stored that way
# never matches the same code typed again, so the registry would hold the facility twice.
TAX_CODE_RE = re.compile(r"^([0-9]{10})(?:-([0-9]{3}))?$")
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def normalize_tax_code(text: str) -> str:
    """The tax code as typed, trimmed and after NFKC (full-width digits ０１… become 0 1 …), the
    one form the forms and the imports compare and store."""
    return unicodedata.normalize("NFKC", text or "").strip()


def tax_code_check_digit(first9: str) -> int | None:
    """Check digit of a Vietnamese tax code (DOMAIN.md); None when no code can be issued."""
    total = sum(int(d) * w for d, w in zip(first9, TAX_CODE_WEIGHTS, strict=True))
    digit = 10 - total % 11
    return None if digit == 10 else digit


def is_valid_tax_code(value: str) -> bool:
    match = TAX_CODE_RE.match(value or "")
    if not match:
        return False
    main, branch = match.groups()
    if branch == "000":
        return False
    return tax_code_check_digit(main[:9]) == int(main[9])


def validate_tax_code(value: str) -> None:
    if not TAX_CODE_RE.match(value or ""):
        raise ValidationError(
            _("Mã số thuế phải gồm 10 chữ số, có thể kèm mã chi nhánh dạng -NNN."),
            code="tax_code_format",
        )
    if TAX_CODE_RE.match(value).group(2) == "000":
        raise ValidationError(
            _("Mã số thuế không hợp lệ: mã chi nhánh (-NNN) phải từ 001 đến 999."),
            code="tax_code_branch",
        )
    if not is_valid_tax_code(value):
        raise ValidationError(_("Mã số thuế không hợp lệ (sai chữ số kiểm tra)."), code="tax_code")


# A contact phone (DESIGN §5 leaves its rule open, so it is lenient with the ways numbers are
# written): digits, spaces and + . - ( ) /; several numbers separated by "," or ";"; each number
# holds at least 8 digits (mobile and landline numbers have 10–11 with the area code, old local
# numbers 8). Letters are refused. The forms and the admin refuse another phone; the import, for
# which DESIGN §5 writes no phone rule, takes it as written with a warning (import_columns).
PHONE_CHARACTERS_RE = re.compile(r"[0-9 +.\-()/,;]*")
PHONE_SEPARATORS_RE = re.compile(r"[,;]")
PHONE_MIN_DIGITS = 8


def is_valid_phone(value: str) -> bool:
    if not value:
        return True
    if not PHONE_CHARACTERS_RE.fullmatch(value):
        return False
    # A separator at the end ("0912345678;", a list pasted as it was) separates nothing.
    numbers = [number for number in PHONE_SEPARATORS_RE.split(value) if number.strip()]
    return bool(numbers) and all(
        sum(ch in "0123456789" for ch in number) >= PHONE_MIN_DIGITS for number in numbers
    )


PHONE_RULE = _(
    "Số điện thoại chỉ gồm chữ số, dấu cách và các ký tự + . - ( ) /, mỗi số có ít nhất 8 chữ "
    "số; nhiều số thì ngăn cách bằng dấu phẩy hoặc dấu chấm phẩy."
)


def validate_phone(value: str) -> None:
    if not is_valid_phone(value):
        raise ValidationError(PHONE_RULE, code="phone")
