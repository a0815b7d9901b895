package e2e

import (
	"net/http"
	"strings"
	"testing"
)

// Scenario 3: once signed out, nothing of the list is reachable: not by the back button, not by
// typing a URL, not by any task route, not by replaying the old session cookie.
func TestSignedOutAccess(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	u := signUp(t, shared, "Leaver")
	addTask(t, u.page, "Leaver private one")
	addTask(t, u.page, "Leaver private two")
	ids := shown(t, u.page)
	oldCookies, err := u.ctx.Cookies()
	must(t, err, "read cookies")

	u.signOut(t)
	p := u.page

	// Back: the list was served no-store, so the browser asks again and is sent to sign in.
	_, err = p.GoBack()
	must(t, err, "go back")
	must(t, expect.Page(p).ToHaveURL(shared.URL()+"/sign-in"), "back after sign-out shows sign-in")
	must(t, expect.Locator(tasks(p)).ToHaveCount(0), "no task after going back")
	must(t, expect.Locator(p.GetByText("Leaver private")).ToHaveCount(0), "no task title after going back")

	// Typed URLs.
	for _, path := range []string{"/", "/active", "/completed", "/tasks/" + ids[0].ID + "/edit"} {
		goTo(t, p, path)
		must(t, expect.Page(p).ToHaveURL(shared.URL()+"/sign-in"), "%s signed out ends on /sign-in", path)
		must(t, expect.Locator(p.GetByText("Leaver private")).ToHaveCount(0), "%s shows no task", path)
	}

	// Every route behind a session, plain and htmx, with this context (no cookie) and with the
	// replayed cookie of the deleted session.
	replay := &user{app: shared, ctx: newContext(t, shared)}
	must(t, replay.ctx.AddCookies(toOptional(oldCookies)), "replay the old cookies")
	for _, who := range []*user{u, replay} {
		for _, door := range signedInDoors(ids[0].ID) {
			for _, htmx := range []bool{false, true} {
				r := who.send(t, door.method, door.path, door.form, htmx)
				switch {
				case !htmx && (r.status != http.StatusSeeOther || r.headers["location"] != "/sign-in"):
					t.Errorf("signed out: %s %s: status %d location %q, want 303 to /sign-in", door.method, door.path, r.status, r.headers["location"])
				case htmx && (r.status != http.StatusUnauthorized || r.headers["hx-redirect"] != "/sign-in"):
					t.Errorf("signed out: %s %s (htmx): status %d HX-Redirect %q, want 401 with HX-Redirect /sign-in", door.method, door.path, r.status, r.headers["hx-redirect"])
				}
				if strings.Contains(r.body, "Leaver private") {
					t.Errorf("signed out: %s %s htmx=%v shows a task", door.method, door.path, htmx)
				}
			}
		}
	}
	replayPage := newPage(t, replay.ctx)
	goTo(t, replayPage, "/")
	must(t, expect.Page(replayPage).ToHaveURL(shared.URL()+"/sign-in"), "the old session cookie no longer signs in")

	// Signing out deleted the session, not the tasks: signing in again finds them.
	u.signIn(t)
	must(t, expect.Locator(tasks(p)).ToHaveCount(2), "both tasks back after signing in")
}

// signedInDoors are the routes that need a session, with a task id where they take one.
func signedInDoors(id string) []taskDoor {
	doors := []taskDoor{
		{http.MethodGet, "/", nil},
		{http.MethodGet, "/active", nil},
		{http.MethodGet, "/completed", nil},
		{http.MethodPost, "/tasks", map[string]any{"title": "sneaked in"}},
		{http.MethodPost, "/tasks/toggle-all", map[string]any{}},
		{http.MethodPost, "/tasks/clear-completed", map[string]any{}},
		{http.MethodPost, "/account/delete", map[string]any{"password": "whatever-it-is"}},
	}
	for _, d := range taskDoors {
		d.path = strings.ReplaceAll(d.path, "{id}", id)
		doors = append(doors, d)
	}
	return doors
}
