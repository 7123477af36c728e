#!/usr/bin/env bash
# Finds the PostgreSQL programs (initdb, postgres, pg_isready, psql) that `npm run cluster` runs,
# and installs Debian's 'postgresql' package when they are missing and apt-get can (as root).
# Order: $POSTGRES_BIN_DIR, then initdb on PATH, then /usr/lib/postgresql/<newest>/bin (Debian
# and Ubuntu keep the server programs off PATH), then apt-get.
# Prints the folder holding the programs on the last line of stdout; progress goes to stderr.
set -euo pipefail

has_server_programs() { [[ -x "$1/initdb" && -x "$1/postgres" && -x "$1/pg_isready" && -x "$1/psql" ]]; }

find_bin_dir() {
  if [[ -n "${POSTGRES_BIN_DIR:-}" ]]; then
    has_server_programs "$POSTGRES_BIN_DIR" || {
      echo "POSTGRES_BIN_DIR=$POSTGRES_BIN_DIR does not hold initdb, postgres, pg_isready and psql" >&2
      exit 1
    }
    echo "$POSTGRES_BIN_DIR"
    return
  fi
  local initdb dir
  if initdb="$(command -v initdb 2>/dev/null)"; then
    dir="$(dirname "$(readlink -f "$initdb")")"
    if has_server_programs "$dir"; then echo "$dir"; return; fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if has_server_programs "$dir"; then echo "$dir"; return; fi
  done
}

dir="$(find_bin_dir)"
if [[ -n "$dir" ]]; then echo "$dir"; exit 0; fi

if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
  echo "PostgreSQL is not installed; installing Debian's 'postgresql' package:" >&2
  echo "  apt-get update && apt-get install -y --no-install-recommends postgresql" >&2
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql >&2
  dir="$(find_bin_dir)"
  if [[ -n "$dir" ]]; then echo "$dir"; exit 0; fi
fi

cat >&2 <<MSG
'npm run cluster' needs a PostgreSQL server (12 or newer) on this machine and found none.
Install it ('sudo apt-get install postgresql', 'brew install postgresql@16', or
https://www.postgresql.org/download/), or point POSTGRES_BIN_DIR at the folder holding initdb,
postgres, pg_isready and psql. With Docker, 'docker compose up --build' runs the same stack instead.
MSG
exit 1
