package web

import (
	"math"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestSignInTimingUnknownEmailVsWrongPassword: an unknown email and a wrong password cost the same
// scrypt run, so their answers take about as long; timing does not tell whether an account exists.
//
// The two are measured back to back in pairs, so load from elsewhere on the machine hits both
// alike, and compared by median. A real leak is systematic (skipping the hash makes one path ~100
// times faster) and fails every series; a series spoiled by a burst of outside load is measured
// again, at most three times.
func TestSignInTimingUnknownEmailVsWrongPassword(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", "ann@example.com", "password123")), false, "/")

	measure := func(email string) time.Duration {
		start := time.Now()
		w := a.post(t, "192.0.2.1", "/sign-in", nil, signInForm(email, "not-the-password"))
		d := time.Since(start)
		wantStatus(t, w, http.StatusUnauthorized)
		return d
	}
	measure("warm-up@example.com") // first query plans, first scrypt allocation

	const rounds = 11
	for series := 1; ; series++ {
		var unknown, wrong, ratios []float64
		for i := range rounds {
			// Alternate which goes first, so neither always follows the other's garbage.
			var u, w time.Duration
			if i%2 == 0 {
				u, w = measure("nobody@example.com"), measure("ann@example.com")
			} else {
				w, u = measure("ann@example.com"), measure("nobody@example.com")
			}
			unknown, wrong = append(unknown, float64(u)), append(wrong, float64(w))
			ratios = append(ratios, float64(u)/float64(w))
		}
		mu, mw, ratio := median(unknown), median(wrong), median(ratios)
		t.Logf("series %d, median of %d tries: unknown email %v, wrong password %v; median ratio of pairs %.3f",
			series, rounds, time.Duration(mu).Round(time.Microsecond), time.Duration(mw).Round(time.Microsecond), ratio)
		if mu < float64(time.Millisecond) || mw < float64(time.Millisecond) {
			t.Fatalf("a sign-in answered in under 1ms: no hash was computed")
		}
		if math.Abs(ratio-1) <= 0.25 && math.Abs(mu-mw)/math.Max(mu, mw) <= 0.25 {
			return
		}
		if series == 3 {
			t.Fatalf("unknown email and wrong password differ by more than 25%% in three series")
		}
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
