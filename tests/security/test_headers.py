"""Security headers and cookie flags with production settings (DEBUG=0, as in the test env), and
`check --deploy` clean."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from ..factories import UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PASSWORD = "Mat-khau-2026"  # UserFactory's password


def test_a_page_carries_the_security_headers(client, db, settings):
    assert settings.DEBUG is False
    response = client.get(reverse("accounts:login"), secure=True)

    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_every_cookie_is_secure_and_httponly(client, facility_user):
    login = reverse("accounts:login")
    csrf = client.get(login, secure=True).cookies["csrftoken"]
    session = client.post(
        login, {"username": facility_user.username, "password": PASSWORD}, secure=True
    ).cookies["sessionid"]
    language = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, secure=True
    ).cookies["django_language"]

    for cookie in (csrf, session, language):
        assert cookie["secure"] is True, cookie.key
        assert cookie["httponly"] is True, cookie.key
        assert cookie["samesite"] == "Lax", cookie.key


def test_no_script_reads_cookies():
    # CSRF_COOKIE_HTTPONLY: a script could not read the token from the cookie, and none tries
    # (the progress pollers only GET; forms carry the token in the page).
    scripts = (BASE_DIR / "static" / "js").glob("*.js")
    assert [s.name for s in scripts if "document.cookie" in s.read_text()] == []


def test_a_deactivated_api_token_user_is_refused(client, db):
    from accounts import tokens
    from accounts.models import User

    user = UserFactory(username="api_khoa")
    _token, key = tokens.issue(user, "thử")
    # Deactivated behind the signals' back (a bulk update): the check at authentication holds.
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.get("/api/v1/facilities/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "x",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
