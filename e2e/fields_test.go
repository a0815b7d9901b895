package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// Due dates, priorities and tags; search, the tag and overdue filters and the sorts; the export. In
// Chromium, each with JavaScript (htmx) and without it (plain forms and links, post/redirect/get).

// day is the calendar date n days from today, as the app reckons today: the suite's app runs without
// TIME_ZONE, so its today is UTC's (todo.Location).
func day(n int) string { return time.Now().UTC().AddDate(0, 0, n).Format(time.DateOnly) }

// dateWords is how a task shows a due date n days away that is not yesterday, today or tomorrow (nor
// overdue): "Fri 12 Dec", with the year when it is not this year's.
func dateWords(n int) string {
	now := time.Now().UTC()
	d := now.AddDate(0, 0, n)
	if d.Year() != now.Year() {
		return d.Format("Mon 2 Jan 2006")
	}
	return d.Format("Mon 2 Jan")
}

// createTaskWith adds a task with a due date ("" for none), a priority and tags (as typed in the
// form) through the plain form post: set-up for the tests that read lists rather than fill forms.
func (u *user) createTaskWith(t testing.TB, title, due, priority, tags string) {
	t.Helper()
	r := u.send(t, http.MethodPost, "/tasks", map[string]any{"title": title, "due_date": due, "priority": priority, "tags": tags}, false)
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST /tasks %q as %s: status %d, want 303\n%s", title, u.email, r.status, r.body)
	}
}

// titles are the titles of the tasks on p, in page order (with ToHaveText and a list: exactly
// these, in this order).
func titles(p playwright.Page) playwright.Locator {
	return p.Locator("#task-list [data-testid=task-title]")
}

// fieldInputs are the due date, priority and tags fields of a form (the add form or an edit form),
// found by their labels, as a person finds them.
type fieldInputs struct{ due, priority, tags playwright.Locator }

func fieldsOf(form playwright.Locator) fieldInputs {
	return fieldInputs{due: form.GetByLabel("Due date"), priority: form.GetByLabel("Priority"), tags: form.GetByLabel("Tags")}
}

// set types a date into the native date input, picks the priority by its label and types the tags.
func (f fieldInputs) set(t testing.TB, due, priority, tags string) {
	t.Helper()
	must(t, f.due.Fill(due), "due date %q", due)
	_, err := f.priority.SelectOption(playwright.SelectOptionValues{Labels: &[]string{priority}})
	must(t, err, "priority %q", priority)
	must(t, f.tags.Fill(tags), "tags %q", tags)
}

// holds checks what the fields hold (the priority by its value).
func (f fieldInputs) holds(t testing.TB, due, priority, tags, what string) {
	t.Helper()
	must(t, expect.Locator(f.due).ToHaveValue(due), "%s: the due date field", what)
	must(t, expect.Locator(f.priority).ToHaveValue(priority), "%s: the priority field", what)
	must(t, expect.Locator(f.tags).ToHaveValue(tags), "%s: the tags field", what)
}

// fields is what a task shows of its due date, priority and tags.
type fields struct {
	due, words      string // data-due-date, and the date in words beside the title ("" for none)
	priority, label string // data-priority, and the priority as text ("" when none is shown)
	tags            []string
}

// expectFields checks the task's markup hooks and what it shows: the date in words (its datetime
// the date), the priority as text, each tag as a "#tag" link to the tag's list.
func expectFields(t testing.TB, row playwright.Locator, want fields, what string) {
	t.Helper()
	must(t, expect.Locator(row).ToHaveAttribute("data-due-date", want.due), "%s: data-due-date", what)
	must(t, expect.Locator(row).ToHaveAttribute("data-priority", want.priority), "%s: data-priority", what)
	must(t, expect.Locator(row).ToHaveAttribute("data-tags", strings.Join(want.tags, " ")), "%s: data-tags", what)
	due, priority, tags := row.GetByTestId("task-due"), row.GetByTestId("task-priority"), row.GetByTestId("task-tag")
	if want.words == "" {
		must(t, expect.Locator(due).ToHaveCount(0), "%s: no due date shown", what)
	} else {
		must(t, expect.Locator(due).ToHaveText(want.words), "%s: the due date in words", what)
		must(t, expect.Locator(due).ToHaveAttribute("datetime", want.due), "%s: the due date's datetime", what)
	}
	if want.label == "" {
		must(t, expect.Locator(priority).ToHaveCount(0), "%s: no priority shown", what)
	} else {
		must(t, expect.Locator(priority).ToHaveText(want.label), "%s: the priority as text", what)
	}
	if len(want.tags) == 0 {
		must(t, expect.Locator(tags).ToHaveCount(0), "%s: no tag shown", what)
		return
	}
	var shown []string
	for _, tag := range want.tags {
		shown = append(shown, "#"+tag)
	}
	must(t, expect.Locator(tags).ToHaveText(shown), "%s: the tags", what)
	must(t, expect.Locator(tags.First()).ToHaveAttribute("href", "/?tag="+want.tags[0]), "%s: a tag links to its list", what)
}

// expectParams waits until p's address has each name=value pair in its query (and maybe more).
func expectParams(t testing.TB, p playwright.Page, what string, pairs ...string) {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		re := regexp.MustCompile(`[?&]` + regexp.QuoteMeta(pairs[i]+"="+url.QueryEscape(pairs[i+1])) + `(&|#|$)`)
		must(t, expect.Page(p).ToHaveURL(re), "%s: %s=%s in the address", what, pairs[i], pairs[i+1])
	}
}

// matchText is the match count's words for n tasks.
func matchText(n int) string {
	if n == 1 {
		return "1 task matches"
	}
	return fmt.Sprintf("%d tasks match", n)
}

func jsName(js bool) string { return fmt.Sprintf("javascript=%v", js) }

func jsOption(js bool) playwright.BrowserNewContextOptions {
	return playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(js)}
}

// Adding a task with a due date, a priority and tags from behind the form's "More"; refusals next
// to the field at fault that store nothing (a tag with a character tags may not hold, eleven tags);
// editing the three (inline with JavaScript, on the edit page without), a refused edit that changes
// nothing, and clearing them.
func TestFieldsAddEditAndClear(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(jsName(js), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Field Adder", jsOption(js))
			p := u.page
			form := p.GetByTestId("new-task")
			in := fieldsOf(form)
			more := func() {
				t.Helper()
				must(t, expect.Locator(in.due).ToBeHidden(), "the due date waits behind More")
				must(t, form.Locator("summary", playwright.LocatorLocatorOptions{HasText: "More"}).Click(), "open More")
				must(t, expect.Locator(in.due).ToBeVisible(), "More shows the due date")
			}
			addError := form.GetByTestId("new-error")

			// A tag that is no tag: refused next to the tags field, with everything typed kept.
			more()
			must(t, newTitle(p).Fill("Renew passport"), "title")
			in.set(t, day(1), "High", "Travel, #Admin bad!tag")
			must(t, p.GetByTestId("add").Click(), "Add")
			must(t, expect.Locator(addError).ToContainText("“bad!tag” may hold only letters"), "the refusal says which tag and why")
			must(t, expect.Locator(in.tags).ToHaveAttribute("aria-invalid", "true"), "the tags field is marked")
			must(t, expect.Locator(in.tags).ToHaveAccessibleDescription(regexp.MustCompile("may hold only letters")), "the message describes the tags field")
			must(t, expect.Locator(newTitle(p)).ToHaveValue("Renew passport"), "the title is kept")
			in.holds(t, day(1), "high", "Travel, #Admin bad!tag", "after the refusal")
			must(t, expect.Locator(tasks(p)).ToHaveCount(0), "nothing added")

			// Put right, it is added: the tags trimmed, lowercased, without "#", once each.
			must(t, in.tags.Fill("Travel, #Admin  urgent,travel"), "tags put right")
			must(t, p.GetByTestId("add").Click(), "Add")
			passport := task(p, "Renew passport")
			must(t, expect.Locator(passport).ToHaveCount(1), "added")
			must(t, expect.Locator(addError).ToHaveCount(0), "the message is gone")
			expectFields(t, passport, fields{day(1), "Tomorrow", "high", "High", []string{"travel", "admin", "urgent"}}, "added")

			// Eleven tags: refused, nothing stored; two are taken.
			more()
			must(t, newTitle(p).Fill("File the tax return"), "title")
			in.set(t, day(-3), "Medium", "a b c d e f g h i j k")
			must(t, newTitle(p).Press("Enter"), "Enter adds")
			must(t, expect.Locator(addError).ToHaveText("Too many tags: 11, at most 10."), "eleven tags refused")
			must(t, expect.Locator(in.tags).ToHaveAccessibleDescription(regexp.MustCompile(`Too many tags: 11, at most 10\.$`)), "the message describes the tags field")
			must(t, expect.Locator(tasks(p)).ToHaveCount(1), "nothing added")
			must(t, in.tags.Fill("tax, money"), "two tags")
			must(t, newTitle(p).Press("Enter"), "Enter adds")
			tax := task(p, "File the tax return")
			must(t, expect.Locator(tax).ToHaveCount(1), "added")
			expectFields(t, tax, fields{day(-3), "3 days overdue", "medium", "Medium", []string{"tax", "money"}}, "added overdue")
			must(t, expect.Locator(tax.GetByTestId("task-due")).ToHaveClass(regexp.MustCompile(`\bdue-late\b`)), "an overdue date is marked")

			// A plain task shows none of the three.
			must(t, newTitle(p).Fill("Call the bank"), "title")
			must(t, newTitle(p).Press("Enter"), "add")
			bank := task(p, "Call the bank")
			must(t, expect.Locator(bank).ToHaveCount(1), "added")
			expectFields(t, bank, fields{priority: "none"}, "no fields")

			goTo(t, p, "/")
			must(t, expect.Locator(tasks(p)).ToHaveCount(3), "three tasks stored, none of the refused")
			expectFields(t, passport, fields{day(1), "Tomorrow", "high", "High", []string{"travel", "admin", "urgent"}}, "stored")
			expectFields(t, tax, fields{day(-3), "3 days overdue", "medium", "Medium", []string{"tax", "money"}}, "stored")

			// Editing: inline with JavaScript (double-click, as in TodoMVC), on a page without.
			id, err := passport.GetAttribute("data-task-id")
			must(t, err, "the task's id")
			var edit fieldInputs
			editForm := p.GetByTestId("edit-form")
			startEdit := func() {
				t.Helper()
				if js {
					startEditing(t, p, "Renew passport")
				} else {
					must(t, passport.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Edit"}).Click(), "the Edit link")
					must(t, expect.Page(p).ToHaveURL(shared.URL()+"/tasks/"+id+"/edit"), "the edit page")
				}
				edit = fieldsOf(editForm)
			}
			save := func() {
				t.Helper()
				must(t, editForm.GetByTestId("save").Click(), "Save")
				must(t, expect.Locator(editForm).ToHaveCount(0), "saved: no longer editing")
				must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "on the list")
			}

			// A refused edit says so beside the field and changes nothing.
			startEdit()
			edit.holds(t, day(1), "high", "travel admin urgent", "the edit form")
			must(t, edit.tags.Fill("travel what?"), "a tag that is no tag")
			must(t, editForm.GetByTestId("save").Click(), "Save")
			editError := editForm.GetByTestId("edit-" + id + "-error")
			must(t, expect.Locator(editError).ToContainText("“what?” may hold only letters"), "refused with a message")
			must(t, expect.Locator(edit.tags).ToHaveAccessibleDescription(regexp.MustCompile("“what\\?” may hold only letters")), "the message describes the tags field")
			must(t, expect.Locator(edit.tags).ToHaveValue("travel what?"), "what was typed is kept")
			must(t, editForm.GetByTestId("cancel").Click(), "Cancel")
			must(t, expect.Locator(editForm).ToHaveCount(0), "cancelled")
			expectFields(t, passport, fields{day(1), "Tomorrow", "high", "High", []string{"travel", "admin", "urgent"}}, "after a refused edit")

			// Changed.
			startEdit()
			edit.set(t, day(0), "Low", "#Home")
			save()
			expectFields(t, passport, fields{day(0), "Today", "low", "Low", []string{"home"}}, "edited")

			// Cleared: no date, no priority, no tags.
			startEdit()
			edit.holds(t, day(0), "low", "home", "the edit form after the edit")
			edit.set(t, "", "No priority", "")
			save()
			expectFields(t, passport, fields{priority: "none"}, "cleared")
			goTo(t, p, "/")
			expectFields(t, passport, fields{priority: "none"}, "cleared, stored")
			expectFields(t, tax, fields{day(-3), "3 days overdue", "medium", "Medium", []string{"tax", "money"}}, "the other task untouched")
		})
	}
}

// searchTasks are a search test's tasks: two about the passport (one titled with a capital), two
// about the garden, and one whose description alone matches "oat".
func searchTasks(t testing.TB, u *user) {
	t.Helper()
	u.createTask(t, "Renew passport", "before the trip to Oslo")
	u.createTask(t, "Weed the garden", "")
	u.createTask(t, "Passport photos", "")
	u.createTask(t, "Buy milk", "oat, not dairy")
	u.createTask(t, "Garden hose", "the long one")
	reload(t, u.page)
}

// Search with JavaScript: typing updates the results as one types, one request per pause (debounced),
// the address follows (q=…), the page says how many match, and Back and Forward go through the
// searches. Leaving the search field asks nothing more (the history holds each search once).
func TestFieldsSearchAsYouType(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Searcher")
	p := u.page
	searchTasks(t, u)
	all := []string{"Renew passport", "Weed the garden", "Passport photos", "Buy milk", "Garden hose"}
	must(t, expect.Locator(titles(p)).ToHaveText(all), "every task")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveCount(0), "no count without a search")

	var searches atomic.Int32
	p.OnRequest(func(r playwright.Request) {
		if addr, err := url.Parse(r.URL()); err == nil && addr.Path == "/" && addr.Query().Has("q") && r.Headers()["hx-request"] == "true" {
			searches.Add(1)
		}
	})
	search := p.GetByTestId("search")
	must(t, search.PressSequentially("passport", playwright.LocatorPressSequentiallyOptions{Delay: playwright.Float(40)}), "type a search")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Renew passport", "Passport photos"}), "the results, without pressing Enter")
	expectParams(t, p, "the address says what was searched", "q", "passport")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText("2 tasks match"), "how many match")
	must(t, expect.Locator(todoCount(p)).ToHaveText("5 items left"), "the counter still counts every active task")
	if n := searches.Load(); n < 1 || n > 3 {
		t.Fatalf("typing 8 characters sent %d searches, want one per pause (debounced)", n)
	}

	// Another search, then leaving the field: nothing more is asked (it would be a second history
	// entry for the same search, and Back would seem to do nothing).
	must(t, search.Fill("GARDEN"), "search again")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Weed the garden", "Garden hose"}), "case-insensitive results")
	expectParams(t, p, "the address follows", "q", "GARDEN")
	before := searches.Load()
	must(t, p.GetByTestId("page-title").Click(), "leave the search field")
	time.Sleep(700 * time.Millisecond) // longer than the debounce: a search caused by leaving would have been sent
	if n := searches.Load(); n != before {
		t.Fatalf("leaving the search field sent %d more searches", n-before)
	}

	_, err := p.GoBack()
	must(t, err, "Back")
	expectParams(t, p, "Back: the previous search's address", "q", "passport")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Renew passport", "Passport photos"}), "Back: the previous results")
	must(t, expect.Locator(search).ToHaveValue("passport"), "Back: the search field says what they are")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText("2 tasks match"), "Back: the count")
	_, err = p.GoForward()
	must(t, err, "Forward")
	expectParams(t, p, "Forward: the later search", "q", "GARDEN")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Weed the garden", "Garden hose"}), "Forward: its results")
	reload(t, p)
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Weed the garden", "Garden hose"}), "a reload keeps the search")
	must(t, expect.Locator(search).ToHaveValue("GARDEN"), "and the field")

	// The description is searched too; a search can match nothing; Clear shows everything again.
	must(t, search.Fill("Oat"), "search the descriptions")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Buy milk"}), "a match in the description")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText("1 task matches"), "one")
	must(t, search.Fill("zebra"), "search for nothing")
	must(t, expect.Locator(tasks(p)).ToHaveCount(0), "no result")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText("0 tasks match"), "none")
	must(t, p.GetByTestId("clear-search").Click(), "Clear")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "the plain list's address")
	must(t, expect.Locator(titles(p)).ToHaveText(all), "every task again")
}

// Search without JavaScript: the search form is a plain GET form; the results, the count and the
// address are the search's, and Back is the browser's own.
func TestFieldsSearchWithoutJavaScript(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Plain Searcher", jsOption(false))
	p := u.page
	searchTasks(t, u)
	search := p.GetByTestId("search")
	must(t, search.Fill("passport"), "type a search")
	must(t, search.Press("Enter"), "Enter searches")
	expectParams(t, p, "the search's address", "q", "passport")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Renew passport", "Passport photos"}), "the results")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText("2 tasks match"), "how many match")
	must(t, expect.Locator(search).ToHaveValue("passport"), "the field says what was searched")
	must(t, expect.Locator(todoCount(p)).ToHaveText("5 items left"), "the counter still counts every active task")

	must(t, search.Fill("OAT"), "another search")
	must(t, p.GetByTestId("apply-search").Click(), "the Search button")
	expectParams(t, p, "its address", "q", "OAT")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Buy milk"}), "a match in the description, whatever the case")
	must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText("1 task matches"), "one")
	_, err := p.GoBack()
	must(t, err, "Back")
	expectParams(t, p, "Back: the previous search", "q", "passport")
	must(t, expect.Locator(titles(p)).ToHaveText([]string{"Renew passport", "Passport photos"}), "Back: its results")
	must(t, p.GetByTestId("clear-search").Click(), "Clear")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "the plain list")
	must(t, expect.Locator(tasks(p)).ToHaveCount(5), "every task")
}

// The tag filter (a task's tag, the tag field, ?tag=…) and "Overdue only" (due=overdue: due before
// today, done or not), each with All/Active/Completed and with a search; the filter links keep the
// search, and the counter still counts every active task.
func TestFieldsTagAndOverdueFilters(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(jsName(js), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Filterer", jsOption(js))
			p := u.page
			u.createTaskWith(t, "Renew passport", day(-3), "high", "travel admin")
			u.createTaskWith(t, "Passport photos", day(2), "none", "travel")
			u.createTaskWith(t, "Expense report", day(-1), "medium", "work")
			u.createTaskWith(t, "Quarterly report", day(-10), "low", "work")
			u.createTaskWith(t, "Water the garden", "", "none", "garden")
			u.createTaskWith(t, "Team offsite plan", day(0), "none", "work travel")
			reload(t, p)
			complete(t, p, "Expense report")
			complete(t, p, "Team offsite plan")
			expectFields(t, task(p, "Passport photos"), fields{day(2), dateWords(2), "none", "", []string{"travel"}}, "a date later this week")
			expectFields(t, task(p, "Expense report"), fields{day(-1), "Yesterday", "medium", "Medium", []string{"work"}}, "a completed task is not overdue in words")
			expectFields(t, task(p, "Quarterly report"), fields{day(-10), "10 days overdue", "low", "Low", []string{"work"}}, "overdue")
			expectFields(t, task(p, "Team offsite plan"), fields{day(0), "Today", "none", "", []string{"work", "travel"}}, "today")

			list := func(what string, want ...string) {
				t.Helper()
				must(t, expect.Locator(titles(p)).ToHaveText(want), "%s: the tasks", what)
				must(t, expect.Locator(p.GetByTestId("match-count")).ToHaveText(matchText(len(want))), "%s: how many match", what)
				must(t, expect.Locator(todoCount(p)).ToHaveText("4 items left"), "%s: the counter counts every active task", what)
			}
			filterLink := func(name, path string) {
				t.Helper()
				must(t, p.GetByTestId("filter-"+name).Click(), "the %s filter", name)
				must(t, expect.Page(p).ToHaveURL(regexp.MustCompile("^"+regexp.QuoteMeta(shared.URL()+path)+`\?`)), "%s, the search kept", path)
			}

			// A task's tag is a link to the tag's list; the filters keep it.
			must(t, task(p, "Renew passport").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "#travel"}).Click(), "the #travel tag")
			must(t, expect.Page(p).ToHaveURL(shared.URL()+"/?tag=travel"), "the tag's list")
			list("tag=travel", "Renew passport", "Passport photos", "Team offsite plan")
			must(t, expect.Locator(p.GetByTestId("filter-tag")).ToHaveValue("travel"), "the tag field says so")
			filterLink("active", "/active")
			expectParams(t, p, "the tag kept on /active", "tag", "travel")
			list("active, tag=travel", "Renew passport", "Passport photos")
			filterLink("completed", "/completed")
			list("completed, tag=travel", "Team offsite plan")

			// Visited, alone and with a search.
			goTo(t, p, "/?tag=work")
			list("tag=work", "Expense report", "Quarterly report", "Team offsite plan")
			goTo(t, p, "/active?tag=work&q=report")
			list("active, tag=work, q=report", "Quarterly report")
			goTo(t, p, "/completed?tag=work&q=REPORT")
			list("completed, tag=work, q=REPORT", "Expense report")
			goTo(t, p, "/?tag=travel&due=overdue")
			list("tag=travel, overdue", "Renew passport")
			goTo(t, p, "/completed?due=overdue")
			list("completed, overdue", "Expense report")

			// The tag field: type a tag, Enter.
			goTo(t, p, "/")
			must(t, p.GetByTestId("filter-tag").Fill("#Garden"), "type a tag")
			must(t, p.GetByTestId("filter-tag").Press("Enter"), "Enter")
			expectParams(t, p, "the tag's address", "tag", "#Garden")
			list("tag=#Garden", "Water the garden")

			// "Overdue only", then a search on top, then the filters.
			goTo(t, p, "/")
			must(t, p.GetByTestId("filter-overdue").Check(), "Overdue only")
			if !js {
				must(t, p.GetByTestId("apply-search").Click(), "the Search button")
			}
			expectParams(t, p, "the address says overdue", "due", "overdue")
			list("overdue", "Renew passport", "Expense report", "Quarterly report")
			must(t, expect.Locator(task(p, "Renew passport").GetByTestId("task-due")).ToHaveText("3 days overdue"), "how late")
			must(t, p.GetByTestId("search").Fill("report"), "search within them")
			if !js {
				must(t, p.GetByTestId("search").Press("Enter"), "Enter")
			}
			expectParams(t, p, "both in the address", "due", "overdue", "q", "report")
			list("overdue, q=report", "Expense report", "Quarterly report")
			filterLink("active", "/active")
			expectParams(t, p, "both kept on /active", "due", "overdue", "q", "report")
			list("active, overdue, q=report", "Quarterly report")
			must(t, expect.Locator(p.GetByTestId("filter-overdue")).ToBeChecked(), "the box stays checked")
			filterLink("completed", "/completed")
			list("completed, overdue, q=report", "Expense report")
			reload(t, p)
			list("completed, overdue, q=report, reloaded", "Expense report")
		})
	}
}

// Every sort in both orders, chosen with the page's own controls: created, due (undated last either
// way), priority (high first by default) and title (whatever the case); ties by creation. The
// address keeps the sort (a reload shows the same order, the controls set), and Clear goes back to
// creation order.
func TestFieldsSorts(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(jsName(js), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Sorter", jsOption(js))
			p := u.page
			// Created in this order; the titles' case differs so that a case-sensitive sort would
			// put "Apple pie" and "Damson crumble" first.
			u.createTaskWith(t, "banana bread", day(5), "low", "")
			u.createTaskWith(t, "Apple pie", "", "high", "")
			u.createTaskWith(t, "cherry jam", day(1), "none", "")
			u.createTaskWith(t, "Damson crumble", day(-2), "medium", "")
			u.createTaskWith(t, "elderflower cordial", day(1), "high", "")
			reload(t, p)
			created := []string{"banana bread", "Apple pie", "cherry jam", "Damson crumble", "elderflower cordial"}
			must(t, expect.Locator(titles(p)).ToHaveText(created), "creation order by default")
			must(t, expect.Locator(p.GetByTestId("sort")).ToHaveValue("created"), "the sort control")

			for _, c := range []struct {
				sort, order string
				want        []string
			}{
				{"created", "desc", []string{"elderflower cordial", "Damson crumble", "cherry jam", "Apple pie", "banana bread"}},
				{"due", "asc", []string{"Damson crumble", "cherry jam", "elderflower cordial", "banana bread", "Apple pie"}},
				{"due", "desc", []string{"banana bread", "cherry jam", "elderflower cordial", "Damson crumble", "Apple pie"}},
				{"priority", "desc", []string{"Apple pie", "elderflower cordial", "Damson crumble", "banana bread", "cherry jam"}},
				{"priority", "asc", []string{"cherry jam", "banana bread", "Damson crumble", "Apple pie", "elderflower cordial"}},
				{"title", "asc", []string{"Apple pie", "banana bread", "cherry jam", "Damson crumble", "elderflower cordial"}},
				{"title", "desc", []string{"elderflower cordial", "Damson crumble", "cherry jam", "banana bread", "Apple pie"}},
				{"created", "asc", created},
			} {
				what := c.sort + " " + c.order
				_, err := p.GetByTestId("sort").SelectOption(playwright.SelectOptionValues{Values: &[]string{c.sort}})
				must(t, err, "%s: choose the sort", what)
				_, err = p.GetByTestId("order").SelectOption(playwright.SelectOptionValues{Values: &[]string{c.order}})
				must(t, err, "%s: choose the order", what)
				if !js {
					must(t, p.GetByTestId("apply-search").Click(), "%s: the Search button", what)
				}
				expectParams(t, p, what, "sort", c.sort, "order", c.order)
				must(t, expect.Locator(titles(p)).ToHaveText(c.want), "%s: the order", what)
				reload(t, p)
				must(t, expect.Locator(titles(p)).ToHaveText(c.want), "%s: the order after a reload", what)
				must(t, expect.Locator(p.GetByTestId("sort")).ToHaveValue(c.sort), "%s: the sort control after a reload", what)
				must(t, expect.Locator(p.GetByTestId("order")).ToHaveValue(c.order), "%s: the order control after a reload", what)
			}

			// Priority's own default is high first, by address too; Clear is creation order.
			goTo(t, p, "/?sort=priority")
			must(t, expect.Locator(titles(p)).ToHaveText([]string{"Apple pie", "elderflower cordial", "Damson crumble", "banana bread", "cherry jam"}), "sort=priority alone: high first")
			must(t, expect.Locator(p.GetByTestId("order")).ToHaveValue("desc"), "the order control says so")
			must(t, p.GetByTestId("clear-search").Click(), "Clear")
			must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "the plain list")
			must(t, expect.Locator(titles(p)).ToHaveText(created), "creation order again")
		})
	}
}

// A sorted list longer than a page: "Load more" continues in the same order (ties by creation), the
// address carries the sort, and a reload keeps both.
func TestFieldsSortAcrossPages(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(jsName(js), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Page Sorter", jsOption(js))
			p := u.page
			priorities := []string{"high", "none", "medium", "low"}
			rank := map[string]int{"none": 0, "low": 1, "medium": 2, "high": 3}
			type made struct {
				title string
				rank  int
			}
			var all []made
			for i := range 103 {
				m := made{fmt.Sprintf("Chore %03d", i), rank[priorities[i%4]]}
				u.createTaskWith(t, m.title, "", priorities[i%4], "")
				all = append(all, m)
			}
			// Lowest priority first; within one priority, in the order they were made.
			slices.SortStableFunc(all, func(a, b made) int { return a.rank - b.rank })
			var want []string
			for _, m := range all {
				want = append(want, m.title)
			}

			// The 103 tasks just made come back to a page that opens within seconds as live updates (a
			// page catches up on what changed shortly before it was rendered), and each redraws a
			// sorted list whole, from its first page. What is tested here is paging, so this page is
			// cut off from them.
			withoutLiveUpdates(t, p)
			goTo(t, p, "/?sort=priority&order=asc")
			must(t, expect.Locator(titles(p)).ToHaveText(want[:100]), "the first page, lowest priority first")
			must(t, p.GetByTestId("load-more").Click(), "Load more")
			expectParams(t, p, "the next page's address keeps the sort", "sort", "priority", "order", "asc")
			must(t, expect.Page(p).ToHaveURL(regexp.MustCompile(`[?&]after=\d+`)), "and says where the page starts")
			if js {
				must(t, expect.Locator(titles(p)).ToHaveText(want), "the next page appended, in the same order")
			} else {
				must(t, expect.Locator(titles(p)).ToHaveText(want[100:]), "the next page, in the same order")
			}
			reload(t, p)
			must(t, expect.Locator(titles(p)).ToHaveText(want[100:]), "a reload shows the same page")
			must(t, expect.Locator(p.GetByTestId("sort")).ToHaveValue("priority"), "the sort control")
			must(t, expect.Locator(p.GetByTestId("order")).ToHaveValue("asc"), "the order control")
		})
	}
}

// The Account page's export link downloads a JSON file of every task of the user, with its due
// date, priority and tags.
func TestAccountExportDownload(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(jsName(js), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Exporter", jsOption(js))
			p := u.page
			other := signUp(t, shared, "Not Exported")
			other.createTaskWith(t, "Someone else's task", day(1), "high", "secret")
			u.createTask(t, "Renew passport", "before the trip")
			u.createTaskWith(t, "Pay the rent", day(3), "high", "home, money")
			u.createTaskWith(t, "Buy stamps", "", "low", "")

			must(t, p.GetByTestId("account-link").Click(), "the account link")
			must(t, expect.Page(p).ToHaveURL(shared.URL()+"/account"), "the account page")
			link := p.GetByTestId("export-tasks")
			must(t, expect.Locator(link).ToBeVisible(), "the export link is shown")
			must(t, expect.Locator(link).ToHaveText("Export my tasks (JSON)"), "and says what it does")
			download, err := p.ExpectDownload(func() error { return link.Click() })
			must(t, err, "download the export")
			if name := download.SuggestedFilename(); name != "tasks.json" {
				t.Errorf("the download is named %q, want tasks.json", name)
			}
			path, err := download.Path()
			must(t, err, "the downloaded file")
			data, err := os.ReadFile(path)
			must(t, err, "read the downloaded file")
			var got []map[string]any
			if err := json.Unmarshal(data, &got); err != nil {
				t.Fatalf("the download is not a JSON array: %v\n%s", err, data)
			}
			keys := []string{"completed", "created_at", "description", "due_date", "id", "priority", "tags", "title", "updated_at"}
			byTitle := map[string]map[string]any{}
			for _, e := range got {
				var have []string
				for k := range e {
					have = append(have, k)
				}
				slices.Sort(have)
				if !slices.Equal(have, keys) {
					t.Errorf("an exported task has the fields %v, want %v", have, keys)
				}
				for _, k := range []string{"created_at", "updated_at"} {
					if s, _ := e[k].(string); s == "" {
						t.Errorf("%v: %s %v is not a time", e["title"], k, e[k])
					} else if _, err := time.Parse(time.RFC3339Nano, s); err != nil {
						t.Errorf("%v: %s: %v", e["title"], k, err)
					}
				}
				byTitle[fmt.Sprint(e["title"])] = e
			}
			if len(got) != 3 || len(byTitle) != 3 {
				t.Fatalf("the export holds %d tasks, want the user's 3:\n%s", len(got), data)
			}
			for title, want := range map[string]map[string]any{
				"Renew passport": {"description": "before the trip", "due_date": nil, "priority": "none", "tags": []any{}, "completed": false},
				"Pay the rent":   {"description": nil, "due_date": day(3), "priority": "high", "tags": []any{"home", "money"}, "completed": false},
				"Buy stamps":     {"description": nil, "due_date": nil, "priority": "low", "tags": []any{}, "completed": false},
			} {
				e, ok := byTitle[title]
				if !ok {
					t.Errorf("the export lacks %q:\n%s", title, data)
					continue
				}
				for k, v := range want {
					if fmt.Sprintf("%#v", e[k]) != fmt.Sprintf("%#v", v) {
						t.Errorf("%q: %s is %#v, want %#v", title, k, e[k], v)
					}
				}
			}
			// The ids are the ones the list shows.
			goTo(t, p, "/")
			for title, e := range byTitle {
				id, err := task(p, title).GetAttribute("data-task-id")
				must(t, err, "the id of %q", title)
				if fmt.Sprint(e["id"]) != id {
					t.Errorf("%q: exported id %v, the list's %s", title, e["id"], id)
				}
			}
		})
	}
}
