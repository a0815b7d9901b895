package views

import (
	"strconv"

	"todo/store"
)

// ListView is everything the task list shows: one page of tasks of one filter, and the user's counts.
type ListView struct {
	Filter store.Filter
	Tasks  []store.Task
	Counts store.Counts
	After  int64  // the keyset this page starts after; 0 on the first page
	Next   int64  // the keyset of the following page; 0 on the last
	Return string // where a plain form post from this page comes back to (the page's own URL)
}

// TaskForm is the new-task form: what was typed, and what is wrong with it.
type TaskForm struct {
	Title       string
	Description string
	Field       string // the field at fault: "title" or "description"; "" when none
	Error       string // the message, in words
	Notice      string // a note after adding ("Added … at the end of the list.")
	Nonce       string // one per rendered form: a second submission of it adds nothing
	Return      string
}

// EditForm is the form that edits one task, inline or on its own page.
type EditForm struct {
	Task        store.Task // as stored
	Title       string     // as typed
	Description string     // as typed
	Field       string
	Error       string
	Return      string
}

// NewEditForm starts editing a task with its stored text.
func NewEditForm(t store.Task, ret string) EditForm {
	return EditForm{Task: t, Title: t.Title, Description: t.Description, Return: ret}
}

// filterInfo is how a filter shows up: its URL and its names.
type filterInfo struct {
	Filter store.Filter
	Path   string
	Label  string // the link text
	Title  string // the page title and heading
	TestID string
}

var filters = []filterInfo{
	{store.All, "/", "All", "All tasks", "filter-all"},
	{store.Active, "/active", "Active", "Active", "filter-active"},
	{store.Completed, "/completed", "Completed", "Completed", "filter-completed"},
}

func infoOf(f store.Filter) filterInfo {
	for _, fi := range filters {
		if fi.Filter == f {
			return fi
		}
	}
	return filters[0]
}

// FilterPath is the list page of a filter: "/", "/active" or "/completed".
func FilterPath(f store.Filter) string { return infoOf(f).Path }

// FilterTitle names a list page: "All tasks", "Active" or "Completed".
func FilterTitle(f store.Filter) string { return infoOf(f).Title }

// Shows reports whether a task belongs in the list of filter f.
func Shows(f store.Filter, t store.Task) bool {
	switch f {
	case store.Active:
		return !t.Completed
	case store.Completed:
		return t.Completed
	}
	return true
}

// inFilter is how many of the user's tasks the filter shows, over all pages.
func (v ListView) inFilter() int {
	switch v.Filter {
	case store.Active:
		return v.Counts.Active
	case store.Completed:
		return v.Counts.Completed
	}
	return v.Counts.Total()
}

func (v ListView) allDone() bool { return v.Counts.Total() > 0 && v.Counts.Active == 0 }

// pageURL is the list page of v's filter starting after the keyset.
func (v ListView) pageURL(after int64) string {
	p := FilterPath(v.Filter)
	if after > 0 {
		p += "?after=" + strconv.FormatInt(after, 10)
	}
	return p
}

func itemsLeft(n int) string {
	if n == 1 {
		return " item left"
	}
	return " items left"
}

func taskDOMID(id int64) string { return "task-" + strconv.FormatInt(id, 10) }

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func taskPath(id int64, action string) string {
	return "/tasks/" + strconv.FormatInt(id, 10) + action
}

func quoted(s string) string { return "“" + s + "”" }
