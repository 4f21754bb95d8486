#!/usr/bin/env bash
# Installs what the tests need (Debian packages when missing, npm dependencies) and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-node.sh
bash scripts/install-test-deps.sh
npm ci --no-audit --no-fund
npm test
