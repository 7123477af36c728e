# Sourced by the tool scripts: one cache outside the clone, shared by every clone on this machine.
STAGED_RELEASE_CACHE="${STAGED_RELEASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/staged-release}"
mkdir -p "$STAGED_RELEASE_CACHE"
