package web

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"

	"todo/store"
	"todo/todo"
	"todo/views"
)

// errNoSuchSession: the session id is unknown or belongs to someone else (never told apart).
var errNoSuchSession = fmt.Errorf("%w: session", todo.ErrNotFound)

// sessionIDShape is what a {id} path segment must look like: Better Auth's ids are 32 characters of
// [A-Za-z0-9]; UUIDs (its generateId option) also fit. Anything else is not found, without a query.
var sessionIDShape = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// handleRevokeSession signs one of the user's sessions out by deleting its row, which ends it for
// Better Auth too. Revoking the session making the request signs this browser out.
func (s *server) handleRevokeSession() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := currentUser(r.Context())
		id := r.PathValue("id")
		if !sessionIDShape.MatchString(id) {
			s.fail(w, r, errNoSuchSession)
			return
		}
		token, _ := s.cookies.Read(r)
		current, err := s.store.RevokeSession(r.Context(), user.ID, id, token)
		if errors.Is(err, todo.ErrNotFound) {
			s.fail(w, r, errNoSuchSession)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if current {
			s.cookies.Clear(w)
			s.flash.Add(w, r, "You have signed out.")
			redirect(w, r, "/sign-in")
			return
		}
		s.sessionsChanged(w, r, "That device was signed out.")
	})
}

// handleRevokeOtherSessions signs out every session of the user but this one.
func (s *server) handleRevokeOtherSessions() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := currentUser(r.Context())
		token, _ := s.cookies.Read(r)
		n, err := s.store.RevokeOtherSessions(r.Context(), user.ID, token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		switch n {
		case 0:
			s.sessionsChanged(w, r, "You were not signed in anywhere else.")
		case 1:
			s.sessionsChanged(w, r, "Your other device was signed out.")
		default:
			s.sessionsChanged(w, r, fmt.Sprintf("Your %d other devices were signed out.", n))
		}
	})
}

// sessionsChanged answers a revocation: 303 to the account page with a flash, or for htmx the
// session list as it is now, with the message in the page's message area.
func (s *server) sessionsChanged(w http.ResponseWriter, r *http.Request, message string) {
	if !wantsFragment(r) {
		s.flash.Add(w, r, message)
		redirect(w, r, "/account")
		return
	}
	user, _ := currentUser(r.Context())
	token, _ := s.cookies.Read(r)
	sessions, err := s.store.SessionsOf(r.Context(), user.ID, token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	render(w, r, http.StatusOK, views.SessionsChanged(sessionRows(sessions), message))
}

// sessionRows is what the account page shows of each session.
func sessionRows(sessions []store.SessionInfo) []views.SessionRow {
	rows := make([]views.SessionRow, len(sessions))
	for i, se := range sessions {
		rows[i] = views.SessionRow{
			ID: se.ID, Device: describeDevice(se.UserAgent), Address: se.IPAddress,
			CreatedAt: se.CreatedAt, LastActive: se.LastActive, Current: se.Current,
		}
	}
	return rows
}
