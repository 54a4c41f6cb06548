"""The login lockout cannot be turned against a user (issue 11, point 3).

Failures are counted per (username, real client address) and lock that pair for an exponential
delay; the address is the socket's, or the one the trusted reverse proxy appended to
X-Forwarded-For, so a client can neither dodge nor aim the lock with that header.
"""

import os
import subprocess  # nosec B404 - runs this project's manage.py with a fixed argument list
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.db.models import F

from accounts.lockout import lockout_delay

PASSWORD = "Mat-khau-2026"  # UserFactory's password
LOGIN_URL = "/accounts/login/"
LOCKED_TEXT = "tạm thời bị khóa"
ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password, **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def _fail(client, username, times, **extra):
    for _ in range(times):
        _login(client, username, "sai-mat-khau", **extra)


def _logged_in_as(client, user) -> bool:
    return client.session.get(SESSION_KEY) == str(user.pk)


def _travel(minutes=0, seconds=0):
    """Every recorded failure happened that much earlier."""
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - timedelta(minutes=minutes, seconds=seconds)
    )


def _failures(username) -> int:
    return sum(a.failures_since_start for a in AccessAttempt.objects.filter(username=username))


@pytest.fixture
def direct(settings):
    """No proxy in front of the portal (AXES_PROXY_COUNT=0)."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
    settings.AXES_IPWARE_PROXY_COUNT = 0


@pytest.fixture
def behind_nginx(settings):
    """One nginx in front of gunicorn (AXES_PROXY_COUNT=1): what sxsh_portal/settings.py sets."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0


# Per address -----------------------------------------------------------------------------------


def test_failures_at_one_address_do_not_lock_the_user_out_at_another(client, staff, direct):
    _fail(client, staff.username, 20, REMOTE_ADDR="198.51.100.66")
    assert _login(client, staff.username, PASSWORD, REMOTE_ADDR="198.51.100.66").status_code == 429

    response = _login(client, staff.username, PASSWORD, REMOTE_ADDR="10.20.0.7")
    assert response.status_code == 302
    assert _logged_in_as(client, staff)


def test_without_a_proxy_forwarded_for_cannot_dodge_the_lock(client, staff, direct):
    # A new X-Forwarded-For for every try: still one attacker at one address.
    for n in range(5):
        _login(
            client,
            staff.username,
            "sai-mat-khau",
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        )
    response = _login(
        client,
        staff.username,
        PASSWORD,
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert response.status_code == 429
    assert not _logged_in_as(client, staff)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}


def test_without_a_proxy_forwarded_for_cannot_aim_the_lock(client, staff, direct):
    # The attacker claims to be the user's address: the failures stay at the attacker's.
    _fail(
        client,
        staff.username,
        10,
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="10.20.0.7",
    )
    response = _login(client, staff.username, PASSWORD, REMOTE_ADDR="10.20.0.7")
    assert response.status_code == 302
    assert _logged_in_as(client, staff)


def test_behind_the_proxy_the_forwarded_client_address_is_used(client, staff, behind_nginx):
    # nginx connects from 127.0.0.1 and appends the client's address to what the client sent.
    for n in range(5):
        _login(
            client,
            staff.username,
            "sai-mat-khau",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.66",
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.66"}
    locked = _login(
        client,
        staff.username,
        PASSWORD,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert locked.status_code == 429

    # Another client through the same nginx is not locked out, even one that claims, on the
    # left of the chain, to be the attacker.
    response = _login(
        client,
        staff.username,
        PASSWORD,
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66, 10.20.0.7",
    )
    assert response.status_code == 302
    assert _logged_in_as(client, staff)


def test_the_proxy_count_comes_from_the_environment():
    """AXES_PROXY_COUNT=0 / 1 in the environment: the address Django's settings yield."""
    script = (
        "from django.test import RequestFactory\n"
        "from axes.helpers import get_client_ip_address\n"
        "r = RequestFactory().post('/', REMOTE_ADDR='127.0.0.1',"
        " HTTP_X_FORWARDED_FOR='203.0.113.9, 198.51.100.66')\n"
        "print(get_client_ip_address(r))\n"
    )
    seen = {}
    for count in ("0", "1"):
        env = {**os.environ, "AXES_PROXY_COUNT": count, "DEBUG": "1"}
        result = subprocess.run(  # nosec B603
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        seen[count] = result.stdout.strip().splitlines()[-1]
    assert seen == {"0": "127.0.0.1", "1": "198.51.100.66"}


# Exponential delay -----------------------------------------------------------------------------


def test_the_delay_doubles_from_the_limit_up_to_the_cap(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_LOCKOUT_BASE_SECONDS = 60
    settings.AXES_LOCKOUT_MAX_MINUTES = 60
    minutes = [lockout_delay(n).total_seconds() / 60 for n in range(4, 14)]
    assert minutes == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert lockout_delay(10_000) == timedelta(hours=1)


def test_the_lock_lifts_after_the_delay_and_the_next_failure_doubles_it(client, staff, direct):
    _fail(client, staff.username, 5)
    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 1 phút" in response.text

    # One minute later the user may try again; a wrong password locks for 2 minutes.
    _travel(seconds=61)
    response = _login(client, staff.username, "sai-mat-khau")
    assert response.status_code == 429
    assert "Vui lòng thử lại sau 2 phút" in response.text
    assert _failures(staff.username) == 6

    _travel(seconds=61)
    assert _login(client, staff.username, PASSWORD).status_code == 429

    _travel(seconds=61)
    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client, staff)
    assert not AccessAttempt.objects.filter(username=staff.username).exists()


def test_tries_during_the_lock_do_not_extend_it(client, staff, direct):
    _fail(client, staff.username, 5)
    (first,) = AccessAttempt.objects.filter(username=staff.username)

    # The attacker keeps trying all through the lock: nothing is recorded, the delay does not
    # restart and does not grow.
    for _ in range(3):
        _travel(seconds=15)
        _fail(client, staff.username, 10)
    attempt = AccessAttempt.objects.get(pk=first.pk)
    assert attempt.failures_since_start == 5
    assert attempt.attempt_time == first.attempt_time - timedelta(seconds=45)

    _travel(seconds=16)
    response = _login(client, staff.username, PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client, staff)


def test_the_count_is_kept_between_locks_within_the_window(client, staff, direct, settings):
    settings.AXES_FAILURE_WINDOW_HOURS = 24
    _fail(client, staff.username, 5)
    # Long after the first lock, but within the window: one more failure locks again, for 2 min.
    _travel(minutes=120)
    response = _login(client, staff.username, "sai-mat-khau")
    assert response.status_code == 429
    assert _failures(staff.username) == 6

    # Past the window the count starts again: four failures lock nothing.
    _travel(minutes=25 * 60)
    for _ in range(4):
        assert _login(client, staff.username, "sai-mat-khau").status_code == 200
    assert _failures(staff.username) == 4


def test_the_username_is_counted_whatever_its_case(client, staff, direct):
    variants = [
        staff.username.upper(),
        staff.username,
        staff.username.title(),
        " " + staff.username,
    ]
    for name in variants + [staff.username.upper()]:
        _login(client, name, "sai-mat-khau")
    assert _login(client, staff.username, PASSWORD).status_code == 429
    assert _failures(staff.username.lower()) == 5
