package api

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"todo/todo"
)

// problem is an RFC 9457 problem document: what every error answer of the API carries.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Errors names each field at fault with what is wrong with it, in words (422 only).
	Errors map[string]string `json:"errors,omitempty"`
}

// Errors of the API's own (the domain's are in package todo).
var (
	errMalformedJSON  = errors.New("malformed JSON")
	errNotJSON        = errors.New("not JSON")
	errNoCredentials  = errors.New("no credentials")
	errForbiddenUser  = errors.New("another user's path")
	errCrossOrigin    = errors.New("cross-origin request with a cookie")
	errUserGone       = errors.New("the token's user no longer exists")
	errMethod         = errors.New("method not allowed")
	errNoRoute        = errors.New("no such API route")
	errThrottled      = errors.New("too many requests")
	errUnsupportedYet = errors.New("not supported yet")
)

// detailedError carries the words a client reads for an error of the API's own.
type detailedError struct {
	kind   error
	detail string
}

func (e *detailedError) Error() string { return e.kind.Error() + ": " + e.detail }
func (e *detailedError) Unwrap() error { return e.kind }

// detailed is kind with a message for the client.
func detailed(kind error, detail string) error { return &detailedError{kind: kind, detail: detail} }

// fieldErrors are several fields at fault at once (422).
type fieldErrors map[string]string

func (f fieldErrors) Error() string        { return "invalid fields" }
func (f fieldErrors) Is(target error) bool { return target == todo.ErrInvalid }

// retryAfterSeconds is what a 503 tells the client to wait: the database is expected back soon.
const retryAfterSeconds = 5

// statusOf maps an error to its status and the words of its detail: the one place where the API's
// errors become HTTP.
func statusOf(err error) (int, string, map[string]string) {
	detail := ""
	var d *detailedError
	if errors.As(err, &d) {
		detail = d.detail
	}
	or := func(fallback string) string {
		if detail != "" {
			return detail
		}
		return fallback
	}
	var fields fieldErrors
	var invalid *todo.ValidationError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &fields):
		return http.StatusUnprocessableEntity, or("Some fields are not valid; see errors."), fields
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Message, map[string]string{invalid.Field: invalid.Message}
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "The body is larger than 64 KiB.", nil
	case errors.Is(err, errMalformedJSON):
		return http.StatusBadRequest, or("The body is not well-formed JSON."), nil
	case errors.Is(err, errNotJSON):
		return http.StatusUnsupportedMediaType, "Send the body as application/json.", nil
	case errors.Is(err, errNoCredentials):
		return http.StatusUnauthorized, or("Sign in: send the session cookie or an Authorization: Bearer token."), nil
	case errors.Is(err, errBadToken):
		return http.StatusUnauthorized, "The bearer token is not valid (malformed, expired, or not signed by a known key).", nil
	case errors.Is(err, errUserGone):
		return http.StatusUnauthorized, "The account this token names no longer exists.", nil
	case errors.Is(err, errForbiddenUser):
		return http.StatusForbidden, "This path belongs to another user: use your own user id.", nil
	case errors.Is(err, errCrossOrigin):
		return http.StatusForbidden, "This request came from another site with a session cookie and was refused.", nil
	case errors.Is(err, todo.ErrNotFound):
		return http.StatusNotFound, or("There is no such task."), nil
	case errors.Is(err, errNoRoute):
		return http.StatusNotFound, "There is no such API route; see /api/openapi.json.", nil
	case errors.Is(err, errMethod):
		return http.StatusMethodNotAllowed, or("This method is not allowed here."), nil
	case errors.Is(err, errUnsupportedYet):
		return http.StatusUnprocessableEntity, or("That is not supported yet."), nil
	case errors.Is(err, todo.ErrInvalid):
		return http.StatusUnprocessableEntity, or("That input is not valid."), nil
	case errors.Is(err, errThrottled):
		return http.StatusTooManyRequests, or("Too many requests; wait a moment and try again."), nil
	case errors.Is(err, todo.ErrConflict):
		return http.StatusConflict, "That already exists.", nil
	case errors.Is(err, todo.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "The database is not answering right now. Please try again in a few seconds.", nil
	case errors.Is(err, context.Canceled):
		return 499, "The request was cancelled.", nil // the client went away; nobody reads this
	}
	return http.StatusInternalServerError, "Something went wrong on our side. Please try again.", nil
}

// fail answers a request that ended in err with a problem document.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, detail, fields := statusOf(err)
	if status >= 500 {
		a.log.LogAttrs(r.Context(), slog.LevelError, "api request failed",
			slog.String("path", r.URL.Path), slog.Int("status", status), slog.String("err", err.Error()))
	}
	h := w.Header()
	switch status {
	case http.StatusServiceUnavailable:
		h.Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	case http.StatusUnauthorized:
		h.Set("WWW-Authenticate", wwwAuthenticate(err))
	case http.StatusTooManyRequests:
		if h.Get("Retry-After") == "" {
			h.Set("Retry-After", "60")
		}
	}
	writeProblem(w, status, detail, fields)
}

// wwwAuthenticate is the RFC 6750 challenge: the scheme alone without credentials, invalid_token
// for a token that was refused.
func wwwAuthenticate(err error) string {
	if errors.Is(err, errNoCredentials) {
		return `Bearer realm="api"`
	}
	return `Bearer realm="api", error="invalid_token"`
}

func writeProblem(w http.ResponseWriter, status int, detail string, fields map[string]string) {
	title := http.StatusText(status)
	if title == "" {
		title = "Client Closed Request"
	}
	body, _ := json.Marshal(problem{Type: "about:blank", Title: title, Status: status, Detail: detail, Errors: fields})
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
