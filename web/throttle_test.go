package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"testing"
	"time"

	"todo/clientaddr"
	"todo/internal/pgtest"
)

func TestThrottleCountsPerKey(t *testing.T) {
	th := newThrottle(rate{3, time.Minute})
	for i := range 3 {
		if !th.Take("a") {
			t.Fatalf("attempt %d refused", i+1)
		}
	}
	for i := range 2 {
		if th.Take("a") {
			t.Fatalf("attempt %d over the limit allowed", i+1)
		}
	}
	if !th.Take("b") {
		t.Fatal("another key was throttled")
	}
	// A refunded attempt does not count; refunds never go below zero.
	th.Refund("c")
	th.Refund("c")
	for range 5 {
		if !th.Take("c") {
			t.Fatal("refunded attempts were counted")
		}
		th.Refund("c")
	}
	th.Take("c")
	th.Take("c")
	th.Take("c")
	if th.Take("c") {
		t.Fatal("three kept attempts did not reach the limit")
	}
}

func TestThrottleWindowSlides(t *testing.T) {
	th := newThrottle(rate{2, 200 * time.Millisecond})
	th.Take("k")
	th.Take("k")
	if th.Take("k") {
		t.Fatal("limit not reached")
	}
	// Two windows later every attempt has aged out.
	deadline := time.Now().Add(2 * time.Second)
	for !th.Take("k") {
		if time.Now().After(deadline) {
			t.Fatal("still throttled long after the window")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestTooManyMessage(t *testing.T) {
	for wait, want := range map[time.Duration]string{
		time.Minute:      "Too many tries. Please wait a minute and try again.",
		5 * time.Minute:  "Too many tries. Please wait 5 minutes and try again.",
		30 * time.Second: "Too many tries. Please wait 30 seconds and try again.",
	} {
		w := httptest.NewRecorder()
		if got := tooMany(w, wait, "tries"); got != want {
			t.Errorf("%v: %q", wait, got)
		}
		if ra := w.Header().Get("Retry-After"); ra != strconv.Itoa(int(wait/time.Second)) {
			t.Errorf("%v: Retry-After %q", wait, ra)
		}
	}
}

// X-Forwarded-For counts only from a proxy named in TRUSTED_PROXIES: a client on a private network
// rotating the header is still one client, and a named proxy's clients are told apart.
func TestForwardedForOnlyFromNamedProxies(t *testing.T) {
	limits := generousLimits()
	limits.SignInPerIP = rate{3, time.Minute}
	st := pgtest.NewStore(t)
	for _, c := range []struct {
		trusted  string
		wantLast int
	}{{"", http.StatusTooManyRequests}, {"10.0.0.0/8", http.StatusUnauthorized}} {
		clients, err := clientaddr.Parse(c.trusted)
		if err != nil {
			t.Fatal(err)
		}
		base, _ := url.Parse("http://example.test")
		h, err := NewServer(Config{Store: st, Secret: testSecret, BaseURL: base, authLimits: &limits, ClientAddr: clients})
		if err != nil {
			t.Fatal(err)
		}
		a := &testApp{store: st, handler: h, base: base}
		var last int
		for i := range 4 {
			w := a.post(t, "10.0.0.5", "/sign-in", nil, signInForm("nobody@example.com", "wrong password"),
				"X-Forwarded-For", "198.51.100."+strconv.Itoa(i+1))
			last = w.Code
		}
		if last != c.wantLast {
			t.Errorf("TRUSTED_PROXIES=%q: the fourth sign-in with a new X-Forwarded-For got %d, want %d", c.trusted, last, c.wantLast)
		}
	}
}
