package web

import (
	"net/http"
	"net/url"

	"todo/todo"
)

// parseListURL reads a same-site list URL ("/active?after=120"); ok is false for anything else. A
// keyset that is no task id reads as the list's first page.
func parseListURL(raw string) (todo.List, bool) {
	if raw == "" || sameSitePath(raw, "") == "" {
		return todo.List{}, false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return todo.List{}, false
	}
	l, ok, err := todo.ParseList(u.Path, u.Query())
	if err != nil {
		return l.First(), ok
	}
	return l, ok
}

// returnTarget is the list page an action's answer leads back to: the "return" field or query
// parameter (htmx requests carry the page's #list-return), else the page the request came from (a
// plain form post's Referer), else the full list. Only the list pages of this site qualify, so a
// crafted value can never send the browser elsewhere.
func (s *server) returnTarget(r *http.Request, field string) todo.List {
	candidates := []string{field, r.URL.Query().Get("return")}
	for _, h := range []string{r.Header.Get("HX-Current-URL"), r.Referer()} {
		u, err := url.Parse(h)
		if err == nil && h != "" && (u.Host == r.Host || u.Host == s.baseURL.Host) {
			candidates = append(candidates, u.RequestURI())
		}
	}
	for _, c := range candidates {
		if l, ok := parseListURL(c); ok {
			return l
		}
	}
	return todo.List{Filter: todo.All}
}
