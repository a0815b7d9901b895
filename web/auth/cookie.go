package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Cookie names. Under an https:// base URL only the __Secure- name is read and written; under http://
// only the plain one, as Better Auth does.
const (
	CookieName       = "better-auth.session_token"
	SecureCookieName = "__Secure-better-auth.session_token"
)

// SessionLifetime is Better Auth's default session length; RefreshAge is how old a session (since it
// was issued or last refreshed) must be before a request slides its expiry.
const (
	SessionLifetime = 7 * 24 * time.Hour
	RefreshAge      = 24 * time.Hour
)

// signatureLength is the length of a standard, padded base64 HMAC-SHA256.
const signatureLength = 44

// Cookies signs and reads session cookies with the shared secret.
type Cookies struct {
	secret []byte
	secure bool
}

// NewCookies makes the cookie codec for a secret and whether the public origin is https.
func NewCookies(secret string, secure bool) Cookies {
	return Cookies{secret: []byte(secret), secure: secure}
}

// Name is the session cookie's name for this origin.
func (c Cookies) Name() string {
	if c.secure {
		return SecureCookieName
	}
	return CookieName
}

// Secure reports whether cookies carry the Secure attribute (https origin).
func (c Cookies) Secure() bool { return c.secure }

func (c Cookies) sign(token string) string {
	mac := hmac.New(sha256.New, c.secret)
	mac.Write([]byte(token))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Value is the cookie value for a token: urlencode(token + "." + base64std(HMAC-SHA256(secret, token))).
// url.QueryEscape reproduces JavaScript's encodeURIComponent on these characters byte for byte.
func (c Cookies) Value(token string) string {
	return url.QueryEscape(token + "." + c.sign(token))
}

// Token verifies a cookie value and returns the token it carries, or false.
func (c Cookies) Token(value string) (string, bool) {
	decoded, err := url.PathUnescape(value) // not QueryUnescape: a '+' in the signature stays '+'
	if err != nil {
		return "", false
	}
	dot := strings.LastIndexByte(decoded, '.')
	if dot <= 0 {
		return "", false
	}
	token, sig := decoded[:dot], decoded[dot+1:]
	if len(sig) != signatureLength {
		return "", false
	}
	if !hmac.Equal([]byte(sig), []byte(c.sign(token))) {
		return "", false
	}
	return token, true
}

// Set writes the session cookie exactly as Better Auth does:
// name=value; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax[; Secure].
func (c Cookies) Set(w http.ResponseWriter, token string) {
	w.Header().Add("Set-Cookie", c.header(c.Name(), c.Value(token), int(SessionLifetime/time.Second)))
}

// Clear expires the three cookies Better Auth clears on sign-out and on a dead session.
func (c Cookies) Clear(w http.ResponseWriter) {
	prefix := ""
	if c.secure {
		prefix = "__Secure-"
	}
	for _, name := range []string{"better-auth.session_token", "better-auth.session_data", "better-auth.dont_remember"} {
		w.Header().Add("Set-Cookie", c.header(prefix+name, "", 0))
	}
}

// header formats the Set-Cookie value by hand: net/http's Cookie would reorder the attributes and
// write Max-Age=0 as an Expires date, and interop tests compare bytes.
func (c Cookies) header(name, value string, maxAge int) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('=')
	b.WriteString(value)
	b.WriteString("; Max-Age=")
	b.WriteString(itoa(maxAge))
	b.WriteString("; Path=/; HttpOnly; SameSite=Lax")
	if c.secure {
		b.WriteString("; Secure")
	}
	return b.String()
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var buf [20]byte
	i := len(buf)
	for ; n > 0; n /= 10 {
		i--
		buf[i] = byte('0' + n%10)
	}
	return string(buf[i:])
}

// Read finds the session cookie in a request and returns its verified token.
func (c Cookies) Read(r *http.Request) (string, bool) {
	ck, err := r.Cookie(c.Name())
	if err != nil {
		return "", false
	}
	return c.Token(ck.Value)
}

// NeedsRefresh reports whether a session expiring at expiresAt was issued or last refreshed at least
// RefreshAge ago, so its expiry slides: expiresAt - SessionLifetime + RefreshAge <= now.
func NeedsRefresh(expiresAt, now time.Time) bool {
	return !expiresAt.Add(-SessionLifetime + RefreshAge).After(now)
}
