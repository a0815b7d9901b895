package web

import (
	"todo/todo"
)

// taskFormFields are the fields of the add and edit forms.
var taskFormFields = []string{"title", "description", "due_date", "priority", "tags"}

// taskInput reads a task form: the due date, priority and tags are set when the form sent them
// (a form that never showed them leaves them as they are), tags typed in one field.
func taskInput(form map[string]string) todo.Input {
	in := todo.Input{Title: form["title"], Description: form["description"]}
	in.DueDate, in.HasDueDate = form["due_date"]
	in.Priority, in.HasPriority = form["priority"]
	var tags string
	if tags, in.HasTags = form["tags"]; in.HasTags {
		in.Tags = todo.SplitTags(tags)
	}
	return in
}

// shownIn tells whether the list l shows the task: its filter and its search match it.
func shownIn(l todo.List, t todo.Task) bool {
	return l.Filter.Matches(t) && l.Search.Matches(t, todo.Today())
}
