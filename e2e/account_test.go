package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mxschmitt/playwright-go"
)

// The account flows in a real browser, by keyboard alone (Tab, typing, Space, Enter), once with
// JavaScript (htmx) and once without: change the name, change the password and sign the other
// devices out, sign one device out, and reset a forgotten password through the mail a real SMTP
// server received. With JavaScript, axe checks the new pages while at it.
func TestAccountByKeyboard(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	for _, js := range []bool{true, false} {
		t.Run(map[bool]string{true: "with JavaScript", false: "without JavaScript"}[js], func(t *testing.T) {
			t.Parallel()
			accountFlows(t, js)
		})
	}
}

func accountFlows(t *testing.T, js bool) {
	label := map[bool]string{true: "Kay Keys", false: "Kim NoScript"}[js]
	opts := playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(js), BypassCSP: playwright.Bool(true)}
	u := signUp(t, shared, label, opts)
	p := u.page
	axe := func(what string) { // axe-core is a script: it runs only where scripts do
		t.Helper()
		if js {
			checkAxe(t, p, what)
		}
	}
	// The same person on another device.
	other := &user{app: shared, name: u.name, email: u.email, password: u.password}
	other.ctx = newContext(t, shared, playwright.BrowserNewContextOptions{JavaScriptEnabled: playwright.Bool(js)})
	other.page = newPage(t, other.ctx)
	other.signIn(t)

	// To the account page from the header, by keyboard.
	tabTo(t, p, "[data-testid=account-link]")
	press(t, p, "Enter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/account"), "the account page")
	sessions := p.Locator("[data-session-id]")
	must(t, expect.Locator(sessions).ToHaveCount(2), "two sessions listed")
	must(t, expect.Locator(p.Locator(`[data-current="true"]`)).ToHaveCount(1), "one marked as this device")
	must(t, expect.Locator(p.Locator(`[data-current="true"]`)).ToContainText("This device"), "this device says so")
	must(t, expect.Locator(p.Locator(`[data-current="true"]`)).ToContainText(regexp.MustCompile(`Chrome \d+ on Linux`)), "the device is named")
	axe("account page")

	// The name: a blank one is refused with a message, a real one saved.
	tabTo(t, p, "#account-name")
	press(t, p, "Control+A")
	press(t, p, "Delete")
	press(t, p, "Enter")
	must(t, expect.Locator(p.GetByTestId("name-error")).ToHaveText(regexp.MustCompile("Enter your name")), "blank name refused")
	must(t, expect.Locator(p.Locator("#account-name")).ToBeFocused(), "focus back on the refused field")
	newName := u.name + " Renamed"
	typeText(t, p, newName)
	press(t, p, "Enter")
	must(t, expect.Locator(p.GetByTestId("flash")).ToContainText("Your name is now"), "name saved")
	must(t, expect.Locator(p.GetByTestId("user-name")).ToHaveText(newName), "the header shows the new name")

	// The password: a wrong current one is refused (401), then changed with the others signed out.
	newPassword := u.password + "-changed"
	tabTo(t, p, "#current-password")
	typeText(t, p, "not-the-password")
	press(t, p, "Tab")
	typeText(t, p, newPassword)
	press(t, p, "Enter")
	must(t, expect.Locator(p.GetByTestId("current_password-error")).ToContainText("not your current password"), "wrong current password refused")
	axe("account page, refused password")
	tabTo(t, p, "#current-password")
	typeText(t, p, u.password)
	press(t, p, "Tab")
	typeText(t, p, newPassword)
	press(t, p, "Tab")
	press(t, p, "Space") // "Sign out my other devices"
	must(t, expect.Locator(p.Locator("#revoke-other-sessions")).ToBeChecked(), "the box is checked")
	press(t, p, "Tab")
	press(t, p, "Enter")
	must(t, expect.Locator(p.GetByTestId("flash")).ToContainText("other devices were signed out"), "password changed")
	must(t, expect.Locator(sessions).ToHaveCount(1), "only this device is left")
	reload(t, other.page)
	must(t, expect.Page(other.page).ToHaveURL(shared.URL()+"/sign-in"), "the other device was signed out")
	u.password = newPassword
	other.password = newPassword

	// One device: sign it in again, then sign it out from here.
	other.signIn(t)
	reload(t, p)
	must(t, expect.Locator(sessions).ToHaveCount(2), "the other device is back in the list")
	tabTo(t, p, "[data-testid=revoke-session]")
	press(t, p, "Enter")
	must(t, expect.Locator(sessions).ToHaveCount(1), "signed out from the list")
	must(t, expect.Locator(p.GetByTestId("flash")).ToContainText("signed out"), "and said so")
	reload(t, other.page)
	must(t, expect.Page(other.page).ToHaveURL(shared.URL()+"/sign-in"), "the other device was signed out")

	// A forgotten password: signed out, from the sign-in page, by mail.
	tabTo(t, p, "[data-testid=sign-out]")
	press(t, p, "Enter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/sign-in"), "signed out")
	tabTo(t, p, "[data-testid=forgot-link]")
	press(t, p, "Enter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/forgot-password"), "the forgot-password page")
	axe("forgot-password page")
	tabTo(t, p, "#forgot-email")
	typeText(t, p, strings.ToUpper(u.email))
	press(t, p, "Enter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/sign-in"), "back on sign-in")
	must(t, expect.Locator(p.GetByTestId("flash")).ToContainText("a link to choose a new password is on its way"), "told to look at the mail")
	msg, err := mailbox.WaitFor(u.email, 15*time.Second)
	must(t, err, "the reset mail")
	link := regexp.MustCompile(regexp.QuoteMeta(shared.URL()) + `/reset-password\?token=[A-Za-z0-9]+`).FindString(msg.Text)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", msg.Text)
	}
	goTo(t, p, link)
	axe("reset-password page")
	// The field has the focus: type a too-short password, then a good one.
	must(t, expect.Locator(p.Locator("#reset-new-password")).ToBeFocused(), "the new-password field has the focus")
	typeText(t, p, "short")
	press(t, p, "Enter")
	must(t, expect.Locator(p.GetByTestId("new_password-error")).ToContainText("too short"), "a short password refused")
	resetPassword := u.password + "-reset"
	tabTo(t, p, "#reset-new-password")
	typeText(t, p, resetPassword)
	press(t, p, "Enter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/sign-in"), "on sign-in after the reset")
	must(t, expect.Locator(p.GetByTestId("flash")).ToContainText("signed out everywhere"), "told what happened")
	// The link is used up.
	resp, err := p.Goto(link)
	must(t, err, "open the used link")
	if resp.Status() != 400 {
		t.Fatalf("the used link answered %d, want 400", resp.Status())
	}
	must(t, expect.Locator(p.GetByTestId("form-error")).ToContainText("already used"), "the used link says so")
	// Sign in with the new password, by keyboard.
	goTo(t, p, "/sign-in")
	tabTo(t, p, "#sign-in-email")
	typeText(t, p, u.email)
	press(t, p, "Tab")
	typeText(t, p, resetPassword)
	press(t, p, "Enter")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/"), "signed in with the new password")
}

// tabTo presses Tab until the focused element matches selector (at most 80 times).
func tabTo(t testing.TB, p playwright.Page, selector string) {
	t.Helper()
	for range 80 {
		on, err := p.Evaluate(`(sel) => !!document.activeElement && document.activeElement.matches(sel)`, selector)
		must(t, err, "read the focus")
		if on == true {
			return
		}
		press(t, p, "Tab")
	}
	t.Fatalf("Tab never reached %s", selector)
}

func press(t testing.TB, p playwright.Page, key string) {
	t.Helper()
	must(t, p.Keyboard().Press(key), "press %s", key)
}

func typeText(t testing.TB, p playwright.Page, text string) {
	t.Helper()
	must(t, p.Keyboard().Type(text), "type %q", text)
}
