package api

import (
	"encoding/json"
	"errors"

	"todo/todo"
)

// taskInput is the body of POST and PUT: every field of a task a client sets. A field left out takes
// its default (PUT replaces the whole task).
type taskInput struct {
	todo.Input
	Completed bool
}

// taskFields are the members a task body may hold. A new task field is one more entry here.
var taskFields = []field[taskInput]{
	{"title", func(raw json.RawMessage, in *taskInput) (msg string) {
		in.Title, msg = readString(raw, false)
		return msg
	}},
	{"description", func(raw json.RawMessage, in *taskInput) (msg string) {
		in.Description, msg = readString(raw, true)
		return msg
	}},
	{"completed", func(raw json.RawMessage, in *taskInput) (msg string) {
		in.Completed, msg = readBool(raw)
		return msg
	}},
	{"due_date", func(raw json.RawMessage, in *taskInput) (msg string) {
		in.DueDate, msg = readString(raw, true)
		return msg
	}},
	{"priority", func(raw json.RawMessage, in *taskInput) (msg string) {
		in.Priority, msg = readString(raw, false)
		return msg
	}},
	{"tags", func(raw json.RawMessage, in *taskInput) (msg string) {
		if json.Unmarshal(raw, &in.Tags) != nil || string(raw) == "null" {
			return "Must be an array of strings."
		}
		return ""
	}},
}

// readTaskInput reads and checks a task body: the domain's rules (todo.Input.Normalize) run here
// too, so every field at fault is named at once, before anything is written.
func readTaskInput(members map[string]json.RawMessage) (taskInput, error) {
	in, err := decodeFields(members, taskFields, []string{"title"})
	// A body sets every field: one left out takes its default.
	in.HasDueDate, in.HasPriority, in.HasTags = true, true, true
	var problems fieldErrors
	if err != nil && !errors.As(err, &problems) {
		return taskInput{}, err
	}
	if problems == nil {
		problems = fieldErrors{}
	}
	if _, ok := problems["title"]; !ok {
		if _, err := (todo.Input{Title: in.Title}).Normalize(); err != nil {
			addProblem(problems, err)
		}
	}
	if _, ok := problems["description"]; !ok {
		if _, err := (todo.Input{Title: "x", Description: in.Description}).Normalize(); err != nil {
			addProblem(problems, err)
		}
	}
	for _, f := range []string{"due_date", "priority", "tags"} {
		if _, ok := problems[f]; ok {
			continue
		}
		one := todo.Input{Title: "x", HasDueDate: f == "due_date", DueDate: in.DueDate,
			HasPriority: f == "priority", Priority: in.Priority, HasTags: f == "tags", Tags: in.Tags}
		if _, err := one.Normalize(); err != nil {
			addProblem(problems, err)
		}
	}
	if len(problems) > 0 {
		return taskInput{}, problems
	}
	return in, nil
}

func addProblem(problems fieldErrors, err error) {
	var invalid *todo.ValidationError
	if errors.As(err, &invalid) {
		problems[invalid.Field] = invalid.Message
	}
}

// completeInput is the body of PATCH …/complete: the state to set.
type completeInput struct {
	Completed bool
}

var completeFields = []field[completeInput]{
	{"completed", func(raw json.RawMessage, in *completeInput) (msg string) {
		in.Completed, msg = readBool(raw)
		return msg
	}},
}
