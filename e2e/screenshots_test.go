package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Scenario 8: a picture of every main page, desktop and 375 px wide, light and dark, in
// e2e/screenshots/ (git-ignored) for people to look at. Each shot also checks the page is whole: its
// hooks are there and nothing is wider than the window.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	dir := filepath.Join(repoRoot, "e2e", "screenshots")
	must(t, os.MkdirAll(dir, 0o755), "create %s", dir)

	full := signUp(t, shared, "Sam Screens")
	for _, k := range []struct{ title, description string }{
		{"Buy oat milk and bread", ""},
		{"Call the plumber about the kitchen tap", "Ask about the boiler service too — it is due in May."},
		{"Renew passport", "Photos, the old passport and the form from the post office."},
		{"Book the dentist", ""},
		{"Write the quarterly report", ""},
	} {
		full.createTask(t, k.title, k.description)
	}
	reload(t, full.page)
	for _, title := range []string{"Book the dentist", "Buy oat milk and bread"} {
		must(t, toggleOf(task(full.page, title)).Click(), "complete %q", title)
		must(t, expect.Locator(task(full.page, title)).ToHaveAttribute("data-completed", "true"), "%q completed", title)
	}
	empty := signUp(t, shared, "Emma Empty")
	// The message region's states: a message, the offer to undo, an error with its retry.
	withTasks := func(label string) *user {
		u := signUp(t, shared, label)
		for _, title := range []string{"Buy oat milk and bread", "Renew passport", "Book the dentist"} {
			u.createTask(t, title, "")
		}
		return u
	}
	messaged, undoing, failing := withTasks("Mia Message"), withTasks("Uma Undo"), withTasks("Erin Error")
	reload(t, undoing.page)
	if r := undoing.send(t, "POST", "/tasks/"+shown(t, undoing.page)[2].ID+"/delete", map[string]any{}, false); r.status != 303 {
		t.Fatalf("delete for the undo offer: %d", r.status)
	}
	must(t, failing.page.Route(regexp.MustCompile(`/toggle$`), func(r playwright.Route) { r.Abort("internetdisconnected") }), "cut toggles")
	out := newPage(t, newContext(t, shared))
	// A second device of Sam's, so the account page lists two sessions.
	phone := &user{app: shared, name: full.name, email: full.email, password: full.password}
	phone.ctx = newContext(t, shared, playwright.BrowserNewContextOptions{UserAgent: playwright.String(
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1")})
	phone.page = newPage(t, phone.ctx)
	phone.signIn(t)

	shots := []struct {
		name  string
		page  playwright.Page
		path  string
		ready func(p playwright.Page) error // what must be on screen before the picture
	}{
		{"sign-up", out, "/sign-up", func(p playwright.Page) error { return expect.Locator(p.Locator("input[name=name]")).ToBeVisible() }},
		{"sign-in", out, "/sign-in", func(p playwright.Page) error { return expect.Locator(p.Locator("input[name=email]")).ToBeVisible() }},
		{"list", full.page, "/", func(p playwright.Page) error { return expect.Locator(tasks(p)).ToHaveCount(5) }},
		{"list-empty", empty.page, "/", func(p playwright.Page) error { return expect.Locator(p.GetByTestId("empty-state")).ToBeVisible() }},
		{"list-editing", full.page, "/", func(p playwright.Page) error {
			startEditing(t, p, "Call the plumber about the kitchen tap")
			return nil
		}},
		{"list-message", messaged.page, "/", func(p playwright.Page) error {
			// A plain form's message, shown once on the page after its redirect.
			id := shown(t, p)[1].ID
			if r := messaged.send(t, "POST", "/tasks/"+id, map[string]any{"title": "Renew passport"}, false); r.status != 303 {
				t.Fatalf("save: %d", r.status)
			}
			reload(t, p)
			return expect.Locator(p.GetByTestId("flash")).ToContainText("Saved")
		}},
		{"list-undo", undoing.page, "/", func(p playwright.Page) error { return expect.Locator(p.GetByTestId("undo")).ToBeVisible() }},
		{"list-error", failing.page, "/", func(p playwright.Page) error {
			must(t, toggleOf(task(p, "Renew passport")).Click(), "toggle offline")
			return expect.Locator(p.GetByTestId("retry")).ToBeVisible()
		}},
		{"not-found", full.page, "/no/such/page", func(p playwright.Page) error { return expect.Locator(p.GetByTestId("error-page")).ToBeVisible() }},
		{"account", full.page, "/account", func(p playwright.Page) error {
			return expect.Locator(p.Locator("[data-session-id]")).ToHaveCount(2)
		}},
		{"forgot-password", out, "/forgot-password", func(p playwright.Page) error {
			return expect.Locator(p.Locator("input[name=email]")).ToBeVisible()
		}},
	}
	var overflow any
	sizes := []struct {
		name string
		size playwright.Size
	}{{"desktop", playwright.Size{Width: 1280, Height: 800}}, {"375px", playwright.Size{Width: 375, Height: 812}}}
	for _, size := range sizes {
		for _, scheme := range []*playwright.ColorScheme{playwright.ColorSchemeLight, playwright.ColorSchemeDark} {
			for _, s := range shots {
				label := fmt.Sprintf("%s-%s-%s", s.name, size.name, *scheme)
				must(t, s.page.SetViewportSize(size.size.Width, size.size.Height), "%s: viewport", label)
				must(t, s.page.EmulateMedia(playwright.PageEmulateMediaOptions{ColorScheme: scheme}), "%s: colour scheme", label)
				_, err := s.page.Goto(s.path) // the not-found page answers 404, on purpose
				must(t, err, "%s: go to %s", label, s.path)
				must(t, s.ready(s.page), "%s: page ready", label)
				overflow, err = s.page.Evaluate(`() => document.documentElement.scrollWidth - window.innerWidth`)
				must(t, err, "%s: measure width", label)
				if n := number(overflow); n > 0 {
					t.Errorf("%s: the page is %.0f px wider than the window (horizontal scrolling)", label, n)
				}
				path := filepath.Join(dir, label+".png")
				_, err = s.page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(path), FullPage: playwright.Bool(true)})
				must(t, err, "%s: screenshot", label)
			}
		}
	}
	t.Logf("%d screenshots in %s", len(sizes)*2*len(shots), dir)
}
