package store_test

import (
	"reflect"
	"slices"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// A store holds the tasks of the sorted and tagged pages it reads, at their versions, and reads such
// a page again from an index alone. No change may then go unseen: each kind of write, made through
// another instance (a store of its own, which shares nothing in memory with the readers), shows on
// the readers' next read of every page, exactly as a store that holds nothing reads it from the
// table. One reader reads the sorted pages, another the tagged ones, a third searches, so that what
// each holds comes from its kind of page alone (a tag's pairs carry the versions of their own); the
// writer, which holds what it wrote, reads them all.
func TestHeldTasksNeverShowStale(t *testing.T) {
	s := newStore(t)
	url := s.Pool().Config().ConnString()
	alice, bob := newUser(t, s, "alice"), newUser(t, s, "bob")
	there := s.Tasks(alice)
	today := todo.Today()
	day := func(n int) string { return todo.DateOf(today.Time().AddDate(0, 0, n)).String() }
	var ids []int64
	for i, title := range []string{"Call the bank", "buy milk", "Water plants", "file taxes", "Book flights"} {
		in := todo.Input{Title: title, Description: "about " + title, HasDueDate: true,
			DueDate: day(i - 2), HasPriority: true, Priority: todo.Priority(i % 4).String(),
			HasTags: true, Tags: []string{"home"}}
		k, err := there.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, k.ID)
	}
	if n := store.HeldTasks(s); n != len(ids) {
		t.Fatalf("the writer holds %d tasks, it wrote %d", n, len(ids))
	}
	create(t, s.Tasks(bob), "Bob's own")
	if _, err := s.Tasks(bob).Create(ctx, todo.Input{Title: "Bob's at home", HasTags: true, Tags: []string{"home"}}); err != nil {
		t.Fatal(err)
	}

	var sorted, tagged []store.ListOptions
	for _, sort := range todo.Sorts {
		if sort == todo.ByCreated {
			continue // read from the table, whose rows in created order lie together
		}
		for _, desc := range []bool{false, true} {
			for _, f := range todo.Filters {
				sorted = append(sorted, store.ListOptions{Filter: f, Search: todo.Search{Sort: sort, Desc: desc}, Today: today})
			}
		}
	}
	sorted = append(sorted, store.ListOptions{Search: todo.Search{Sort: todo.ByDue, Overdue: true}, Today: today},
		store.ListOptions{Search: todo.Search{Sort: todo.ByDue, Desc: true, Overdue: true}, Today: today},
		store.ListOptions{Search: todo.Search{Sort: todo.ByTitle}, Limit: 2, Today: today},
		store.ListOptions{Search: todo.Search{Sort: todo.ByDue, Desc: true}, Limit: 2, Today: today})
	for _, tag := range []string{"home", "work"} {
		for _, desc := range []bool{false, true} {
			for _, f := range todo.Filters {
				tagged = append(tagged, store.ListOptions{Filter: f, Search: todo.Search{Tag: tag, Desc: desc}, Today: today})
			}
		}
	}
	tagged = append(tagged, store.ListOptions{Search: todo.Search{Tag: "home"}, Limit: 2, Today: today})
	// Searches whose matches lie close together: read again, a page is a window of the list.
	var searched []store.ListOptions
	for _, q := range []string{"about", "BANK", "card"} {
		for _, desc := range []bool{false, true} {
			for _, f := range todo.Filters {
				searched = append(searched, store.ListOptions{Filter: f, Search: todo.Search{Q: q, Desc: desc}, Today: today})
			}
		}
	}
	searched = append(searched, store.ListOptions{Search: todo.Search{Q: "about"}, Limit: 2, Today: today})
	readers := []struct {
		name  string
		s     *store.Store
		pages []store.ListOptions
	}{{"sorted", pgtest.OpenStore(t, url), sorted}, {"tagged", pgtest.OpenStore(t, url), tagged},
		{"searched", pgtest.OpenStore(t, url), searched},
		// The writer holds each task as it wrote it, too.
		{"writer's", s, slices.Concat(sorted, tagged, searched)}}

	list := func(tasks store.Tasks, opts store.ListOptions) store.Page {
		t.Helper()
		page, err := tasks.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		return page
	}
	// check reads each reader's pages twice (the second time, every task is held) and compares them
	// with the pages as a store that holds nothing reads them.
	check := func(after string) {
		t.Helper()
		fresh := pgtest.OpenStore(t, url).Tasks(alice)
		for _, r := range readers {
			for _, read := range []string{"read", "read again"} {
				for _, opts := range r.pages {
					if got, want := list(r.s.Tasks(alice), opts), list(fresh, opts); !reflect.DeepEqual(got, want) {
						t.Fatalf("after %s, %s %+v, %s:\n got %+v\nwant %+v", after, r.name, opts, read, got, want)
					}
				}
			}
			if store.HeldTasks(r.s) == 0 {
				t.Fatalf("after %s: the %s pages' store holds no task", after, r.name)
			}
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

	// Bob's pages hold his tasks alone, whatever the readers hold of Alice's.
	for _, r := range readers {
		for _, opts := range r.pages {
			got := titles(list(r.s.Tasks(bob), opts).Tasks)
			slices.Sort(got)
			want := []string{"Bob's at home", "Bob's own"}
			if opts.Search.Tag != "" {
				want = want[:1]
			}
			if opts.Search.Tag == "work" || opts.Search.Q != "" || opts.Filter == todo.Completed || opts.Search.Overdue {
				want = nil
			}
			if opts.Limit > 0 {
				want = want[:min(len(want), opts.Limit)]
			}
			if !slices.Equal(got, want) {
				t.Fatalf("Bob's %s page %+v: %q, want %q", r.name, opts, got, want)
			}
		}
	}
}
