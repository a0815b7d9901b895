package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"todo/internal/pgtest"
	"todo/todo"
	"todo/web/auth"
)

// Handler tests of sign-up, sign-in, sign-out and account deletion: the whole handler (routes and
// middleware) on a scratch database, plain and htmx.

// generousLimits never throttle or give up on a busy hasher; tests about those set their own.
func generousLimits() authLimits {
	l := defaultAuthLimits()
	for _, r := range []*rate{&l.SignInPerIP, &l.SignInPerClientEmail, &l.SignInPerEmail, &l.SignUpPerIP, &l.SignUpPerEmail} {
		*r = rate{10000, time.Minute}
	}
	l.HashWait = 0 // wait for a hashing slot as long as the request may: a loaded machine is not a flood
	return l
}

// authApp is a testApp with chosen auth limits and a raw pool on its database, to check rows.
type authApp struct {
	*testApp
	pool *pgxpool.Pool
}

// newAuthApp is newTestApp with chosen auth limits.
func newAuthApp(t *testing.T, limits authLimits) *authApp {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	app := newTestAppOn(t, pgtest.OpenStore(t, dbURL), "http://example.test", &limits)
	return &authApp{testApp: app, pool: pgtest.Admin(t, dbURL)}
}

// post sends a form from a given client address (the throttles key on it).
func (a *testApp) post(t *testing.T, ip, path string, cookie *http.Cookie, form url.Values, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, a.base.String()+path, strings.NewReader(form.Encode()))
	r.RemoteAddr = ip + ":40000"
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("User-Agent", "auth-handler-test")
	return a.serve(r, cookie, headers)
}

func signUpForm(name, email, password string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "password": {password}}
}

func signInForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// sessionCookie returns the session cookie a response set, checking it is Better Auth's exactly.
func sessionCookie(t *testing.T, a *authApp, w *httptest.ResponseRecorder) (*http.Cookie, string) {
	t.Helper()
	for _, line := range w.Header().Values("Set-Cookie") {
		if !strings.HasPrefix(line, auth.CookieName+"=") {
			continue
		}
		value := strings.TrimPrefix(strings.SplitN(line, ";", 2)[0], auth.CookieName+"=")
		token, ok := a.cookies.Token(value)
		if !ok {
			t.Fatalf("session cookie %q does not verify", line)
		}
		if want := auth.CookieName + "=" + a.cookies.Value(token) + "; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"; line != want {
			t.Fatalf("Set-Cookie = %q, want %q", line, want)
		}
		return &http.Cookie{Name: auth.CookieName, Value: value}, token
	}
	t.Fatalf("no session cookie in %q", w.Header().Values("Set-Cookie"))
	return nil, ""
}

func count(t *testing.T, a *authApp, query string, args ...any) int {
	t.Helper()
	var n int
	if err := a.pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantRedirect(t *testing.T, w *httptest.ResponseRecorder, htmx bool, to string) {
	t.Helper()
	if htmx {
		wantStatus(t, w, http.StatusOK)
		if got := w.Header().Get("HX-Redirect"); got != to {
			t.Fatalf("HX-Redirect = %q, want %q", got, to)
		}
		return
	}
	wantStatus(t, w, http.StatusSeeOther)
	if got := w.Header().Get("Location"); got != to {
		t.Fatalf("Location = %q, want %q", got, to)
	}
}

func htmxHeaders(htmx bool) []string {
	if htmx {
		return []string{"HX-Request", "true"}
	}
	return nil
}

func TestSignUpPage(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	w := a.do(t, http.MethodGet, "/sign-up", nil, "")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{
		"<title>Create your account · Todo</title>",
		`<label for="sign-up-name">Name</label>`, `<label for="sign-up-email">Email</label>`,
		`<label for="sign-up-password">Password</label>`, `action="/sign-up"`, `class="auth-card`, `href="/sign-in"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-up page lacks %q", want)
		}
	}
}

func TestSignUpWritesWhatBetterAuthWrites(t *testing.T) {
	for _, htmx := range []bool{false, true} {
		t.Run(map[bool]string{false: "plain", true: "htmx"}[htmx], func(t *testing.T) {
			a := newAuthApp(t, generousLimits())
			start := time.Now()
			w := a.post(t, "192.0.2.7", "/sign-up", nil, signUpForm("  Ann Lee ", "  Ann.Lee@Example.COM ", "ﬁﬂ-Passwörd-①②"), htmxHeaders(htmx)...)
			wantRedirect(t, w, htmx, "/")
			cookie, token := sessionCookie(t, a, w)

			ctx := context.Background()
			var userID, name, email string
			var verified bool
			if err := a.pool.QueryRow(ctx, `select id, name, email, email_verified from users`).Scan(&userID, &name, &email, &verified); err != nil {
				t.Fatal(err)
			}
			idShape := regexp.MustCompile(`^[A-Za-z0-9]{32}$`)
			if !idShape.MatchString(userID) || name != "Ann Lee" || email != "ann.lee@example.com" || verified {
				t.Fatalf("user row: %q %q %q %v", userID, name, email, verified)
			}
			var accountID, accountAccountID, provider, hash string
			if err := a.pool.QueryRow(ctx, `select id, account_id, provider_id, password from accounts where user_id = $1`, userID).
				Scan(&accountID, &accountAccountID, &provider, &hash); err != nil {
				t.Fatal(err)
			}
			if !idShape.MatchString(accountID) || accountAccountID != userID || provider != "credential" {
				t.Fatalf("account row: id %q account_id %q provider %q", accountID, accountAccountID, provider)
			}
			if ok, err := auth.NewHasher(1, 0).Verify(ctx, "fifl-Passwörd-12", hash); err != nil || !ok || len(hash) != 161 {
				t.Fatalf("stored hash %q does not verify the NFKC form of the password", hash)
			}
			var sessionID, ip, ua string
			var expires time.Time
			if err := a.pool.QueryRow(ctx, `select id, expires_at, ip_address, user_agent from sessions where token = $1 and user_id = $2`, token, userID).
				Scan(&sessionID, &expires, &ip, &ua); err != nil {
				t.Fatal(err)
			}
			if !idShape.MatchString(sessionID) || !idShape.MatchString(token) || ip != "192.0.2.7" || ua != "auth-handler-test" {
				t.Fatalf("session row: id %q token %q ip %q ua %q", sessionID, token, ip, ua)
			}
			if d := expires.Sub(start.Add(auth.SessionLifetime)); d < -time.Second || d > 5*time.Second {
				t.Fatalf("session expires %v, want about now + 7 days", expires)
			}
			// The cookie opens a page behind the session.
			if w := a.do(t, http.MethodGet, "/account", cookie, ""); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "ann.lee@example.com") {
				t.Fatalf("GET /account with the new cookie: %d", w.Code)
			}
		})
	}
}

func TestSignUpRefusesInvalidInput(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	long := strings.Repeat("a", 250) + "@example.com"
	cases := []struct {
		name             string
		form             url.Values
		field, message   string
		keptName, keptEm string // what the form shows again
	}{
		{"blank name", signUpForm("   ", "a@example.com", "password123"), "name", "Enter your name.", "", "a@example.com"},
		{"long name", signUpForm(strings.Repeat("é", 101), "a@example.com", "password123"), "name", "Name is too long", strings.Repeat("é", 101), "a@example.com"},
		{"name with a tab", signUpForm("Ann\tLee", "a@example.com", "password123"), "name", "control characters", "Ann\tLee", "a@example.com"},
		{"name not UTF-8", signUpForm("Ann\xff", "a@example.com", "password123"), "name", "not valid UTF-8", "", "a@example.com"},
		{"blank email", signUpForm("Ann", " ", "password123"), "email", "Enter your email address.", "Ann", ""},
		{"email without domain", signUpForm("Ann", "ann@example", "password123"), "email", "Enter a valid email address", "Ann", "ann@example"},
		{"email with a space", signUpForm("Ann", "ann lee@example.com", "password123"), "email", "Enter a valid email address", "Ann", "ann lee@example.com"},
		{"email too long", signUpForm("Ann", long, "password123"), "email", "Email is too long", "Ann", long},
		{"email with NUL", signUpForm("Ann", "ann\x00@example.com", "password123"), "email", "NUL", "Ann", ""},
		{"password too short", signUpForm("Ann", "a@example.com", "passwor"), "password", "at least 8", "Ann", "a@example.com"},
		{"password of 3 emoji is 6 UTF-16 units", signUpForm("Ann", "a@example.com", "😀😀😀"), "password", "at least 8", "Ann", "a@example.com"},
		{"password of 65 emoji is 130 UTF-16 units", signUpForm("Ann", "a@example.com", strings.Repeat("😀", 65)), "password", "at most 128", "Ann", "a@example.com"},
		{"password with NUL", signUpForm("Ann", "a@example.com", "password\x00123"), "password", "NUL", "Ann", "a@example.com"},
		{"password not UTF-8", signUpForm("Ann", "a@example.com", "password\xfe123"), "password", "not valid UTF-8", "Ann", "a@example.com"},
	}
	for _, c := range cases {
		for _, htmx := range []bool{false, true} {
			w := a.post(t, "192.0.2.1", "/sign-up", nil, c.form, htmxHeaders(htmx)...)
			if w.Code != http.StatusUnprocessableEntity {
				t.Errorf("%s (htmx %v): status %d, want 422", c.name, htmx, w.Code)
				continue
			}
			body := w.Body.String()
			errID := "sign-up-" + c.field + "-error"
			if !strings.Contains(body, `id="`+errID+`"`) || !strings.Contains(body, c.message) ||
				!regexp.MustCompile(`aria-invalid="true"[^>]*aria-describedby="[^"]*`+errID).MatchString(body) {
				t.Errorf("%s (htmx %v): no %q message tied to the field:\n%s", c.name, htmx, c.message, body)
			}
			for field, kept := range map[string]string{"name": c.keptName, "email": c.keptEm} {
				want := `name="` + field + `" type="[a-z]+" value="` + regexp.QuoteMeta(htmlEscape(kept)) + `"`
				if !regexp.MustCompile(want).MatchString(body) {
					t.Errorf("%s (htmx %v): the %s field does not keep %q", c.name, htmx, field, kept)
				}
			}
			if strings.Contains(body, "password123") || strings.Contains(body, "passwor\"") {
				t.Errorf("%s: the password was sent back", c.name)
			}
			if isPage := strings.Contains(body, "<html"); isPage == htmx {
				t.Errorf("%s (htmx %v): whole page = %v", c.name, htmx, isPage)
			}
		}
	}
	if n := count(t, a, `select count(*) from users`); n != 0 {
		t.Fatalf("%d users stored from invalid input", n)
	}
	// The boundaries themselves are accepted: 64 emoji are 128 UTF-16 units, and a 100-character name.
	w := a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm(strings.Repeat("é", 100), "edge@example.com", strings.Repeat("😀", 64)))
	wantRedirect(t, w, false, "/")
	w = a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Four", "four@example.com", "😀😀😀😀"))
	wantRedirect(t, w, false, "/")
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func TestSignUpEmailTaken(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", "ann@example.com", "password123")), false, "/")
	for _, htmx := range []bool{false, true} {
		w := a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Other Ann", " ANN@Example.com", "password456"), htmxHeaders(htmx)...)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		if body := w.Body.String(); !strings.Contains(body, emailTaken) || !strings.Contains(body, `value="Other Ann"`) {
			t.Fatalf("taken email answer:\n%s", body)
		}
	}
	if n := count(t, a, `select count(*) from users`); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
}

func TestSignUpRefusesMalformedForms(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	// A field sent twice is refused rather than picked.
	w := a.post(t, "192.0.2.1", "/sign-up", nil, url.Values{"name": {"A"}, "email": {"a@example.com", "b@example.com"}, "password": {"password123"}})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if !strings.Contains(w.Body.String(), "more than once") {
		t.Fatalf("duplicate field answer:\n%s", w.Body.String())
	}
	// Over the body limit: 413, nothing stored.
	w = a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("A", "a@example.com", strings.Repeat("x", 70<<10)))
	wantStatus(t, w, http.StatusRequestEntityTooLarge)
	// From another site: 403.
	w = a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("A", "a@example.com", "password123"), "Sec-Fetch-Site", "cross-site")
	wantStatus(t, w, http.StatusForbidden)
	if n := count(t, a, `select count(*) from users`); n != 0 {
		t.Fatalf("%d users stored", n)
	}
}

func TestSignInPage(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	w := a.do(t, http.MethodGet, "/sign-in", nil, "")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{"<title>Sign in · Todo</title>", `<label for="sign-in-email">Email</label>`,
		`<label for="sign-in-password">Password</label>`, `action="/sign-in"`, `href="/sign-up"`} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-in page lacks %q", want)
		}
	}
	if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
}

func TestSignedInVisitorLeavesAuthPages(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	_, cookie := a.signedInUser(t, "Ann")
	for _, path := range []string{"/sign-in", "/sign-up"} {
		wantRedirect(t, a.do(t, http.MethodGet, path, cookie, ""), false, "/")
		wantRedirect(t, a.do(t, http.MethodGet, path, cookie, "", "HX-Request", "true"), true, "/")
		// A cookie that does not verify, or a session that is gone, shows the form.
		bad := &http.Cookie{Name: cookie.Name, Value: auth.NewCookies(testSecret+"x", false).Value("nope")}
		wantStatus(t, a.do(t, http.MethodGet, path, bad, ""), http.StatusOK)
	}
	w := a.do(t, http.MethodGet, "/sign-in", &http.Cookie{Name: cookie.Name, Value: a.cookies.Value(auth.NewID())}, "")
	wantStatus(t, w, http.StatusOK)
}

func TestSignIn(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", "ann@example.com", "ﬁﬂ-Passwörd-①②")), false, "/")

	for _, htmx := range []bool{false, true} {
		// An email typed with capitals and spaces, and the password in its NFKC spelling.
		w := a.post(t, "192.0.2.1", "/sign-in", nil, signInForm("  ANN@Example.com ", "fifl-Passwörd-12"), htmxHeaders(htmx)...)
		wantRedirect(t, w, htmx, "/")
		cookie, token := sessionCookie(t, a, w)
		if n := count(t, a, `select count(*) from sessions where token = $1 and ip_address = '192.0.2.1'`, token); n != 1 {
			t.Fatalf("session row for the new token: %d", n)
		}
		wantStatus(t, a.do(t, http.MethodGet, "/account", cookie, ""), http.StatusOK)

		// Wrong password and unknown email: the same 401 and the same words.
		wrong := a.post(t, "192.0.2.1", "/sign-in", nil, signInForm("ann@example.com", "wrong-password"), htmxHeaders(htmx)...)
		unknown := a.post(t, "192.0.2.1", "/sign-in", nil, signInForm("bob@example.com", "wrong-password"), htmxHeaders(htmx)...)
		for _, w := range []*httptest.ResponseRecorder{wrong, unknown} {
			wantStatus(t, w, http.StatusUnauthorized)
			if strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), "\n"), auth.CookieName+"=") {
				t.Fatal("a failed sign-in set a session cookie")
			}
			if body := w.Body.String(); !strings.Contains(body, invalidCredentials) || strings.Contains(body, "wrong-password") {
				t.Fatalf("401 body:\n%s", body)
			}
		}
		if strings.ReplaceAll(wrong.Body.String(), "ann@", "X@") != strings.ReplaceAll(unknown.Body.String(), "bob@", "X@") {
			t.Fatalf("wrong password and unknown email answer differently:\n%s\n---\n%s", wrong.Body.String(), unknown.Body.String())
		}
		if !strings.Contains(wrong.Body.String(), `value="ann@example.com"`) {
			t.Fatal("the 401 form does not keep the email")
		}
		if isPage := strings.Contains(wrong.Body.String(), "<html"); isPage == htmx {
			t.Fatalf("htmx %v: whole page = %v", htmx, isPage)
		}
	}
	// Invalid input is 422 with the reason, not 401.
	for form, msg := range map[*url.Values]string{
		{"email": {"not-an-email"}, "password": {"password123"}}:               "Enter a valid email address",
		{"email": {"ann@example.com"}, "password": {""}}:                       "Enter your password.",
		{"email": {"ann@example.com"}, "password": {strings.Repeat("x", 129)}}: "at most 128",
		{"email": {"ann@example.com"}, "password": {"pass\x00word"}}:           "NUL",
	} {
		w := a.post(t, "192.0.2.1", "/sign-in", nil, *form)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		if !strings.Contains(w.Body.String(), msg) || !strings.Contains(w.Body.String(), `aria-invalid="true"`) {
			t.Errorf("%v: no %q in\n%s", *form, msg, w.Body.String())
		}
	}
	// A short password is not invalid input at sign-in, only wrong.
	wantStatus(t, a.post(t, "192.0.2.1", "/sign-in", nil, signInForm("ann@example.com", "short")), http.StatusUnauthorized)
}

func TestSignInThrottles(t *testing.T) {
	limits := generousLimits()
	limits.SignInPerClientEmail = rate{3, time.Minute}
	limits.SignInPerEmail = rate{6, time.Minute}
	limits.SignInPerIP = rate{8, time.Minute}
	a := newAuthApp(t, limits)
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", "ann@example.com", "password123")), false, "/")

	// Successful sign-ins use up nothing.
	for range 5 {
		wantRedirect(t, a.post(t, "192.0.2.4", "/sign-in", nil, signInForm("ann@example.com", "password123")), false, "/")
	}
	// Guesses sent all at once can't slip past the limit: each is counted before its hash runs.
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Bob", "bob2@example.com", "password123")), false, "/")
	var wg sync.WaitGroup
	codes := make(chan int, 6)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes <- a.post(t, "192.0.2.1", "/sign-in", nil, signInForm("bob2@example.com", "guess")).Code
		}()
	}
	wg.Wait()
	close(codes)
	got := map[int]int{}
	for c := range codes {
		got[c]++
	}
	if got[http.StatusUnauthorized] != 3 || got[http.StatusTooManyRequests] != 3 {
		t.Fatalf("6 concurrent guesses with a limit of 3: %v", got)
	}

	// Per client and account: three failures from one client, then that client waits, even with the
	// right password; the owner from their own client still gets in.
	for range 3 {
		wantStatus(t, a.post(t, "192.0.2.2", "/sign-in", nil, signInForm("ann@example.com", "wrong")), http.StatusUnauthorized)
	}
	wantStatus(t, a.post(t, "192.0.2.2", "/sign-in", nil, signInForm("ann@example.com", "password123")), http.StatusTooManyRequests)
	wantRedirect(t, a.post(t, "192.0.2.3", "/sign-in", nil, signInForm("ann@example.com", "password123")), false, "/")
	// Per account from every client: the ceiling (6) stops guessing spread over many addresses.
	for i := range 3 {
		wantStatus(t, a.post(t, "192.0.2.5"+string(rune('0'+i)), "/sign-in", nil, signInForm("ann@example.com", "wrong")), http.StatusUnauthorized)
	}
	for _, htmx := range []bool{false, true} {
		w := a.post(t, "192.0.2.3", "/sign-in", nil, signInForm("ANN@example.com", "password123"), htmxHeaders(htmx)...)
		wantStatus(t, w, http.StatusTooManyRequests)
		if got := w.Header().Get("Retry-After"); got != "60" {
			t.Fatalf("Retry-After = %q, want 60", got)
		}
		if body := w.Body.String(); !strings.Contains(body, "Too many failed sign-in attempts for this email. Please wait a minute") ||
			!strings.Contains(body, `value="ANN@example.com"`) {
			t.Fatalf("429 body:\n%s", body)
		}
	}
	// Other accounts are not affected.
	wantStatus(t, a.post(t, "192.0.2.3", "/sign-in", nil, signInForm("bob@example.com", "wrong")), http.StatusUnauthorized)

	// Per client address: every attempt counts, whichever account.
	for i := range 8 {
		w := a.post(t, "192.0.2.9", "/sign-in", nil, signInForm("x"+string(rune('a'+i))+"@example.com", "wrong"))
		wantStatus(t, w, http.StatusUnauthorized)
	}
	w := a.post(t, "192.0.2.9", "/sign-in", nil, signInForm("new@example.com", "wrong"))
	wantStatus(t, w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") != "60" || !strings.Contains(w.Body.String(), "Too many sign-in attempts from your network") {
		t.Fatalf("per-address 429: %q\n%s", w.Header().Get("Retry-After"), w.Body.String())
	}
	wantStatus(t, a.post(t, "192.0.2.10", "/sign-in", nil, signInForm("new@example.com", "wrong")), http.StatusUnauthorized)
}

func TestSignUpThrottles(t *testing.T) {
	limits := generousLimits()
	limits.SignUpPerIP = rate{3, time.Minute}
	limits.SignUpPerEmail = rate{2, 10 * time.Minute}
	a := newAuthApp(t, limits)
	for i := range 3 {
		wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("A", "a"+string(rune('0'+i))+"@example.com", "password123")), false, "/")
	}
	w := a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("A", "a9@example.com", "password123"), "HX-Request", "true")
	wantStatus(t, w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") != "60" || !strings.Contains(w.Body.String(), "Too many sign-ups from your network") ||
		!strings.Contains(w.Body.String(), `value="a9@example.com"`) {
		t.Fatalf("per-address 429: %q\n%s", w.Header().Get("Retry-After"), w.Body.String())
	}
	// Per email, from many addresses: the third try at one address waits ten minutes.
	wantStatus(t, a.post(t, "192.0.2.21", "/sign-up", nil, signUpForm("A", "a0@example.com", "password123")), http.StatusUnprocessableEntity)
	w = a.post(t, "192.0.2.22", "/sign-up", nil, signUpForm("A", "A0@example.com", "password123"))
	wantStatus(t, w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") != "600" || !strings.Contains(w.Body.String(), "Please wait 10 minutes") {
		t.Fatalf("per-email 429: %q\n%s", w.Header().Get("Retry-After"), w.Body.String())
	}
	if n := count(t, a, `select count(*) from users`); n != 3 {
		t.Fatalf("%d users, want 3", n)
	}
}

func TestBusyHasherAnswers429(t *testing.T) {
	limits := generousLimits()
	limits.HashSlots, limits.HashWait = 1, time.Millisecond
	a := newAuthApp(t, limits)
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", "ann@example.com", "password123")), false, "/")

	// Eight sign-ins at once with one hashing slot: the slot holder finishes, the others are told
	// to come back rather than queued.
	const n = 8
	var wg sync.WaitGroup
	results := make([]*httptest.ResponseRecorder, n)
	startLine := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startLine
			results[i] = a.post(t, "192.0.2.1", "/sign-in", nil, signInForm("ann@example.com", "password123"))
		}()
	}
	close(startLine)
	wg.Wait()
	var ok, busy int
	for _, w := range results {
		switch w.Code {
		case http.StatusSeeOther:
			ok++
		case http.StatusTooManyRequests:
			busy++
			if w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "Many people are signing in right now") {
				t.Fatalf("busy answer: %q\n%s", w.Header().Get("Retry-After"), w.Body.String())
			}
		default:
			t.Fatalf("status %d:\n%s", w.Code, w.Body.String())
		}
	}
	if ok == 0 || busy == 0 {
		t.Fatalf("%d signed in, %d told to wait; want some of each", ok, busy)
	}
}

func TestSignOut(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	for _, htmx := range []bool{false, true} {
		u, cookie := a.signedInUser(t, "Ann")
		token, _ := a.cookies.Token(cookie.Value)
		w := a.post(t, "192.0.2.1", "/sign-out", cookie, nil, htmxHeaders(htmx)...)
		wantRedirect(t, w, htmx, "/sign-in")
		if n := count(t, a, `select count(*) from sessions where token = $1`, token); n != 0 {
			t.Fatal("the session row survived sign-out")
		}
		set := strings.Join(w.Header().Values("Set-Cookie"), "\n")
		for _, name := range []string{"better-auth.session_token", "better-auth.session_data", "better-auth.dont_remember"} {
			if !strings.Contains(set, name+"=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax") {
				t.Fatalf("%s not cleared:\n%s", name, set)
			}
		}
		// The old cookie opens nothing, and the sign-in page says what happened.
		wantRedirect(t, a.do(t, http.MethodGet, "/account", cookie, ""), false, "/sign-in")
		flash := flashCookieOf(t, w)
		page := a.do(t, http.MethodGet, "/sign-in", flash, "")
		wantStatus(t, page, http.StatusOK)
		if !strings.Contains(page.Body.String(), "You have signed out.") {
			t.Fatalf("no flash on the sign-in page:\n%s", page.Body.String())
		}
		if n := count(t, a, `select count(*) from users where id = $1`, u.ID); n != 1 {
			t.Fatal("sign-out deleted the user")
		}
	}
	// Without a session there is nothing to end; the answer is the same.
	wantRedirect(t, a.post(t, "192.0.2.1", "/sign-out", nil, nil), false, "/sign-in")
}

func flashCookieOf(t *testing.T, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	for _, c := range w.Result().Cookies() {
		if c.Name == flashCookie && c.Value != "" {
			return c
		}
	}
	t.Fatalf("no flash cookie in %q", w.Header().Values("Set-Cookie"))
	return nil
}

func TestAccountPage(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	wantRedirect(t, a.do(t, http.MethodGet, "/account", nil, ""), false, "/sign-in")
	w := a.do(t, http.MethodGet, "/account", nil, "", "HX-Request", "true")
	if w.Code != http.StatusUnauthorized || w.Header().Get("HX-Redirect") != "/sign-in" {
		t.Fatalf("htmx without session: %d %q", w.Code, w.Header().Get("HX-Redirect"))
	}
	u, cookie := a.signedInUser(t, "Ann")
	w = a.do(t, http.MethodGet, "/account", cookie, "")
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{"<title>Account · Todo</title>", u.Email, `action="/account/delete"`,
		`<label for="delete-account-password">Password</label>`, `type="password"`,
		`<a href="/account/export" download="tasks.json" data-testid="export-tasks">Export my tasks (JSON)</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("account page lacks %q", want)
		}
	}
}

func TestDeleteAccount(t *testing.T) {
	a := newAuthApp(t, generousLimits())
	for _, htmx := range []bool{false, true} {
		email := map[bool]string{false: "plain@example.com", true: "htmx@example.com"}[htmx]
		su := a.post(t, "192.0.2.1", "/sign-up", nil, signUpForm("Ann", email, "ﬁﬂ-Passwörd-①②"))
		wantRedirect(t, su, false, "/")
		cookie, _ := sessionCookie(t, a, su)
		var userID string
		if err := a.pool.QueryRow(context.Background(), `select id from users where email = $1`, email).Scan(&userID); err != nil {
			t.Fatal(err)
		}
		if _, err := a.store.Tasks(userID).Create(context.Background(), todo.Input{Title: "Keep me"}); err != nil {
			t.Fatal(err)
		}

		// Wrong and missing passwords delete nothing.
		w := a.post(t, "192.0.2.1", "/account/delete", cookie, url.Values{"password": {"password123"}}, htmxHeaders(htmx)...)
		wantStatus(t, w, http.StatusUnauthorized)
		if body := w.Body.String(); !strings.Contains(body, "That is not your password") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Fatalf("401 body:\n%s", body)
		}
		w = a.post(t, "192.0.2.1", "/account/delete", cookie, url.Values{"password": {""}}, htmxHeaders(htmx)...)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		if n := count(t, a, `select count(*) from tasks where user_id = $1`, userID); n != 1 {
			t.Fatal("a refused deletion touched the tasks")
		}
		// Without a session: no deletion.
		wantRedirect(t, a.post(t, "192.0.2.1", "/account/delete", nil, url.Values{"password": {"ﬁﬂ-Passwörd-①②"}}), false, "/sign-in")

		w = a.post(t, "192.0.2.1", "/account/delete", cookie, url.Values{"password": {"ﬁﬂ-Passwörd-①②"}}, htmxHeaders(htmx)...)
		wantRedirect(t, w, htmx, "/sign-up")
		for table, q := range map[string]string{
			"users": `select count(*) from users where id = $1`, "accounts": `select count(*) from accounts where user_id = $1`,
			"sessions": `select count(*) from sessions where user_id = $1`, "tasks": `select count(*) from tasks where user_id = $1`,
		} {
			if n := count(t, a, q, userID); n != 0 {
				t.Fatalf("%d rows left in %s", n, table)
			}
		}
		if !strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), "\n"), "better-auth.session_token=; Max-Age=0") {
			t.Fatal("session cookie not cleared")
		}
		page := a.do(t, http.MethodGet, "/sign-up", flashCookieOf(t, w), "")
		if !strings.Contains(page.Body.String(), "Your account and all your tasks have been deleted.") {
			t.Fatalf("no flash on the sign-up page:\n%s", page.Body.String())
		}
	}
}

// Under an https:// BETTER_AUTH_URL the session cookie is __Secure-better-auth.session_token with
// Secure, and the plain name is ignored, as in Better Auth.
func TestSignInUnderHTTPS(t *testing.T) {
	st := pgtest.NewStore(t)
	limits := generousLimits()
	a := newTestAppOn(t, st, "https://todo.example", &limits)
	w := a.do(t, http.MethodPost, "/sign-up", nil, signUpForm("Sue", "sue@example.com", "password123").Encode())
	wantRedirect(t, w, false, "/")
	var line string
	for _, l := range w.Header().Values("Set-Cookie") {
		if strings.HasPrefix(l, "__Secure-better-auth.session_token=") {
			line = l
		}
	}
	value := strings.TrimPrefix(strings.SplitN(line, ";", 2)[0], "__Secure-better-auth.session_token=")
	token, ok := a.cookies.Token(value)
	if !ok || line != "__Secure-better-auth.session_token="+value+"; Max-Age=604800; Path=/; HttpOnly; SameSite=Lax; Secure" {
		t.Fatalf("Set-Cookie under https: %q", w.Header().Values("Set-Cookie"))
	}
	wantStatus(t, a.do(t, http.MethodGet, "/account", &http.Cookie{Name: auth.SecureCookieName, Value: value}, ""), http.StatusOK)
	wantRedirect(t, a.do(t, http.MethodGet, "/account", &http.Cookie{Name: auth.CookieName, Value: value}, ""), false, "/sign-in")

	w = a.do(t, http.MethodPost, "/sign-out", &http.Cookie{Name: auth.SecureCookieName, Value: value}, "")
	wantRedirect(t, w, false, "/sign-in")
	if !strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), "\n"), "__Secure-better-auth.session_token=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure") {
		t.Fatalf("sign-out under https: %q", w.Header().Values("Set-Cookie"))
	}
	if _, err := st.SessionByToken(context.Background(), token); err == nil {
		t.Fatal("session row survived sign-out")
	}
}
