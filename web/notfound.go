package web

import (
	"bytes"
	"net/http"
	"time"

	"todo/static"
)

// withOwnMisses answers the requests no route takes (an unknown path, a known path with another
// method) with the app's own page, in words, with a way home, where net/http would answer in plain
// text. The status stays: 404, or 405 with its Allow header.
func (s *server) withOwnMisses(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		miss := &statusOnly{header: http.Header{}}
		mux.ServeHTTP(miss, r)
		switch miss.status {
		case http.StatusNotFound:
			s.renderError(w, r, http.StatusNotFound, "There is no page at this address. It may have moved, or the link may be mistyped.")
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", miss.header.Get("Allow"))
			s.renderError(w, r, http.StatusMethodNotAllowed, "This address does not take that kind of request.")
		default: // a redirect net/http makes (a cleaned path): as it is
			for k, v := range miss.header {
				w.Header()[k] = v
			}
			w.WriteHeader(miss.status)
		}
	})
}

// statusOnly keeps what net/http's own answer to a miss sets: its status and headers, not its text.
type statusOnly struct {
	header http.Header
	status int
}

func (s *statusOnly) Header() http.Header { return s.header }
func (s *statusOnly) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return len(b), nil
}
func (s *statusOnly) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}

// favicon answers /favicon.ico, which browsers ask for whatever the page links: the app's icon (an
// SVG, which browsers take at this address as well).
func favicon() http.Handler {
	a, ok := static.Lookup(static.URL("favicon.svg")[len("/static/"):])
	if !ok {
		panic("static: favicon.svg is not embedded")
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.Header().Set("Content-Type", a.ContentType)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.Body))
	})
}
