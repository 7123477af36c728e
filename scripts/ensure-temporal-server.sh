#!/usr/bin/env bash
# Finds or builds the Temporal server that `npm run cluster` runs on PostgreSQL, at the version of
# the compose image (temporalio/auto-setup) and of the server inside the pinned CLI, from its Go
# module into the shared cache: temporal-server and its schema tool temporal-sql-tool (same module;
# it carries the module's PostgreSQL schemas). Built once per machine.
# Prints the folder holding both on the last line of stdout; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"
source "$here/go-build-tool.sh"

# Moves together with docker-compose.yml and the CLI (see README, "Production-like stack").
version=v1.29.1
dir="$STAGED_RELEASE_CACHE/temporal-server-$version"

finish_build() {
  mv "$1/server" "$1/temporal-server"
  mv "$1/sql" "$1/temporal-sql-tool"
}

if [[ ! -f "$dir/.complete" ]]; then
  go_build_tool "the Temporal server $version and temporal-sql-tool" "$dir" \
    "go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version"
fi
echo "$dir"
