"""A fingerprint of the portal's own code, for cache keys.

Values cached under the data version (core.data_version) are computed by the code: indicator
counts whose shape a release may change, and rendered HTML of the filter widgets. Keyed by the
data token alone, they would outlive a deploy until the next data change. Adding this fingerprint
to the keys makes a release that changes the code start from an empty cache, while processes
running the same code (web servers and workers on several machines) share their values.

The fingerprint is the SHA-256 of the relative path and content of every Python file, template
and compiled translation of the project (not of the virtualenv, the tests or the data under
`var/`), computed once per process (a few milliseconds).
"""

import hashlib
import os
from functools import cache
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SUFFIXES = (".py", ".html", ".txt", ".mo", ".csv")
SKIPPED_DIRS = {
    "tests",
    "bench",
    "var",
    "node_modules",
    "static",
    "staticfiles",
    "media",
    "test-artefacts",
}


def source_files(root: Path = BASE_DIR) -> list[Path]:
    """The files the fingerprint covers, in a fixed order."""
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(
            name for name in subdirectories if not name.startswith(".") and name not in SKIPPED_DIRS
        )
        found.extend(Path(directory, name) for name in sorted(files) if name.endswith(SUFFIXES))
    return found


@cache
def code_version(root: Path = BASE_DIR) -> str:
    """Sixteen hex digits that change whenever a covered file is added, removed or edited."""
    digest = hashlib.sha256()
    for path in source_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
