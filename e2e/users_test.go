package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/mxschmitt/playwright-go"
)

// user is one person at one browser: own context (cookies), one tab.
type user struct {
	name, email, password string
	app                   *app
	ctx                   playwright.BrowserContext
	page                  playwright.Page
}

var userSeq atomic.Int64

// newIdentity makes a name, address and password no other user of this run has.
func newIdentity(label string) (name, email, password string) {
	n := userSeq.Add(1)
	slug := strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9]+`).ReplaceAllString(label, "-"))
	return fmt.Sprintf("%s %d", label, n), fmt.Sprintf("%s-%d@example.com", slug, n), fmt.Sprintf("pw-%s-%d-secret", slug, n)
}

// signUp opens a new context on a and signs a new user up through the sign-up form, ending on the list.
func signUp(t testing.TB, a *app, label string, opts ...playwright.BrowserNewContextOptions) *user {
	t.Helper()
	u := &user{app: a}
	u.name, u.email, u.password = newIdentity(label)
	u.ctx = newContext(t, a, opts...)
	u.page = newPage(t, u.ctx)
	u.fillSignUp(t)
	must(t, expect.Page(u.page).ToHaveURL(a.URL()+"/"), "%s lands on the list after signing up", u.email)
	return u
}

// fillSignUp submits the sign-up form of the current tab with u's identity.
func (u *user) fillSignUp(t testing.TB) {
	t.Helper()
	p := u.page
	goTo(t, p, "/sign-up")
	form := p.Locator("form:has(input[name=password])")
	must(t, form.Locator("input[name=name]").Fill(u.name), "fill name")
	must(t, form.Locator("input[name=email]").Fill(u.email), "fill email")
	must(t, form.Locator("input[name=password]").Fill(u.password), "fill password")
	must(t, submitButton(form).Click(), "submit the sign-up form")
}

// signIn fills the sign-in form in u's current tab and waits for the list.
func (u *user) signIn(t testing.TB) {
	t.Helper()
	p := u.page
	goTo(t, p, "/sign-in")
	form := p.Locator("form:has(input[name=password])")
	must(t, form.Locator("input[name=email]").Fill(u.email), "fill email")
	must(t, form.Locator("input[name=password]").Fill(u.password), "fill password")
	must(t, submitButton(form).Click(), "submit the sign-in form")
	must(t, expect.Page(p).ToHaveURL(u.app.URL()+"/"), "%s lands on the list after signing in", u.email)
}

// signOut presses the header's sign-out button and waits for the sign-in page.
func (u *user) signOut(t testing.TB) {
	t.Helper()
	must(t, u.page.GetByRole("button", playwright.PageGetByRoleOptions{Name: regexp.MustCompile(`(?i)sign out|log out`)}).Click(), "click sign out")
	must(t, expect.Page(u.page).ToHaveURL(u.app.URL()+"/sign-in"), "signed out lands on /sign-in")
}

// submitButton is a form's (first) submit button.
func submitButton(form playwright.Locator) playwright.Locator {
	return form.Locator("button:not([type]), button[type=submit], input[type=submit]").First()
}

// reply is what the server answered a request sent with a context's request API.
type reply struct {
	status  int
	headers map[string]string // lower-case names
	body    string
}

// send makes a request with u's cookies (the context's request API shares its cookie jar) and does
// not follow redirects, so a 303 is seen as a 303. htmx adds the header htmx itself sends.
func (u *user) send(t testing.TB, method, path string, form map[string]any, htmx bool) reply {
	t.Helper()
	opts := playwright.APIRequestContextFetchOptions{
		Method:       playwright.String(method),
		MaxRedirects: playwright.Int(0),
		Headers:      map[string]string{},
	}
	if form != nil {
		opts.Form = form
	}
	if htmx {
		opts.Headers["HX-Request"] = "true"
	}
	resp, err := u.ctx.Request().Fetch(u.app.URL()+path, opts)
	must(t, err, "%s %s", method, path)
	defer resp.Dispose()
	body, err := resp.Text()
	must(t, err, "read the body of %s %s", method, path)
	return reply{status: resp.Status(), headers: resp.Headers(), body: body}
}

func toOptional(cookies []playwright.Cookie) []playwright.OptionalCookie {
	out := make([]playwright.OptionalCookie, len(cookies))
	for i, c := range cookies {
		out[i] = c.ToOptionalCookie()
	}
	return out
}
