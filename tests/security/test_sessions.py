"""Sessions per ASVS 5.0 (V7): a new key at login; logout, a password change (the other sessions)
and deactivation end them; SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after
login end them too."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.sessions import LAST_SEEN_KEY, STARTED_KEY

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PASSWORD = "Mat-khau-2026"  # UserFactory's password
NEW_PASSWORD = "Mot-mat-khau-moi-2026"


def _log_in(user) -> Client:
    client = Client()
    response = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def _key(client) -> str:
    return client.cookies["sessionid"].value


def _logged_in(client) -> bool:
    return client.get(reverse("home")).status_code == 200


def _expiry(client):
    return Session.objects.get(session_key=_key(client)).expire_date


def test_login_rotates_the_session_key(client, facility_user):
    anonymous = client.session  # a session before login, as a visitor of the login page has
    anonymous["seen"] = True
    anonymous.save()
    before = _key(client)

    client.post(
        reverse("accounts:login"), {"username": facility_user.username, "password": PASSWORD}
    )

    assert _key(client) != before
    assert not Session.objects.filter(session_key=before).exists()
    assert client.session[SESSION_KEY] == str(facility_user.pk)


def test_logout_ends_the_session(facility_user):
    client = _log_in(facility_user)
    key = _key(client)

    assert client.post(reverse("accounts:logout")).status_code == 302

    assert not Session.objects.filter(session_key=key).exists()
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not _logged_in(replay)


def test_a_password_change_ends_the_other_sessions_only(facility_user):
    here, elsewhere = _log_in(facility_user), _log_in(facility_user)
    assert _logged_in(here) and _logged_in(elsewhere)

    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert _logged_in(here)
    assert not _logged_in(elsewhere)


def test_deactivation_ends_the_sessions(facility_user):
    client = _log_in(facility_user)
    key = _key(client)

    facility_user.is_active = False
    facility_user.save()

    assert not Session.objects.filter(session_key=key).exists()
    assert not _logged_in(client)
    # Reactivating the account does not bring the old login back.
    facility_user.is_active = True
    facility_user.save()
    assert not _logged_in(client)


def test_deactivation_by_bulk_update_logs_out_on_the_next_request(facility_user):
    # QuerySet.update() sends no signal: the session is refused all the same, as Django's
    # ModelBackend does not return an inactive user.
    client = _log_in(facility_user)
    type(facility_user).objects.filter(pk=facility_user.pk).update(is_active=False)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_idle_timeout_is_thirty_minutes_by_default(settings, facility_user):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # the middleware renews the expiry
    client = _log_in(facility_user)
    assert client.cookies["sessionid"]["max-age"] == 30 * 60
    remaining = _expiry(client) - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)


def test_an_idle_session_expires(facility_user):
    client = _log_in(facility_user)
    Session.objects.filter(session_key=_key(client)).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_request_renews_the_expiry(facility_user):
    client = _log_in(facility_user)
    assert _logged_in(client)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 61  # last renewed over a minute ago
    session.save()
    Session.objects.filter(session_key=_key(client)).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )

    assert _logged_in(client)

    assert _expiry(client) - timezone.now() > timedelta(minutes=29)


def test_requests_within_a_minute_do_not_write_the_session(facility_user):
    client = _log_in(facility_user)
    assert _logged_in(client)
    soon = timezone.now() + timedelta(minutes=10)
    Session.objects.filter(session_key=_key(client)).update(expire_date=soon)

    assert _logged_in(client)

    assert _expiry(client) == soon


def test_a_session_ends_after_the_maximum_lifetime(settings, facility_user):
    assert settings.SESSION_MAX_HOURS == 12
    client = _log_in(facility_user)
    assert _logged_in(client)
    session = client.session
    session[STARTED_KEY] = int(time.time()) - 12 * 3600 - 1
    session.save()

    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert SESSION_KEY not in client.session


def _setting(name, **env) -> str:
    clean = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "DEBUG": "1", **env}
    code = f"from django.conf import settings; print(settings.{name})"
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "sxsh_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip() or result.stderr


def test_the_idle_timeout_comes_from_the_environment():
    assert _setting("SESSION_COOKIE_AGE", SESSION_IDLE_MINUTES="10") == "600"
    assert "ImproperlyConfigured" in _setting("SESSION_COOKIE_AGE", SESSION_IDLE_MINUTES="1")
