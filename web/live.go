package web

import (
	"net/http"

	"todo/live"
)

// liveRoutes mounts live updates (package live) when the server has a hub: the event stream, and
// what a page fetches after an event.
func (s *server) liveRoutes(mux *http.ServeMux) {
	if s.live == nil {
		return
	}
	mux.Handle("GET /events", s.handleEvents())
	mux.Handle("GET /events/changes", s.requireUser(s.handleEventChanges()))
}

// handleEvents is the signed-in user's event stream. Without a session it is 401 whatever asks
// (EventSource sends no HX-Request, and a redirect to a page would only make it retry an HTML page).
func (s *server) handleEvents() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		se, ok, err := s.sessionFrom(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			http.Error(w, "Sign in to receive live updates.", http.StatusUnauthorized)
			return
		}
		s.live.ServeStream(w, r, se.User.ID)
	})
}

// handleEventChanges answers an event's control: what the page must redraw.
func (s *server) handleEventChanges() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := live.Changes(r.Context(), r.URL.Query(), s.tasksOf(r))
		if err != nil {
			s.failTasks(w, r, err)
			return
		}
		render(w, r, http.StatusOK, c)
	})
}
