package e2e

import (
	"regexp"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Scenario 5: with JavaScript disabled every action still works through plain forms and links
// (post/redirect/get): sign up, sign out, sign in, add, toggle, edit, delete, toggle all, clear
// completed, filter.
func TestWithoutJavaScript(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Nora NoScript", playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(false)})
	p := u.page
	u.signOut(t)
	u.signIn(t)
	title := func(name string) playwright.Locator { return task(p, name).GetByTestId("task-title") }

	// Add: Enter submits the form, and so does the Add button.
	must(t, newTitle(p).Fill("  Water the ferns  "), "type")
	must(t, newTitle(p).Press("Enter"), "Enter")
	must(t, expect.Locator(title("Water the ferns")).ToHaveText("Water the ferns"), "added, trimmed")
	must(t, newTitle(p).Fill("Pay the gas bill"), "type")
	must(t, p.GetByTestId("add").Click(), "Add button")
	must(t, expect.Locator(task(p, "Pay the gas bill")).ToHaveCount(1), "added with the button")
	must(t, newTitle(p).Fill("   "), "blank")
	must(t, p.GetByTestId("add").Click(), "Add a blank title")
	must(t, expect.Locator(p.GetByTestId("new-task-error")).ToBeVisible(), "blank refused with a message")
	must(t, expect.Locator(tasks(p)).ToHaveCount(2), "nothing added")
	must(t, expect.Locator(todoCount(p)).ToHaveText("2 items left"), "counter")

	// Toggle.
	must(t, toggleOf(task(p, "Water the ferns")).Click(), "toggle")
	must(t, expect.Locator(task(p, "Water the ferns")).ToHaveAttribute("data-completed", "true"), "completed")
	must(t, expect.Locator(todoCount(p)).ToHaveText("1 item left"), "counter after toggling")

	// Edit on a page of its own: a blank title is refused, a real one saved.
	must(t, task(p, "Pay the gas bill").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: regexp.MustCompile(`(?i)edit`)}).Click(), "Edit link")
	must(t, expect.Page(p).ToHaveURL(regexp.MustCompile(`/tasks/\d+/edit`)), "the edit page")
	must(t, editField(p).Fill(" "), "blank the title")
	must(t, p.GetByTestId("save").Click(), "Save a blank title")
	must(t, expect.Locator(p.GetByTestId("edit-error")).ToBeVisible(), "blank title refused with a message")
	must(t, editField(p).Fill("Pay the electricity bill"), "a new title")
	must(t, p.GetByTestId("edit-description").Fill("Before the 15th."), "a description")
	must(t, p.GetByTestId("save").Click(), "Save")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "back on the list")
	must(t, expect.Locator(title("Pay the electricity bill")).ToBeVisible(), "the new title")
	must(t, expect.Locator(task(p, "Pay the electricity bill")).ToContainText("Before the 15th."), "the description")

	// Filters are links.
	must(t, p.GetByTestId("filter-completed").Click(), "Completed")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/completed"), "/completed")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "one completed task")
	must(t, expect.Locator(task(p, "Water the ferns")).ToHaveCount(1), "the completed one")
	must(t, p.GetByTestId("filter-active").Click(), "Active")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/active"), "/active")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "one active task")
	must(t, expect.Locator(task(p, "Pay the electricity bill")).ToHaveCount(1), "the active one")
	// An action on a filtered page comes back to it.
	must(t, toggleOf(task(p, "Pay the electricity bill")).Click(), "toggle on /active")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/active"), "still /active")
	must(t, expect.Locator(tasks(p)).ToHaveCount(0), "it left /active")

	// Toggle all, clear completed, delete.
	must(t, p.GetByTestId("filter-all").Click(), "All")
	must(t, p.GetByTestId("toggle-all").Click(), "toggle all (all completed: reopen all)")
	must(t, expect.Locator(p.Locator(`[data-task-id][data-completed="false"]`)).ToHaveCount(2), "all active")
	must(t, toggleOf(task(p, "Water the ferns")).Click(), "toggle")
	must(t, expect.Locator(task(p, "Water the ferns")).ToHaveAttribute("data-completed", "true"), "completed")
	must(t, p.GetByTestId("clear-completed").Click(), "clear completed")
	must(t, expect.Locator(task(p, "Water the ferns")).ToHaveCount(0), "cleared")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "the active one stays")
	must(t, task(p, "Pay the electricity bill").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: regexp.MustCompile(`(?i)delete`)}).Click(), "delete")
	must(t, expect.Locator(tasks(p)).ToHaveCount(0), "deleted")
	must(t, expect.Locator(p.GetByTestId("empty-state")).ToBeVisible(), "the empty state")
}
