#!/usr/bin/env bash
# Installs the real servers the tests run against, from Debian/Ubuntu packages, when missing:
# Chromium (Playwright), nats-server (events), PowerDNS with the sqlite backend, dig, sqlite3, and
# unzip (the chart tests unpack helm from an installed npm package: charts/test/helpers/helm.ts).
set -euo pipefail

missing=()
need() { # need <command-or-path> <package>
  if [[ "$1" == /* ]]; then [[ -e "$1" ]] || missing+=("$2"); else command -v "$1" >/dev/null 2>&1 || missing+=("$2"); fi
}
need "${CHROMIUM_PATH:-/usr/bin/chromium}" chromium
need nats-server nats-server
need pdns_server pdns-server
need /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql pdns-backend-sqlite3
need dig dnsutils
need sqlite3 sqlite3
need unzip unzip
need /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "test dependencies: all present"
  exit 0
fi

echo "test dependencies: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo -n)
else
  cat >&2 <<MSG
The tests need these Debian/Ubuntu packages, which are not installed:
  ${missing[*]}
Install them as root and run the tests again:
  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}
MSG
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "test dependencies: installed"
