package store_test

import (
	"math/rand/v2"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// The totals the database keeps in task_counts always equal a real count of the rows, through every
// kind of write, the store's and raw SQL alike.
func TestCountsStayExactThroughEveryWrite(t *testing.T) {
	s := newStore(t)
	users := []store.Tasks{s.Tasks(newUser(t, s, "A")), s.Tasks(newUser(t, s, "B")), s.Tasks(newUser(t, s, "C"))}
	rng := rand.New(rand.NewPCG(1, 2))
	var ids [3][]int64

	check := func(step int) {
		t.Helper()
		for i, tasks := range users {
			got, err := tasks.Counts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var want todo.Counts
			pgtest.AdminOf(t, s).QueryRow(ctx, `select count(*) filter (where not completed), count(*) filter (where completed)
				from tasks where user_id = $1`, tasks.UserID()).Scan(&want.Active, &want.Completed)
			if got != want {
				t.Fatalf("step %d, user %d: counts %+v, rows say %+v", step, i, got, want)
			}
		}
	}
	check(-1) // no tasks yet: zeros
	for step := range 300 {
		u := rng.IntN(len(users))
		tasks := users[u]
		pick := func() int64 {
			if len(ids[u]) == 0 {
				return 0
			}
			return ids[u][rng.IntN(len(ids[u]))]
		}
		switch op := rng.IntN(10); {
		case op < 4:
			k, err := tasks.Create(ctx, todo.Input{Title: "t"})
			if err != nil {
				t.Fatal(err)
			}
			ids[u] = append(ids[u], k.ID)
		case op < 6:
			tasks.Toggle(ctx, pick())
		case op == 6:
			tasks.Update(ctx, pick(), todo.Input{Title: "edited"})
		case op == 7:
			if id := pick(); id != 0 && tasks.Delete(ctx, id) == nil {
				for i, x := range ids[u] {
					if x == id {
						ids[u] = append(ids[u][:i], ids[u][i+1:]...)
						break
					}
				}
			}
		case op == 8:
			tasks.SetAllCompleted(ctx, nil)
		default:
			// A raw bulk insert, many rows in one statement.
			pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, completed)
				select $1, 'bulk', g % 2 = 0 from generate_series(1, 5) g`, tasks.UserID())
		}
		check(step)
	}
	users[0].ClearCompletedUndoable(ctx)
	check(1000)
	// A user deleted with their tasks leaves no counter row behind.
	if err := s.DeleteUser(ctx, users[1].UserID()); err != nil {
		t.Fatal(err)
	}
	var rows int
	pgtest.AdminOf(t, s).QueryRow(ctx, `select count(*) from task_counts where user_id = $1`, users[1].UserID()).Scan(&rows)
	if rows != 0 {
		t.Fatalf("a deleted user's counter row remains")
	}
	check(1001)
}
