package store_test

import (
	"errors"
	"net/url"
	"sync"
	"testing"
	"time"

	"todo/internal/faultproxy"
	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// The wait for a pool connection (exec.go, acquire): short while every connection is busy with a
// statement, as long as it takes while connections are being opened.

// storeWithConns opens a store of at most n connections on dbURL (through a proxy, if given).
func storeWithConns(t *testing.T, dbURL string, n string) *store.Store {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("pool_max_conns", n)
	u.RawQuery = q.Encode()
	return pgtest.OpenStore(t, u.String())
}

func TestWaitForABusyPoolIsBounded(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	s := storeWithConns(t, dbURL, "2")
	store.SetStatementTimeout(s, 3*time.Second)
	admin := pgtest.Pool(t, dbURL)
	tasks := s.Tasks(faultUser(t, s))
	k := create(t, tasks, "locked")

	release := lockTasks(t, admin)
	var wg sync.WaitGroup
	held := make([]time.Duration, 2)
	for i := range held {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			if _, err := tasks.Get(ctx, k.ID); !errors.Is(err, todo.ErrUnavailable) {
				t.Errorf("read waiting on the lock: %v, want todo.ErrUnavailable", err)
			}
			held[i] = time.Since(start)
		}()
	}
	first := waitingBackend(t, admin, 0)
	waitFor(t, "both connections waiting on the lock", func() bool {
		var n int
		admin.QueryRow(ctx, `select count(*) from pg_stat_activity where datname = current_database()
			and wait_event_type = 'Lock'`).Scan(&n)
		return n == 2
	})
	start := time.Now()
	_, err := tasks.Get(ctx, k.ID)
	waited := time.Since(start)
	wg.Wait()
	release()
	t.Logf("pool of 2, both busy on a lock (backend %d and another): a third read gave up after %v (%v); the two busy ones answered after %v and %v (statement timeout 3s)",
		first, waited.Round(time.Millisecond), err, held[0].Round(time.Millisecond), held[1].Round(time.Millisecond))
	if !errors.Is(err, todo.ErrUnavailable) {
		t.Fatalf("read that found every connection busy: %v, want todo.ErrUnavailable", err)
	}
	if waited < store.PoolWait || waited > store.PoolWait+500*time.Millisecond {
		t.Errorf("waited %v for a connection, want about %v", waited, store.PoolWait)
	}
	if _, err := tasks.Get(ctx, k.ID); err != nil {
		t.Errorf("after the lock: %v", err)
	}
}

func TestWaitForAConnectionBeingOpenedIsNotCutShort(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.New(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	u.Host = p.Addr()
	s := storeWithConns(t, u.String(), "1")
	tasks := s.Tasks(faultUser(t, s))
	k := create(t, tasks, "after the wake")

	// The compute is suspended (its connections gone) and takes 2 s to wake: the one connection the
	// pool may open takes that long, and the reads behind it wait for it rather than give up.
	s.Pool().Reset()
	p.SetConnectDelay(2 * time.Second)
	var wg sync.WaitGroup
	took := make([]time.Duration, 3)
	for i := range took {
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			if _, err := tasks.Get(ctx, k.ID); err != nil {
				t.Errorf("read %d while the only connection was being opened: %v", i, err)
			}
			took[i] = time.Since(start)
		}()
	}
	wg.Wait()
	t.Logf("pool of 1, connection opened in 2s: three reads answered after %v", took)
	for _, d := range took {
		if d < 2*time.Second || d > 4*time.Second {
			t.Errorf("a read took %v, want just over the 2s the connection took", d)
		}
	}
}
