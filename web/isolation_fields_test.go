package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"todo/todo"
)

// Over HTTP, every sort, filter, tag, overdue and search page of Bob's shows only Bob's tasks, his
// counts and match counts, his tag suggestions; a tag only Ada has, in Bob's URL, shows nothing
// (and no error that would tell it exists); his export holds only his tasks; his edits of Ada's
// tasks with the new fields are 404 like a missing task, and change nothing.
func TestListSearchSortAndTagsShowOnlyOwnTasks(t *testing.T) {
	a := newTestApp(t)
	ada, adaCookie := a.signedInUser(t, "Ada")
	bob, bobCookie := a.signedInUser(t, "Bob")
	ctx := context.Background()
	var adas []todo.Task
	for i := range 5 {
		k, err := a.store.Tasks(ada.ID).Create(ctx, todo.Input{Title: "zebra milk ada " + strconv.Itoa(i),
			DueDate: "2020-01-0" + strconv.Itoa(i+1), Priority: "high", Tags: []string{"work", "ada-secret"},
			HasDueDate: true, HasPriority: true, HasTags: true})
		if err != nil {
			t.Fatal(err)
		}
		adas = append(adas, k)
	}
	var bobs []int64
	for i := range 2 {
		k, err := a.store.Tasks(bob.ID).Create(ctx, todo.Input{Title: "milk bob " + strconv.Itoa(i),
			DueDate: "2020-02-0" + strconv.Itoa(i+1), Priority: "low", Tags: []string{"work"},
			HasDueDate: true, HasPriority: true, HasTags: true})
		if err != nil {
			t.Fatal(err)
		}
		bobs = append(bobs, k.ID)
	}

	bobOnly := func(what string, doc *goquery.Document) {
		t.Helper()
		for _, id := range shownIDs(doc) {
			if !slices.Contains(bobs, id) {
				t.Errorf("%s: Bob's page shows task %d", what, id)
			}
		}
		if strings.Contains(doc.Text(), "ada") || doc.Find(`option[value="ada-secret"]`).Length() > 0 {
			t.Errorf("%s: Bob's page shows Ada's text or tag", what)
		}
		if got := squashSpace(doc.Find("[data-testid=todo-count]").Text()); got != "2 items left" {
			t.Errorf("%s: Bob's counter says %q", what, got)
		}
	}
	var queries []string
	for _, sort := range []string{"created", "due", "priority", "title"} {
		for _, order := range []string{"asc", "desc"} {
			queries = append(queries, "sort="+sort+"&order="+order)
		}
	}
	queries = append(queries, "tag=work", "due=overdue", "q=milk", "q=MI", "q=milk&tag=work&due=overdue&sort=due")
	for _, path := range []string{"/", "/active", "/completed"} {
		for _, query := range queries {
			what := path + "?" + query
			w := a.do(t, "GET", what, bobCookie, "")
			wantStatus(t, w, http.StatusOK)
			doc := parseDoc(t, w)
			bobOnly(what, doc)
			want := bobs
			if path == "/completed" {
				want = nil
			}
			if got := shownIDs(doc); len(got) != len(want) {
				t.Errorf("%s: Bob's page shows %v, want %v", what, got, want)
			}
			if q, _ := url.ParseQuery(query); q.Has("q") || q.Has("tag") || q.Has("due") {
				wantMatches := strconv.Itoa(len(want)) + " tasks match"
				if got := squashSpace(doc.Find("[data-testid=match-count]").Text()); got != wantMatches {
					t.Errorf("%s: match count %q, want %q", what, got, wantMatches)
				}
			}
		}
		// Ada's own tag and word, in Bob's address: an empty list, not an error.
		for _, query := range []string{"tag=ada-secret", "q=zebra", "q=ada&tag=ada-secret"} {
			what := path + "?" + query
			w := a.do(t, "GET", what, bobCookie, "", hxHeaders...)
			wantStatus(t, w, http.StatusOK)
			doc := parseDoc(t, w)
			bobOnly(what, doc)
			if got := shownIDs(doc); len(got) > 0 {
				t.Errorf("%s: Bob's page shows %v", what, got)
			}
			if got := squashSpace(doc.Find("[data-testid=match-count]").Text()); got != "0 tasks match" {
				t.Errorf("%s: match count %q", what, got)
			}
		}
	}

	// The tag field's suggestions: his tags, never hers; hers are hers.
	suggested := func(cookie *http.Cookie) []string {
		t.Helper()
		w := a.do(t, "GET", "/tags", cookie, "", hxHeaders...)
		wantStatus(t, w, http.StatusOK)
		var tags []string
		parseDoc(t, w).Find("#tag-suggestions option").Each(func(_ int, o *goquery.Selection) {
			tags = append(tags, o.AttrOr("value", ""))
		})
		return tags
	}
	if got := suggested(bobCookie); !slices.Equal(got, []string{"work"}) {
		t.Errorf("Bob's tag suggestions = %q, want [work]", got)
	}
	if got := suggested(adaCookie); !slices.Equal(got, []string{"ada-secret", "work"}) {
		t.Errorf("Ada's tag suggestions = %q, want [ada-secret work]", got)
	}
	if w := a.do(t, "GET", "/tags", nil, "", hxHeaders...); w.Code != http.StatusUnauthorized {
		t.Errorf("tag suggestions without a session: %d, want 401", w.Code)
	}

	// The export.
	w := a.do(t, "GET", "/account/export", bobCookie, "")
	wantStatus(t, w, http.StatusOK)
	var exported []struct {
		ID   int64    `json:"id"`
		Tags []string `json:"tags"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &exported); err != nil {
		t.Fatalf("export: %v: %s", err, w.Body)
	}
	if len(exported) != 2 || exported[0].ID != bobs[0] || exported[1].ID != bobs[1] {
		t.Errorf("Bob's export = %+v, want his tasks %v", exported, bobs)
	}

	// Bob's edit of Ada's task, with every new field: 404 like a missing id; hers unchanged.
	missing := a.do(t, "POST", taskURL(987654321, ""), bobCookie,
		taskForm("title", "x", "due_date", "2001-01-01", "priority", "none", "tags", "bob"))
	for _, k := range adas {
		w := a.do(t, "POST", taskURL(k.ID, ""), bobCookie,
			taskForm("title", "hijacked", "due_date", "2001-01-01", "priority", "none", "tags", "bob-was-here"))
		if w.Code != http.StatusNotFound || w.Code != missing.Code {
			t.Errorf("Bob's edit of Ada's task %d: %d (a missing task: %d), want 404", k.ID, w.Code, missing.Code)
		}
		got, err := getTask(t, a, ada, k.ID)
		if err != nil || got.Title != k.Title || got.DueDate != k.DueDate || got.Priority != k.Priority ||
			!slices.Equal(got.Tags, k.Tags) {
			t.Errorf("Ada's task after Bob's edit: %+v, %v; was %+v", got, err, k)
		}
	}
	// Ada still finds her tag.
	doc := parseDoc(t, a.do(t, "GET", "/?tag=ada-secret", adaCookie, ""))
	if got := shownIDs(doc); len(got) != len(adas) {
		t.Errorf("Ada's own tag shows %v", got)
	}
}
