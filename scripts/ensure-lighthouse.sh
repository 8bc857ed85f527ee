#!/usr/bin/env bash
# Install Lighthouse (npm, the version pinned in bench/lighthouse/package-lock.json) for
# bench/lighthouse.py when it is missing; it drives Debian's Chromium (scripts/ensure-chromium.sh).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)/bench/lighthouse"
"$(dirname "$0")/ensure-chromium.sh"
if [ -f "$here/node_modules/lighthouse/package.json" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Node.js 18.16 or newer (Debian: apt-get install nodejs npm)." >&2
  exit 1
fi
cd "$here" && npm ci --no-audit --no-fund --loglevel=error
