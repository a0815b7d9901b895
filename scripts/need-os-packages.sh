#!/usr/bin/env bash
# Makes sure the OS packages the project needs are present: as root it installs the missing ones with
# apt-get; otherwise it stops with one line naming what to install.
#   scripts/need-os-packages.sh              base tools: node/npm, PostgreSQL server and client
#   scripts/need-os-packages.sh chromium jre the browser for the e2e suite (Debian's, never a download)
#                                            and a Java runtime for the Nu HTML Checker (npm's vnu-jar)
set -euo pipefail
missing=()
have() { command -v "$1" >/dev/null 2>&1; }
pg_server() { have initdb || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; }
if [ $# -gt 0 ]; then
  for what in "$@"; do
    case "$what" in
      chromium) [ -x /usr/bin/chromium ] || missing+=(chromium) ;;
      jre) have java || missing+=(default-jre-headless) ;;
      *) echo "need-os-packages.sh: unknown set $what" >&2; exit 2 ;;
    esac
  done
else
  have go || { echo "need Go 1.26+: install it from the Go toolchain (go.dev/dl) and put it on PATH" >&2; exit 1; }
  have node || missing+=(nodejs)
  have npm || missing+=(npm)
  pg_server || missing+=(postgresql)
  have pg_dump || missing+=(postgresql-client)
fi
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && have apt-get; then
  echo "installing ${missing[*]} (apt-get)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
else
  echo "missing OS packages: please run: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
