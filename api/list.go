package api

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"todo/store"
	"todo/todo"
)

// listQuery is what GET /api/{user_id}/tasks reads from its query string.
type listQuery struct {
	status string // "all", "pending" or "completed"
	filter todo.Filter
	search todo.Search // sort, order, q, tag, due: as on the HTML list pages
	limit  int
	after  todo.Keyset // from the cursor
}

var statusFilters = map[string]todo.Filter{"all": todo.All, "pending": todo.Active, "completed": todo.Completed}

// parseListQuery reads status (default all), the search (todo.ParseSearch), limit (1–100, default
// 100) and cursor; every value at fault is named in one 422.
func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{status: "all", filter: todo.All, limit: todo.PageSize}
	problems := fieldErrors{}
	// The search's parameters one by one, so that each at fault is named.
	search := url.Values{}
	for _, name := range []string{"q", "tag", "due", "sort", "order"} {
		if !q.Has(name) {
			continue
		}
		one := url.Values{name: {q.Get(name)}}
		if name == "order" {
			one.Set("sort", q.Get("sort"))
		}
		if _, err := todo.ParseSearch(one); err != nil {
			addProblem(problems, err)
			continue
		}
		search.Set(name, q.Get(name))
	}
	lq.search, _ = todo.ParseSearch(search)
	if v := q.Get("status"); q.Has("status") {
		f, ok := statusFilters[v]
		if !ok {
			problems["status"] = "Must be all, pending or completed."
		}
		lq.status, lq.filter = v, f
	}
	if q.Has("limit") {
		n, err := strconv.Atoi(q.Get("limit"))
		if err != nil || n < 1 || n > todo.PageSize {
			problems["limit"] = "Must be a whole number from 1 to " + strconv.Itoa(todo.PageSize) + "."
		}
		lq.limit = n
	}
	if q.Has("cursor") {
		after, ok := parseCursor(q.Get("cursor"), lq.search)
		if !ok {
			problems["cursor"] = "Not a cursor this API gave out: follow the Link header's next URL."
		}
		lq.after = after
	}
	if len(problems) > 0 {
		return listQuery{}, problems
	}
	return lq, nil
}

// A cursor is opaque to clients: the keyset (the last id of the page before, and for sorts other
// than created its sort key after a colon) in base64url. Nothing in it is secret or trusted: the next
// page is read through the user's own handle all the same.
func cursorOf(after todo.Keyset) string {
	s := strconv.FormatInt(after.ID, 10)
	if after.Key != "" {
		s += ":" + after.Key
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func parseCursor(c string, search todo.Search) (todo.Keyset, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return todo.Keyset{}, false
	}
	id, key, hasKey := strings.Cut(string(raw), ":")
	if hasKey == (search.Sort == todo.ByCreated) {
		return todo.Keyset{}, false
	}
	// The list pages' own reading of a keyset decides what is one of this sort.
	l, _, err := todo.ParseList("/", url.Values{"after": {id}, "key": {key}, "sort": {search.Sort.String()}})
	if err != nil || l.After == 0 {
		return todo.Keyset{}, false
	}
	return l.Keyset(), true
}

// nextURL is the address of the page after this one, with the same status and limit.
func nextURL(userID string, lq listQuery, next todo.Keyset) string {
	q := url.Values{}
	if lq.status != "all" {
		q.Set("status", lq.status)
	}
	if lq.limit != todo.PageSize {
		q.Set("limit", strconv.Itoa(lq.limit))
	}
	// The search as the list pages write it.
	u, _ := url.Parse(todo.List{Search: lq.search}.URL())
	for k, v := range u.Query() {
		q[k] = v
	}
	q.Set("cursor", cursorOf(next))
	return "/api/" + pathEscape(userID) + "/tasks?" + q.Encode()
}

// handleList answers a page of the user's tasks (GET /api/{user_id}/tasks): a JSON array, with a
// Link rel="next" header while more follow and X-Total-Count for the whole list of that status.
func (a *API) handleList() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		lq, err := parseListQuery(r.URL.Query())
		if err != nil {
			a.fail(w, r, err)
			return
		}
		tasks := a.tasksOf(r)
		page, err := tasks.List(r.Context(), store.ListOptions{Filter: lq.filter, Search: lq.search,
			After: lq.after.ID, AfterKey: lq.after.Key, Limit: lq.limit, Today: todo.Today()})
		if err != nil {
			a.fail(w, r, err)
			return
		}
		h := w.Header()
		if page.Next.ID > 0 {
			h.Set("Link", "<"+nextURL(tasks.UserID(), lq, page.Next)+`>; rel="next"`)
		}
		total := page.Counts.Of(lq.filter)
		if page.Matches >= 0 {
			total = page.Matches
		}
		h.Set("X-Total-Count", strconv.Itoa(total))
		writeJSON(w, http.StatusOK, tasksOf(tasks.UserID(), page.Tasks))
	})
}

func pathEscape(s string) string { return url.PathEscape(s) }
