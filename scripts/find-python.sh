#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or fail with a clear message.
# $PYTHON, when set, is the only candidate (a wrong one fails rather than being replaced
# silently); otherwise python3.13, python3.12, python3, python, then any pyenv-installed or
# system 3.12+.
set -u

# Both check what the program prints, not only its exit status: /bin/true is no Python.
ok() { [ "$("$1" -c 'import sys; print("ok" if sys.version_info >= (3, 12) else "old")' 2>/dev/null)" = ok ]; }

# A pyenv shim only works when its version is selected; resolve it to the real binary.
real() {
  local exe
  exe=$("$1" -c 'import sys; print(sys.executable)' 2>/dev/null) && [ -n "$exe" ] && [ -x "$exe" ] \
    && echo "$exe"
}

if [ -n "${PYTHON:-}" ]; then
  path=$(command -v "$PYTHON" 2>/dev/null)
  if [ -n "$path" ] && ok "$path" && real "$path"; then exit 0; fi
  if [ -z "$path" ]; then
    what="no such program"
  else
    what=$("$path" --version 2>&1 | head -1)
    case "$what" in Python\ *) what="is $what" ;; *) what="does not run (${what:-no output})" ;; esac
  fi
  echo "ERROR: PYTHON=$PYTHON: $what; SXSH Portal needs Python 3.12 or newer (Django 6.1)." >&2
  echo "Set PYTHON=/path/to/python3.13 (or 3.12), or unset PYTHON to let the setup look for one." >&2
  exit 1
fi

for cand in python3.13 python3.12 python3 python; do
  path=$(command -v "$cand" 2>/dev/null) || continue
  if ok "$path"; then real "$path" && exit 0; fi
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
