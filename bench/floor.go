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
	"github.com/jackc/pgx/v5/pgxpool"
)

// The floor: the benchmark's requests answered by as little code as can answer them correctly, so
// that app/floor is what the app's own code costs. It does the same database work as the app (the
// same statements, the same pool size and, by default, the same pgx query mode) and skips
// everything else: no middleware, no templates, no logging. It runs as a process of its own
// (BENCH_ROLE=floor), like the app, so neither shares a runtime with the load generator.

// floorServe serves until ctx ends.
func floorServe(ctx context.Context, databaseURL, secret, port, execMode string) error {
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return err
	}
	cfg.MaxConns = 10 // the app's pool size (store.ParseURL)
	if execMode == "describe" {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	f := &floor{pool: pool, secret: []byte(secret)}

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

// list is GET /: the first page of the user's tasks (LIMIT 101) and the counts, in one batch as the
// app sends them, written as the app writes them. The statements are the app's (store/tasks.go,
// listQueries[All] and countsQuery): keep them the same when those change.
func (f *floor) list(w http.ResponseWriter, r *http.Request) {
	uid, name, ok, err := f.user(r)
	if !ok {
		f.refuse(w, r, err)
		return
	}
	type task struct {
		id                 int64
		title, description string
		completed          bool
		created, updated   time.Time
	}
	tasks := make([]task, 0, 101)
	var active, completed int
	b := &pgx.Batch{}
	b.Queue(`select id, title, coalesce(description, ''), completed, created_at, updated_at from tasks
	       where user_id = $1 and id > $2 order by id limit $3`, uid, 0, 101).Query(func(rows pgx.Rows) error {
		var t task
		_, err := pgx.ForEachRow(rows, []any{&t.id, &t.title, &t.description, &t.completed, &t.created, &t.updated}, func() error {
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
	if len(tasks) > 100 {
		tasks = tasks[:100]
	}

	// The markup mirrors the app's (views.ListPage, TaskItem) byte for byte where it can: the page
	// around the list, and per task an <li> with its two forms, the edit link, the escaped title
	// three times and the description. Both answers are about the same number of bytes (the
	// benchmark prints the two sizes).
	out := make([]byte, 0, 4096+len(tasks)*1200)
	out = append(out, floorHead...)
	out = append(out, html.EscapeString(name)...)
	out = append(out, floorHeadEnd...)
	for _, t := range tasks {
		out = appendTask(out, t.id, t.title, t.description, t.completed)
	}
	out = append(out, floorFootStart...)
	out = strconv.AppendInt(out, int64(active), 10)
	out = append(out, floorFootEnd...)
	if completed > 0 {
		out = append(out, floorClearCompleted...)
	}
	out = append(out, floorEnd...)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(out)
}

// appendTask writes a task's <li> as views.TaskItem does.
func appendTask(out []byte, taskID int64, title, description string, completed bool) []byte {
	id := strconv.AppendInt(make([]byte, 0, 20), taskID, 10)
	escTitle := html.EscapeString(title)
	out = append(out, `<li id="task-`...)
	out = append(out, id...)
	out = append(out, `" class="task`...)
	if completed {
		out = append(out, ` completed`...)
	}
	out = append(out, `" data-task-id="`...)
	out = append(out, id...)
	out = append(out, `" data-completed="`...)
	out = strconv.AppendBool(out, completed)
	out = append(out, `"><form method="post" action="/tasks/`...)
	out = append(out, id...)
	out = append(out, `/toggle" hx-post="/tasks/`...)
	out = append(out, id...)
	out = append(out, `/toggle"><button type="submit" id="toggle-`...)
	out = append(out, id...)
	out = append(out, `" class="check" role="checkbox" aria-checked="`...)
	out = strconv.AppendBool(out, completed)
	out = append(out, `" aria-labelledby="title-`...)
	out = append(out, id...)
	out = append(out, `" data-testid="toggle"></button></form><div class="task-text"><span class="task-title" id="title-`...)
	out = append(out, id...)
	out = append(out, `" data-testid="task-title">`...)
	out = append(out, escTitle...)
	out = append(out, `</span> `...)
	if description != "" {
		out = append(out, `<p class="task-description" data-testid="task-description">`...)
		out = append(out, html.EscapeString(description)...)
		out = append(out, `</p>`...)
	}
	out = append(out, `</div><div class="task-actions"><a class="task-edit" href="/tasks/`...)
	out = append(out, id...)
	out = append(out, `/edit" hx-get="/tasks/`...)
	out = append(out, id...)
	out = append(out, `/edit" hx-disabled-elt="this" aria-label="Edit “`...)
	out = append(out, escTitle...)
	out = append(out, `”" data-testid="edit">Edit</a><form method="post" action="/tasks/`...)
	out = append(out, id...)
	out = append(out, `/delete" hx-post="/tasks/`...)
	out = append(out, id...)
	out = append(out, `/delete"><button type="submit" class="delete" aria-label="Delete “`...)
	out = append(out, escTitle...)
	out = append(out, `”" data-testid="delete"><span aria-hidden="true">×</span></button></form></div></li>`...)
	return out
}

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
	var id int64
	var t, d string
	var completed bool
	var created, updated time.Time
	err = f.pool.QueryRow(r.Context(), `insert into tasks (user_id, title, description) values ($1, $2, nullif($3, ''))
		 returning id, title, coalesce(description, ''), completed, created_at, updated_at`,
		uid, title, r.PostForm.Get("description")).Scan(&id, &t, &d, &completed, &created, &updated)
	if err != nil {
		f.refuse(w, r, err)
		return
	}
	// The new task's <li> for the end of the list and an empty form, as the app answers. The app
	// also re-renders the counter and what depends on it, which needs the counts: the floor leaves
	// that out, as it is no part of the INSERT.
	out := make([]byte, 0, 2048)
	out = append(out, `<ul hx-swap-oob="beforeend:#task-list">`...)
	out = appendTask(out, id, t, d, completed)
	out = append(out, `</ul>`...)
	out = append(out, floorNewTaskForm...)
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

// floorNewTaskForm is the empty new-task form an htmx add answers with.
const floorNewTaskForm = `<form id="new-task" class="new-task" data-testid="new-task" method="post" action="/tasks" hx-post="/tasks" hx-target="this" hx-swap="outerHTML" hx-sync="this:drop" hx-disabled-elt="find button" hx-include="#todo-app [name='listed'], #load-more [name='more']">` +
	`<input type="hidden" name="return" value="/"> <input type="hidden" name="nonce" value="abcdefghijklmnopqrstuvwxyzABCDEF"><div class="new-task-row">` +
	`<label for="new-title" class="visually-hidden">What needs to be done?</label> <input id="new-title" class="new-title" type="text" name="title" value="" placeholder="What needs to be done?" autocomplete="off" enterkeyhint="done" autofocus data-testid="new-title"> ` +
	`<button type="submit" class="button button-primary" data-testid="add">Add <span class="spinner htmx-indicator" aria-hidden="true"></span></button></div>` +
	`<details class="new-description"><summary>Add a description</summary> <label for="new-description" class="field-label">Description <span class="hint">(optional, up to 1000 characters)</span></label> ` +
	`<textarea id="new-description" name="description" rows="3" data-testid="new-description"></textarea></details> </form>`

// The page around the list, as the app writes it for these users (views.Page, ListPage, ListFooter).

const floorHead = `<!doctype html><html lang="en"><head><meta charset="utf-8">` +
	`<meta name="viewport" content="width=device-width, initial-scale=1">` +
	`<meta name="htmx-config" content="{&#34;includeIndicatorStyles&#34;:false,&#34;attributesToSettle&#34;:[&#34;class&#34;,&#34;width&#34;,&#34;height&#34;],&#34;allowEval&#34;:false,&#34;allowScriptTags&#34;:false,&#34;historyCacheSize&#34;:0,&#34;responseHandling&#34;:[{&#34;code&#34;:&#34;204&#34;,&#34;swap&#34;:false},{&#34;code&#34;:&#34;[23]..&#34;,&#34;swap&#34;:true},{&#34;code&#34;:&#34;422&#34;,&#34;swap&#34;:true},{&#34;code&#34;:&#34;[45]..&#34;,&#34;swap&#34;:true,&#34;error&#34;:true}]}">` +
	`<meta name="color-scheme" content="light dark"><title>All tasks · Todo</title>` +
	`<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns=&#39;http://www.w3.org/2000/svg&#39; viewBox=&#39;0 0 24 24&#39;%3E%3Crect x=&#39;2&#39; y=&#39;2&#39; width=&#39;20&#39; height=&#39;20&#39; rx=&#39;6&#39; fill=&#39;%233352cc&#39;/%3E%3Cpath d=&#39;M7.5 12.5l3 3 6-7&#39; fill=&#39;none&#39; stroke=&#39;white&#39; stroke-width=&#39;2.2&#39; stroke-linecap=&#39;round&#39; stroke-linejoin=&#39;round&#39;/%3E%3C/svg%3E">` +
	`<link rel="stylesheet" href="/static/app.css"><script src="/static/htmx.min.js" defer></script>` +
	`<script src="/static/app.js" defer></script></head><body><header class="app-header">` +
	`<a class="brand" href="/" aria-label="Todo, all tasks">` +
	`<svg class="brand-mark" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">` +
	`<rect x="2" y="2" width="20" height="20" rx="6" fill="currentColor">` +
	`</rect> <path class="brand-check" d="M7.5 12.5l3 3 6-7" fill="none" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round">` +
	`</path></svg> <span>Todo</span></a> <div class="account"><span class="app-user" data-testid="user-name">`

const floorHeadEnd = `</span> <a class="account-link" href="/account" data-testid="account-link">Account</a>` +
	`<form method="post" action="/sign-out">` +
	`<button type="submit" class="button button-quiet" data-testid="sign-out">Sign out</button></form></div>` +
	`</header><div id="flashes" class="flashes" aria-live="polite"></div><main id="main" class="page list-page">` +
	`<h1 class="page-title" data-testid="page-title">All tasks</h1><div class="card">` +
	`<form id="new-task" class="new-task" data-testid="new-task" method="post" action="/tasks" hx-post="/tasks" hx-target="this" hx-swap="outerHTML" hx-sync="this:drop" hx-disabled-elt="find button" hx-include="#todo-app [name='listed'], #load-more [name='more']">` +
	`<input type="hidden" name="return" value="/"> <input type="hidden" name="nonce" value="abcdefghijklmnopqrstuvwxyzABCDEF">` +
	`<div class="new-task-row">` +
	`<label for="new-title" class="visually-hidden">What needs to be done?</label> <input id="new-title" class="new-title" type="text" name="title" value="" placeholder="What needs to be done?" autocomplete="off" enterkeyhint="done" autofocus data-testid="new-title"> <button type="submit" class="button button-primary" data-testid="add">Add <span class="spinner htmx-indicator" aria-hidden="true">` +
	`</span></button></div><details class="new-description">` +
	`<summary>Add a description</summary> <label for="new-description" class="field-label">Description <span class="hint">(optional, up to 1000 characters)</span>` +
	`</label> <textarea id="new-description" name="description" rows="3" data-testid="new-description"></textarea>` +
	`</details> </form><section id="todo-app" class="todo-app" aria-label="Tasks">` +
	`<input type="hidden" name="listed" value="1">` +
	`<form id="toggle-all" class="toggle-all" method="post" action="/tasks/toggle-all" hx-post="/tasks/toggle-all" hx-target="#todo-app" hx-swap="outerHTML" hx-sync="this:drop" hx-disabled-elt="find button">` +
	`<input type="hidden" name="return" value="/"> <button type="submit" id="toggle-all-button" class="toggle-all-button" role="checkbox" aria-checked="false" data-testid="toggle-all">` +
	`<span class="check" aria-hidden="true">` +
	`</span> <span>Mark all as complete</span> <span class="spinner htmx-indicator" aria-hidden="true"></span>` +
	`</button></form>  <input type="hidden" id="list-return" name="return" value="/">` +
	`<ul id="task-list" class="task-list" data-testid="task-list" hx-target="closest li" hx-swap="outerHTML" hx-sync="closest li:drop" hx-indicator="closest li" hx-disabled-elt="find button" hx-include="#list-return">`

const floorFootStart = `</ul><p id="filter-empty" class="filter-empty" data-testid="filter-empty" hidden></p>` +
	`<div id="load-more" class="load-more" hx-target="this" hx-swap="outerHTML" hx-sync="this:drop"></div>` +
	`<footer class="list-footer">` +
	`<span id="todo-count" class="todo-count" data-testid="todo-count" aria-live="polite" aria-atomic="true">` +
	`<strong>`

const floorFootEnd = `</strong> items left</span><nav class="filters" aria-label="Show"><ul><li>` +
	`<a href="/" data-testid="filter-all" aria-current="page">All</a></li><li>` +
	`<a href="/active" data-testid="filter-active">Active</a></li><li>` +
	`<a href="/completed" data-testid="filter-completed">Completed</a></li></ul></nav>` +
	`<div id="clear-completed" class="clear-slot">`

const floorClearCompleted = `<form method="post" action="/tasks/clear-completed" hx-post="/tasks/clear-completed" hx-target="#todo-app" hx-swap="outerHTML" hx-sync="this:drop" hx-disabled-elt="find button">` +
	`<input type="hidden" name="return" value="/"> <button type="submit" class="button-link" data-testid="clear-completed">Clear completed <span class="spinner htmx-indicator" aria-hidden="true">` +
	`</span></button></form>`

const floorEnd = `</div></footer></section></div></main></body></html>`
