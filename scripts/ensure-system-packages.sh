#!/usr/bin/env bash
# Browser tests drive Debian's Chromium (Playwright cannot download browsers here).
set -eu
if command -v chromium >/dev/null 2>&1; then exit 0; fi
echo "Installing Debian chromium for the browser tests..."
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ERROR: chromium is missing and apt-get is not available; install Chromium and put it on PATH." >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null
