package interop

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"todo/internal/pgtest"
	"todo/internal/smtptest"
	"todo/mail"
	"todo/web/auth"
)

// TestAccountInteropWithBetterAuth proves the account features against the real Better Auth on one
// database: a password changed here signs in there; a reset token made by either side works on the
// other; a session revoked by either side is gone for both; a name changed here is Better Auth's.
func TestAccountInteropWithBetterAuth(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	ba := startBetterAuth(t, dbURL)
	sink, err := smtptest.Start(smtptest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	server, _ := mail.ParseURL(sink.URL())
	from, _ := mail.ParseFrom("Todo <todo@example.test>")
	app := startAppWithMail(t, dbURL, mail.NewSMTP(server, from, nil))
	pool := pgtest.Pool(t, dbURL)
	codec := auth.NewCookies(secret, false)
	ctx := context.Background()

	p := peers{t: t, ba: ba, app: app, codec: codec}

	t.Run("a password changed here signs in on Better Auth; the old one no longer does", func(t *testing.T) {
		p.t = t
		email := "cora.change@example.com"
		appCookie := p.appSignUp("Cora Change", email, password)
		baCookie := p.baSignIn(email, password)
		const newPassword = "a-brand-new-Passwort-②"
		resp, body := app.request(t, http.MethodPost, "/account/password", url.Values{
			"current_password": {password}, "new_password": {newPassword}, "revoke_other_sessions": {"on"},
		}, appCookie)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
			t.Fatalf("change password: %d %q\n%s", resp.StatusCode, resp.Header.Get("Location"), body)
		}
		if !p.appSees(appCookie) || p.baSession(appCookie) == nil {
			t.Fatal("the session that changed the password was signed out")
		}
		if p.baSession(baCookie) != nil {
			t.Fatal("Better Auth still accepts the other session after revoke_other_sessions")
		}
		p.baSignIn(email, newPassword)
		if resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-in/email",
			map[string]string{"email": email, "password": password}, ""); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("Better Auth accepted the old password: %d %v", resp.StatusCode, body)
		}
		// And the reverse: Better Auth's change-password, then the app signs in with it.
		baCookie = p.baSignIn(email, newPassword)
		if resp, body := ba.call(t, http.MethodPost, "/api/auth/change-password",
			map[string]any{"currentPassword": newPassword, "newPassword": password}, baCookie); resp.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth change-password: %d %v", resp.StatusCode, body)
		}
		p.appSignIn(email, password)
	})

	t.Run("a reset token made by Better Auth works here, once, and signs the user out everywhere", func(t *testing.T) {
		p.t = t
		email := "rita.reset@example.com"
		baCookie, _, userID := p.baSignUp("Rita Reset", email)
		appCookie := p.appSignIn(email, password)
		resp, body := ba.call(t, http.MethodPost, "/api/auth/request-password-reset",
			map[string]string{"email": email, "redirectTo": "/reset-password"}, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("request-password-reset: %d %v", resp.StatusCode, body)
		}
		m := p.baMail(email)
		// Better Auth's link leads to our page with the token, once its redirect is followed.
		location := p.baFollow(m.URL)
		if location.Path != "/reset-password" || location.Query().Get("token") != m.Token {
			t.Fatalf("Better Auth's link leads to %s", location)
		}
		page, html := app.request(t, http.MethodGet, location.RequestURI(), nil, "")
		if page.StatusCode != http.StatusOK || !strings.Contains(html, `value="`+m.Token+`"`) {
			t.Fatalf("GET %s: %d\n%s", location.RequestURI(), page.StatusCode, html)
		}
		const newPassword = "reset-by-ba-token-9"
		resp2, html := app.request(t, http.MethodPost, "/reset-password", url.Values{"token": {m.Token}, "new_password": {newPassword}}, "")
		if resp2.StatusCode != http.StatusSeeOther || resp2.Header.Get("Location") != "/sign-in" {
			t.Fatalf("reset with Better Auth's token: %d\n%s", resp2.StatusCode, html)
		}
		if n := rows(t, pool, `select count(*) from sessions where user_id = $1`, userID); n != 0 {
			t.Fatalf("%d sessions left after the reset", n)
		}
		if p.appSees(appCookie) || p.baSession(baCookie) != nil {
			t.Fatal("a session survived the reset")
		}
		p.baSignIn(email, newPassword)
		p.appSignIn(email, newPassword)
		// Used once: neither side takes it again.
		if resp, _ := app.request(t, http.MethodPost, "/reset-password", url.Values{"token": {m.Token}, "new_password": {"another-one-123"}}, ""); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("the app took a used token: %d", resp.StatusCode)
		}
		if resp, body := ba.call(t, http.MethodPost, "/api/auth/reset-password", map[string]string{"token": m.Token, "newPassword": "another-one-123"}, ""); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("Better Auth took a used token: %d %v", resp.StatusCode, body)
		}
	})

	t.Run("a reset token made here is Better Auth's row and works on its reset-password", func(t *testing.T) {
		p.t = t
		email := "hugo.here@example.com"
		appCookie := p.appSignUp("Hugo Here", email, password)
		baCookie := p.baSignIn(email, password)
		resp, body := app.request(t, http.MethodPost, "/forgot-password", url.Values{"email": {"Hugo.Here@Example.com"}}, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("forgot-password: %d\n%s", resp.StatusCode, body)
		}
		msg, err := sink.WaitFor(email, 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		token := tokenFromLink(t, msg.Text, app.url)
		if !strings.Contains(msg.HTML, `href="`+app.url+`/reset-password?token=`+token+`"`) {
			t.Fatalf("the HTML body lacks the link:\n%s", msg.HTML)
		}
		// The row, exactly Better Auth's.
		var id, value string
		var expires, created, updated time.Time
		if err := pool.QueryRow(ctx, `select id, value, expires_at, created_at, updated_at from verifications where identifier = $1`,
			"reset-password:"+token).Scan(&id, &value, &expires, &created, &updated); err != nil {
			t.Fatal(err)
		}
		var userID string
		pool.QueryRow(ctx, `select id from users where email = $1`, email).Scan(&userID)
		if !regexp.MustCompile(`^[A-Za-z0-9]{32}$`).MatchString(id) || value != userID || !created.Equal(updated) ||
			expires.Sub(created) < time.Hour-time.Second || expires.Sub(created) > time.Hour+time.Second {
			t.Fatalf("row: id %q value %q (user %q) created %v updated %v expires %v", id, value, userID, created, updated, expires)
		}
		// Better Auth's own link check accepts it (and does not use it up).
		location := p.baFollow(ba.url + "/api/auth/reset-password/" + token + "?callbackURL=" + url.QueryEscape("/reset-password"))
		if location.Query().Get("token") != token || location.Query().Get("error") != "" {
			t.Fatalf("Better Auth's link check: %s", location)
		}
		const newPassword = "set-on-better-auth-7"
		resp2, body2 := ba.call(t, http.MethodPost, "/api/auth/reset-password", map[string]string{"token": token, "newPassword": newPassword}, "")
		if resp2.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth reset-password with our token: %d %v", resp2.StatusCode, body2)
		}
		p.appSignIn(email, newPassword)
		if p.appSees(appCookie) || p.baSession(baCookie) != nil {
			t.Fatal("a session survived Better Auth's reset")
		}
		if resp, _ := app.request(t, http.MethodGet, "/reset-password?token="+token, nil, ""); resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("the app still offers a token Better Auth used: %d", resp.StatusCode)
		}
	})

	t.Run("sessions revoked here are gone from Better Auth's list-sessions, and the reverse", func(t *testing.T) {
		p.t = t
		email := "sid.sessions@example.com"
		appCookie := p.appSignUp("Sid Sessions", email, password)
		b1, b2 := p.baSignIn(email, password), p.baSignIn(email, password)
		appToken, _ := codec.Token(appCookie)
		b2Token, _ := codec.Token(b2)

		listed := p.baListSessions(b1)
		shown, current := p.appSessions(appCookie)
		if len(listed) != 3 || strings.Join(sortedKeys(listed), " ") != strings.Join(shown, " ") {
			t.Fatalf("Better Auth lists %v, the app shows %v", sortedKeys(listed), shown)
		}
		if listed[current] != appToken {
			t.Fatalf("the app marks %s as this device; its token is not the app's cookie's", current)
		}
		// Revoked here → gone there.
		var b2ID string
		for id, tok := range listed {
			if tok == b2Token {
				b2ID = id
			}
		}
		resp, body := app.request(t, http.MethodPost, "/account/sessions/"+b2ID+"/revoke", url.Values{}, appCookie)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/account" {
			t.Fatalf("revoke: %d\n%s", resp.StatusCode, body)
		}
		if l := p.baListSessions(b1); len(l) != 2 || l[b2ID] != "" {
			t.Fatalf("after revoking %s here Better Auth lists %v", b2ID, sortedKeys(l))
		}
		if p.baSession(b2) != nil {
			t.Fatal("Better Auth still accepts the revoked session")
		}
		// Revoked there → gone here.
		if resp, body := ba.call(t, http.MethodPost, "/api/auth/revoke-session", map[string]string{"token": appToken}, b1); resp.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth revoke-session: %d %v", resp.StatusCode, body)
		}
		if p.appSees(appCookie) {
			t.Fatal("the app still accepts a session Better Auth revoked")
		}
		// Revoke-others here leaves only this one for Better Auth; Better Auth's leaves only its own here.
		a2 := p.appSignIn(email, password)
		p.baSignIn(email, password)
		if resp, _ := app.request(t, http.MethodPost, "/account/sessions/revoke-others", url.Values{}, a2); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke-others: %d", resp.StatusCode)
		}
		if l := p.baListSessions(a2); len(l) != 1 {
			t.Fatalf("after revoke-others here Better Auth lists %d sessions", len(l))
		}
		b3 := p.baSignIn(email, password)
		if resp, body := ba.call(t, http.MethodPost, "/api/auth/revoke-other-sessions", map[string]any{}, b3); resp.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth revoke-other-sessions: %d %v", resp.StatusCode, body)
		}
		if p.appSees(a2) {
			t.Fatal("the app still accepts a session Better Auth's revoke-other-sessions ended")
		}
		if shown, _ := p.appSessions(p.appSignIn(email, password)); len(shown) != 2 {
			t.Fatalf("the app shows %d sessions, want Better Auth's and its own", len(shown))
		}
		// Another user's session id is 404 here, and stays.
		other := p.appSignUp("Olga Other", "olga.other@example.com", password)
		if resp, _ := app.request(t, http.MethodPost, "/account/sessions/"+b2ID+"x/revoke", url.Values{}, other); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("unknown session id: %d", resp.StatusCode)
		}
		b3ID := ""
		for id, tok := range p.baListSessions(b3) {
			if c, _ := codec.Token(b3); tok == c {
				b3ID = id
			}
		}
		if resp, _ := app.request(t, http.MethodPost, "/account/sessions/"+b3ID+"/revoke", url.Values{}, other); resp.StatusCode != http.StatusNotFound {
			t.Fatalf("another user's session id: %d", resp.StatusCode)
		}
		if p.baSession(b3) == nil {
			t.Fatal("another user's revoke ended the session")
		}
	})

	t.Run("a name changed here is the name Better Auth returns", func(t *testing.T) {
		p.t = t
		cookie := p.appSignUp("Nina Name", "nina.name@example.com", password)
		resp, body := app.request(t, http.MethodPost, "/account/name", url.Values{"name": {"  Nina Renamed  "}}, cookie)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("change name: %d\n%s", resp.StatusCode, body)
		}
		user, _ := p.baSession(cookie)["user"].(map[string]any)
		if user["name"] != "Nina Renamed" {
			t.Fatalf("Better Auth's user: %v", user)
		}
	})
}

// peers are the two servers as one test drives them.
type peers struct {
	t     *testing.T
	ba    *betterAuth
	app   *app
	codec auth.Cookies
}

func (p peers) appSignUp(name, email, pw string) string {
	p.t.Helper()
	resp, body := p.app.request(p.t, http.MethodPost, "/sign-up", url.Values{"name": {name}, "email": {email}, "password": {pw}}, "")
	cookie, _ := sessionCookieValue(resp)
	if resp.StatusCode != http.StatusSeeOther || cookie == "" {
		p.t.Fatalf("app sign-up: %d\n%s", resp.StatusCode, body)
	}
	return cookie
}

func (p peers) appSignIn(email, pw string) string {
	p.t.Helper()
	resp, body := p.app.request(p.t, http.MethodPost, "/sign-in", url.Values{"email": {email}, "password": {pw}}, "")
	cookie, _ := sessionCookieValue(resp)
	if resp.StatusCode != http.StatusSeeOther || cookie == "" {
		p.t.Fatalf("app sign-in as %s: %d\n%s", email, resp.StatusCode, body)
	}
	return cookie
}

func (p peers) appSees(cookie string) bool {
	p.t.Helper()
	resp, body := p.app.request(p.t, http.MethodGet, "/", nil, cookie)
	switch {
	case resp.StatusCode == http.StatusOK:
		return true
	case resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/sign-in":
		return false
	}
	p.t.Fatalf("app GET /: %d\n%s", resp.StatusCode, body)
	return false
}

// appSessions is the session ids the account page lists, sorted, and the one marked current.
func (p peers) appSessions(cookie string) (ids []string, current string) {
	p.t.Helper()
	resp, body := p.app.request(p.t, http.MethodGet, "/account", nil, cookie)
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("GET /account: %d", resp.StatusCode)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	doc.Find("[data-session-id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-session-id")
		ids = append(ids, id)
		if v, _ := s.Attr("data-current"); v == "true" {
			current = id
		}
	})
	sort.Strings(ids)
	return ids, current
}

func (p peers) baSignUp(name, email string) (cookie, token, userID string) {
	p.t.Helper()
	resp, body := p.ba.call(p.t, http.MethodPost, "/api/auth/sign-up/email", map[string]string{"name": name, "email": email, "password": password}, "")
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("Better Auth sign-up: %d %v", resp.StatusCode, body)
	}
	cookie, _ = sessionCookieValue(resp)
	token, _ = body["token"].(string)
	user, _ := body["user"].(map[string]any)
	userID, _ = user["id"].(string)
	return cookie, token, userID
}

func (p peers) baSignIn(email, pw string) string {
	p.t.Helper()
	resp, body := p.ba.call(p.t, http.MethodPost, "/api/auth/sign-in/email", map[string]string{"email": email, "password": pw}, "")
	cookie, _ := sessionCookieValue(resp)
	if resp.StatusCode != http.StatusOK || cookie == "" {
		p.t.Fatalf("Better Auth sign-in as %s: %d %v", email, resp.StatusCode, body)
	}
	return cookie
}

func (p peers) baSession(cookie string) map[string]any {
	p.t.Helper()
	resp, body := p.ba.call(p.t, http.MethodGet, "/api/auth/get-session", nil, cookie)
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("get-session: %d %v", resp.StatusCode, body)
	}
	return body
}

// baListSessions is Better Auth's list-sessions: session id → token.
func (p peers) baListSessions(cookie string) map[string]string {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.ba.url+"/api/auth/list-sessions", nil)
	req.Header.Set("Cookie", "better-auth.session_token="+cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var list []struct{ ID, Token string }
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &list) != nil {
		p.t.Fatalf("list-sessions: %d %s", resp.StatusCode, raw)
	}
	out := make(map[string]string, len(list))
	for _, s := range list {
		out[s.ID] = s.Token
	}
	return out
}

// baMail is the one reset mail Better Auth "sent" to email.
func (p peers) baMail(email string) struct{ URL, Token string } {
	p.t.Helper()
	resp, err := http.Get(p.ba.url + "/test/mailbox?email=" + url.QueryEscape(email))
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var mails []struct{ URL, Token string }
	if err := json.NewDecoder(resp.Body).Decode(&mails); err != nil || len(mails) != 1 {
		p.t.Fatalf("Better Auth's mailbox for %s: %v, %v", email, mails, err)
	}
	return mails[0]
}

// baFollow requests a Better Auth URL and returns where its redirect points.
func (p peers) baFollow(raw string) *url.URL {
	p.t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(raw)
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		p.t.Fatalf("GET %s: %d, want a redirect", raw, resp.StatusCode)
	}
	loc, err := resp.Location()
	if err != nil {
		p.t.Fatal(err)
	}
	return loc
}

// tokenFromLink finds the reset link to origin in a mail's text and returns its token.
func tokenFromLink(t *testing.T, text, origin string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(origin) + `/reset-password\?token=([A-Za-z0-9]+)`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no reset link to %s in:\n%s", origin, text)
	}
	return m[1]
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
