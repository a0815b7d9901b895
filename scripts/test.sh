#!/usr/bin/env bash
# make test: vet, then every Go test package (unit, integration, e2e) against the project-local
# PostgreSQL. The schema comes from dbmate once per run into a template database; each test clones it
# into a scratch database of its own (internal/pgtest), so packages and runs don't interfere.
set -euo pipefail
cd "$(dirname "$0")/.."
dbmate=$(command -v dbmate || echo "$PWD/node_modules/@dbmate/linux-x64/bin/dbmate")

template=todo_test_template
template_url=$(db/dev-db.sh "$template")
# Always rebuild the template from the migrations, and check the committed schema dump matches them.
DATABASE_URL="$template_url" "$dbmate" drop >/dev/null
check=$(mktemp --suffix=.sql)
trap 'rm -f "$check"' EXIT
DATABASE_URL="$template_url" "$dbmate" --schema-file "$check" up >/dev/null
if ! diff -u db/schema.sql "$check" >/dev/null; then
  diff -u db/schema.sql "$check" | head -40 >&2 || true
  echo "db/schema.sql is out of date with db/migrations: run 'make schema' and commit it" >&2
  exit 1
fi
if [ "${CI:-}" = true ] && ! git diff --quiet -- '*_templ.go' 2>/dev/null; then
  echo "templ generate changed *_templ.go: run 'go tool templ generate' and commit the result" >&2
  git diff --stat -- '*_templ.go' >&2
  exit 1
fi

export TEST_DATABASE_URL="$template_url" DBMATE="$dbmate"
export PLAYWRIGHT_NODEJS_PATH="${PLAYWRIGHT_NODEJS_PATH:-$(command -v node)}"
echo "go vet ./..."
go vet ./...
echo "go test ./..."
go test -count=1 -timeout 8m ./... "$@"
