package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/a-h/templ"

	"todo/todo"
	"todo/views"
)

// statusOf maps an error to the status code and message a person sees. It is the one place where
// domain errors become HTTP.
func statusOf(err error) (int, string) {
	var invalid *todo.ValidationError
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &invalid):
		return http.StatusUnprocessableEntity, invalid.Message
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge, "That was too much to send at once (the limit is 64 KiB)."
	case errors.Is(err, errUnsupportedMedia):
		return http.StatusUnsupportedMediaType, "Please send the form as application/x-www-form-urlencoded."
	case errors.Is(err, errNoSuchSession):
		return http.StatusNotFound, "There is no such session: it may have been signed out already."
	case errors.Is(err, todo.ErrNotFound):
		return http.StatusNotFound, "There is no such task."
	case errors.Is(err, todo.ErrInvalid):
		return http.StatusUnprocessableEntity, "That input is not valid."
	case errors.Is(err, todo.ErrConflict):
		return http.StatusConflict, "That already exists."
	case errors.Is(err, todo.ErrUserGone): // see fail: pages and fragments answer it as signed out
		return http.StatusUnauthorized, "Your session has ended. Please sign in again."
	case errors.Is(err, todo.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "The database is not answering right now. Please try again in a few seconds."
	case errors.Is(err, context.Canceled):
		return 499, "The request was cancelled." // the client went away; nobody reads this
	}
	return http.StatusInternalServerError, "Something went wrong on our side. Please try again."
}

// fail answers a request that ended in err, as a page or (for htmx) a fragment. A write for a user
// deleted meanwhile is that user's session ending: answered like a request without one.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, todo.ErrUserGone) {
		s.cookies.Clear(w)
		signedOut(w, r)
		return
	}
	status, message := statusOf(err)
	if status >= 500 {
		s.log.Error("request failed", "path", r.URL.Path, "status", status, "err", err)
	}
	s.renderError(w, r, status, message)
}

// renderError writes an error answer: a whole page, or for htmx a fragment that goes to the page's
// message region whatever the request meant to replace (the content stays as it was, a form keeps
// what was typed), with extra (out-of-band parts) after it.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, message string, extra ...templ.Component) {
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	w.Header().Set("Cache-Control", "no-store")
	// The error may be the request's deadline itself; templ stops rendering on a finished context,
	// which would leave the person an empty page. The answer is written regardless.
	r = r.WithContext(context.WithoutCancel(r.Context()))
	if wantsFragment(r) {
		w.Header().Set("HX-Retarget", "#flashes")
		w.Header().Set("HX-Reswap", "innerHTML")
		render(w, r, status, templ.Join(append([]templ.Component{views.ErrorFragment(message)}, extra...)...))
		return
	}
	render(w, r, status, views.ErrorPage(status, errorTitle(status), message))
}

// errorTitle names an error page in the words of the person reading it.
func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Nothing here"
	case http.StatusMethodNotAllowed:
		return "That can't be done here"
	case http.StatusForbidden:
		return "Request refused"
	case http.StatusUnauthorized:
		return "Please sign in"
	case http.StatusRequestEntityTooLarge:
		return "Too much at once"
	case http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity, http.StatusBadRequest:
		return "That didn't work"
	case http.StatusTooManyRequests:
		return "Too many attempts"
	case http.StatusServiceUnavailable:
		return "Taking a break"
	}
	return "Something went wrong"
}
