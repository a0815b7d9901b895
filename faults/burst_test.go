package faults_test

import (
	"sort"
	"sync"
	"testing"
	"time"
)

// A burst of requests while a table is locked (a migration, a long transaction): more requests than
// the pool has connections. The ones that got a connection wait out the 5 s statement timeout; the
// others must not queue behind them for the request's whole deadline. Every one answers 503 within
// about 6 s, and the app serves again as soon as the lock goes.
func TestBurstDuringATableLock(t *testing.T) {
	t.Parallel()
	const burst = 30 // the pool has 10 connections
	a := newApp(t, nil)
	release := lockTable(t, a.direct.Pool(), "tasks")

	replies := make([]reply, burst)
	var wg sync.WaitGroup
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%3 == 2 {
				replies[i] = a.do("POST", "/tasks", "during the lock", i%2 == 0)
			} else {
				replies[i] = a.do("GET", "/", "", i%2 == 0)
			}
		}()
	}
	wg.Wait()
	release()
	took := make([]time.Duration, len(replies))
	for i, r := range replies {
		check503(t, r)
		took[i] = r.took()
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	ok := a.do("GET", "/", "", false)
	t.Logf("burst of %d during a lock on tasks: 503 after %s (fastest), %s (median), %s (slowest); once the lock went: %d in %s",
		burst, ms(took[0]), ms(took[len(took)/2]), ms(took[len(took)-1]), ok.status, ms(ok.took()))
	if slowest := took[len(took)-1]; slowest > 6500*time.Millisecond {
		t.Errorf("the slowest 503 took %v, want about 6 s at most", slowest)
	}
	if !ok.ok() {
		t.Errorf("after the lock: %d %v", ok.status, ok.err)
	}
}
