"""Fallback dependency audit for machines that reach only PyPI's project-level JSON.

pip-audit reads advisories from PyPI's per-release JSON (/pypi/NAME/VERSION/json). Where only
/pypi/NAME/json answers, its `vulnerabilities` list still covers the project's latest release:
every installed distribution that IS the latest release is audited against it; the others are
listed as not audited (this data says nothing about an older release).

    .venv/bin/python scripts/audit_installed.py

Exit status: 1 if a known vulnerability affects an installed release, or a project could not be
looked up; 2 if some releases could not be audited (not the latest) and nothing worse; 0 if all
were audited and clean.
"""

import json
import os
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata

# Overridable for the tests, which serve canned answers on loopback.
INDEX = os.environ.get("PYPI_JSON_URL", "https://pypi.org/pypi/{name}/json")


def installed() -> dict[str, str]:
    found = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            found[name.lower().replace("_", "-")] = dist.version
    return dict(sorted(found.items()))


def lookup(name: str) -> dict:
    url = INDEX.format(name=name)
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  # nosec B310
        return json.load(response)


def audit(name: str, version: str) -> tuple[str, str]:
    try:
        data = lookup(name)
    except Exception as exc:  # network or HTTP error: reported, never ignored
        return "error", f"{name} {version}: lookup failed ({exc})"
    latest = data["info"]["version"]
    if latest != version:
        return "skipped", f"{name} {version} (latest {latest})"
    known = [v for v in data.get("vulnerabilities") or [] if not v.get("withdrawn")]
    if known:
        ids = ", ".join(v["id"] for v in known)
        return "vulnerable", f"{name} {version}: {ids}"
    return "clean", f"{name} {version}"


def main() -> int:
    packages = installed()
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda item: audit(*item), packages.items()))
    by_kind: dict[str, list[str]] = {}
    for kind, line in results:
        by_kind.setdefault(kind, []).append(line)
    print(
        f"audited {len(by_kind.get('clean', [])) + len(by_kind.get('vulnerable', []))} of "
        f"{len(packages)} installed distributions against PyPI's advisories of their latest release"
    )
    for kind, title in (
        ("vulnerable", "KNOWN VULNERABILITIES"),
        ("error", "LOOKUP FAILED"),
        ("skipped", "NOT AUDITED (not the latest release; this data covers only the latest)"),
    ):
        if by_kind.get(kind):
            print(f"{title}:")
            for line in by_kind[kind]:
                print(f"  {line}")
    if by_kind.get("vulnerable") or by_kind.get("error"):
        return 1
    return 2 if by_kind.get("skipped") else 0


if __name__ == "__main__":
    sys.exit(main())
