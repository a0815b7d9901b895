package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"todo/todo"
)

// Handler tests for the task actions, each as a plain form post and as htmx.

func TestCreateTaskPlain(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	w := a.do(t, "POST", "/tasks", c, taskForm("title", "  Buy milk  ", "description", "Oat\r\n2 litres", "return", "/active"))
	wantSeeOther(t, w, "/active")
	doc := parseDoc(t, a.do(t, "GET", "/active", c, ""))
	li := doc.Find("[data-task-id]")
	if li.Length() != 1 || squashSpace(li.Find("[data-testid=task-title]").Text()) != "Buy milk" {
		t.Fatalf("the new task is not listed: %q", li.Text())
	}
	id, _ := strconv.ParseInt(li.AttrOr("data-task-id", ""), 10, 64)
	k, err := getTask(t, a, u, id)
	if err != nil || k.Title != "Buy milk" || k.Description != "Oat\n2 litres" || k.Completed {
		t.Fatalf("stored %+v, %v", k, err)
	}
}

// The contract's minimal form (title only, no return field) works and lands on the full list.
func TestCreateTaskMinimalForm(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	wantSeeOther(t, a.do(t, "POST", "/tasks", c, taskForm("title", "x")), "/")
	if countsOf(t, a, u).Active != 1 {
		t.Fatal("not stored")
	}
}

func TestCreateTaskInvalid(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	cases := []struct {
		name, body, message string
	}{
		{"blank", taskForm("title", "   "), "Title can't be blank."},
		{"missing", taskForm("description", "no title"), "Title can't be blank."},
		{"too long", taskForm("title", strings.Repeat("é", 201)), "Title is too long: 201 characters, at most 200."},
		{"control", taskForm("title", "a\x07b"), "control character"},
		{"nul", taskForm("title", "a\x00b"), "control character"},
		{"bad utf-8", "title=%ff%fe", "not valid UTF-8"},
		{"long description", taskForm("title", "ok", "description", strings.Repeat("d", 1001)), "Description is too long"},
		{"twice", taskForm("title", "a", "title", "b"), "more than once"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Plain: the whole list page again, 422, the message and what was typed.
			w := a.do(t, "POST", "/tasks", c, tc.body+"&return=%2Fcompleted")
			wantStatus(t, w, http.StatusUnprocessableEntity)
			doc := parseDoc(t, w)
			if isFragment(w.Body.String()) || doc.Find("title").Text() != "Completed · Todo" {
				t.Fatal("a plain 422 must be the list page it came from")
			}
			msg := squashSpace(doc.Find("[data-testid=new-task-error]").Text())
			if !strings.Contains(msg, tc.message) {
				t.Fatalf("message %q, want %q", msg, tc.message)
			}
			// htmx: just the form, with the message.
			w = a.do(t, "POST", "/tasks", c, tc.body, hxHeaders...)
			wantStatus(t, w, http.StatusUnprocessableEntity)
			if !isFragment(w.Body.String()) {
				t.Fatal("htmx got a whole page")
			}
			doc = parseDoc(t, w)
			if doc.Find("form#new-task").Length() != 1 || !strings.Contains(doc.Find("[data-testid=new-task-error]").Text(), tc.message) {
				t.Fatalf("htmx 422 body: %s", w.Body.String())
			}
			if n := countsOf(t, a, u).Total(); n != 0 {
				t.Fatalf("%d tasks stored from invalid input", n)
			}
		})
	}
}

func TestCreateTaskInvalidKeepsTyping(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	long := strings.Repeat("x", 201)
	w := a.do(t, "POST", "/tasks", c, taskForm("title", long, "description", "my notes"), hxHeaders...)
	wantStatus(t, w, http.StatusUnprocessableEntity)
	doc := parseDoc(t, w)
	if v, _ := doc.Find("input[name=title]").Attr("value"); v != long {
		t.Fatal("the typed title is lost")
	}
	if doc.Find("textarea[name=description]").Text() != "my notes" {
		t.Fatal("the typed description is lost")
	}
	if v, _ := doc.Find("input[name=title]").Attr("aria-invalid"); v != "true" {
		t.Fatal("the field is not marked invalid")
	}
}

func TestCreateTaskHTMXAppends(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	addTasks(t, a, u, "Old", 1)
	w := a.do(t, "POST", "/tasks", c, taskForm("title", "New", "return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	wantVaryHX(t, w)
	doc := parseDoc(t, w)
	form := doc.Find("form#new-task")
	if form.Length() != 1 || form.Find("input[name=title]").AttrOr("value", "?") != "" {
		t.Fatal("the form does not come back empty")
	}
	if doc.Find("form#new-task input[name=nonce]").AttrOr("value", "") == "" {
		t.Fatal("the fresh form has no nonce")
	}
	appended := doc.Find("ul[data-hx-swap-oob^='beforeend:#task-list'] > li[data-task-id]")
	if appended.Length() != 1 || !strings.Contains(appended.Text(), "New") {
		t.Fatalf("the new task is not appended: %s", w.Body.String())
	}
	if squashSpace(doc.Find("#todo-count[data-hx-swap-oob]").Text()) != "2 items left" {
		t.Fatal("the counter is not updated")
	}
	if doc.Find("#toggle-all[data-hx-swap-oob] [aria-checked=false]").Length() != 1 {
		t.Fatal("toggle-all is not updated")
	}
	if doc.Find("#flashes[data-hx-swap-oob]").Length() != 1 {
		t.Fatal("old messages are not cleared")
	}
}

// The first task goes into the list the empty page already holds, and the empty state hides.
func TestCreateTaskHTMXFirstTaskJoinsTheEmptyList(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	w := a.do(t, "POST", "/tasks", c, taskForm("title", "First", "return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	if doc.Find("ul[data-hx-swap-oob^='beforeend:#task-list'] [data-task-id]").Length() != 1 ||
		doc.Find("#empty-state[data-hx-swap-oob=true][hidden]").Length() != 1 || doc.Find("section#todo-app").Length() != 0 {
		t.Fatalf("the task is not appended, or the empty state stays: %s", w.Body.String())
	}
	if squashSpace(doc.Find("#todo-count").Text()) != "1 item left" {
		t.Fatal("counter")
	}
}

func TestCreateTaskHTMXNotOnScreen(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	cases := []struct{ name, body, note string }{
		{"other filter", taskForm("title", "Hidden", "return", "/completed"), "Added “Hidden” to your active tasks."},
	}
	for _, tc := range cases {
		w := a.do(t, "POST", "/tasks", c, tc.body, hxHeaders...)
		wantStatus(t, w, http.StatusOK)
		doc := parseDoc(t, w)
		if doc.Find("[data-task-id]").Length() != 0 {
			t.Fatalf("%s: the task is put on screen", tc.name)
		}
		if got := squashSpace(doc.Find("[data-testid=new-task-notice]").Text()); got != tc.note {
			t.Fatalf("%s: notice %q", tc.name, got)
		}
		if doc.Find("#todo-count[data-hx-swap-oob]").Length() != 1 {
			t.Fatalf("%s: counter not updated", tc.name)
		}
	}
}

// A new task is always shown: a plain add whose page stops before the end of the list goes to the
// last page, at the task; an htmx one draws the list anew as its last page and says so in the address.
func TestCreateTaskBeyondThePageIsShown(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	ks := addTasks(t, a, u, "Task", todo.PageSize)
	w := a.do(t, "POST", "/tasks", c, taskForm("title", "One more", "return", "/"))
	wantStatus(t, w, http.StatusSeeOther)
	page, anchor, _ := strings.Cut(w.Header().Get("Location"), "#")
	if page != "/?after="+idString(ks[0].ID) {
		t.Fatalf("Location %q, want the last page", w.Header().Get("Location"))
	}
	doc := parseDoc(t, a.do(t, "GET", page, c, ""))
	if doc.Find("#"+anchor).Text() != "One more" || doc.Find("[data-task-id]").Length() != todo.PageSize {
		t.Fatalf("the page %s does not show the new task at #%s", page, anchor)
	}

	w = a.do(t, "POST", "/tasks", c, taskForm("title", "And another", "return", "/", "more", "1"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc = parseDoc(t, w)
	app := doc.Find("section#todo-app[data-hx-swap-oob]")
	if app.Length() != 1 || app.Find("[data-task-id]").Last().Find("[data-testid=task-title]").Text() != "And another" {
		t.Fatalf("htmx add beyond the screen: %.1000s", w.Body.String())
	}
	if got := w.Header().Get("HX-Push-Url"); got != "/?after="+idString(ks[1].ID) {
		t.Fatalf("HX-Push-Url %q", got)
	}
	if doc.Find("#new-task input[name=return]").AttrOr("value", "") != w.Header().Get("HX-Push-Url") {
		t.Fatal("the new form does not come back to the page shown")
	}
}

// The same rendered form sent twice adds one task (a double click without JavaScript).
func TestCreateTaskSameFormOnce(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	nonce := parseDoc(t, a.do(t, "GET", "/", c, "")).Find("#new-task input[name=nonce]").AttrOr("value", "")
	if nonce == "" {
		t.Fatal("the form has no nonce")
	}
	body := taskForm("title", "Once", "nonce", nonce, "return", "/")
	wantSeeOther(t, a.do(t, "POST", "/tasks", c, body), "/")
	wantSeeOther(t, a.do(t, "POST", "/tasks", c, body), "/")
	wantStatus(t, a.do(t, "POST", "/tasks", c, body, hxHeaders...), http.StatusNoContent)
	if n := countsOf(t, a, u).Total(); n != 1 {
		t.Fatalf("%d tasks from one form", n)
	}
	// A refused submission does not use the form up: corrected, it goes through.
	nonce2 := "retry" + nonce[:8]
	wantStatus(t, a.do(t, "POST", "/tasks", c, taskForm("title", " ", "nonce", nonce2)), http.StatusUnprocessableEntity)
	wantSeeOther(t, a.do(t, "POST", "/tasks", c, taskForm("title", "Fixed", "nonce", nonce2)), "/")
	// Another user's identical nonce is another form.
	_, c2 := a.signedInUser(t, "Bob")
	wantSeeOther(t, a.do(t, "POST", "/tasks", c2, body), "/")
	if n := countsOf(t, a, u).Total(); n != 2 {
		t.Fatalf("%d tasks, want 2", n)
	}
}

func TestReturnIsSanitized(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	cases := map[string]string{
		"/active":                    "/active",
		"/completed?after=42":        "/completed?after=42",
		"/?after=abc":                "/",
		"https://evil.example/":      "/",
		"//evil.example/":            "/",
		"/\\evil.example":            "/",
		"/tasks/1/edit":              "/",
		"/sign-out":                  "/",
		"javascript:alert(1)":        "/",
		"/active?after=7&x=<script>": "/active", // a later page of a list the task joins: its last page
	}
	for ret, want := range cases {
		w := a.do(t, "POST", "/tasks", c, taskForm("title", "t", "return", ret))
		wantStatus(t, w, http.StatusSeeOther)
		if got, _, _ := strings.Cut(w.Header().Get("Location"), "#"); got != want {
			t.Fatalf("return %q: Location %q, want %q", ret, w.Header().Get("Location"), want)
		}
	}
	// Without a return field, the Referer names the list page (same host only).
	w := a.do(t, "POST", "/tasks", c, taskForm("title", "t"), "Referer", "http://example.test/completed")
	wantSeeOther(t, w, "/completed")
	w = a.do(t, "POST", "/tasks", c, taskForm("title", "t"), "Referer", "http://evil.example/completed")
	wantSeeOther(t, w, "/")
}

func TestToggleTask(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 2)

	// A task that leaves the list shown: back to the page; one that stays: back to its place.
	wantSeeOther(t, a.do(t, "POST", taskURL(tasks[0].ID, "/toggle"), c, taskForm("return", "/active")), "/active")
	// A plain form in a list item has no return field: the Referer names the page, even a later one.
	wantSeeOther(t, a.do(t, "POST", taskURL(tasks[0].ID, "/toggle"), c, "", "Referer", "http://example.test/completed?after=5"), "/completed?after=5")
	wantSeeOther(t, a.do(t, "POST", taskURL(tasks[0].ID, "/toggle"), c, ""), "/#t"+strconv.FormatInt(tasks[0].ID, 10))
	if k, _ := getTask(t, a, u, tasks[0].ID); !k.Completed {
		t.Fatal("not toggled")
	}

	// htmx on the full list: the task comes back completed; the counts update out of band.
	w := a.do(t, "POST", taskURL(tasks[1].ID, "/toggle"), c, taskForm("return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	li := doc.Find("li[data-task-id='" + strconv.FormatInt(tasks[1].ID, 10) + "']")
	if li.AttrOr("data-completed", "") != "true" {
		t.Fatalf("toggled item: %s", w.Body.String())
	}
	if squashSpace(doc.Find("#todo-count").Text()) != "0 items left" {
		t.Fatal("counter")
	}
	if doc.Find("#toggle-all[data-hx-swap-oob] [data-testid=toggle-all]").AttrOr("aria-checked", "") != "true" {
		t.Fatal("toggle-all not checked with all done")
	}
	if doc.Find("#clear-completed[data-hx-swap-oob] [data-testid=clear-completed]").Length() != 1 {
		t.Fatal("clear completed not offered")
	}

	// htmx on /completed: a task toggled back to active leaves the view (an empty main answer).
	w = a.do(t, "POST", taskURL(tasks[1].ID, "/toggle"), c, taskForm("return", "/completed"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc = parseDoc(t, w)
	if doc.Find("[data-task-id]").Length() != 0 {
		t.Fatal("a task that left the filter is sent back")
	}
	if squashSpace(doc.Find("#todo-count").Text()) != "1 item left" {
		t.Fatal("counter")
	}
}

func TestEditTask(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	k := addTasks(t, a, u, "Task", 1)[0]

	// Without JavaScript: a page with the form.
	w := a.do(t, "GET", taskURL(k.ID, "/edit")+"?return=%2Factive", c, "")
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	if isFragment(w.Body.String()) || doc.Find("form[action='"+taskURL(k.ID, "")+"'][method=post] input[name=title]").AttrOr("value", "") != "Task 1" {
		t.Fatalf("edit page: %s", w.Body.String())
	}
	if doc.Find("input[name=return]").AttrOr("value", "") != "/active" {
		t.Fatal("the edit page loses the list it came from")
	}
	if !strings.Contains(doc.Find("title").Text(), "Edit") {
		t.Fatal("title")
	}

	// htmx: the task's <li> as a form.
	w = a.do(t, "GET", taskURL(k.ID, "/edit")+"?return=%2F", c, "", hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc = parseDoc(t, w)
	if !isFragment(w.Body.String()) || doc.Find("li.editing[data-task-id] input[data-testid=edit-title][autofocus]").Length() != 1 {
		t.Fatalf("inline edit: %s", w.Body.String())
	}

	// Cancel puts the item back.
	w = a.do(t, "GET", taskURL(k.ID, "")+"?return=%2F", c, "", hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	if doc := parseDoc(t, w); doc.Find("li[data-task-id] a.edit").Length() != 1 {
		t.Fatalf("cancel: %s", w.Body.String())
	}
	wantSeeOther(t, a.do(t, "GET", taskURL(k.ID, "")+"?return=%2Fcompleted", c, ""), "/completed")
}

func TestUpdateTask(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	k := addTasks(t, a, u, "Task", 1)[0]

	wantSeeOther(t, a.do(t, "POST", taskURL(k.ID, ""), c, taskForm("title", " Renamed ", "description", "Notes", "return", "/active")), "/active")
	if got, _ := getTask(t, a, u, k.ID); got.Title != "Renamed" || got.Description != "Notes" {
		t.Fatalf("stored %+v", got)
	}

	w := a.do(t, "POST", taskURL(k.ID, ""), c, taskForm("title", "Again", "description", "", "return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	if squashSpace(doc.Find("li[data-task-id] [data-testid=task-title]").Text()) != "Again" || doc.Find(".editing").Length() != 0 {
		t.Fatalf("updated item: %s", w.Body.String())
	}
	if got, _ := getTask(t, a, u, k.ID); got.Title != "Again" || got.Description != "" {
		t.Fatalf("stored %+v", got)
	}
}

// A blank title is refused with a message; it does not delete the task or change anything.
func TestUpdateTaskInvalid(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	k := addTasks(t, a, u, "Keep me", 1)[0]
	for _, hx := range [][]string{nil, hxHeaders} {
		w := a.do(t, "POST", taskURL(k.ID, ""), c, taskForm("title", "  ", "description", "typed", "return", "/"), hx...)
		wantStatus(t, w, http.StatusUnprocessableEntity)
		doc := parseDoc(t, w)
		if isFragment(w.Body.String()) != (hx != nil) {
			t.Fatal("fragment for htmx, page without")
		}
		if squashSpace(doc.Find("[data-testid=edit-error]").Text()) != "Title can't be blank." {
			t.Fatalf("message: %s", w.Body.String())
		}
		if doc.Find("[data-testid=edit-title]").AttrOr("value", "") != "  " || doc.Find("[data-testid=edit-description]").Text() != "typed" {
			t.Fatal("what was typed is lost")
		}
		if !strings.Contains(doc.Find("[data-task-id]").Text(), "Keep me 1") {
			t.Fatal("the task element lost its stored title")
		}
		if got, err := getTask(t, a, u, k.ID); err != nil || got.Title != "Keep me 1" {
			t.Fatalf("changed: %+v %v", got, err)
		}
	}
}

func TestDeleteTask(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 3)

	w := a.do(t, "POST", taskURL(tasks[0].ID, "/delete"), c, taskForm("return", "/completed"))
	wantSeeOther(t, w, "/completed")
	if _, err := getTask(t, a, u, tasks[0].ID); !errors.Is(err, todo.ErrNotFound) {
		t.Fatal("not deleted")
	}

	// htmx: an empty main answer removes the <li>; counts out of band; a message for screen readers.
	w = a.do(t, "POST", taskURL(tasks[1].ID, "/delete"), c, taskForm("return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	if doc.Find("[data-task-id]").Length() != 0 || w.Header().Get("HX-Retarget") != "" {
		t.Fatalf("delete answer: %s", w.Body.String())
	}
	if squashSpace(doc.Find("#todo-count").Text()) != "1 item left" {
		t.Fatal("counter")
	}
	if got := squashSpace(doc.Find("#undo[data-hx-swap-oob] [data-testid=undo-message]").Text()); got != "Deleted “Task 2”." {
		t.Fatalf("message %q", got)
	}

	// The last task: the empty state shows again (and hides the list's controls).
	w = a.do(t, "POST", taskURL(tasks[2].ID, "/delete"), c, taskForm("return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc = parseDoc(t, w)
	if doc.Find("#empty-state[data-hx-swap-oob=true]:not([hidden])").Length() != 1 || w.Header().Get("HX-Retarget") != "" {
		t.Fatalf("empty state: %s", w.Body.String())
	}
}

func TestToggleAll(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 3)
	completeTask(t, a, u, tasks[0])

	wantSeeOther(t, a.do(t, "POST", "/tasks/toggle-all", c, taskForm("return", "/active")), "/active")
	if got := countsOf(t, a, u); got.Completed != 3 {
		t.Fatalf("counts %+v after toggle-all with some active", got)
	}

	w := a.do(t, "POST", "/tasks/toggle-all", c, taskForm("return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	if got := countsOf(t, a, u); got.Active != 3 {
		t.Fatalf("counts %+v after toggle-all with all done", got)
	}
	doc := parseDoc(t, w)
	app := doc.Find("section#todo-app")
	if app.Length() != 1 || app.Find("[data-completed=false]").Length() != 3 {
		t.Fatalf("htmx toggle-all answer: %s", w.Body.String())
	}
	if app.Find("[data-testid=toggle-all]").AttrOr("aria-checked", "") != "false" || app.Find("[data-testid=clear-completed]").Length() != 0 {
		t.Fatal("toggle-all / clear-completed state")
	}
	if got := squashSpace(doc.Find("#undo [data-testid=undo-message]").Text()); got != "Marked 3 tasks active." {
		t.Fatalf("message %q", got)
	}

	// On /completed, everything becoming active empties the view.
	completeTask(t, a, u, tasks[1])
	w = a.do(t, "POST", "/tasks/toggle-all", c, taskForm("return", "/completed"), hxHeaders...)
	doc = parseDoc(t, w)
	if doc.Find("[data-task-id]").Length() != 3 {
		t.Fatal("two were active: all three are completed now and shown")
	}
}

func TestClearCompleted(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 4)
	completeTask(t, a, u, tasks[0])
	completeTask(t, a, u, tasks[2])

	w := a.do(t, "POST", "/tasks/clear-completed", c, taskForm("return", "/completed"))
	wantSeeOther(t, w, "/completed")
	if got := countsOf(t, a, u); got.Completed != 0 || got.Active != 2 {
		t.Fatalf("counts %+v", got)
	}
	r := a.do(t, "GET", "/completed", nil, "", "Cookie", listCookieHeader(c, w.Result().Cookies()))
	if got := squashSpace(parseDoc(t, r).Find("[data-testid=undo-message]").Text()); got != "Deleted 2 completed tasks." {
		t.Fatalf("flash %q", got)
	}

	completeTask(t, a, u, tasks[1])
	w = a.do(t, "POST", "/tasks/clear-completed", c, taskForm("return", "/"), hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	wantIDs(t, doc, []int64{tasks[3].ID})
	if doc.Find("[data-testid=clear-completed]").Length() != 0 || squashSpace(doc.Find("#undo [data-testid=undo-message]").Text()) != "Deleted 1 completed task." {
		t.Fatalf("answer: %s", w.Body.String())
	}
}

// Another user's task, a missing id and a malformed id all answer 404 and change nothing.
func TestForeignAndMissingTasks(t *testing.T) {
	a := newTestApp(t)
	ada, _ := a.signedInUser(t, "Ada")
	_, bob := a.signedInUser(t, "Bob")
	k := addTasks(t, a, ada, "Ada's", 1)[0]
	foreign := strconv.FormatInt(k.ID, 10)

	for _, id := range []string{foreign, "999999999", "abc", "0", "-1", "1.0", "99999999999999999999", "%201"} {
		reqs := []struct{ method, path, body string }{
			{"GET", "/tasks/" + id, ""},
			{"GET", "/tasks/" + id + "/edit", ""},
			{"POST", "/tasks/" + id, taskForm("title", "Hacked")},
			{"POST", "/tasks/" + id, taskForm("title", " ")}, // invalid input on a foreign task: still 404
			{"POST", "/tasks/" + id + "/toggle", ""},
			{"POST", "/tasks/" + id + "/delete", ""},
		}
		for _, r := range reqs {
			w := a.do(t, r.method, r.path, bob, r.body)
			if w.Code != http.StatusNotFound {
				t.Fatalf("%s %s: %d, want 404", r.method, r.path, w.Code)
			}
			w = a.do(t, r.method, r.path, bob, r.body, hxHeaders...)
			if w.Code != http.StatusNotFound || w.Header().Get("HX-Retarget") != "#flashes" {
				t.Fatalf("htmx %s %s: %d retarget %q", r.method, r.path, w.Code, w.Header().Get("HX-Retarget"))
			}
			if !strings.Contains(w.Body.String(), "There is no such task.") {
				t.Fatalf("htmx 404 message: %s", w.Body.String())
			}
		}
	}
	got, err := getTask(t, a, ada, k.ID)
	if err != nil || got.Title != k.Title || got.Completed != k.Completed || !got.UpdatedAt.Equal(k.UpdatedAt) {
		t.Fatalf("Ada's task changed: %+v %v", got, err)
	}
	// Bob's bulk actions leave Ada's tasks alone.
	wantSeeOther(t, a.do(t, "POST", "/tasks/toggle-all", bob, ""), "/")
	wantSeeOther(t, a.do(t, "POST", "/tasks/clear-completed", bob, ""), "/")
	if got, _ := getTask(t, a, ada, k.ID); got.Completed != k.Completed {
		t.Fatal("Ada's task changed by Bob's bulk action")
	}
}

func TestTaskFormsRefuseOtherEncodings(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	w := a.do(t, "POST", "/tasks", c, "", "Content-Type", "application/json")
	wantStatus(t, w, http.StatusUnsupportedMediaType)
	w = a.do(t, "POST", "/tasks", c, taskForm("title", strings.Repeat("x", 70<<10)))
	wantStatus(t, w, http.StatusRequestEntityTooLarge)
	w = a.do(t, "POST", "/tasks", c, taskForm("title", "x"), "Sec-Fetch-Site", "cross-site")
	wantStatus(t, w, http.StatusForbidden)
}
