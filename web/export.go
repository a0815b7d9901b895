package web

import (
	"bufio"
	"encoding/json"
	"net/http"
	"time"

	"todo/todo"
)

// exportedTask is one task of an export: every field.
type exportedTask struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	Description *string  `json:"description"`
	Completed   bool     `json:"completed"`
	DueDate     *string  `json:"due_date"`
	Priority    string   `json:"priority"`
	Tags        []string `json:"tags"`
	CreatedAt   string   `json:"created_at"`
	UpdatedAt   string   `json:"updated_at"`
}

func exported(t todo.Task) exportedTask {
	e := exportedTask{ID: t.ID, Title: t.Title, Completed: t.Completed, Priority: t.Priority.String(),
		Tags: t.Tags, CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339Nano), UpdatedAt: t.UpdatedAt.UTC().Format(time.RFC3339Nano)}
	if t.Description != "" {
		e.Description = &t.Description
	}
	if !t.DueDate.IsZero() {
		d := t.DueDate.String()
		e.DueDate = &d
	}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	return e
}

// handleExport downloads every task of the user as a JSON array (GET /account/export), written as it
// is read, a thousand tasks at a time: 100,000 tasks never sit in memory at once. A failure before the
// first byte is an error answer; one after it cuts the download short (the array stays unclosed, so
// no reader mistakes it for the whole list).
func (s *server) handleExport() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out := bufio.NewWriterSize(w, 32<<10)
		enc := json.NewEncoder(out)
		started := false
		start := func() {
			started = true
			h := w.Header()
			h.Set("Content-Type", "application/json")
			h.Set("Content-Disposition", `attachment; filename="tasks.json"`)
			h.Set("Cache-Control", "no-store")
			out.WriteString("[")
		}
		n := 0
		err := s.tasksOf(r).Export(r.Context(), func(t todo.Task) error {
			if !started {
				start()
			}
			if n > 0 {
				out.WriteString(",")
			}
			n++
			return enc.Encode(exported(t))
		})
		if err != nil {
			if !started {
				s.fail(w, r, err)
				return
			}
			out.Flush()
			panic(http.ErrAbortHandler)
		}
		if !started {
			start()
		}
		out.WriteString("]\n")
		out.Flush()
	})
}
