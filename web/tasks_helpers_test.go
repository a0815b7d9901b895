package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"todo/store"
	"todo/todo"
)

// Helpers for the list and task handler tests.

var hxHeaders = []string{"HX-Request", "true"}

// form encodes field/value pairs as a urlencoded body.
func taskForm(pairs ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return v.Encode()
}

// addTasks stores n tasks titled "<prefix> 1"…"<prefix> n" for the user and returns them in order.
func addTasks(t *testing.T, a *testApp, u store.User, prefix string, n int) []todo.Task {
	t.Helper()
	out := make([]todo.Task, 0, n)
	for i := 1; i <= n; i++ {
		k, err := a.store.Tasks(u.ID).Create(context.Background(), todo.Input{Title: fmt.Sprintf("%s %d", prefix, i)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, k)
	}
	return out
}

func completeTask(t *testing.T, a *testApp, u store.User, k todo.Task) todo.Task {
	t.Helper()
	k, err := a.store.Tasks(u.ID).Toggle(context.Background(), k.ID)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func getTask(t *testing.T, a *testApp, u store.User, id int64) (todo.Task, error) {
	t.Helper()
	return a.store.Tasks(u.ID).Get(context.Background(), id)
}

func countsOf(t *testing.T, a *testApp, u store.User) todo.Counts {
	t.Helper()
	c, err := a.store.Tasks(u.ID).Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func parseDoc(t *testing.T, w *httptest.ResponseRecorder) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// wantRedirect checks a 303 to the location.
func wantSeeOther(t *testing.T, w *httptest.ResponseRecorder, location string) {
	t.Helper()
	wantStatus(t, w, http.StatusSeeOther)
	if got := w.Header().Get("Location"); got != location {
		t.Fatalf("Location %q, want %q", got, location)
	}
}

// shownIDs lists the data-task-id values in document order.
func shownIDs(doc *goquery.Document) []int64 {
	var ids []int64
	doc.Find("[data-task-id]").Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("data-task-id")
		id, _ := strconv.ParseInt(v, 10, 64)
		ids = append(ids, id)
	})
	return ids
}

func idsOf(tasks []todo.Task) []int64 {
	ids := make([]int64, len(tasks))
	for i, k := range tasks {
		ids[i] = k.ID
	}
	return ids
}

func wantIDs(t *testing.T, doc *goquery.Document, want []int64) {
	t.Helper()
	if got := shownIDs(doc); !slices.Equal(got, want) {
		t.Fatalf("tasks shown %v, want %v", got, want)
	}
}

func squashSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

// isFragment tells an htmx fragment from a whole page.
func isFragment(body string) bool { return !strings.Contains(body, "<html") }

func wantVaryHX(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if !slices.Contains(w.Header().Values("Vary"), "HX-Request") {
		t.Fatalf("Vary %q lacks HX-Request", w.Header().Values("Vary"))
	}
}

func taskURL(id int64, action string) string {
	return "/tasks/" + strconv.FormatInt(id, 10) + action
}
