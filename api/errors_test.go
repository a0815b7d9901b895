package api_test

import (
	"net/http"
	"strings"
	"testing"
	"todo/internal/pgtest"
)

// Bad input gets the status the contract names, as a problem document with a detail in words;
// nothing is stored, and nothing answers 500.
func TestBadInputStatuses(t *testing.T) {
	a := newTestAPI(t)
	u, token := a.user(t, "Eve")
	c := a.credentials(t, u, token)[1]
	base := "/api/" + u.ID + "/tasks"
	var k task
	a.do(t, http.MethodPost, base, &c, map[string]any{"title": "keep me"}).want(http.StatusCreated).json(&k)
	one := base + "/" + itoa(k.ID)

	cases := []struct {
		name, method, path string
		body               any
		headers            []string
		status             int
		field              string
	}{
		{"malformed", http.MethodPost, base, `{"title": "x"`, nil, 400, ""},
		{"trailing data", http.MethodPost, base, `{"title": "x"} {}`, nil, 400, ""},
		{"empty body", http.MethodPost, base, ``, nil, 400, ""},
		{"form body", http.MethodPost, base, `title=x`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, ""},
		{"no content type", http.MethodPut, one, `{"title":"x"}`, []string{"Content-Type", ""}, 415, ""},
		{"latin-1 charset", http.MethodPost, base, `{"title":"x"}`, []string{"Content-Type", "application/json; charset=iso-8859-1"}, 415, ""},
		{"too big", http.MethodPost, base, `{"title":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413, ""},
		{"not an object", http.MethodPost, base, `["title"]`, nil, 422, "body"},
		{"unknown field", http.MethodPost, base, map[string]any{"title": "x", "owner": "me"}, nil, 422, "owner"},
		{"due date not a date", http.MethodPost, base, map[string]any{"title": "x", "due_date": "2026-02-30"}, nil, 422, "due_date"},
		{"due date a number", http.MethodPost, base, map[string]any{"title": "x", "due_date": 20261224}, nil, 422, "due_date"},
		{"priority unknown", http.MethodPost, base, map[string]any{"title": "x", "priority": "urgent"}, nil, 422, "priority"},
		{"tags a string", http.MethodPost, base, map[string]any{"title": "x", "tags": "home work"}, nil, 422, "tags"},
		{"tag with a space", http.MethodPut, one, map[string]any{"title": "x", "tags": []string{"two words"}}, nil, 422, "tags"},
		{"eleven tags", http.MethodPost, base, map[string]any{"title": "x", "tags": []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}}, nil, 422, "tags"},
		{"title missing", http.MethodPost, base, map[string]any{"description": "x"}, nil, 422, "title"},
		{"title blank", http.MethodPost, base, map[string]any{"title": "   "}, nil, 422, "title"},
		{"title too long", http.MethodPut, one, map[string]any{"title": strings.Repeat("é", 201)}, nil, 422, "title"},
		{"title a number", http.MethodPost, base, map[string]any{"title": 12}, nil, 422, "title"},
		{"title null", http.MethodPost, base, map[string]any{"title": nil}, nil, 422, "title"},
		{"title with NUL", http.MethodPost, base, `{"title":"a\u0000b"}`, nil, 422, "title"},
		{"title not UTF-8", http.MethodPost, base, []byte("{\"title\":\"a\xffb\"}"), nil, 422, "body"},
		{"description too long", http.MethodPost, base, map[string]any{"title": "x", "description": strings.Repeat("d", 1001)}, nil, 422, "description"},
		{"completed a string", http.MethodPost, base, map[string]any{"title": "x", "completed": "yes"}, nil, 422, "completed"},
		{"complete: wrong field", http.MethodPatch, one + "/complete", map[string]any{"done": true}, nil, 422, "done"},
		{"complete: null", http.MethodPatch, one + "/complete", map[string]any{"completed": nil}, nil, 422, "completed"},
		{"complete: form", http.MethodPatch, one + "/complete", `completed=true`, []string{"Content-Type", "application/x-www-form-urlencoded"}, 415, ""},
		{"non-numeric id", http.MethodGet, base + "/abc", nil, nil, 404, ""},
		{"zero id", http.MethodDelete, base + "/0", nil, nil, 404, ""},
		{"huge id", http.MethodGet, base + "/99999999999999999999", nil, nil, 404, ""},
		{"no such route", http.MethodGet, "/api/" + u.ID + "/projects", nil, nil, 404, ""},
		{"wrong method", http.MethodPost, one, map[string]any{"title": "x"}, nil, 405, ""},
		{"wrong method on list", http.MethodDelete, base, nil, nil, 405, ""},
		{"wrong method on openapi", http.MethodPost, "/api/openapi.json", nil, nil, 405, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := a.do(t, tc.method, tc.path, &c, tc.body, tc.headers...).want(tc.status)
			if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Fatalf("Content-Type %q", ct)
			}
			p := w.problem()
			if p["status"] != float64(tc.status) || p["title"] != http.StatusText(tc.status) || p["detail"] == "" {
				t.Fatalf("problem %v", p)
			}
			if tc.field != "" {
				errs, _ := p["errors"].(map[string]any)
				if msg, _ := errs[tc.field].(string); msg == "" {
					t.Fatalf("errors %v do not name %q", errs, tc.field)
				}
			}
			if tc.status == 405 && w.Header().Get("Allow") == "" {
				t.Fatal("405 without Allow")
			}
		})
	}
	var after task
	a.do(t, http.MethodGet, one, &c, nil).want(http.StatusOK).json(&after)
	var n int
	pgtest.AdminOf(t, a.store).QueryRow(t.Context(), `select count(*) from tasks`).Scan(&n)
	if after != k || n != 1 {
		t.Fatalf("bad input changed something: %+v (was %+v), %d tasks", after, k, n)
	}
}

// Without credentials, or with refused ones, every route answers 401 with a Bearer challenge.
func TestUnauthenticated(t *testing.T) {
	a := newTestAPI(t)
	u, token := a.user(t, "Una")
	path := "/api/" + u.ID + "/tasks"
	badCookie := credential{"forged cookie", func(r *http.Request) {
		r.AddCookie(&http.Cookie{Name: a.cookies.Name(), Value: token + ".forged"})
	}}
	signed := a.cookies.Value(token)
	for _, c := range []*credential{
		nil, &badCookie,
		{"empty bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer ") }},
		ptr(bearer("unknown-token-xxxxxxxxxxxxxxxxxxxxx")),
		ptr(bearer(token + "." + strings.Repeat("A", 43) + "=")),                     // signature that does not match
		ptr(bearer(strings.TrimSuffix(strings.ReplaceAll(signed, "%3D", "="), "="))), // padding dropped, as the plugin refuses
		ptr(bearer("a.b.c")),
	} {
		name := "none"
		if c != nil {
			name = c.name
		}
		t.Run(name, func(t *testing.T) {
			w := a.do(t, http.MethodGet, path, c, nil).want(http.StatusUnauthorized)
			if ch := w.Header().Get("WWW-Authenticate"); !strings.HasPrefix(ch, "Bearer") {
				t.Fatalf("WWW-Authenticate %q", ch)
			}
			a.do(t, http.MethodPost, path, c, map[string]any{"title": "x"}).want(http.StatusUnauthorized)
		})
	}
	// An expired session is refused and its row deleted, as Better Auth does.
	if _, err := a.store.Pool().Exec(t.Context(), `update sessions set expires_at = now() - interval '1 second' where token = $1`, token); err != nil {
		t.Fatal(err)
	}
	a.do(t, http.MethodGet, path, ptr(bearer(token)), nil).want(http.StatusUnauthorized)
	var n int
	a.store.Pool().QueryRow(t.Context(), `select count(*) from sessions where token = $1`, token).Scan(&n)
	if n != 0 {
		t.Fatal("the expired session is still there")
	}
	// A Basic header is not a bearer: the cookie decides, as with Better Auth.
	u2, token2 := a.user(t, "Basil")
	cookie := a.credentials(t, u2, token2)[0]
	both := credential{"basic + cookie", func(r *http.Request) {
		cookie.apply(r)
		r.Header.Set("Authorization", "Basic dXNlcjpwYXNz")
	}}
	a.do(t, http.MethodGet, "/api/"+u2.ID+"/tasks", &both, nil).want(http.StatusOK)
}

func ptr[T any](v T) *T { return &v }

func itoa(n int64) string { return formatInt(n) }
