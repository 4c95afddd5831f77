#!/usr/bin/env bash
# The browser the dashboard's tests drive (tests/DataBuild.Dashboard.Tests): Debian's chromium, run headless by
# Microsoft.Playwright's own driver. Playwright's browser download is never used (it needs hosts this project
# does not reach).
#
#   eval "$(bash scripts/chromium.sh)"   # installs chromium from Debian's packages if missing, checks that it
#                                        # starts, prints `export DATABUILD_CHROMIUM=/usr/bin/chromium`
#
# The tests read DATABUILD_CHROMIUM (default /usr/bin/chromium). Nothing is left running.
set -euo pipefail

log() { echo "chromium.sh: $*" >&2; }

CHROMIUM=${DATABUILD_CHROMIUM:-/usr/bin/chromium}

if [ ! -x "$CHROMIUM" ]; then
  if [ "$CHROMIUM" != /usr/bin/chromium ]; then
    log "DATABUILD_CHROMIUM=$CHROMIUM is not an executable file"
    exit 1
  fi
  if [ "$(id -u)" != 0 ]; then
    log "chromium is not installed and this user cannot install it: run 'sudo apt-get install -y chromium'"
    exit 1
  fi
  log "installing chromium from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
fi

# It must start headless here, with the flags the tests use, before any test waits on it.
version=$("$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --version 2>/dev/null) || { log "$CHROMIUM does not start"; exit 1; }
log "$version"
echo "export DATABUILD_CHROMIUM='$CHROMIUM'"
