package store_test

import (
	"errors"
	"net/url"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

// The owner of a call (exec.go): each statement run for a user sees that user's id as app.user_id,
// set in the same round trip and local to the statement's transaction, so the next statement on the
// same connection sees none.

// oneConnStore is a store whose pool has a single connection: every call below runs on the same
// backend, which is what a transaction-mode pooler does to consecutive statements of different users.
func oneConnStore(t *testing.T) *store.Store {
	t.Helper()
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", "1")
	u.RawQuery = q.Encode()
	return pgtest.OpenStore(t, u.String())
}

const seenOwner = `select coalesce(current_setting('app.user_id', true), ''), pg_backend_pid()`

func TestOwnerIsSetForItsStatementOnly(t *testing.T) {
	s := oneConnStore(t)
	var who string
	var pid, next int32

	// A read for alice sees alice; the next statement without an owner, on the same backend, sees none.
	if err := store.ReadAs(ctx, s, "alice", seenOwner, &who, &pid); err != nil {
		t.Fatal(err)
	}
	if who != "alice" {
		t.Fatalf("the statement for alice saw app.user_id = %q", who)
	}
	if err := store.ReadAs(ctx, s, "", seenOwner, &who, &next); err != nil {
		t.Fatal(err)
	}
	if next != pid {
		t.Fatalf("backend %d, then %d: the test needs one connection", pid, next)
	}
	if who != "" {
		t.Fatalf("the next statement on backend %d, run for nobody, saw app.user_id = %q", pid, who)
	}

	// A write for bob sees bob (it copies what it saw into a session setting, read back after it).
	if err := store.WriteAs(ctx, s, "bob",
		`select set_config('test.seen', coalesce(current_setting('app.user_id', true), ''), false)`); err != nil {
		t.Fatal(err)
	}
	var seen string
	if err := store.ReadAs(ctx, s, "", `select current_setting('test.seen'), coalesce(current_setting('app.user_id', true), ''), pg_backend_pid()`,
		&seen, &who, &next); err != nil {
		t.Fatal(err)
	}
	if seen != "bob" || who != "" || next != pid {
		t.Fatalf("the write for bob saw %q; after it, backend %d saw %q", seen, next, who)
	}

	// A transaction for carol sees carol; after it, nobody again.
	if err := store.InTxAs(ctx, s, "carol", seenOwner, &who, &next); err != nil {
		t.Fatal(err)
	}
	if who != "carol" || next != pid {
		t.Fatalf("the transaction for carol saw %q on backend %d", who, next)
	}
	if err := store.ReadAs(ctx, s, "", seenOwner, &who, &next); err != nil {
		t.Fatal(err)
	}
	if who != "" || next != pid {
		t.Fatalf("after carol's transaction, backend %d saw %q", next, who)
	}

	// A statement that fails takes its owner's setting with it.
	if err := store.ReadAs(ctx, s, "dave", `select 1/0, pg_backend_pid()`, new(int), &next); err == nil {
		t.Fatal("1/0 did not fail")
	}
	if err := store.ReadAs(ctx, s, "", seenOwner, &who, &next); err != nil {
		t.Fatal(err)
	}
	if who != "" || next != pid {
		t.Fatalf("after dave's failed statement, backend %d saw %q", next, who)
	}
}

// TestEveryStoreStatementRunsForItsOwner runs every statement of the store that touches a user's data
// as the app's own role, which the migrations' row-level security holds to the rows of app.user_id:
// each must still work, so each names its owner. A statement that names none sees nothing.
func TestEveryStoreStatementRunsForItsOwner(t *testing.T) {
	s := newStore(t)
	admin := pgtest.AdminOf(t, s)
	var super, bypass bool
	if err := s.Pool().QueryRow(ctx, `select rolsuper, rolbypassrls from pg_roles where rolname = current_user`).Scan(&super, &bypass); err != nil || super || bypass {
		t.Fatalf("the tests' role must be held to row-level security: superuser %v, bypassrls %v (%v)", super, bypass, err)
	}

	alice, bob := newUser(t, s, "Alice"), newUser(t, s, "Bob")
	tasks := s.Tasks(alice)
	a := create(t, tasks, "one")
	create(t, tasks, "two")
	create(t, s.Tasks(bob), "bob's")
	if _, err := tasks.Toggle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := tasks.Update(ctx, a.ID, todo.Input{Title: "one, edited"}); err != nil || got.Title != "one, edited" {
		t.Fatalf("update: %+v %v", got, err)
	}
	if got, err := tasks.Get(ctx, a.ID); err != nil || !got.Completed {
		t.Fatalf("get: %+v %v", got, err)
	}
	page, err := tasks.List(ctx, store.ListOptions{})
	if err != nil || len(page.Tasks) != 2 || page.Counts != (todo.Counts{Active: 1, Completed: 1}) {
		t.Fatalf("list: %+v %v", page, err)
	}
	if c, err := tasks.Counts(ctx); err != nil || c != (todo.Counts{Active: 1, Completed: 1}) {
		t.Fatalf("counts: %+v %v", c, err)
	}
	token := newSession(t, s, alice)
	se, err := s.SessionByToken(ctx, token)
	if err != nil || se.UserID != alice {
		t.Fatalf("the session: %+v %v", se, err)
	}
	if u, err := tasks.SetAllCompleted(ctx, nil); err != nil || !u.Completed || u.Tasks != 1 {
		t.Fatalf("toggle all: %v %d %v", u.Completed, u.Tasks, err)
	}
	if u, err := tasks.ClearCompletedUndoable(ctx); err != nil || u.Tasks != 2 {
		t.Fatalf("clear completed: %d %v", u.Tasks, err)
	}
	b := create(t, tasks, "three")
	if err := tasks.Delete(ctx, b.ID); err != nil {
		t.Fatal(err)
	}

	// The same pool, a statement for nobody: row-level security shows it nothing.
	var n int
	if err := store.ReadAs(ctx, s, "", `select count(*) from tasks`, &n); err != nil || n != 0 {
		t.Fatalf("a statement without an owner counted %d tasks (%v), want 0", n, err)
	}
	if err := store.ReadAs(ctx, s, bob, `select count(*) from tasks`, &n); err != nil || n != 1 {
		t.Fatalf("a statement for bob counted %d tasks (%v), want his 1", n, err)
	}
	// And deleting the account still removes everything (the cascade is not subject to the policies).
	if err := s.DeleteUser(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if err := admin.QueryRow(ctx, `select count(*) from tasks where user_id = $1`, bob).Scan(&n); err != nil || n != 1 {
		t.Fatalf("bob's tasks after alice left: %d %v", n, err)
	}
}

func TestWriteForAUserDeletedMeanwhileIsUserGone(t *testing.T) {
	s := newStore(t)
	id := newUser(t, s, "Gone")
	if err := s.DeleteUser(ctx, id); err != nil {
		t.Fatal(err)
	}
	// What a request that read the session just before the account was deleted goes on to do.
	if _, err := s.Tasks(id).Create(ctx, todo.Input{Title: "too late"}); !errors.Is(err, todo.ErrUserGone) {
		t.Errorf("create for a deleted user: %v, want todo.ErrUserGone", err)
	}
	err := s.CreateSession(ctx, store.Session{ID: auth.NewID(), Token: auth.NewID(), UserID: id,
		ExpiresAt: time.Now().Add(time.Hour)})
	if !errors.Is(err, todo.ErrUserGone) {
		t.Errorf("session for a deleted user: %v, want todo.ErrUserGone", err)
	}
	if _, err := s.Tasks(id).Toggle(ctx, 1); !errors.Is(err, todo.ErrNotFound) {
		t.Errorf("toggle for a deleted user: %v, want todo.ErrNotFound", err)
	}
}
