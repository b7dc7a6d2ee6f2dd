#!/bin/sh
# Makes sure the system Chromium the browser tests drive (Debian's `chromium` package) is
# installed: nothing to do when it is there; installed with apt-get when we are root. Exits
# non-zero, saying why, when it cannot be installed on this machine.
# Usage: sh apps/api/scripts/ensure-chromium.sh   (CHROMIUM_PATH overrides /usr/bin/chromium)
set -u
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}

[ -x "$chromium" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $chromium is missing and installing it needs root (apt-get install chromium)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $chromium is missing and there is no apt-get to install it with" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
install() { apt-get install -y --no-install-recommends chromium; }
# A fresh machine may have no package lists yet: update once, only if the first try fails.
install || { apt-get update && install; } || {
  echo "ensure-chromium: apt-get could not install chromium" >&2
  exit 1
}
[ -x "$chromium" ] || {
  echo "ensure-chromium: chromium installed but $chromium is not there" >&2
  exit 1
}
