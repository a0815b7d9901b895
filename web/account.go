package web

import (
	"errors"
	"net/http"

	"todo/todo"
	"todo/views"
	"todo/web/auth"
)

// handleAccount shows the account page: name, password, sessions, deletion (behind requireUser).
func (s *server) handleAccount() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.showAccount(w, r, http.StatusOK, nil)
	})
}

// showAccount answers with the whole account page. edit, when not nil, puts a refused form's state
// into the page before it is rendered.
func (s *server) showAccount(w http.ResponseWriter, r *http.Request, status int, edit func(*views.AccountView)) {
	user, _ := currentUser(r.Context())
	token, _ := s.cookies.Read(r) // requireUser verified it
	profile, err := s.store.ProfileOf(r.Context(), user.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sessions, err := s.store.SessionsOf(r.Context(), user.ID, token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := views.AccountView{
		Name:          profile.Name,
		Email:         profile.Email,
		EmailVerified: profile.EmailVerified,
		NameForm:      views.AuthForm{Name: views.Field{Value: profile.Name}},
		Sessions:      sessionRows(sessions),
	}
	if edit != nil {
		edit(&v)
	}
	w.Header().Set("Cache-Control", "no-store")
	chrome := views.Chrome{Title: "Account", UserName: profile.Name, Flashes: s.flash.Take(w, r)}
	render(w, r, status, views.AccountPage(chrome, v))
}

// handleDeleteAccount deletes the signed-in user after checking their password; the foreign keys
// cascade to their tasks, sessions and accounts. Wrong password: 401, nothing deleted.
func (s *server) handleDeleteAccount() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := currentUser(r.Context())
		form, err := readForm(r, "password")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) { s.renderDeleteForm(w, r, status, f) })
			return
		}
		var f views.AuthForm
		if msg := checkPassword(form["password"]); msg != "" {
			f.Password.Error = msg
			s.renderDeleteForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		// A stolen session must not become a password-guessing oracle: failures count against the
		// same per-account throttle as sign-in.
		client := s.clientAddr(r)
		if alert, ok := s.guard.takeFailure(w, client, user.Email, "wrong passwords for this account"); !ok {
			f.Alert = alert
			s.renderDeleteForm(w, r, http.StatusTooManyRequests, f)
			return
		}
		ok, err := s.checkPasswordOf(r, user.ID, form["password"])
		if err != nil || ok {
			s.guard.refundFailure(client, user.Email) // not a wrong password
		}
		if errors.Is(err, auth.ErrBusy) {
			f.Alert = busy(w)
			s.renderDeleteForm(w, r, http.StatusTooManyRequests, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			f.Password.Error = "That is not your password. Your account was not deleted."
			s.renderDeleteForm(w, r, http.StatusUnauthorized, f)
			return
		}
		if err := s.store.DeleteUser(r.Context(), user.ID); err != nil && !errors.Is(err, todo.ErrNotFound) {
			s.fail(w, r, err) // ErrNotFound: deleted meanwhile (another tab), which is what was asked
			return
		}
		s.cookies.Clear(w)
		s.flash.Add(w, r, "Your account and all your tasks have been deleted.")
		redirect(w, r, "/sign-up")
	})
}

// checkPasswordOf verifies the signed-in user's password. A user without a password (an account
// made through another Better Auth provider) can't confirm this way: one scrypt run, then false.
func (s *server) checkPasswordOf(r *http.Request, userID, password string) (bool, error) {
	hash, err := s.store.PasswordHash(r.Context(), userID)
	if errors.Is(err, todo.ErrNotFound) {
		return false, s.guard.hasher.Burn(r.Context(), password)
	}
	if err != nil {
		return false, err
	}
	return s.guard.hasher.Verify(r.Context(), password, hash)
}

// renderDeleteForm answers a refused deletion: the account page, or for htmx the delete form alone.
func (s *server) renderDeleteForm(w http.ResponseWriter, r *http.Request, status int, f views.AuthForm) {
	if wantsFragment(r) {
		w.Header().Set("Cache-Control", "no-store")
		render(w, r, status, views.DeleteAccountForm(f))
		return
	}
	s.showAccount(w, r, status, func(v *views.AccountView) { v.DeleteForm = f })
}
