package main

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
)

// apiList is the floor of GET /api/{user_id}/tasks?limit=50 with the session cookie: the cookie
// check and session lookup, the page (LIMIT 51) and the counts in one batch as the app sends them,
// the path's user compared with the session's, and the same JSON the app writes.
func (f *floor) apiList(w http.ResponseWriter, r *http.Request) {
	uid, _, ok, err := f.user(r)
	if !ok {
		f.refuse(w, r, err)
		return
	}
	if r.PathValue("user_id") != uid {
		http.Error(w, "forbidden", http.StatusForbidden)
		return
	}
	type task struct {
		ID          int64   `json:"id"`
		UserID      string  `json:"user_id"`
		Title       string  `json:"title"`
		Description *string `json:"description"`
		Completed   bool    `json:"completed"`
		CreatedAt   string  `json:"created_at"`
		UpdatedAt   string  `json:"updated_at"`
	}
	tasks := make([]task, 0, 51)
	var active, completed int
	b := &pgx.Batch{}
	b.Queue(`select id, title, coalesce(description, ''), completed, created_at, updated_at from tasks
	       where user_id = $1 and id > $2 order by id limit $3`, uid, 0, 51).Query(func(rows pgx.Rows) error {
		var id int64
		var title, description string
		var done bool
		var created, updated time.Time
		_, err := pgx.ForEachRow(rows, []any{&id, &title, &description, &done, &created, &updated}, func() error {
			t := task{ID: id, UserID: uid, Title: title, Completed: done,
				CreatedAt: created.UTC().Format(time.RFC3339Nano), UpdatedAt: updated.UTC().Format(time.RFC3339Nano)}
			if description != "" {
				d := description
				t.Description = &d
			}
			tasks = append(tasks, t)
			return nil
		})
		return err
	})
	b.Queue(`select coalesce(max(active), 0), coalesce(max(completed), 0)
	from task_counts where user_id = $1`, uid).QueryRow(func(row pgx.Row) error {
		return row.Scan(&active, &completed)
	})
	if err := f.pool.SendBatch(r.Context(), b).Close(); err != nil {
		f.refuse(w, r, err)
		return
	}
	if len(tasks) > 50 {
		tasks = tasks[:50]
		w.Header().Set("Link", `</api/`+uid+`/tasks?limit=50&cursor=x>; rel="next"`)
	}
	body, err := json.Marshal(tasks)
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Total-Count", strconv.Itoa(active+completed))
	w.Write(body)
}
