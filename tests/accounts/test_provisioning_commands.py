"""The provisioning commands as a script run every day uses them (DESIGN §5 "Commands"):
re-running `add_user` with the same PORTAL_NEW_PASSWORD keeps the account's API tokens while a
new password still revokes them; the `ministry` role in any installation; the import commands
explain in Vietnamese, naming the path, why they cannot read FILE."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import ApiToken, Role, User

PASSWORD = "Mot-mat-khau-dai-2026"
OTHER_PASSWORD = "Mat-khau-khac-hẳn-2027"
API = "/api/v1/facilities/"
IMPORT_COMMANDS = ["import_facilities", "import_annual_reports"]


def add_user(*args) -> str:
    out = StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


def issue_token(username) -> str:
    out = StringIO()
    call_command("issue_token", username, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def api_status(client, key) -> int:
    return client.get(API, HTTP_AUTHORIZATION=f"Token {key}").status_code


# --- add_user and API tokens ---------------------------------------------------------------------


def test_rerunning_add_user_with_the_same_password_keeps_the_api_tokens(db, client, monkeypatch):
    monkeypatch.setenv("PORTAL_NEW_PASSWORD", PASSWORD)
    add_user("canbo_script", "--role", "staff")
    key = issue_token("canbo_script")
    assert api_status(client, key) == 200

    out = add_user("canbo_script", "--role", "staff", "--full-name", "Trần Văn Kịch Bản")
    add_user("canbo_script", "--role", "staff")

    assert api_status(client, key) == 200
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    assert "mật khẩu không đổi" in out
    user = User.objects.get(username="canbo_script")
    assert user.full_name == "Trần Văn Kịch Bản"
    assert user.check_password(PASSWORD)


def test_a_new_password_from_add_user_still_revokes_the_api_tokens(db, client, monkeypatch):
    monkeypatch.setenv("PORTAL_NEW_PASSWORD", PASSWORD)
    add_user("canbo_script", "--role", "staff")
    key = issue_token("canbo_script")

    monkeypatch.setenv("PORTAL_NEW_PASSWORD", OTHER_PASSWORD)
    out = add_user("canbo_script", "--role", "staff")

    assert api_status(client, key) == 401
    token = ApiToken.objects.get()
    assert token.revoked_because == ApiToken.RevokedBecause.PASSWORD
    assert "mật khẩu không đổi" not in out
    user = User.objects.get(username="canbo_script")
    assert user.check_password(OTHER_PASSWORD) and not user.check_password(PASSWORD)


def test_a_password_for_an_account_without_one_is_set(db, client, monkeypatch):
    monkeypatch.delenv("PORTAL_NEW_PASSWORD", raising=False)
    add_user("lanhdao_script", "--role", "official")

    monkeypatch.setenv("PORTAL_NEW_PASSWORD", PASSWORD)
    out = add_user("lanhdao_script", "--role", "official")

    assert User.objects.get(username="lanhdao_script").check_password(PASSWORD)
    assert "mật khẩu không đổi" not in out


# --- add_user --role ministry --------------------------------------------------------------------


@pytest.mark.parametrize("scope", ["national", "province"])
def test_the_ministry_role_is_provisioned_in_any_installation(db, settings, scope):
    """DESIGN §5 lists `ministry` among the roles; in a one-province installation it reads that
    province, as an official does."""
    settings.PORTAL_SCOPE = scope

    add_user("bo_ct", "--role", "ministry")

    user = User.objects.get(username="bo_ct")
    assert (user.role, user.province) == (Role.MINISTRY, "")


# --- The import commands: a FILE they cannot read ------------------------------------------------


def import_error(command, path) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command(command, str(path), stdout=StringIO(), stderr=StringIO())
    assert caught.value.returncode == 1
    return caught.value


@pytest.mark.parametrize("command", IMPORT_COMMANDS)
def test_a_missing_file_is_explained_in_vietnamese(db, tmp_path, command):
    path = tmp_path / "khong-co.csv"

    message = str(import_error(command, path))

    assert f"“{path}”" in message
    assert "không có tệp này" in message
    assert "No such file" not in message


@pytest.mark.parametrize("command", IMPORT_COMMANDS)
def test_a_directory_is_explained_in_vietnamese(db, tmp_path, command):
    folder = tmp_path / "du-lieu.csv"
    folder.mkdir()

    message = str(import_error(command, folder))

    assert f"“{folder}”" in message
    assert "là một thư mục" in message
    assert "Is a directory" not in message


@pytest.mark.parametrize("command", IMPORT_COMMANDS)
def test_an_unreadable_file_is_explained_in_vietnamese(db, tmp_path, monkeypatch, command):
    path = tmp_path / "bi-khoa.csv"
    path.write_text("tax_code\n", encoding="utf-8")
    opened = Path.open

    def open_as_another_user(self, *args, **kwargs):
        # chmod stops no root, which the tests may run as: the OS's refusal, as it comes.
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return opened(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", open_as_another_user)

    message = str(import_error(command, path))

    assert f"“{path}”" in message
    assert "không có quyền đọc" in message
    assert "Permission denied" not in message
