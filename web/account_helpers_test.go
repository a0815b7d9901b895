package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
	"todo/internal/smtptest"
	"todo/mail"
	"todo/web/auth"
)

// accountApp is the whole handler on a scratch database with a real SMTP server as its mail
// relay, its log kept, and its background work awaitable.
type accountApp struct {
	*authApp
	sink *smtptest.Sink
	jobs *jobs
	logs *apptest.Output
}

// generousAccountLimits never throttle; tests about a throttle set their own.
func generousAccountLimits() accountLimits {
	l := defaultAccountLimits()
	for _, r := range []*rate{&l.ForgotPerIP, &l.ForgotPerEmail, &l.ResetPerIP, &l.ChangePerIP} {
		*r = rate{10000, time.Minute}
	}
	return l
}

// newAccountApp builds the app with chosen limits; smtp false gives it no mailer (the log mailer).
func newAccountApp(t *testing.T, limits authLimits, account accountLimits, smtp bool) *accountApp {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	logs := &apptest.Output{}
	logger := slog.New(slog.NewJSONHandler(logs, nil))
	a := &accountApp{logs: logs, jobs: newJobs(logger)}
	var sender mail.Sender
	if smtp {
		sink, err := smtptest.Start(smtptest.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sink.Close() })
		server, _ := mail.ParseURL(sink.URL())
		from, _ := mail.ParseFrom("Todo <todo@example.test>")
		a.sink, sender = sink, mail.NewSMTP(server, from, nil)
	}
	st := pgtest.OpenStore(t, dbURL)
	base, _ := url.Parse("http://example.test")
	h, err := NewServer(Config{
		Logger: logger, Store: st, Secret: testSecret, BaseURL: base, Mail: sender,
		authLimits: &limits, accountLimits: &account, jobs: a.jobs,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.jobs.Wait) // no job may outlive the database
	a.authApp = &authApp{
		testApp: &testApp{store: st, handler: h, cookies: auth.NewCookies(testSecret, false), base: base},
		pool:    pgtest.Pool(t, dbURL),
	}
	return a
}

// signUp makes a user through the sign-up form (a real Better Auth hash) and returns its cookie.
func (a *accountApp) signUp(t *testing.T, name, email, password string) *http.Cookie {
	t.Helper()
	w := a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm(name, email, password))
	wantRedirect(t, w, false, "/")
	c, _ := sessionCookie(t, a.authApp, w)
	return c
}

// signIn starts another session of a user, from a browser that says it is userAgent.
func (a *accountApp) signIn(t *testing.T, email, password, userAgent string) *http.Cookie {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, a.base.String()+"/sign-in", strings.NewReader(signInForm(email, password).Encode()))
	r.RemoteAddr = "198.51.100.7:40000"
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("User-Agent", userAgent)
	w := a.serve(r, nil, nil)
	wantRedirect(t, w, false, "/")
	c, _ := sessionCookie(t, a.authApp, w)
	return c
}

// signsIn reports whether the sign-in form takes this email and password.
func (a *accountApp) signsIn(t *testing.T, email, password string) bool {
	t.Helper()
	w := a.post(t, "192.0.2.1", "/sign-in", nil, signInForm(email, password))
	switch w.Code {
	case http.StatusSeeOther:
		return true
	case http.StatusUnauthorized:
		return false
	}
	t.Fatalf("sign-in: %d\n%s", w.Code, w.Body)
	return false
}

// alive reports whether a session cookie still opens the task list.
func (a *accountApp) alive(t *testing.T, c *http.Cookie) bool {
	t.Helper()
	w := a.do(t, http.MethodGet, "/", c, "")
	return w.Code == http.StatusOK
}

// withCookies sends a GET with several cookies (a session and a flash, say).
func (a *accountApp) withCookies(t *testing.T, path string, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, a.base.String()+path, nil)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	a.handler.ServeHTTP(w, r)
	return w
}

func (a *accountApp) hashOf(t *testing.T, email string) string {
	t.Helper()
	var h string
	if err := a.pool.QueryRow(context.Background(),
		`select a.password from accounts a join users u on u.id = a.user_id where u.email = $1 and a.provider_id = 'credential'`,
		email).Scan(&h); err != nil {
		t.Fatal(err)
	}
	return h
}

func (a *accountApp) userID(t *testing.T, email string) string {
	t.Helper()
	var id string
	if err := a.pool.QueryRow(context.Background(), `select id from users where email = $1`, email).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func wantBodyHas(t *testing.T, w *httptest.ResponseRecorder, parts ...string) {
	t.Helper()
	body := w.Body.String()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("answer %d lacks %q:\n%.3000s", w.Code, p, body)
		}
	}
}
