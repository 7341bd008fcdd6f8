#!/bin/sh
# `npm test`'s pretest step: the widget, dashboard and XSS specs drive Debian's
# Chromium at /usr/bin/chromium (the path they launch), so a fresh machine
# needs it before mocha starts. Silent when it is there. Otherwise it installs
# Debian's `chromium` package with apt-get when this user may (root, or
# passwordless sudo), and else prints the exact command and fails: browsers are
# never downloaded from anywhere but the system's package sources.
set -u

CHROMIUM=/usr/bin/chromium
[ -x "$CHROMIUM" ] && exit 0

say() { echo "npm test: $*" >&2; }

if ! command -v apt-get >/dev/null 2>&1; then
  say "the browser specs need Chromium at $CHROMIUM, from Debian's chromium package, and apt-get is not available here."
  say "On Debian or Ubuntu run: sudo apt-get update && sudo apt-get install -y chromium"
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  as_root="sudo -n"
else
  say "the browser specs need Chromium at $CHROMIUM. Install Debian's package, then run npm test again:"
  echo "  sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi

say "Chromium is missing at $CHROMIUM: installing Debian's chromium package with apt-get (once)."
# sudo resets the environment, so the non-interactive frontend is passed through env.
if ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
  ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
  say "apt-get could not install chromium (see above). Run: sudo apt-get update && sudo apt-get install -y chromium"
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  say "the chromium package is installed but $CHROMIUM is missing; the browser specs launch that path."
  exit 1
fi
