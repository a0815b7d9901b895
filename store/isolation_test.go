package store_test

import (
	"errors"
	"slices"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// Two users, every store function: each sees and changes only their own tasks, and the other's task
// ids are not found, exactly like ids that don't exist.
func TestTwoUsersSeeOnlyTheirOwnTasks(t *testing.T) {
	s := newStore(t)
	alice, bob := s.Tasks(newUser(t, s, "Alice")), s.Tasks(newUser(t, s, "Bob"))

	a1 := create(t, alice, "alice one")
	a2 := create(t, alice, "alice two")
	b1 := create(t, bob, "bob one")
	if _, err := alice.Toggle(ctx, a2.ID); err != nil {
		t.Fatal(err)
	}

	for _, f := range []todo.Filter{todo.All, todo.Active, todo.Completed} {
		pa, err := alice.List(ctx, store.ListOptions{Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		pb, err := bob.List(ctx, store.ListOptions{Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range pa.Tasks {
			if k.ID == b1.ID {
				t.Errorf("filter %d: Alice's list shows Bob's task", f)
			}
		}
		for _, k := range pb.Tasks {
			if k.ID == a1.ID || k.ID == a2.ID {
				t.Errorf("filter %d: Bob's list shows Alice's task", f)
			}
		}
		if pa.Counts != (todo.Counts{Active: 1, Completed: 1}) || pb.Counts != (todo.Counts{Active: 1}) {
			t.Errorf("filter %d: counts alice=%+v bob=%+v", f, pa.Counts, pb.Counts)
		}
	}
	if c, _ := bob.Counts(ctx); c != (todo.Counts{Active: 1}) {
		t.Errorf("Bob's counts = %+v", c)
	}

	// Bob aims at Alice's task ids; the same answers as for an id that does not exist.
	for _, id := range []int64{a1.ID, a2.ID, 987654321} {
		if _, err := bob.Get(ctx, id); !errors.Is(err, todo.ErrNotFound) {
			t.Errorf("Get(%d) = %v, want todo.ErrNotFound", id, err)
		}
		if _, err := bob.Update(ctx, id, todo.Input{Title: "hijacked"}); !errors.Is(err, todo.ErrNotFound) {
			t.Errorf("Update(%d) = %v, want todo.ErrNotFound", id, err)
		}
		if _, err := bob.Toggle(ctx, id); !errors.Is(err, todo.ErrNotFound) {
			t.Errorf("Toggle(%d) = %v, want todo.ErrNotFound", id, err)
		}
		if err := bob.Delete(ctx, id); !errors.Is(err, todo.ErrNotFound) {
			t.Errorf("Delete(%d) = %v, want todo.ErrNotFound", id, err)
		}
	}
	// Bulk operations of Bob's touch only Bob's rows.
	if _, err := bob.SetAllCompleted(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if u, err := bob.ClearCompletedUndoable(ctx); err != nil || u.Tasks != 1 {
		t.Fatalf("Bob clears completed: %d, %v; want 1 (his own one task)", u.Tasks, err)
	}

	// Alice's tasks are exactly as she left them.
	got, err := alice.List(ctx, store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(titles(got.Tasks), []string{"alice one", "alice two"}) || got.Tasks[0].Completed || !got.Tasks[1].Completed {
		t.Fatalf("Alice's tasks changed: %+v", got.Tasks)
	}
	if k, err := alice.Get(ctx, a1.ID); err != nil || k.Title != "alice one" {
		t.Fatalf("Alice Get = %+v, %v", k, err)
	}
}

func TestEmptyUserIDOwnsNothing(t *testing.T) {
	s := newStore(t)
	k := create(t, s.Tasks(newUser(t, s, "Owner")), "mine")
	nobody := s.Tasks("")
	if _, err := nobody.Get(ctx, k.ID); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("Get with empty user id = %v", err)
	}
	if _, err := nobody.Create(ctx, todo.Input{Title: "orphan"}); err == nil {
		t.Fatal("a task was created for the empty user id")
	}
}

func TestDeletingAUserRemovesTheirTasksAndSessions(t *testing.T) {
	s := newStore(t)
	gone, stays := newUser(t, s, "Gone"), newUser(t, s, "Stays")
	create(t, s.Tasks(gone), "a")
	create(t, s.Tasks(gone), "b")
	kept := create(t, s.Tasks(stays), "kept")
	token := newSession(t, s, gone)

	if err := s.DeleteUser(ctx, gone); err != nil {
		t.Fatal(err)
	}
	var tasks, sessions, accounts int
	err := pgtest.AdminOf(t, s).QueryRow(ctx, `select (select count(*) from tasks where user_id = $1),
		(select count(*) from sessions where user_id = $1), (select count(*) from accounts where user_id = $1)`,
		gone).Scan(&tasks, &sessions, &accounts)
	if err != nil {
		t.Fatal(err)
	}
	if tasks+sessions+accounts != 0 {
		t.Fatalf("left behind: %d tasks, %d sessions, %d accounts", tasks, sessions, accounts)
	}
	if _, err := s.SessionByToken(ctx, token); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("session of a deleted user: %v", err)
	}
	if _, err := s.Tasks(stays).Get(ctx, kept.ID); err != nil {
		t.Fatalf("the other user's task: %v", err)
	}
	if err := s.DeleteUser(ctx, gone); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("second delete = %v", err)
	}
}
