#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of the PostgreSQL store and work queue.
#
#   eval "$(scripts/pg-test-server.sh start)"   # exports CHRONICLE_TEST_PG=postgres://...
#   scripts/pg-test-server.sh stop              # stops it and removes its files
#
# Uses the machine's PostgreSQL binaries (initdb, pg_ctl: this image has PostgreSQL 15 on
# PATH; else Debian's package is installed). The cluster lives in a temporary folder,
# listens on 127.0.0.1 on a free port with trust authentication, and is owned by an
# unprivileged user when run as root (PostgreSQL refuses to run as root).
set -euo pipefail
state=/tmp/chronicle-pg-test.state

find_bin() {
  for d in "" /usr/lib/postgresql/*/bin/; do
    if [ -z "$d" ]; then command -v "$1" 2>/dev/null && return 0; elif [ -x "$d$1" ]; then echo "$d$1"; return 0; fi
  done
  return 1
}

case "${1:-}" in
start)
  if ! find_bin initdb >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  fi
  initdb=$(find_bin initdb); pg_ctl=$(find_bin pg_ctl)
  dir=$(mktemp -d /tmp/chronicle-pg.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  user=$(id -un)
  run=()
  if [ "$(id -u)" = 0 ]; then
    user=chronicle_pg
    id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    chown "$user" "$dir"
    run=(runuser -u "$user" --)
  fi
  "${run[@]}" "$initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1
  "${run[@]}" "$pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >&2
  echo "dir=$dir pg_ctl=$pg_ctl user=$user" > "$state"
  echo "export CHRONICLE_TEST_PG=postgres://$user@127.0.0.1:$port/postgres"
  ;;
stop)
  [ -f "$state" ] || exit 0
  dir=$(sed -n 's/.*dir=\([^ ]*\).*/\1/p' "$state"); pg_ctl=$(sed -n 's/.*pg_ctl=\([^ ]*\).*/\1/p' "$state")
  user=$(sed -n 's/.*user=\([^ ]*\).*/\1/p' "$state")
  if [ "$(id -u)" = 0 ] && [ "$user" != root ]; then runuser -u "$user" -- "$pg_ctl" -D "$dir/data" -m fast stop >&2 || true
  else "$pg_ctl" -D "$dir/data" -m fast stop >&2 || true; fi
  rm -rf "$dir" "$state"
  ;;
*)
  echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
