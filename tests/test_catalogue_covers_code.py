"""Every translatable text in the code has its English translation in the committed catalogue:
makemessages run on a copy of the source finds no message the committed en catalogue lacks (a
text added to the code without running makemessages would stay Vietnamese for English readers,
mails included). test_i18n checks the entries the catalogue holds; this checks none is missing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("core", "accounts", "facilities", "assessments", "reports", "ops", "sxsh_portal")
SOURCES += ("templates", "locale", "manage.py")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "migrations")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the source with the catalogues makemessages writes from it."""
    copy = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=IGNORED)
        else:
            shutil.copy2(source, copy / name)
    shutil.copytree(ROOT / "static" / "js", copy / "static" / "js")
    env = os.environ | {"DEBUG": "1", "DATABASE_URL": "", "CELERY_BROKER_URL": ""}
    base = [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"]
    for domain in ("django", "djangojs"):
        subprocess.run(  # noqa: S603 - the project's own manage.py on its own copy
            [*base, "-d", domain], cwd=copy, env=env, check=True, capture_output=True
        )
    return copy / "locale" / "en" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_text_of_the_code_is_in_the_english_catalogue(extracted, domain):
    committed = ROOT / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    result = subprocess.run(  # noqa: S603 - GNU gettext's msgcmp on the test's own files
        ["msgcmp", str(committed), str(extracted / f"{domain}.po")],  # noqa: S607
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        "texts missing from the English catalogue (run makemessages -l en and translate them):\n"
        + result.stderr
    )
