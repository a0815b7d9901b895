package clientaddr

import (
	"net/http/httptest"
	"testing"
)

func TestOf(t *testing.T) {
	cases := []struct {
		trusted, peer, xff, want string
	}{
		// No proxy named: the peer, whatever the header says (a private-network client rotating
		// X-Forwarded-For is still itself).
		{"", "203.0.113.5:1234", "198.51.100.1", "203.0.113.5"},
		{"", "127.0.0.1:1234", "198.51.100.1", "127.0.0.1"},
		{"", "10.0.0.3:1234", "6.6.6.6", "10.0.0.3"},
		{"", "[::1]:1234", "2001:db8::1", "::1"},
		// A named proxy: the entry it appended.
		{"127.0.0.1", "127.0.0.1:1234", "198.51.100.1", "198.51.100.1"},
		{"10.0.0.0/8", "10.0.0.3:1234", "6.6.6.6, 198.51.100.1", "198.51.100.1"}, // the proxy's entry is the last
		{"10.0.0.0/8", "10.0.0.3:1234", "", "10.0.0.3"},                          // no header: the proxy itself
		{"10.0.0.0/8", "10.9.9.9:1234", "not-an-address", "10.9.9.9"},            // garbage: the proxy
		{"10.0.0.0/8", "192.168.1.2:1234", "198.51.100.1", "192.168.1.2"},        // an unnamed private peer
		{"::1, fd00::/8", "[fd00::1]:1234", "198.51.100.7 , 198.51.100.8 ", "198.51.100.8"},
		{"::1", "[::1]:1234", "2001:db8::1", "2001:db8::1"},
		// Two proxies in a row (a CDN in front of a load balancer), both named: skip both.
		{"10.0.0.0/8, 192.0.2.0/24", "10.0.0.3:1", "6.6.6.6, 198.51.100.9, 192.0.2.7", "198.51.100.9"},
		// The header over several lines, as some proxies send it.
		{"10.0.0.0/8", "10.0.0.3:1", "6.6.6.6\n198.51.100.4", "198.51.100.4"},
		// Every hop trusted: the proxy itself.
		{"10.0.0.0/8", "10.0.0.3:1", "10.1.1.1, 10.2.2.2", "10.0.0.3"},
		// IPv4-mapped IPv6 peers count as their IPv4 address.
		{"127.0.0.1", "[::ffff:127.0.0.1]:1", "198.51.100.2", "198.51.100.2"},
	}
	for _, c := range cases {
		res, err := Parse(c.trusted)
		if err != nil {
			t.Fatal(err)
		}
		r := httptest.NewRequest("POST", "/sign-in", nil)
		r.RemoteAddr = c.peer
		if c.xff != "" {
			for _, line := range splitLines(c.xff) {
				r.Header.Add("X-Forwarded-For", line)
			}
		}
		if got := res.Of(r); got != c.want {
			t.Errorf("trusted %q, peer %s, X-Forwarded-For %q: %q, want %q", c.trusted, c.peer, c.xff, got, c.want)
		}
	}
	var none *Resolver
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "127.0.0.1:9"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := none.Of(r); got != "127.0.0.1" {
		t.Errorf("nil resolver: %q", got)
	}
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := range s {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func TestParseRefusesGarbage(t *testing.T) {
	for _, bad := range []string{"10.0.0.0/33", "localhost", "10.0.0.1/8/8", "*"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	if r, err := Parse(" 10.0.0.0/8 , ::1 ,"); err != nil || len(r.trusted) != 2 {
		t.Fatalf("Parse: %v %v", r, err)
	}
	if r, err := Parse(" , "); err != nil || r != nil {
		t.Fatalf("Parse of nothing: %v %v", r, err)
	}
}
