package api_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var nextLink = regexp.MustCompile(`^<([^>]+)>; rel="next"$`)

// Pages follow the Link header to the end, keep status and limit, and together hold every task once.
func TestListPagesAndStatus(t *testing.T) {
	a := newTestAPI(t)
	u, token := a.user(t, "Pat")
	c := a.credentials(t, u, token)[4] // a JWT: the list's own query, without the session's counts
	base := "/api/" + u.ID + "/tasks"
	var ids []int64
	for i := range 7 {
		var k task
		a.do(t, http.MethodPost, base, &c, map[string]any{"title": fmt.Sprintf("task %d", i), "completed": i%3 == 0}).
			want(http.StatusCreated).json(&k)
		ids = append(ids, k.ID)
	}
	walk := func(first string) (seen []int64, pages int) {
		next := first
		for next != "" {
			w := a.do(t, http.MethodGet, next, &c, nil).want(http.StatusOK)
			var page []task
			w.json(&page)
			for _, k := range page {
				seen = append(seen, k.ID)
			}
			pages++
			next = ""
			if l := w.Header().Get("Link"); l != "" {
				m := nextLink.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("Link %q", l)
				}
				next = m[1]
				q, _ := url.Parse(next)
				if q.Query().Get("limit") != "3" {
					t.Fatalf("next page %q lost the limit", next)
				}
			}
		}
		return seen, pages
	}
	seen, pages := walk(base + "?limit=3")
	if fmt.Sprint(seen) != fmt.Sprint(ids) || pages != 3 {
		t.Fatalf("pages %d held %v, want %v", pages, seen, ids)
	}
	seen, _ = walk(base + "?limit=3&status=completed")
	if fmt.Sprint(seen) != fmt.Sprint([]int64{ids[0], ids[3], ids[6]}) {
		t.Fatalf("completed: %v", seen)
	}
	w := a.do(t, http.MethodGet, base+"?status=pending", &c, nil).want(http.StatusOK)
	var pending []task
	w.json(&pending)
	if len(pending) != 4 || w.Header().Get("X-Total-Count") != "4" || w.Header().Get("Link") != "" {
		t.Fatalf("pending %d, total %q, link %q", len(pending), w.Header().Get("X-Total-Count"), w.Header().Get("Link"))
	}
	// Unknown parameters are ignored.
	a.do(t, http.MethodGet, base+"?utm_source=x", &c, nil).want(http.StatusOK)
}

// Bad list parameters answer 422 naming each, the list page's sort, order, q, tag and due included.
func TestListRefusesBadParameters(t *testing.T) {
	a := newTestAPI(t)
	u, token := a.user(t, "Quinn")
	c := a.credentials(t, u, token)[0]
	base := "/api/" + u.ID + "/tasks"
	for q, field := range map[string]string{
		"status=done": "status", "status=": "status", "limit=0": "limit", "limit=101": "limit", "limit=x": "limit",
		"limit=1.5": "limit", "cursor=@@": "cursor", "cursor=" + url.QueryEscape("MA"): "cursor",
		"sort=size": "sort", "order=up": "order", "q=" + strings.Repeat("x", 201): "q", "tag=two+words": "tag",
		"due=soon": "due", "sort=title&cursor=" + base64.RawURLEncoding.EncodeToString([]byte("5")): "cursor",
	} {
		w := a.do(t, http.MethodGet, base+"?"+q, &c, nil).want(http.StatusUnprocessableEntity)
		errs, _ := w.problem()["errors"].(map[string]any)
		if _, ok := errs[field]; !ok {
			t.Errorf("?%s: %s does not name %s", q, w.Body.String(), field)
		}
	}
	w := a.do(t, http.MethodGet, base+"?limit=0&status=x", &c, nil).want(http.StatusUnprocessableEntity)
	if errs, _ := w.problem()["errors"].(map[string]any); len(errs) != 2 {
		t.Fatalf("two bad parameters, errors %v", errs)
	}
}
