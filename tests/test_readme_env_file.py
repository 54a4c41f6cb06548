""".env.example says: copy it to .env and load it with `set -a; . ./.env; set +a` (README
*Production* builds /srv/sxsh/env from it). Loaded that way, every variable it sets must come
out with the value written in the file: an unquoted value with a space or `<` used to run a
command or stop the shell with a syntax error, so every later line (AXES_PROXY_COUNT, the
session limits, …) was silently left unset."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")


def written_values() -> dict[str, str]:
    """KEY -> value of every uncommented assignment, as a reader of the file means it: the text
    after `=`, without the double quotes around it when it has them."""
    values = {}
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        match = ASSIGNMENT.match(line)
        if match:
            key, value = match.groups()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            values[key] = value
    return values


def test_loading_env_example_as_documented_sets_every_variable_as_written(tmp_path):
    values = written_values()
    # The lines that used to break the load, and one after them.
    assert {"REPORT_SIGNER_TITLE", "DEFAULT_FROM_EMAIL", "AXES_PROXY_COUNT"} <= values.keys()
    env_file = tmp_path / ".env"
    env_file.write_bytes((ROOT / ".env.example").read_bytes())
    result = subprocess.run(
        ["bash", "-c", "set -a; . ./.env; set +a; env -0"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True,
        timeout=30,
    )
    assert result.stderr.decode() == ""
    assert result.returncode == 0
    loaded = dict(item.split("=", 1) for item in result.stdout.decode().split("\0") if "=" in item)
    wrong = {
        key: (value, loaded.get(key)) for key, value in values.items() if loaded.get(key) != value
    }
    assert wrong == {}
