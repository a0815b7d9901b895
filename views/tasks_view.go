package views

import (
	"strconv"
	"strings"
	"todo/todo"
)

// ListView is everything the task list shows: one page of tasks of one filter, and the user's counts.
type ListView struct {
	List   todo.List // the page shown: its filter and where it starts
	Tasks  []todo.Task
	Counts todo.Counts
	Next   todo.Keyset // the keyset of the following page; zero on the last
	Return string      // where a plain form post from this page comes back to (the page's own URL)
	// Matches is how many tasks the search matches when it narrows the list (see store.Page).
	Matches int
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
	DueDate     string // as typed: YYYY-MM-DD or ""
	Priority    string // none, low, medium, high
	Tags        string // as typed, separated by spaces or commas
}

// EditForm is the form that edits one task, inline or on its own page.
type EditForm struct {
	Task        todo.Task // as stored
	Title       string    // as typed
	Description string    // as typed
	DueDate     string    // as typed
	Priority    string
	Tags        string
	Field       string
	Error       string
	Return      string
}

// NewEditForm starts editing a task with its stored text.
func NewEditForm(t todo.Task, ret string) EditForm {
	return EditForm{Task: t, Title: t.Title, Description: t.Description, DueDate: t.DueDate.String(),
		Priority: t.Priority.String(), Tags: strings.Join(t.Tags, " "), Return: ret}
}

// filterTestIDs are the filter links' test hooks.
var filterTestIDs = map[todo.Filter]string{todo.All: "filter-all", todo.Active: "filter-active", todo.Completed: "filter-completed"}

func itemsLeft(n int) string {
	if n == 1 {
		return " item left"
	}
	return " items left"
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func taskPath(id int64, action string) string {
	return "/tasks/" + strconv.FormatInt(id, 10) + action
}

func quoted(s string) string { return "“" + s + "”" }

// newTaskAction is where the new-task form posts without JavaScript: the list page it is on (which
// takes the same post as /tasks), so a refused title leaves the address bar there.
func newTaskAction(ret string) string {
	if ret == "" {
		return "/tasks"
	}
	return ret
}
