package e2e

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"

	"todo/internal/faultproxy"
	"todo/internal/pgtest"
)

// Interaction that never loses, reverses or hides a person's work: one test per rule, in Chromium.

// messages is the page's message region for the last answer; undoOffer the offer to undo.
func messages(p playwright.Page) playwright.Locator  { return p.Locator("#flashes") }
func undoOffer(p playwright.Page) playwright.Locator { return p.GetByTestId("undo") }

// hold makes the requests of method to paths matching pattern wait until the returned release is
// called (each is then sent on as it was); held counts them.
func hold(t testing.TB, p playwright.Page, pattern, method string) (release func(), held *atomic.Int32) {
	t.Helper()
	return holdRoute(t, p, pattern, method, func(r playwright.Route, gate <-chan struct{}) {
		<-gate
		r.Continue()
	})
}

// holdAnswers sends the requests of method to paths matching pattern at once, and keeps their
// answers from the page until the returned release is called: the server has done its work (and
// told live updates of it) while the page still waits.
func holdAnswers(t testing.TB, p playwright.Page, pattern, method string) (release func()) {
	t.Helper()
	release, _ = holdRoute(t, p, pattern, method, func(r playwright.Route, gate <-chan struct{}) {
		resp, err := r.Fetch()
		if err != nil {
			r.Abort()
			return
		}
		<-gate
		r.Fulfill(playwright.RouteFulfillOptions{Response: resp})
	})
	return release
}

// holdRoute runs pass, with a gate that release opens, for each request of method to paths
// matching pattern (on a goroutine of its own: the route's handler must not block); others go on.
func holdRoute(t testing.TB, p playwright.Page, pattern, method string, pass func(r playwright.Route, gate <-chan struct{})) (release func(), held *atomic.Int32) {
	t.Helper()
	gate := make(chan struct{})
	var once sync.Once
	held = &atomic.Int32{}
	must(t, p.Route(pattern, func(r playwright.Route) {
		if r.Request().Method() != method {
			r.Continue()
			return
		}
		held.Add(1)
		go pass(r, gate)
	}), "hold %s %s", method, pattern)
	release = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(release)
	return release, held
}

// Rule 1: the controls set the state they show; a tab not reloaded cannot undo another tab's work.
func TestStaleTabSetsTheStateItShows(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Stale Tabs")
	for _, title := range []string{"Stale one", "Stale two", "Stale three"} {
		u.createTask(t, title, "")
	}
	reload(t, u.page)
	// A tab that live updates cannot reach (its stream is down: a network blip, a closed lid) shows
	// what it last got; that tab must still set the state it shows, never flip another tab's work.
	tab2 := newPage(t, u.ctx)
	withoutLiveUpdates(t, tab2)
	goTo(t, tab2, "/")

	must(t, u.page.GetByTestId("toggle-all").Click(), "tab 1: mark all as complete")
	must(t, expect.Locator(u.page.Locator("[data-task-id][data-completed=true]")).ToHaveCount(3), "tab 1: all complete")
	// Tab 2 still shows them active and asks for the same: they stay complete.
	must(t, expect.Locator(tab2.Locator("[data-task-id][data-completed=false]")).ToHaveCount(3), "tab 2 is stale")
	must(t, tab2.GetByTestId("toggle-all").Click(), "tab 2: mark all as complete")
	must(t, expect.Locator(tab2.Locator("[data-task-id][data-completed=true]")).ToHaveCount(3), "tab 2: all complete, none reopened")
	must(t, expect.Locator(undoOffer(tab2)).ToContainText("Every task was complete already."), "tab 2 says nothing changed")

	// One task: tab 1 reopens it; tab 2, still showing it complete, reopens it too: it stays active.
	must(t, toggleOf(task(u.page, "Stale one")).Click(), "tab 1: reopen")
	must(t, expect.Locator(task(u.page, "Stale one")).ToHaveAttribute("data-completed", "false"), "tab 1: reopened")
	goTo(t, tab2, "/")
	must(t, toggleOf(task(u.page, "Stale two")).Click(), "tab 1: reopen another")
	must(t, expect.Locator(task(u.page, "Stale two")).ToHaveAttribute("data-completed", "false"), "tab 1: reopened")
	must(t, expect.Locator(task(tab2, "Stale two")).ToHaveAttribute("data-completed", "true"), "tab 2 is stale again")
	must(t, toggleOf(task(tab2, "Stale two")).Click(), "tab 2: reopen")
	must(t, expect.Locator(task(tab2, "Stale two")).ToHaveAttribute("data-completed", "false"), "tab 2: it is active")
	reload(t, u.page)
	must(t, expect.Locator(task(u.page, "Stale two")).ToHaveAttribute("data-completed", "false"), "stored active")
}

// Rule 2: what is typed while an add is on its way survives the form's redraw.
func TestTypedTextSurvivesAnAddInFlight(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Fast Typist")
	p := u.page
	release, held := hold(t, p, "**/tasks", "POST")
	must(t, newTitle(p).Fill("Buy oat milk"), "type the first task")
	must(t, newTitle(p).Press("Enter"), "Enter")
	deadline := time.Now().Add(5 * time.Second)
	for held.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if held.Load() != 1 {
		t.Fatalf("%d add requests held, want 1", held.Load())
	}
	must(t, expect.Locator(newTitle(p)).ToHaveValue(""), "the field is ready for the next task at once")
	must(t, p.Keyboard().Type("Call the plumber"), "type the next task while the first is on its way")
	release()
	must(t, expect.Locator(task(p, "Buy oat milk")).ToHaveCount(1), "the first task is added")
	must(t, expect.Locator(newTitle(p)).ToHaveValue("Call the plumber"), "what was typed meanwhile is kept")
	must(t, expect.Locator(newTitle(p)).ToBeFocused(), "and the field keeps the focus")
	must(t, p.Keyboard().Press("Enter"), "add the second")
	must(t, expect.Locator(task(p, "Call the plumber")).ToHaveCount(1), "the second task is added")
	must(t, expect.Locator(newTitle(p)).ToHaveValue(""), "empty again")
}

// Rule 3: delete, clear completed and mark all offer Undo, across a reload, and Undo restores
// exactly (ids, text, state, order, counts); with JavaScript off too.
func TestUndoAfterReload(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(fmt.Sprintf("javascript=%v", js), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Undoer", playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(js)})
			p := u.page
			u.createTask(t, "Undo keeps me", "my notes, kept")
			u.createTask(t, "Undo done one", "")
			u.createTask(t, "Undo last one", "")
			reload(t, p)
			must(t, toggleOf(task(p, "Undo done one")).Click(), "complete one")
			must(t, expect.Locator(task(p, "Undo done one")).ToHaveAttribute("data-completed", "true"), "completed")
			before := shown(t, p)

			steps := []struct {
				name    string
				act     func()
				message string
			}{
				{"delete", func() {
					must(t, task(p, "Undo keeps me").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Delete"}).Click(), "delete")
					must(t, expect.Locator(task(p, "Undo keeps me")).ToHaveCount(0), "deleted")
				}, "Deleted “Undo keeps me”."},
				{"clear completed", func() {
					must(t, p.GetByTestId("clear-completed").Click(), "clear completed")
					must(t, expect.Locator(task(p, "Undo done one")).ToHaveCount(0), "cleared")
				}, "Deleted 1 completed task."},
				{"mark all", func() {
					must(t, p.GetByTestId("toggle-all").Click(), "mark all as complete")
					must(t, expect.Locator(p.Locator("[data-task-id][data-completed=false]")).ToHaveCount(0), "all complete")
				}, "Marked 2 tasks complete."},
			}
			for _, s := range steps {
				s.act()
				must(t, expect.Locator(undoOffer(p)).ToContainText(s.message), "%s: the message offers undo", s.name)
				reload(t, p)
				must(t, expect.Locator(undoOffer(p)).ToContainText(s.message), "%s: still offered after a reload", s.name)
				must(t, undoOffer(p).GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Undo"}).Click(), "%s: undo", s.name)
				must(t, expect.Locator(tasks(p)).ToHaveCount(len(before)), "%s: every task back", s.name)
				must(t, expect.Locator(undoOffer(p)).ToHaveCount(0), "%s: the offer is gone", s.name)
				reload(t, p)
				if got := shown(t, p); fmt.Sprint(got) != fmt.Sprint(before) {
					t.Fatalf("%s undone: the list is\n %v\nwant\n %v", s.name, got, before)
				}
				must(t, expect.Locator(todoCount(p)).ToHaveText("2 items left"), "%s: the counts are back", s.name)
			}
		})
	}
}

// Rule 4: an action on a task deleted in another tab says so and takes its row away.
func TestTaskDeletedElsewhereLeavesThePage(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Two Tabs")
	u.createTask(t, "Deleted in the other tab", "")
	u.createTask(t, "Still here", "")
	withoutLiveUpdates(t, u.page) // else the live stream takes the row away first
	reload(t, u.page)
	gone := shown(t, u.page)[0]
	if r := u.send(t, "POST", "/tasks/"+gone.ID+"/delete", map[string]any{}, false); r.status != 303 {
		t.Fatalf("delete in the other tab: %d", r.status)
	}
	must(t, toggleOf(task(u.page, "Deleted in the other tab")).Click(), "toggle the task deleted elsewhere")
	must(t, expect.Locator(messages(u.page)).ToContainText("There is no such task."), "the message")
	must(t, expect.Locator(task(u.page, "Deleted in the other tab")).ToHaveCount(0), "its row is gone")
	must(t, expect.Locator(todoCount(u.page)).ToHaveText("1 item left"), "the counter is right again")
	must(t, expect.Locator(task(u.page, "Still here")).ToHaveCount(1), "the other task stays")
}

// Rule 5: with the database stopped, every htmx failure goes to the one message region, the page
// stays as it was (typed text included), messages replace each other, and the next action after the
// database is back works without a reload.
func TestStoppedDatabaseLeavesThePageIntact(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDatabase(t)
	u0, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := faultproxy.New(u0.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	through := *u0
	through.Host = proxy.Addr()
	a, err := newApp("outage-app", appBin, through.String(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.kill() })
	a.logOnFailure(t)

	u := signUp(t, a, "Outage")
	p := u.page
	addTask(t, p, "Before the outage")
	addTask(t, p, "Another before")
	before := shown(t, p)
	listBox := func() string {
		html, err := p.Locator("#todo-app").InnerHTML()
		must(t, err, "read the list")
		return html
	}
	list := listBox()

	proxy.Outage()
	must(t, newTitle(p).Fill("Typed during the outage"), "type")
	must(t, newTitle(p).Press("Enter"), "add")
	must(t, expect.Locator(messages(p)).ToContainText("The database is not answering"), "add: the 503 message")
	must(t, expect.Locator(newTitle(p)).ToHaveValue("Typed during the outage"), "add: the typed text stays")
	must(t, toggleOf(task(p, "Before the outage")).Click(), "toggle")
	must(t, expect.Locator(messages(p)).ToContainText("The database is not answering"), "toggle: the message")
	must(t, p.GetByTestId("toggle-all").Click(), "mark all")
	must(t, expect.Locator(messages(p)).ToContainText("The database is not answering"), "mark all: the message")
	must(t, expect.Locator(messages(p).Locator(".toast")).ToHaveCount(1), "one message, not a stack")
	if got := shown(t, p); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Fatalf("the list changed during the outage: %v, want %v", got, before)
	}
	must(t, expect.Locator(p.GetByTestId("new-task")).ToHaveCount(1), "the form is still a form")
	must(t, expect.Locator(newTitle(p)).ToHaveValue("Typed during the outage"), "the typed text is still there")

	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	// The next action works without a reload (the pool reconnects on its own).
	deadline := time.Now().Add(15 * time.Second)
	for {
		must(t, p.GetByTestId("add").Click(), "add again")
		if err := expect.Locator(task(p, "Typed during the outage")).ToHaveCount(1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(2000)}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the add did not work after the database came back")
		}
	}
	must(t, expect.Locator(messages(p).Locator(".toast-error")).ToHaveCount(0), "the error message is gone")
	must(t, toggleOf(task(p, "Before the outage")).Click(), "toggle after recovery")
	must(t, expect.Locator(task(p, "Before the outage")).ToHaveAttribute("data-completed", "true"), "toggled")
	_ = list
}

// Rule 6: a request that never reaches the server (aborted, unreachable) says so, with a retry that
// sends it again.
func TestNetworkFailureOffersRetry(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Offline")
	p := u.page
	addTask(t, p, "Toggle me offline")
	abort := regexp.MustCompile(`/tasks/\d+/toggle$`)
	must(t, p.Route(abort, func(r playwright.Route) { r.Abort("internetdisconnected") }), "cut the network for toggles")
	must(t, toggleOf(task(p, "Toggle me offline")).Click(), "toggle offline")
	must(t, expect.Locator(messages(p)).ToContainText("could not be reached"), "the message")
	must(t, expect.Locator(task(p, "Toggle me offline")).ToHaveAttribute("data-completed", "false"), "nothing changed")
	must(t, p.Unroute(abort), "the network is back")
	must(t, p.GetByTestId("retry").Click(), "Try again")
	must(t, expect.Locator(task(p, "Toggle me offline")).ToHaveAttribute("data-completed", "true"), "the retry sent it")
	must(t, expect.Locator(messages(p).Locator(".toast-error")).ToHaveCount(0), "the message is gone")

	// An error answer that is not the app's own (a proxy's page) is not put on the page.
	must(t, p.Route(abort, func(r playwright.Route) {
		r.Fulfill(playwright.RouteFulfillOptions{Status: playwright.Int(502), ContentType: playwright.String("text/html"), Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"})
	}), "a proxy answers 502")
	must(t, toggleOf(task(p, "Toggle me offline")).Click(), "toggle through a failing proxy")
	must(t, expect.Locator(messages(p)).ToContainText("status 502"), "the message")
	must(t, expect.Locator(p.Locator("h1", playwright.PageLocatorOptions{HasText: "Bad Gateway"})).ToHaveCount(0), "the proxy's page is not shown")
	must(t, expect.Locator(task(p, "Toggle me offline")).ToHaveAttribute("data-completed", "true"), "the task stays as it was")
	must(t, p.Unroute(abort), "the proxy is fine again")

	// An add that cannot be sent keeps its text.
	must(t, p.Route("**/tasks", func(r playwright.Route) { r.Abort("connectionrefused") }), "server unreachable")
	must(t, newTitle(p).Fill("Not lost"), "type")
	must(t, newTitle(p).Press("Enter"), "add")
	must(t, expect.Locator(messages(p)).ToContainText("could not be reached"), "the message")
	must(t, expect.Locator(newTitle(p)).ToHaveValue("Not lost"), "the text is back in the field")
}

// "Try again" still sends a toggle whose row a live update redrew after the toggle failed (here,
// the task renamed on another page), and does not send one whose row now shows the other state:
// that would undo the other page's change.
func TestRetryReachesARowRedrawnMeanwhile(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Retry Redrawn")
	p := u.page
	addTask(t, p, "Toggle me later")
	id, err := task(p, "Toggle me later").GetAttribute("data-task-id")
	must(t, err, "the task's id")
	abort := regexp.MustCompile(`/tasks/\d+/toggle$`)

	must(t, p.Route(abort, func(r playwright.Route) { r.Abort("internetdisconnected") }), "cut the network for toggles")
	must(t, toggleOf(task(p, "Toggle me later")).Click(), "toggle offline")
	must(t, expect.Locator(messages(p)).ToContainText("could not be reached"), "the message")
	if r := u.send(t, "POST", "/tasks/"+id, map[string]any{"title": "Renamed meanwhile"}, false); r.status != 303 {
		t.Fatalf("rename it elsewhere: %d", r.status)
	}
	must(t, expect.Locator(task(p, "Renamed meanwhile")).ToHaveCount(1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(liveTimeout)}),
		"the live update redraws the row")
	must(t, p.Unroute(abort), "the network is back")
	must(t, p.GetByTestId("retry").Click(), "Try again")
	must(t, expect.Locator(task(p, "Renamed meanwhile")).ToHaveAttribute("data-completed", "true"), "the retry sent the toggle")

	// Failed again, and meanwhile marked active on another page: the row's checkbox now sends the
	// other state, and "Try again" sends nothing.
	must(t, p.Route(abort, func(r playwright.Route) { r.Abort("internetdisconnected") }), "cut the network again")
	must(t, toggleOf(task(p, "Renamed meanwhile")).Click(), "toggle (to active) offline")
	must(t, expect.Locator(messages(p)).ToContainText("could not be reached"), "the message")
	if r := u.send(t, "POST", "/tasks/"+id+"/toggle", map[string]any{"completed": "false"}, false); r.status != 303 {
		t.Fatalf("mark it active elsewhere: %d", r.status)
	}
	must(t, expect.Locator(task(p, "Renamed meanwhile")).ToHaveAttribute("data-completed", "false", playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(liveTimeout)}),
		"the live update shows it active")
	must(t, p.Unroute(abort), "the network is back again")
	must(t, p.GetByTestId("retry").Click(), "Try again")
	must(t, expect.Locator(messages(p)).ToContainText("changed on another page"), "the message says why nothing was sent")
	must(t, expect.Locator(task(p, "Renamed meanwhile")).ToHaveAttribute("data-completed", "false"), "the other page's change stands")
}

// Rule 7: messages never move the layout; they can be dismissed and are live regions. The shift is
// measured with the positions of the list and its first task before and after a message appears.
func TestMessagesDoNotMoveTheLayout(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, width := range []int{1280, 375} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			t.Parallel()
			u := signUp(t, shared, "Steady", playwright.BrowserNewContextOptions{Viewport: &playwright.Size{Width: width, Height: 800}})
			p := u.page
			for _, title := range []string{"Steady one", "Steady two", "Steady three"} {
				u.createTask(t, title, "")
			}
			// This tab's own changes come back to it as live updates, which redraw the rows they name
			// (the same rows, a moment later); measured here is what the messages do, so the page is
			// cut off from them.
			withoutLiveUpdates(t, p)
			reload(t, p)
			// The positions of the new-task form, the first and the last task, and the footer.
			top := func(what string) []float64 {
				ys, err := p.Locator("#new-task, #task-list > li:first-child, #task-list > li:last-child, .list-footer").EvaluateAll(
					`els => els.map(e => e.getBoundingClientRect().top + window.scrollY)`)
				must(t, err, "measure %s", what)
				var out []float64
				for _, y := range ys.([]any) {
					out = append(out, number(y))
				}
				return out
			}
			y0 := top("before")
			var worst float64
			for _, step := range []struct {
				name string
				act  func()
				want playwright.Locator
			}{
				{"undo offer", func() { must(t, p.GetByTestId("toggle-all").Click(), "mark all") }, undoOffer(p)},
				{"error", func() {
					must(t, p.Route(regexp.MustCompile(`/toggle$`), func(r playwright.Route) { r.Abort("failed") }), "cut")
					must(t, toggleOf(task(p, "Steady two")).Click(), "toggle")
				}, messages(p).Locator(".toast-error")},
				{"message dismissed", func() {
					must(t, messages(p).Locator("[data-dismiss]").Click(), "dismiss")
				}, messages(p)},
			} {
				step.act()
				must(t, expect.Locator(step.want).ToBeAttached(), "%s shows", step.name)
				var shift float64
				for i, y := range top(step.name) {
					shift = math.Max(shift, math.Abs(y-y0[i]))
				}
				worst = math.Max(worst, shift)
				t.Logf("width %d, %s: the list moved %.1f px", width, step.name, shift)
				if shift > 0.5 {
					t.Errorf("width %d, %s: the list moved %.1f px", width, step.name, shift)
				}
			}
			must(t, expect.Locator(messages(p).Locator(".toast")).ToHaveCount(0), "dismissed")
			must(t, expect.Locator(messages(p)).ToHaveAttribute("aria-live", "polite"), "the region is live")
			must(t, expect.Locator(p.Locator("#undo")).ToHaveAttribute("aria-live", "polite"), "the undo region is live")
			// An undo offer dismissed stays dismissed in this tab.
			must(t, undoOffer(p).Locator("[data-dismiss]").Click(), "dismiss the undo offer")
			must(t, expect.Locator(undoOffer(p)).ToHaveCount(0), "dismissed")
			reload(t, p)
			must(t, expect.Locator(undoOffer(p)).ToHaveCount(0), "still dismissed after a reload")
			t.Logf("width %d: largest layout shift %.1f px", width, worst)
		})
	}
}

// Rule 8: an unknown address gets the app's own page, titled in words, with a way home; the icon
// answers.
func TestUnknownAddressGetsTheAppsPage(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Lost")
	resp, err := u.page.Goto("/no/such/page")
	must(t, err, "go to an unknown address")
	if resp.Status() != 404 {
		t.Fatalf("status %d", resp.Status())
	}
	title, err := u.page.Title()
	must(t, err, "title")
	if !strings.HasPrefix(title, "Nothing here") || strings.Contains(title, "404") || strings.Contains(title, "Not Found") {
		t.Fatalf("title %q", title)
	}
	must(t, expect.Locator(u.page.GetByTestId("error-page")).ToBeVisible(), "the styled page")
	must(t, u.page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "Back to your tasks"}).Click(), "the way home")
	must(t, expect.Page(u.page).ToHaveURL(shared.URL()+"/"), "home")
	if r := u.send(t, "GET", "/favicon.ico", nil, false); r.status != 200 || !strings.HasPrefix(r.headers["content-type"], "image/") {
		t.Fatalf("/favicon.ico: %d %q", r.status, r.headers["content-type"])
	}
}

// Rule 9: sign-in focuses the email, then the password after a wrong one, sends once however often
// the button is pressed, and returns to the page that asked for it (same-site paths only).
func TestSignInFlows(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Returner")
	u.signOut(t)
	p := u.page
	goTo(t, p, "/sign-in")
	must(t, expect.Locator(p.Locator("#sign-in-email")).ToBeFocused(), "the email field has the focus")
	must(t, p.Keyboard().Type(u.email), "type the email")
	must(t, p.Locator("#sign-in-password").Fill("not the password"), "a wrong password")
	must(t, p.Locator("#sign-in-password").Press("Enter"), "sign in")
	must(t, expect.Locator(p.GetByTestId("form-error")).ToBeVisible(), "refused")
	must(t, expect.Locator(p.Locator("#sign-in-password")).ToBeFocused(), "the password field has the focus")

	// /completed → sign in → /completed, pressing the button twice.
	goTo(t, p, "/completed")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/sign-in"), "sent to sign in")
	release, held := hold(t, p, "**/sign-in", "POST")
	must(t, p.Locator("#sign-in-email").Fill(u.email), "email")
	must(t, p.Locator("#sign-in-password").Fill(u.password), "password")
	must(t, p.GetByTestId("sign-in-submit").Click(), "press once")
	must(t, expect.Locator(p.GetByTestId("sign-in-submit")).ToBeDisabled(), "the button is disabled while signing in")
	_ = p.GetByTestId("sign-in-submit").Click(playwright.LocatorClickOptions{Force: playwright.Bool(true), Timeout: playwright.Float(500)})
	release()
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/completed"), "back on /completed")
	if n := held.Load(); n != 1 {
		t.Fatalf("%d sign-in requests sent, want 1", n)
	}
	must(t, p.Unroute("**/sign-in"), "unroute")

	// Never to another site.
	u.signOut(t)
	goTo(t, p, "/sign-in?next=//evil.example/")
	must(t, p.Locator("#sign-in-email").Fill(u.email), "email")
	must(t, p.Locator("#sign-in-password").Fill(u.password), "password")
	must(t, p.Locator("#sign-in-password").Press("Enter"), "sign in")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "home, not another site")
}

// lockoutApp is an app behind a named proxy (this host): each browser context says which client it
// is with X-Forwarded-For, as a proxy would.
func lockoutApp(t *testing.T, env ...string) *app {
	t.Helper()
	a, err := newApp("lockout-"+strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), appBin, pgtest.NewDatabase(t), t.TempDir(), env...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.kill() })
	a.logOnFailure(t)
	return a
}

func fromClient(addr string) playwright.BrowserNewContextOptions {
	return playwright.BrowserNewContextOptions{ExtraHttpHeaders: map[string]string{"X-Forwarded-For": addr}}
}

// Rule 10: an attacker's wrong passwords throttle the attacker, not the owner.
func TestGuessingDoesNotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	a := lockoutApp(t, "TRUSTED_PROXIES=127.0.0.1,::1")
	owner := signUp(t, a, "Owner", fromClient("198.51.100.10"))
	owner.signOut(t)
	attacker := newContext(t, a, fromClient("203.0.113.66"))
	codes := map[int]int{}
	for range 12 {
		resp, err := attacker.Request().Post(a.URL()+"/sign-in", playwright.APIRequestContextPostOptions{
			Form: map[string]any{"email": owner.email, "password": "guess-guess"}, MaxRedirects: playwright.Int(0)})
		must(t, err, "guess")
		codes[resp.Status()]++
	}
	if codes[401] != 10 || codes[429] != 2 {
		t.Fatalf("12 guesses from one client: %v, want 10 refused and then 429", codes)
	}
	owner.signIn(t) // from the owner's own client: in
}

// Rule 11: X-Forwarded-For is believed only from a proxy the operator names: with none, a client
// rotating the header is still one client and is throttled.
func TestForwardedForIsNotTrustedByDefault(t *testing.T) {
	t.Parallel()
	a := lockoutApp(t)
	owner := signUp(t, a, "Rotated")
	c := newContext(t, a)
	codes := map[int]int{}
	for i := range 12 {
		resp, err := c.Request().Post(a.URL()+"/sign-in", playwright.APIRequestContextPostOptions{
			Form:         map[string]any{"email": owner.email, "password": "guess-guess"},
			Headers:      map[string]string{"X-Forwarded-For": fmt.Sprintf("10.%d.0.1", i)},
			MaxRedirects: playwright.Int(0)})
		must(t, err, "guess")
		codes[resp.Status()]++
	}
	if codes[429] == 0 {
		t.Fatalf("a client rotating X-Forwarded-For was never throttled: %v", codes)
	}
}

// Rule 12: touch targets of at least 44×44 CSS px, and nothing scrolls sideways at 320 or 375 px.
func TestTouchTargetsAndNarrowScreens(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, width := range []int{320, 375} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			t.Parallel()
			u := &user{app: shared}
			u.name, u.email, u.password = newIdentity("Narrow " + strings.Repeat("long", 8))
			u.email = "a-very-long-address-for-a-narrow-screen-" + u.email
			u.ctx = newContext(t, shared, playwright.BrowserNewContextOptions{Viewport: &playwright.Size{Width: width, Height: 700}, HasTouch: playwright.Bool(true)})
			u.page = newPage(t, u.ctx)
			u.fillSignUp(t)
			must(t, expect.Page(u.page).ToHaveURL(shared.URL()+"/"), "signed up")
			u.createTask(t, "A task with a rather long title that has to wrap on a narrow phone screen", "and a description")
			u.createTask(t, "Done", "")
			p := u.page
			reload(t, p)
			must(t, toggleOf(task(p, "Done")).Click(), "complete")
			must(t, expect.Locator(task(p, "Done")).ToHaveAttribute("data-completed", "true"), "completed")
			for _, sel := range []string{"#task-list .check", "#task-list .delete", "#task-list .edit", ".filters a",
				"[data-testid=toggle-all]", "[data-testid=clear-completed]", "[data-testid=undo-button]", "#undo [data-dismiss]"} {
				if sel == "[data-testid=undo-button]" {
					must(t, task(p, "Done").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Delete"}).Click(), "delete, for the undo offer")
					must(t, expect.Locator(p.Locator(sel)).ToBeVisible(), "undo offered")
				}
				// Measured once the page has settled: a live update may be redrawing a row just then.
				var boxes any
				var err error
				for try := 0; try < 20; try++ {
					boxes, err = p.Locator(sel).EvaluateAll(`els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height] })`)
					if err != nil || allAtLeast(boxes.([]any), 44) {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
				must(t, err, "measure %s", sel)
				if len(boxes.([]any)) == 0 {
					t.Errorf("%d px: no %s", width, sel)
				}
				for _, b := range boxes.([]any) {
					wh := b.([]any)
					if number(wh[0]) < 44 || number(wh[1]) < 44 {
						t.Errorf("%d px: %s is %.0f×%.0f px, want at least 44×44", width, sel, number(wh[0]), number(wh[1]))
					}
				}
			}
			for _, path := range []string{"/", "/active", "/account", "/no/such/page"} {
				_, err := p.Goto(path)
				must(t, err, "go to %s", path)
				overflow, err := p.Evaluate(`() => document.documentElement.scrollWidth - window.innerWidth`)
				must(t, err, "measure %s", path)
				if n := number(overflow); n > 0 {
					t.Errorf("%d px: %s is %.0f px wider than the screen", width, path, n)
				}
			}
		})
	}
}

// Rule 13: inline editing keeps the row and what was typed when it shows an error, enforces the
// limits in the fields (with a counter near them), and Ctrl+Enter saves the description.
func TestInlineEditKeepsWhatWasTyped(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Editor")
	p := u.page
	addTask(t, p, "Edit me inline")
	id, err := task(p, "Edit me inline").GetAttribute("data-task-id")
	must(t, err, "task id")
	startEditing(t, p, "Edit me inline")
	must(t, editField(p).Fill("   "), "blank the title")
	must(t, editField(p).Press("Enter"), "save")
	must(t, expect.Locator(p.GetByTestId("edit-error")).ToBeVisible(), "the error")
	row := p.Locator(`#task-list > li[data-task-id="` + id + `"]`)
	must(t, expect.Locator(row).ToHaveClass(regexp.MustCompile(`editing`)), "the row is still the task's, being edited")
	must(t, expect.Locator(row.Locator("label").First()).ToContainText("Edit me inline"), "its label names the task")
	must(t, expect.Locator(editField(p)).ToHaveValue("   "), "the typed text stays")
	must(t, expect.Locator(editField(p)).ToHaveAttribute("maxlength", "200"), "the title's limit is in the field")
	must(t, expect.Locator(p.GetByTestId("edit-description")).ToHaveAttribute("maxlength", "1000"), "the description's limit")

	must(t, editField(p).Fill(""), "clear")
	must(t, editField(p).PressSequentially(strings.Repeat("x", 195)), "type near the limit")
	must(t, expect.Locator(row.GetByTestId("chars-left")).ToHaveText("5 characters left"), "the counter")
	must(t, editField(p).Fill("Edited inline"), "a real title")
	must(t, p.GetByTestId("edit-description").Fill("Saved with Ctrl+Enter"), "a description")
	must(t, p.GetByTestId("edit-description").Press("Control+Enter"), "Ctrl+Enter")
	must(t, expect.Locator(task(p, "Edited inline")).ToContainText("Saved with Ctrl+Enter"), "saved")
	must(t, expect.Locator(p.GetByTestId("edit-form")).ToHaveCount(0), "no longer editing")
}

// Rule 14: without JavaScript a toggle comes back to the task, and a refused title does not leave
// the address bar at /tasks.
func TestWithoutJavaScriptKeepsThePlace(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Placekeeper", playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(false), Viewport: &playwright.Size{Width: 800, Height: 500}})
	for i := range 30 {
		u.createTask(t, fmt.Sprintf("Place %02d", i), "")
	}
	p := u.page
	reload(t, p)
	id, err := task(p, "Place 27").GetAttribute("data-task-id")
	must(t, err, "id")
	must(t, toggleOf(task(p, "Place 27")).Click(), "toggle far down the page")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/#t"+id), "back at the task")
	scrolled, err := p.Evaluate(`() => window.scrollY`)
	must(t, err, "scroll")
	if number(scrolled) < 200 {
		t.Fatalf("the page is at %v px, not at the task", scrolled)
	}
	must(t, newTitle(p).Fill("  "), "a blank title")
	must(t, newTitle(p).Press("Enter"), "add")
	must(t, expect.Locator(p.GetByTestId("new-task-error")).ToBeVisible(), "refused")
	if u, _ := url.Parse(p.URL()); u.Path != "/" {
		t.Fatalf("the address bar is at %s after a refused title", p.URL())
	}
}

// Rule 15: a new task is visible right after it is added, even with more than a page of tasks, and
// "Load more" keeps its place across a reload.
func TestNewTaskVisibleInALongList(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Long List")
	for i := range 150 {
		u.createTask(t, fmt.Sprintf("Long %03d", i), "")
	}
	p := u.page
	reload(t, p)
	must(t, expect.Locator(tasks(p)).ToHaveCount(100), "one page")
	addTask(t, p, "Just typed this")
	must(t, expect.Locator(task(p, "Just typed this")).ToBeVisible(), "the new task is on screen")
	must(t, expect.Page(p).ToHaveURL(regexp.MustCompile(`\?after=\d+$`)), "the address says where the list is")
	reload(t, p)
	must(t, expect.Locator(task(p, "Just typed this")).ToHaveCount(1), "and a reload shows it again")

	goTo(t, p, "/")
	must(t, p.GetByTestId("load-more").Click(), "Load more")
	must(t, expect.Locator(task(p, "Long 120")).ToHaveCount(1), "the next page")
	must(t, expect.Page(p).ToHaveURL(regexp.MustCompile(`\?after=\d+$`)), "the address follows")
	reload(t, p)
	must(t, expect.Locator(task(p, "Long 120")).ToHaveCount(1), "a reload keeps the place")
}

// Rule 16: "Mark all as complete" shows its state on every filter, after every kind of change.
func TestMarkAllShowsItsStateOnEveryFilter(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Marker")
	p := u.page
	u.createTask(t, "Mark one", "")
	u.createTask(t, "Mark two", "")
	state := func(path, want, what string) {
		t.Helper()
		goTo(t, p, path)
		must(t, expect.Locator(p.GetByTestId("toggle-all")).ToHaveAttribute("aria-checked", want), "%s on %s", what, path)
	}
	for _, path := range []string{"/", "/active", "/completed"} {
		state(path, "false", "some active")
	}
	goTo(t, p, "/active")
	must(t, toggleOf(task(p, "Mark one")).Click(), "complete one on /active")
	must(t, expect.Locator(p.GetByTestId("toggle-all")).ToHaveAttribute("aria-checked", "false"), "one still active")
	must(t, toggleOf(task(p, "Mark two")).Click(), "complete the last on /active")
	must(t, expect.Locator(p.GetByTestId("toggle-all")).ToHaveAttribute("aria-checked", "true"), "all complete, shown at once on /active")
	for _, path := range []string{"/", "/active", "/completed"} {
		state(path, "true", "all complete")
	}
	goTo(t, p, "/completed")
	must(t, toggleOf(task(p, "Mark one")).Click(), "reopen one on /completed")
	must(t, expect.Locator(p.GetByTestId("toggle-all")).ToHaveAttribute("aria-checked", "false"), "not all complete, shown at once on /completed")
	must(t, p.GetByTestId("toggle-all").Click(), "mark all on /completed")
	must(t, expect.Locator(p.GetByTestId("toggle-all")).ToHaveAttribute("aria-checked", "true"), "checked after marking all")
	must(t, expect.Locator(tasks(p)).ToHaveCount(2), "both on /completed")
	must(t, newTitle(p).Fill("Mark three"), "type on /completed")
	must(t, newTitle(p).Press("Enter"), "add on /completed")
	must(t, expect.Locator(p.GetByTestId("new-task-notice")).ToContainText("Mark three"), "added elsewhere")
	must(t, expect.Locator(p.GetByTestId("toggle-all")).ToHaveAttribute("aria-checked", "false"), "a new active task unchecks it")
}

// withoutLiveUpdates cuts a page off from live updates (every /events request fails), as a page
// whose stream is down would be.
func withoutLiveUpdates(t *testing.T, p playwright.Page) {
	t.Helper()
	if err := p.Route("**/events**", func(r playwright.Route) { r.Abort() }); err != nil {
		t.Fatalf("route /events: %v", err)
	}
}

// allAtLeast: every [width, height] box is at least min×min.
func allAtLeast(boxes []any, min float64) bool {
	for _, b := range boxes {
		wh := b.([]any)
		if number(wh[0]) < min || number(wh[1]) < min {
			return false
		}
	}
	return true
}
