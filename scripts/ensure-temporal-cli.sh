#!/usr/bin/env bash
# Finds the Temporal CLI (dev server + web UI) or builds the pinned version from its Go module
# into the shared cache, so every clone on this machine reuses one build.
# Order: $TEMPORAL_CLI_PATH, then 'temporal' on PATH (not this package's bin/temporal), then the cache,
# then 'go install'.
# Prints the binary's path on the last line of stdout; progress goes to stderr.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/cache-dir.sh"

# Later tags carry a replace directive in go.mod, which 'go install pkg@version' refuses.
version="${TEMPORAL_CLI_VERSION:-v1.5.1}"
bin_dir="$STAGED_RELEASE_CACHE/temporal-cli-$version"
bin="$bin_dir/temporal"

if [[ -n "${TEMPORAL_CLI_PATH:-}" ]]; then
  [[ -x "$TEMPORAL_CLI_PATH" ]] || { echo "TEMPORAL_CLI_PATH=$TEMPORAL_CLI_PATH is not an executable file" >&2; exit 1; }
  echo "$TEMPORAL_CLI_PATH"; exit 0
fi
# The package's own `temporal` bin (bin/temporal, on PATH under npx) only calls this script: skip it.
while IFS= read -r on_path; do
  if ! head -c 512 "$on_path" 2>/dev/null | grep -q 'staged-release-temporal-shim'; then echo "$on_path"; exit 0; fi
done < <(type -ap temporal 2>/dev/null || true)
if [[ -x "$bin" ]]; then echo "$bin"; exit 0; fi

if ! command -v go >/dev/null; then
  cat >&2 <<MSG
The Temporal CLI was not found and Go is not installed to build it.
Either install the CLI (https://docs.temporal.io/cli#install: 'brew install temporal', or
'curl -sSf https://temporal.download/cli.sh | sh') and put it on PATH or in TEMPORAL_CLI_PATH,
or install Go 1.23+ (https://go.dev/doc/install) and run this again to build it from source.
MSG
  exit 1
fi

echo "Building the Temporal CLI $version from its Go module into $bin_dir" >&2
echo "(first time on this machine only; this takes a few minutes on 2 cores) ..." >&2
start=$(date +%s)
mkdir -p "$bin_dir"
# Progress: a line every 30 s so CI logs and terminals show it is alive.
( while sleep 30; do echo "  ... still building the Temporal CLI ($(( $(date +%s) - start ))s)" >&2; done ) &
ticker=$!
trap 'kill $ticker 2>/dev/null || true' EXIT
GOBIN="$bin_dir" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$version" >&2
kill $ticker 2>/dev/null || true
echo "Temporal CLI built in $(( $(date +%s) - start ))s: $bin" >&2
echo "$bin"
