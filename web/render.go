package web

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"

	"github.com/a-h/templ"
)

// renderBuffers recycles the buffers answers are rendered into.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes a templ component with a status code. Responses that differ by HX-Request say so.
// The component is rendered into a buffer and sent with one write and a Content-Length. Rendered
// straight into the ResponseWriter, templ's 4 KiB buffer makes every 4 KiB a chunk and a write
// system call of its own (a list page: about 15), and a template error could only cut the page
// short after a 200.
func render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 { // a rare huge answer's buffer is left to the GC
			renderBuffers.Put(buf)
		}
	}()
	h := w.Header()
	h.Add("Vary", "HX-Request")
	if err := c.Render(r.Context(), buf); err != nil {
		http.Error(w, "Something went wrong on our side. Please try again.", http.StatusInternalServerError)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	// The status is sent; a write error now means the client left, and there is nothing to tell it.
	_, _ = w.Write(buf.Bytes())
}
