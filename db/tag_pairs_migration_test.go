package db_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"todo/internal/pgtest"
)

// The migration that lets a tag's pairs carry their tasks' columns fills them in for the tasks that
// exist, every user's, although the migration runs as the app's role, which row-level security
// holds to one user's rows.
func TestTagPairsGetTheColumnsOfExistingTasks(t *testing.T) {
	const carry = "20261207000001_task_tags_carry_the_list.sql"
	before := t.TempDir()
	for _, f := range migrationFiles(t) {
		if filepath.Base(f) >= carry {
			continue
		}
		abs, err := filepath.Abs(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(abs, filepath.Join(before, filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	url := pgtest.NewEmptyDatabase(t)
	if out, err := dbmate(t, url, "--migrations-dir", before, "up"); err != nil {
		t.Fatalf("up to before the migration: %v\n%s", err, out)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, user := range []string{"ann", "bob"} {
		for _, sql := range []string{
			`select set_config('app.user_id', $1, false)`,
			`insert into users (id, name, email, email_verified) values ($1, $1, $1 || '@example.com', true)`,
			`insert into tasks (user_id, title, description, due_date, priority, tags)
			 values ($1, 'Call ' || $1, 'About the trip', '2027-01-05', 3, array['work', 'phone'])`,
		} {
			if _, err := conn.Exec(ctx, sql, user); err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
		}
	}
	if out, err := dbmate(t, url, "up"); err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	for _, user := range []string{"ann", "bob"} {
		if _, err := conn.Exec(ctx, `select set_config('app.user_id', $1, false)`, user); err != nil {
			t.Fatal(err)
		}
		var pairs, carried int
		if err := conn.QueryRow(ctx, `select count(*), count(*) filter (where g.title = t.title and g.description = t.description
			and g.due_date = t.due_date and g.priority = t.priority and g.tags = t.tags and g.created_at = t.created_at
			and g.updated_at = t.updated_at and g.title_key = t.title_key and g.completed = t.completed)
			from task_tags g join tasks t on t.user_id = g.user_id and t.id = g.task_id`).Scan(&pairs, &carried); err != nil {
			t.Fatal(err)
		}
		if pairs != 2 || carried != 2 {
			t.Fatalf("%s's tag pairs: %d, %d of them with their task's columns; want 2 and 2", user, pairs, carried)
		}
	}
}
