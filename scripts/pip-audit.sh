#!/usr/bin/env bash
# pip-audit of the pinned requirements (requirements.txt + requirements-dev.txt, with everything
# they pull in) against PyPI's advisory data. --strict: a known vulnerability OR a requirement
# that could not be audited fails the step.
#
# pip-audit reads the advisories from PyPI's per-release JSON (pypi.org/pypi/NAME/VERSION/json).
# Where that service cannot be reached (some sandboxed machines serve only the project-level JSON)
# the audit cannot run at all: this prints a loud NOT AUDITED banner and exits 0, or exits 1 when
# PIP_AUDIT_REQUIRED=1 (set it wherever the service is reachable, e.g. a CI with internet access).
set -euo pipefail
cd "$(dirname "$0")/.."

probe_version=$(sed -n 's/^pip-audit==//p' requirements-dev.txt)
[ -n "$probe_version" ] || { echo "pip-audit is not pinned in requirements-dev.txt" >&2; exit 1; }
probe="https://pypi.org/pypi/pip-audit/${probe_version}/json"
if ! status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$probe" 2>&1) \
    || [ "$status" != 200 ]; then
  cat >&2 <<EOF

!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
!! pip-audit: DEPENDENCIES NOT AUDITED - PyPI's advisory service is unreachable from here.
!! ${probe} -> ${status}
!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!
EOF
  [ "${PIP_AUDIT_REQUIRED:-0}" = 1 ] && exit 1
  exit 0
fi
.venv/bin/pip-audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt
