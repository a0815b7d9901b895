package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Signing in returns to the page that asked for it, same-site paths only; the redirect to /sign-in
// itself stays exactly that.
func TestSignInReturnsToThePageAsked(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", "ann@example.com", "password123")), false, "/")

	w := a.do(t, "GET", "/completed?after=3", nil, "")
	wantSeeOther(t, w, "/sign-in")
	var asked *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == askedForCookie {
			asked = c
		}
	}
	if asked == nil || asked.Path != "/sign-in" || !asked.HttpOnly {
		t.Fatalf("no cookie for the page asked: %v", w.Result().Cookies())
	}
	page := a.do(t, "GET", "/sign-in", nil, "", "Cookie", asked.Name+"="+asked.Value)
	doc := parseDoc(t, page)
	if got := doc.Find("#sign-in-form input[name=next]").AttrOr("value", ""); got != "/completed?after=3" {
		t.Fatalf("next field %q", got)
	}
	if _, ok := doc.Find("#sign-in-email").Attr("autofocus"); !ok {
		t.Fatal("the email field does not get the focus")
	}
	// htmx from a list page: the page it was on.
	w = a.do(t, "POST", "/tasks/toggle-all", nil, "", "HX-Request", "true", "HX-Current-URL", "http://example.test/active")
	if w.Code != http.StatusUnauthorized || w.Header().Get("HX-Redirect") != "/sign-in" || !strings.Contains(w.Header().Get("Set-Cookie"), url.QueryEscape("/active")) {
		t.Fatalf("htmx without a session: %d %v", w.Code, w.Header())
	}

	form := signInForm("ann@example.com", "wrong password")
	form.Set("next", "/completed")
	w = a.post(t, "192.0.2.1", "/sign-in", nil, form)
	wantStatus(t, w, http.StatusUnauthorized)
	doc = parseDoc(t, w)
	if _, ok := doc.Find("#sign-in-password").Attr("autofocus"); !ok {
		t.Fatal("after a wrong password the password field does not get the focus")
	}
	if doc.Find("input[name=next]").AttrOr("value", "") != "/completed" {
		t.Fatal("the page asked is lost after a wrong password")
	}
	for next, want := range map[string]string{
		"/completed": "/completed", "/active?after=5": "/active?after=5", "": "/",
		"//evil.example/x": "/", "https://evil.example/": "/", "/\\evil.example": "/", "javascript:alert(1)": "/",
		"/sign-in": "/", "completed": "/", "/%0d%0aSet-Cookie:x": "/%0d%0aSet-Cookie:x",
	} {
		form := signInForm("ann@example.com", "password123")
		form.Set("next", next)
		wantRedirect(t, a.post(t, "192.0.2.1", "/sign-in", nil, form), false, want)
		wantRedirect(t, a.post(t, "192.0.2.1", "/sign-in", nil, form, htmxHeaders(true)...), true, want)
	}
}
