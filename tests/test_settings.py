"""The settings module refuses bad configuration; language and time zone are Vietnamese."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = "k3Jx9-QmT7vR2zYp8LwN4bHs6dFg1aCe5uVi0oKj_XtZrWqPnMlBcDyEhGf7"  # 60 characters


def _run_check(tmp_path, **env):
    """Run `manage.py check` in a fresh interpreter with only the given variables set."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        # Keep the child away from the checkout's var/ and from any server.
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_refuses_missing_secret_key_without_debug(tmp_path):
    result = _run_check(tmp_path, DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_missing_secret_key_by_default(tmp_path):
    # DEBUG unset means production: the default must be the safe one.
    result = _run_check(tmp_path)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "django-insecure-" + "x" * 60,
        "short-but-not-insecure-prefix",
    ],
)
def test_it_refuses_weak_secret_key_without_debug(tmp_path, key):
    result = _run_check(tmp_path, DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_it_accepts_strong_secret_key_without_debug(tmp_path):
    assert len(STRONG_KEY) == 60
    result = _run_check(tmp_path, DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_it_runs_without_secret_key_in_debug(tmp_path):
    result = _run_check(tmp_path, DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_it_rejects_bad_input(tmp_path):
    result = _run_check(tmp_path, DEBUG="maybe", SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEBUG" in result.stderr


def test_language_and_time_zone(settings):
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    codes = [code for code, _ in settings.LANGUAGES]
    assert codes[0] == "vi"
    assert "en" in codes


def test_pages_are_vietnamese_by_default(client, db):
    response = client.get(reverse("accounts:login"))
    assert '<html lang="vi">' in response.text
    assert "Tên đăng nhập" in response.text  # Django's own label, from its vi catalogue


def test_language_switcher_switches_to_english(client, db):
    login = reverse("accounts:login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert response.url == login
    assert response.cookies["django_language"].value == "en"

    page = client.get(login)
    assert '<html lang="en">' in page.text
    assert "Username" in page.text
    assert "Tên đăng nhập" not in page.text


def test_language_switcher_ignores_unoffered_language(client, db):
    # Django stores any language it has a catalogue for; the middleware only honours LANGUAGES.
    login = reverse("accounts:login")
    client.post(reverse("set_language"), {"language": "fr", "next": login})
    page = client.get(login)
    assert '<html lang="vi">' in page.text
    assert "Tên đăng nhập" in page.text


SQLITE_WRITERS = """
import threading, time
import django
django.setup()
from django.db import connection, connections, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS t (n integer)")
started = threading.Event()

def worker():
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
        started.set()
        time.sleep(1)
    connections.close_all()

thread = threading.Thread(target=worker)
thread.start()
started.wait()
with transaction.atomic():  # read, then write, while the worker holds the write lock
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM t")
        cursor.execute("INSERT INTO t VALUES (2)")
thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM t")
    print("rows", cursor.fetchone()[0])
"""


def test_the_demo_database_waits_for_the_worker_instead_of_failing(tmp_path):
    # make run: web and worker share one SQLite file. A request that reads then writes while
    # the worker writes must wait for the lock, not fail with "database is locked" (a 500).
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "sxsh_portal.settings",
        "DEBUG": "1",
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-c", SQLITE_WRITERS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "rows 2" in result.stdout
