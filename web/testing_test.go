package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/store"
	"todo/web/auth"
)

// Shared helpers for this package's handler tests: a real server on a scratch database.

const testSecret = "test-secret-that-is-at-least-32-characters-long"

type testApp struct {
	store   *store.Store
	handler http.Handler
	cookies auth.Cookies
	base    *url.URL
}

// newTestApp builds the whole handler (routes and middleware) on a fresh scratch database.
func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppOn(t, pgtest.NewStore(t), "http://example.test", nil)
}

// newTestAppOn builds the whole handler on st for the public URL baseURL, with chosen auth limits
// (nil: the defaults).
func newTestAppOn(t testing.TB, st *store.Store, baseURL string, limits *authLimits) *testApp {
	t.Helper()
	base, _ := url.Parse(baseURL)
	h, err := NewServer(Config{
		Logger:     slog.New(slog.NewTextHandler(io.Discard, nil)),
		Store:      st,
		Secret:     testSecret,
		BaseURL:    base,
		authLimits: limits,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testApp{store: st, handler: h, cookies: auth.NewCookies(testSecret, base.Scheme == "https"), base: base}
}

// signedInUser creates a user with a live session straight in the database and returns the user and
// the session cookie a browser would send.
func (a *testApp) signedInUser(t testing.TB, name string) (store.User, *http.Cookie) {
	t.Helper()
	ctx := context.Background()
	u, err := a.store.CreateUser(ctx, store.NewUser{
		UserID: auth.NewID(), AccountID: auth.NewID(), Name: name,
		Email:        strings.ToLower(name) + "-" + strings.ToLower(auth.NewID()[:8]) + "@example.test",
		PasswordHash: "00000000000000000000000000000000:" + strings.Repeat("00", 64),
	})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewID()
	if err := a.store.CreateSession(ctx, store.Session{
		ID: auth.NewID(), Token: token, UserID: u.ID, ExpiresAt: time.Now().Add(auth.SessionLifetime),
	}); err != nil {
		t.Fatal(err)
	}
	return u, &http.Cookie{Name: a.cookies.Name(), Value: a.cookies.Value(token)}
}

// do sends a request through the whole handler. body, when not "", is sent as a urlencoded form.
// headers are pairs: "HX-Request", "true", ...
func (a *testApp) do(t testing.TB, method, path string, cookie *http.Cookie, body string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	var r *http.Request
	if body != "" || method == http.MethodPost {
		r = httptest.NewRequest(method, a.base.String()+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		r = httptest.NewRequest(method, a.base.String()+path, nil)
	}
	return a.serve(r, cookie, headers)
}

// serve sends r, with the header pairs and the cookie (if any), through the whole handler.
func (a *testApp) serve(r *http.Request, cookie *http.Cookie, headers []string) *httptest.ResponseRecorder {
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	if cookie != nil {
		r.AddCookie(cookie)
	}
	w := httptest.NewRecorder()
	a.handler.ServeHTTP(w, r)
	return w
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, status int) {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d; body:\n%.2000s", w.Code, status, w.Body.String())
	}
}
