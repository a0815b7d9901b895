package e2e

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Locators for the task list. The data-* hooks are the app's public markup contract; the data-testid ones are the
// list's own (views/tasks*.templ).

// tasks is every task shown on p.
func tasks(p playwright.Page) playwright.Locator { return p.Locator("[data-task-id]") }

// task is the task on p whose text contains title (the tests use titles no other task contains).
func task(p playwright.Page, title string) playwright.Locator {
	return tasks(p).Filter(playwright.LocatorFilterOptions{HasText: title})
}

// newTitle is the "What needs to be done?" field.
func newTitle(p playwright.Page) playwright.Locator {
	return p.Locator("form[data-testid=new-task] input[name=title]")
}

func todoCount(p playwright.Page) playwright.Locator { return p.GetByTestId("todo-count") }

// addTask types a title into the new-task field, presses Enter and waits for the task to show.
func addTask(t testing.TB, p playwright.Page, title string) {
	t.Helper()
	must(t, newTitle(p).Fill(title), "type %q", title)
	must(t, newTitle(p).Press("Enter"), "press Enter to add %q", title)
	must(t, expect.Locator(task(p, title)).ToHaveCount(1), "task %q shows once after adding", title)
}

// createTask adds a task through the plain form post (no browser page): quick set-up for tests that
// need many tasks.
func (u *user) createTask(t testing.TB, title, description string) {
	t.Helper()
	r := u.send(t, http.MethodPost, "/tasks", map[string]any{"title": title, "description": description}, false)
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST /tasks %q as %s: status %d, want 303\n%s", title, u.email, r.status, r.body)
	}
}

// shownTask is one task as a list page shows it.
type shownTask struct {
	ID        string
	Completed string
	Text      string
}

// shown reads the tasks on p, in page order.
func shown(t testing.TB, p playwright.Page) []shownTask {
	t.Helper()
	raw, err := tasks(p).EvaluateAll(`els => els.map(e => [e.dataset.taskId, e.dataset.completed, e.textContent.replace(/\s+/g, " ").trim()])`)
	must(t, err, "read the tasks shown")
	var out []shownTask
	for _, r := range raw.([]any) {
		f := r.([]any)
		out = append(out, shownTask{ID: fmt.Sprint(f[0]), Completed: fmt.Sprint(f[1]), Text: fmt.Sprint(f[2])})
	}
	return out
}

// listOf opens path in u's tab and returns the tasks it shows.
func (u *user) listOf(t testing.TB, path string) []shownTask {
	t.Helper()
	goTo(t, u.page, path)
	return shown(t, u.page)
}

// toggleOf is a task's own complete/reopen control (a checkbox to assistive technology).
func toggleOf(task playwright.Locator) playwright.Locator {
	return task.GetByRole("checkbox")
}

// editField is the title field of the task being edited.
func editField(p playwright.Page) playwright.Locator { return p.GetByTestId("edit-title") }

// startEditing double-clicks a task's title, as in TodoMVC, and waits for the field, focused and
// holding the title.
func startEditing(t testing.TB, p playwright.Page, title string) {
	t.Helper()
	must(t, task(p, title).GetByTestId("task-title").Dblclick(), "double-click %q", title)
	must(t, expect.Locator(editField(p)).ToBeFocused(), "the edit field of %q has the focus", title)
	must(t, expect.Locator(editField(p)).ToHaveValue(title), "the edit field holds %q", title)
}
