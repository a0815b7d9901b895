package store_test

import (
	"slices"
	"strings"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// A search's pages, in both orders and for every filter, hold every matching task once and nothing
// else, whether its matches lie close together (read as a range of the key, then one by one where
// the range leaves a page short), are spread thin (fetched one by one), or share their rarest piece
// with tasks that do not contain the text.
func TestSearchPagesWalkEveryMatchOnce(t *testing.T) {
	s := newStore(t)
	id := newUser(t, s, "Searcher")
	// Every other task says "milk"; every third says "mild" and "silk", which have milk's pieces
	// "mil" and "ilk" but not the word; one task in 97 says "zebra"; every one says "today". Every
	// fifth is completed, so that a range of completed tasks leaves a page short and the lookups
	// go on from its end (whose id, for "today" in either order, is a completed task's). The first
	// 250 say "early": dense where its pages begin, then none, so that a page read as a window of
	// the tasks (the search was sampled dense) runs out and goes on with the sampled search.
	if _, err := pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, description, completed)
		select $1, case when g % 97 = 0 then 'zebra ' || g when g % 2 = 0 then 'buy milk ' || g
		                when g % 3 = 0 then 'mild silk ' || g else 'task ' || g end || ' today'
		                || case when g <= 250 then ' early' else '' end,
		       case when g % 5 = 0 then 'MILKY way' end, g % 5 = 0
		  from generate_series(1, 899) g`, id); err != nil {
		t.Fatal(err)
	}
	tasks := s.Tasks(id)
	var all []todo.Task
	if err := tasks.Export(ctx, func(k todo.Task) error { all = append(all, k); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b todo.Task) int { return int(a.ID - b.ID) })
	for _, c := range []struct {
		q string
		f todo.Filter
	}{{"milk", todo.All}, {"Mild Silk", todo.All}, {"zebra", todo.All}, {"ilk", todo.All},
		{"milk", todo.Active}, {"milk", todo.Completed}, {"ilk", todo.Active}, {"today", todo.Completed},
		{"early", todo.All}, {"early", todo.Active}} {
		q := c.q
		var want []int64
		for _, k := range all {
			if c.f.Matches(k) && strings.Contains(strings.ToLower(k.Title+"\n"+k.Description), strings.ToLower(q)) {
				want = append(want, k.ID)
			}
		}
		for _, desc := range []bool{false, true} {
			seen, _ := walkPages(t, tasks, store.ListOptions{Filter: c.f, Search: todo.Search{Q: q, Desc: desc}})
			expected := slices.Clone(want)
			if desc {
				slices.Reverse(expected)
			}
			if !slices.Equal(seen, expected) {
				t.Errorf("%s, q=%q desc=%v: the pages hold %d tasks %v…, want %d %v…", c.f.Label(), q, desc, len(seen), head(seen), len(expected), head(expected))
			}
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }
