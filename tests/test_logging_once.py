"""A django.* message is printed once on the console (Django's own DEBUG console handler is not
added beside the root's), and the default broker names a host (kombu warns without one)."""

import logging
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def test_django_messages_have_one_console_handler():
    django_logger = logging.getLogger("django.request")
    handlers = []
    logger = django_logger
    while logger is not None:
        handlers += [h for h in logger.handlers if type(h) is logging.StreamHandler]
        logger = logger.parent if logger.propagate else None
    assert len(handlers) == 1


def test_the_default_broker_names_a_host(tmp_path):
    # A fresh interpreter with CELERY_BROKER_URL unset, as `make run` starts: the filesystem
    # broker, named with a host, and no "No hostname was supplied" from kombu when it connects.
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "from kombu import Connection; print(settings.CELERY_BROKER_URL); "
        "Connection(settings.CELERY_BROKER_URL, transport_options="
        "settings.CELERY_BROKER_TRANSPORT_OPTIONS).connect()"
    )
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DEBUG": "1",
        "DATABASE_URL": "",
        "CELERY_BROKER_URL": "",
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "sxsh_portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "filesystem://localhost/"
    assert "No hostname was supplied" not in result.stdout + result.stderr
