#!/usr/bin/env bash
# make test: vet, then every Go test package (unit, integration, e2e) against the project-local
# PostgreSQL. The schema comes from dbmate once per run into a template database; each test clones it
# into a scratch database of its own (internal/pgtest), so packages and runs don't interfere.
set -euo pipefail
cd "$(dirname "$0")/.."
dbmate=$(command -v dbmate || echo "$PWD/node_modules/@dbmate/linux-x64/bin/dbmate")

# The template is named after the migrations' content, built once and then only read, so test runs
# may overlap (several shells, CI). Building it also dumps the schema, which must match db/schema.sql.
hash=$( (cd db/migrations && cat $(ls)) | sha256sum | cut -c1-12)
template=todo_tmpl_$hash
admin_url=$(db/dev-db.sh --admin postgres)
dump=".data/schema.$hash.sql"
sql() { PGOPTIONS="-c client_min_messages=warning" psql "$admin_url" -v ON_ERROR_STOP=1 -qtAc "$1"; }
if [ "$(sql "select 1 from pg_database where datname = '$template'")" != 1 ] || [ ! -f "$dump" ]; then
  build=todo_tmpl_build_$$
  build_url=$(db/dev-db.sh "$build")
  DATABASE_URL="$build_url" "$dbmate" drop >/dev/null
  DATABASE_URL="$build_url" "$dbmate" --schema-file "$dump.$$" up >/dev/null
  mv "$dump.$$" "$dump"
  sql "drop database if exists $template with (force)"
  sql "alter database $build rename to $template"
fi
if ! diff -q db/schema.sql "$dump" >/dev/null; then
  diff -u db/schema.sql "$dump" | head -40 >&2 || true
  echo "db/schema.sql is out of date with db/migrations: run 'make schema' and commit it" >&2
  exit 1
fi
template_url=$(db/dev-db.sh "$template")
if [ "${CI:-}" = true ] && ! git diff --quiet -- '*_templ.go' 2>/dev/null; then
  echo "templ generate changed *_templ.go: run 'go tool templ generate' and commit the result" >&2
  git diff --stat -- '*_templ.go' >&2
  exit 1
fi

# The app's tests connect as the app's role (not a superuser: row-level security applies, as on Neon);
# TEST_ADMIN_DATABASE_URL is the superuser, for tests that seed or inspect around the policies.
export TEST_DATABASE_URL="$template_url" TEST_ADMIN_DATABASE_URL="$admin_url" DBMATE="$dbmate"
export PLAYWRIGHT_NODEJS_PATH="${PLAYWRIGHT_NODEJS_PATH:-$(command -v node)}"
# vet what is tested: every package, or those named in the arguments
pkgs=()
for a in "$@"; do case "$a" in ./*) pkgs+=("$a");; esac; done
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)
echo "go vet ${pkgs[*]}"
go vet "${pkgs[@]}"
echo "go test ${*:-./...}"
# Arguments, if any, replace the package list: scripts/test.sh -run TestX ./web/
go test -count=1 -timeout 8m "${@:-./...}"
