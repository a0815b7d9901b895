#!/usr/bin/env bash
# Starts (or reuses) the project-local PostgreSQL cluster and prints the URL of a database on it.
#
#   db/dev-db.sh [DBNAME]          start if needed, create nothing, print postgres://app:…/DBNAME
#                                  (default "todo"): the URL the app, dbmate and the tests use
#   db/dev-db.sh --admin [DBNAME]  the same database as the cluster's superuser (tests and the
#                                  benchmark use it to seed and inspect data around row-level security)
#   db/dev-db.sh stop              stop the cluster
#
# The app's role, "app", is what Neon gives a project: it owns its databases and may create them,
# and it is not a superuser, so row-level security holds for it (a superuser bypasses every policy).
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
role=app
if [ "${1:-}" = --admin ]; then role=todo; shift; fi
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
# The app's role, made once per cluster. A cluster made before the role existed has the app's
# databases owned by the superuser: hand them and everything in them to the app's role.
password=$(cat "$pwfile")
admin_url="postgres://todo:$password@127.0.0.1:$port/postgres?sslmode=disable"
if [ "$(psql "$admin_url" -qtAc "select 1 from pg_roles where rolname = 'app'")" != 1 ]; then
  psql "$admin_url" -qc "create role app login createdb nosuperuser nobypassrls password '$password'" >/dev/null
  for db in $(psql "$admin_url" -qtAc "select datname from pg_database where datname not in ('postgres', 'template0', 'template1')"); do
    psql "${admin_url/\/postgres?//$db?}" -q >/dev/null <<'SQL'
alter schema public owner to app;
do $$
declare r record;
begin
  for r in select c.oid::regclass as name, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'f') loop
    execute format('alter table %s owner to app', r.name);
  end loop;
  for r in select p.oid::regprocedure as name from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'public' loop
    execute format('alter function %s owner to app', r.name);
  end loop;
end $$;
SQL
    psql "$admin_url" -qc "alter database \"$db\" owner to app" >/dev/null
  done
fi
printf 'postgres://%s:%s@127.0.0.1:%s/%s?sslmode=disable\n' "$role" "$password" "$port" "$dbname"
