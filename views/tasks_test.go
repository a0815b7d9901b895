package views

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
	"todo/static"
	"todo/todo"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
)

// Component tests: each component rendered to HTML and checked through the data-* hooks that tests
// outside the repository and the browser tests rely on.

func renderDoc(t *testing.T, c templ.Component) (*goquery.Document, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc, buf.String()
}

// one finds exactly one element.
func one(t *testing.T, doc *goquery.Document, selector string) *goquery.Selection {
	t.Helper()
	s := doc.Find(selector)
	if s.Length() != 1 {
		t.Fatalf("%q: found %d elements, want 1", selector, s.Length())
	}
	return s
}

func none(t *testing.T, doc *goquery.Document, selector string) {
	t.Helper()
	if n := doc.Find(selector).Length(); n != 0 {
		t.Fatalf("%q: found %d elements, want none", selector, n)
	}
}

func attr(t *testing.T, s *goquery.Selection, name, want string) {
	t.Helper()
	got, ok := s.Attr(name)
	if !ok || got != want {
		t.Fatalf("%s=%q (present %v), want %q", name, got, ok, want)
	}
}

func text(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

var (
	milk = todo.Task{ID: 7, Title: "Buy milk", Description: "Oat, 2 litres\nfrom the corner shop"}
	dog  = todo.Task{ID: 9, Title: "Walk the dog", Completed: true}
)

func TestTaskItemHooks(t *testing.T) {
	doc, html := renderDoc(t, TaskItem(milk))
	li := one(t, doc, "[data-task-id]")
	if goquery.NodeName(li) != "li" {
		t.Fatalf("the task element is a <%s>", goquery.NodeName(li))
	}
	attr(t, li, "data-task-id", "7")
	attr(t, li, "data-completed", "false")
	if !strings.Contains(li.Text(), "Buy milk") {
		t.Fatalf("task element text %q lacks the title", li.Text())
	}
	if got := text(one(t, doc, ".task-description")); got != "Oat, 2 litres from the corner shop" {
		t.Fatalf("description %q", got)
	}

	// One plain form: the toggle submits it, Delete submits it elsewhere, Edit is a link.
	form := one(t, doc, "li > form")
	attr(t, form, "method", "post")
	attr(t, form, "action", "/tasks/7/toggle")
	toggle := one(t, doc, "form > button.check:first-child")
	attr(t, toggle, "role", "checkbox")
	attr(t, toggle, "aria-checked", "false")
	if typ, ok := toggle.Attr("type"); ok && typ != "submit" {
		t.Fatalf("the toggle is a type=%q button", typ)
	}
	labelID, _ := toggle.Attr("aria-labelledby")
	if text(one(t, doc, "#"+labelID)) != "Buy milk" {
		t.Fatal("the toggle is not labelled by the title")
	}
	del := one(t, doc, "form > button.delete")
	attr(t, del, "formaction", "/tasks/7/delete")
	attr(t, del, "aria-label", "Delete")
	attr(t, del, "aria-describedby", labelID)
	edit := one(t, doc, "a.edit")
	attr(t, edit, "href", "/tasks/7/edit")
	attr(t, edit, "aria-describedby", labelID)
	if text(edit) != "Edit" {
		t.Fatalf("edit link text %q", text(edit))
	}

	// Nothing htmx on the item: the list boosts it and sets where its answers go.
	if strings.Contains(html, "hx-") {
		t.Fatalf("the item repeats htmx attributes the list gives it: %s", html)
	}
	// Item markup stays small: a list page carries a hundred of them.
	if len(html) > 640 {
		t.Fatalf("one task renders to %d bytes: %s", len(html), html)
	}
}

// The list sets, once for all its items, what their htmx requests replace and where they return.
func TestTaskListInheritedAttributes(t *testing.T) {
	v := listOf(todo.Active, todo.Counts{Active: 1}, milk)
	v.Return = "/active?after=3"
	doc, _ := renderDoc(t, TodoApp(v))
	ul := one(t, doc, "ul#task-list")
	attr(t, ul, "data-hx-boost", "true")
	attr(t, ul, "data-hx-push-url", "false")
	attr(t, ul, "data-hx-target", "closest li")
	attr(t, ul, "data-hx-swap", "outerHTML")
	attr(t, ul, "data-hx-sync", "closest li:drop")
	attr(t, ul, "data-hx-indicator", "closest li")
	attr(t, ul, "data-hx-include", "#list-return")
	ret := one(t, doc, "#list-return")
	attr(t, ret, "name", "return")
	attr(t, ret, "value", "/active?after=3")
}

func TestTaskItemCompleted(t *testing.T) {
	doc, _ := renderDoc(t, TaskItem(dog))
	attr(t, one(t, doc, "[data-task-id]"), "data-completed", "true")
	attr(t, one(t, doc, "button.check"), "aria-checked", "true")
	none(t, doc, ".task-description")
}

func TestTaskItemEscapesText(t *testing.T) {
	evil := todo.Task{ID: 1, Title: `<script>alert(1)</script>`, Description: `<img src=x onerror=alert(1)> "&amp;"`}
	doc, html := renderDoc(t, TaskItem(evil))
	none(t, doc, "script, img")
	if !strings.Contains(html, "&lt;script&gt;") {
		t.Fatal("the title is not escaped")
	}
	if text(one(t, doc, "[data-testid=task-title]")) != evil.Title {
		t.Fatal("the escaped title does not read back as typed")
	}
	if one(t, doc, ".task-description").Text() != evil.Description {
		t.Fatal("the escaped description does not read back as typed")
	}
}

func BenchmarkTaskItem(b *testing.B) {
	k := todo.Task{ID: 123456, Title: "Call the plumber about the kitchen tap", Description: "Ask about the boiler too — it is due in May."}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		TaskItem(k).Render(context.Background(), &buf)
	}
}

func TestTaskEditItem(t *testing.T) {
	e := NewEditForm(milk, "/completed")
	e.Title, e.Field, e.Error = "   ", "title", "Title can't be blank."
	doc, _ := renderDoc(t, TaskEditItem(e))
	li := one(t, doc, "[data-task-id]")
	attr(t, li, "data-task-id", "7")
	attr(t, li, "data-completed", "false")
	if !strings.Contains(li.Text(), "Buy milk") {
		t.Fatal("while editing, the task element must still contain the stored title")
	}
	input := one(t, doc, "input[data-testid=edit-title]")
	attr(t, input, "name", "title")
	attr(t, input, "value", "   ")
	attr(t, input, "aria-invalid", "true")
	if _, ok := input.Attr("autofocus"); !ok {
		t.Fatal("the edit field does not take the focus")
	}
	id, _ := input.Attr("id")
	one(t, doc, "label[for="+id+"]")
	attr(t, one(t, doc, "textarea[data-testid=edit-description]"), "name", "description")
	errMsg := one(t, doc, "[data-testid=edit-error]")
	attr(t, errMsg, "role", "alert")
	if text(errMsg) != "Title can't be blank." {
		t.Fatalf("error %q", text(errMsg))
	}
	form := one(t, doc, "form[data-inline-edit]")
	attr(t, form, "action", "/tasks/7")
	attr(t, form, "data-hx-post", "/tasks/7")
	cancel := one(t, doc, "a[data-testid=cancel]")
	attr(t, cancel, "href", "/completed")
	attr(t, cancel, "data-hx-get", "/tasks/7")
	one(t, doc, "button[type=submit][data-testid=save]")
}

func TestEditPage(t *testing.T) {
	doc, _ := renderDoc(t, EditPage(Chrome{Title: "Edit", UserName: "Ada"}, NewEditForm(milk, "/")))
	form := one(t, doc, "form[data-testid=edit-form]")
	attr(t, form, "method", "post")
	attr(t, form, "action", "/tasks/7")
	if _, ok := form.Attr("data-hx-post"); ok {
		t.Fatal("the edit page's form must be a plain form")
	}
	none(t, doc, "[data-inline-edit]")
	attr(t, one(t, doc, "[data-testid=edit-title]"), "value", "Buy milk")
	if text(one(t, doc, "[data-testid=edit-description]")) != "Oat, 2 litres from the corner shop" {
		t.Fatal("description not filled in")
	}
	attr(t, one(t, doc, "[data-testid=cancel]"), "href", "/")
	attr(t, one(t, doc, "form input[name=return]"), "value", "/")
	one(t, doc, "[data-task-id='7']")
}

func TestNewTaskForm(t *testing.T) {
	doc, _ := renderDoc(t, NewTaskForm(TaskForm{Return: "/active", Nonce: "abc"}))
	form := one(t, doc, "form[data-testid=new-task]")
	attr(t, form, "method", "post")
	attr(t, form, "action", "/active")
	attr(t, form, "data-hx-post", "/tasks")
	attr(t, form, "data-hx-sync", "this:drop")
	attr(t, form, "data-hx-disabled-elt", "find button")
	input := one(t, doc, "form[data-testid=new-task] input[name=title]")
	attr(t, input, "placeholder", "What needs to be done?")
	attr(t, input, "value", "")
	if _, ok := input.Attr("autofocus"); !ok {
		t.Fatal("the new-task field does not take the focus")
	}
	id, _ := input.Attr("id")
	if text(one(t, doc, "label[for="+id+"]")) != "What needs to be done?" {
		t.Fatal("the new-task field has no label")
	}
	attr(t, one(t, doc, "input[name=return]"), "value", "/active")
	attr(t, one(t, doc, "input[name=nonce]"), "value", "abc")
	one(t, doc, "form textarea[name=description]")
	none(t, doc, "details[open]")
	none(t, doc, "[data-testid=new-task-error]")
	one(t, doc, "form button[type=submit][data-testid=add] .htmx-indicator")
}

func TestNewTaskFormRefused(t *testing.T) {
	f := TaskForm{Title: "x", Description: "typed words", Field: "description", Error: "Description is too long."}
	doc, _ := renderDoc(t, NewTaskForm(f))
	attr(t, one(t, doc, "input[name=title]"), "value", "x")
	if text(one(t, doc, "textarea[name=description]")) != "typed words" {
		t.Fatal("the typed description is lost")
	}
	one(t, doc, "details[open]")
	attr(t, one(t, doc, "textarea[name=description]"), "aria-invalid", "true")
	msg := one(t, doc, "[data-testid=new-task-error]")
	attr(t, msg, "role", "alert")
	if text(msg) != "Description is too long." {
		t.Fatal("message missing")
	}
}

func listOf(f todo.Filter, counts todo.Counts, tasks ...todo.Task) ListView {
	return ListView{List: todo.List{Filter: f}, Tasks: tasks, Counts: counts, Return: f.Path()}
}

func TestTodoAppEmptyState(t *testing.T) {
	doc, _ := renderDoc(t, TodoApp(listOf(todo.All, todo.Counts{})))
	// The empty state shows; the list and its controls wait after it, for an add to append to
	// (app.css hides what follows a visible empty state).
	one(t, doc, "#todo-app > [data-testid=empty-state]:not([hidden]) ~ ul#task-list")
	none(t, doc, "[data-task-id]")
	one(t, doc, "#todo-app > [data-testid=empty-state]:not([hidden]) ~ footer [data-testid=todo-count]")
}

func TestTodoAppList(t *testing.T) {
	doc, _ := renderDoc(t, TodoApp(listOf(todo.All, todo.Counts{Active: 1, Completed: 1}, milk, dog)))
	attr(t, one(t, doc, "[data-testid=empty-state]"), "hidden", "")
	if n := doc.Find("#task-list > li[data-task-id]").Length(); n != 2 {
		t.Fatalf("%d tasks in the list, want 2", n)
	}
	count := one(t, doc, "[data-testid=todo-count]")
	attr(t, count, "aria-live", "polite")
	if text(count) != "1 item left" || text(count.Find("strong")) != "1" {
		t.Fatalf("counter %q", text(count))
	}
	toggleAll := one(t, doc, "[data-testid=toggle-all]")
	attr(t, toggleAll, "aria-checked", "false")
	attr(t, toggleAll.Closest("form"), "action", "/tasks/toggle-all")
	attr(t, toggleAll.Closest("form"), "data-hx-target", "#todo-app")
	clear := one(t, doc, "button[data-testid=clear-completed]")
	attr(t, clear.Closest("form"), "action", "/tasks/clear-completed")
	attr(t, one(t, doc, "[data-testid=filter-empty]"), "hidden", "")
	none(t, doc, "[data-testid=load-more], [data-testid=first-page], [name=more]")
}

func TestCounterPlural(t *testing.T) {
	for n, want := range map[int]string{0: "0 items left", 1: "1 item left", 2: "2 items left", 101: "101 items left"} {
		doc, _ := renderDoc(t, TodoApp(listOf(todo.All, todo.Counts{Active: n, Completed: 1})))
		if got := text(one(t, doc, "[data-testid=todo-count]")); got != want {
			t.Errorf("%d active: %q, want %q", n, got, want)
		}
	}
}

func TestToggleAllCheckedWhenAllDone(t *testing.T) {
	doc, _ := renderDoc(t, TodoApp(listOf(todo.All, todo.Counts{Completed: 1}, dog)))
	attr(t, one(t, doc, "[data-testid=toggle-all]"), "aria-checked", "true")
	doc, _ = renderDoc(t, TodoApp(listOf(todo.All, todo.Counts{Active: 1}, milk)))
	none(t, doc, "[data-testid=clear-completed]")
	one(t, doc, "#clear-completed") // the slot stays for out-of-band updates
}

func TestFilters(t *testing.T) {
	for _, f := range []todo.Filter{todo.All, todo.Active, todo.Completed} {
		doc, _ := renderDoc(t, TodoApp(listOf(f, todo.Counts{Active: 1, Completed: 1})))
		current := one(t, doc, "nav.filters a[aria-current=page]")
		attr(t, current, "href", f.Path())
		if n := doc.Find("nav.filters a").Length(); n != 3 {
			t.Fatalf("%d filter links", n)
		}
		for _, id := range []string{"filter-all", "filter-active", "filter-completed"} {
			one(t, doc, "a[data-testid="+id+"]")
		}
	}
}

func TestFilterEmpty(t *testing.T) {
	doc, _ := renderDoc(t, TodoApp(listOf(todo.Active, todo.Counts{Completed: 3})))
	note := one(t, doc, "[data-testid=filter-empty]")
	if _, hidden := note.Attr("hidden"); hidden || !strings.Contains(text(note), "Nothing left to do") {
		t.Fatalf("active filter with nothing active: %q", text(note))
	}
	one(t, doc, "[data-testid=todo-count]") // the footer stays while the user has tasks
	doc, _ = renderDoc(t, TodoApp(listOf(todo.Completed, todo.Counts{Active: 3})))
	if !strings.Contains(text(one(t, doc, "[data-testid=filter-empty]")), "No completed tasks") {
		t.Fatal("completed filter note")
	}
}

func TestLoadMore(t *testing.T) {
	v := listOf(todo.Active, todo.Counts{Active: 250}, milk)
	v.Next = todo.Keyset{ID: 7}
	doc, _ := renderDoc(t, TodoApp(v))
	more := one(t, doc, "a[data-testid=load-more]")
	attr(t, more, "href", "/active?after=7")
	attr(t, more, "data-hx-get", "/active?after=7")
	attr(t, one(t, doc, "#load-more"), "data-hx-swap", "outerHTML")
	one(t, doc, "#load-more input[name=more]")
	none(t, doc, "[data-testid=first-page]")

	v.List.After, v.Next = 7, todo.Keyset{}
	doc, _ = renderDoc(t, TodoApp(v))
	none(t, doc, "[data-testid=load-more], [name=more]")
	attr(t, one(t, doc, "a[data-testid=first-page]"), "href", "/active")
}

func TestMoreTasks(t *testing.T) {
	v := listOf(todo.All, todo.Counts{Active: 1, Completed: 1}, milk, dog)
	v.List.After, v.Next = 5, todo.Keyset{ID: 9}
	doc, _ := renderDoc(t, MoreTasks(v))
	attr(t, one(t, doc, "ul[data-hx-swap-oob]"), "data-hx-swap-oob", "beforeend:#task-list")
	if n := doc.Find("ul[data-hx-swap-oob] > li[data-task-id]").Length(); n != 2 {
		t.Fatalf("%d tasks appended", n)
	}
	attr(t, one(t, doc, "[data-testid=load-more]"), "href", "/?after=9")
	none(t, doc, "[data-testid=first-page]") // appended in place: there is no other page to go back to
	one(t, doc, "#todo-count[data-hx-swap-oob=innerHTML]")
}

func TestListUpdatesAreOutOfBand(t *testing.T) {
	doc, _ := renderDoc(t, ListUpdates(listOf(todo.All, todo.Counts{Active: 2, Completed: 1})))
	for _, id := range []string{"toggle-all", "filter-empty", "clear-completed"} {
		attr(t, one(t, doc, "#"+id), "data-hx-swap-oob", "true")
	}
	count := one(t, doc, "#todo-count")
	attr(t, count, "data-hx-swap-oob", "innerHTML")
	if text(count) != "2 items left" {
		t.Fatalf("counter %q", text(count))
	}
	one(t, doc, "#clear-completed [data-testid=clear-completed]")
	none(t, doc, "[data-task-id]")
}

func TestAppendTask(t *testing.T) {
	doc, _ := renderDoc(t, AppendTask(milk))
	attr(t, one(t, doc, "ul"), "data-hx-swap-oob", "beforeend:#task-list:not(:has(> li[data-task-id='7']))")
	one(t, doc, "ul > li[data-task-id='7']")
}

func TestListPage(t *testing.T) {
	c := Chrome{Title: "Active", UserName: "Ada <Lovelace>", Flashes: []string{"Task deleted."}}
	v := listOf(todo.Active, todo.Counts{Active: 1}, milk)
	doc, html := renderDoc(t, ListPage(c, v, TaskForm{Return: "/active"}))
	if got := doc.Find("title").Text(); got != "Active · Todo" {
		t.Fatalf("title %q", got)
	}
	if text(one(t, doc, "h1")) != "Active" {
		t.Fatal("heading")
	}
	if text(one(t, doc, "[data-testid=user-name]")) != "Ada <Lovelace>" {
		t.Fatal("user name")
	}
	attr(t, one(t, doc, "form:has([data-testid=sign-out])"), "action", "/sign-out")
	attr(t, one(t, doc, "form:has([data-testid=sign-out])"), "method", "post")
	if text(one(t, doc, "#flashes [data-testid=flash] .toast-text")) != "Task deleted." {
		t.Fatal("flash")
	}
	attr(t, one(t, doc, "#flashes"), "aria-live", "polite")
	one(t, doc, "#new-task input[name=title]")
	one(t, doc, "#todo-app [data-task-id='7']")
	// No inline script or style anywhere (CSP); scripts are deferred files.
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if src, _ := s.Attr("src"); src == "" || strings.TrimSpace(s.Text()) != "" {
			t.Fatalf("inline script: %s", html)
		}
		if _, ok := s.Attr("defer"); !ok {
			t.Fatal("a script without defer")
		}
	})
	none(t, doc, "style, [style], [onclick], [hx-on], [hx-vals], [data-hx-on], [data-hx-vals]")
	one(t, doc, "script[src='"+static.URL("app.js")+"']")
	one(t, doc, "script[src='"+static.URL("htmx.min.js")+"']")
	one(t, doc, "link[rel=stylesheet][href='"+static.URL("app.css")+"']")
}

// htmx 2 does not swap 4xx answers by default; the config must swap 422 like a success so that
// validation messages replace the form.
func TestHTMXConfigSwaps422(t *testing.T) {
	doc, _ := renderDoc(t, Page(Chrome{Title: "x"}))
	raw, _ := one(t, doc, "meta[name=htmx-config]").Attr("content")
	var cfg struct {
		AllowEval        bool `json:"allowEval"`
		ResponseHandling []struct {
			Code  string `json:"code"`
			Swap  bool   `json:"swap"`
			Error bool   `json:"error"`
		} `json:"responseHandling"`
	}
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.AllowEval {
		t.Fatal("allowEval must be off (CSP)")
	}
	for _, h := range cfg.ResponseHandling { // the first matching rule wins; htmx tests code unanchored
		if regexp.MustCompile(h.Code).MatchString("422") {
			if !h.Swap || h.Error {
				t.Fatalf("422 is handled by %+v", h)
			}
			return
		}
	}
	t.Fatal("no rule for 422")
}

func TestFlashesOOB(t *testing.T) {
	doc, _ := renderDoc(t, FlashesOOB("Deleted 2 completed tasks."))
	f := one(t, doc, "#flashes")
	attr(t, f, "data-hx-swap-oob", "innerHTML")
	if text(f.Find("[data-testid=flash] .toast-text")) != "Deleted 2 completed tasks." {
		t.Fatal("message")
	}
	doc, _ = renderDoc(t, FlashesOOB())
	if one(t, doc, "#flashes").Children().Length() != 0 {
		t.Fatal("no message must clear the area")
	}
}

// BenchmarkListPage renders the page make bench's list scenario asks for: 50 tasks with text to
// escape, a description on every third, a quarter completed.
func BenchmarkListPage(b *testing.B) {
	v := ListView{List: todo.List{Filter: todo.All}, Counts: todo.Counts{Active: 38, Completed: 12}, Return: "/", Matches: -1}
	for g := 1; g <= 50; g++ {
		k := todo.Task{ID: int64(1000 + g), Title: fmt.Sprintf(`Task %d: pick up the "groceries" & <odds and ends> for the weekend`, g), Completed: g%4 == 0}
		if g%3 == 0 {
			k.Description = "Milk, eggs & bread — ask <Sam> about the list"
		}
		v.Tasks = append(v.Tasks, k)
	}
	c := Chrome{Title: "All tasks", UserName: "Bench User"}
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := ListPage(c, v, TaskForm{Return: "/", Nonce: "0123456789abcdef"}).Render(context.Background(), &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// A task's kept markup is written again only while the task is unchanged: any change of a field
// draws it anew.
func TestTaskItemsRedrawAChangedTask(t *testing.T) {
	k := todo.Task{ID: 987654, Title: "Water the ferns", CreatedAt: time.Unix(1000, 0), UpdatedAt: time.Unix(1000, 0)}
	render := func(k todo.Task) string {
		t.Helper()
		var buf bytes.Buffer
		if err := TaskItems([]todo.Task{k}).Render(context.Background(), &buf); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	first := render(k)
	if again := render(k); again != first {
		t.Fatalf("the same task drew differently:\n%s\n%s", first, again)
	}
	due, _ := todo.ParseDate("2030-01-02")
	for name, change := range map[string]func(*todo.Task){
		"title":       func(k *todo.Task) { k.Title = "Water the palms" },
		"description": func(k *todo.Task) { k.Description = "Twice a week" },
		"completed":   func(k *todo.Task) { k.Completed = true },
		"due date":    func(k *todo.Task) { k.DueDate = due },
		"priority":    func(k *todo.Task) { k.Priority = todo.PriorityHigh },
		"tags":        func(k *todo.Task) { k.Tags = []string{"garden"} },
	} {
		changed := k
		change(&changed)
		var fresh bytes.Buffer
		if err := taskItem(changed).Render(context.Background(), &fresh); err != nil {
			t.Fatal(err)
		}
		if got := render(changed); got != fresh.String() || got == first {
			t.Errorf("after a change of its %s the task drew as\n%s\nwant\n%s", name, got, fresh.String())
		}
		render(k)
	}
}
