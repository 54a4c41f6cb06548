import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

TAX_CODE_RE = re.compile(r"^(\d{10})(?:-(\d{3}))?$")
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


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
