package main

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The floor: the benchmark's requests answered by as little code as can answer them correctly, so
// that app/floor is what the app's own code costs. It does the same database work as the app (the
// same statements, the same pool size and, by default, the same pgx query mode) and skips
// everything else: no middleware, no templates, no logging. It runs as a process of its own
// (BENCH_ROLE=floor), like the app, so neither shares a runtime with the load generator.
//
// Its markup is not the app's: per task it writes what must be computed (the id, the state, the
// escaped title and description) and pads each answer with spaces to the weight measured on the
// app's own answers (weigh), so both send the same bytes and app/floor measures code, not markup.

// floorServe serves until ctx ends, its answers padded to weigh what the app's weigh (w).
func floorServe(ctx context.Context, databaseURL, secret, port, execMode string, w weight) error {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return err
	}
	cfg.MaxConns = 10 // the app's pool size (store.ParseURL)
	// The app's query mode (store.ParseURL), unless told otherwise.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	if execMode == "describe" {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	f := &floor{pool: pool, secret: []byte(secret), weight: w}

	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := pool.Ping(r.Context()); err != nil {
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	mux.HandleFunc("GET /{$}", f.list)
	mux.HandleFunc("POST /tasks", f.create)
	mux.HandleFunc("GET /api/{user_id}/tasks", f.apiList)
	srv := &http.Server{Handler: mux}
	ln, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}

type floor struct {
	pool   *pgxpool.Pool
	secret []byte
	weight weight
}

// user verifies the Better Auth cookie (HMAC-SHA256, standard base64) and reads the session with its
// user: the app's statement. ok is false when there is no valid, unexpired session.
func (f *floor) user(r *http.Request) (id, name string, ok bool, err error) {
	c, err := r.Cookie("better-auth.session_token")
	if err != nil {
		return "", "", false, nil
	}
	v, err := url.PathUnescape(c.Value)
	dot := strings.LastIndexByte(v, '.')
	if err != nil || dot <= 0 || len(v)-dot-1 != 44 {
		return "", "", false, nil
	}
	mac := hmac.New(sha256.New, f.secret)
	mac.Write([]byte(v[:dot]))
	if !hmac.Equal([]byte(v[dot+1:]), []byte(base64.StdEncoding.EncodeToString(mac.Sum(nil)))) {
		return "", "", false, nil
	}
	var sid, tok, uid, email string
	var expires, updated time.Time
	err = f.pool.QueryRow(r.Context(),
		`select s.id, s.token, s.user_id, s.expires_at, s.updated_at, u.id, u.name, u.email
		   from sessions s join users u on u.id = s.user_id
		  where s.token = $1`, v[:dot]).Scan(&sid, &tok, &uid, &expires, &updated, &id, &name, &email)
	if err == pgx.ErrNoRows || err == nil && !expires.After(time.Now()) {
		return "", "", false, nil
	}
	return id, name, err == nil, err
}

// The app's statements (store/tasks.go: taskColumns, listQueries, countsQuery, insertTask): keep them
// the same when those change, so that the floor does the database work the app's answers need.
const (
	floorColumns = `id, title, coalesce(description, ''), completed, due_date, priority, tags, created_at, updated_at`
	floorList    = `select ` + floorColumns + ` from tasks
		 where user_id = $1 and id > $2 order by id limit $3`
	floorCounts = `select coalesce(max(active), 0), coalesce(max(completed), 0)
	from task_counts where user_id = $1`
	floorInsert = `insert into tasks (user_id, title, description, due_date, priority, tags)
	values ($1, $2, nullif($3, ''), nullif($4, '')::date, $5, $6)
	returning ` + floorColumns
)

// floorTask is a row of floorColumns.
type floorTask struct {
	id                 int64
	title, description string
	completed          bool
	due                pgtype.Date
	priority           int16
	tags               []string
	created, updated   time.Time
}

func (t *floorTask) dest() []any {
	return []any{&t.id, &t.title, &t.description, &t.completed, &t.due, &t.priority, &t.tags, &t.created, &t.updated}
}

var floorPriorities = []string{"none", "low", "medium", "high"}

// list is GET /: the first page of the user's tasks (LIMIT 101) and the counts, in one batch as the
// app sends them, as heavy as the app's page.
func (f *floor) list(w http.ResponseWriter, r *http.Request) {
	uid, name, ok, err := f.user(r)
	if !ok {
		f.refuse(w, r, err)
		return
	}
	tasks := make([]floorTask, 0, 101)
	var active, completed int
	b := &pgx.Batch{}
	b.Queue(floorList, uid, 0, 101).Query(func(rows pgx.Rows) error {
		var t floorTask
		_, err := pgx.ForEachRow(rows, t.dest(), func() error {
			tasks = append(tasks, t)
			t.tags = nil
			return nil
		})
		return err
	})
	b.Queue(floorCounts, uid).QueryRow(func(row pgx.Row) error {
		return row.Scan(&active, &completed)
	})
	if err := f.pool.SendBatch(r.Context(), b).Close(); err != nil {
		f.refuse(w, r, err)
		return
	}
	if len(tasks) > 100 {
		tasks = tasks[:100]
	}

	out := make([]byte, 0, f.weight.Frame+len(tasks)*f.weight.Task)
	out = append(out, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>All tasks · Todo</title></head><body><p>`...)
	out = append(out, html.EscapeString(name)...)
	out = append(out, `</p><ul>`...)
	tasksStart := len(out)
	for i := range tasks {
		out = f.appendTask(out, &tasks[i])
	}
	taskBytes := len(out) - tasksStart
	out = appendCount(out, active, completed)
	// Everything but the tasks weighs what the app's page around its tasks weighs.
	out = padTo(out, taskBytes+f.weight.Frame-len(`</body></html>`))
	out = append(out, `</body></html>`...)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(out)
}

// appendCount writes the counter.
func appendCount(out []byte, active, completed int) []byte {
	out = append(out, `<p data-testid="todo-count"><strong>`...)
	out = strconv.AppendInt(out, int64(active), 10)
	out = append(out, `</strong> items left`...)
	if completed > 0 {
		out = append(out, `, some completed`...)
	}
	return append(out, `</p>`...)
}

// appendTask writes a task's <li>, padded to the app's bytes per task.
func (f *floor) appendTask(out []byte, t *floorTask) []byte {
	start := len(out)
	out = append(out, `<li data-task-id="`...)
	out = strconv.AppendInt(out, t.id, 10)
	out = append(out, `" data-completed="`...)
	out = strconv.AppendBool(out, t.completed)
	out = append(out, `" data-due-date="`...)
	if t.due.Valid {
		out = t.due.Time.AppendFormat(out, time.DateOnly)
	}
	out = append(out, `" data-priority="`...)
	out = append(out, floorPriorities[t.priority]...)
	out = append(out, `" data-tags="`...)
	for i, tag := range t.tags {
		if i > 0 {
			out = append(out, ' ')
		}
		out = append(out, tag...) // tags are [a-z0-9_-]: nothing to escape
	}
	out = append(out, `"><a href="/tasks/`...)
	out = strconv.AppendInt(out, t.id, 10)
	out = append(out, `/edit">`...)
	out = append(out, html.EscapeString(t.title)...)
	out = append(out, `</a>`...)
	if t.description != "" {
		out = append(out, `<p>`...)
		out = append(out, html.EscapeString(t.description)...)
		out = append(out, `</p>`...)
	}
	out = padTo(out, start+f.weight.Task-len(`</li>`))
	return append(out, `</li>`...)
}

// padTo appends spaces to out up to length n (nothing when out is that long already).
func padTo(out []byte, n int) []byte {
	for len(out) < n {
		out = append(out, spaces[:min(n-len(out), len(spaces))]...)
	}
	return out
}

var spaces = []byte(strings.Repeat(" ", 4096))

// create is POST /tasks from htmx: the session check, the app's INSERT, and the new task's <li>.
func (f *floor) create(w http.ResponseWriter, r *http.Request) {
	uid, _, ok, err := f.user(r)
	if !ok {
		f.refuse(w, r, err)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "The form could not be read.", http.StatusBadRequest)
		return
	}
	title := strings.TrimSpace(r.PostForm.Get("title"))
	if title == "" || len(title) > 800 {
		http.Error(w, "A task needs a title.", http.StatusUnprocessableEntity)
		return
	}
	var t floorTask
	var active, completed int
	b := &pgx.Batch{}
	b.Queue(floorInsert, uid, title, r.PostForm.Get("description"), "", int16(0), []string{}).QueryRow(func(row pgx.Row) error {
		return row.Scan(t.dest()...)
	})
	b.Queue(floorCounts, uid).QueryRow(func(row pgx.Row) error {
		return row.Scan(&active, &completed)
	})
	if err := f.pool.SendBatch(r.Context(), b).Close(); err != nil {
		f.refuse(w, r, err)
		return
	}
	// The new task's <li> for the end of the list and the counter, padded to what the app's answer
	// weighs (its new empty form, and what else depends on the counts).
	out := make([]byte, 0, f.weight.Create)
	out = append(out, `<ul data-hx-swap-oob="beforeend:#task-list">`...)
	out = f.appendTask(out, &t)
	out = append(out, `</ul>`...)
	out = appendCount(out, active, completed)
	out = padTo(out, f.weight.Create)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(out)
}

// refuse answers a request without a session (or whose database work failed).
func (f *floor) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		http.Error(w, "database error", http.StatusServiceUnavailable)
		return
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
}
