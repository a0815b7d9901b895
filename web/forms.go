package web

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"todo/todo"
)

var errUnsupportedMedia = errors.New("unsupported media type")

// readForm parses a urlencoded form body (bounded by the body limit) and returns its fields. Any
// other content type is refused; a field sent twice is invalid rather than silently picked.
func readForm(r *http.Request, fields ...string) (map[string]string, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/x-www-form-urlencoded" {
			return nil, errUnsupportedMedia
		}
	}
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, &todo.ValidationError{Field: "form", Message: "The form could not be read."}
	}
	out := make(map[string]string, len(fields))
	for _, f := range fields {
		vs := r.PostForm[f]
		if len(vs) > 1 {
			return nil, &todo.ValidationError{Field: f, Message: "The field “" + f + "” was sent more than once."}
		}
		if len(vs) == 1 {
			out[f] = vs[0]
		}
	}
	return out, nil
}

// taskID parses the {id} path segment: a task id, else not found.
func taskID(r *http.Request) (int64, error) {
	id, ok := todo.ParseID(r.PathValue("id"), false)
	if !ok {
		return 0, todo.ErrNotFound
	}
	return id, nil
}

// redirect sends a whole-page navigation: 303 for a plain request, HX-Redirect for htmx.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if isHTMX(r) {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusOK)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// sameSitePath keeps a "return to" target on this site: a path, never a scheme or host.
func sameSitePath(raw, fallback string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" || u.Scheme != "" || u.Host != "" || len(raw) < 1 || raw[0] != '/' || (len(raw) > 1 && raw[1] == '/') || (len(raw) > 1 && raw[1] == '\\') {
		return fallback
	}
	return u.RequestURI()
}
