package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"todo/mail"
	"todo/store"
	"todo/todo"
	"todo/views"
	"todo/web/auth"
)

// Forgot and reset password, as Better Auth's request-password-reset and reset-password do them:
// the same verifications rows, so a link made by either side works on the other.

// handleForgotPasswordPage shows the form that asks for a reset link.
func (s *server) handleForgotPasswordPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderForgot(w, r, http.StatusOK, views.AuthForm{})
	})
}

// handleForgotPassword answers every well-formed request alike, whether or not the address has an
// account, and as fast: looking the account up, writing the token and mailing the link all happen
// after the answer has gone (jobs), so neither the answer nor its timing tells. Throttled per client
// (429) and per address (over the limit no further mail goes out, and the answer is still the same).
func (s *server) handleForgotPassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "email")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) { s.renderForgot(w, r, status, f) })
			return
		}
		f := views.AuthForm{Email: views.Field{Value: echo(form["email"])}}
		if !s.account.forgotIP.Take(s.clientAddr(r)) {
			f.Alert = tooMany(w, s.account.forgotIP.RetryAfter(), "reset requests from your network")
			s.renderForgot(w, r, http.StatusTooManyRequests, f)
			return
		}
		email, msg := normalizeEmail(form["email"])
		if msg != "" {
			f.Email.Error = msg
			s.renderForgot(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		if s.account.forgotEmail.Take(email) {
			if !s.jobs.Go(func(ctx context.Context) { s.mailResetLink(ctx, email) }) {
				w.Header().Set("Retry-After", "5")
				f.Alert = "Too many requests at once right now. Please try again in a few seconds."
				s.renderForgot(w, r, http.StatusServiceUnavailable, f)
				return
			}
		}
		s.flash.Add(w, r, "If "+email+" belongs to an account, a link to choose a new password is on its way. "+
			"It works for one hour.")
		redirect(w, r, "/sign-in")
	})
}

// mailResetLink makes a reset token for the account with this email, if there is one, and mails
// it the link. It runs after the answer; what goes wrong is logged, never the link itself.
func (s *server) mailResetLink(ctx context.Context, email string) {
	user, err := s.store.UserByEmail(ctx, email)
	if errors.Is(err, todo.ErrNotFound) {
		return
	}
	if err != nil {
		s.log.Error("reset link not made", "err", err)
		return
	}
	s.sweepResetTokens(ctx)
	token := auth.NewResetToken()
	if err := s.store.CreateResetToken(ctx, store.ResetToken{
		ID:         auth.NewID(),
		Identifier: auth.ResetIdentifier(token),
		UserID:     user.ID,
		ExpiresAt:  time.Now().Add(auth.ResetTokenLifetime),
	}); err != nil {
		s.log.Error("reset link not made", "err", err)
		return
	}
	link := s.resetLink(token)
	html, err := views.ResetPasswordMailHTML(ctx, user.Name, link)
	if err != nil {
		s.log.Error("reset mail not rendered", "err", err)
		return
	}
	err = s.mail.Send(ctx, mail.Message{
		To:      user.Email,
		Subject: views.ResetPasswordSubject,
		Text:    views.ResetPasswordMailText(user.Name, link),
		HTML:    html,
	})
	if err != nil {
		s.log.Error("reset mail not sent", "err", err)
	}
}

// sweepEvery is how often making a reset token also deletes the expired ones nobody used.
const sweepEvery = 10 * time.Minute

// sweepResetTokens deletes expired reset tokens, at most once per sweepEvery.
func (s *server) sweepResetTokens(ctx context.Context) {
	now := time.Now().UnixNano()
	last := s.lastSweep.Load()
	if now-last < int64(sweepEvery) || !s.lastSweep.CompareAndSwap(last, now) {
		return
	}
	if n, err := s.store.DeleteExpiredResetTokens(ctx); err != nil {
		s.log.Warn("expired reset tokens not deleted", "err", err)
	} else if n > 0 {
		s.log.Info("expired reset tokens deleted", "count", n)
	}
}

// resetLink is the page that takes a token, on the public origin (BETTER_AUTH_URL). Better Auth's
// own links land there too when its request is made with redirectTo "/reset-password".
func (s *server) resetLink(token string) string {
	u := *s.baseURL
	u.Path = "/reset-password"
	u.RawQuery = url.Values{"token": {token}}.Encode()
	return u.String()
}

// Why a token is refused, in words (Better Auth answers INVALID_TOKEN to all three).
const (
	resetLinkInvalid = "This link to reset your password is not valid, or it was already used. Ask for a new one."
	resetLinkExpired = "This link to reset your password has expired (links work for one hour). Ask for a new one."
)

// checkResetToken finds the token's row and says what is wrong with it, if anything.
func (s *server) checkResetToken(ctx context.Context, token string) (refusal string, err error) {
	if !auth.WellFormedResetToken(token) {
		return resetLinkInvalid, nil
	}
	rt, err := s.store.ResetTokenByIdentifier(ctx, auth.ResetIdentifier(token))
	if errors.Is(err, todo.ErrNotFound) {
		return resetLinkInvalid, nil
	}
	if err != nil {
		return "", err
	}
	// The database found the row by its identifier; the app compares it once more, in constant time.
	if !auth.SameResetIdentifier(rt.Identifier, token) {
		return resetLinkInvalid, nil
	}
	if !rt.ExpiresAt.After(time.Now()) {
		return resetLinkExpired, nil
	}
	return "", nil
}

// handleResetPasswordPage shows the new-password form for a live token, or says why the link
// cannot be used (400). It changes nothing: only the POST uses the token.
func (s *server) handleResetPasswordPage() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token := r.URL.Query().Get("token")
		refusal, err := s.checkResetToken(r.Context(), token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if refusal != "" {
			s.refuseResetLink(w, r, refusal)
			return
		}
		s.renderReset(w, r, http.StatusOK, views.ResetForm{Token: token})
	})
}

// handleResetPassword sets a new password with a token: the token is used up, the password stored
// in Better Auth's format, and every session of the user deleted (signed out everywhere, this
// browser included). A bad, used or expired token is 400 and changes nothing; an invalid password
// 422, and the token stays usable.
func (s *server) handleResetPassword() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		form, err := readForm(r, "token", "new_password")
		if err != nil {
			s.refuseForm(w, r, err, func(status int, f views.AuthForm) {
				s.renderReset(w, r, status, views.ResetForm{Token: echo(r.PostForm.Get("token")), Alert: f.Alert})
			})
			return
		}
		token := form["token"]
		f := views.ResetForm{Token: echo(token)}
		if !s.account.resetIP.Take(s.clientAddr(r)) {
			f.Alert = tooMany(w, s.account.resetIP.RetryAfter(), "password resets from your network")
			s.renderReset(w, r, http.StatusTooManyRequests, f)
			return
		}
		refusal, err := s.checkResetToken(r.Context(), token)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if refusal != "" {
			s.refuseResetLink(w, r, refusal)
			return
		}
		if msg := checkNewPassword(form["new_password"]); msg != "" {
			f.New.Error = msg
			s.renderReset(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		hash, err := s.guard.hasher.Hash(r.Context(), form["new_password"])
		if errors.Is(err, auth.ErrBusy) {
			f.Alert = busy(w)
			s.renderReset(w, r, http.StatusTooManyRequests, f)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		_, err = s.store.ResetPassword(r.Context(), auth.ResetIdentifier(token), hash, auth.NewID())
		if errors.Is(err, todo.ErrNotFound) { // used or expired since the check
			s.refuseResetLink(w, r, resetLinkInvalid)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.cookies.Clear(w)
		s.flash.Add(w, r, "Your password was changed and you were signed out everywhere. Sign in with the new password.")
		redirect(w, r, "/sign-in")
	})
}

// refuseResetLink answers 400 with why the token cannot be used and a way to get a new one.
func (s *server) refuseResetLink(w http.ResponseWriter, r *http.Request, message string) {
	noReferrer(w)
	if wantsFragment(r) {
		render(w, r, http.StatusBadRequest, views.ResetLinkRefusedCard(message))
		return
	}
	render(w, r, http.StatusBadRequest, views.ResetLinkRefused(views.Chrome{Title: "Link cannot be used", Flashes: s.flash.Take(w, r)}, message))
}

// noReferrer keeps a page whose address holds a token from sending it anywhere, and from caches.
func noReferrer(w http.ResponseWriter) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
}

func (s *server) renderForgot(w http.ResponseWriter, r *http.Request, status int, f views.AuthForm) {
	w.Header().Set("Cache-Control", "no-store")
	if wantsFragment(r) {
		render(w, r, status, views.ForgotPasswordForm(f))
		return
	}
	render(w, r, status, views.ForgotPasswordPage(views.Chrome{Title: "Forgot your password?", Flashes: s.flash.Take(w, r)}, f))
}

func (s *server) renderReset(w http.ResponseWriter, r *http.Request, status int, f views.ResetForm) {
	noReferrer(w)
	if wantsFragment(r) {
		render(w, r, status, views.ResetPasswordForm(f))
		return
	}
	render(w, r, status, views.ResetPasswordPage(views.Chrome{Title: "Choose a new password", Flashes: s.flash.Take(w, r)}, f))
}
