# Sourced by the ensure-*.sh scripts that build a tool from its Go module into the shared cache.
# go_build_tool LABEL DEST PACKAGE@VERSION... builds the packages into a scratch folder beside DEST,
# calls 'finish_build <scratch folder>' if the script defines it (to rename or add files), and
# moves the folder into place marked complete: an interrupted build leaves no half-built tool.

require_go() {
  command -v go >/dev/null && return
  cat >&2 <<MSG
$1 is built from its Go module, and Go is not installed. Install Go 1.25+
(https://go.dev/doc/install) and run this again, or run the stack with Docker instead:
'docker compose up --build'.
MSG
  exit 1
}

go_build_tool() {
  local label="$1" dest="$2"
  shift 2
  require_go "$label"
  echo "Building $label from its Go module into $dest" >&2
  echo "(first time on this machine only; several minutes on 2 cores) ..." >&2
  local start work ticker
  start=$(date +%s)
  mkdir -p "$(dirname "$dest")"
  work="$(mktemp -d "$dest.building.XXXXXX")"
  chmod 755 "$work"
  # Progress: a line every 30 s so CI logs and terminals show it is alive.
  ( while sleep 30; do echo "  ... still building $label ($(( $(date +%s) - start ))s)" >&2; done ) &
  ticker=$!
  trap "kill $ticker 2>/dev/null || true; rm -rf '$work'" EXIT
  # Low priority: the machine's cores are shared with test runs.
  GOBIN="$work" GOFLAGS="${GOFLAGS:-} -mod=mod" nice -n 10 go install "$@" >&2
  if declare -F finish_build >/dev/null; then finish_build "$work"; fi
  touch "$work/.complete"
  rm -rf "$dest"
  mv "$work" "$dest"
  kill "$ticker" 2>/dev/null || true
  echo "$label built in $(( $(date +%s) - start ))s: $dest" >&2
}
