package web

import (
	"net/http"
	"net/url"
	"strings"
)

// After signing in, a person lands on the page that sent them to sign in (/completed → sign in →
// /completed). The redirect to /sign-in stays exactly that address; the page asked for travels in a
// short-lived cookie for the sign-in page only, and from there in the form's "next" field. Only a
// same-site path qualifies, so no value can send the browser to another site.

const askedForCookie = "todo_next"

// rememberAskedFor notes the page a request without a session wanted: a page's own address for a
// GET, the page an htmx request came from, nothing for a plain form post (its page is not a place).
func (s *server) rememberAskedFor(w http.ResponseWriter, r *http.Request) {
	var target string
	switch {
	case isHTMX(r):
		if u, err := url.Parse(r.Header.Get("HX-Current-URL")); err == nil && (u.Host == r.Host || u.Host == s.baseURL.Host) {
			target = u.RequestURI()
		}
	case r.Method == http.MethodGet || r.Method == http.MethodHead:
		target = r.URL.RequestURI()
	}
	target = returnPath(target)
	if target == "" {
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: askedForCookie, Value: url.QueryEscape(target), Path: "/sign-in", MaxAge: 600,
		HttpOnly: true, Secure: s.baseURL.Scheme == "https", SameSite: http.SameSiteLaxMode,
	})
}

// askedFor is the page to return to after signing in, for the sign-in page: its ?next= or the cookie.
func (s *server) askedFor(r *http.Request) string {
	if next := returnPath(r.URL.Query().Get("next")); next != "" {
		return next
	}
	if c, err := r.Cookie(askedForCookie); err == nil {
		if v, err := url.QueryUnescape(c.Value); err == nil {
			return returnPath(v)
		}
	}
	return ""
}

// forgetAskedFor deletes the cookie once signed in.
func forgetAskedFor(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: askedForCookie, Value: "", Path: "/sign-in", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// returnPath keeps a page of this site to return to: a path (never a scheme, a host, "//" or a
// backslash, which browsers read as a host), not the sign-in pages themselves, at most 2 KB. Anything
// else is "".
func returnPath(raw string) string {
	if len(raw) > 2048 || strings.ContainsAny(raw, "\\\x00\r\n\t") {
		return ""
	}
	p := sameSitePath(raw, "")
	if p == "" || p == "/" || strings.HasPrefix(p, "/sign-") || strings.HasPrefix(p, "/api/") {
		return ""
	}
	return p
}

func cmpPath(p, fallback string) string {
	if p == "" {
		return fallback
	}
	return p
}
