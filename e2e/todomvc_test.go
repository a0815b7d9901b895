package e2e

import (
	"regexp"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Scenario 4: the TodoMVC behaviours, the way a person does them, with JavaScript on.
func TestTodoMVCFlows(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Tess")
	p := u.page
	title := func(name string) playwright.Locator { return task(p, name).GetByTestId("task-title") }

	// A new user sees the empty state, with the focus already in the new-task field.
	must(t, expect.Locator(p.GetByTestId("empty-state")).ToBeVisible(), "empty state")
	must(t, expect.Locator(newTitle(p)).ToBeFocused(), "focus in the new-task field on load")
	must(t, expect.Locator(todoCount(p)).ToBeHidden(), "no counter without tasks")

	// Add: Enter adds, the title is trimmed, the field clears and keeps the focus.
	must(t, newTitle(p).Fill("   Walk the dog   "), "type")
	must(t, newTitle(p).Press("Enter"), "Enter")
	must(t, expect.Locator(title("Walk the dog")).ToHaveText("Walk the dog", playwright.LocatorAssertionsToHaveTextOptions{UseInnerText: playwright.Bool(true)}), "trimmed title")
	must(t, expect.Locator(newTitle(p)).ToHaveValue(""), "the field clears after adding")
	must(t, expect.Locator(newTitle(p)).ToBeFocused(), "the field keeps the focus after adding")
	must(t, expect.Locator(todoCount(p)).ToHaveText("1 item left"), "counter for one")
	must(t, expect.Locator(p.GetByTestId("empty-state")).ToBeHidden(), "no empty state with a task")

	// A blank title is refused with a message and adds nothing.
	must(t, newTitle(p).Fill("    "), "type blanks")
	must(t, newTitle(p).Press("Enter"), "Enter")
	must(t, expect.Locator(p.GetByTestId("new-task-error")).ToBeVisible(), "a message for a blank title")
	must(t, expect.Locator(p.GetByTestId("new-task-error")).ToHaveText(regexp.MustCompile(`\w`)), "the message says something")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "nothing added")

	addTask(t, p, "Buy milk")
	must(t, expect.Locator(p.GetByTestId("new-task-error")).ToHaveCount(0), "the message goes once a task is added")
	must(t, expect.Locator(todoCount(p)).ToHaveText("2 items left"), "counter for two")
	must(t, expect.Locator(todoCount(p).Locator("strong")).ToHaveText("2"), "the number is in <strong>")

	// Edit: double-click, Enter saves.
	startEditing(t, p, "Walk the dog")
	must(t, editField(p).Fill("Walk the dog twice"), "type the new title")
	must(t, editField(p).Press("Enter"), "Enter saves")
	must(t, expect.Locator(title("Walk the dog twice")).ToBeVisible(), "saved title shows")
	must(t, expect.Locator(editField(p)).ToHaveCount(0), "editing ends after saving")
	// Escape cancels and restores the old text.
	startEditing(t, p, "Buy milk")
	must(t, editField(p).Fill("Buy cheese"), "type")
	must(t, editField(p).Press("Escape"), "Escape cancels")
	must(t, expect.Locator(editField(p)).ToHaveCount(0), "editing ends after Escape")
	must(t, expect.Locator(title("Buy milk")).ToBeVisible(), "old title back")
	must(t, expect.Locator(task(p, "Buy cheese")).ToHaveCount(0), "the cancelled text is gone")
	// A blank title is refused, and does not delete the task.
	startEditing(t, p, "Buy milk")
	must(t, editField(p).Fill("   "), "blank the title")
	must(t, editField(p).Press("Enter"), "Enter")
	must(t, expect.Locator(p.GetByTestId("edit-error")).ToBeVisible(), "a message for a blank title")
	must(t, editField(p).Press("Escape"), "Escape after the refusal")
	must(t, expect.Locator(title("Buy milk")).ToBeVisible(), "the task is still there")
	// Leaving the field saves, as in TodoMVC.
	startEditing(t, p, "Buy milk")
	must(t, editField(p).Fill("Buy oat milk"), "type")
	must(t, p.GetByTestId("page-title").Click(), "click elsewhere")
	must(t, expect.Locator(title("Buy oat milk")).ToBeVisible(), "blur saves")
	reload(t, p)
	must(t, expect.Locator(tasks(p)).ToHaveCount(2), "both tasks after a reload")
	must(t, expect.Locator(title("Buy oat milk")).ToBeVisible(), "the saved title after a reload")
	must(t, expect.Locator(title("Walk the dog twice")).ToBeVisible(), "the saved title after a reload")

	// Toggle one.
	clearCompleted := p.GetByTestId("clear-completed")
	must(t, expect.Locator(clearCompleted).ToHaveCount(0), "no Clear completed while nothing is completed")
	complete(t, p, "Buy oat milk")
	must(t, expect.Locator(toggleOf(task(p, "Buy oat milk"))).ToHaveAttribute("aria-checked", "true"), "checked")
	must(t, expect.Locator(todoCount(p)).ToHaveText("1 item left"), "counter after completing one")
	must(t, expect.Locator(clearCompleted).ToBeVisible(), "Clear completed appears")

	// Toggle all: everything completed, then everything active again.
	toggleAll := p.GetByTestId("toggle-all")
	must(t, expect.Locator(toggleAll).ToHaveAttribute("aria-checked", "false"), "toggle-all unchecked with an active task")
	must(t, toggleAll.Click(), "toggle all")
	must(t, expect.Locator(p.Locator(`[data-task-id][data-completed="true"]`)).ToHaveCount(2), "all completed")
	must(t, expect.Locator(todoCount(p)).ToHaveText("0 items left"), "counter for none")
	must(t, expect.Locator(toggleAll).ToHaveAttribute("aria-checked", "true"), "toggle-all checked when all are done")
	must(t, toggleAll.Click(), "toggle all again")
	must(t, expect.Locator(p.Locator(`[data-task-id][data-completed="false"]`)).ToHaveCount(2), "all active again")
	must(t, expect.Locator(todoCount(p)).ToHaveText("2 items left"), "counter after reopening all")
	must(t, expect.Locator(clearCompleted).ToHaveCount(0), "Clear completed hides again")

	// Delete one.
	must(t, task(p, "Walk the dog twice").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: regexp.MustCompile(`(?i)delete`)}).Click(), "delete")
	must(t, expect.Locator(task(p, "Walk the dog twice")).ToHaveCount(0), "deleted")
	must(t, expect.Locator(todoCount(p)).ToHaveText("1 item left"), "counter after deleting")

	// Clear completed removes the completed tasks only.
	addTask(t, p, "Post the letter")
	addTask(t, p, "Feed the cat")
	complete(t, p, "Buy oat milk")
	must(t, clearCompleted.Click(), "clear completed")
	must(t, expect.Locator(task(p, "Buy oat milk")).ToHaveCount(0), "completed task cleared")
	must(t, expect.Locator(tasks(p)).ToHaveCount(2), "active tasks stay")
	must(t, expect.Locator(clearCompleted).ToHaveCount(0), "nothing left to clear")

	// Filters are URLs: marked when current, surviving reload and the back button.
	complete(t, p, "Feed the cat")
	filter := func(name string) playwright.Locator { return p.GetByTestId("filter-" + name) }
	must(t, expect.Locator(filter("all")).ToHaveAttribute("aria-current", "page"), "All is current on /")
	must(t, filter("active").Click(), "Active filter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/active"), "/active")
	must(t, expect.Locator(filter("active")).ToHaveAttribute("aria-current", "page"), "Active is current")
	must(t, expect.Locator(filter("all")).Not().ToHaveAttribute("aria-current", "page"), "All is not current")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "only the active task")
	reload(t, p)
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/active"), "still /active after a reload")
	must(t, expect.Locator(filter("active")).ToHaveAttribute("aria-current", "page"), "Active still current after a reload")
	must(t, expect.Locator(task(p, "Post the letter")).ToHaveCount(1), "the active task after a reload")
	must(t, filter("completed").Click(), "Completed filter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/completed"), "/completed")
	must(t, expect.Locator(task(p, "Feed the cat")).ToHaveCount(1), "the completed task")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "only the completed task")
	_, err := p.GoBack()
	must(t, err, "back")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/active"), "back to /active")
	must(t, expect.Locator(filter("active")).ToHaveAttribute("aria-current", "page"), "Active current after going back")
	must(t, expect.Locator(tasks(p)).ToHaveCount(1), "the active list after going back")
	must(t, expect.Locator(task(p, "Post the letter")).ToHaveCount(1), "the active task after going back")

	// A task toggled while filtered leaves the view.
	must(t, toggleOf(task(p, "Post the letter")).Click(), "complete while on /active")
	must(t, expect.Locator(task(p, "Post the letter")).ToHaveCount(0), "it leaves /active")
	must(t, expect.Locator(todoCount(p)).ToHaveText("0 items left"), "counter on /active")
	must(t, filter("completed").Click(), "Completed filter")
	must(t, expect.Locator(tasks(p)).ToHaveCount(2), "both on /completed")

	// Deleting the last tasks brings back the empty state.
	must(t, toggleAll.Click(), "reopen all from /completed")
	must(t, expect.Locator(tasks(p)).ToHaveCount(0), "they leave /completed")
	goTo(t, p, "/")
	for _, name := range []string{"Post the letter", "Feed the cat"} {
		must(t, task(p, name).GetByRole("button", playwright.LocatorGetByRoleOptions{Name: regexp.MustCompile(`(?i)delete`)}).Click(), "delete %q", name)
		must(t, expect.Locator(task(p, name)).ToHaveCount(0), "%q deleted", name)
	}
	must(t, expect.Locator(p.GetByTestId("empty-state")).ToBeVisible(), "the empty state again")
}
