package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

// Bad and hostile input: one table, every row asserting the status and that nothing was
// written (or, for the rows that are valid on purpose, exactly the one task meant). None may answer
// 5xx.

// hostileDigest is a fingerprint of every row the app can write.
func hostileDigest(t *testing.T, st *store.Store) string {
	t.Helper()
	var d string
	err := pgtest.AdminOf(t, st).QueryRow(context.Background(), `select md5(
		coalesce((select string_agg(x::text, '|' order by x.id) from tasks x), '') || '#' ||
		coalesce((select string_agg(x::text, '|' order by x.id) from users x), '') || '#' ||
		coalesce((select string_agg(x::text, '|' order by x.id) from sessions x), '') || '#' ||
		coalesce((select string_agg(x::text, '|' order by x.id) from accounts x), '') || '#' ||
		coalesce((select string_agg(x::text, '|' order by x.id) from verifications x), ''))`).Scan(&d)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// hostileRequest is a request with full control over what a hostile client sends.
type hostileRequest struct {
	method, path string
	body         string
	ctype        string // default for a body: application/x-www-form-urlencoded
	headers      []string
	host         string
	cookie       *http.Cookie
	remote       string
}

func (h hostileRequest) send(handler http.Handler) *httptest.ResponseRecorder {
	var r *http.Request
	if h.body != "" || h.method == http.MethodPost {
		r = httptest.NewRequest(h.method, "http://example.test"+h.path, strings.NewReader(h.body))
		ct := h.ctype
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
		if ct != "none" {
			r.Header.Set("Content-Type", ct)
		}
	} else {
		r = httptest.NewRequest(h.method, "http://example.test"+h.path, nil)
	}
	if h.host != "" {
		r.Host = h.host
	}
	if h.remote != "" {
		r.RemoteAddr = h.remote
	}
	for i := 0; i+1 < len(h.headers); i += 2 {
		r.Header.Set(h.headers[i], h.headers[i+1])
	}
	if h.cookie != nil {
		r.AddCookie(h.cookie)
	}
	w := httptest.NewRecorder()
	handler.ServeHTTP(w, r)
	return w
}

func hostileForm(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v.Encode()
}

func TestHostileInput(t *testing.T) {
	app := newTestApp(t)
	ctx := context.Background()
	alice, aliceCookie := app.signedInUser(t, "Alice")
	bob, bobCookie := app.signedInUser(t, "Bob")
	mine, err := app.store.Tasks(alice.ID).Create(ctx, todo.Input{Title: "alice's task"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := app.store.Tasks(bob.ID).Create(ctx, todo.Input{Title: "bob's task"})
	if err != nil {
		t.Fatal(err)
	}
	aliceToken, _ := app.cookies.Token(aliceCookie.Value)
	bobToken, _ := app.cookies.Token(bobCookie.Value)

	// Cookies a hostile client might send in place of Alice's.
	signed := func(secret, token string) *http.Cookie {
		return &http.Cookie{Name: auth.CookieName, Value: auth.NewCookies(secret, false).Value(token)}
	}
	raw := func(v string) *http.Cookie { return &http.Cookie{Name: auth.CookieName, Value: v} }
	decoded, _ := url.QueryUnescape(aliceCookie.Value)
	aliceSig := decoded[strings.LastIndexByte(decoded, '.')+1:]
	tampered := []byte(decoded)
	tampered[len(tampered)-3] ^= 0x01
	expiredToken := auth.NewID()
	if err := app.store.CreateSession(ctx, store.Session{ID: auth.NewID(), Token: expiredToken, UserID: alice.ID,
		ExpiresAt: time.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	cookieRows := map[string]*http.Cookie{
		"forged with another secret":         signed("a-different-secret-that-is-32-chars-long!", aliceToken),
		"tampered signature":                 raw(url.QueryEscape(string(tampered))),
		"truncated":                          raw(aliceCookie.Value[:len(aliceCookie.Value)-6]),
		"token without signature":            raw(aliceToken),
		"empty":                              raw(""),
		"bad escape":                         raw("%zz." + aliceSig),
		"unknown token":                      signed(testSecret, auth.NewID()),
		"bob's token with alice's signature": raw(url.QueryEscape(bobToken + "." + aliceSig)),
		"secure name under http":             {Name: auth.SecureCookieName, Value: aliceCookie.Value},
	}

	emoji, cjk := "😀", "漢"
	type row struct {
		name string
		req  hostileRequest
		want []int
		// adds, when set, is the one task (title, description) the row must create for Alice;
		// otherwise nothing at all may change.
		adds *[2]string
		// signedOut: a 303 to /sign-in (or for htmx 401 with HX-Redirect).
		signedOut bool
	}
	post := func(path, body string) hostileRequest {
		return hostileRequest{method: "POST", path: path, body: body, cookie: aliceCookie}
	}
	get := func(path string) hostileRequest {
		return hostileRequest{method: "GET", path: path, cookie: aliceCookie}
	}
	adds := func(title, description string) *[2]string { return &[2]string{title, description} }
	rows := []row{
		// Titles and descriptions.
		{name: "title empty", req: post("/tasks", hostileForm("title", "")), want: []int{422}},
		{name: "title spaces only", req: post("/tasks", hostileForm("title", "  \t  ")), want: []int{422}},
		{name: "title 200 emoji", req: post("/tasks", hostileForm("title", strings.Repeat(emoji, 200))), want: []int{303}, adds: adds(strings.Repeat(emoji, 200), "")},
		{name: "title 201 emoji", req: post("/tasks", hostileForm("title", strings.Repeat(emoji, 201))), want: []int{422}},
		{name: "title 200 CJK", req: post("/tasks", hostileForm("title", strings.Repeat(cjk, 200))), want: []int{303}, adds: adds(strings.Repeat(cjk, 200), "")},
		{name: "title 201 CJK", req: post("/tasks", hostileForm("title", strings.Repeat(cjk, 201))), want: []int{422}},
		{name: "description 1000", req: post("/tasks", hostileForm("title", "d1000", "description", strings.Repeat("é", 1000))), want: []int{303}, adds: adds("d1000", strings.Repeat("é", 1000))},
		{name: "description 1001", req: post("/tasks", hostileForm("title", "d1001", "description", strings.Repeat("é", 1001))), want: []int{422}},
		{name: "description with newline and tab", req: post("/tasks", hostileForm("title", "multi", "description", "line 1\nline 2\tend")), want: []int{303}, adds: adds("multi", "line 1\nline 2\tend")},
		{name: "title NUL", req: post("/tasks", hostileForm("title", "a\x00b")), want: []int{422}},
		{name: "description NUL", req: post("/tasks", hostileForm("title", "ok", "description", "a\x00b")), want: []int{422}},
		{name: "title control char", req: post("/tasks", hostileForm("title", "a\x01b")), want: []int{422}},
		{name: "title escape char", req: post("/tasks", hostileForm("title", "a\x1b[31mred")), want: []int{422}},
		{name: "title DEL", req: post("/tasks", hostileForm("title", "a\x7fb")), want: []int{422}},
		{name: "title inner newline", req: post("/tasks", hostileForm("title", "a\nb")), want: []int{422}},
		{name: "description bell", req: post("/tasks", hostileForm("title", "ok", "description", "ding\x07")), want: []int{422}},
		{name: "title invalid UTF-8", req: post("/tasks", "title=%FF%FEx"), want: []int{422}},
		{name: "title UTF-8 surrogate", req: post("/tasks", "title=%ED%A0%80"), want: []int{422}},
		{name: "description invalid UTF-8", req: post("/tasks", "title=ok&description=%C3%28"), want: []int{422}},
		{name: "HTML payload stored as text", req: post("/tasks", hostileForm("title", `<script>alert(1)</script><img src=x onerror=alert(2)>`)), want: []int{303}, adds: adds(`<script>alert(1)</script><img src=x onerror=alert(2)>`, "")},
		{name: "update title 201", req: post(fmt.Sprintf("/tasks/%d", mine.ID), hostileForm("title", strings.Repeat(cjk, 201))), want: []int{422}},
		{name: "update title NUL", req: post(fmt.Sprintf("/tasks/%d", mine.ID), hostileForm("title", "\x00")), want: []int{422}},
		{name: "update invalid UTF-8", req: post(fmt.Sprintf("/tasks/%d", mine.ID), "title=%FF"), want: []int{422}},

		// Bodies and content types.
		{name: "body over 64 KiB", req: post("/tasks", hostileForm("title", strings.Repeat("a", 70<<10))), want: []int{413}},
		{name: "sign-up body over 64 KiB", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "x", "email", "big@example.test", "password", strings.Repeat("p", 70<<10)), remote: "192.0.2.10:1"}, want: []int{413}},
		{name: "multipart", req: hostileRequest{method: "POST", path: "/tasks", cookie: aliceCookie, ctype: "multipart/form-data; boundary=x",
			body: "--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nsneaky\r\n--x--\r\n"}, want: []int{415}},
		{name: "json", req: hostileRequest{method: "POST", path: "/tasks", cookie: aliceCookie, ctype: "application/json", body: `{"title":"json"}`}, want: []int{415}},
		{name: "text/plain", req: hostileRequest{method: "POST", path: "/tasks", cookie: aliceCookie, ctype: "text/plain", body: "title=plain"}, want: []int{415}},
		{name: "no content type", req: hostileRequest{method: "POST", path: "/tasks", cookie: aliceCookie, ctype: "none", body: "title=untyped"}, want: []int{415, 422}},
		{name: "missing title", req: post("/tasks", hostileForm("description", "no title")), want: []int{422}},
		{name: "empty body", req: post("/tasks", ""), want: []int{422}},
		{name: "duplicated title", req: post("/tasks", "title=a&title=b"), want: []int{422}},
		{name: "malformed form encoding", req: post("/tasks", "title=%zz"), want: []int{422}},
		{name: "foreign user_id field ignored", req: post("/tasks", hostileForm("title", "mine only", "user_id", bob.ID, "id", fmt.Sprint(theirs.ID))), want: []int{303}, adds: adds("mine only", "")},

		// Sign-up and sign-in.
		{name: "sign-up name NUL", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "a\x00", "email", "n1@example.test", "password", "password123"), remote: "192.0.2.11:1"}, want: []int{422}},
		{name: "sign-up email invalid UTF-8", req: hostileRequest{method: "POST", path: "/sign-up", body: "name=x&email=%FF%40example.test&password=password123", remote: "192.0.2.12:1"}, want: []int{422}},
		{name: "sign-up password 7", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "x", "email", "n2@example.test", "password", "1234567"), remote: "192.0.2.13:1"}, want: []int{422}},
		{name: "sign-up password 129", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "x", "email", "n3@example.test", "password", strings.Repeat("p", 129)), remote: "192.0.2.14:1"}, want: []int{422}},
		{name: "sign-up email 255", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "x", "email", strings.Repeat("e", 242)+"@example.test", "password", "password123"), remote: "192.0.2.15:1"}, want: []int{422}},
		{name: "sign-up name 101", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", strings.Repeat("n", 101), "email", "n4@example.test", "password", "password123"), remote: "192.0.2.16:1"}, want: []int{422}},
		{name: "sign-up duplicated email", req: hostileRequest{method: "POST", path: "/sign-up", body: "name=x&email=a@example.test&email=b@example.test&password=password123", remote: "192.0.2.17:1"}, want: []int{422}},
		{name: "sign-up missing password", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "x", "email", "n5@example.test"), remote: "192.0.2.18:1"}, want: []int{422}},
		{name: "sign-up cross-site", req: hostileRequest{method: "POST", path: "/sign-up", body: hostileForm("name", "x", "email", "n6@example.test", "password", "password123"), headers: []string{"Sec-Fetch-Site", "cross-site"}, remote: "192.0.2.19:1"}, want: []int{403}},
		{name: "sign-in email NUL", req: hostileRequest{method: "POST", path: "/sign-in", body: hostileForm("email", "a\x00@example.test", "password", "password123"), remote: "192.0.2.20:1"}, want: []int{401, 422}},
		{name: "sign-in invalid UTF-8", req: hostileRequest{method: "POST", path: "/sign-in", body: "email=%FF&password=%FE", remote: "192.0.2.21:1"}, want: []int{401, 422}},
		{name: "sign-in wrong password", req: hostileRequest{method: "POST", path: "/sign-in", body: hostileForm("email", alice.Email, "password", "not-the-password"), remote: "192.0.2.22:1"}, want: []int{401}},

		// Cross-origin state changes: refused, with BETTER_AUTH_URL's origin trusted.
		{name: "cross-site fetch", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "csrf"), cookie: aliceCookie, headers: []string{"Sec-Fetch-Site", "cross-site"}}, want: []int{403}},
		{name: "same-site fetch", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "csrf"), cookie: aliceCookie, headers: []string{"Sec-Fetch-Site", "same-site"}}, want: []int{403}},
		{name: "foreign origin", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "csrf"), cookie: aliceCookie, headers: []string{"Origin", "https://evil.example"}}, want: []int{403}},
		{name: "null origin", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "csrf"), cookie: aliceCookie, headers: []string{"Origin", "null"}}, want: []int{403}},
		{name: "cross-site delete", req: hostileRequest{method: "POST", path: fmt.Sprintf("/tasks/%d/delete", mine.ID), cookie: aliceCookie, headers: []string{"Sec-Fetch-Site", "cross-site"}}, want: []int{403}},
		{name: "cross-site sign-out", req: hostileRequest{method: "POST", path: "/sign-out", cookie: aliceCookie, headers: []string{"Origin", "https://evil.example"}}, want: []int{403}},
		{name: "cross-site account delete", req: hostileRequest{method: "POST", path: "/account/delete", body: hostileForm("password", "x"), cookie: aliceCookie, headers: []string{"Sec-Fetch-Site", "cross-site"}}, want: []int{403}},
		{name: "trusted origin behind a proxy", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "via proxy"), cookie: aliceCookie, host: "10.0.0.5:8080", headers: []string{"Origin", "http://example.test"}}, want: []int{303}, adds: adds("via proxy", "")},
		{name: "same-origin fetch", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "same origin"), cookie: aliceCookie, headers: []string{"Sec-Fetch-Site", "same-origin"}}, want: []int{303}, adds: adds("same origin", "")},

		// Wrong methods; GET never changes anything.
		{name: "PUT /tasks", req: hostileRequest{method: "PUT", path: "/tasks", body: hostileForm("title", "put"), cookie: aliceCookie}, want: []int{405}},
		{name: "DELETE task", req: hostileRequest{method: "DELETE", path: fmt.Sprintf("/tasks/%d", mine.ID), cookie: aliceCookie}, want: []int{405}},
		{name: "PATCH task", req: hostileRequest{method: "PATCH", path: fmt.Sprintf("/tasks/%d", mine.ID), body: hostileForm("title", "patch"), cookie: aliceCookie}, want: []int{405}},
		{name: "GET toggle", req: get(fmt.Sprintf("/tasks/%d/toggle", mine.ID)), want: []int{405}},
		{name: "GET delete", req: get(fmt.Sprintf("/tasks/%d/delete", mine.ID)), want: []int{405}},
		{name: "GET toggle-all", req: get("/tasks/toggle-all"), want: []int{404, 405}},
		{name: "GET clear-completed", req: get("/tasks/clear-completed"), want: []int{404, 405}},
		{name: "GET sign-out", req: get("/sign-out"), want: []int{405}},
		{name: "GET account delete", req: get("/account/delete"), want: []int{405}},
		{name: "DELETE account", req: hostileRequest{method: "DELETE", path: "/account/delete", cookie: aliceCookie}, want: []int{405}},
		{name: "GET list with a title", req: get("/?title=sneaky&description=x"), want: []int{200}},
		{name: "GET edit with a title", req: get(fmt.Sprintf("/tasks/%d/edit?title=changed", mine.ID)), want: []int{200}},
		{name: "HEAD list", req: hostileRequest{method: "HEAD", path: "/", cookie: aliceCookie}, want: []int{200}},
	}

	// Ids that are not one of Alice's tasks: every task route answers 404 and changes nothing.
	for _, id := range []string{"0", "-1", "9223372036854775808", "abc", "1e3", "%00", "%20" + fmt.Sprint(mine.ID), fmt.Sprint(theirs.ID)} {
		rows = append(rows,
			row{name: "edit id " + id, req: get("/tasks/" + id + "/edit"), want: []int{404}},
			row{name: "show id " + id, req: get("/tasks/" + id), want: []int{404}},
			row{name: "update id " + id, req: post("/tasks/"+id, hostileForm("title", "hijack")), want: []int{404}},
			row{name: "toggle id " + id, req: post("/tasks/"+id+"/toggle", ""), want: []int{404}},
			row{name: "delete id " + id, req: post("/tasks/"+id+"/delete", ""), want: []int{404}},
			row{name: "htmx toggle id " + id, req: hostileRequest{method: "POST", path: "/tasks/" + id + "/toggle", cookie: aliceCookie, headers: []string{"HX-Request", "true"}}, want: []int{404}},
		)
	}
	// Cookies that are not a valid session: signed out, on a page and on a write.
	for name, c := range cookieRows {
		rows = append(rows,
			row{name: "cookie " + name + " GET", req: hostileRequest{method: "GET", path: "/", cookie: c}, want: []int{303}, signedOut: true},
			row{name: "cookie " + name + " POST", req: hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "as someone"), cookie: c}, want: []int{303}, signedOut: true},
			row{name: "cookie " + name + " htmx", req: hostileRequest{method: "POST", path: "/tasks/toggle-all", cookie: c, headers: []string{"HX-Request", "true"}}, want: []int{401}, signedOut: true},
		)
	}

	for _, tc := range rows {
		t.Run(tc.name, func(t *testing.T) {
			before := hostileDigest(t, app.store)
			var countBefore int
			pgtest.AdminOf(t, app.store).QueryRow(ctx, "select count(*) from tasks").Scan(&countBefore)
			w := tc.req.send(app.handler)
			ok := false
			for _, s := range tc.want {
				ok = ok || w.Code == s
			}
			if !ok {
				t.Errorf("status %d, want one of %v; body: %.300s", w.Code, tc.want, w.Body.String())
			}
			if w.Code >= 500 {
				t.Errorf("5xx for hostile input")
			}
			if tc.signedOut {
				if w.Code == http.StatusSeeOther && w.Header().Get("Location") != "/sign-in" {
					t.Errorf("signed out but sent to %q", w.Header().Get("Location"))
				}
				if w.Code == http.StatusUnauthorized && w.Header().Get("HX-Redirect") != "/sign-in" {
					t.Errorf("htmx 401 without HX-Redirect: /sign-in")
				}
			}
			if w.Code == 422 || w.Code == 413 || w.Code == 403 || w.Code == 404 {
				if strings.TrimSpace(w.Body.String()) == "" {
					t.Errorf("%d with no words for the person", w.Code)
				}
			}
			if tc.adds == nil {
				if after := hostileDigest(t, app.store); after != before {
					t.Errorf("the database changed")
				}
				return
			}
			var countAfter, matching int
			pgtest.AdminOf(t, app.store).QueryRow(ctx, "select count(*) from tasks").Scan(&countAfter)
			pgtest.AdminOf(t, app.store).QueryRow(ctx, `select count(*) from tasks where user_id = $1 and title = $2
				and coalesce(description, '') = $3`, alice.ID, tc.adds[0], tc.adds[1]).Scan(&matching)
			if countAfter != countBefore+1 || matching != 1 {
				t.Errorf("want exactly one task %.40q for Alice: %d tasks before, %d after, %d matching", tc.adds[0], countBefore, countAfter, matching)
			}
		})
	}

	// An expired session: signed out, and (as Better Auth does) its row is deleted; nothing else changes.
	t.Run("cookie expired session", func(t *testing.T) {
		var tasksBefore int
		pgtest.AdminOf(t, app.store).QueryRow(ctx, "select count(*) from tasks").Scan(&tasksBefore)
		w := hostileRequest{method: "POST", path: "/tasks", body: hostileForm("title", "expired"), cookie: signed(testSecret, expiredToken)}.send(app.handler)
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/sign-in" {
			t.Errorf("expired session: %d to %q, want 303 to /sign-in", w.Code, w.Header().Get("Location"))
		}
		var tasksAfter, sessions int
		pgtest.AdminOf(t, app.store).QueryRow(ctx, "select count(*) from tasks").Scan(&tasksAfter)
		pgtest.AdminOf(t, app.store).QueryRow(ctx, "select count(*) from sessions where token = $1", expiredToken).Scan(&sessions)
		if tasksAfter != tasksBefore || sessions != 0 {
			t.Errorf("tasks %d -> %d, expired session rows left %d", tasksBefore, tasksAfter, sessions)
		}
	})

	// The HTML payload is shown as text.
	t.Run("HTML payload shown escaped", func(t *testing.T) {
		w := hostileRequest{method: "GET", path: "/", cookie: aliceCookie}.send(app.handler)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Fatalf("list: %d, payload not shown escaped", w.Code)
		}
		if strings.Contains(body, "<script>alert(1)") || strings.Contains(body, "<img src=x") {
			t.Fatal("the payload reached the page as markup")
		}
	})

	// Bob's task is as it was, whatever was tried on it.
	got, err := app.store.Tasks(bob.ID).Get(ctx, theirs.ID)
	if err != nil || got.Title != theirs.Title || got.Completed || !got.UpdatedAt.Equal(theirs.UpdatedAt) {
		t.Errorf("bob's task after the attacks: %+v, %v", got, err)
	}
}
