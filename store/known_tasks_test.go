package store_test

import (
	"reflect"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// A store holds the tasks of the sorted pages it reads, at their versions, and reads such a page
// again from its index alone. No change may then go unseen: each kind of write, made through another
// instance (a store of its own, which shares nothing in memory with the first), shows on the first
// one's next read of every sort, exactly as a store that holds nothing reads the page from the table.
func TestHeldTasksNeverShowStale(t *testing.T) {
	s := newStore(t)
	url := s.Pool().Config().ConnString()
	other := pgtest.OpenStore(t, url)
	alice, bob := newUser(t, s, "alice"), newUser(t, s, "bob")
	here, there := s.Tasks(alice), other.Tasks(alice)
	today := todo.Today()
	day := func(n int) string { return todo.DateOf(today.Time().AddDate(0, 0, n)).String() }
	var ids []int64
	for i, title := range []string{"Call the bank", "buy milk", "Water plants", "file taxes", "Book flights"} {
		in := todo.Input{Title: title, Description: "about " + title, HasDueDate: true,
			DueDate: day(i - 2), HasPriority: true, Priority: todo.Priority(i % 4).String(),
			HasTags: true, Tags: []string{"home"}}
		k, err := here.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	create(t, s.Tasks(bob), "Bob's own")

	var sorts []store.ListOptions
	for _, sort := range todo.Sorts {
		if sort == todo.ByCreated {
			continue // read from the table, whose rows in created order lie together
		}
		for _, desc := range []bool{false, true} {
			for _, f := range todo.Filters {
				sorts = append(sorts, store.ListOptions{Filter: f, Search: todo.Search{Sort: sort, Desc: desc}, Today: today})
			}
		}
	}
	sorts = append(sorts, store.ListOptions{Search: todo.Search{Sort: todo.ByDue, Overdue: true}, Today: today},
		store.ListOptions{Search: todo.Search{Sort: todo.ByDue, Desc: true, Overdue: true}, Today: today},
		store.ListOptions{Search: todo.Search{Sort: todo.ByTitle}, Limit: 2, Today: today},
		store.ListOptions{Search: todo.Search{Sort: todo.ByDue, Desc: true}, Limit: 2, Today: today})
	list := func(tasks store.Tasks, opts store.ListOptions) store.Page {
		t.Helper()
		page, err := tasks.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		return page
	}
	// check reads every sort twice through the first store (the second read finds every task held)
	// and compares both with the page as a store that holds nothing reads it.
	check := func(after string) {
		t.Helper()
		fresh := pgtest.OpenStore(t, url).Tasks(alice)
		for _, opts := range sorts {
			want := list(fresh, opts)
			for _, read := range []string{"read", "read again"} {
				if got := list(here, opts); !reflect.DeepEqual(got, want) {
					t.Fatalf("after %s, %+v, %s:\n got %+v\nwant %+v", after, opts, read, got, want)
				}
			}
		}
		if store.HeldTasks(s) == 0 {
			t.Fatalf("after %s: the store holds no task", after)
		}
	}
	check("creating")

	changes := []struct {
		name string
		do   func() error
	}{
		{"a new title", func() error {
			_, err := there.Update(ctx, ids[0], todo.Input{Title: "Call the bank about the card", Description: "about Call the bank"})
			return err
		}},
		{"a new description", func() error {
			_, err := there.Update(ctx, ids[0], todo.Input{Title: "Call the bank about the card", Description: "before noon"})
			return err
		}},
		{"a later due date", func() error {
			_, err := there.Update(ctx, ids[1], todo.Input{Title: "buy milk", HasDueDate: true, DueDate: day(30)})
			return err
		}},
		{"no due date", func() error {
			_, err := there.Update(ctx, ids[2], todo.Input{Title: "Water plants", HasDueDate: true})
			return err
		}},
		{"a priority", func() error {
			_, err := there.Update(ctx, ids[3], todo.Input{Title: "file taxes", HasPriority: true, Priority: "high"})
			return err
		}},
		{"other tags", func() error {
			_, err := there.Update(ctx, ids[4], todo.Input{Title: "Book flights", HasTags: true, Tags: []string{"travel", "work"}})
			return err
		}},
		{"completing", func() error { _, err := there.Toggle(ctx, ids[1]); return err }},
		{"completing all", func() error { v := true; _, err := there.SetAllCompleted(ctx, &v); return err }},
		{"deleting", func() error { return there.Delete(ctx, ids[3]) }},
		{"deleting and undoing", func() error {
			u, err := there.DeleteUndoable(ctx, ids[4])
			if err == nil {
				_, err = there.Undo(ctx, u.ID)
			}
			return err
		}},
		{"adding", func() error { _, err := there.Create(ctx, todo.Input{Title: "A new one"}); return err }},
	}
	for _, c := range changes {
		if err := c.do(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		check(c.name)
	}

	// Bob's pages hold his task alone, whatever the store holds of Alice's.
	for _, opts := range sorts {
		if got := titles(list(s.Tasks(bob), opts).Tasks); opts.Filter != todo.Completed && !opts.Search.Overdue &&
			!reflect.DeepEqual(got, []string{"Bob's own"}) {
			t.Fatalf("Bob's page %+v: %q", opts, got)
		}
	}
}
