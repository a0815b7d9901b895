package auth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

const testSecret = "test-secret-that-is-at-least-32-characters-long"

// A cookie value made by a real Better Auth server with a secret we do not
// know: its shape is checked, and it must not verify under any other secret.
const docExampleValue = "kNls8lSSt7wSkO1MglkzAdmsQ44NLziP.KrBTJih%2F1qjDPM8gMqDOsmqUXLkxWW0nNY5utUMlJ5o%3D"

func TestCookieValueFormatMatchesDocExample(t *testing.T) {
	decoded, err := url.PathUnescape(docExampleValue)
	if err != nil {
		t.Fatal(err)
	}
	dot := strings.LastIndexByte(decoded, '.')
	token, sig := decoded[:dot], decoded[dot+1:]
	if len(token) != 32 || len(sig) != signatureLength || !strings.HasSuffix(sig, "=") {
		t.Fatalf("example: token %q (%d), signature %q (%d)", token, len(token), sig, len(sig))
	}
	// Our encoder turns the decoded value back into the exact bytes Better Auth sent.
	if got := url.QueryEscape(decoded); got != docExampleValue {
		t.Fatalf("re-encoded example = %q, want %q", got, docExampleValue)
	}
	// Signed with another secret: refused.
	if _, ok := NewCookies(testSecret, false).Token(docExampleValue); ok {
		t.Fatal("the example cookie verified under a secret that did not sign it")
	}
	// Our own value for the example's token has the same shape: the same token, a 44-character
	// padded standard base64 signature, percent-encoded as encodeURIComponent does.
	ours := NewCookies(testSecret, false).Value(token)
	if !strings.HasPrefix(ours, token+".") || len(ours) < len(token)+1+signatureLength {
		t.Fatalf("our value %q", ours)
	}
	if strings.ContainsAny(ours, "/+= ") {
		t.Fatalf("our value %q has characters encodeURIComponent would escape", ours)
	}
}

// A vector measured with the real better-auth 1.7.25 here (interop/better-auth-server.mjs, secret
// testSecret): its signature holds '/', '+' and '=', the three characters whose escaping matters.
func TestCookieValueMatchesMeasuredBetterAuthVector(t *testing.T) {
	const token = "aDu4ClVyIjY4iQQohzFui4Nl51jCq3sQ"
	const want = "aDu4ClVyIjY4iQQohzFui4Nl51jCq3sQ.%2FlRZ2Rw%2BWAi7%2FCC4go9oMDTRZs5HrBP2N3gcVs8UU%2FU%3D"
	c := NewCookies(testSecret, false)
	if got := c.Value(token); got != want {
		t.Fatalf("Value = %q, want %q", got, want)
	}
	if got, ok := c.Token(want); !ok || got != token {
		t.Fatalf("Token(%q) = %q, %v", want, got, ok)
	}
}

func TestCookieRoundTrip(t *testing.T) {
	c := NewCookies(testSecret, false)
	for range 200 {
		token := NewID()
		v := c.Value(token)
		got, ok := c.Token(v)
		if !ok || got != token {
			t.Fatalf("round trip of %q: %q, %v", token, got, ok)
		}
	}
}

func TestCookieTokenRefusesBadValues(t *testing.T) {
	c := NewCookies(testSecret, false)
	token := "aDu4ClVyIjY4iQQohzFui4Nl51jCq3sQ"
	good := c.Value(token)
	decoded, _ := url.PathUnescape(good)
	sig := decoded[len(token)+1:]
	flipped := []byte(sig)
	if flipped[0] == 'A' {
		flipped[0] = 'B'
	} else {
		flipped[0] = 'A'
	}
	cases := map[string]string{
		"tampered signature":  url.QueryEscape(token + "." + string(flipped)),
		"tampered token":      url.QueryEscape("bDu4ClVyIjY4iQQohzFui4Nl51jCq3sQ." + sig),
		"other secret":        NewCookies(testSecret+"-other", false).Value(token),
		"no signature":        token,
		"empty":               "",
		"only a dot":          ".",
		"empty token":         url.QueryEscape("." + sig),
		"short signature":     url.QueryEscape(token + "." + sig[:43]),
		"unpadded signature":  url.QueryEscape(token + "." + strings.TrimRight(sig, "=")),
		"url-safe base64":     url.QueryEscape(token + "." + strings.NewReplacer("+", "-", "/", "_").Replace(sig)),
		"bad percent escape":  good + "%zz",
		"space for plus sign": strings.ReplaceAll(decoded, "+", " "),
	}
	for name, v := range cases {
		if got, ok := c.Token(v); ok {
			t.Errorf("%s: %q verified as %q", name, v, got)
		}
	}
	// A '+' sent unescaped is still a '+' (PathUnescape, not QueryUnescape), as in Better Auth.
	if got, ok := c.Token(decoded); !ok || got != token {
		t.Errorf("unescaped value refused: %q, %v", got, ok)
	}
	// The token is everything before the LAST dot.
	dotted := "abc.def"
	if got, ok := c.Token(c.Value(dotted)); !ok || got != dotted {
		t.Errorf("token with a dot: %q, %v", got, ok)
	}
}

func TestCookieSetAndClearHeaders(t *testing.T) {
	token := "aDu4ClVyIjY4iQQohzFui4Nl51jCq3sQ"
	for _, secure := range []bool{false, true} {
		c := NewCookies(testSecret, secure)
		prefix, suffix := "", ""
		if secure {
			prefix, suffix = "__Secure-", "; Secure"
		}
		w := httptest.NewRecorder()
		c.Set(w, token)
		want := prefix + "better-auth.session_token=" + c.Value(token) + "; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax" + suffix
		if got := w.Header().Values("Set-Cookie"); len(got) != 1 || got[0] != want {
			t.Errorf("secure=%v Set: %q, want %q", secure, got, want)
		}

		w = httptest.NewRecorder()
		c.Clear(w)
		got := w.Header().Values("Set-Cookie")
		wantCleared := []string{
			prefix + "better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" + suffix,
			prefix + "better-auth.session_data=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" + suffix,
			prefix + "better-auth.dont_remember=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax" + suffix,
		}
		if strings.Join(got, "\n") != strings.Join(wantCleared, "\n") {
			t.Errorf("secure=%v Clear:\n%s\nwant\n%s", secure, strings.Join(got, "\n"), strings.Join(wantCleared, "\n"))
		}
	}
}

func TestCookieReadUsesOnlyTheNameOfTheScheme(t *testing.T) {
	token := NewID()
	for _, secure := range []bool{false, true} {
		c := NewCookies(testSecret, secure)
		right, wrong := CookieName, SecureCookieName
		if secure {
			right, wrong = wrong, right
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: wrong, Value: c.Value(token)})
		if _, ok := c.Read(r); ok {
			t.Errorf("secure=%v: read the cookie named %s", secure, wrong)
		}
		r.AddCookie(&http.Cookie{Name: right, Value: c.Value(token)})
		if got, ok := c.Read(r); !ok || got != token {
			t.Errorf("secure=%v: cookie %s: %q, %v", secure, right, got, ok)
		}
	}
}

func TestNeedsRefresh(t *testing.T) {
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		issued time.Duration // how long ago the session was issued or last refreshed
		want   bool
	}{
		{0, false},
		{23*time.Hour + 59*time.Minute, false},
		{24 * time.Hour, true},
		{3 * 24 * time.Hour, true},
	}
	for _, c := range cases {
		expires := now.Add(-c.issued).Add(SessionLifetime)
		if got := NeedsRefresh(expires, now); got != c.want {
			t.Errorf("issued %v ago: NeedsRefresh = %v, want %v", c.issued, got, c.want)
		}
	}
}
