package store_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

// Fault tests of the statement timeout and the retry rule (exec.go), on the real database: a query
// that runs too long is cancelled on the server, a read whose connection is killed under it is retried
// once on another connection, and a write is not.

func faultUser(t *testing.T, s *store.Store) string {
	t.Helper()
	u, err := s.CreateUser(context.Background(), store.NewUser{
		UserID: auth.NewID(), AccountID: auth.NewID(), Name: "Fault",
		Email: "fault-" + strings.ToLower(auth.NewID()[:8]) + "@example.test", PasswordHash: "x:y",
	})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// waitFor polls cond every 10 ms until it is true or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestStatementTimeoutCancelsTheQueryOnTheServer(t *testing.T) {
	// Without an owner the statement goes alone; with one, in a batch after the owner's setting.
	t.Run("no owner", func(t *testing.T) { statementTimeoutCancels(t, false) })
	t.Run("owner", func(t *testing.T) { statementTimeoutCancels(t, true) })
}

func statementTimeoutCancels(t *testing.T, withOwner bool) {
	url := pgtest.NewDatabase(t)
	s := pgtest.OpenStore(t, url)
	store.SetStatementTimeout(s, 300*time.Millisecond)
	admin := pgtest.Pool(t, url)
	ctx := context.Background()
	owner := ""
	if withOwner {
		owner = faultUser(t, s)
	}

	var before, after int32
	if err := s.Pool().QueryRow(ctx, "select pg_backend_pid()").Scan(&before); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err := store.WriteAs(ctx, s, owner, "select pg_sleep(30)")
	took := time.Since(start)
	t.Logf("pg_sleep(30) under a 300ms statement timeout returned after %v: %v", took.Round(time.Millisecond), err)
	if !errors.Is(err, todo.ErrUnavailable) {
		t.Fatalf("err = %v, want todo.ErrUnavailable", err)
	}
	if took > 1500*time.Millisecond {
		t.Fatalf("took %v, want about the 300ms timeout", took)
	}
	var sleeping int
	if err := admin.QueryRow(ctx, `select count(*) from pg_stat_activity
		where datname = current_database() and state = 'active' and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`).
		Scan(&sleeping); err != nil {
		t.Fatal(err)
	}
	if sleeping != 0 {
		t.Fatalf("the query still runs on the server after the timeout (%d backends)", sleeping)
	}
	// The server cancelled the statement (57014) rather than the client cutting the socket: the very
	// same connection serves the next query.
	if err := s.Pool().QueryRow(ctx, "select pg_backend_pid()").Scan(&after); err != nil {
		t.Fatal(err)
	}
	if before != after {
		t.Fatalf("backend pid %d before, %d after: the connection was thrown away instead of the query cancelled", before, after)
	}
}

// lockTasks holds an ACCESS EXCLUSIVE lock on tasks until the returned function is called, so that
// any statement on tasks waits and can be found (and killed) in pg_stat_activity.
func lockTasks(t *testing.T, admin *pgxpool.Pool) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := admin.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "lock table tasks in access exclusive mode"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			if err := tx.Commit(ctx); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(release)
	return release
}

// waitingBackend is the pid of a backend of this database waiting for a lock, other than skip.
func waitingBackend(t *testing.T, admin *pgxpool.Pool, skip int32) (pid int32) {
	t.Helper()
	waitFor(t, "a statement waiting on the lock", func() bool {
		err := admin.QueryRow(context.Background(), `select pid from pg_stat_activity
			where datname = current_database() and wait_event_type = 'Lock' and pid <> $1 limit 1`, skip).Scan(&pid)
		return err == nil
	})
	return pid
}

func terminate(t *testing.T, admin *pgxpool.Pool, pid int32) {
	t.Helper()
	if _, err := admin.Exec(context.Background(), "select pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
}

func TestReadIsRetriedOnAnotherConnectionWhenItsConnectionIsKilled(t *testing.T) {
	url := pgtest.NewDatabase(t)
	s := pgtest.OpenStore(t, url)
	admin := pgtest.Pool(t, url)
	tasks := s.Tasks(faultUser(t, s))
	ctx := context.Background()
	k, err := tasks.Create(ctx, todo.Input{Title: "survives"})
	if err != nil {
		t.Fatal(err)
	}

	release := lockTasks(t, admin)
	got := make(chan error, 1)
	go func() {
		g, err := tasks.Get(ctx, k.ID)
		if err == nil && g.Title != "survives" {
			err = fmt.Errorf("got %+v", g)
		}
		got <- err
	}()
	first := waitingBackend(t, admin, 0)
	terminate(t, admin, first)
	// The retry waits on the same lock, from another backend.
	second := waitingBackend(t, admin, first)
	release()
	if err := <-got; err != nil {
		t.Fatalf("read after its backend %d was killed: %v (retried on %d)", first, err, second)
	}
	t.Logf("read killed on backend %d was retried on backend %d and succeeded", first, second)
}

func TestWriteIsNotRetriedWhenItsConnectionIsKilled(t *testing.T) {
	url := pgtest.NewDatabase(t)
	s := pgtest.OpenStore(t, url)
	admin := pgtest.Pool(t, url)
	tasks := s.Tasks(faultUser(t, s))
	ctx := context.Background()

	release := lockTasks(t, admin)
	got := make(chan error, 1)
	go func() {
		_, err := tasks.Create(ctx, todo.Input{Title: "at most once"})
		got <- err
	}()
	first := waitingBackend(t, admin, 0)
	terminate(t, admin, first)
	err := <-got
	release()
	if !errors.Is(err, todo.ErrUnavailable) {
		t.Fatalf("write whose backend was killed: err = %v, want todo.ErrUnavailable (503)", err)
	}
	var n int
	if err := admin.QueryRow(ctx, "select count(*) from tasks").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d rows written by a write that was reported as failed and must not be retried", n)
	}
}

func TestClassifyMakesBrokenConnectionsUnavailable(t *testing.T) {
	for _, err := range []error{
		io.ErrUnexpectedEOF,
		fmt.Errorf("read: %w", io.EOF),
		&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")},
		&pgconn.PgError{Severity: "FATAL", Code: "57P01", Message: "terminating connection due to administrator command"},
		&pgconn.PgError{Severity: "ERROR", Code: "57014", Message: "canceling statement due to user request"},
		context.DeadlineExceeded,
	} {
		if got := store.Classify(err); !errors.Is(got, todo.ErrUnavailable) {
			t.Errorf("classify(%v) = %v, want todo.ErrUnavailable", err, got)
		}
	}
	if got := store.Classify(context.Canceled); errors.Is(got, todo.ErrUnavailable) {
		t.Errorf("a request the client abandoned is not the database's fault: %v", got)
	}
}
