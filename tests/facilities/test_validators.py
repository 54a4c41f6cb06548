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


# Worked out by hand, a non-zero digit under every weight (31 29 23 19 17 13 7 5 3), so that a
# wrong weight anywhere changes the check digit:
# 1,2,3,4,5,6,7,8,9: 31+58+69+76+85+78+49+40+27 = 513; 513 mod 11 = 7; 10 - 7 = 3
# 1,1,1,1,1,1,1,1,1: 31+29+23+19+17+13+7+5+3 = 147; 147 mod 11 = 4; 10 - 4 = 6
# 2,1,2,1,2,1,2,1,2: 62+29+46+19+34+13+14+5+6 = 228; 228 mod 11 = 8; 10 - 8 = 2
EVERY_WEIGHT = {"123456789": 3, "111111111": 6, "212121212": 2}


@pytest.mark.parametrize(("first9", "digit"), sorted(EVERY_WEIGHT.items()))
def test_check_digit_with_every_weight(first9, digit):
    assert tax_code_check_digit(first9) == digit
    assert is_valid_tax_code(f"{first9}{digit}")
    assert is_valid_tax_code(f"{first9}{digit}-001")
    assert not is_valid_tax_code(f"{first9}{(digit + 1) % 10}")


def test_no_code_when_the_sum_is_a_multiple_of_11():
    # 9,8,7,6,5,4,3,2,1: 279+232+161+114+85+52+21+10+3 = 957 = 87 × 11 -> 10: never issued
    assert tax_code_check_digit("987654321") is None
    assert not any(is_valid_tax_code(f"987654321{d}") for d in range(10))


def test_error_message_is_vietnamese():
    with pytest.raises(ValidationError) as exc:
        validate_tax_code("0827601897")
    assert "Mã số thuế không hợp lệ" in exc.value.messages[0]
