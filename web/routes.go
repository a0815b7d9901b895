package web

import "net/http"

// routes is the app's whole HTTP surface (CONTRACT.md, "Routes").
func (s *server) routes(mux *http.ServeMux) {
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", s.handleReadyz())
	mux.Handle("GET /static/", staticFiles())
}
