package api_test

import (
	"net/http"
	"strings"
	"testing"

	"todo/api"
)

const frontend = "https://front.example.test"

// Origins in CORS_ORIGINS get preflights and CORS headers with credentials; others get none. A
// cookie-carrying state change from another origin is 403 unless that origin is listed; a bearer
// token from anywhere is fine (it is no ambient credential).
func TestCORSAndCrossOrigin(t *testing.T) {
	a := newTestAPI(t, func(o *options) { o.settings = api.Settings{CORSOrigins: []string{frontend}} })
	u, token := a.user(t, "Cy")
	creds := a.credentials(t, u, token)
	cookie, jwt := creds[0], creds[4]
	path := "/api/" + u.ID + "/tasks"

	pre := a.do(t, http.MethodOptions, path, nil, nil,
		"Origin", frontend, "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type, authorization").
		want(http.StatusNoContent)
	h := pre.Header()
	if h.Get("Access-Control-Allow-Origin") != frontend || h.Get("Access-Control-Allow-Credentials") != "true" ||
		h.Get("Access-Control-Allow-Methods") == "" || h.Get("Access-Control-Allow-Headers") == "" || !varies(h, "Origin") {
		t.Fatalf("preflight headers %v", h)
	}
	foreign := a.do(t, http.MethodOptions, path, nil, nil, "Origin", "https://evil.example", "Access-Control-Request-Method", "POST")
	if got := corsHeaders(foreign.Header()); len(got) > 0 || !varies(foreign.Header(), "Origin") {
		t.Fatalf("a foreign preflight got %v", got)
	}

	get := a.do(t, http.MethodGet, path, &cookie, nil, "Origin", frontend).want(http.StatusOK)
	if get.Header().Get("Access-Control-Allow-Origin") != frontend || get.Header().Get("Access-Control-Expose-Headers") == "" {
		t.Fatalf("GET from the frontend: %v", get.Header())
	}
	if got := corsHeaders(a.do(t, http.MethodGet, path, &cookie, nil, "Origin", "https://evil.example").want(http.StatusOK).Header()); len(got) > 0 {
		t.Fatalf("a foreign GET got %v", got)
	}

	// Cookie + state change: the listed origin and the app's own pass, another site does not.
	a.do(t, http.MethodPost, path, &cookie, map[string]any{"title": "from the frontend"}, "Origin", frontend, "Sec-Fetch-Site", "cross-site").want(http.StatusCreated)
	a.do(t, http.MethodPost, path, &cookie, map[string]any{"title": "same origin"}, "Origin", testBase, "Sec-Fetch-Site", "same-origin").want(http.StatusCreated)
	w := a.do(t, http.MethodPost, path, &cookie, map[string]any{"title": "forged"}, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site").want(http.StatusForbidden)
	if len(corsHeaders(w.Header())) > 0 {
		t.Fatal("the refused request got CORS headers")
	}
	a.do(t, http.MethodDelete, path+"/1", &cookie, nil, "Sec-Fetch-Site", "same-site").want(http.StatusForbidden)
	// A JWT from another site is not a forgery.
	a.do(t, http.MethodPost, path, &jwt, map[string]any{"title": "script"}, "Origin", "https://cli.example", "Sec-Fetch-Site", "cross-site").want(http.StatusCreated)
	// The document is public and CORS-readable.
	if a.do(t, http.MethodGet, "/api/openapi.json", nil, nil, "Origin", frontend).want(http.StatusOK).Header().Get("Access-Control-Allow-Origin") != frontend {
		t.Fatal("openapi.json without CORS for the frontend")
	}
}

func varies(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		for _, part := range splitComma(v) {
			if http.CanonicalHeaderKey(part) == name {
				return true
			}
		}
	}
	return false
}

func corsHeaders(h http.Header) []string {
	var out []string
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			out = append(out, k)
		}
	}
	return out
}
