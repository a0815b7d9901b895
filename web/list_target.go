package web

import (
	"net/http"
	"net/url"
	"strconv"

	"todo/store"
	"todo/views"
)

// listTarget is the list page an action comes back to: its filter, the keyset of the page, and its
// URL (where a plain form post redirects to).
type listTarget struct {
	Filter store.Filter
	After  int64
	URL    string
}

var listPaths = map[string]store.Filter{"/": store.All, "/active": store.Active, "/completed": store.Completed}

// parseListURL reads a same-site list URL ("/active?after=120"); ok is false for anything else.
func parseListURL(raw string) (listTarget, bool) {
	if raw == "" || sameSitePath(raw, "") == "" {
		return listTarget{}, false
	}
	u, err := url.Parse(raw)
	if err != nil {
		return listTarget{}, false
	}
	f, ok := listPaths[u.Path]
	if !ok {
		return listTarget{}, false
	}
	after, ok := parseAfter(u.Query().Get("after"))
	if !ok {
		after = 0
	}
	return listTarget{Filter: f, After: after, URL: pageURL(f, after)}, true
}

// returnTarget is where an action's answer leads: the "return" field or query parameter (htmx
// requests carry the page's #list-return), else the page the request came from (a plain form post's
// Referer), else the full list. Only the three list pages of this site qualify, so a crafted value
// can never send the browser elsewhere.
func (s *server) returnTarget(r *http.Request, field string) listTarget {
	candidates := []string{field, r.URL.Query().Get("return")}
	for _, h := range []string{r.Header.Get("HX-Current-URL"), r.Referer()} {
		u, err := url.Parse(h)
		if err == nil && h != "" && (u.Host == r.Host || u.Host == s.baseURL.Host) {
			candidates = append(candidates, u.RequestURI())
		}
	}
	for _, c := range candidates {
		if t, ok := parseListURL(c); ok {
			return t
		}
	}
	return listTarget{Filter: store.All, URL: "/"}
}

// parseAfter reads the keyset of a page: empty is the first page; anything but a task id is not a page.
func parseAfter(raw string) (int64, bool) {
	if raw == "" {
		return 0, true
	}
	return positiveID(raw)
}

// pageURL is the list page of a filter that starts after the keyset.
func pageURL(f store.Filter, after int64) string {
	p := views.FilterPath(f)
	if after > 0 {
		p += "?after=" + strconv.FormatInt(after, 10)
	}
	return p
}
