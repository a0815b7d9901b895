package todo

import (
	"net/url"
	"strconv"
)

// PageSize is how many tasks a list page shows at most.
const PageSize = 100

// Filter picks which of a user's tasks a list shows.
type Filter int

const (
	All Filter = iota
	Active
	Completed
)

// Filters are the three lists, in the order the page offers them.
var Filters = []Filter{All, Active, Completed}

var filterPaths = map[Filter]string{All: "/", Active: "/active", Completed: "/completed"}

// Path is the list page of the filter: "/", "/active" or "/completed".
func (f Filter) Path() string {
	if p, ok := filterPaths[f]; ok {
		return p
	}
	return "/"
}

// Title names the list page: "All tasks", "Active" or "Completed".
func (f Filter) Title() string {
	switch f {
	case Active:
		return "Active"
	case Completed:
		return "Completed"
	}
	return "All tasks"
}

// Label is the filter's name in the list of filters: "All", "Active" or "Completed".
func (f Filter) Label() string {
	if f == All {
		return "All"
	}
	return f.Title()
}

// Matches reports whether the filter's list holds the task.
func (f Filter) Matches(t Task) bool {
	switch f {
	case Active:
		return !t.Completed
	case Completed:
		return t.Completed
	}
	return true
}

// FilterOfPath is the filter whose list page is path.
func FilterOfPath(path string) (Filter, bool) {
	for f, p := range filterPaths {
		if p == path {
			return f, true
		}
	}
	return All, false
}

// Counts are a user's task totals.
type Counts struct {
	Active    int
	Completed int
}

// Total is the number of tasks of the user.
func (c Counts) Total() int { return c.Active + c.Completed }

// Of is how many tasks the filter's list holds, over all its pages.
func (c Counts) Of(f Filter) int {
	switch f {
	case Active:
		return c.Active
	case Completed:
		return c.Completed
	}
	return c.Total()
}

// AllDone: the user has tasks and every one is completed.
func (c Counts) AllDone() bool { return c.Total() > 0 && c.Active == 0 }

// Added counts a new task.
func (c Counts) Added(t Task) Counts {
	if t.Completed {
		c.Completed++
	} else {
		c.Active++
	}
	return c
}

// List names one page of a list: its filter, and the keyset the page starts after (0: the first).
// Its URL is the page's address; a list page and an action's answer agree on it.
type List struct {
	Filter Filter
	After  int64
}

// URL is the address of the page: "/active?after=120".
func (l List) URL() string {
	p := l.Filter.Path()
	if l.After > 0 {
		p += "?after=" + strconv.FormatInt(l.After, 10)
	}
	return p
}

// First is the first page of the same list.
func (l List) First() List { return List{Filter: l.Filter} }

// Page is the page of the same list that starts after the keyset.
func (l List) Page(after int64) List { return List{Filter: l.Filter, After: after} }

// ParseList reads a list page's path and query. A path that is no list page is not ok; a keyset that
// is not a task id is ErrNotFound (there is no such page).
func ParseList(path string, query url.Values) (List, bool, error) {
	f, ok := FilterOfPath(path)
	if !ok {
		return List{}, false, nil
	}
	after, ok := ParseID(query.Get("after"), true)
	if !ok {
		return List{Filter: f}, true, ErrNotFound
	}
	return List{Filter: f, After: after}, true, nil
}

// ParseID reads a task id as paths and keysets write it: canonical decimal digits of a positive
// int64 (no sign, exponent or spaces). With emptyOK, "" is 0 (no id given).
func ParseID(raw string, emptyOK bool) (int64, bool) {
	if raw == "" {
		return 0, emptyOK
	}
	if len(raw) > 19 {
		return 0, false
	}
	for _, c := range raw {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	return id, err == nil && id > 0
}
