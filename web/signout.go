package web

import "net/http"

// handleSignOut ends the session as Better Auth does: the row is deleted (so the cookie is dead on
// both sides at once) and the three cookies are cleared. Without a valid cookie there is nothing to
// delete, and the answer is the same.
func (s *server) handleSignOut() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if token, ok := s.cookies.Read(r); ok {
			if err := s.store.DeleteSession(r.Context(), token); err != nil {
				s.fail(w, r, err) // the session would live on: say so rather than pretend
				return
			}
		}
		s.cookies.Clear(w)
		s.flash.Add(w, r, "You have signed out.")
		redirect(w, r, "/sign-in")
	})
}
