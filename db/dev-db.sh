#!/usr/bin/env bash
# Starts (or reuses) the project-local PostgreSQL cluster and prints the URL of a database on it.
#
#   db/dev-db.sh [DBNAME]   start if needed, create nothing, print postgres://…/DBNAME (default "todo")
#   db/dev-db.sh stop       stop the cluster
#
# The cluster lives in .data/pg (or, when the postgres user cannot reach that folder because the
# checkout sits under a private home, in a fixed folder under /tmp named after the checkout).
# It listens on 127.0.0.1 only, on a port derived from the checkout path so two checkouts never clash,
# and uses a random password kept beside the data. PostgreSQL refuses to run as root, so as root the
# server runs as the "postgres" user.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'dev-db: %s\n' "$*" >&2; }

# --- where the PostgreSQL binaries are ------------------------------------------------------------
find_bindir() {
  local p
  if p=$(command -v initdb 2>/dev/null) && p=$(readlink -f "$p") && [ -x "$(dirname "$p")/pg_ctl" ]; then
    dirname "$p"; return
  fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
bindir=$(find_bindir)
if [ -z "$bindir" ] || [ ! -x "$bindir/pg_ctl" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing PostgreSQL (apt-get install postgresql)"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client) >&2
    bindir=$(find_bindir)
  else
    say "PostgreSQL server binaries not found: install them (Debian: sudo apt-get install postgresql)"; exit 1
  fi
fi

# --- the data folder -----------------------------------------------------------------------------
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  as_owner=(runuser -u postgres --)
fi
base="$root/.data"
mkdir -p "$base"
if [ "$(id -u)" = 0 ]; then
  chown postgres "$base"
  if ! runuser -u postgres -- test -w "$base" 2>/dev/null; then
    base="/tmp/todo-pgdata-$(printf '%s' "$root" | cksum | cut -d' ' -f1)"
    mkdir -p "$base"; chown postgres "$base"; chmod 700 "$base"
  fi
fi
data="$base/pg"
pwfile="$base/pg.password"
port=${TODO_PG_PORT:-$(( 54000 + $(printf '%s' "$root" | cksum | cut -d' ' -f1) % 900 ))}

if [ "${1:-}" = stop ]; then
  [ -f "$data/PG_VERSION" ] && "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m fast stop >&2 || true
  exit 0
fi
dbname=${1:-todo}

# Serialise concurrent starts (make run and make test at once). The lock fd is closed for pg_ctl,
# or the postmaster would inherit it and hold the lock forever.
exec 9>"$base/.lock"
flock 9

if [ ! -f "$data/PG_VERSION" ]; then
  say "creating a PostgreSQL cluster in $data (port $port)"
  umask 077
  head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres "$pwfile"
  "${as_owner[@]}" "$bindir/initdb" -D "$data" -U todo --pwfile="$pwfile" --auth-host=scram-sha-256 \
    --auth-local=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null 9>&-
  cat >> "$data/postgresql.conf" <<CONF
# project-local dev/test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
max_connections = 300
synchronous_commit = off
shared_buffers = 128MB
log_min_messages = warning
CONF
fi

if ! "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 start >/dev/null 9>&- || {
    say "PostgreSQL did not start; its log:"; tail -n 20 "$data/server.log" >&2; exit 1; }
fi
printf 'postgres://todo:%s@127.0.0.1:%s/%s?sslmode=disable\n' "$(cat "$pwfile")" "$port" "$dbname"
