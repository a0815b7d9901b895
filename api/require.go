package api

import (
	"context"
	"errors"
	"net/http"

	"todo/store"
	"todo/todo"
)

type principalKey struct{}

// requireUser lets a request through only when it is authenticated as the user its path names:
// no or refused credentials 401 (and counted against the client address), another user's id 403,
// a cookie-carrying state change from another origin 403, a user over the rate limit 429.
func (a *API) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.throttle.blocked(w, r) {
			a.fail(w, r, detailed(errThrottled, "Too many refused credentials from this address; wait a minute."))
			return
		}
		p, err := a.authenticate(w, r)
		if err != nil {
			if errors.Is(err, errNoCredentials) || errors.Is(err, errBadToken) {
				a.throttle.failed(w, r)
			}
			a.fail(w, r, err)
			return
		}
		// Answers behind credentials are private: no shared caching of them.
		w.Header().Set("Cache-Control", "no-store")
		if p.via == viaCookie && !safeMethod(r.Method) {
			if err := a.origins.Check(r); err != nil {
				a.fail(w, r, errCrossOrigin)
				return
			}
		}
		if r.PathValue("user_id") != p.userID {
			a.fail(w, r, errForbiddenUser)
			return
		}
		if a.throttle.overUser(w, r, p.userID) {
			a.fail(w, r, errThrottled)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// tasksOf is the task handle of the authenticated user: the only way a handler reaches tasks.
func (a *API) tasksOf(r *http.Request) store.Tasks {
	p, _ := r.Context().Value(principalKey{}).(principal)
	return a.store.Tasks(p.userID) // without a principal the id is "", which owns no task
}

// taskID parses the {id} path segment: a task id, else not found (as in the HTML app).
func taskID(r *http.Request) (int64, error) {
	id, ok := todo.ParseID(r.PathValue("id"), false)
	if !ok {
		return 0, todo.ErrNotFound
	}
	return id, nil
}
