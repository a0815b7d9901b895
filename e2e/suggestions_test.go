package e2e

import (
	"net/http"
	"slices"
	"testing"
)

// The tag field suggests the signed-in user's own tags, fetched when it first gets the focus: Bob
// is never offered Ada's.
func TestTagSuggestionsAreYourOwn(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	ada := signUp(t, shared, "Ada Tags")
	bob := signUp(t, shared, "Bob Tags")
	for _, c := range []struct {
		u     *user
		title string
		tags  string
	}{{ada, "Prune the roses", "garden ada-private"}, {bob, "File the report", "work"}, {bob, "Call the bank", "errands, work"}} {
		r := c.u.send(t, http.MethodPost, "/tasks", map[string]any{"title": c.title, "tags": c.tags}, false)
		if r.status != http.StatusSeeOther {
			t.Fatalf("add %q: status %d", c.title, r.status)
		}
	}
	suggested := func(u *user) []string {
		t.Helper()
		goTo(t, u.page, "/")
		options := u.page.Locator("#tag-suggestions option")
		must(t, expect.Locator(options).ToHaveCount(0), "no suggestions before the tag field is used")
		must(t, u.page.GetByTestId("filter-tag").Focus(), "focus the tag field")
		must(t, expect.Locator(u.page.GetByTestId("tag-suggestions")).ToHaveCount(1), "the suggestions arrive")
		// Only the suggestions came: the address and the list are as they were.
		must(t, expect.Page(u.page).ToHaveURL(u.app.URL()+"/"), "the address stays")
		must(t, expect.Locator(u.page.GetByTestId("list-controls")).ToHaveCount(1), "the search form stays")
		must(t, expect.Locator(tasks(u.page)).Not().ToHaveCount(0), "the tasks stay")
		values, err := options.EvaluateAll(`os => os.map(o => o.value)`)
		must(t, err, "read the suggestions")
		var out []string
		for _, v := range values.([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	if got := suggested(bob); !slices.Equal(got, []string{"errands", "work"}) {
		t.Errorf("Bob is offered %q, want his own tags [errands work]", got)
	}
	if got := suggested(ada); !slices.Equal(got, []string{"ada-private", "garden"}) {
		t.Errorf("Ada is offered %q, want [ada-private garden]", got)
	}
}
