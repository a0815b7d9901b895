package faults_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// Accounts deleted while their owners' other tabs keep adding tasks: a request that read a valid
// session just before the deletion goes on to write for a user who no longer exists. That is the
// session ending, and must be answered like a request without one (303 to /sign-in; for htmx 401 with
// HX-Redirect), never 500.
func TestCreatesRacingAnAccountDeletion(t *testing.T) {
	t.Parallel()
	const (
		users   = 20
		workers = 3 // per user: tabs adding tasks, half of them with htmx
	)
	a := newApp(t, nil)

	var (
		mu                          sync.Mutex
		ok, signedOut, serverErrors int
		others                      []string
		wg                          sync.WaitGroup
	)
	for u := range users {
		id, cookie := a.signIn(t)
		started := make(chan struct{})
		var once sync.Once
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				htmx := w%2 == 1
				for i := 0; ; i++ {
					r := a.doAs(cookie, "POST", "/tasks", fmt.Sprintf("u%d-w%d-%d", u, w, i), htmx)
					if i == 3 {
						once.Do(func() { close(started) })
					}
					mu.Lock()
					switch {
					case r.err == nil && r.status == http.StatusSeeOther && r.location == "/sign-in",
						r.err == nil && htmx && r.status == http.StatusUnauthorized && r.hxRedirect == "/sign-in":
						signedOut++
						mu.Unlock()
						return // this tab is signed out now
					case r.ok():
						ok++
					case r.err == nil && r.status >= 500:
						serverErrors++
						others = append(others, fmt.Sprintf("%d %.120q", r.status, r.body))
					default:
						others = append(others, fmt.Sprintf("%d (htmx=%v, location %q) %v", r.status, htmx, r.location, r.err))
					}
					mu.Unlock()
				}
			}()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-started
			if err := a.direct.DeleteUser(context.Background(), id); err != nil {
				t.Errorf("delete user %d: %v", u, err)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the tabs of deleted users kept being served for a minute")
	}
	t.Logf("%d accounts deleted while %d tabs each added tasks: %d tasks added, %d tabs signed out, %d answers 5xx, %d other answers",
		users, workers, ok, signedOut, serverErrors, len(others)-serverErrors)
	for _, o := range others {
		t.Errorf("answer neither a success nor signed out: %s", o)
	}
	if signedOut != users*workers {
		t.Errorf("%d tabs signed out, want all %d", signedOut, users*workers)
	}
}
