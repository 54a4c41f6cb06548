#!/usr/bin/env bash
# System packages the portal needs beyond Python wheels, installed with apt when missing:
#   - Pango (WeasyPrint renders the PDF reports with it);
#   - with --browser (what `make test` needs): Debian's Chromium for the Playwright tests
#     (Playwright cannot download browsers here), poppler-utils (pdftoppm: the report pages'
#     screenshots) and gettext (makemessages and msgcmp: the English catalogue's test).
# Without root or sudo it only says what is missing.
set -eu
packages=()
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || packages+=(libpango-1.0-0 libpangoft2-1.0-0)
if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  packages+=(chromium)
fi
# pdftoppm renders the generated PDF's pages to PNG for the browser tests' screenshots.
if [ "${1:-}" = "--browser" ] && ! command -v pdftoppm >/dev/null 2>&1; then
  packages+=(poppler-utils)
fi
# makemessages (xgettext) and msgcmp check that the English catalogue covers the code.
if [ "${1:-}" = "--browser" ] && ! command -v msgcmp >/dev/null 2>&1; then
  packages+=(gettext)
fi
[ ${#packages[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "Missing system packages: ${packages[*]} (install them with apt as root)." >&2
    [ "${1:-}" = "--browser" ] && exit 1 || exit 0
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${packages[*]}; apt-get is not available to install them." >&2
  [ "${1:-}" = "--browser" ] && exit 1 || exit 0
fi
echo "Installing ${packages[*]} with apt..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
