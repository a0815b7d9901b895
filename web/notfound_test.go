package web

import (
	"net/http"
	"strings"
	"testing"
)

// A path no route takes gets the app's own page, titled in words, with a way home; a known path with
// another method keeps its 405 and Allow; /favicon.ico answers with the icon.
func TestMissesGetTheAppsOwnPage(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	for _, cookie := range []*http.Cookie{nil, c} {
		w := a.do(t, "GET", "/no/such/page", cookie, "")
		wantStatus(t, w, http.StatusNotFound)
		doc := parseDoc(t, w)
		if title := doc.Find("title").Text(); !strings.HasPrefix(title, "Nothing here") || strings.Contains(title, "Not Found") {
			t.Fatalf("title %q", title)
		}
		if doc.Find("main a[href='/']").Length() != 1 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			t.Fatalf("no way home: %s", w.Body.String())
		}
	}
	w := a.do(t, "DELETE", "/active", c, "")
	wantStatus(t, w, http.StatusMethodNotAllowed)
	if w.Header().Get("Allow") == "" || parseDoc(t, w).Find("[data-testid=error-page]").Length() != 1 {
		t.Fatalf("405: Allow %q, body %s", w.Header().Get("Allow"), w.Body.String())
	}
	w = a.do(t, "GET", "/no/such/page", c, "", hxHeaders...)
	wantStatus(t, w, http.StatusNotFound)
	if w.Header().Get("HX-Retarget") != "#flashes" || !isFragment(w.Body.String()) {
		t.Fatalf("htmx miss: %v %s", w.Header(), w.Body.String())
	}
	w = a.do(t, "GET", "/favicon.ico", nil, "")
	wantStatus(t, w, http.StatusOK)
	if w.Header().Get("Content-Type") != "image/svg+xml" || !strings.Contains(w.Body.String(), "<svg") {
		t.Fatalf("favicon: %q", w.Header().Get("Content-Type"))
	}
	// Routes still answer as before: a task path is matched, not taken for a miss.
	wantStatus(t, a.do(t, "GET", "/tasks/999999/edit", c, ""), http.StatusNotFound)
	wantStatus(t, a.do(t, "GET", "/", c, ""), http.StatusOK)
}
