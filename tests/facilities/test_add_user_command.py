"""manage.py add_user (DESIGN §5): provisioning accounts from scripts, the password from the
environment only, nothing written on a bad argument."""

import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from accounts.models import Role, User

from ..factories import FacilityFactory, UserFactory

NEW_PASSWORD = "Mot-mat-khau-dai-2026"


def add_user(*args):
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def test_it_creates_a_facility_account_with_the_password_from_the_environment(db, monkeypatch):
    first, second = FacilityFactory(), FacilityFactory()
    monkeypatch.setenv("PORTAL_NEW_PASSWORD", NEW_PASSWORD)

    out = add_user(
        "coso_script", "--role", "facility", "--facility", first.tax_code,
        "--facility", second.tax_code, "--email", "coso@example.vn",
    )  # fmt: skip

    user = User.objects.get(username="coso_script")
    assert "Đã tạo tài khoản coso_script" in out
    assert (user.role, user.email) == (Role.FACILITY, "coso@example.vn")
    assert set(user.facilities.all()) == {first, second}
    assert user.check_password(NEW_PASSWORD)


def test_without_the_variable_a_new_account_has_no_password(db, monkeypatch):
    monkeypatch.delenv("PORTAL_NEW_PASSWORD", raising=False)

    out = add_user("lanhdao_script", "--role", "official")

    user = User.objects.get(username="lanhdao_script")
    assert user.role == Role.OFFICIAL and not user.has_usable_password()
    assert "chưa có mật khẩu" in out


def test_it_updates_an_existing_account_whatever_the_letter_case(db, monkeypatch):
    existing = UserFactory(username="canbo_cu", role=Role.OFFICIAL)
    monkeypatch.delenv("PORTAL_NEW_PASSWORD", raising=False)

    out = add_user("CanBo_Cu", "--role", "staff", "--full-name", "Đỗ Thị Cũ")

    existing.refresh_from_db()
    assert "Đã cập nhật tài khoản canbo_cu" in out
    assert (existing.role, existing.full_name) == (Role.STAFF, "Đỗ Thị Cũ")
    assert existing.check_password("Mat-khau-2026")  # UserFactory's, kept
    assert User.objects.filter(username__iexact="canbo_cu").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "facility"], "ít nhất một --facility"),
        (["x", "--role", "facility", "--facility", "0100109106"], "0100109106"),
        (["x", "--role", "official", "--facility", "0100109106"], "chỉ dùng cho tài khoản cơ sở"),
        (["x", "--role", "staff", "--province", "24"], "toàn quốc"),
        (["x y", "--role", "staff"], "tên"),
    ],
)
def test_bad_arguments_write_nothing(db, args, message):
    with pytest.raises(CommandError, match=message):
        add_user(*args)
    assert not User.objects.filter(username__in=["x", "x y"]).exists()


def test_a_weak_password_is_refused(db, monkeypatch):
    monkeypatch.setenv("PORTAL_NEW_PASSWORD", "123")

    with pytest.raises(CommandError, match="PORTAL_NEW_PASSWORD"):
        add_user("canbo_yeu", "--role", "staff")
    assert not User.objects.filter(username="canbo_yeu").exists()


def test_the_password_is_never_an_argument():
    run = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "add_user", "--help"],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=True,
    )
    assert "--role" in run.stdout and "--password" not in run.stdout
