#!/usr/bin/env bash
# Installs, builds and starts Catalyst at http://localhost:8080 (PORT overrides), on an embedded
# PostgreSQL under .data/ unless DATABASE_URL is set. Every variable: docs/configuration.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/check-node.sh
npm ci --no-audit --no-fund
npm run build
exec npm start
