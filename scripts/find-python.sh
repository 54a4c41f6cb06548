#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or fail with a clear message.
# Order: $PYTHON, python3.13, python3.12, python3, then any pyenv-installed 3.12+/3.13+.
set -u

ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
candidates+=(python3.13 python3.12 python3 python)
for cand in "${candidates[@]}"; do
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then
    # A pyenv shim only works when its version is selected; resolve it to the real binary.
    real=$("$path" -c 'import sys; print(sys.executable)' 2>/dev/null) && echo "$real" && exit 0
  fi
done

roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)/versions")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}/versions" /usr/local/bin /usr/bin)
for root in "${roots[@]}"; do
  [ -d "$root" ] || continue
  for bin in $(ls -d "$root"/3.1[3-9]*/bin/python3 "$root"/3.12*/bin/python3 \
               "$root"/python3.1[2-9] 2>/dev/null | sort -rV); do
    if ok "$bin"; then echo "$bin"; exit 0; fi
  done
done

echo "ERROR: SXSH Portal needs Python 3.12 or newer (Django 6.1), and none was found." >&2
echo "Install one (e.g. 'pyenv install 3.13' or your distribution's python3.13) or set PYTHON=/path/to/python3.13." >&2
exit 1
