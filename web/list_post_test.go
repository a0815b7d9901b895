package web

import (
	"net/http"
	"testing"
)

// Without JavaScript the new-task form posts to the list page it is on: a refused title is 422 on
// that address, an accepted one 303 back to it; GET /tasks (a reload of an old address) goes home.
func TestNewTaskPostsToTheListPage(t *testing.T) {
	a := newTestApp(t)
	u, c := a.signedInUser(t, "Ada")
	doc := parseDoc(t, a.do(t, "GET", "/active", c, ""))
	if got := doc.Find("form[data-testid=new-task]").AttrOr("action", ""); got != "/active" {
		t.Fatalf("the new-task form posts to %q", got)
	}
	w := a.do(t, "POST", "/active", c, taskForm("title", "  ", "return", "/active"))
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if parseDoc(t, w).Find("[data-testid=new-task-error]").Length() != 1 {
		t.Fatal("no message on the refused form")
	}
	wantSeeOther(t, a.do(t, "POST", "/active", c, taskForm("title", "Water the plants", "return", "/active")), "/active")
	wantSeeOther(t, a.do(t, "POST", "/", c, taskForm("title", "Feed the cat", "return", "/")), "/")
	if got := countsOf(t, a, u); got.Active != 2 {
		t.Fatalf("counts %+v", got)
	}
	wantSeeOther(t, a.do(t, "GET", "/tasks", c, ""), "/")
}
