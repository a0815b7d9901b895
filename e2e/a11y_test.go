package e2e

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Scenario 7: axe-core (npm, pinned in package.json) finds no violation on sign-up, sign-in and the
// list, empty and with tasks, in light and in dark.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, scheme := range []*playwright.ColorScheme{playwright.ColorSchemeLight, playwright.ColorSchemeDark} {
		t.Run(string(*scheme), func(t *testing.T) {
			t.Parallel()
			// axe is injected as a script of the test's own; the app's CSP (rightly) admits only the
			// app's scripts, so these contexts, and only these, bypass CSP.
			u := &user{app: shared}
			u.name, u.email, u.password = newIdentity("Axe " + string(*scheme))
			u.ctx = newContext(t, shared, playwright.BrowserNewContextOptions{BypassCSP: playwright.Bool(true), ColorScheme: scheme})
			u.page = newPage(t, u.ctx)
			p := u.page

			goTo(t, p, "/sign-up")
			checkAxe(t, p, "sign-up")
			// The refused form, with its messages.
			must(t, submitButton(p.Locator("form:has(input[name=password])")).Click(), "submit an empty sign-up form")
			must(t, expect.Locator(p.Locator("[aria-invalid=true]").First()).ToBeVisible(), "the refused sign-up form marks its fields")
			checkAxe(t, p, "sign-up, refused")
			goTo(t, p, "/sign-in")
			checkAxe(t, p, "sign-in")

			u.fillSignUp(t)
			must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "signed up")
			must(t, expect.Locator(p.GetByTestId("empty-state")).ToBeVisible(), "the empty state shows")
			checkAxe(t, p, "list, empty")

			addTask(t, p, "Water the plants")
			addTask(t, p, "Answer the letter from the bank")
			must(t, toggleOf(task(p, "Water the plants")).Click(), "complete a task")
			must(t, expect.Locator(task(p, "Water the plants")).ToHaveAttribute("data-completed", "true"), "task completed")
			checkAxe(t, p, "list, with tasks")
			startEditing(t, p, "Answer the letter from the bank")
			checkAxe(t, p, "list, editing a task")
			goTo(t, p, "/completed")
			checkAxe(t, p, "list, completed filter")
			// The message region: the offer to undo, an error with its retry; the not-found page.
			must(t, task(p, "Water the plants").GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Delete"}).Click(), "delete")
			must(t, expect.Locator(p.GetByTestId("undo")).ToBeVisible(), "undo offered")
			checkAxe(t, p, "list, undo offered")
			goTo(t, p, "/")
			must(t, p.Route(regexp.MustCompile(`/toggle$`), func(r playwright.Route) { r.Abort("internetdisconnected") }), "cut toggles")
			must(t, toggleOf(task(p, "Answer the letter from the bank")).Click(), "toggle offline")
			must(t, expect.Locator(p.GetByTestId("retry")).ToBeVisible(), "the error with its retry")
			checkAxe(t, p, "list, network error")
			_, err := p.Goto("/no/such/page")
			must(t, err, "an unknown address")
			checkAxe(t, p, "not-found page")
		})
	}
}

// axeViolation is the part of axe's result worth printing.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// checkAxe injects axe-core into p, runs every rule it runs by default and fails t on any violation,
// listing each with the elements at fault.
func checkAxe(t testing.TB, p playwright.Page, what string) {
	t.Helper()
	_, err := p.AddScriptTag(playwright.PageAddScriptTagOptions{Path: playwright.String(filepath.Join(repoRoot, "node_modules", "axe-core", "axe.min.js"))})
	must(t, err, "inject axe-core into %s", what)
	raw, err := p.Evaluate(`async () => {
		const r = await axe.run(document, { resultTypes: ["violations"] });
		return JSON.stringify({
			passes: r.passes.length,
			violations: r.violations.map(v => ({
				id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
				nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html, summary: n.failureSummary })),
			})),
		});
	}`)
	must(t, err, "run axe on %s", what)
	var result struct {
		Passes     int            `json:"passes"`
		Violations []axeViolation `json:"violations"`
	}
	must(t, json.Unmarshal([]byte(raw.(string)), &result), "read axe's result")
	if result.Passes == 0 {
		t.Fatalf("axe checked nothing on %s: no rule passed", what)
	}
	violations := result.Violations
	if len(violations) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "axe: %d violation(s) on %s (%s):", len(violations), what, p.URL())
	for _, v := range violations {
		fmt.Fprintf(&b, "\n  [%s] %s: %s (%s)", v.Impact, v.ID, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    at %s\n      %s\n      %s", n.Target, snippet(n.HTML), strings.ReplaceAll(n.Summary, "\n", "\n      "))
		}
	}
	t.Error(b.String())
}
