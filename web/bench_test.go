package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"todo/todo"
)

// The whole handler's cost of the requests make bench measures, per request: allocations are the
// stable number here (time depends on the database and the machine).

// BenchmarkListPageRequest is GET / of a user with 50 tasks, as make bench's list scenario asks.
func BenchmarkListPageRequest(b *testing.B) {
	a := newTestApp(b)
	u, cookie := a.signedInUser(b, "Bench")
	for g := 1; g <= 50; g++ {
		in := todo.Input{Title: fmt.Sprintf(`Task %d: pick up the "groceries" & <odds and ends> for the weekend`, g)}
		if g%3 == 0 {
			in.Description = "Milk, eggs & bread — ask <Sam> about the list"
		}
		if _, err := a.store.Tasks(u.ID).Create(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodGet, a.base.String()+"/", nil)
		r.AddCookie(cookie)
		w := httptest.NewRecorder()
		a.handler.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkCreateRequest is an htmx add with the title alone, as make bench's create scenario sends it.
func BenchmarkCreateRequest(b *testing.B) {
	a := newTestApp(b)
	_, cookie := a.signedInUser(b, "Bench")
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		w := a.do(b, http.MethodPost, "/tasks", cookie, taskForm("title", fmt.Sprintf("Task %d", n)),
			"HX-Request", "true", "Origin", a.base.String())
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
