package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// liveTimeout is how long a change may take to show on another page: the target is within a second;
// the margin is for a loaded test machine.
const liveTimeout = 5_000

// Two instances of the app on one database; Ann has one page on each, Bob one on the second. What
// Ann does on one page shows on her other without a reload, while she is typing there (the text
// and the focus stay) and while she edits another task inline there (the edit stays); Bob's page
// sees none of it.
func TestLiveUpdatesReachTheSamePersonsOtherPageOnAnotherInstance(t *testing.T) {
	second, err := newApp("app-live-2", appBin, shared.dbURL, workDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := second.stop(); err != nil {
			t.Error(err)
		}
	})
	shared.logOnFailure(t)
	second.logOnFailure(t)

	ann := signUp(t, shared, "Live Ann")
	there := &user{name: ann.name, email: ann.email, password: ann.password, app: second}
	there.ctx = newContext(t, second)
	there.page = newPage(t, there.ctx)
	there.signIn(t)
	bob := signUp(t, second, "Live Bob")
	var bobSyncs []string
	var mu sync.Mutex
	bob.page.OnRequest(func(r playwright.Request) {
		if strings.Contains(r.URL(), "/events/changes") && strings.Contains(r.URL(), "ids=") {
			mu.Lock()
			bobSyncs = append(bobSyncs, r.URL())
			mu.Unlock()
		}
	})

	here, other := ann.page, there.page
	for _, p := range []playwright.Page{here, other, bob.page} {
		// A reload would lose this.
		_, err := p.Evaluate(`() => { window.notReloaded = true }`)
		must(t, err, "mark the page")
	}
	// Ann starts typing on her other page.
	must(t, newTitle(other).Fill("half-typed"), "type on the other page")
	must(t, newTitle(other).Focus(), "focus the field")

	// Add.
	start := time.Now()
	addTask(t, here, "Bread from the bakery")
	must(t, expect.Locator(task(other, "Bread from the bakery")).ToHaveCount(1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}),
		"the task added on one instance shows on the page on the other")
	t.Logf("add reached the other page after %s", time.Since(start).Round(time.Millisecond))
	must(t, expect.Locator(todoCount(other)).ToContainText("1", playwright.LocatorAssertionsToContainTextOptions{Timeout: playwright.Float(liveTimeout)}), "the other page's counter")
	must(t, expect.Locator(newTitle(other)).ToHaveValue("half-typed"), "the text being typed stays")
	must(t, expect.Locator(newTitle(other)).ToBeFocused(), "the focus stays")

	// Toggle.
	addTask(t, here, "Milk")
	must(t, expect.Locator(task(other, "Milk")).ToHaveCount(1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}), "the second task shows")
	start = time.Now()
	must(t, toggleOf(task(here, "Bread from the bakery")).Click(), "complete a task")
	must(t, expect.Locator(task(other, "Bread from the bakery")).ToHaveAttribute("data-completed", "true", playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(liveTimeout)}),
		"the toggle shows on the other page")
	t.Logf("toggle reached the other page after %s", time.Since(start).Round(time.Millisecond))
	must(t, expect.Locator(todoCount(other)).ToContainText("1"), "the other page's counter after the toggle")

	// An inline edit open on the other page survives a change to that very task.
	startEditing(t, other, "Milk")
	must(t, editField(other).Fill("Oat milk, typed"), "type into the inline edit")
	must(t, toggleOf(task(here, "Milk")).Click(), "complete the task being edited elsewhere")
	must(t, expect.Locator(todoCount(other)).ToContainText("0", playwright.LocatorAssertionsToContainTextOptions{Timeout: playwright.Float(liveTimeout)}), "the counter follows")
	must(t, expect.Locator(editField(other)).ToHaveValue("Oat milk, typed"), "the inline edit keeps what was typed")
	must(t, expect.Locator(editField(other)).ToBeFocused(), "and the focus")
	must(t, editField(other).Press("Escape"), "cancel the edit")

	// Delete.
	start = time.Now()
	must(t, task(here, "Bread from the bakery").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Delete"}).Click(), "delete a task")
	must(t, expect.Locator(task(other, "Bread from the bakery")).ToHaveCount(0, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}),
		"the deleted task leaves the other page")
	t.Logf("delete reached the other page after %s", time.Since(start).Round(time.Millisecond))

	// And the other way round, with a filter: the first page shows the active list, and a task
	// completed elsewhere leaves it.
	goTo(t, here, "/active")
	_, err = here.Evaluate(`() => { window.notReloaded = true }`)
	must(t, err, "mark the page")
	addTask(t, other, "Eggs")
	must(t, expect.Locator(task(here, "Eggs")).ToHaveCount(1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}), "added on the other instance")
	must(t, toggleOf(task(other, "Eggs")).Click(), "complete it there")
	must(t, expect.Locator(task(here, "Eggs")).ToHaveCount(0, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}), "a task that no longer matches the filter leaves the list")

	for name, p := range map[string]playwright.Page{"first": here, "other": other, "Bob's": bob.page} {
		v, err := p.Evaluate(`() => window.notReloaded === true`)
		must(t, err, "read the mark")
		if v != true {
			t.Errorf("the %s page was reloaded", name)
		}
	}
	// Bob's page: none of Ann's tasks, and not one request for changes.
	time.Sleep(500 * time.Millisecond)
	if n, err := tasks(bob.page).Count(); err != nil || n != 0 {
		t.Errorf("Bob's page shows %d tasks (%v)", n, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bobSyncs) != 0 {
		t.Errorf("Bob's page was told of changes: %v", bobSyncs)
	}
}

// A live update leaves alone a row that waits for the answer to its own request: a double-click to
// edit, its request held, while the same task is completed elsewhere, still opens the inline edit
// once the answer comes (had the update redrawn the row, the answer would have had nowhere to go).
func TestLiveUpdateSparesARowWaitingForItsAnswer(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Patient Row")
	p := u.page
	addTask(t, p, "Sharpen the pencils")
	must(t, expect.Locator(todoCount(p)).ToHaveText("1 item left"), "one active task")
	id, err := task(p, "Sharpen the pencils").GetAttribute("data-task-id")
	must(t, err, "the task's id")

	release, held := hold(t, p, "**/tasks/"+id+"/edit**", "GET") // the page's list goes along as a query
	must(t, task(p, "Sharpen the pencils").GetByTestId("task-title").Dblclick(), "double-click to edit")
	deadline := time.Now().Add(5 * time.Second)
	for held.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if held.Load() != 1 {
		t.Fatalf("%d edit requests held, want 1", held.Load())
	}
	// Completed elsewhere (the same person, another tab): the live update comes while the edit waits.
	if r := u.send(t, "POST", "/tasks/"+id+"/toggle", map[string]any{"completed": "true"}, false); r.status != 303 {
		t.Fatalf("complete it elsewhere: %d", r.status)
	}
	must(t, expect.Locator(todoCount(p)).ToHaveText("0 items left", playwright.LocatorAssertionsToHaveTextOptions{Timeout: playwright.Float(liveTimeout)}),
		"the live update has come (the counter)")
	release()
	must(t, expect.Locator(editField(p)).ToBeFocused(), "the inline edit opens")
	must(t, expect.Locator(editField(p)).ToHaveValue("Sharpen the pencils"), "for that task")
	must(t, editField(p).Press("Escape"), "cancel")
	must(t, expect.Locator(task(p, "Sharpen the pencils")).ToHaveAttribute("data-completed", "true"), "the row shows the task as it is now")
}

// The live update of a page's own add can come before the add's answer (the change is committed,
// and told, before the answer is written). The task still shows once: the answer does not append a
// row the update has already inserted.
func TestOwnAddShowsOnceWhenItsLiveUpdateComesFirst(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Quick Echo")
	p := u.page
	addTask(t, p, "Already there")

	release := holdAnswers(t, p, "**/tasks", "POST")

	must(t, newTitle(p).Fill("Echoed"), "type")
	must(t, newTitle(p).Press("Enter"), "add")
	must(t, expect.Locator(task(p, "Echoed")).ToHaveCount(1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}),
		"the live update inserts the task while the answer waits")
	add := p.GetByTestId("add")
	must(t, expect.Locator(add).ToBeDisabled(), "the answer has not come yet (the form waits for it)")
	release()
	must(t, expect.Locator(add).ToBeEnabled(), "the answer has come")
	must(t, expect.Locator(task(p, "Echoed")).ToHaveCount(1), "the task shows once")
	must(t, expect.Locator(p.Locator("#task-list > li")).ToHaveCount(2), "two rows in all")
	must(t, expect.Locator(todoCount(p)).ToHaveText("2 items left"), "the counter")
}
