package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"todo/web/auth"
)

var resetLink = regexp.MustCompile(`http://example\.test/reset-password\?token=([A-Za-z0-9]{24})`)

// requestReset posts the forgot-password form and waits for the work it started.
func (a *accountApp) requestReset(t *testing.T, ip, email string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	w := a.post(t, ip, "/forgot-password", nil, url.Values{"email": {email}}, headers...)
	a.jobs.Wait()
	return w
}

// mailedToken is the token of the next reset mail to email.
func (a *accountApp) mailedToken(t *testing.T, email string) string {
	t.Helper()
	m, err := a.sink.WaitFor(email, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	text, html := resetLink.FindStringSubmatch(m.Text), resetLink.FindStringSubmatch(m.HTML)
	if text == nil || html == nil || text[1] != html[1] {
		t.Fatalf("the mail's text and HTML must both carry the link:\n%s\n----\n%s", m.Text, m.HTML)
	}
	if m.Subject != "Reset your Todo password" || !strings.Contains(m.Header.Get("From"), "todo@example.test") {
		t.Fatalf("subject %q from %q", m.Subject, m.Header.Get("From"))
	}
	return text[1]
}

func TestForgotPasswordAnswersAlikeAndMailsOnlyAccounts(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), true)
	a.signUp(t, "Ann", "ann@example.com", "password-123")

	known := a.requestReset(t, "192.0.2.1", "  ANN@example.com ")
	unknown := a.requestReset(t, "192.0.2.1", "nobody@example.com")
	for _, w := range []*httptest.ResponseRecorder{known, unknown} {
		wantRedirect(t, w, false, "/sign-in")
	}
	// The same headers apart from the flash cookie's sealed value, and the same page after it but
	// for the address typed.
	if strings.Join(headerNames(known), " ") != strings.Join(headerNames(unknown), " ") {
		t.Fatalf("headers differ: %v vs %v", headerNames(known), headerNames(unknown))
	}
	pageKnown := a.withCookies(t, "/sign-in", flashCookieOf(t, known)).Body.String()
	pageUnknown := a.withCookies(t, "/sign-in", flashCookieOf(t, unknown)).Body.String()
	if strings.ReplaceAll(pageKnown, "ann@example.com", "X") != strings.ReplaceAll(pageUnknown, "nobody@example.com", "X") ||
		!strings.Contains(pageKnown, "If ann@example.com belongs to an account") {
		t.Fatalf("the pages after the request differ:\n%s\n----\n%s", pageKnown, pageUnknown)
	}
	// Only the account got mail, and a Better Auth row backs its link.
	token := a.mailedToken(t, "ann@example.com")
	if n := a.sink.CountTo("nobody@example.com"); n != 0 {
		t.Fatalf("%d mails to an address without an account", n)
	}
	var id, value string
	var expires, created time.Time
	if err := a.pool.QueryRow(context.Background(),
		`select id, value, expires_at, created_at from verifications where identifier = $1`, "reset-password:"+token).
		Scan(&id, &value, &expires, &created); err != nil {
		t.Fatal(err)
	}
	if len(id) != 32 || value != a.userID(t, "ann@example.com") || expires.Sub(created).Round(time.Second) != time.Hour {
		t.Fatalf("verifications row: %q %q, lifetime %v", id, value, expires.Sub(created))
	}
	if n := count(t, a.authApp, `select count(*) from verifications`); n != 1 {
		t.Fatalf("%d verifications rows, want 1", n)
	}

	// Invalid input is the only thing said to be wrong (422), with the form; htmx gets the form alone.
	for _, email := range []string{"", "not-an-email", "a@b", strings.Repeat("x", 250) + "@example.com", "nul\x00@example.com"} {
		for _, htmx := range []bool{false, true} {
			w := a.requestReset(t, "192.0.2.1", email, htmxHeaders(htmx)...)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			wantBodyHas(t, w, `id="forgot-password-form"`, `data-testid="email-error"`)
		}
	}
	wantRedirect(t, a.requestReset(t, "192.0.2.1", "nobody@example.com", "HX-Request", "true"), true, "/sign-in")
	wantStatus(t, a.post(t, "192.0.2.1", "/forgot-password", nil, url.Values{"email": {"ann@example.com"}}, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden)
	page := a.do(t, http.MethodGet, "/forgot-password", nil, "")
	wantStatus(t, page, http.StatusOK)
	wantBodyHas(t, page, `action="/forgot-password"`, `name="email"`)
}

func headerNames(w *httptest.ResponseRecorder) []string {
	var names []string
	for k, v := range w.Header() {
		if k == "Set-Cookie" {
			for _, c := range v {
				name, _, _ := strings.Cut(c, "=")
				names = append(names, "cookie:"+name)
			}
			continue
		}
		names = append(names, k+"="+strings.Join(v, ","))
	}
	slices.Sort(names)
	return names
}

// The answer for an address with an account takes as long as for one without: the lookup, the
// token and the mail all happen after it. Measured in pairs back to back, by median, as the sign-in
// timing test does; a series spoiled by outside load is measured again, at most three times.
func TestForgotPasswordTimingDoesNotTellAccountsApart(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), true)
	a.signUp(t, "Tom", "tom@example.com", "password-123")
	measure := func(email string) time.Duration {
		start := time.Now()
		w := a.post(t, "192.0.2.1", "/forgot-password", nil, url.Values{"email": {email}})
		d := time.Since(start)
		wantRedirect(t, w, false, "/sign-in")
		a.jobs.Wait() // the mail goes out between measurements, not during them
		return d
	}
	measure("warm-up@example.com")
	const rounds = 15
	for series := 1; ; series++ {
		var known, unknown, ratios []float64
		for i := range rounds {
			var k, u time.Duration
			if i%2 == 0 {
				k, u = measure("tom@example.com"), measure("nobody@example.com")
			} else {
				u, k = measure("nobody@example.com"), measure("tom@example.com")
			}
			known, unknown = append(known, float64(k)), append(unknown, float64(u))
			ratios = append(ratios, float64(k)/float64(u))
		}
		mk, mu, ratio := median(known), median(unknown), median(ratios)
		t.Logf("series %d, median of %d: account %v, no account %v; median ratio %.3f", series, rounds,
			time.Duration(mk).Round(time.Microsecond), time.Duration(mu).Round(time.Microsecond), ratio)
		if ratio > 0.75 && ratio < 1.33 {
			break
		}
		if series == 3 {
			t.Fatal("the answers for an account and for no account differ by more than a third in three series")
		}
	}
	if n := a.sink.CountTo("tom@example.com"); n < rounds {
		t.Fatalf("%d mails to the account", n)
	}
}

// Per client: over the limit is 429 for every address alike. Per address: over the limit the
// answer is unchanged and no more mail goes out; links already sent keep working.
func TestForgotPasswordThrottles(t *testing.T) {
	account := generousAccountLimits()
	account.ForgotPerIP = rate{4, time.Minute}
	account.ForgotPerEmail = rate{2, time.Minute}
	a := newAccountApp(t, generousLimits(), account, true)
	a.signUp(t, "Ivy", "ivy@example.com", "password-123")

	for range 3 {
		wantRedirect(t, a.requestReset(t, "192.0.2.20", "ivy@example.com"), false, "/sign-in")
	}
	if n := a.sink.CountTo("ivy@example.com"); n != 2 {
		t.Fatalf("%d mails, want 2 (the per-address limit)", n)
	}
	first := a.mailedToken(t, "ivy@example.com")
	wantRedirect(t, a.requestReset(t, "192.0.2.20", "nobody@example.com"), false, "/sign-in")
	for _, email := range []string{"ivy@example.com", "nobody@example.com"} {
		w := a.requestReset(t, "192.0.2.20", email)
		wantStatus(t, w, http.StatusTooManyRequests)
		if w.Header().Get("Retry-After") == "" {
			t.Fatal("429 without Retry-After")
		}
		wantBodyHas(t, w, "Too many reset requests from your network")
	}
	// Another client is not held up, and the owner's first link still works.
	wantRedirect(t, a.requestReset(t, "192.0.2.21", "nobody@example.com"), false, "/sign-in")
	wantRedirect(t, a.post(t, "192.0.2.21", "/reset-password", nil, url.Values{"token": {first}, "new_password": {"a-new-password"}}), false, "/sign-in")
}

func TestResetPassword(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), true)
	const email = "rex@example.com"
	first := a.signUp(t, "Rex", email, "old-password-1")
	second := a.signIn(t, email, "old-password-1", firefoxOnMac)
	a.requestReset(t, "192.0.2.1", email)
	token := a.mailedToken(t, email)
	before := a.hashOf(t, email)

	// The link: a form carrying the token, sent nowhere else.
	w := a.do(t, http.MethodGet, "/reset-password?token="+token, nil, "")
	wantStatus(t, w, http.StatusOK)
	wantBodyHas(t, w, `name="token" value="`+token+`"`, `name="new_password"`, `action="/reset-password"`)
	if w.Header().Get("Referrer-Policy") != "no-referrer" || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("headers %v", w.Header())
	}
	// Bad links: 400 with a way to a new one, GET and POST, plain and htmx.
	a.requestReset(t, "192.0.2.1", email)
	expired := a.mailedToken(t, email)
	if _, err := a.pool.Exec(context.Background(), `update verifications set expires_at = now() - interval '1 second' where identifier = $1`, "reset-password:"+expired); err != nil {
		t.Fatal(err)
	}
	bad := map[string]string{
		"":                      "not valid",
		"short":                 "not valid",
		strings.Repeat("A", 24): "not valid",
		token[:23] + "!":        "not valid",
		strings.ToLower(token):  "not valid",
		expired:                 "has expired",
		token + "x":             "not valid",
	}
	delete(bad, token) // in case the token happens to be all lower case
	for tok, says := range bad {
		for _, htmx := range []bool{false, true} {
			w := a.do(t, http.MethodGet, "/reset-password?token="+url.QueryEscape(tok), nil, "", htmxHeaders(htmx)...)
			wantStatus(t, w, http.StatusBadRequest)
			wantBodyHas(t, w, says, `href="/forgot-password"`)
			w = a.post(t, "192.0.2.1", "/reset-password", nil, url.Values{"token": {tok}, "new_password": {"a-new-password"}}, htmxHeaders(htmx)...)
			wantStatus(t, w, http.StatusBadRequest)
			wantBodyHas(t, w, says)
		}
	}
	// An invalid new password: 422 with the form and the token, which stays usable.
	for pw, says := range map[string]string{"": "Choose a password.", "short": "too short", strings.Repeat("p", 129): "too long"} {
		w := a.post(t, "192.0.2.1", "/reset-password", nil, url.Values{"token": {token}, "new_password": {pw}})
		wantStatus(t, w, http.StatusUnprocessableEntity)
		wantBodyHas(t, w, says, `value="`+token+`"`)
	}
	if a.hashOf(t, email) != before || !a.alive(t, first) || !a.alive(t, second) {
		t.Fatal("a refused reset changed something")
	}

	// Used, twice at once: exactly one wins; it signs the user out everywhere, this browser too.
	const next = "brand-new-password-3"
	var wg sync.WaitGroup
	answers := make([]*httptest.ResponseRecorder, 2)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = a.post(t, "192.0.2.1", "/reset-password", first, url.Values{"token": {token}, "new_password": {next}})
		}()
	}
	wg.Wait()
	codes := []int{answers[0].Code, answers[1].Code}
	if !(codes[0] == http.StatusSeeOther && codes[1] == http.StatusBadRequest) && !(codes[1] == http.StatusSeeOther && codes[0] == http.StatusBadRequest) {
		t.Fatalf("two uses of one token at once: %v, want one 303 and one 400", codes)
	}
	for _, w := range answers {
		if w.Code == http.StatusSeeOther {
			wantRedirect(t, w, false, "/sign-in")
			if !strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), "\n"), "better-auth.session_token=; Max-Age=0") {
				t.Fatal("the reset did not clear this browser's session cookie")
			}
			wantBodyHas(t, a.withCookies(t, "/sign-in", flashCookieOf(t, w)), "signed out everywhere")
		}
	}
	if a.alive(t, first) || a.alive(t, second) || count(t, a.authApp, `select count(*) from sessions where user_id = $1`, a.userID(t, email)) != 0 {
		t.Fatal("a session survived the reset")
	}
	if ok, _ := auth.NewHasher(1, 0).Verify(context.Background(), next, a.hashOf(t, email)); !ok {
		t.Fatal("the new password is not stored in Better Auth's format")
	}
	if a.signsIn(t, email, "old-password-1") || !a.signsIn(t, email, next) {
		t.Fatal("sign-in does not follow the reset")
	}
	wantStatus(t, a.do(t, http.MethodGet, "/reset-password?token="+token, nil, ""), http.StatusBadRequest)
	if n := count(t, a.authApp, `select count(*) from verifications where identifier = $1`, "reset-password:"+token); n != 0 {
		t.Fatal("the used token's row is still there")
	}
}

// A user with no password (signed up through another Better Auth provider) gets a credential
// account from a reset, as Better Auth's reset-password does.
func TestResetPasswordCreatesTheCredentialAccount(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), true)
	a.signUp(t, "Oli", "oli@example.com", "password-123")
	id := a.userID(t, "oli@example.com")
	if _, err := a.pool.Exec(context.Background(), `update accounts set provider_id = 'github', password = null where user_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	a.requestReset(t, "192.0.2.1", "oli@example.com")
	token := a.mailedToken(t, "oli@example.com")
	wantRedirect(t, a.post(t, "192.0.2.1", "/reset-password", nil, url.Values{"token": {token}, "new_password": {"first-password-1"}}), false, "/sign-in")
	var accountID string
	if err := a.pool.QueryRow(context.Background(), `select account_id from accounts where user_id = $1 and provider_id = 'credential'`, id).Scan(&accountID); err != nil || accountID != id {
		t.Fatalf("credential account: account_id %q, %v", accountID, err)
	}
	if !a.signsIn(t, "oli@example.com", "first-password-1") {
		t.Fatal("the new credential account does not sign in")
	}
}

func TestResetPasswordThrottlePerClient(t *testing.T) {
	account := generousAccountLimits()
	account.ResetPerIP = rate{3, time.Minute}
	a := newAccountApp(t, generousLimits(), account, true)
	for range 3 {
		wantStatus(t, a.post(t, "192.0.2.30", "/reset-password", nil, url.Values{"token": {strings.Repeat("A", 24)}, "new_password": {"a-new-password"}}), http.StatusBadRequest)
	}
	w := a.post(t, "192.0.2.30", "/reset-password", nil, url.Values{"token": {strings.Repeat("A", 24)}, "new_password": {"a-new-password"}})
	wantStatus(t, w, http.StatusTooManyRequests)
	wantBodyHas(t, w, "Too many password resets from your network")
	wantStatus(t, a.post(t, "192.0.2.31", "/reset-password", nil, url.Values{"token": {strings.Repeat("A", 24)}, "new_password": {"a-new-password"}}), http.StatusBadRequest)
}

// With SMTP the link goes only to the mailbox: never to the log. Without SMTP the log is the
// mailbox (the development mailer), and the link is there for the developer to follow.
func TestResetLinkStaysOutOfTheLogWithSMTP(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), true)
	a.signUp(t, "Lea", "lea@example.com", "password-123")
	a.requestReset(t, "192.0.2.1", "lea@example.com")
	token := a.mailedToken(t, "lea@example.com")
	a.do(t, http.MethodGet, "/reset-password?token="+token, nil, "")
	a.post(t, "192.0.2.1", "/reset-password", nil, url.Values{"token": {token}, "new_password": {"short"}})
	if logs := a.logs.String(); strings.Contains(logs, token) || !strings.Contains(logs, `"path":"/reset-password"`) {
		t.Fatalf("the log holds the token (or no request lines):\n%s", logs)
	}

	dev := newAccountApp(t, generousLimits(), generousAccountLimits(), false)
	dev.signUp(t, "Dev", "dev@example.com", "password-123")
	dev.requestReset(t, "192.0.2.1", "dev@example.com")
	if m := resetLink.FindStringSubmatch(dev.logs.String()); m == nil || !strings.Contains(dev.logs.String(), "SMTP_URL is not set") {
		t.Fatalf("the development mailer did not log the link:\n%s", dev.logs.String())
	}
}
