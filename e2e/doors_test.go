package e2e

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// missingID is a well-formed task id that no task has: what a foreign id must be indistinguishable from.
const missingID = "9000000000000000000"

// taskDoor is one route of the HTTP contract that names a task by id.
type taskDoor struct {
	method, path string // path has {id}
	form         map[string]any
}

// taskDoors are every route that takes a task id: the edit page, update, toggle and
// delete, and the app's own GET /tasks/{id} (web/routes.go).
var taskDoors = []taskDoor{
	{http.MethodGet, "/tasks/{id}/edit", nil},
	{http.MethodGet, "/tasks/{id}", nil}, // the app's own: one task's list item, for htmx
	{http.MethodPost, "/tasks/{id}", map[string]any{"title": "taken over by B", "description": "B was here"}},
	{http.MethodPost, "/tasks/{id}/toggle", map[string]any{}},
	{http.MethodPost, "/tasks/{id}/delete", map[string]any{}},
}

// Scenario 2: B, signed in with B's own session, knocks at every task door with A's task ids, plain
// and htmx. Each answers 404 exactly as for an id that doesn't exist, and A's tasks are unchanged.
func TestIsolationAtEveryDoor(t *testing.T) {
	t.Parallel()
	shared.logOnFailure(t)
	a := signUp(t, shared, "Door A")
	b := signUp(t, shared, "Door B")
	for _, title := range []string{"A-door alpha", "A-door beta", "A-door gamma"} {
		a.createTask(t, title, "A-door notes for "+title)
	}
	b.createTask(t, "B-door own task", "")
	before := a.listOf(t, "/")
	if len(before) != 3 {
		t.Fatalf("A's list shows %d tasks, want 3: %+v", len(before), before)
	}
	// One of A's tasks completed, so toggling back and clearing completed would both show.
	if r := a.send(t, http.MethodPost, "/tasks/"+before[1].ID+"/toggle", map[string]any{}, false); r.status != http.StatusSeeOther {
		t.Fatalf("A toggles own task: status %d, want 303", r.status)
	}
	before = a.listOf(t, "/")
	if before[1].Completed != "true" {
		t.Fatalf("A's toggled task shows data-completed=%q", before[1].Completed)
	}
	editBefore := map[string]string{}
	for _, k := range before {
		editBefore[k.ID] = a.send(t, http.MethodGet, "/tasks/"+k.ID+"/edit", nil, false).body
	}

	for _, door := range taskDoors {
		for _, htmx := range []bool{false, true} {
			missingPath := strings.ReplaceAll(door.path, "{id}", missingID)
			missing := b.send(t, door.method, missingPath, door.form, htmx)
			if missing.status != http.StatusNotFound {
				t.Errorf("%s %s htmx=%v with a missing id: status %d, want 404", door.method, door.path, htmx, missing.status)
			}
			for _, k := range before {
				path := strings.ReplaceAll(door.path, "{id}", k.ID)
				r := b.send(t, door.method, path, door.form, htmx)
				if r.status != http.StatusNotFound {
					t.Errorf("B: %s %s htmx=%v on A's task: status %d, want 404\n%s", door.method, path, htmx, r.status, snippet(r.body))
					continue
				}
				// Identical to a missing id, save for the id the request named where the page repeats
				// it (its path, and the row an htmx answer takes off the page).
				named := func(body, path, id string) string {
					body = strings.ReplaceAll(body, path, "{path}")
					return strings.ReplaceAll(body, "data-task-id=&#39;"+id+"&#39;", "data-task-id={id}")
				}
				if got, want := named(r.body, path, k.ID), named(missing.body, missingPath, missingID); got != want {
					a, m := differing(got, want)
					t.Errorf("B: %s %s htmx=%v: the 404 for A's task differs from the 404 for a missing one:\nA's task: %s\nmissing:  %s",
						door.method, path, htmx, a, m)
				}
				if strings.Contains(r.body, "A-door") {
					t.Errorf("B: %s %s htmx=%v: the 404 shows A's text:\n%s", door.method, path, htmx, snippet(r.body))
				}
			}
		}
	}
	// The routes without an id act on B's own tasks only.
	for _, path := range []string{"/tasks/toggle-all", "/tasks/clear-completed"} {
		for _, htmx := range []bool{false, true} {
			r := b.send(t, http.MethodPost, path, map[string]any{}, htmx)
			if r.status >= 400 {
				t.Errorf("B: POST %s htmx=%v: status %d", path, htmx, r.status)
			}
		}
	}
	// B's list pages never show A's tasks.
	for _, path := range []string{"/", "/active", "/completed"} {
		r := b.send(t, http.MethodGet, path, nil, false)
		if r.status != http.StatusOK || strings.Contains(r.body, "A-door") {
			t.Errorf("B: GET %s: status %d, shows A's tasks: %v", path, r.status, strings.Contains(r.body, "A-door"))
		}
		for _, k := range before {
			if strings.Contains(r.body, fmt.Sprintf(`data-task-id="%s"`, k.ID)) {
				t.Errorf("B: GET %s lists A's task %s", path, k.ID)
			}
		}
	}

	// A, from A's own context, finds everything as it was.
	after := a.listOf(t, "/")
	if !reflect.DeepEqual(before, after) {
		t.Errorf("A's tasks changed while B knocked:\nbefore: %+v\nafter:  %+v", before, after)
	}
	for id, want := range editBefore {
		if got := a.send(t, http.MethodGet, "/tasks/"+id+"/edit", nil, false).body; got != want {
			b, a := differing(want, got)
			t.Errorf("A's edit form of task %s changed:\nbefore: %s\nafter:  %s", id, b, a)
		}
	}
}

// snippet shortens a response body for a failure message.
func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 400 {
		return s[:400] + "…"
	}
	return s
}

// differing shows two texts from a little before the first place where they differ.
func differing(x, y string) (string, string) {
	i := 0
	for i < len(x) && i < len(y) && x[i] == y[i] {
		i++
	}
	from := max(i-80, 0)
	return "…" + snippet(x[from:]), "…" + snippet(y[from:])
}
