package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"todo/web/auth"
)

func changeForm(current, next, revoke string) url.Values {
	f := url.Values{"current_password": {current}, "new_password": {next}}
	if revoke != "" {
		f.Set("revoke_other_sessions", revoke)
	}
	return f
}

func TestChangePassword(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), false)
	const email, old, next = "cam@example.com", "old-password-1", "new-password-2"
	here := a.signUp(t, "Cam", email, old)
	elsewhere := a.signIn(t, email, old, "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
	before := a.hashOf(t, email)

	refused := []struct {
		name   string
		form   url.Values
		status int
		says   string
	}{
		{"new password too short", changeForm(old, "short", ""), http.StatusUnprocessableEntity, "Password is too short"},
		{"new password too long", changeForm(old, strings.Repeat("x", 129), ""), http.StatusUnprocessableEntity, "Password is too long"},
		{"new password empty", changeForm(old, "", ""), http.StatusUnprocessableEntity, "Choose a password."},
		{"current password empty", changeForm("", next, ""), http.StatusUnprocessableEntity, "Enter your password."},
		{"new password with NUL", changeForm(old, "abc\x00defgh", ""), http.StatusUnprocessableEntity, "NUL"},
		{"revoke neither on nor off", changeForm(old, next, "maybe"), http.StatusUnprocessableEntity, "must be checked or left unchecked"},
		{"wrong current password", changeForm("not-my-password", next, "on"), http.StatusUnauthorized, "That is not your current password."},
		{"field sent twice", url.Values{"current_password": {old, old}, "new_password": {next}}, http.StatusUnprocessableEntity, "sent more than once"},
	}
	for _, c := range refused {
		for _, htmx := range []bool{false, true} {
			w := a.post(t, "192.0.2.1", "/account/password", here, c.form, htmxHeaders(htmx)...)
			if w.Code != c.status {
				t.Fatalf("%s (htmx %v): %d, want %d\n%s", c.name, htmx, w.Code, c.status, w.Body)
			}
			wantBodyHas(t, w, htmlEscape(c.says), `id="password-form"`)
			if htmx == strings.Contains(w.Body.String(), "<html") {
				t.Errorf("%s (htmx %v): fragment/page mix-up", c.name, htmx)
			}
			if strings.Contains(w.Body.String(), old) || strings.Contains(w.Body.String(), next) {
				t.Errorf("%s: a password came back in the page", c.name)
			}
		}
		if a.hashOf(t, email) != before || !a.alive(t, elsewhere) {
			t.Fatalf("%s changed something", c.name)
		}
	}

	// Kept: the other session stays; the new password is Better Auth's format and the old one is gone.
	wantRedirect(t, a.post(t, "192.0.2.1", "/account/password", here, changeForm(old, next, "")), false, "/account")
	hash := a.hashOf(t, email)
	if ok, _ := auth.NewHasher(1, 0).Verify(context.Background(), next, hash); !ok || len(hash) != 161 || hash == before {
		t.Fatalf("stored hash %q does not verify the new password", hash)
	}
	if !a.alive(t, here) || !a.alive(t, elsewhere) {
		t.Fatal("a session ended without revoke_other_sessions")
	}
	if a.signsIn(t, email, old) || !a.signsIn(t, email, next) {
		t.Fatal("sign-in does not follow the change")
	}

	// With revoke_other_sessions: only this session is left (the sign-ins above made two more).
	w := a.post(t, "192.0.2.1", "/account/password", here, changeForm(next, old, "on"), "HX-Request", "true")
	wantRedirect(t, w, true, "/account")
	if !a.alive(t, here) || a.alive(t, elsewhere) {
		t.Fatal("revoke_other_sessions: this session must stay and the other end")
	}
	if n := count(t, a.authApp, `select count(*) from sessions where user_id = $1`, a.userID(t, email)); n != 1 {
		t.Fatalf("%d sessions left, want 1", n)
	}
	page := a.withCookies(t, "/account", here, flashCookieOf(t, w))
	wantBodyHas(t, page, "your other devices were signed out")

	// Signed out: no change at all.
	wantRedirect(t, a.post(t, "192.0.2.1", "/account/password", nil, changeForm(old, next, "")), false, "/sign-in")
	// From another site: refused before anything is read.
	w = a.post(t, "192.0.2.1", "/account/password", here, changeForm(old, next, ""), "Sec-Fetch-Site", "cross-site")
	wantStatus(t, w, http.StatusForbidden)
	if !a.signsIn(t, email, old) {
		t.Fatal("a refused request changed the password")
	}
}

// Wrong current passwords share sign-in's per-account budget (a stolen session gives no extra
// guesses) and the owner is let in again once the window passes; every attempt counts per client.
func TestChangePasswordThrottles(t *testing.T) {
	limits := generousLimits()
	limits.SignInPerEmail = rate{3, time.Minute}
	account := generousAccountLimits()
	account.ChangePerIP = rate{8, time.Minute}
	a := newAccountApp(t, limits, account, false)
	const email, pw = "tia@example.com", "right-password-1"
	c := a.signUp(t, "Tia", email, pw)

	for i := range 3 {
		wantStatus(t, a.post(t, "192.0.2.10", "/account/password", c, changeForm("wrong-"+string(rune('a'+i))+"-guess", "next-password-2", "")), http.StatusUnauthorized)
	}
	w := a.post(t, "192.0.2.10", "/account/password", c, changeForm(pw, "next-password-2", ""))
	wantStatus(t, w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
	wantBodyHas(t, w, "Too many wrong passwords for this account")
	// The same budget as the sign-in form.
	wantStatus(t, a.post(t, "192.0.2.99", "/sign-in", nil, signInForm(email, pw)), http.StatusTooManyRequests)
	// A right password does not use the budget up: another account is untouched by all this.
	other := a.signUp(t, "Uma", "uma@example.com", pw)
	wantRedirect(t, a.post(t, "192.0.2.11", "/account/password", other, changeForm(pw, "next-password-2", "")), false, "/account")
	wantRedirect(t, a.post(t, "192.0.2.11", "/account/password", other, changeForm("next-password-2", pw, "")), false, "/account")

	// Per client address: 8 attempts a minute, whatever their outcome (4 made from .10 above).
	for range 4 {
		w := a.post(t, "192.0.2.10", "/account/password", other, changeForm("", "", ""))
		wantStatus(t, w, http.StatusUnprocessableEntity)
	}
	w = a.post(t, "192.0.2.10", "/account/password", other, changeForm(pw, "next-password-2", ""))
	wantStatus(t, w, http.StatusTooManyRequests)
	wantBodyHas(t, w, "Too many password changes from your network")
	wantRedirect(t, a.post(t, "192.0.2.12", "/account/password", other, changeForm(pw, "next-password-2", "")), false, "/account")
}

func TestChangeName(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), false)
	c := a.signUp(t, "Nat", "nat@example.com", "password-123")
	id := a.userID(t, "nat@example.com")
	name := func() string {
		var n string
		a.pool.QueryRow(context.Background(), `select name from users where id = $1`, id).Scan(&n)
		return n
	}
	for value, says := range map[string]string{
		"":                       "Enter your name.",
		"   ":                    "Enter your name.",
		strings.Repeat("é", 101): "Name is too long: 101 characters, at most 100.",
		"Line\nbreak":            "control characters",
		"Nul\x00":                "NUL",
		"\xff\xfe":               "not valid UTF-8",
	} {
		for _, htmx := range []bool{false, true} {
			w := a.post(t, "192.0.2.1", "/account/name", c, url.Values{"name": {value}}, htmxHeaders(htmx)...)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBodyHas(t, w, htmlEscape(says), `id="name-form"`)
		}
		if name() != "Nat" {
			t.Fatalf("refused name %q was stored", value)
		}
	}
	w := a.post(t, "192.0.2.1", "/account/name", c, url.Values{"name": {"  Natalia Nováková  "}})
	wantRedirect(t, w, false, "/account")
	if name() != "Natalia Nováková" {
		t.Fatalf("stored %q", name())
	}
	page := a.withCookies(t, "/account", c, flashCookieOf(t, w))
	wantBodyHas(t, page, "Natalia Nováková", "Your name is now")
	long := strings.Repeat("ß", 100)
	wantRedirect(t, a.post(t, "192.0.2.1", "/account/name", c, url.Values{"name": {long}}, "HX-Request", "true"), true, "/account")
	if name() != long {
		t.Fatal("a 100-character name was refused")
	}
}
