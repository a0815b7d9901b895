package e2e

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// Timeouts, in milliseconds. Generous for a loaded 2-core machine: they bound waiting on a condition,
// they are never slept.
const (
	actionTimeout = 10_000
	expectTimeout = 10_000
)

var (
	pw      *playwright.Playwright
	browser playwright.Browser
	// expect is Playwright's auto-retrying assertions (toHaveText, toHaveCount, …).
	expect = playwright.NewPlaywrightAssertions(expectTimeout)
)

// startBrowser runs the Playwright driver from node_modules/playwright-core with the system node and
// launches Debian's chromium headless. Nothing is downloaded: a missing piece is reported instead.
func startBrowser() (stop func(), err error) {
	core := filepath.Join(repoRoot, "node_modules", "playwright-core")
	if _, err := os.Stat(filepath.Join(core, "cli.js")); err != nil {
		return nil, errors.New("node_modules/playwright-core is missing: run `npm ci` (make test does)")
	}
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		return nil, errors.New("chromium is not installed: `apt-get install -y chromium` (make test does it as root)")
	}
	if os.Getenv("PLAYWRIGHT_NODEJS_PATH") == "" {
		node, err := exec.LookPath("node")
		if err != nil {
			return nil, errors.New("node is not on PATH: Playwright's driver needs it")
		}
		// Without it playwright-go would try to download its own Node.
		os.Setenv("PLAYWRIGHT_NODEJS_PATH", node)
	}
	// The driver directory playwright-go expects: <dir>/package is playwright-core.
	driverDir := filepath.Join(workDir, "playwright-driver")
	if err := os.MkdirAll(driverDir, 0o755); err != nil {
		return nil, err
	}
	if err := os.Symlink(core, filepath.Join(driverDir, "package")); err != nil {
		return nil, err
	}
	opts := &playwright.RunOptions{DriverDirectory: driverDir, SkipInstallBrowsers: true}
	// With a matching driver Install downloads nothing; it patches the bundle for page-error events.
	if err := playwright.Install(opts); err != nil {
		return nil, fmt.Errorf("playwright driver: %w", err)
	}
	if pw, err = playwright.Run(opts); err != nil {
		return nil, fmt.Errorf("start playwright: %w", err)
	}
	browser, err = pw.Chromium.Launch(playwright.BrowserTypeLaunchOptions{
		ExecutablePath: playwright.String(chromium),
		Headless:       playwright.Bool(true),
		Args: []string{"--disable-gpu", "--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--no-first-run"},
	})
	if err != nil {
		pw.Stop()
		return nil, fmt.Errorf("launch %s: %w", chromium, err)
	}
	return func() {
		browser.Close()
		pw.Stop()
	}, nil
}

// newContext is a fresh browser profile (own cookies) aimed at a; closed when the test ends.
func newContext(t testing.TB, a *app, opts ...playwright.BrowserNewContextOptions) playwright.BrowserContext {
	t.Helper()
	var o playwright.BrowserNewContextOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	o.BaseURL = playwright.String(a.URL())
	if o.Viewport == nil {
		o.Viewport = &playwright.Size{Width: 1280, Height: 800}
	}
	c, err := browser.NewContext(o)
	if err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	c.SetDefaultTimeout(actionTimeout)
	c.SetDefaultNavigationTimeout(actionTimeout)
	t.Cleanup(func() { c.Close() })
	return c
}

// newPage opens a tab in c. When the test fails, the page is saved to e2e/artifacts/ as it was then.
func newPage(t testing.TB, c playwright.BrowserContext) playwright.Page {
	t.Helper()
	p, err := c.NewPage()
	if err != nil {
		t.Fatalf("new page: %v", err)
	}
	t.Cleanup(func() {
		if !t.Failed() || p.IsClosed() {
			return
		}
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())
		path := filepath.Join(repoRoot, "e2e", "artifacts", fmt.Sprintf("%s-%p.png", name, p))
		if _, err := p.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(path), FullPage: playwright.Bool(true)}); err == nil {
			t.Logf("page at failure (%s): %s", p.URL(), path)
		}
	})
	return p
}

// must fails the test at once on a Playwright error (an action or an expect that timed out).
func must(t testing.TB, err error, what string, args ...any) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", fmt.Sprintf(what, args...), err)
	}
}

// goTo navigates and requires a response below 400.
func goTo(t testing.TB, p playwright.Page, path string) {
	t.Helper()
	resp, err := p.Goto(path)
	must(t, err, "go to %s", path)
	if resp != nil && resp.Status() >= 400 {
		t.Fatalf("go to %s: status %d", path, resp.Status())
	}
}

// reload reloads p and requires a response below 400.
func reload(t testing.TB, p playwright.Page) {
	t.Helper()
	resp, err := p.Reload()
	must(t, err, "reload %s", p.URL())
	if resp != nil && resp.Status() >= 400 {
		t.Fatalf("reload %s: status %d", p.URL(), resp.Status())
	}
}

// number is a JavaScript number as Evaluate returns it (an int when integral, else a float64).
func number(v any) float64 {
	switch n := v.(type) {
	case int:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}
