package api_test

import (
	"fmt"
	"net/http"
	"testing"
	"todo/internal/pgtest"
)

// A second user, with every way of authenticating, reaches none of the first user's tasks on any
// route: the first user's id in the path is 403, the first user's task id under their own path is
// 404 exactly like a missing one, and nothing changes.
func TestIsolationEveryRouteEveryCredential(t *testing.T) {
	a := newTestAPI(t)
	owner, ownerToken := a.user(t, "Owner")
	other, otherToken := a.user(t, "Other")
	ownerCookie := a.credentials(t, owner, ownerToken)[0]
	var k task
	a.do(t, http.MethodPost, "/api/"+owner.ID+"/tasks", &ownerCookie, map[string]any{"title": "mine"}).want(http.StatusCreated).json(&k)
	missing := k.ID + 1000

	type route struct {
		method, path string
		body         any
	}
	routes := func(userID string, id int64) []route {
		one := fmt.Sprintf("/api/%s/tasks/%d", userID, id)
		return []route{
			{http.MethodGet, "/api/" + userID + "/tasks", nil},
			{http.MethodPost, "/api/" + userID + "/tasks", map[string]any{"title": "intruder"}},
			{http.MethodGet, one, nil},
			{http.MethodPut, one, map[string]any{"title": "taken over", "completed": true}},
			{http.MethodPatch, one + "/complete", nil},
			{http.MethodPatch, one + "/complete", map[string]any{"completed": true}},
			{http.MethodDelete, one, nil},
		}
	}
	for _, c := range a.credentials(t, other, otherToken) {
		t.Run(c.name, func(t *testing.T) {
			for _, r := range routes(owner.ID, k.ID) {
				w := a.do(t, r.method, r.path, &c, r.body).want(http.StatusForbidden)
				if w.problem()["status"] != float64(403) {
					t.Fatalf("%s %s: %s", r.method, r.path, w.Body.String())
				}
			}
			for _, r := range routes(other.ID, k.ID)[2:] {
				theirs := a.do(t, r.method, r.path, &c, r.body).want(http.StatusNotFound)
				none := routes(other.ID, missing)
				var same route
				for _, m := range none {
					if m.method == r.method && fmt.Sprint(m.body) == fmt.Sprint(r.body) {
						same = m
					}
				}
				absent := a.do(t, same.method, same.path, &c, same.body).want(http.StatusNotFound)
				if theirs.Body.String() != absent.Body.String() {
					t.Fatalf("another's task answers %s, a missing one %s", theirs.Body.String(), absent.Body.String())
				}
			}
			var list []task
			a.do(t, http.MethodGet, "/api/"+other.ID+"/tasks", &c, nil).want(http.StatusOK).json(&list)
			if len(list) != 0 {
				t.Fatalf("the other user sees %+v", list)
			}
		})
	}
	var after task
	a.do(t, http.MethodGet, fmt.Sprintf("/api/%s/tasks/%d", owner.ID, k.ID), &ownerCookie, nil).want(http.StatusOK).json(&after)
	if after != k {
		t.Fatalf("the owner's task changed: %+v, was %+v", after, k)
	}
	var n int
	pgtest.AdminOf(t, a.store).QueryRow(t.Context(), `select count(*) from tasks`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d tasks in the database, want 1", n)
	}
}
