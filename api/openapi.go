package api

import (
	_ "embed"
	"net/http"
	"strconv"
)

// openAPI is the OpenAPI 3.1 document of the API, served as written. The tests validate it with a
// real OpenAPI validator and check every endpoint's answers against it.
//
//go:embed openapi.json
var openAPI []byte

// handleOpenAPI serves GET /api/openapi.json; it needs no credentials.
func handleOpenAPI() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("Content-Length", strconv.Itoa(len(openAPI)))
		w.WriteHeader(http.StatusOK)
		if r.Method != http.MethodHead {
			w.Write(openAPI)
		}
	})
}
