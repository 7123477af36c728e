#!/usr/bin/env bash
# Finds or builds the Temporal web UI server that `npm run cluster` points at its Temporal server,
# at the version of the compose image (temporalio/ui) and of the UI inside the pinned CLI, from
# its Go module (the UI's assets are embedded in it) into the shared cache. Built once per machine.
# Prints the binary's path on the last line of stdout; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"
source "$here/go-build-tool.sh"

# Moves together with docker-compose.yml and the CLI (see README, "Production-like stack").
version=v2.42.1
dir="$STAGED_RELEASE_CACHE/temporal-ui-server-$version"

finish_build() { mv "$1/server" "$1/temporal-ui-server"; }

if [[ ! -f "$dir/.complete" ]]; then
  go_build_tool "the Temporal UI server $version" "$dir" "github.com/temporalio/ui-server/v2/cmd/server@$version"
fi
echo "$dir/temporal-ui-server"
