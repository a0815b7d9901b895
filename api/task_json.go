package api

import (
	"time"

	"todo/todo"
)

// taskJSON is a task as the API writes it. A field the domain adds goes here, in taskInput's fields
// table, and in openapi.json.
type taskJSON struct {
	ID          int64    `json:"id"`
	UserID      string   `json:"user_id"`
	Title       string   `json:"title"`
	Description *string  `json:"description"` // null when none
	Completed   bool     `json:"completed"`
	DueDate     *string  `json:"due_date"` // YYYY-MM-DD; null when none
	Priority    string   `json:"priority"`
	Tags        []string `json:"tags"`       // in the order stored; [] when none
	CreatedAt   string   `json:"created_at"` // RFC 3339, UTC
	UpdatedAt   string   `json:"updated_at"`
}

func taskOf(userID string, t todo.Task) taskJSON {
	j := taskJSON{
		ID: t.ID, UserID: userID, Title: t.Title, Completed: t.Completed, Priority: t.Priority.String(), Tags: t.Tags,
		CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339Nano),
		UpdatedAt: t.UpdatedAt.UTC().Format(time.RFC3339Nano),
	}
	if t.Description != "" {
		d := t.Description
		j.Description = &d
	}
	if !t.DueDate.IsZero() {
		d := t.DueDate.String()
		j.DueDate = &d
	}
	if j.Tags == nil {
		j.Tags = []string{}
	}
	return j
}

func tasksOf(userID string, ts []todo.Task) []taskJSON {
	out := make([]taskJSON, len(ts))
	for i, t := range ts {
		out[i] = taskOf(userID, t)
	}
	return out
}
