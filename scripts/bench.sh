#!/usr/bin/env bash
# make bench: the performance benchmark (bench/). Builds the app and the benchmark, seeds a
# fresh scratch database on the project-local PostgreSQL (todo_bench, dropped afterwards) and prints
# the table of app/floor ratios. About a minute and a half. Arguments go to the benchmark:
#   scripts/bench.sh -rounds 10 -round 3s    longer, steadier (or: BENCH_ROUNDS=10 BENCH_ROUND=3s make bench)
#   BENCH_PROFILE=1 make bench                then CPU profiles of the app and the floor under P1 and P3
#                                             load (bin/bench-cpu*.prof) and the top of each
#   scripts/bench.sh -h                       every option
set -euo pipefail
cd "$(dirname "$0")/.."
dbmate=$(command -v dbmate || echo "$PWD/node_modules/@dbmate/linux-x64/bin/dbmate")

url=$(db/dev-db.sh todo_bench)
export DATABASE_URL="$url"
"$dbmate" drop >/dev/null 2>&1 || true # left over from an interrupted run
"$dbmate" --no-dump-schema up >/dev/null
tmp=$(mktemp -d)
trap 'DATABASE_URL="$url" "$dbmate" drop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

go build -o "$tmp/todo" .
go build -o "$tmp/bench" ./bench
if [ "${BENCH_PROFILE:-}" = 1 ]; then
  mkdir -p bin
  export BENCH_PROFILE="$PWD/bin/bench-cpu.prof"
fi
# The app connects as the app's role (row-level security holds for it); seeding many users at once
# and making the floor's role (which skips the policies) take the superuser.
"$tmp/bench" -app "$tmp/todo" -database-url "$url" -admin-database-url "$(db/dev-db.sh --admin todo_bench)" "$@"

# The JSON API's JWT path: one EdDSA verification (parse, key lookup, signature, claims), a Go
# benchmark that needs no database.
echo
echo "JWT verification (api.BenchmarkVerifyJWT):"
go test -run '^$' -bench BenchmarkVerifyJWT -benchtime 5000x ./api/ | awk '/^BenchmarkVerifyJWT/ { printf "  %.1f µs per verification, %s B and %s allocations\n", $3/1000, $5, $7 }'
