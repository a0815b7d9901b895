package web

import (
	"bytes"
	"net/http"
	"regexp"
	"testing"

	"todo/static"
)

// Static files live under content-hashed URLs, cached for a year and never revalidated; nothing
// else under /static/ answers, the directory least of all.
func TestStaticFilesUnderHashedURLs(t *testing.T) {
	app := newTestApp(t)
	hashed := regexp.MustCompile(`^/static/[a-z.]+\.[0-9a-f]{12}\.(css|js)$`)
	for name, contentType := range map[string]string{
		"app.css":     "text/css; charset=utf-8",
		"app.js":      "text/javascript; charset=utf-8",
		"htmx.min.js": "text/javascript; charset=utf-8",
	} {
		url := static.URL(name)
		if !hashed.MatchString(url) {
			t.Fatalf("%s is served as %s, not a content-hashed name", name, url)
		}
		w := app.do(t, "GET", url, nil, "")
		want, _ := static.FS.ReadFile(name)
		if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), want) {
			t.Fatalf("GET %s: status %d, %d bytes, want 200 with the %d bytes of %s", url, w.Code, w.Body.Len(), len(want), name)
		}
		h := w.Header()
		if got := h.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", url, got)
		}
		if got := h.Get("Content-Type"); got != contentType {
			t.Errorf("GET %s: Content-Type %q, want %q", url, got, contentType)
		}
		etag := h.Get("ETag")
		if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(etag) {
			t.Fatalf("GET %s: ETag %q", url, etag)
		}
		if w := app.do(t, "GET", url, nil, "", "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
			t.Errorf("GET %s with its ETag: status %d, %d bytes, want 304 and nothing", url, w.Code, w.Body.Len())
		}
	}
	a, _ := static.Lookup(static.URL("app.css")[len("/static/"):])
	b, _ := static.Lookup(static.URL("app.js")[len("/static/"):])
	if a.ETag == b.ETag {
		t.Fatal("two files share an ETag")
	}
	for _, path := range []string{"/static/", "/static", "/static/app.css", "/static/htmx.min.js", "/static/app.000000000000.css", "/static/..%2fgo.mod"} {
		if w := app.do(t, "GET", path, nil, ""); w.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, w.Code)
		}
	}
}
