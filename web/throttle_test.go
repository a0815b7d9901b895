package web

import (
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
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

func TestClientAddr(t *testing.T) {
	cases := []struct {
		peer, xff, want string
	}{
		{"203.0.113.5:1234", "", "203.0.113.5"},
		{"203.0.113.5:1234", "198.51.100.1", "203.0.113.5"}, // a public peer's header is not trusted
		{"127.0.0.1:1234", "", "127.0.0.1"},
		{"127.0.0.1:1234", "198.51.100.1", "198.51.100.1"},                 // a proxy on this host
		{"10.0.0.3:1234", "6.6.6.6, 198.51.100.1", "198.51.100.1"},         // the proxy's entry is the last
		{"[::1]:1234", "2001:db8::1", "2001:db8::1"},                       // IPv6 both sides
		{"192.168.1.2:1234", "not-an-address", "192.168.1.2"},              // garbage: the peer
		{"[fd00::1]:1234", "198.51.100.7 , 198.51.100.8 ", "198.51.100.8"}, // spaces
	}
	for _, c := range cases {
		r := httptest.NewRequest("POST", "/sign-in", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		if got := clientAddr(r); got != c.want {
			t.Errorf("peer %s, X-Forwarded-For %q: %q, want %q", c.peer, c.xff, got, c.want)
		}
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
