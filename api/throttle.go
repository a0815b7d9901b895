package api

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/httprate"
)

// throttle bounds what one caller can do: requests per user per minute (API_RATE_LIMIT), and failed
// authentications per client address, so guessing tokens costs a minute per few dozen guesses.
type throttle struct {
	perUser     *httprate.RateLimiter // nil: no per-user limit
	failuresIP  *httprate.RateLimiter
	failureRate int
}

// authFailuresPerMinute is how many refused credentials one client address may send in a minute;
// a client that reaches it gets 429 until the minute is over, whatever it sends.
const authFailuresPerMinute = 60

func newThrottle(perUserPerMinute int) *throttle {
	t := &throttle{
		failuresIP:  httprate.NewRateLimiter(authFailuresPerMinute, time.Minute, httprate.WithResponseHeaders(httprate.ResponseHeaders{})),
		failureRate: authFailuresPerMinute,
	}
	if perUserPerMinute > 0 {
		t.perUser = httprate.NewRateLimiter(perUserPerMinute, time.Minute,
			httprate.WithResponseHeaders(httprate.ResponseHeaders{RetryAfter: "Retry-After"}))
	}
	return t
}

// blocked reports a client address that sent too many refused credentials this minute.
func (t *throttle) blocked(w http.ResponseWriter, r *http.Request) bool {
	// Status's own verdict lets one more through than OnLimit counts; the rate itself is exact.
	_, rate, err := t.failuresIP.Status(clientAddr(r))
	if err == nil && rate >= float64(t.failureRate) {
		w.Header().Set("Retry-After", strconv.Itoa(int(time.Minute/time.Second)))
		return true
	}
	return false
}

// failed counts one refused credential of the request's client address.
func (t *throttle) failed(w http.ResponseWriter, r *http.Request) {
	t.failuresIP.OnLimit(w, r, clientAddr(r))
}

// overUser reports (and sets Retry-After for) a user past the per-user limit; it counts the request.
func (t *throttle) overUser(w http.ResponseWriter, r *http.Request, userID string) bool {
	return t.perUser != nil && t.perUser.OnLimit(w, r, userID)
}

// clientAddr is the address the failure throttle keys on, by the HTML app's rule: the peer address,
// except behind a reverse proxy on loopback or a private network, where the last X-Forwarded-For
// entry (the one that proxy appended) is the client.
func clientAddr(r *http.Request) string {
	peer := r.RemoteAddr
	if host, _, err := net.SplitHostPort(peer); err == nil {
		peer = host
	}
	ip := net.ParseIP(peer)
	if ip == nil || !(ip.IsLoopback() || ip.IsPrivate()) {
		return peer
	}
	values := r.Header.Values("X-Forwarded-For")
	if len(values) == 0 {
		return peer
	}
	last := values[len(values)-1]
	if i := strings.LastIndexByte(last, ','); i >= 0 {
		last = last[i+1:]
	}
	if fwd := net.ParseIP(strings.TrimSpace(last)); fwd != nil {
		return fwd.String()
	}
	return peer
}
