"""Every environment variable the settings read is documented in .env.example."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = re.compile(r'(?:os\.environ\.get|env_bool|env_int|env_list)\(\s*"([A-Z][A-Z0-9_]*)"')


def test_every_setting_variable_is_documented():
    settings_source = (ROOT / "sxsh_portal" / "settings.py").read_text()
    names = set(READERS.findall(settings_source))
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL"} <= names
    documented = (ROOT / ".env.example").read_text()
    missing = sorted(n for n in names if not re.search(rf"^#?\s*{n}=", documented, re.M))
    assert missing == []
