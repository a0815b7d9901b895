package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// The "completed" field sets the state: twice changes nothing the second time, and a stale tab's
// "mark all complete" cannot reopen what another tab completed. Without it, the actions flip.
func TestToggleSetsTheStateAsked(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	ks := addTasks(t, a, u, "Task", 3)
	id := ks[0].ID

	for _, htmx := range []bool{false, true} {
		var h []string
		if htmx {
			h = hxHeaders
		}
		for _, state := range []bool{true, true, false, false} {
			w := a.do(t, "POST", taskURL(id, "/toggle"), c, taskForm("completed", map[bool]string{true: "true", false: "false"}[state], "return", "/"), h...)
			if w.Code != http.StatusSeeOther && w.Code != http.StatusOK {
				t.Fatalf("toggle completed=%v: %d", state, w.Code)
			}
			if k, _ := getTask(t, a, u, id); k.Completed != state {
				t.Fatalf("completed=%v (htmx %v): task completed %v", state, htmx, k.Completed)
			}
		}
	}
	before, _ := getTask(t, a, u, id)
	a.do(t, "POST", taskURL(id, "/toggle"), c, "")
	if k, _ := getTask(t, a, u, id); k.Completed == before.Completed {
		t.Fatal("without the field the toggle does not flip")
	}
	a.do(t, "POST", taskURL(id, "/toggle"), c, "") // back to active

	// Mark all: set, and again, changes nothing; a stale "complete" stays complete.
	for range 2 {
		wantSeeOther(t, a.do(t, "POST", "/tasks/toggle-all", c, taskForm("completed", "true", "return", "/")), "/")
		if got := countsOf(t, a, u); got.Completed != 3 || got.Active != 0 {
			t.Fatalf("counts %+v after mark all complete", got)
		}
	}
	w := a.do(t, "POST", "/tasks/toggle-all", c, taskForm("completed", "true", "return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	if got := squashSpace(parseDoc(t, w).Find("#undo [data-testid=undo-message]").Text()); got != "Every task was complete already." {
		t.Fatalf("message for nothing changed: %q", got)
	}
	wantSeeOther(t, a.do(t, "POST", "/tasks/toggle-all", c, taskForm("completed", "false")), "/")
	if got := countsOf(t, a, u); got.Active != 3 {
		t.Fatalf("counts %+v after mark all active", got)
	}
	wantSeeOther(t, a.do(t, "POST", "/tasks/toggle-all", c, ""), "/") // flips: all complete
	if got := countsOf(t, a, u); got.Completed != 3 {
		t.Fatalf("counts %+v after toggle-all without the field", got)
	}

	// Any other value is 422, and changes nothing.
	for _, bad := range []string{"", "1", "yes", "TRUE", "on", "true "} {
		for _, path := range []string{taskURL(id, "/toggle"), "/tasks/toggle-all"} {
			w := a.do(t, "POST", path, c, taskForm("completed", bad))
			wantStatus(t, w, http.StatusUnprocessableEntity)
			if !strings.Contains(w.Body.String(), "must be true or false") {
				t.Fatalf("%s completed=%q: no message in %.300s", path, bad, w.Body.String())
			}
		}
	}
	w = a.do(t, "POST", taskURL(id, "/toggle"), c, "completed=true&completed=false")
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if got := countsOf(t, a, u); got.Completed != 3 {
		t.Fatalf("a refused toggle changed the counts: %+v", got)
	}
}

// The controls send the state they show they will set: a task's checkbox the opposite of its own
// state, "Mark all as complete" true unless every task is complete.
func TestControlsSendTheState(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	ks := addTasks(t, a, u, "Task", 2)
	completeTask(t, a, u, ks[0])
	doc := parseDoc(t, a.do(t, "GET", "/", c, ""))
	for _, k := range ks {
		b := doc.Find("li[data-task-id='" + idString(k.ID) + "'] button.check")
		want := "true"
		if k.ID == ks[0].ID {
			want = "false"
		}
		if b.AttrOr("name", "") != "completed" || b.AttrOr("value", "") != want {
			t.Fatalf("task %d's checkbox sends %s=%s, want completed=%s", k.ID, b.AttrOr("name", ""), b.AttrOr("value", ""), want)
		}
	}
	b := doc.Find("[data-testid=toggle-all]")
	if b.AttrOr("name", "") != "completed" || b.AttrOr("value", "") != "true" {
		t.Fatalf("toggle-all sends %s=%s", b.AttrOr("name", ""), b.AttrOr("value", ""))
	}
	completeTask(t, a, u, ks[1])
	for _, path := range []string{"/", "/active", "/completed"} {
		doc = parseDoc(t, a.do(t, "GET", path, c, ""))
		b = doc.Find("[data-testid=toggle-all]")
		if b.AttrOr("value", "") != "false" || b.AttrOr("aria-checked", "") != "true" {
			t.Fatalf("%s, all complete: toggle-all value %q aria-checked %q", path, b.AttrOr("value", ""), b.AttrOr("aria-checked", ""))
		}
	}
}

// undoForm is the undo offer's form in an answer: its action and fields, as a browser would post it.
func undoForm(t *testing.T, doc *goquery.Document) (string, string) {
	t.Helper()
	offer := doc.Find("[data-testid=undo]")
	form := offer.Find("form[method=post]")
	if offer.Length() != 1 || form.Length() != 1 {
		t.Fatalf("no undo offer with a form in:\n%s", doc.Text())
	}
	v := url.Values{}
	form.Find("input[name]").Each(func(_ int, in *goquery.Selection) { v.Set(in.AttrOr("name", ""), in.AttrOr("value", "")) })
	return form.AttrOr("action", ""), v.Encode()
}

// rowsOf is the user's task rows, every column, and their counts, as the database holds them;
// without updated_at and the version, which every update moves, unless withUpdatedAt.
func rowsOf(t *testing.T, a *testApp, userID string, withUpdatedAt bool) string {
	t.Helper()
	row := "to_jsonb(x)"
	if !withUpdatedAt {
		row = "(to_jsonb(x) - 'updated_at' - 'version')"
	}
	var d string
	if err := pgtest.AdminOf(t, a.store).QueryRow(context.Background(), `select
		coalesce((select string_agg(`+row+`::text, '|' order by x.id) from tasks x where user_id = $1), '') || '#' ||
		coalesce((select active || '/' || completed from task_counts where user_id = $1), '')`, userID).Scan(&d); err != nil {
		t.Fatal(err)
	}
	return d
}

// Delete, clear completed and mark all offer Undo, as a plain form on the page the redirect leads to
// and in the htmx answer; undoing restores exactly, once, and only for the user who acted.
func TestUndo(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	_, bob := a.signedInUser(t, "Bob")
	ks := addTasks(t, a, u, "Task", 4)
	completeTask(t, a, u, ks[1])
	completeTask(t, a, u, ks[2])
	if _, err := a.store.Tasks(u.ID).Update(context.Background(), ks[1].ID, todo.Input{Title: "Task 2", Description: "with notes"}); err != nil {
		t.Fatal(err)
	}

	actions := []struct {
		name, path, body string
		exact            bool
	}{
		{"delete", taskURL(ks[1].ID, "/delete"), taskForm("return", "/"), true},
		{"clear completed", "/tasks/clear-completed", taskForm("return", "/"), true},
		{"mark all complete", "/tasks/toggle-all", taskForm("completed", "true", "return", "/"), false},
		{"toggle all", "/tasks/toggle-all", taskForm("return", "/"), false},
	}
	for _, htmx := range []bool{false, true} {
		for _, act := range actions {
			name := act.name
			if htmx {
				name += " (htmx)"
			}
			before := rowsOf(t, a, u.ID, act.exact)
			var doc *goquery.Document
			var cookies []*http.Cookie
			if htmx {
				w := a.do(t, "POST", act.path, c, act.body, hxHeaders...)
				wantStatus(t, w, http.StatusOK)
				doc, cookies = parseDoc(t, w), w.Result().Cookies()
			} else {
				w := a.do(t, "POST", act.path, c, act.body)
				wantSeeOther(t, w, "/")
				cookies = w.Result().Cookies()
				doc = parseDoc(t, a.do(t, "GET", "/", nil, "", "Cookie", listCookieHeader(c, cookies)))
			}
			if rowsOf(t, a, u.ID, act.exact) == before {
				t.Fatalf("%s changed nothing", name)
			}
			action, fields := undoForm(t, doc)
			if action != "/tasks/undo" {
				t.Fatalf("%s: the undo form posts to %q", name, action)
			}
			// The offer is on every list page loaded while it lasts (a reload after htmx too).
			again := parseDoc(t, a.do(t, "GET", "/active", nil, "", "Cookie", listCookieHeader(c, cookies)))
			if again.Find("[data-testid=undo] form").Length() != 1 {
				t.Fatalf("%s: a reload shows no undo", name)
			}

			// Bob posting the same form: 404, nothing changes.
			w := a.do(t, "POST", action, bob, fields)
			wantStatus(t, w, http.StatusNotFound)
			after := rowsOf(t, a, u.ID, true)

			var w2 *httptest.ResponseRecorder
			if htmx {
				w2 = a.do(t, "POST", action, c, fields, hxHeaders...)
				wantStatus(t, w2, http.StatusOK)
				if d := parseDoc(t, w2); d.Find("section#todo-app").Length() != 1 || d.Find("#undo[data-hx-swap-oob]").Children().Length() != 0 {
					t.Fatalf("%s: the undo answer: %s", name, w2.Body.String())
				}
			} else {
				w2 = a.do(t, "POST", action, c, fields)
				wantSeeOther(t, w2, "/")
			}
			if got := rowsOf(t, a, u.ID, act.exact); got != before {
				t.Fatalf("%s undone:\n got %s\nwant %s", name, got, before)
			}
			if after == before {
				t.Fatalf("%s: Bob's undo restored it", name)
			}
			// The offer is gone from the pages, and a second undo changes nothing.
			if d := parseDoc(t, a.do(t, "GET", "/", nil, "", "Cookie", listCookieHeader(c, w2.Result().Cookies()))); d.Find("[data-testid=undo]").Length() != 0 {
				t.Fatalf("%s: still offered after undoing", name)
			}
			restored := rowsOf(t, a, u.ID, true)
			w = a.do(t, "POST", action, c, fields)
			wantStatus(t, w, http.StatusNotFound)
			if !strings.Contains(w.Body.String(), "nothing to undo") {
				t.Fatalf("%s: second undo: %.300s", name, w.Body.String())
			}
			if rowsOf(t, a, u.ID, true) != restored {
				t.Fatalf("%s: the second undo changed something", name)
			}
		}
	}
	// A malformed or unknown record: 404.
	for _, f := range []string{taskForm("undo", "abc"), taskForm("undo", "999999"), ""} {
		wantStatus(t, a.do(t, "POST", "/tasks/undo", c, f), http.StatusNotFound)
		w := a.do(t, "POST", "/tasks/undo", c, f, hxHeaders...)
		if w.Code != http.StatusNotFound || w.Header().Get("HX-Retarget") != "#flashes" {
			t.Fatalf("htmx undo of %q: %d, retarget %q", f, w.Code, w.Header().Get("HX-Retarget"))
		}
	}
}

// An htmx action on a task deleted elsewhere answers 404 and takes the task's row off the page.
func TestGoneTaskLeavesThePage(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	ks := addTasks(t, a, u, "Task", 2)
	if err := a.store.Tasks(u.ID).Delete(context.Background(), ks[0].ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range []struct{ method, path, body string }{
		{"POST", taskURL(ks[0].ID, "/toggle"), taskForm("completed", "true", "return", "/")},
		{"POST", taskURL(ks[0].ID, "/delete"), taskForm("return", "/")},
		{"POST", taskURL(ks[0].ID, ""), taskForm("title", "x", "return", "/")},
		{"GET", taskURL(ks[0].ID, "/edit"), ""},
	} {
		w := a.do(t, r.method, r.path, c, r.body, hxHeaders...)
		wantStatus(t, w, http.StatusNotFound)
		doc := parseDoc(t, w)
		sel := "#task-list > li[data-task-id='" + idString(ks[0].ID) + "']"
		gone := doc.Find("[data-hx-swap-oob]").FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.AttrOr("data-hx-swap-oob", "") == "delete:"+sel
		})
		if gone.Length() != 1 {
			t.Fatalf("%s %s: the row is not taken away:\n%s", r.method, r.path, w.Body.String())
		}
		if squashSpace(doc.Find("#todo-count").Text()) != "1 item left" || w.Header().Get("HX-Retarget") != "#flashes" {
			t.Fatalf("%s %s: counts or retarget: %s", r.method, r.path, w.Body.String())
		}
	}
}

func idString(id int64) string { return strings.TrimSpace(taskURL(id, "")[len("/tasks/"):]) }

var _ = store.ListOptions{}
