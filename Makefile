# The whole set-up is two commands: `make run` and `make test`. Each installs what a fresh Debian
# machine lacks (apt-get as root; otherwise one line saying what to install), starts the project-local
# PostgreSQL in .data/ unless DATABASE_URL is set, and applies the migrations with dbmate.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run
MAKEFLAGS += --no-print-directory

# dbmate: one already on PATH wins (other platforms install it their own way), else npm's binary.
DBMATE := $(or $(shell command -v dbmate 2>/dev/null),$(CURDIR)/node_modules/@dbmate/linux-x64/bin/dbmate)
# The database `make run` uses: DATABASE_URL from the environment or .env, else the local cluster.
APP_DB_URL = $$(db/database-url.sh)
GO_SOURCES := $(shell find . -name '*.go' -not -path './node_modules/*' -not -path './.data/*' 2>/dev/null)

.PHONY: run test build generate migrate deps tools chromium db-stop bench clean schema vendor-htmx

run: build migrate .env ## build and serve on http://localhost:$${PORT:-8080}
	@DATABASE_URL="$(APP_DB_URL)" ./bin/todo

build: bin/todo

bin/todo: generate $(GO_SOURCES) go.mod go.sum $(shell find static views db -type f 2>/dev/null)
	@go build -o bin/todo .

generate: deps ## templ components -> *_templ.go (committed; CI checks they are current)
	@go tool templ generate -log-level error

migrate: deps ## dbmate up against the app's database (no dump: the server may be a newer PostgreSQL)
	@DATABASE_URL="$(APP_DB_URL)" "$(DBMATE)" --wait --wait-timeout 20s --no-dump-schema up

.env: ## first run: a random BETTER_AUTH_SECRET, kept out of git
	@umask 077; printf '# local settings for make run (not committed)\nBETTER_AUTH_SECRET=%s\n' \
	  "$$(head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 48)" > .env
	@echo "created .env with a new BETTER_AUTH_SECRET"

deps: tools node_modules/.installed go.sum

tools:
	@scripts/need-os-packages.sh

node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --loglevel=error
	@touch $@

go.sum: go.mod
	@go mod download

chromium: ## what the browser suite and the HTML check need: Debian's chromium, a Java runtime for vnu
	@scripts/need-os-packages.sh chromium jre

# make test: vet, unit + integration tests against the local PostgreSQL (each package on its own
# scratch database cloned from a template made by dbmate), then the browser suite.
test: deps generate chromium
	@scripts/test.sh

bench: deps generate ## the performance benchmark against a minimal floor server (not part of make test)
	@scripts/bench.sh

db-stop:
	@db/dev-db.sh stop

clean:
	rm -rf bin

schema: deps ## regenerate db/schema.sql from db/migrations (dbmate's dump, on a scratch database)
	@url=$$(db/dev-db.sh todo_schema_dump); export DATABASE_URL=$$url; \
	  "$(DBMATE)" drop >/dev/null; "$(DBMATE)" up >/dev/null; "$(DBMATE)" drop >/dev/null; echo "wrote db/schema.sql"

vendor-htmx: node_modules/.installed ## copy the pinned htmx and its SSE extension from npm into static/ (committed, embedded)
	@cp node_modules/htmx.org/dist/htmx.min.js static/htmx.min.js
	@cp node_modules/htmx-ext-sse/dist/sse.min.js static/sse.min.js
