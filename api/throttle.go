package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/httprate"

	"todo/clientaddr"
)

// throttle bounds what one caller can do: requests per user per minute (API_RATE_LIMIT), and failed
// authentications per client address, so guessing tokens costs a minute per few dozen guesses.
type throttle struct {
	perUser     *httprate.RateLimiter // nil: no per-user limit
	failuresIP  *httprate.RateLimiter
	failureRate int
	clients     *clientaddr.Resolver // the client address, by the HTML app's rule (TRUSTED_PROXIES)
}

// authFailuresPerMinute is how many refused credentials one client address may send in a minute;
// a client that reaches it gets 429 until the minute is over, whatever it sends.
const authFailuresPerMinute = 60

func newThrottle(perUserPerMinute int, clients *clientaddr.Resolver) *throttle {
	t := &throttle{
		clients:     clients,
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
	_, rate, err := t.failuresIP.Status(t.clients.Of(r))
	if err == nil && rate >= float64(t.failureRate) {
		w.Header().Set("Retry-After", strconv.Itoa(int(time.Minute/time.Second)))
		return true
	}
	return false
}

// failed counts one refused credential of the request's client address.
func (t *throttle) failed(w http.ResponseWriter, r *http.Request) {
	t.failuresIP.OnLimit(w, r, t.clients.Of(r))
}

// overUser reports (and sets Retry-After for) a user past the per-user limit; it counts the request.
func (t *throttle) overUser(w http.ResponseWriter, r *http.Request, userID string) bool {
	return t.perUser != nil && t.perUser.OnLimit(w, r, userID)
}
