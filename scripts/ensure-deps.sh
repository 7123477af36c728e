#!/usr/bin/env bash
# Installs node_modules from the lock file when they are missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
marker=node_modules/.package-lock.json
if [[ ! -f "$marker" || package-lock.json -nt "$marker" ]]; then
  echo "Installing dependencies from package-lock.json ..." >&2
  # npm install, not npm ci: both honour the lock file, but npm ci refuses registries (mirrors)
  # that lack other platforms' optional binaries ("Missing ... from lock file").
  npm install --no-audit --no-fund >&2
fi
