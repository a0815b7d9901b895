package api_test

import (
	"net/http"
	"strconv"
	"testing"

	"todo/api"
)

// A client address that keeps sending refused credentials is throttled (429 with Retry-After) even
// for a good one until the minute is over; a user past API_RATE_LIMIT is throttled the same way.
func TestThrottles(t *testing.T) {
	a := newTestAPI(t, func(o *options) { o.settings = api.Settings{RateLimit: 5} })
	u, token := a.user(t, "Ro")
	good := a.credentials(t, u, token)[1]
	path := "/api/" + u.ID + "/tasks"
	for range 5 {
		a.do(t, http.MethodGet, path, &good, nil).want(http.StatusOK)
	}
	w := a.do(t, http.MethodGet, path, &good, nil).want(http.StatusTooManyRequests)
	if s, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || s <= 0 {
		t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
	}

	b := newTestAPI(t)
	v, vtoken := b.user(t, "Sy")
	vgood := b.credentials(t, v, vtoken)[1]
	vpath := "/api/" + v.ID + "/tasks"
	refused := 0
	for range 100 {
		if b.do(t, http.MethodGet, vpath, ptr(bearer("guess-"+strconv.Itoa(refused))), nil).Code == http.StatusTooManyRequests {
			break
		}
		refused++
	}
	if refused < 50 || refused >= 100 {
		t.Fatalf("throttled after %d refused credentials", refused)
	}
	w = b.do(t, http.MethodGet, vpath, &vgood, nil).want(http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

// While the database is down, answers are 503 with Retry-After, never 500: the session lookup of a
// cookie, and the task query behind a JWT.
func TestDatabaseDown(t *testing.T) {
	a := newTestAPI(t)
	u, token := a.user(t, "Di")
	creds := a.credentials(t, u, token)
	path := "/api/" + u.ID + "/tasks"
	a.do(t, http.MethodGet, path, &creds[4], nil).want(http.StatusOK) // the key is read while it is up
	a.store.Close()
	for _, c := range []credential{creds[0], creds[4]} {
		for _, m := range []string{http.MethodGet, http.MethodPost} {
			var body any
			if m == http.MethodPost {
				body = map[string]any{"title": "x"}
			}
			w := a.do(t, m, path, &c, body).want(http.StatusServiceUnavailable)
			if w.Header().Get("Retry-After") != "5" {
				t.Fatalf("%s %s: Retry-After %q", c.name, m, w.Header().Get("Retry-After"))
			}
		}
	}
}
