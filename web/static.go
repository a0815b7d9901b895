package web

import (
	"bytes"
	"net/http"
	"strings"
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
		if sameContent(r.Header.Get("If-None-Match"), a.ETag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.Body))
	})
}

// sameContent reports whether an If-None-Match header names the asset's ETag in any encoding: the
// compressor sends "<tag>-gzip" or "<tag>-zstd" with a compressed answer (withCompression), and all
// of them stand for the one content. http.ServeContent knows only the tag it was given.
func sameContent(ifNoneMatch, etag string) bool {
	if ifNoneMatch == "" {
		return false
	}
	bare := strings.TrimSuffix(etag, `"`)
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag || tag == bare+`-gzip"` || tag == bare+`-zstd"` {
			return true
		}
	}
	return false
}
