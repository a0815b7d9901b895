package web

import (
	"errors"
	"net/http"

	"todo/store"
	"todo/todo"
	"todo/views"
	"todo/web/auth"
)

// emailTaken is the answer to a sign-up with an email that already has an account.
const emailTaken = "An account with this email already exists."

// handleSignUpPage shows the sign-up form; a signed-in visitor goes to the task list instead.
func (s *server) handleSignUpPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.redirectSignedIn(w, r) {
			return
		}
		s.renderSignUp(w, r, http.StatusOK, views.AuthForm{})
	})
}

// handleSignUp creates a user and its credential account as Better Auth does (lowercased email,
// scrypt hash, account_id = user id) and signs the new user in.
func (s *server) handleSignUp() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "name", "email", "password")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) { s.renderSignUp(w, r, status, f) })
			return
		}
		f := views.AuthForm{
			Name:  views.Field{Value: echo(form["name"])},
			Email: views.Field{Value: echo(form["email"])},
		}
		if !s.guard.signUpIP.Take(s.clientAddr(r)) {
			f.Alert = tooMany(w, s.guard.signUpIP.RetryAfter(), "sign-ups from your network")
			s.renderSignUp(w, r, http.StatusTooManyRequests, f)
			return
		}
		name, nameMsg := normalizeName(form["name"])
		email, emailMsg := normalizeEmail(form["email"])
		f.Name.Error, f.Email.Error = nameMsg, emailMsg
		f.Password.Error = checkNewPassword(form["password"])
		if f.Name.Error != "" || f.Email.Error != "" || f.Password.Error != "" {
			s.renderSignUp(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		if !s.guard.signUpEmail.Take(email) {
			f.Alert = tooMany(w, s.guard.signUpEmail.RetryAfter(), "sign-up attempts for this email")
			s.renderSignUp(w, r, http.StatusTooManyRequests, f)
			return
		}

		hash, err := s.guard.hasher.Hash(r.Context(), form["password"])
		if errors.Is(err, auth.ErrBusy) {
			f.Alert = busy(w)
			s.renderSignUp(w, r, http.StatusTooManyRequests, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		user, err := s.store.CreateUser(r.Context(), store.NewUser{
			UserID: auth.NewID(), AccountID: auth.NewID(), Name: name, Email: email, PasswordHash: hash,
		})
		if errors.Is(err, todo.ErrConflict) { // the unique email, in any case: stored lowercased
			f.Email.Error = emailTaken
			s.renderSignUp(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if err := s.startSession(w, r, user.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		redirect(w, r, "/")
	})
}

// renderSignUp answers with the sign-up form: the whole page, or for htmx the form alone.
func (s *server) renderSignUp(w http.ResponseWriter, r *http.Request, status int, f views.AuthForm) {
	w.Header().Set("Cache-Control", "no-store")
	if wantsFragment(r) {
		render(w, r, status, views.SignUpForm(f))
		return
	}
	render(w, r, status, views.SignUpPage(views.Chrome{Title: "Create your account", Flashes: s.flash.Take(w, r)}, f))
}
