package api

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"

	"todo/store"
	"todo/todo"
)

// listQuery is what GET /api/{user_id}/tasks reads from its query string.
type listQuery struct {
	status string // "all", "pending" or "completed"
	filter todo.Filter
	limit  int
	after  int64 // from the cursor
}

var statusFilters = map[string]todo.Filter{"all": todo.All, "pending": todo.Active, "completed": todo.Completed}

// notYetSupported are list parameters of the HTML list pages that the API does not serve yet. They
// answer 422 rather than being ignored, so that a client asking for a search never mistakes the
// whole list for its result. Other unknown parameters are ignored.
var notYetSupported = []string{"sort", "order", "q", "tag", "due"}

// parseListQuery reads status (default all), limit (1–100, default 100) and cursor; every value at
// fault is named in one 422.
func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{status: "all", filter: todo.All, limit: todo.PageSize}
	problems := fieldErrors{}
	for _, name := range notYetSupported {
		if q.Has(name) {
			problems[name] = "Not supported yet by the API: leave “" + name + "” out."
		}
	}
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
		after, ok := parseCursor(q.Get("cursor"))
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

// A cursor is opaque to clients: the keyset (the last id of the page before) in base64url. Nothing
// in it is secret or trusted: the next page is read through the user's own handle all the same.
func cursorOf(after int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(after, 10)))
}

func parseCursor(c string) (int64, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, false
	}
	return todo.ParseID(string(raw), false)
}

// nextURL is the address of the page after this one, with the same status and limit.
func nextURL(userID string, lq listQuery, next int64) string {
	q := url.Values{}
	if lq.status != "all" {
		q.Set("status", lq.status)
	}
	if lq.limit != todo.PageSize {
		q.Set("limit", strconv.Itoa(lq.limit))
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
		page, err := tasks.List(r.Context(), store.ListOptions{Filter: lq.filter, After: lq.after, Limit: lq.limit})
		if err != nil {
			a.fail(w, r, err)
			return
		}
		h := w.Header()
		if page.Next > 0 {
			h.Set("Link", "<"+nextURL(tasks.UserID(), lq, page.Next)+`>; rel="next"`)
		}
		h.Set("X-Total-Count", strconv.Itoa(page.Counts.Of(lq.filter)))
		writeJSON(w, http.StatusOK, tasksOf(tasks.UserID(), page.Tasks))
	})
}

func pathEscape(s string) string { return url.PathEscape(s) }
