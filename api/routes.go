package api

import "net/http"

// routes is the API's whole surface, under /api/ (openapi.json describes the same). Each path also
// has a method-less pattern, so another method answers 405 with Allow as a problem document, and
// any other path under /api/ answers 404 the same way.
func (a *API) routes(mux *http.ServeMux) {
	mux.Handle("GET /api/openapi.json", handleOpenAPI())
	mux.Handle("/api/openapi.json", notAllowed("GET, HEAD"))

	mux.Handle("GET /api/{user_id}/tasks", a.requireUser(a.handleList()))
	mux.Handle("POST /api/{user_id}/tasks", a.requireUser(a.handleCreate()))
	mux.Handle("/api/{user_id}/tasks", notAllowed("GET, HEAD, POST"))

	mux.Handle("GET /api/{user_id}/tasks/{id}", a.requireUser(a.handleGet()))
	mux.Handle("PUT /api/{user_id}/tasks/{id}", a.requireUser(a.handleReplace()))
	mux.Handle("DELETE /api/{user_id}/tasks/{id}", a.requireUser(a.handleDelete()))
	mux.Handle("/api/{user_id}/tasks/{id}", notAllowed("GET, HEAD, PUT, DELETE"))

	mux.Handle("PATCH /api/{user_id}/tasks/{id}/complete", a.requireUser(a.handleComplete()))
	mux.Handle("/api/{user_id}/tasks/{id}/complete", notAllowed("PATCH"))

	mux.Handle("/api/", a.notFound())
}

// notAllowed answers a method the path does not take.
func notAllowed(allow string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeProblem(w, http.StatusMethodNotAllowed, "This path takes "+allow+", not "+r.Method+".", nil)
	})
}

func (a *API) notFound() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { a.fail(w, r, errNoRoute) })
}
