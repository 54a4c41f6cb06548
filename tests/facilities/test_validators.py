import pytest
from django.core.exceptions import ValidationError

from facilities.validators import is_valid_tax_code, tax_code_check_digit, validate_tax_code


@pytest.mark.parametrize(
    "code", ["0890830160", "0846281948", "0879754325", "0827601896", "0827601896-006"]
)
def test_valid_tax_codes(code):
    assert is_valid_tax_code(code)
    validate_tax_code(code)


@pytest.mark.parametrize(
    "code",
    ["0827601897", "082760189", "08276018966", "0827601896-6", "0827601896-000", "abcdefghij", ""],
)
def test_invalid_tax_codes(code):
    assert not is_valid_tax_code(code)
    with pytest.raises(ValidationError):
        validate_tax_code(code)


def test_check_digit_by_hand():
    # 0,1,0,0,0,0,0,0,1 -> 29*1 + 3*1 = 32; 32 mod 11 = 10; 10 - 10 = 0
    assert tax_code_check_digit("010000001") == 0
    # 1,0,0,0,0,0,0,0,0 -> 31 mod 11 = 9; 10 - 9 = 1
    assert tax_code_check_digit("100000000") == 1
    # 0,0,0,0,0,0,0,0,0 -> 0 mod 11 = 0 -> 10: no code is issued
    assert tax_code_check_digit("000000000") is None


def test_error_message_is_vietnamese():
    with pytest.raises(ValidationError) as exc:
        validate_tax_code("0827601897")
    assert "Mã số thuế không hợp lệ" in exc.value.messages[0]
