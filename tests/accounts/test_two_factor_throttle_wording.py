"""django-otp's throttle holds the next code for 1 s after a single wrong one (then 2, 4, ...):
someone who mistypes and at once enters the right code is refused. The refusal said "Bạn đã
nhập sai mã nhiều lần" ("a wrong code too many times") after one mistake; it now says the code
entered before was wrong and this one was not checked, and counts the failures when there were
several (accounts/two_factor_views.py)."""

import pytest

from accounts.models import User

from .test_two_factor import (
    add_device,
    code_for,
    enter,
    log_in,
    rewind_throttle,
    two_factor_on,  # noqa: F401 - fixture
    verified,
    wrong_code,
)

pytestmark = pytest.mark.django_db


def _errors(response) -> list[str]:
    return response.context["form"].non_field_errors()


def _speaking(user, language):
    User.objects.filter(pk=user.pk).update(language=language)
    return User.objects.get(pk=user.pk)


def _wrong_codes(client, device, count):
    for _ in range(count):
        rewind_throttle(device, 3600)  # each wrong code is checked (no delay pending)
        enter(client, wrong_code(device))


def test_the_right_code_just_after_one_wrong_one_is_not_called_many_failures(
    client,
    staff,
    two_factor_on,  # noqa: F811
):
    device = add_device(staff)
    log_in(client, staff)
    assert "Mã không đúng" in enter(client, wrong_code(device)).text

    refused = enter(client, code_for(device))

    assert refused.status_code == 200
    assert _errors(refused) == [
        "Mã nhập lần trước không đúng nên mã này chưa được kiểm tra. Vui lòng thử lại sau 1 giây."
    ]
    assert "nhiều lần" not in refused.text
    assert not verified(client)

    rewind_throttle(device, 2)
    assert enter(client, code_for(device)).url == "/"


def test_several_failures_are_counted(client, staff, two_factor_on):  # noqa: F811
    device = add_device(staff)
    log_in(client, staff)
    _wrong_codes(client, device, 3)

    refused = enter(client, code_for(device))

    assert _errors(refused) == [
        "Bạn đã nhập sai mã 3 lần liên tiếp nên mã này chưa được kiểm tra. "
        "Vui lòng thử lại sau 4 giây."
    ]
    assert not verified(client)


def test_in_english_one_second_is_singular(client, staff, two_factor_on):  # noqa: F811
    staff = _speaking(staff, "en")
    device = add_device(staff)
    log_in(client, staff)
    _wrong_codes(client, device, 1)

    refused = enter(client, code_for(device))

    assert _errors(refused) == [
        "The code entered before was wrong, so this one was not checked. "
        "Please try again in 1 second."
    ]
    assert "too many times" not in refused.text


def test_in_english_several_failures_and_seconds_are_plural(
    client,
    staff,
    two_factor_on,  # noqa: F811
):
    staff = _speaking(staff, "en")
    device = add_device(staff)
    log_in(client, staff)
    _wrong_codes(client, device, 2)

    refused = enter(client, code_for(device))

    assert _errors(refused) == [
        "You have entered a wrong code 2 times in a row, so this one was not checked. "
        "Please try again in 2 seconds."
    ]
