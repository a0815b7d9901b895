package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"todo/internal/pgtest"
)

type task struct {
	ID          int64   `json:"id"`
	UserID      string  `json:"user_id"`
	Title       string  `json:"title"`
	Description *string `json:"description"`
	Completed   bool    `json:"completed"`
	CreatedAt   string  `json:"created_at"`
	UpdatedAt   string  `json:"updated_at"`
}

// Every endpoint works with every way of authenticating, and every answer matches openapi.json.
func TestTasksWithEveryCredential(t *testing.T) {
	a := newTestAPI(t)
	u, token := a.user(t, "Ada")
	base := "/api/" + u.ID + "/tasks"
	for _, c := range a.credentials(t, u, token) {
		t.Run(c.name, func(t *testing.T) {
			var created task
			w := a.do(t, http.MethodPost, base, &c, map[string]any{"title": "  Buy milk  ", "description": "two\r\nlitres"}).want(http.StatusCreated)
			w.json(&created)
			if created.Title != "Buy milk" || created.Description == nil || *created.Description != "two\nlitres" ||
				created.Completed || created.UserID != u.ID || created.ID <= 0 {
				t.Fatalf("created %+v", created)
			}
			if loc := w.Header().Get("Location"); loc != fmt.Sprintf("%s/%d", base, created.ID) {
				t.Fatalf("Location %q", loc)
			}
			if _, err := time.Parse(time.RFC3339, created.CreatedAt); err != nil {
				t.Fatalf("created_at %q: %v", created.CreatedAt, err)
			}
			one := fmt.Sprintf("%s/%d", base, created.ID)

			var got task
			a.do(t, http.MethodGet, one, &c, nil).want(http.StatusOK).json(&got)
			if got != created && got.ID != created.ID {
				t.Fatalf("got %+v, created %+v", got, created)
			}

			var list []task
			a.do(t, http.MethodGet, base, &c, nil).want(http.StatusOK).json(&list)
			if len(list) == 0 || list[len(list)-1].ID != created.ID {
				t.Fatalf("list %+v lacks %d at its end", list, created.ID)
			}

			// PUT replaces: the description left out is reset to none, completed as sent.
			var put task
			a.do(t, http.MethodPut, one, &c, map[string]any{"title": "Buy oat milk", "completed": true}).want(http.StatusOK).json(&put)
			if put.Title != "Buy oat milk" || put.Description != nil || !put.Completed {
				t.Fatalf("after PUT %+v", put)
			}

			// PATCH without a body flips; with one it sets, and setting twice changes nothing.
			var flipped, set, again task
			a.do(t, http.MethodPatch, one+"/complete", &c, nil).want(http.StatusOK).json(&flipped)
			a.do(t, http.MethodPatch, one+"/complete", &c, map[string]any{"completed": true}).want(http.StatusOK).json(&set)
			a.do(t, http.MethodPatch, one+"/complete", &c, map[string]any{"completed": true}).want(http.StatusOK).json(&again)
			if flipped.Completed || !set.Completed || !again.Completed || again.UpdatedAt != set.UpdatedAt {
				t.Fatalf("flip %v, set %v, again %v (updated %s then %s)", flipped.Completed, set.Completed, again.Completed, set.UpdatedAt, again.UpdatedAt)
			}

			w = a.do(t, http.MethodDelete, one, &c, nil).want(http.StatusNoContent)
			if w.Body.Len() != 0 {
				t.Fatalf("204 with a body %q", w.Body.String())
			}
			a.do(t, http.MethodGet, one, &c, nil).want(http.StatusNotFound)
			a.do(t, http.MethodDelete, one, &c, nil).want(http.StatusNotFound)
			if cc := w.Header().Get("Cache-Control"); cc != "no-store" {
				t.Fatalf("Cache-Control %q", cc)
			}
		})
	}
}

// POST may create a task already completed; a JWT whose user was deleted creates nothing (401).
func TestCreateCompletedAndGoneUser(t *testing.T) {
	a := newTestAPI(t)
	u, _ := a.user(t, "Bo")
	jwt := bearer(sign(t, a.key, a.claims(u)))
	var k task
	a.do(t, http.MethodPost, "/api/"+u.ID+"/tasks", &jwt, map[string]any{"title": "done already", "completed": true, "description": nil}).
		want(http.StatusCreated).json(&k)
	if !k.Completed || k.Description != nil {
		t.Fatalf("%+v", k)
	}
	if err := a.store.DeleteUser(t.Context(), u.ID); err != nil {
		t.Fatal(err)
	}
	w := a.do(t, http.MethodPost, "/api/"+u.ID+"/tasks", &jwt, map[string]any{"title": "orphan"}).want(http.StatusUnauthorized)
	if !strings.Contains(w.problem()["detail"].(string), "no longer exists") {
		t.Fatalf("%s", w.Body.String())
	}
	var n int
	pgtest.AdminOf(t, a.store).QueryRow(t.Context(), `select count(*) from tasks`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d tasks left", n)
	}
}
