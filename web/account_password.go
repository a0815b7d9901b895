package web

import (
	"errors"
	"net/http"

	"todo/todo"
	"todo/views"
	"todo/web/auth"
)

// handleChangePassword replaces the signed-in user's password, in Better Auth's hash format, after
// checking the current one. Invalid new password: 422; wrong current password: 401, throttled per
// client and, with failed sign-ins, per account. The session making the request stays signed in;
// with revoke_other_sessions every other session of the user ends.
func (s *server) handleChangePassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, _ := currentUser(r.Context())
		form, err := readForm(r, "current_password", "new_password", "revoke_other_sessions")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) {
				s.renderPasswordForm(w, r, status, views.PasswordForm{Alert: f.Alert})
			})
			return
		}
		revoke, revokeOK := checkbox(form["revoke_other_sessions"])
		f := views.PasswordForm{RevokeOthers: revoke}
		if !s.account.changeIP.Take(s.clientAddr(r)) {
			f.Alert = tooMany(w, s.account.changeIP.RetryAfter(), "password changes from your network")
			s.renderPasswordForm(w, r, http.StatusTooManyRequests, f)
			return
		}
		f.Current.Error = checkPassword(form["current_password"])
		f.New.Error = checkNewPassword(form["new_password"])
		if !revokeOK {
			f.Alert = "“Sign out my other devices” must be checked or left unchecked."
		}
		if f.Current.Error != "" || f.New.Error != "" || f.Alert != "" {
			s.renderPasswordForm(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		// Counted before the hash, refunded unless the current password was wrong.
		client := s.clientAddr(r)
		if alert, ok := s.guard.takeFailure(w, client, user.Email, "wrong passwords for this account"); !ok {
			f.Alert = alert
			s.renderPasswordForm(w, r, http.StatusTooManyRequests, f)
			return
		}
		ok, err := s.checkPasswordOf(r, user.ID, form["current_password"])
		if err != nil || ok {
			s.guard.refundFailure(client, user.Email)
		}
		if errors.Is(err, auth.ErrBusy) {
			f.Alert = busy(w)
			s.renderPasswordForm(w, r, http.StatusTooManyRequests, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			f.Current.Error = "That is not your current password. Your password was not changed."
			s.renderPasswordForm(w, r, http.StatusUnauthorized, f)
			return
		}
		hash, err := s.guard.hasher.Hash(r.Context(), form["new_password"])
		if errors.Is(err, auth.ErrBusy) {
			f.Alert = busy(w)
			s.renderPasswordForm(w, r, http.StatusTooManyRequests, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		token, _ := s.cookies.Read(r) // requireUser verified it
		err = s.store.ChangePassword(r.Context(), user.ID, hash, token, revoke)
		if errors.Is(err, todo.ErrNotFound) { // the credential account went away meanwhile
			f.Alert = "Your account has no password to change."
			s.renderPasswordForm(w, r, http.StatusConflict, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if revoke {
			s.flash.Add(w, r, "Your password was changed, and your other devices were signed out.")
		} else {
			s.flash.Add(w, r, "Your password was changed.")
		}
		redirect(w, r, "/account")
	})
}

// checkbox reads an HTML checkbox: absent or empty is false, "on" (what browsers send) is true; ok
// is false for anything else.
func checkbox(v string) (on, ok bool) {
	switch v {
	case "":
		return false, true
	case "on", "true":
		return true, true
	case "off", "false":
		return false, true
	}
	return false, false
}

// renderPasswordForm answers a refused change: the account page, or for htmx the form alone.
func (s *server) renderPasswordForm(w http.ResponseWriter, r *http.Request, status int, f views.PasswordForm) {
	if wantsFragment(r) {
		w.Header().Set("Cache-Control", "no-store")
		render(w, r, status, views.ChangePasswordForm(f))
		return
	}
	s.showAccount(w, r, status, func(v *views.AccountView) { v.PasswordForm = f })
}
