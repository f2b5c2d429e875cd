#!/usr/bin/env bash
# A throwaway local PostgreSQL cluster from the system's PostgreSQL (Debian's postgresql package).
#   bash scripts/pg.sh start   -> prints the DATABASE_URL_PG to export
#   bash scripts/pg.sh stop
# PGDIR (default /tmp/pulse-pg) and PGPORT (default 5433) may be set. Listens on 127.0.0.1 only.
set -euo pipefail
PGDIR=${PGDIR:-/tmp/pulse-pg}
PGPORT=${PGPORT:-5433}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL is not installed: apt-get install -y postgresql" >&2
  exit 1
fi
# initdb and postgres refuse to run as root: run them as the postgres user when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
URL="postgresql://pulse:pulse@127.0.0.1:${PGPORT}/pulse"

case "${1:-}" in
  start)
    if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
      mkdir -p "$PGDIR"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
      pwfile=$(mktemp); echo pulse > "$pwfile"; chmod 644 "$pwfile"
      as_pg "$BIN/initdb" -D "$PGDIR/data" -U pulse --pwfile="$pwfile" -A scram-sha-256 --no-sync >/dev/null
      rm -f "$pwfile"
      cat >> "$PGDIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = ${PGPORT}
unix_socket_directories = '${PGDIR}'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w start >/dev/null
    fi
    PGPASSWORD=pulse "$BIN/psql" -h 127.0.0.1 -p "$PGPORT" -U pulse -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='pulse'" | grep -q 1 || \
      PGPASSWORD=pulse "$BIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U pulse pulse
    echo "DATABASE_URL_PG=$URL"
    ;;
  stop)
    if [ -f "$PGDIR/data/PG_VERSION" ]; then
      as_pg "$BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    echo "stopped"
    ;;
  *)
    echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
