"""README *Two commands*: `make run` finds Python >= 3.12 itself (`scripts/find-python.sh`) and
stops with a clear message when there is none. `PYTHON=/path/to/python3.13`, the fix the message
suggests, names the interpreter to use: a wrong one is refused by name instead of being replaced
silently by another one. When no interpreter can be used, make stops with that message alone (no
"command not found" after it) and leaves no half-made virtualenv that the next `make run` would
take for a finished one."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A Python 3.11: fails the version check, says so when asked.
OLD_PYTHON = """#!/bin/sh
case "$1" in
  --version) echo "Python 3.11.2" ;;
  *) exit 1 ;;
esac
"""
# A Python 3.13 whose venv module is missing (Debian without python3.13-venv): `-m venv DIR`
# leaves DIR/bin/python behind and fails.
PYTHON_WITHOUT_VENV = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin" && printf '#!/bin/sh\\n' > "$3/bin/python" && chmod +x "$3/bin/python"
  echo "The virtual environment was not created: ensurepip is not available." >&2
  exit 1
fi
case "$2" in *sys.executable*) echo "$0" ;; *version_info*) echo ok ;; esac
exit 0
"""


def _program(path: Path, text: str) -> Path:
    path.write_text(text)
    path.chmod(0o755)
    return path


def _env(tmp_path: Path, python: Path) -> dict[str, str]:
    """PATH offers a suitable python3 (this interpreter), so only $PYTHON can make it fail."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "python3").symlink_to(sys.executable)
    return {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYENV_ROOT": str(tmp_path / "pyenv"),
        "LANG": "C.UTF-8",
        "PYTHON": str(python),
    }


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_a_python_given_in_PYTHON_that_is_too_old_is_refused_by_name(tmp_path):
    old = _program(tmp_path / "python3.11", OLD_PYTHON)
    result = _run(["bash", "scripts/find-python.sh"], _env(tmp_path, old))
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"PYTHON={old}: is Python 3.11.2" in result.stderr
    assert "Python 3.12 or newer" in result.stderr


def test_a_program_that_only_exits_0_is_no_python(tmp_path):
    result = _run(["bash", "scripts/find-python.sh"], _env(tmp_path, Path("/bin/true")))
    assert result.returncode == 1
    assert result.stdout == ""
    assert "PYTHON=/bin/true: does not run" in result.stderr


def test_make_stops_with_the_message_alone_and_no_virtualenv(tmp_path):
    old = _program(tmp_path / "python3.11", OLD_PYTHON)
    venv = tmp_path / "venv"
    result = _run(["make", "--no-print-directory", "venv", f"VENV={venv}"], _env(tmp_path, old))
    assert result.returncode != 0
    assert "Python 3.12 or newer" in result.stderr
    assert "command not found" not in result.stderr
    assert not venv.exists()


def test_a_failed_virtualenv_is_removed_so_the_next_run_makes_it_again(tmp_path):
    python = _program(tmp_path / "python3.13", PYTHON_WITHOUT_VENV)
    venv = tmp_path / "venv"
    result = _run(["make", "--no-print-directory", "venv", f"VENV={venv}"], _env(tmp_path, python))
    assert result.returncode != 0
    assert "ensurepip is not available" in result.stderr
    assert not venv.exists(), "a half-made virtualenv was left for the next `make run`"
    assert not os.path.exists(ROOT / "venv")
