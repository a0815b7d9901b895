package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"todo/store"
	"todo/todo"
	"todo/views"
	"todo/web/auth"
)

// invalidCredentials is the one answer to a wrong email and to a wrong password (Better Auth's words).
const invalidCredentials = "Invalid email or password."

// handleSignInPage shows the sign-in form; a signed-in visitor goes to the task list instead.
func (s *server) handleSignInPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.redirectSignedIn(w, r) {
			return
		}
		s.renderSignIn(w, r, http.StatusOK, views.AuthForm{Next: s.askedFor(r)})
	})
}

// handleSignIn checks an email and password as Better Auth does and starts a session.
// Unknown email and wrong password cost the same scrypt run and get the same 401.
func (s *server) handleSignIn() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "email", "password", "next")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) { s.renderSignIn(w, r, status, f) })
			return
		}
		f := views.AuthForm{Email: views.Field{Value: echo(form["email"])}, Next: returnPath(form["next"])}
		if !s.guard.signInIP.Take(s.clientAddr(r)) {
			f.Alert = tooMany(w, s.guard.signInIP.RetryAfter(), "sign-in attempts from your network")
			s.renderSignIn(w, r, http.StatusTooManyRequests, f)
			return
		}
		email, msg := normalizeEmail(form["email"])
		f.Email.Error = msg
		f.Password.Error = checkPassword(form["password"])
		if f.Email.Error != "" || f.Password.Error != "" {
			s.renderSignIn(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		// Failed attempts per account and client, and per account: counted before the hash,
		// refunded on success.
		client := s.clientAddr(r)
		if alert, ok := s.guard.takeFailure(w, client, email, "failed sign-in attempts for this email"); !ok {
			f.Alert = alert
			s.renderSignIn(w, r, http.StatusTooManyRequests, f)
			return
		}

		user, ok, err := s.checkCredentials(r.Context(), email, form["password"])
		if err != nil || ok {
			s.guard.refundFailure(client, email) // not a wrong password
		}
		if errors.Is(err, auth.ErrBusy) {
			f.Alert = busy(w)
			s.renderSignIn(w, r, http.StatusTooManyRequests, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			f.Alert = invalidCredentials
			f.FocusPassword = true // the email is as typed: what is wrong is most likely the password
			s.renderSignIn(w, r, http.StatusUnauthorized, f)
			return
		}
		err = s.startSession(w, r, user.ID)
		if errors.Is(err, todo.ErrUserGone) { // the account was deleted since the password was checked
			f.Alert = invalidCredentials
			s.renderSignIn(w, r, http.StatusUnauthorized, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		forgetAskedFor(w)
		redirect(w, r, cmpPath(f.Next, "/"))
	})
}

// checkCredentials reports whether password is the password of the account with this email.
// Both ways of being wrong run one scrypt, so they take the same time.
func (s *server) checkCredentials(ctx context.Context, email, password string) (store.User, bool, error) {
	cred, err := s.store.CredentialByEmail(ctx, email)
	if errors.Is(err, todo.ErrNotFound) {
		return store.User{}, false, s.guard.hasher.Burn(ctx, password)
	}
	if err != nil {
		return store.User{}, false, err
	}
	ok, err := s.guard.hasher.Verify(ctx, password, cred.PasswordHash)
	return cred.User, ok, err
}

// startSession writes a session row exactly as Better Auth does (32-character id and token,
// expiring in 7 days, client address and user agent) and sets its cookie.
func (s *server) startSession(w http.ResponseWriter, r *http.Request, userID string) error {
	token := auth.NewID()
	err := s.store.CreateSession(r.Context(), store.Session{
		ID:        auth.NewID(),
		Token:     token,
		UserID:    userID,
		ExpiresAt: time.Now().Add(auth.SessionLifetime),
		IPAddress: s.clientAddr(r),
		UserAgent: storableUserAgent(r.UserAgent()),
	})
	if err != nil {
		return err
	}
	s.cookies.Set(w, token)
	return nil
}

// echo is what a refused form shows again in a text field: the input trimmed, or nothing when it
// holds bytes a page cannot show (invalid UTF-8, NUL).
func echo(s string) string {
	if unreadable(s, "") != "" {
		return ""
	}
	return strings.TrimSpace(s)
}

// maxUserAgent bounds what a client can make us store with every session.
const maxUserAgent = 512

// storableUserAgent makes a User-Agent header fit for a text column: valid UTF-8, no NUL, bounded.
func storableUserAgent(ua string) string {
	ua = strings.ReplaceAll(strings.ToValidUTF8(ua, ""), "\x00", "")
	if len(ua) > maxUserAgent {
		ua = strings.ToValidUTF8(ua[:maxUserAgent], "")
	}
	return ua
}

// redirectSignedIn sends a visitor who already has a valid session to the task list.
func (s *server) redirectSignedIn(w http.ResponseWriter, r *http.Request) bool {
	if _, ok := s.cookies.Read(r); !ok {
		return false // no cookie or a bad signature: no database work
	}
	_, ok, err := s.sessionFrom(w, r)
	if err != nil {
		s.fail(w, r, err)
		return true
	}
	if ok {
		redirect(w, r, "/")
	}
	return ok
}

// refuseForm answers a form that could not be read: a validation problem re-renders the form
// with the message; anything else (413, 415) goes the usual way.
func (s *server) refuseForm(w http.ResponseWriter, r *http.Request, err error, show func(int, views.AuthForm)) {
	var invalid *todo.ValidationError
	if errors.As(err, &invalid) {
		show(http.StatusUnprocessableEntity, views.AuthForm{Alert: invalid.Message})
		return
	}
	s.fail(w, r, err)
}

// renderSignIn answers with the sign-in form: the whole page, or for htmx the form alone.
func (s *server) renderSignIn(w http.ResponseWriter, r *http.Request, status int, f views.AuthForm) {
	w.Header().Set("Cache-Control", "no-store")
	if wantsFragment(r) {
		render(w, r, status, views.SignInForm(f))
		return
	}
	render(w, r, status, views.SignInPage(views.Chrome{Title: "Sign in", Flashes: s.flash.Take(w, r)}, f))
}
