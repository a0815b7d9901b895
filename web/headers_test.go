package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"todo/internal/apptest"
	"todo/internal/pgtest"
	"todo/static"
	"todo/todo"
)

// Security headers on every kind of answer, markup that a strict CSP lets run, HSTS under https, and
// logs that never hold a secret.

var (
	inlineHandler = regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`)
	styleAttr     = regexp.MustCompile(`(?i)<[a-z][^>]*\sstyle\s*=`)
	scriptTag     = regexp.MustCompile(`(?i)<script\b[^>]*>`)
)

func TestSecurityHeadersAndStrictCSPMarkup(t *testing.T) {
	app := newTestApp(t)
	carol, cookie := app.signedInUser(t, "Carol")
	task, err := app.store.Tasks(carol.ID).Create(context.Background(), todo.Input{Title: "headers"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, path string
		signedIn     bool
		headers      []string
		status       int
	}{
		{"GET", "/sign-in", false, nil, 200},
		{"GET", "/sign-up", false, nil, 200},
		{"GET", "/", true, nil, 200},
		{"GET", "/active", true, []string{"HX-Request", "true"}, 200},
		{"GET", fmt.Sprintf("/tasks/%d/edit", task.ID), true, nil, 200},
		{"GET", "/tasks/999999999/edit", true, nil, 404},
		{"POST", "/tasks", true, []string{"Sec-Fetch-Site", "cross-site"}, 403},
		{"GET", "/healthz", false, nil, 200},
		{"GET", static.URL("htmx.min.js"), false, nil, 200},
	} {
		var c *http.Cookie
		if tc.signedIn {
			c = cookie
		}
		w := app.do(t, tc.method, tc.path, c, "", tc.headers...)
		where := tc.method + " " + tc.path
		if w.Code != tc.status {
			t.Errorf("%s: status %d, want %d", where, w.Code, tc.status)
		}
		h := w.Header()
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'none'", "base-uri 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", where, csp, want)
			}
		}
		for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*"} {
			if strings.Contains(csp, bad) {
				t.Errorf("%s: CSP %q allows %q", where, csp, bad)
			}
		}
		if h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", where, h.Get("X-Content-Type-Options"))
		}
		if rp := h.Get("Referrer-Policy"); rp == "" || rp == "unsafe-url" || rp == "no-referrer-when-downgrade" {
			t.Errorf("%s: Referrer-Policy %q", where, rp)
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS under http://", where)
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			continue
		}
		body := w.Body.String()
		for _, tag := range scriptTag.FindAllString(body, -1) {
			if !strings.Contains(tag, " src=") {
				t.Errorf("%s: inline script %q, which the CSP blocks", where, tag)
			}
		}
		if m := inlineHandler.FindString(body); m != "" {
			t.Errorf("%s: inline event handler in %.80q, which the CSP blocks", where, m)
		}
		if m := styleAttr.FindString(body); m != "" || strings.Contains(strings.ToLower(body), "<style") {
			t.Errorf("%s: inline style %.80q, which the CSP blocks", where, m)
		}
	}

	// Under https:// the browser is told to stay on https.
	base, _ := url.Parse("https://todo.example.test")
	h, err := NewServer(Config{Store: app.store, Secret: testSecret, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "https://todo.example.test/sign-in", nil))
	if hsts := w.Header().Get("Strict-Transport-Security"); !strings.Contains(hsts, "max-age=") || strings.Contains(hsts, "max-age=0") {
		t.Errorf("HSTS under https: %q", hsts)
	}
}

func TestLogsHoldNoSecrets(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	st := pgtest.OpenStore(t, dbURL)
	logs := &apptest.Output{} // written by concurrent handlers
	base, _ := url.Parse("http://example.test")
	h, err := NewServer(Config{Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Store: st, Secret: testSecret, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	const password = "correct horse battery staple 42!"
	const email = "logs@example.test"
	send := func(method, path, body string, c *http.Cookie) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, "http://example.test"+path, strings.NewReader(body))
		if body != "" || method == "POST" {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if c != nil {
			r.AddCookie(c)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	sessionCookie := func(w *httptest.ResponseRecorder) *http.Cookie {
		for _, c := range w.Result().Cookies() {
			if c.Name == "better-auth.session_token" && c.Value != "" {
				return c
			}
		}
		t.Fatalf("no session cookie in %d answer", w.Code)
		return nil
	}

	up := send("POST", "/sign-up", url.Values{"name": {"Logan"}, "email": {email}, "password": {password}}.Encode(), nil)
	if up.Code != http.StatusSeeOther {
		t.Fatalf("sign-up: %d %s", up.Code, up.Body)
	}
	c1 := sessionCookie(up)
	if w := send("POST", "/sign-in", url.Values{"email": {email}, "password": {password + "x"}}.Encode(), nil); w.Code != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", w.Code)
	}
	in := send("POST", "/sign-in", url.Values{"email": {email}, "password": {password}}.Encode(), nil)
	if in.Code != http.StatusSeeOther {
		t.Fatalf("sign-in: %d %s", in.Code, in.Body)
	}
	c2 := sessionCookie(in)
	token, _ := url.QueryUnescape(c2.Value)
	token = token[:strings.LastIndexByte(token, '.')]
	send("GET", "/?token="+url.QueryEscape(token)+"&password="+url.QueryEscape(password), "", c2)
	send("POST", "/tasks", "title=logged", c2)
	send("POST", "/account/delete", url.Values{"password": {"wrong " + password}}.Encode(), c2)
	send("POST", "/sign-out", "", c1)

	out := logs.String()
	if n := strings.Count(out, `"msg":"request"`); n < 7 {
		t.Fatalf("%d request lines logged, want one per request:\n%s", n, out)
	}
	dbPassword := func() string {
		u, _ := url.Parse(dbURL)
		pw, _ := u.User.Password()
		return pw
	}()
	secrets := map[string]string{
		"password":              password,
		"password (urlencoded)": url.QueryEscape(password),
		"session cookie":        c2.Value,
		"first session cookie":  c1.Value,
		"session token":         token,
		"cookie signature":      c2.Value[strings.LastIndex(c2.Value, ".")+1:],
		"BETTER_AUTH_SECRET":    testSecret,
		"database password":     dbPassword,
		"database URL":          dbURL,
	}
	for what, s := range secrets {
		if s != "" && strings.Contains(out, s) {
			t.Errorf("the log contains the %s", what)
		}
	}
}
