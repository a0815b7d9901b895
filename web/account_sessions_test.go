package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

const firefoxOnMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0"

// sessionsShown is the account page's sessions: id → whether it is marked as this device.
func sessionsShown(t *testing.T, a *accountApp, c *http.Cookie) (map[string]bool, *goquery.Document) {
	t.Helper()
	w := a.do(t, http.MethodGet, "/account", c, "")
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	out := map[string]bool{}
	doc.Find("[data-session-id]").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-session-id")
		cur, _ := s.Attr("data-current")
		out[id] = cur == "true"
	})
	return out, doc
}

func sessionIDOf(t *testing.T, a *accountApp, c *http.Cookie) string {
	t.Helper()
	token, _ := a.cookies.Token(c.Value)
	var id string
	if err := a.pool.QueryRow(context.Background(), `select id from sessions where token = $1`, token).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSessionsListAndRevoke(t *testing.T) {
	a := newAccountApp(t, generousLimits(), generousAccountLimits(), false)
	const pw = "password-123"
	here := a.signUp(t, "Sam", "sam@example.com", pw)
	mac := a.signIn(t, "sam@example.com", pw, firefoxOnMac)
	phone := a.signIn(t, "sam@example.com", pw, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")
	stranger := a.signUp(t, "Xia", "xia@example.com", pw)
	hereID, macID, phoneID, strangerID := sessionIDOf(t, a, here), sessionIDOf(t, a, mac), sessionIDOf(t, a, phone), sessionIDOf(t, a, stranger)

	shown, doc := sessionsShown(t, a, here)
	if len(shown) != 3 || !shown[hereID] || shown[macID] || shown[phoneID] {
		t.Fatalf("sessions shown %v; want this device %s marked, %s and %s not", shown, hereID, macID, phoneID)
	}
	if _, ok := shown[strangerID]; ok {
		t.Fatal("another user's session is listed")
	}
	mac1 := doc.Find(`[data-session-id="` + macID + `"]`).Text()
	for _, want := range []string{"Firefox 133 on macOS", "198.51.100.7", "Signed in", "Last active"} {
		if !strings.Contains(mac1, want) {
			t.Errorf("the Mac's row %q lacks %q", squashSpace(mac1), want)
		}
	}
	if !strings.Contains(doc.Find(`[data-session-id="`+phoneID+`"]`).Text(), "Safari 17 on iOS (phone)") {
		t.Error("the phone is not described")
	}
	if doc.Find(`[data-current="true"] [data-testid=this-device]`).Length() != 1 ||
		doc.Find(`[data-current="true"] [data-testid=revoke-session]`).Length() != 0 {
		t.Error("this device must be marked and offer no separate sign-out")
	}

	// Someone else's session, an unknown id, an absurd one: 404, and nothing ends.
	for _, id := range []string{strangerID, "no-such-session", strings.Repeat("a", 65), "%00"} {
		for _, htmx := range []bool{false, true} {
			w := a.post(t, "192.0.2.1", "/account/sessions/"+id+"/revoke", here, url.Values{}, htmxHeaders(htmx)...)
			wantStatus(t, w, http.StatusNotFound)
			wantBodyHas(t, w, "There is no such session")
		}
	}
	if !a.alive(t, stranger) || len(must(sessionsShown(t, a, here))) != 3 {
		t.Fatal("a refused revoke ended a session")
	}

	// One device, plain: 303 and a flash; that session is over.
	w := a.post(t, "192.0.2.1", "/account/sessions/"+macID+"/revoke", here, url.Values{})
	wantRedirect(t, w, false, "/account")
	if a.alive(t, mac) || !a.alive(t, here) || !a.alive(t, phone) {
		t.Fatal("revoke ended the wrong sessions")
	}
	wantBodyHas(t, a.withCookies(t, "/account", here, flashCookieOf(t, w)), "That device was signed out.")
	// Twice: it is gone, so 404.
	wantStatus(t, a.post(t, "192.0.2.1", "/account/sessions/"+macID+"/revoke", here, url.Values{}), http.StatusNotFound)

	// All others, with htmx: the list comes back as it is now, with the message.
	a.signIn(t, "sam@example.com", pw, firefoxOnMac)
	w = a.post(t, "192.0.2.1", "/account/sessions/revoke-others", here, url.Values{}, "HX-Request", "true")
	wantStatus(t, w, http.StatusOK)
	frag := parseDoc(t, w)
	if ids := frag.Find("[data-session-id]"); ids.Length() != 1 || ids.AttrOr("data-session-id", "") != hereID || ids.AttrOr("data-current", "") != "true" {
		t.Fatalf("fragment after revoke-others:\n%s", w.Body)
	}
	wantBodyHas(t, w, `id="sessions"`, "Your 2 other devices were signed out.", `id="flashes"`, "You are signed in on this device only.")
	if a.alive(t, phone) || !a.alive(t, stranger) {
		t.Fatal("revoke-others ended the wrong sessions")
	}
	wantRedirect(t, a.post(t, "192.0.2.1", "/account/sessions/revoke-others", here, url.Values{}), false, "/account")

	// This device's own id: that is signing out.
	w = a.post(t, "192.0.2.1", "/account/sessions/"+hereID+"/revoke", here, url.Values{})
	wantRedirect(t, w, false, "/sign-in")
	if a.alive(t, here) || !strings.Contains(strings.Join(w.Header().Values("Set-Cookie"), "\n"), "better-auth.session_token=; Max-Age=0") {
		t.Fatal("revoking this device's session did not sign it out")
	}

	// Signed out: 303 to sign-in (htmx: 401 with HX-Redirect); from another site: 403.
	wantRedirect(t, a.post(t, "192.0.2.1", "/account/sessions/revoke-others", nil, url.Values{}), false, "/sign-in")
	w = a.post(t, "192.0.2.1", "/account/sessions/"+strangerID+"/revoke", nil, url.Values{}, "HX-Request", "true")
	if w.Code != http.StatusUnauthorized || w.Header().Get("HX-Redirect") != "/sign-in" {
		t.Fatalf("htmx without a session: %d %q", w.Code, w.Header().Get("HX-Redirect"))
	}
	wantStatus(t, a.post(t, "192.0.2.1", "/account/sessions/revoke-others", stranger, url.Values{}, "Origin", "https://evil.example"), http.StatusForbidden)
}

func must[T any](v T, _ ...any) T { return v }

func TestDescribeDevice(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36":                         "Chrome 118 on Windows",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36":                           "Chrome 156 on Linux",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1": "Safari 17 on iOS (phone)",
		firefoxOnMac: "Firefox 133 on macOS",
		"curl/8.5.0": "Automated client",
		"":           "Unknown device",
		"facts/1.0":  "Unknown device",
	} {
		if got := describeDevice(ua); got != want {
			t.Errorf("describeDevice(%q) = %q, want %q", ua, got, want)
		}
	}
}
