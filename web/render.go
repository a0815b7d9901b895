package web

import (
	"net/http"

	"github.com/a-h/templ"
)

// render writes a templ component with a status code. Responses that differ by HX-Request say so.
func render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Add("Vary", "HX-Request")
	w.WriteHeader(status)
	// The status is sent; a write error now means the client left, and there is nothing to tell it.
	_ = c.Render(r.Context(), w)
}
