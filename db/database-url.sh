#!/usr/bin/env bash
# Prints the DATABASE_URL that `make run` uses: the environment's, else .env's, else the project-local
# cluster's (started on demand). With a URL given (e.g. Neon) no local database is started.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [ -n "${DATABASE_URL:-}" ]; then printf '%s\n' "$DATABASE_URL"; exit 0; fi
if [ -f "$root/.env" ]; then
  line=$(grep -E '^[[:space:]]*(export[[:space:]]+)?DATABASE_URL=' "$root/.env" | tail -n 1 || true)
  if [ -n "$line" ]; then
    v=${line#*DATABASE_URL=}; v=${v%\"}; v=${v#\"}; v=${v%\'}; v=${v#\'}
    printf '%s\n' "$v"; exit 0
  fi
fi
exec "$root/db/dev-db.sh" todo
