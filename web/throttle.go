package web

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/go-chi/httprate"

	"todo/web/auth"
)

// rate is "at most N per Per".
type rate struct {
	N   int
	Per time.Duration
}

// authLimits bound the password endpoints: per-client and per-email throttles, and how many scrypt
// hashes run at once. The defaults are far above what a person typing ever reaches; handler tests
// pass their own through Config.authLimits.
type authLimits struct {
	SignInPerIP rate // every sign-in POST from one client address
	// Failed sign-ins (and wrong passwords confirming an account change) per account and client
	// address: whoever guesses from one client is stopped there, and the account's owner, from their
	// own client, still gets in.
	SignInPerClientEmail rate
	// The same failures per account from every client together: a much higher ceiling, against
	// guessing spread over many addresses.
	SignInPerEmail rate
	SignUpPerIP    rate // every sign-up POST from one client address
	SignUpPerEmail rate // sign-up attempts that reach hashing, per email address
	HashSlots      int  // scrypt computations at once (each ~32 MiB)
	HashWait       time.Duration
}

func defaultAuthLimits() authLimits {
	return authLimits{
		// Better Auth allows 3 sign-ins per 10 s per address; 30 a minute is the same pace with room
		// for a shared address (an office, a household).
		SignInPerIP:          rate{30, time.Minute},
		SignInPerClientEmail: rate{10, 5 * time.Minute},
		SignInPerEmail:       rate{100, 15 * time.Minute},
		SignUpPerIP:          rate{30, time.Minute},
		SignUpPerEmail:       rate{10, 10 * time.Minute},
		// Each hash holds 32 MiB, and the garbage collector lets the heap grow to about twice what
		// is live. Measured under 200 sign-ins at once (interop.TestSignInBurstMemory): peak RSS
		// about 180 MiB with 2 slots, 310 MiB with 4. Two keep far under the 300 MiB budget.
		HashSlots: 2,
		// A person waits a moment at worst; a flood gets 429s instead of an ever longer queue.
		HashWait: 2 * time.Second,
	}
}

// authGuard is what the password handlers share: the bounded hasher and the throttles.
type authGuard struct {
	hasher                         *auth.Hasher
	signInIP                       *throttle
	signInClientEmail, signInEmail *throttle
	signUpIP, signUpEmail          *throttle
}

func newAuthGuard(l authLimits) *authGuard {
	return &authGuard{
		hasher:            auth.NewHasher(l.HashSlots, l.HashWait),
		signInIP:          newThrottle(l.SignInPerIP),
		signInClientEmail: newThrottle(l.SignInPerClientEmail),
		signInEmail:       newThrottle(l.SignInPerEmail),
		signUpIP:          newThrottle(l.SignUpPerIP),
		signUpEmail:       newThrottle(l.SignUpPerEmail),
	}
}

// takeFailure counts a password check of the account email from client before it runs (so
// concurrent guesses can't all slip past), against the client's budget for that account and then the
// account's ceiling over all clients. Refused, it returns the message for the 429, naming what (such
// as "failed sign-in attempts for this email"), with Retry-After set, and counts nothing.
func (g *authGuard) takeFailure(w http.ResponseWriter, client, email, what string) (string, bool) {
	key := client + "\x00" + email
	if !g.signInClientEmail.Take(key) {
		return tooMany(w, g.signInClientEmail.RetryAfter(), what), false
	}
	if !g.signInEmail.Take(email) {
		g.signInClientEmail.Refund(key)
		return tooMany(w, g.signInEmail.RetryAfter(), what), false
	}
	return "", true
}

// refundFailure takes back what takeFailure counted: the password was right (or not checked).
func (g *authGuard) refundFailure(client, email string) {
	g.signInClientEmail.Refund(client + "\x00" + email)
	g.signInEmail.Refund(email)
}

// throttle counts attempts per key in a sliding window: httprate's RateLimiter and in-memory
// LimitCounter, driven with our own keys (client address, email) from inside the handlers, which
// need the parsed form before they know the key and must answer 429 with the form re-rendered.
type throttle struct {
	mu      sync.Mutex // makes "check, then count" one step
	limiter *httprate.RateLimiter
	counter httprate.LimitCounter
	rate    rate
}

func newThrottle(r rate) *throttle {
	// A counter of our own makes the limiter's windows wall-clock aligned (no private offset), so
	// Count can name the current window exactly as the limiter computes it.
	counter := httprate.NewLocalLimitCounter(r.Per)
	return &throttle{
		limiter: httprate.NewRateLimiter(r.N, r.Per, httprate.WithLimitCounter(counter)),
		counter: counter,
		rate:    r,
	}
}

// Take counts one attempt for key and reports whether it is within the limit. An attempt over the
// limit is refused and not counted, so a client that keeps trying is let in again once its earlier
// attempts age out.
func (t *throttle) Take(key string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.allowedLocked(key) {
		return false
	}
	t.countLocked(key)
	return true
}

// Refund takes back one attempt Take counted: for the throttles that limit failures, an attempt
// is counted before the password check (so concurrent guesses can't all slip past the limit) and
// refunded when it succeeds.
func (t *throttle) Refund(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	window := t.window()
	// Only from the current window; an attempt counted in the one before stays counted.
	if current, _, err := t.counter.Get(key, window, window.Add(-t.rate.Per)); err == nil && current > 0 {
		_ = t.counter.IncrementBy(key, window, -1)
	}
}

func (t *throttle) allowedLocked(key string) bool {
	_, current, err := t.limiter.Status(key)
	// The in-memory counter never fails; were it to, letting the request through beats locking
	// everyone out.
	return err != nil || int(current+0.5)+1 <= t.rate.N
}

func (t *throttle) countLocked(key string) {
	_ = t.counter.Increment(key, t.window())
}

// window is the start of the current window, as the limiter computes it for a counter of our own.
func (t *throttle) window() time.Time { return time.Now().UTC().Truncate(t.rate.Per) }

// RetryAfter is how long a refused client should wait: one window, when every earlier attempt
// has aged out (httprate answers the same).
func (t *throttle) RetryAfter() time.Duration { return t.rate.Per }

// tooMany sets Retry-After and returns the message a person sees on a 429.
func tooMany(w http.ResponseWriter, wait time.Duration, what string) string {
	secs := int((wait + time.Second - 1) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return fmt.Sprintf("Too many %s. Please wait %s and try again.", what, humanDuration(wait))
}

// busy sets Retry-After and returns the 429 message for when every hashing slot stayed busy.
func busy(w http.ResponseWriter) string {
	w.Header().Set("Retry-After", "2")
	return "Many people are signing in right now. Please try again in a few seconds."
}

func humanDuration(d time.Duration) string {
	switch {
	case d <= 10*time.Second:
		return "a few seconds"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int(d/time.Second))
	case d < 2*time.Minute:
		return "a minute"
	default:
		return fmt.Sprintf("%d minutes", int((d+time.Minute-1)/time.Minute))
	}
}

// clientAddr is the address the throttles key on and the sessions table records: the peer's, or
// behind a proxy named in TRUSTED_PROXIES the client it forwards for (package clientaddr).
func (s *server) clientAddr(r *http.Request) string { return s.clients.Of(r) }
