package store_test

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// Every sort in both orders, for every filter, alone and with a tag, due=overdue or a search: paging
// reads each task the list shows once, in the sort's order (ties by id ascending, undated tasks last
// in either due order), wherever a page ends: inside a run of tied keys, or among the undated tasks.
func TestSortedPagesWalkEveryTaskOnceInOrder(t *testing.T) {
	s := newStore(t)
	id := newUser(t, s, "Sorter")
	today := todo.Today()
	// 340 tasks over nine due dates around today (runs of about 30 ties), every fourth undated; six
	// titles, two of them only in case apart; priorities cycling; every third completed; every fifth
	// tagged work.
	if _, err := pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, completed, due_date, priority, tags)
		select $1, (array['alpha', 'Alpha', 'bravo', 'CHARLIE', 'charlie', 'delta'])[g % 6 + 1], g % 3 = 0,
		       case when g % 4 = 0 then null else $2::date + (g % 9 - 4) end, g % 4,
		       case when g % 5 = 0 then array['work'] else '{}' end
		  from generate_series(1, 340) g`, id, today.String()); err != nil {
		t.Fatal(err)
	}
	tasks := s.Tasks(id)
	var all []todo.Task
	if err := tasks.Export(ctx, func(k todo.Task) error { all = append(all, k); return nil }); err != nil {
		t.Fatal(err)
	}
	var searches []todo.Search
	for _, sort := range todo.Sorts {
		for _, desc := range []bool{false, true} {
			searches = append(searches, todo.Search{Sort: sort, Desc: desc}, todo.Search{Sort: sort, Desc: desc, Overdue: true},
				todo.Search{Sort: sort, Desc: desc, Tag: "work"}, todo.Search{Sort: sort, Desc: desc, Q: "ha"},
				todo.Search{Sort: sort, Desc: desc, Q: "alph", Overdue: true})
		}
	}
	for _, search := range searches {
		for _, f := range todo.Filters {
			var shown []todo.Task
			for _, k := range all {
				if f.Matches(k) && shows(search, today, k) {
					shown = append(shown, k)
				}
			}
			slices.SortFunc(shown, func(a, b todo.Task) int { return sortOrder(search, a, b) })
			want := make([]int64, len(shown))
			for i, k := range shown {
				want[i] = k.ID
			}
			seen, pages := walkPages(t, tasks, store.ListOptions{Filter: f, Search: search, Today: today})
			if !slices.Equal(seen, want) {
				t.Errorf("%s, %+v: %d pages hold %d tasks, want %d; first difference at %d", f.Label(), search,
					pages, len(seen), len(want), firstDifference(seen, want))
			}
		}
	}
}

// shows tells whether the search shows task k (whatever its completed state).
func shows(s todo.Search, today todo.Date, k todo.Task) bool {
	text := strings.ToLower(k.Title + "\n" + k.Description)
	return (s.Tag == "" || slices.Contains(k.Tags, s.Tag)) && (!s.Overdue || k.Overdue(today)) &&
		(s.Q == "" || strings.Contains(text, strings.ToLower(s.Q)))
}

// sortOrder is the order the search's sort lists tasks in, as the product defines it.
func sortOrder(s todo.Search, a, b todo.Task) int {
	dir := func(c int) int {
		if s.Desc {
			return -c
		}
		return c
	}
	var c int
	switch s.Sort {
	case todo.ByCreated:
		return dir(cmp.Compare(a.ID, b.ID))
	case todo.ByDue:
		switch {
		case a.DueDate.IsZero() && !b.DueDate.IsZero(): // undated last, in either order
			c = 1
		case !a.DueDate.IsZero() && b.DueDate.IsZero():
			c = -1
		default:
			c = dir(strings.Compare(a.DueDate.String(), b.DueDate.String()))
		}
	case todo.ByPriority:
		c = dir(cmp.Compare(a.Priority, b.Priority))
	case todo.ByTitle:
		c = dir(strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title)))
	default:
		panic(fmt.Sprint("no order for sort ", s.Sort))
	}
	return cmp.Or(c, cmp.Compare(a.ID, b.ID))
}

func firstDifference(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
