#!/usr/bin/env bash
# Catalyst runs on Node 20.19+ (and 22/24 LTS).
set -euo pipefail
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js is not installed: install Node 20.19 or newer (22 or 24 LTS recommended)." >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node $(node -v) is too old: Catalyst needs Node 20.19 or newer (22 or 24 LTS recommended)." >&2
  exit 1
fi
