package web

import (
	"context"
	"errors"
	"net/http"
	"time"

	"todo/store"
	"todo/todo"
)

type userKey struct{}

// currentUser is the signed-in user that requireUser put in the context.
func currentUser(ctx context.Context) (store.User, bool) {
	u, ok := ctx.Value(userKey{}).(store.User)
	return u, ok
}

// tasksOf is the task handle of the signed-in user: the only way a handler reaches tasks.
func (s *server) tasksOf(r *http.Request) store.Tasks {
	u, _ := currentUser(r.Context())
	return s.store.Tasks(u.ID) // without a user the id is "", which owns no task
}

// sessionFrom verifies the session cookie and loads the session. ok is false for no cookie, a bad
// signature, an unknown token or an expired session (which is deleted, as Better Auth does).
func (s *server) sessionFrom(w http.ResponseWriter, r *http.Request) (store.Session, bool, error) {
	token, ok := s.cookies.Read(r)
	if !ok {
		return store.Session{}, false, nil
	}
	se, refreshed, err := s.store.LiveSession(r.Context(), token, time.Now())
	if errors.Is(err, todo.ErrNotFound) {
		s.cookies.Clear(w)
		return store.Session{}, false, nil
	}
	if err != nil {
		return store.Session{}, false, err
	}
	if refreshed {
		s.cookies.Set(w, token) // same token, same value, a fresh Max-Age
	}
	return se, true, nil
}

// requireUser lets a request through only with a valid session, the user in its context.
// Without one: 303 to /sign-in, or for htmx 401 with HX-Redirect.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		se, ok, err := s.sessionFrom(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			s.rememberAskedFor(w, r)
			signedOut(w, r)
			return
		}
		// Pages behind a session are private: no shared or back-button caching of them.
		w.Header().Set("Cache-Control", "no-store")
		ctx := context.WithValue(r.Context(), userKey{}, se.User)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// signedOut answers a request that needs a session and has none: 303 to /sign-in, or for htmx 401
// with HX-Redirect, which htmx follows as a whole-page visit.
func signedOut(w http.ResponseWriter, r *http.Request) {
	if isHTMX(r) {
		w.Header().Del("HX-Retarget")
		w.Header().Del("HX-Reswap")
		w.Header().Set("HX-Redirect", "/sign-in")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}
