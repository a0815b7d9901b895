// Package db_test checks the dbmate migrations with the real dbmate binary (DBMATE, set by make test).
package db_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"todo/internal/pgtest"
)

func dbmate(t *testing.T, databaseURL string, args ...string) (string, error) {
	t.Helper()
	bin := os.Getenv("DBMATE")
	if bin == "" {
		t.Fatal("DBMATE is not set: run the tests with `make test`")
	}
	if !slices.Contains(args, "--migrations-dir") { // dbmate reads every --migrations-dir it is given
		args = append([]string{"--migrations-dir", "migrations"}, args...)
	}
	cmd := exec.Command(bin, append([]string{"--no-dump-schema"}, args...)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// schemaOf lists the tables, columns, indexes, constraints, functions and triggers of the public schema.
func schemaOf(t *testing.T, databaseURL string) string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), `
		select 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
		  from information_schema.columns where table_schema = 'public'
		union all select 'index ' || indexdef from pg_indexes where schemaname = 'public'
		union all select 'constraint ' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint
		  where connamespace = 'public'::regnamespace
		union all select 'function ' || proname from pg_proc where pronamespace = 'public'::regnamespace
		union all select 'trigger ' || tgname from pg_trigger where not tgisinternal
		order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

func migrationFiles(t *testing.T) []string {
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations found: %v", err)
	}
	return files
}

// Up on an empty database, rollback of every migration down to nothing, and up again.
func TestMigrationsGoUpAndAllTheWayDown(t *testing.T) {
	url := pgtest.NewEmptyDatabase(t)
	migrations := len(migrationFiles(t))
	if out, err := dbmate(t, url, "up"); err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	full := schemaOf(t, url)
	for _, table := range []string{"users", "sessions", "accounts", "verifications", "tasks", "task_counts"} {
		if !strings.Contains(full, "column "+table+".") {
			t.Fatalf("table %s missing after up", table)
		}
	}
	for i := range migrations {
		if out, err := dbmate(t, url, "rollback"); err != nil {
			t.Fatalf("rollback %d: %v\n%s", i+1, err, out)
		}
	}
	if left := schemaOf(t, url); strings.Contains(left, "column ") && !onlyMigrationsTable(left) {
		t.Fatalf("after rolling back every migration, left:\n%s", left)
	}
	if out, err := dbmate(t, url, "up"); err != nil {
		t.Fatalf("up again: %v\n%s", err, out)
	}
	if again := schemaOf(t, url); again != full {
		t.Fatalf("schema after down and up differs:\n%s\n---\n%s", full, again)
	}
}

func onlyMigrationsTable(schema string) bool {
	for _, line := range strings.Split(schema, "\n") {
		if line != "" && !strings.Contains(line, "schema_migrations") {
			return false
		}
	}
	return true
}

// A migration that fails half-way leaves the schema as it was: PostgreSQL's DDL is transactional and
// dbmate runs each migration in a transaction. dbmate's exit code, not its output, tells the failure.
func TestAFailingMigrationLeavesTheSchemaUnchanged(t *testing.T) {
	url := pgtest.NewEmptyDatabase(t)
	dir := t.TempDir()
	for _, f := range migrationFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644)
	}
	if out, err := dbmate(t, url, "--migrations-dir", dir, "up"); err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	before := schemaOf(t, url)
	bad := `-- migrate:up
alter table tasks add column priority int not null default 0;
create index tasks_priority_idx on tasks (priority);
select 1 / 0;
-- migrate:down
alter table tasks drop column priority;
`
	os.WriteFile(filepath.Join(dir, "29991231000000_broken.sql"), []byte(bad), 0o644)
	out, err := dbmate(t, url, "--migrations-dir", dir, "up")
	if err == nil {
		t.Fatalf("a failing migration exited 0:\n%s", out)
	}
	if after := schemaOf(t, url); after != before {
		t.Fatalf("the failed migration changed the schema:\n%s", after)
	}
	conn, _ := pgx.Connect(context.Background(), url)
	defer conn.Close(context.Background())
	var recorded int
	conn.QueryRow(context.Background(), `select count(*) from schema_migrations where version = '29991231000000'`).Scan(&recorded)
	if recorded != 0 {
		t.Fatal("the failed migration was recorded as applied")
	}
}
