package store_test

import (
	"errors"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// rowsOf is every task row of the user as the database holds it, all columns, and the user's counts:
// what an undo must bring back exactly.
func rowsOf(t *testing.T, s *store.Store, userID string) string {
	t.Helper()
	var d string
	if err := pgtest.AdminOf(t, s).QueryRow(ctx, `select
		coalesce((select string_agg(to_jsonb(x)::text, '|' order by x.id) from tasks x where user_id = $1), '') || '#' ||
		coalesce((select active || '/' || completed from task_counts where user_id = $1), '')`, userID).Scan(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

// rowsWithoutUpdatedAt is rowsOf without updated_at and the version, which a flag set back moves (as
// any update does).
func rowsWithoutUpdatedAt(t *testing.T, s *store.Store, userID string) string {
	t.Helper()
	var d string
	if err := pgtest.AdminOf(t, s).QueryRow(ctx, `select
		coalesce((select string_agg((to_jsonb(x) - 'updated_at' - 'version')::text, '|' order by x.id) from tasks x where user_id = $1), '') || '#' ||
		coalesce((select active || '/' || completed from task_counts where user_id = $1), '')`, userID).Scan(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

func undoRecords(t *testing.T, s *store.Store, userID string) int {
	t.Helper()
	var n int
	if err := pgtest.AdminOf(t, s).QueryRow(ctx, `select count(*) from task_undo where user_id = $1`, userID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func seedTasks(t *testing.T, tasks store.Tasks) []todo.Task {
	t.Helper()
	var out []todo.Task
	for i, title := range []string{"one", "two", "three", "four"} {
		k, err := tasks.Create(ctx, todo.Input{Title: title, Description: "notes of " + title})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if k, err = tasks.Toggle(ctx, k.ID); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, k)
	}
	return out
}

// Every undoable action, undone, leaves the rows and counts exactly as before; a second undo, and
// another user's, change nothing.
func TestUndoRestoresExactly(t *testing.T) {
	s := newStore(t)
	alice, bob := newUser(t, s, "Alice"), newUser(t, s, "Bob")
	tasks, bobs := s.Tasks(alice), s.Tasks(bob)
	ks := seedTasks(t, tasks)
	create(t, bobs, "bob's own")
	bobBefore := rowsOf(t, s, bob)

	actions := []struct {
		name  string
		do    func() (todo.Undo, error)
		count int
		exact bool // every column, updated_at included
	}{
		{"delete one", func() (todo.Undo, error) { return tasks.DeleteUndoable(ctx, ks[1].ID) }, 1, true},
		{"clear completed", func() (todo.Undo, error) { return tasks.ClearCompletedUndoable(ctx) }, 2, true},
		{"mark all complete", func() (todo.Undo, error) { v := true; return tasks.SetAllCompleted(ctx, &v) }, 2, false},
		{"mark all active", func() (todo.Undo, error) { v := false; return tasks.SetAllCompleted(ctx, &v) }, 2, false},
		{"flip all", func() (todo.Undo, error) { return tasks.SetAllCompleted(ctx, nil) }, 2, false},
	}
	for _, a := range actions {
		before, loose := rowsOf(t, s, alice), rowsWithoutUpdatedAt(t, s, alice)
		u, err := a.do()
		if err != nil {
			t.Fatalf("%s: %v", a.name, err)
		}
		if u.ID == 0 || u.Tasks != a.count {
			t.Fatalf("%s: undo %+v, want a record of %d tasks", a.name, u, a.count)
		}
		if rowsOf(t, s, alice) == before {
			t.Fatalf("%s changed nothing", a.name)
		}
		if _, err := bobs.Undo(ctx, u.ID); !errors.Is(err, todo.ErrNoUndo) || !errors.Is(err, todo.ErrNotFound) {
			t.Fatalf("%s: Bob undoing Alice's action: %v, want ErrNoUndo", a.name, err)
		}
		done, err := tasks.Undo(ctx, u.ID)
		if err != nil || done.Tasks != a.count || done.Action != u.Action {
			t.Fatalf("%s: undo: %+v, %v", a.name, done, err)
		}
		if a.exact {
			if got := rowsOf(t, s, alice); got != before {
				t.Fatalf("%s undone:\n got %s\nwant %s", a.name, got, before)
			}
		} else if got := rowsWithoutUpdatedAt(t, s, alice); got != loose {
			t.Fatalf("%s undone:\n got %s\nwant %s", a.name, got, loose)
		}
		after := rowsOf(t, s, alice)
		if _, err := tasks.Undo(ctx, u.ID); !errors.Is(err, todo.ErrNoUndo) {
			t.Fatalf("%s: undone twice: %v, want ErrNoUndo", a.name, err)
		}
		if rowsOf(t, s, alice) != after {
			t.Fatalf("%s: the second undo changed something", a.name)
		}
	}
	if rowsOf(t, s, bob) != bobBefore {
		t.Fatal("Bob's tasks changed")
	}

	// A bulk action that changes nothing keeps a record that undoes nothing; deleting a task that is
	// not there is not found, and keeps none.
	active := false
	if _, err := tasks.SetAllCompleted(ctx, &active); err != nil {
		t.Fatal(err)
	}
	same := rowsOf(t, s, alice)
	u, err := tasks.SetAllCompleted(ctx, &active)
	if err != nil || u.ID == 0 || u.Tasks != 0 {
		t.Fatalf("setting the state every task has: %+v, %v, want an empty record", u, err)
	}
	if done, err := tasks.Undo(ctx, u.ID); err != nil || done.Tasks != 0 || rowsOf(t, s, alice) != same {
		t.Fatalf("undoing nothing: %+v, %v", done, err)
	}
	records := undoRecords(t, s, alice)
	if _, err := tasks.DeleteUndoable(ctx, ks[0].ID+1000); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("deleting a missing task: %v", err)
	}
	if _, err := bobs.DeleteUndoable(ctx, ks[0].ID); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("Bob deleting Alice's task: %v", err)
	}
	if n := undoRecords(t, s, alice); n != records {
		t.Fatalf("a delete of nothing kept a record (%d, was %d)", n, records)
	}
}

// Nothing lingers: an expired record cannot be undone, the owner's next action deletes it, a user
// keeps at most todo.UndoKeep records, and the sweep (run for no user) deletes every expired record
// of every user and no live one.
func TestUndoRecordsExpire(t *testing.T) {
	s := newStore(t)
	admin := pgtest.AdminOf(t, s)
	alice, bob := newUser(t, s, "Alice"), newUser(t, s, "Bob")
	tasks, bobs := s.Tasks(alice), s.Tasks(bob)
	var last todo.Undo
	for i := range todo.UndoKeep + 5 {
		k := create(t, tasks, "task "+string(rune('a'+i)))
		u, err := tasks.DeleteUndoable(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		last = u
	}
	if n := undoRecords(t, s, alice); n != todo.UndoKeep {
		t.Fatalf("%d undo records kept, want the newest %d", n, todo.UndoKeep)
	}
	bobTask := create(t, bobs, "bob's")
	bobUndo, err := bobs.DeleteUndoable(ctx, bobTask.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `update task_undo set expires_at = now() - interval '1 second' where user_id = $1`, alice); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExpiredUndo(ctx)
	if err != nil || n != int64(todo.UndoKeep) {
		t.Fatalf("sweep: %d deleted, %v; want %d", n, err, todo.UndoKeep)
	}
	if undoRecords(t, s, alice) != 0 || undoRecords(t, s, bob) != 1 {
		t.Fatalf("after the sweep Alice has %d records, Bob %d; want 0 and 1", undoRecords(t, s, alice), undoRecords(t, s, bob))
	}
	if _, err := tasks.Undo(ctx, last.ID); !errors.Is(err, todo.ErrNoUndo) {
		t.Fatalf("undoing a swept record: %v, want ErrNoUndo", err)
	}
	// An expired record still there cannot be undone, and the owner's call deletes it.
	if _, err := admin.Exec(ctx, `update task_undo set expires_at = now() - interval '1 second' where user_id = $1`, bob); err != nil {
		t.Fatal(err)
	}
	if _, err := bobs.Undo(ctx, bobUndo.ID); !errors.Is(err, todo.ErrNoUndo) {
		t.Fatalf("undoing an expired record: %v, want ErrNoUndo", err)
	}
	if n := undoRecords(t, s, bob); n != 0 {
		t.Fatalf("Bob's expired record outlived his next call (%d left)", n)
	}
	if c, err := bobs.Counts(ctx); err != nil || c.Total() != 0 {
		t.Fatalf("Bob's counts after an expired undo: %+v, %v", c, err)
	}
}

// LastPage is where the newest page of each list starts.
func TestLastPage(t *testing.T) {
	s := newStore(t)
	tasks := s.Tasks(newUser(t, s, "Ann"))
	var ks []todo.Task
	for i := range todo.PageSize + 5 {
		k := create(t, tasks, "task")
		if i%2 == 0 {
			k, _ = tasks.Toggle(ctx, k.ID)
		}
		ks = append(ks, k)
	}
	all, err := tasks.LastPage(ctx, todo.All)
	if err != nil || all != ks[4].ID {
		t.Fatalf("LastPage(All) = %d, %v; want %d", all, err, ks[4].ID)
	}
	page, err := tasks.List(ctx, store.ListOptions{After: all})
	if err != nil || len(page.Tasks) != todo.PageSize || page.Next != (todo.Keyset{}) {
		t.Fatalf("the last page has %d tasks, next %v (%v)", len(page.Tasks), page.Next, err)
	}
	if active, err := tasks.LastPage(ctx, todo.Active); err != nil || active != 0 {
		t.Fatalf("LastPage(Active) = %d, %v; want 0 (52 active tasks fit a page)", active, err)
	}
}
