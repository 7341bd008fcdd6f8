#!/bin/sh
# `npm test`'s pretest step: the specifications drive programs from Debian's
# packages, which a fresh machine may lack:
#   - chromium (/usr/bin/chromium): the widget, dashboard and XSS specs — required;
#   - dovecot-imapd (/usr/sbin/dovecot): the e-mail-in specs' IMAP server — optional,
#     its specs skip with a printed reason without it.
# Silent when both are there. Otherwise it installs the missing packages with
# apt-get when this user may (root, or passwordless sudo); if it may not, it
# prints the exact command, fails for Chromium and carries on for Dovecot.
# Programs are never downloaded from anywhere but the system's package sources.
set -u

say() { echo "npm test: $*" >&2; }

missing=""
[ -x /usr/bin/chromium ] || missing="chromium"
[ -x /usr/sbin/dovecot ] && [ -x /usr/bin/doveadm ] || missing="$missing dovecot-imapd"
missing=$(echo "$missing" | sed 's/^ *//')
[ -z "$missing" ] && exit 0

# Chromium is required: its absence fails the run; Dovecot's only skips the e-mail-in specs.
fail_if_chromium() {
  case "$missing" in *chromium*) exit 1 ;; *) say "the e-mail-in specs will be skipped."; exit 0 ;; esac
}

if ! command -v apt-get >/dev/null 2>&1; then
  say "the specs need Debian's $missing package(s), and apt-get is not available here."
  say "On Debian or Ubuntu run: sudo apt-get update && sudo apt-get install -y $missing"
  fail_if_chromium
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  as_root="sudo -n"
else
  say "the specs need Debian's $missing package(s). Install them, then run npm test again:"
  echo "  sudo apt-get update && sudo apt-get install -y $missing" >&2
  fail_if_chromium
fi

say "installing Debian's $missing with apt-get (once)."
# sudo resets the environment, so the non-interactive frontend is passed through env.
if ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
  ! $as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null; then
  say "apt-get could not install $missing (see above). Run: sudo apt-get update && sudo apt-get install -y $missing"
  fail_if_chromium
fi
# The package starts a system Dovecot on ports 143/993; the specs start their own on a free loopback port.
if [ ! -x /usr/bin/chromium ]; then
  say "the chromium package is installed but /usr/bin/chromium is missing; the browser specs launch that path."
  exit 1
fi
exit 0
