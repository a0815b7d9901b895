package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"todo/store"
	"todo/todo"
)

// how a request proved who it is.
type method int

const (
	viaCookie method = iota + 1 // the Better Auth session cookie
	viaBearer                   // Authorization: Bearer <session token>, as the bearer plugin issues it
	viaJWT                      // Authorization: Bearer <JWT>, as the jwt plugin issues it
)

// principal is the authenticated caller.
type principal struct {
	userID string
	via    method
	user   store.User // with the counts read alongside the session; empty for a JWT, which carries no session
}

// authenticate finds the caller. An Authorization: Bearer header decides alone (the bearer plugin
// lets it win over a cookie): a JWT (three dot-separated parts) is verified against the published
// keys, anything else is a session token, bare or signed as in the cookie. Without one, the session
// cookie is read. No credentials, or refused ones, are errors that answer 401.
func (a *API) authenticate(w http.ResponseWriter, r *http.Request) (principal, error) {
	if token, ok := bearerToken(r); ok {
		if token == "" {
			return principal{}, detailed(errNoCredentials, "The Authorization header names the Bearer scheme but carries no token.")
		}
		if looksLikeJWT(token) {
			userID, err := a.jwt.verify(r.Context(), token)
			if err != nil {
				return principal{}, err
			}
			return principal{userID: userID, via: viaJWT}, nil
		}
		session, ok := a.cookies.Token(token) // token.signature, raw or percent-encoded
		if !ok {
			if strings.ContainsAny(token, ".%") {
				return principal{}, errBadToken
			}
			session = token // the bare session token, which the plugin signs itself
		}
		se, refreshed, err := a.session(r.Context(), session)
		if err != nil {
			return principal{}, err
		}
		if refreshed {
			// The bearer plugin sends the refreshed session's signed value back as it does the cookie.
			signed, _ := url.PathUnescape(a.cookies.Value(session))
			w.Header().Set("Set-Auth-Token", signed)
		}
		return principal{userID: se.UserID, via: viaBearer, user: se.User}, nil
	}
	token, ok := a.cookies.Read(r)
	if !ok {
		if _, err := r.Cookie(a.cookies.Name()); err == nil {
			return principal{}, detailed(errNoCredentials, "The session cookie is not valid: sign in again.")
		}
		return principal{}, errNoCredentials
	}
	se, refreshed, err := a.session(r.Context(), token)
	if errors.Is(err, errBadToken) {
		a.cookies.Clear(w)
		return principal{}, detailed(errNoCredentials, "The session has ended: sign in again.")
	}
	if err != nil {
		return principal{}, err
	}
	if refreshed {
		a.cookies.Set(w, token) // same token, a fresh Max-Age, as Better Auth does
	}
	return principal{userID: se.UserID, via: viaCookie, user: se.User}, nil
}

// bearerToken is the credential of an Authorization: Bearer header (the scheme in any case, spaces
// around trimmed, as the bearer plugin reads it). ok is false without one; other schemes are ignored.
func bearerToken(r *http.Request) (string, bool) {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	scheme, rest, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(rest), true
}

// session loads a live session by token (store.LiveSession, the rule the HTML app signs in by); an
// unknown, expired or ended one is errBadToken.
func (a *API) session(ctx context.Context, token string) (store.Session, bool, error) {
	se, refreshed, err := a.store.LiveSession(ctx, token, time.Now())
	if errors.Is(err, todo.ErrNotFound) {
		return store.Session{}, false, errBadToken
	}
	return se, refreshed, err
}
