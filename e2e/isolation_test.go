package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Scenario 1: two people use the app at the same time, each in a browser of their own. Each sees
// only their own tasks, in every list, on every page, with counters of their own.
func TestIsolationInTheUI(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	ada := signUp(t, shared, "Ada")
	bob := signUp(t, shared, "Bob")
	// Interleaved, so that the two users' task ids interleave too.
	addTask(t, ada.page, "Ada: polish the telescope lens")
	addTask(t, bob.page, "Bob: fix the bicycle chain")
	addTask(t, ada.page, "Ada: notes on the analytical engine")
	addTask(t, bob.page, "Bob: bake sourdough bread")
	addTask(t, ada.page, "Ada: letter to Babbage")
	complete(t, ada.page, "Ada: letter to Babbage")
	complete(t, bob.page, "Bob: bake sourdough bread")

	for _, c := range []struct {
		who         *user
		own, other  string
		all, active int
		count       string
	}{
		{ada, "Ada:", "Bob:", 3, 2, "2 items left"},
		{bob, "Bob:", "Ada:", 2, 1, "1 item left"},
	} {
		for path, n := range map[string]int{"/": c.all, "/active": c.active, "/completed": c.all - c.active} {
			goTo(t, c.who.page, path)
			must(t, expect.Locator(tasks(c.who.page)).ToHaveCount(n), "%s sees %d tasks on %s", c.who.name, n, path)
			onlyOwn(t, c.who, path, c.own, c.other)
			must(t, expect.Locator(todoCount(c.who.page)).ToHaveText(c.count), "%s's counter on %s", c.who.name, path)
		}
	}

	// Pagination: Ada gets past a page (more than 100 tasks) while Bob adds his in between; neither
	// the first page, nor the next, nor a filtered one shows anything of Bob's.
	const bulk = 101
	for i := 1; i <= bulk; i++ {
		ada.createTask(t, fmt.Sprintf("Ada: bulk task %03d", i), "")
		if i%25 == 0 {
			bob.createTask(t, fmt.Sprintf("Bob: bulk task %03d", i), "")
		}
	}
	adaAll, adaActive := 3+bulk, 2+bulk
	for path, total := range map[string]int{"/": adaAll, "/active": adaActive} {
		goTo(t, ada.page, path)
		must(t, expect.Locator(tasks(ada.page)).ToHaveCount(100), "Ada's first page of %s shows 100 tasks", path)
		onlyOwn(t, ada, path, "Ada:", "Bob:")
		must(t, ada.page.GetByTestId("load-more").Click(), "Ada loads more of %s", path)
		must(t, expect.Locator(tasks(ada.page)).ToHaveCount(total), "Ada's %s shows all %d tasks after loading more", path, total)
		onlyOwn(t, ada, path+" (after loading more)", "Ada:", "Bob:")
		must(t, expect.Locator(ada.page.GetByTestId("load-more")).ToHaveCount(0), "no more to load on Ada's %s", path)
	}
	// Without JavaScript, the same link is a plain next page.
	nojs := &user{app: shared, ctx: newContext(t, shared, playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(false)})}
	cookies, err := ada.ctx.Cookies()
	must(t, err, "Ada's cookies")
	must(t, nojs.ctx.AddCookies(toOptional(cookies)), "Ada's session in a browser without JavaScript")
	nojs.page = newPage(t, nojs.ctx)
	goTo(t, nojs.page, "/")
	first := shown(t, nojs.page)
	must(t, nojs.page.GetByTestId("load-more").Click(), "next page without JavaScript")
	must(t, expect.Page(nojs.page).ToHaveURL(shared.URL()+"/?after="+first[len(first)-1].ID), "the next page has its own URL")
	must(t, expect.Locator(tasks(nojs.page)).ToHaveCount(adaAll-100), "the second page shows the rest")
	onlyOwn(t, nojs, "/ page 2", "Ada:", "Bob:")

	goTo(t, bob.page, "/")
	must(t, expect.Locator(tasks(bob.page)).ToHaveCount(2+bulk/25), "Bob sees only his tasks")
	onlyOwn(t, bob, "/", "Bob:", "Ada:")
	must(t, expect.Locator(bob.page.GetByTestId("load-more")).ToHaveCount(0), "Bob has a single page")
	must(t, expect.Locator(todoCount(bob.page)).ToHaveText(fmt.Sprintf("%d items left", 1+bulk/25)), "Bob's counter")
	goTo(t, ada.page, "/")
	must(t, expect.Locator(todoCount(ada.page)).ToHaveText(fmt.Sprintf("%d items left", adaActive)), "Ada's counter")
}

// complete clicks a task's checkbox and waits for it to show as completed.
func complete(t testing.TB, p playwright.Page, title string) {
	t.Helper()
	must(t, toggleOf(task(p, title)).Click(), "toggle %q", title)
	must(t, expect.Locator(task(p, title)).ToHaveAttribute("data-completed", "true"), "%q completed", title)
}

// onlyOwn fails t unless every task on u's page carries u's marker and none the other's; the page's
// whole text is searched too, so no title of the other user leaks anywhere else on it.
func onlyOwn(t testing.TB, u *user, where, own, other string) {
	t.Helper()
	for _, k := range shown(t, u.page) {
		if !strings.HasPrefix(k.Text, own) {
			t.Errorf("%s on %s sees a task that is not theirs: %+v", u.name, where, k)
		}
	}
	body, err := u.page.Locator("body").TextContent()
	must(t, err, "read the page")
	if strings.Contains(body, other) {
		t.Errorf("%s's %s shows text of the other user (%q)", u.name, where, other)
	}
}
