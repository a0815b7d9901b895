package store_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"todo/store"
	"todo/todo"
)

// Two users with the same tag, overlapping words and due dates, and one tag only Alice has: every
// sort, filter, tag, overdue and search page, every match count, the suggestions and the export
// of Bob hold only Bob's tasks and tags; Alice's own tag in Bob's list finds nothing; Bob's edits of
// Alice's task ids (with the new fields) are not found and change nothing of hers.
func TestTwoUsersSearchSortAndTagOnlyTheirOwn(t *testing.T) {
	s := newStore(t)
	alice, bob := s.Tasks(newUser(t, s, "Alice")), s.Tasks(newUser(t, s, "Bob"))
	add := func(tasks store.Tasks, title, due, priority string, tags ...string) todo.Task {
		t.Helper()
		k, err := tasks.Create(ctx, todo.Input{Title: title, Description: title + " notes", DueDate: due,
			Priority: priority, Tags: tags, HasDueDate: true, HasPriority: true, HasTags: true})
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	aliceIDs := map[int64]bool{}
	for i := range 12 {
		k := add(alice, fmt.Sprintf("buy milk alice %d", i), fmt.Sprintf("2026-11-%02d", i+1), "high", "work", "alice-secret")
		aliceIDs[k.ID] = true
		if i%2 == 0 {
			if _, err := alice.Toggle(ctx, k.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	var bobIDs []int64
	for i := range 3 {
		k := add(bob, fmt.Sprintf("buy milk bob %d", i), fmt.Sprintf("2026-11-%02d", i+20), "low", "work")
		bobIDs = append(bobIDs, k.ID)
	}
	today, _ := todo.ParseDate("2026-12-01")

	var searches []todo.Search
	for _, sort := range todo.Sorts {
		searches = append(searches, todo.Search{Sort: sort}, todo.Search{Sort: sort, Desc: true})
	}
	searches = append(searches, todo.Search{Tag: "work"}, todo.Search{Overdue: true}, todo.Search{Q: "milk"},
		todo.Search{Q: "MI"}, todo.Search{Q: "notes", Tag: "work", Overdue: true, Sort: todo.ByDue},
		todo.Search{Tag: "alice-secret"}, todo.Search{Q: "alice"})
	for _, search := range searches {
		for _, f := range todo.Filters {
			opts := store.ListOptions{Filter: f, Search: search, Today: today, Limit: 2}
			var seen []int64
			for page := 0; ; page++ {
				p, err := bob.List(ctx, opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range p.Tasks {
					if aliceIDs[k.ID] || slices.Contains(k.Tags, "alice-secret") {
						t.Errorf("%s %+v: Bob's list shows Alice's task %+v", f.Label(), search, k)
					}
					seen = append(seen, k.ID)
				}
				if p.Counts != (todo.Counts{Active: 3}) {
					t.Errorf("%s %+v: Bob's counts = %+v", f.Label(), search, p.Counts)
				}
				if search.Narrowed() {
					want := 0
					if f != todo.Completed {
						for _, k := range bobIDs {
							bk, _ := bob.Get(ctx, k)
							if search.Matches(bk, today) {
								want++
							}
						}
					}
					if p.Matches != want {
						t.Errorf("%s %+v: Bob's match count = %d, want %d", f.Label(), search, p.Matches, want)
					}
				}
				if p.Next.ID == 0 {
					break
				}
				opts.After, opts.AfterKey = p.Next.ID, p.Next.Key
			}
			// Bob's tasks are all active: every list of his that is not of completed tasks shows
			// each of his that match, and only those.
			if f == todo.Completed && len(seen) > 0 {
				t.Errorf("%+v: Bob's completed list shows %v", search, seen)
			}
			if search.Tag == "alice-secret" || search.Q == "alice" {
				if len(seen) > 0 {
					t.Errorf("%s %+v: Alice's tag or word finds Bob's tasks %v", f.Label(), search, seen)
				}
			} else if f != todo.Completed && len(seen) != 3 {
				t.Errorf("%s %+v: Bob's list shows %v, want his 3 tasks", f.Label(), search, seen)
			}
		}
	}

	if tags, err := bob.Tags(ctx); err != nil || !slices.Equal(tags, []string{"work"}) {
		t.Errorf("Bob's tag suggestions = %q, %v; want [work]", tags, err)
	}
	var exported []int64
	if err := bob.Export(ctx, func(k todo.Task) error { exported = append(exported, k.ID); return nil }); err != nil ||
		!slices.Equal(exported, bobIDs) {
		t.Errorf("Bob's export = %v, %v; want %v", exported, err, bobIDs)
	}

	// Bob aims the new fields at Alice's tasks: not found, nothing of hers changes.
	before, err := alice.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for id := range aliceIDs {
		_, err := bob.Update(ctx, id, todo.Input{Title: "hijacked", DueDate: "2001-01-01", Priority: "none",
			Tags: []string{"bob-was-here"}, HasDueDate: true, HasPriority: true, HasTags: true})
		if !errors.Is(err, todo.ErrNotFound) {
			t.Errorf("Bob's Update(%d) = %v, want todo.ErrNotFound", id, err)
		}
		k, err := alice.Get(ctx, id)
		if err != nil || k.Priority != todo.PriorityHigh || !slices.Equal(k.Tags, []string{"work", "alice-secret"}) {
			t.Errorf("Alice's task %d after Bob's update: %+v, %v", id, k, err)
		}
	}
	if after, _ := alice.Tags(ctx); !slices.Equal(after, before) || !slices.Equal(after, []string{"alice-secret", "work"}) {
		t.Errorf("Alice's tags %q became %q", before, after)
	}
	// Alice's tag counts stay hers: her "work" tag matches her 6 active tasks, not Bob's.
	p, err := alice.List(ctx, store.ListOptions{Filter: todo.Active, Search: todo.Search{Tag: "work"}})
	if err != nil || p.Matches != 6 || len(p.Tasks) != 6 {
		t.Errorf("Alice's active work tasks: %d shown, %d matching, %v; want 6", len(p.Tasks), p.Matches, err)
	}
}
