package interop

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"todo/internal/pgtest"
	"todo/web/auth"
)

// The password of every user here: NFKC turns "ﬁﬂ" into "fifl" and "①②" into "12", so both sides
// must normalise exactly alike for either to accept the other's hash.
const (
	password     = "ﬁﬂ-Passwörd-①②"
	passwordNFKC = "fifl-Passwörd-12"
)

// The measured shape of Better Auth's session cookie, after its value.
const cookieAttrs = " Max-Age=604800; Path=/; HttpOnly; SameSite=Lax"

// TestInteropWithBetterAuth runs the real Better Auth and the app on one database with one secret
// and proves each way of being peers both ways: a user signed up on either side signs in on the
// other, a session made by either is accepted by both, and signing out on either ends it on both.
func TestInteropWithBetterAuth(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	ba := startBetterAuth(t, dbURL)
	app := startApp(t, dbURL)
	pool := pgtest.Pool(t, dbURL)
	codec := auth.NewCookies(secret, false)

	// Users made on either side, shared by the points below.
	baSignUp := func(t *testing.T, name, email string) (cookie, token, userID string) {
		t.Helper()
		resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-up/email",
			map[string]string{"name": name, "email": email, "password": password}, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth sign-up: %d %v", resp.StatusCode, body)
		}
		cookie, line := sessionCookieValue(resp)
		token, _ = body["token"].(string)
		user, _ := body["user"].(map[string]any)
		userID, _ = user["id"].(string)
		// Better Auth's cookie is the one our codec writes for its token, byte for byte.
		if cookie == "" || cookie != codec.Value(token) || cookieAttributes(line) != cookieAttrs {
			t.Fatalf("Better Auth's Set-Cookie %q; our value for its token %q", line, codec.Value(token))
		}
		return cookie, token, userID
	}
	appSignUp := func(t *testing.T, name, email string) (cookie, token string) {
		t.Helper()
		resp, body := app.request(t, http.MethodPost, "/sign-up",
			url.Values{"name": {name}, "email": {email}, "password": {password}}, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("app sign-up: %d\n%s", resp.StatusCode, body)
		}
		cookie, line := sessionCookieValue(resp)
		token, ok := codec.Token(cookie)
		if !ok || cookieAttributes(line) != cookieAttrs {
			t.Fatalf("app Set-Cookie %q", line)
		}
		return cookie, token
	}
	appSignIn := func(t *testing.T, email, pw string) string {
		t.Helper()
		resp, body := app.request(t, http.MethodPost, "/sign-in", url.Values{"email": {email}, "password": {pw}}, "")
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("app sign-in as %s: %d\n%s", email, resp.StatusCode, body)
		}
		cookie, _ := sessionCookieValue(resp)
		return cookie
	}
	baSignIn := func(t *testing.T, email, pw string) (cookie string, body map[string]any) {
		t.Helper()
		resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-in/email", map[string]string{"email": email, "password": pw}, "")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth sign-in as %s: %d %v", email, resp.StatusCode, body)
		}
		cookie, line := sessionCookieValue(resp)
		if cookieAttributes(line) != cookieAttrs {
			t.Fatalf("Better Auth Set-Cookie %q", line)
		}
		return cookie, body
	}
	// appSees reports whether the app lets this cookie into the task list.
	appSees := func(t *testing.T, cookie string) bool {
		t.Helper()
		resp, body := app.request(t, http.MethodGet, "/", nil, cookie)
		switch {
		case resp.StatusCode == http.StatusOK:
			return true
		case resp.StatusCode == http.StatusSeeOther && resp.Header.Get("Location") == "/sign-in":
			return false
		}
		t.Fatalf("app GET / : %d\n%s", resp.StatusCode, body)
		return false
	}
	// baSession is Better Auth's get-session answer: nil when it sees no session.
	baSession := func(t *testing.T, cookie string) map[string]any {
		t.Helper()
		resp, body := ba.call(t, http.MethodGet, "/api/auth/get-session", nil, cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("get-session: %d %v", resp.StatusCode, body)
		}
		return body
	}

	t.Run("1 a Better Auth user opens the app's task list with Better Auth's cookie", func(t *testing.T) {
		cookie, _, _ := baSignUp(t, "Bea Auth", "Bea.Auth@Example.com")
		resp, body := app.request(t, http.MethodGet, "/", nil, cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Bea Auth") {
			t.Fatalf("GET / with Better Auth's cookie: %d\n%s", resp.StatusCode, body)
		}
		resp, body = app.request(t, http.MethodGet, "/account", nil, cookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "bea.auth@example.com") {
			t.Fatalf("GET /account with Better Auth's cookie: %d\n%s", resp.StatusCode, body)
		}
		// And the app signs that user in with the password Better Auth hashed, email in capitals.
		if !appSees(t, appSignIn(t, "BEA.AUTH@example.COM", password)) {
			t.Fatal("the app's own session for a Better Auth user does not open the list")
		}
		if !appSees(t, appSignIn(t, "bea.auth@example.com", passwordNFKC)) {
			t.Fatal("the NFKC spelling of the password was refused by the app")
		}
	})

	t.Run("2 an app user signs in through Better Auth with the same password", func(t *testing.T) {
		appSignUp(t, "Gus Go", "Gus.Go@Example.COM")
		var stored string
		if err := pool.QueryRow(context.Background(), `select email from users where name = 'Gus Go'`).Scan(&stored); err != nil || stored != "gus.go@example.com" {
			t.Fatalf("stored email %q, %v", stored, err)
		}
		for _, pw := range []string{password, passwordNFKC} {
			cookie, body := baSignIn(t, "Gus.Go@Example.COM", pw)
			user, _ := body["user"].(map[string]any)
			if user["email"] != "gus.go@example.com" || user["name"] != "Gus Go" {
				t.Fatalf("Better Auth signed in %v", user)
			}
			if !appSees(t, cookie) {
				t.Fatal("Better Auth's session for the app user does not open the app")
			}
		}
		resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-in/email", map[string]string{"email": "gus.go@example.com", "password": "fifl-Password-12"}, "")
		if resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("Better Auth accepted a wrong password for an app user: %d %v", resp.StatusCode, body)
		}
	})

	t.Run("3 each side returns the session the other made", func(t *testing.T) {
		// Made by the app, returned by Better Auth's get-session.
		cookie, token := appSignUp(t, "Ida App", "ida@example.com")
		got := baSession(t, cookie)
		session, _ := got["session"].(map[string]any)
		user, _ := got["user"].(map[string]any)
		if session["token"] != token || user["email"] != "ida@example.com" || user["name"] != "Ida App" {
			t.Fatalf("get-session for the app's cookie: %v", got)
		}
		// Made by Better Auth (sign-in this time), returned by the app.
		baCookie, body := baSignIn(t, "IDA@example.com", password)
		if baCookie == "" || body["token"] == token {
			t.Fatalf("Better Auth sign-in: %v", body)
		}
		resp, page := app.request(t, http.MethodGet, "/account", nil, baCookie)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, "ida@example.com") {
			t.Fatalf("app /account with Better Auth's session: %d", resp.StatusCode)
		}
	})

	t.Run("4 signing out on either side ends the session on the other", func(t *testing.T) {
		// Session made by the app, ended by Better Auth.
		cookie, token := appSignUp(t, "Otto Out", "otto@example.com")
		if !appSees(t, cookie) || baSession(t, cookie) == nil {
			t.Fatal("fresh session not seen by both sides")
		}
		resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-out", map[string]any{}, cookie)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("Better Auth sign-out: %d %v", resp.StatusCode, body)
		}
		if appSees(t, cookie) {
			t.Fatal("the app still accepts a session Better Auth signed out")
		}
		if n := rows(t, pool, `select count(*) from sessions where token = $1`, token); n != 0 {
			t.Fatal("session row left after Better Auth's sign-out")
		}

		// Session made by Better Auth, ended by the app.
		baCookie, _ := baSignIn(t, "otto@example.com", password)
		if !appSees(t, baCookie) || baSession(t, baCookie) == nil {
			t.Fatal("Better Auth's session not seen by both sides")
		}
		resp, _ = app.request(t, http.MethodPost, "/sign-out", url.Values{}, baCookie)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sign-in" {
			t.Fatalf("app sign-out: %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if baSession(t, baCookie) != nil {
			t.Fatal("Better Auth still returns a session the app signed out")
		}
		if appSees(t, baCookie) {
			t.Fatal("the app still accepts its own signed-out session")
		}
	})

	t.Run("5 tampered, foreign-secret and expired cookies are refused by both", func(t *testing.T) {
		appCookie, _ := appSignUp(t, "Eve Edge", "eve@example.com")
		baCookie, _ := baSignIn(t, "eve@example.com", password)
		other := auth.NewCookies("another-secret-that-is-also-32-characters-long", false)
		for maker, cookie := range map[string]string{"app": appCookie, "Better Auth": baCookie} {
			token, ok := codec.Token(cookie)
			if !ok {
				t.Fatalf("%s cookie does not verify", maker)
			}
			decoded, _ := url.PathUnescape(cookie)
			sig := []byte(decoded[len(token)+1:])
			sig[10] ^= 1 // one bit: still base64, no longer the MAC
			bad := map[string]string{
				"tampered signature": url.QueryEscape(token + "." + string(sig)),
				"other secret":       other.Value(token),
				"unsigned token":     token,
			}
			for what, value := range bad {
				if appSees(t, value) {
					t.Errorf("%s session, %s: the app accepted it", maker, what)
				}
				if s := baSession(t, value); s != nil {
					t.Errorf("%s session, %s: Better Auth accepted it: %v", maker, what, s)
				}
			}
			// The refusals were about the cookie: the real one still works on both sides.
			if !appSees(t, cookie) || baSession(t, cookie) == nil {
				t.Fatalf("%s session stopped working after the bad cookies", maker)
			}
		}

		// Expired: each side refuses an expired row; the first to see it deletes it.
		for _, appFirst := range []bool{true, false} {
			cookie, token := appSignUp(t, "Exa", "exa-"+map[bool]string{true: "app", false: "ba"}[appFirst]+"@example.com")
			if _, err := pool.Exec(context.Background(), `update sessions set expires_at = now() - interval '1 minute' where token = $1`, token); err != nil {
				t.Fatal(err)
			}
			if appFirst {
				if appSees(t, cookie) {
					t.Fatal("the app accepted an expired session")
				}
				if n := rows(t, pool, `select count(*) from sessions where token = $1`, token); n != 0 {
					t.Fatal("the app left the expired session row")
				}
				if baSession(t, cookie) != nil {
					t.Fatal("Better Auth accepted an expired session")
				}
			} else {
				if baSession(t, cookie) != nil {
					t.Fatal("Better Auth accepted an expired session")
				}
				if appSees(t, cookie) {
					t.Fatal("the app accepted an expired session")
				}
			}
		}
	})

	t.Run("sliding refresh done by one side is seen by the other", func(t *testing.T) {
		for _, appRefreshes := range []bool{true, false} {
			cookie, token := appSignUp(t, "Ray", "ray-"+map[bool]string{true: "app", false: "ba"}[appRefreshes]+"@example.com")
			// Issued a day and an hour ago: due for a refresh.
			if _, err := pool.Exec(context.Background(), `update sessions set expires_at = now() + interval '6 days' - interval '1 hour' where token = $1`, token); err != nil {
				t.Fatal(err)
			}
			if appRefreshes {
				resp, _ := app.request(t, http.MethodGet, "/", nil, cookie)
				value, line := sessionCookieValue(resp)
				if resp.StatusCode != http.StatusOK || value != cookie || cookieAttributes(line) != cookieAttrs {
					t.Fatalf("app refresh: %d, Set-Cookie %q", resp.StatusCode, line)
				}
			} else if baSession(t, cookie) == nil {
				t.Fatal("Better Auth refused a session due for refresh")
			}
			var expires time.Time
			if err := pool.QueryRow(context.Background(), `select expires_at from sessions where token = $1`, token).Scan(&expires); err != nil {
				t.Fatal(err)
			}
			if d := time.Until(expires); d < auth.SessionLifetime-time.Minute {
				t.Fatalf("after refresh (app %v) the session expires in %v, want 7 days", appRefreshes, d)
			}
			// The other side sees the same token still valid.
			if !appSees(t, cookie) || baSession(t, cookie) == nil {
				t.Fatal("refreshed session not seen by both sides")
			}
		}
	})
}

func rows(t *testing.T, pool *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
