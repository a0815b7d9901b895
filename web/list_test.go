package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"todo/todo"
)

// Handler tests for the list pages: GET /, /active, /completed, with pagination and htmx.

func TestListRoutesNeedSession(t *testing.T) {
	a := newTestApp(t)
	routes := []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/active"}, {"GET", "/completed"},
		{"POST", "/tasks"}, {"GET", "/tasks/1"}, {"GET", "/tasks/1/edit"}, {"POST", "/tasks/1"},
		{"POST", "/tasks/1/toggle"}, {"POST", "/tasks/1/delete"},
		{"POST", "/tasks/toggle-all"}, {"POST", "/tasks/clear-completed"},
	}
	for _, r := range routes {
		w := a.do(t, r.method, r.path, nil, "")
		wantSeeOther(t, w, "/sign-in")
		w = a.do(t, r.method, r.path, nil, "", hxHeaders...)
		wantStatus(t, w, http.StatusUnauthorized)
		if w.Header().Get("HX-Redirect") != "/sign-in" {
			t.Fatalf("%s %s htmx: HX-Redirect %q", r.method, r.path, w.Header().Get("HX-Redirect"))
		}
	}
}

func TestListEmptyState(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	w := a.do(t, "GET", "/", c, "")
	wantStatus(t, w, http.StatusOK)
	doc := parseDoc(t, w)
	if doc.Find("[data-testid=empty-state]:not([hidden])").Length() != 1 {
		t.Fatal("no empty state")
	}
	// The list and its controls follow the empty state, which hides them (app.css), for an add to
	// append to.
	if doc.Find("[data-task-id]").Length() != 0 || doc.Find("[data-testid=empty-state] ~ footer [data-testid=todo-count]").Length() != 1 {
		t.Fatal("an empty list is not followed by the hidden list controls")
	}
	if doc.Find("form[data-testid=new-task] input[name=title][autofocus]").Length() != 1 {
		t.Fatal("no focused new-task field")
	}
	if got := doc.Find("title").Text(); got != "All tasks · Todo" {
		t.Fatalf("title %q", got)
	}
	if squashSpace(doc.Find("[data-testid=user-name]").Text()) != "Ada" {
		t.Fatal("the header does not name the user")
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Fatal("a private page may be cached")
	}
}

func TestListFilters(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 4)
	tasks[1] = completeTask(t, a, u, tasks[1])
	tasks[3] = completeTask(t, a, u, tasks[3])

	cases := []struct {
		path, title string
		ids         []int64
	}{
		{"/", "All tasks", idsOf(tasks)},
		{"/active", "Active", []int64{tasks[0].ID, tasks[2].ID}},
		{"/completed", "Completed", []int64{tasks[1].ID, tasks[3].ID}},
	}
	for _, tc := range cases {
		w := a.do(t, "GET", tc.path, c, "")
		wantStatus(t, w, http.StatusOK)
		doc := parseDoc(t, w)
		wantIDs(t, doc, tc.ids)
		if got := doc.Find("title").Text(); got != tc.title+" · Todo" {
			t.Fatalf("%s: title %q", tc.path, got)
		}
		if href, _ := doc.Find("nav.filters a[aria-current=page]").Attr("href"); href != tc.path {
			t.Fatalf("%s: current filter %q", tc.path, href)
		}
		if got := squashSpace(doc.Find("[data-testid=todo-count]").Text()); got != "2 items left" {
			t.Fatalf("%s: counter %q", tc.path, got)
		}
		for _, k := range tasks {
			sel := doc.Find("[data-task-id='" + strconv.FormatInt(k.ID, 10) + "']")
			if sel.Length() == 0 {
				continue
			}
			if got, _ := sel.Attr("data-completed"); got != strconv.FormatBool(k.Completed) {
				t.Fatalf("%s: task %d data-completed=%q", tc.path, k.ID, got)
			}
			if !strings.Contains(sel.Text(), k.Title) {
				t.Fatalf("%s: task %d lacks its title", tc.path, k.ID)
			}
			if sel.Find("input[name=return]").Length() != 0 {
				t.Fatalf("%s: items carry their own return field", tc.path)
			}
		}
		if doc.Find("[data-testid=clear-completed]").Length() != 1 {
			t.Fatalf("%s: no Clear completed", tc.path)
		}
		if ret := doc.Find("#list-return").AttrOr("value", ""); ret != tc.path {
			t.Fatalf("%s: task actions return to %q", tc.path, ret)
		}
	}
}

// A filter that shows nothing still shows the counter (the user has tasks) and says why it is empty.
func TestListFilterWithNothingToShow(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	completeTask(t, a, u, addTasks(t, a, u, "Done", 1)[0])
	doc := parseDoc(t, a.do(t, "GET", "/active", c, ""))
	wantIDs(t, doc, nil)
	if squashSpace(doc.Find("[data-testid=todo-count]").Text()) != "0 items left" {
		t.Fatal("counter")
	}
	if _, hidden := doc.Find("[data-testid=filter-empty]").Attr("hidden"); hidden {
		t.Fatal("the empty filter says nothing")
	}
	if v, _ := doc.Find("[data-testid=toggle-all]").Attr("aria-checked"); v != "true" {
		t.Fatal("toggle-all is not checked with every task complete")
	}
}

func TestListPagination(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 250)
	other, _ := a.signedInUser(t, "Bob")
	addTasks(t, a, other, "Bob's", 30) // interleaved ids of someone else never show

	// Without JavaScript: three pages through plain links.
	next := "/"
	for page, want := range [][]todo.Task{tasks[:100], tasks[100:200], tasks[200:]} {
		w := a.do(t, "GET", next, c, "")
		wantStatus(t, w, http.StatusOK)
		doc := parseDoc(t, w)
		wantIDs(t, doc, idsOf(want))
		if got := squashSpace(doc.Find("[data-testid=todo-count]").Text()); got != "250 items left" {
			t.Fatalf("page %d: counter %q", page, got)
		}
		more := doc.Find("a[data-testid=load-more]")
		if page == 2 {
			if more.Length() != 0 {
				t.Fatal("the last page offers more")
			}
		} else {
			href, _ := more.Attr("href")
			if href != "/?after="+strconv.FormatInt(want[len(want)-1].ID, 10) {
				t.Fatalf("page %d: load-more %q", page, href)
			}
			next = href
		}
		first := doc.Find("a[data-testid=first-page]")
		if (page > 0) != (first.Length() == 1) {
			t.Fatalf("page %d: first-page link %d", page, first.Length())
		}
		if page > 0 { // actions on a later page come back to it
			ret := doc.Find("#list-return").AttrOr("value", "")
			if !strings.HasPrefix(ret, "/?after=") {
				t.Fatalf("page %d: return %q", page, ret)
			}
		}
	}

	// With htmx: "Load more" gets the next page as a fragment appended to the list.
	after := strconv.FormatInt(tasks[99].ID, 10)
	w := a.do(t, "GET", "/?after="+after, c, "", hxHeaders...)
	wantStatus(t, w, http.StatusOK)
	wantVaryHX(t, w)
	if !isFragment(w.Body.String()) {
		t.Fatal("htmx load-more got a whole page")
	}
	doc := parseDoc(t, w)
	if v, _ := doc.Find("ul[data-hx-swap-oob]").Attr("data-hx-swap-oob"); v != "beforeend:#task-list" {
		t.Fatalf("items swap %q", v)
	}
	wantIDs(t, doc, idsOf(tasks[100:200]))
	if href, _ := doc.Find("#load-more a[data-testid=load-more]").Attr("data-hx-get"); href != "/?after="+strconv.FormatInt(tasks[199].ID, 10) {
		t.Fatalf("next load-more %q", href)
	}
	if doc.Find("#list-return").Length() != 0 {
		t.Fatal("load-more replaced the page's return field")
	}

	// A history restore (htmx's cache missed) needs the whole page.
	w = a.do(t, "GET", "/?after="+after, c, "", "HX-Request", "true", "HX-History-Restore-Request", "true")
	wantStatus(t, w, http.StatusOK)
	if isFragment(w.Body.String()) {
		t.Fatal("a history restore got a fragment")
	}
}

func TestListPaginationFiltered(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	tasks := addTasks(t, a, u, "Task", 210)
	var done []todo.Task
	for i := 0; i < len(tasks); i += 2 {
		done = append(done, completeTask(t, a, u, tasks[i]))
	}
	doc := parseDoc(t, a.do(t, "GET", "/completed", c, ""))
	wantIDs(t, doc, idsOf(done[:100]))
	href, _ := doc.Find("a[data-testid=load-more]").Attr("href")
	if href != "/completed?after="+strconv.FormatInt(done[99].ID, 10) {
		t.Fatalf("load-more %q", href)
	}
	doc = parseDoc(t, a.do(t, "GET", href, c, ""))
	wantIDs(t, doc, idsOf(done[100:]))
	if doc.Find("a[data-testid=load-more]").Length() != 0 {
		t.Fatal("more after the last page")
	}
}

func TestListBadPage(t *testing.T) {
	a := newTestApp(t)
	_, c := a.signedInUser(t, "Ada")
	for _, q := range []string{"abc", "0", "-5", "99999999999999999999", "1e3"} {
		w := a.do(t, "GET", "/?after="+q, c, "")
		wantStatus(t, w, http.StatusNotFound)
	}
	wantStatus(t, a.do(t, "GET", "/?after=123456", c, ""), http.StatusOK) // past the end: an empty page
	wantStatus(t, a.do(t, "GET", "/nowhere", c, ""), http.StatusNotFound)
	wantStatus(t, a.do(t, "DELETE", "/", c, ""), http.StatusMethodNotAllowed) // POST / adds a task (no JavaScript)
}

func TestListShowsOnlyOwnTasks(t *testing.T) {
	a := newTestApp(t)
	ada, adaCookie := a.signedInUser(t, "Ada")
	bob, bobCookie := a.signedInUser(t, "Bob")
	mine := addTasks(t, a, ada, "Ada's", 3)
	addTasks(t, a, bob, "Bob's", 2)
	doc := parseDoc(t, a.do(t, "GET", "/", adaCookie, ""))
	wantIDs(t, doc, idsOf(mine))
	if strings.Contains(doc.Text(), "Bob's") {
		t.Fatal("another user's task is shown")
	}
	doc = parseDoc(t, a.do(t, "GET", "/completed", bobCookie, ""))
	wantIDs(t, doc, nil)
	if squashSpace(doc.Find("[data-testid=todo-count]").Text()) != "2 items left" {
		t.Fatal("Bob's counter counts other tasks")
	}
}

func TestListFlashShownOnce(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	k := addTasks(t, a, u, "Task", 2)[0]
	w := a.do(t, "POST", taskURL(k.ID, ""), c, taskForm("title", "Renamed", "return", "/"))
	wantSeeOther(t, w, "/")
	flash := w.Result().Cookies()
	page := func() string {
		r := a.do(t, "GET", "/", nil, "", "Cookie", listCookieHeader(c, flash))
		wantStatus(t, r, http.StatusOK)
		flash = r.Result().Cookies()
		return squashSpace(parseDoc(t, r).Find("[data-testid=flash] .toast-text").Text())
	}
	if got := page(); got != "Saved “Renamed”." {
		t.Fatalf("flash %q", got)
	}
	if got := page(); got != "" {
		t.Fatalf("flash shown twice: %q", got)
	}
}

// cookieHeader is the Cookie header a browser sends with the session and the cookies just set.
func listCookieHeader(session *http.Cookie, set []*http.Cookie) string {
	parts := []string{session.Name + "=" + session.Value}
	for _, c := range set {
		if c.MaxAge >= 0 && c.Value != "" && c.Name != session.Name {
			parts = append(parts, c.Name+"="+c.Value)
		}
	}
	return strings.Join(parts, "; ")
}
