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

// List names one page of a list: its filter, its search (text, tag, overdue, sort), and the keyset
// the page starts after (zero: the first page). Its URL is the page's address; a list page and an
// action's answer agree on it.
type List struct {
	Filter Filter
	Search
	After    int64  // the id of the task the page starts after; 0 for the first page
	AfterKey string // that task's sort key (sorts other than created)
}

// URL is the address of the page: "/active?after=120", "/?q=milk&sort=due&after=7&key=2026-12-24".
func (l List) URL() string {
	q := url.Values{}
	l.Search.values(q)
	if l.After > 0 {
		q.Set("after", strconv.FormatInt(l.After, 10))
		if l.Sort != ByCreated {
			q.Set("key", l.AfterKey)
		}
	}
	p := l.Filter.Path()
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// First is the first page of the same list.
func (l List) First() List { return List{Filter: l.Filter, Search: l.Search} }

// Page is the page of the same list that starts after the keyset.
func (l List) Page(after Keyset) List {
	return List{Filter: l.Filter, Search: l.Search, After: after.ID, AfterKey: after.Key}
}

// WithFilter is the first page of the same search under another filter (the All/Active/Completed links).
func (l List) WithFilter(f Filter) List { return List{Filter: f, Search: l.Search} }

// Keyset is where the page starts (zero for the first page).
func (l List) Keyset() Keyset { return Keyset{ID: l.After, Key: l.AfterKey} }

// ParseList reads a list page's path and query. A path that is no list page is not ok; a search
// parameter with a wrong value is a *ValidationError; a keyset that is not one of this list
// (not a task id, or no sort key of the sort) is ErrNotFound (there is no such page).
func ParseList(path string, query url.Values) (List, bool, error) {
	f, ok := FilterOfPath(path)
	if !ok {
		return List{}, false, nil
	}
	s, err := ParseSearch(query)
	if err != nil {
		return List{Filter: f}, true, err
	}
	l := List{Filter: f, Search: s}
	after, ok := ParseID(query.Get("after"), true)
	if !ok {
		return l, true, ErrNotFound
	}
	if after > 0 {
		key := query.Get("key")
		if !s.validKey(key) {
			return l, true, ErrNotFound
		}
		l.After, l.AfterKey = after, key
	}
	return l, true, nil
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
