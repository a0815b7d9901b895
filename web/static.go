package web

import (
	"bytes"
	"net/http"
	"time"

	"todo/static"
)

// staticFiles serves the embedded stylesheet, app.js and htmx under their content-hashed names
// (static.URL), which never change meaning: cached for a year and never revalidated (immutable),
// with an ETag for a client that asks anyway (304). Unhashed names and the directory itself are 404.
func staticFiles() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := static.Lookup(r.PathValue("file"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		h.Set("ETag", a.ETag)
		h.Set("Content-Type", a.ContentType)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.Body))
	})
}
