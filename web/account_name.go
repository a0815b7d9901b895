package web

import (
	"net/http"

	"todo/views"
)

// handleChangeName sets the display name, by the same rule as sign-up (trimmed, 1 to 100
// characters, no control characters). Invalid: 422 with the form, nothing changed.
func (s *server) handleChangeName() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := currentUser(r.Context())
		form, err := readForm(r, "name")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) { s.renderNameForm(w, r, status, f) })
			return
		}
		name, msg := normalizeName(form["name"])
		if msg != "" {
			s.renderNameForm(w, r, http.StatusUnprocessableEntity, views.AuthForm{Name: views.Field{Value: echo(form["name"]), Error: msg}})
			return
		}
		if err := s.store.SetName(r.Context(), user.ID, name); err != nil {
			s.fail(w, r, err)
			return
		}
		s.flash.Add(w, r, "Your name is now “"+name+"”.")
		redirect(w, r, "/account")
	})
}

// renderNameForm answers a refused name: the account page, or for htmx the name form alone.
func (s *server) renderNameForm(w http.ResponseWriter, r *http.Request, status int, f views.AuthForm) {
	if wantsFragment(r) {
		w.Header().Set("Cache-Control", "no-store")
		render(w, r, status, views.NameForm(f))
		return
	}
	s.showAccount(w, r, status, func(v *views.AccountView) { v.NameForm = f })
}
