package store_test

import (
	"slices"
	"strings"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// A search's pages, in both orders, hold every matching task once and nothing else, whether its
// matches lie close together (read as a range of the key), are spread thin (fetched one by one),
// or share their rarest piece with tasks that do not contain the text (the range's candidates fail
// and the page is read the other way).
func TestSearchPagesWalkEveryMatchOnce(t *testing.T) {
	s := newStore(t)
	id := newUser(t, s, "Searcher")
	// Every other task says "milk"; every third says "mild" and "silk", which have milk's pieces
	// "mil" and "ilk" but not the word; one task in 97 says "zebra".
	if _, err := pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, description)
		select $1, case when g % 97 = 0 then 'zebra ' || g when g % 2 = 0 then 'buy milk ' || g
		                when g % 3 = 0 then 'mild silk ' || g else 'task ' || g end,
		       case when g % 5 = 0 then 'MILKY way' end
		  from generate_series(1, 900) g`, id); err != nil {
		t.Fatal(err)
	}
	tasks := s.Tasks(id)
	var all []todo.Task
	if err := tasks.Export(ctx, func(k todo.Task) error { all = append(all, k); return nil }); err != nil {
		t.Fatal(err)
	}
	slices.SortFunc(all, func(a, b todo.Task) int { return int(a.ID - b.ID) })
	for _, q := range []string{"milk", "Mild Silk", "zebra", "ilk"} {
		var want []int64
		for _, k := range all {
			if strings.Contains(strings.ToLower(k.Title+"\n"+k.Description), strings.ToLower(q)) {
				want = append(want, k.ID)
			}
		}
		for _, desc := range []bool{false, true} {
			search := todo.Search{Q: q, Desc: desc}
			var seen []int64
			for opts := (store.ListOptions{Search: search}); ; {
				page, err := tasks.List(ctx, opts)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range page.Tasks {
					seen = append(seen, k.ID)
				}
				if page.Next.ID == 0 {
					break
				}
				opts.After, opts.AfterKey = page.Next.ID, page.Next.Key
			}
			expected := slices.Clone(want)
			if desc {
				slices.Reverse(expected)
			}
			if !slices.Equal(seen, expected) {
				t.Errorf("q=%q desc=%v: the pages hold %d tasks %v…, want %d %v…", q, desc, len(seen), head(seen), len(expected), head(expected))
			}
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }
