package store_test

import (
	"fmt"
	"strings"
	"testing"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// Every sort in both orders, a tag, due=overdue and a search that matches 10 tasks or 50,000: the
// first page and the page after ten "Load more" each read about a page, for a user with 100,000
// tasks and one with 200, before and after ANALYZE. No plan may scan the table, use a bitmap (which
// reads every match before ordering them), or sort more than a couple of pages of rows.
func TestSearchPagesCostAPage(t *testing.T) {
	s := newStore(t)
	big, small := newUser(t, s, "big"), newUser(t, s, "small")
	admin := pgtest.AdminOf(t, s)
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	// Half the big user's titles say "milk", ten say "zebra"; a fifth have the tag work; due dates
	// spread over a year around today, a third undated; priorities cycle.
	seed := `insert into tasks (user_id, title, completed, due_date, priority, tags)
		select $1, case when g % 2 = 0 then 'buy milk ' || g when g % ($2 / 10) = 7 then 'zebra ' || g else 'task ' || g end,
		       g % 4 = 0, case when g % 3 = 0 then null else current_date + (g % 365 - 180) end, g % 4,
		       case when g % 5 = 0 then array['work'] else '{}' end
		  from generate_series(1, $2) g`
	exec(seed, small, 200)
	exec(`vacuum analyze`)
	exec(seed, big, 100000) // after the statistics: the planner knows nothing of this user yet

	today := todo.Today()
	var searches []todo.Search
	for _, sort := range todo.Sorts {
		searches = append(searches, todo.Search{Sort: sort}, todo.Search{Sort: sort, Desc: true})
	}
	searches = append(searches, todo.Search{Tag: "work"}, todo.Search{Overdue: true}, todo.Search{Q: "zebra"},
		todo.Search{Q: "milk"}, todo.Search{Q: "MILK", Sort: todo.ByCreated, Desc: true})

	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	const limit = todo.PageSize + 1
	check := func(stats string) {
		for name, user := range map[string]string{"100,000-task": big, "200-task": small} {
			tasks := s.Tasks(user)
			if _, err := conn.Exec(ctx, `select set_config('app.user_id', $1, false)`, user); err != nil {
				t.Fatal(err)
			}
			for _, search := range searches {
				for _, f := range todo.Filters {
					opts := store.ListOptions{Filter: f, Search: search, Today: today}
					// The keyset after ten "Load more" (or the last page there is).
					later := opts
					for range 10 {
						page, err := tasks.List(ctx, later)
						if err != nil {
							t.Fatal(err)
						}
						if page.Next.ID == 0 {
							break
						}
						later.After, later.AfterKey = page.Next.ID, page.Next.Key
					}
					firstRanges := 0
					for i, p := range []struct {
						label string
						o     store.ListOptions
					}{{"first page", opts}, {"11th page", later}} {
						if i > 0 && p.o.After == 0 {
							continue
						}
						sql, args := store.PageQuery(user, p.o)
						what := fmt.Sprintf("%s, %s user, %s, %+v, %s", stats, name, f.Label(), search, p.label)
						plan := explainAnalyze(t, conn.Conn(), sql, args...)
						checkBoundedPlan(t, what, plan, limit)
						checkBoundedPlan(t, what+", generic plan", explainGeneric(t, conn.Conn(), sql, args...), limit)
						// A later page of a due sort or of priority high first reads one range per completed
						// state, as its first page does.
						if i == 0 {
							firstRanges = indexScans(plan)
						} else if n := indexScans(plan); ascendingKey(search) && n != firstRanges {
							t.Errorf("%s: %d index ranges, the first page %d:\n%s", what, n, firstRanges, plan)
						}
						for _, dense := range []bool{false, true} {
							sql, args, indexOnly, ok := store.VersionsPageQuery(user, p.o, dense)
							if !ok {
								continue
							}
							// The ids and versions of the page, from the index alone where it holds them. (For
							// the short list, whose rows lie on a few pages, reading a state's few tasks from a
							// smaller index and sorting them may cost the planner less.)
							for _, plan := range []planNode{explainAnalyze(t, conn.Conn(), sql, args...), explainGeneric(t, conn.Conn(), sql, args...)} {
								checkBoundedPlan(t, what+", versions", plan, limit)
								if indexOnly && user == big {
									checkIndexOnly(t, what+", versions", plan)
								}
							}
						}
						if sql, args, ok := store.DensePageQuery(user, p.o); ok {
							checkBoundedPlan(t, what+", as a window", explainAnalyze(t, conn.Conn(), sql, args...), limit)
							checkBoundedPlan(t, what+", as a window, generic plan", explainGeneric(t, conn.Conn(), sql, args...), limit)
						}
					}
				}
			}
		}
	}
	check("stale statistics")
	exec(`analyze`)
	check("fresh statistics")
}

// ascendingKey tells whether the store reads the search's sort by a key that runs ascending in its
// order (a due sort, priority high first), where a later page is no more ranges than the first.
func ascendingKey(s todo.Search) bool {
	return s.Tag == "" && s.Q == "" && (s.Sort == todo.ByDue || s.Sort == todo.ByPriority && s.Desc)
}

// indexScans counts the plan's index scans: the ranges of an index it reads.
func indexScans(plan planNode) int {
	n := 0
	plan.walk(func(p planNode) {
		if strings.HasPrefix(p.NodeType, "Index") {
			n++
		}
	})
	return n
}

// checkIndexOnly fails when a scan of the plan reads the table's rows, not only an index's.
func checkIndexOnly(t *testing.T, what string, plan planNode) {
	t.Helper()
	plan.walk(func(n planNode) {
		if strings.HasPrefix(n.NodeType, "Index") && n.NodeType != "Index Only Scan" {
			t.Errorf("%s: the plan has an %s, not an index-only scan:\n%s", what, n.NodeType, plan)
		}
	})
}

// checkBoundedPlan fails when the plan scans a table, uses a bitmap, sorts more than two pages of
// rows, or its scans examine more than five pages of rows in all (a dense search's page samples a
// page of its candidates from their index, then reads a range of up to four ids per row of the
// page, of which the filter may reject three).
func checkBoundedPlan(t *testing.T, what string, plan planNode, limit int) {
	t.Helper()
	examined := 0.0
	plan.walk(func(n planNode) {
		switch {
		case n.NodeType == "Seq Scan" || strings.Contains(n.NodeType, "Bitmap"):
			t.Errorf("%s: the plan has a %s:\n%s", what, n.NodeType, plan)
		case strings.Contains(n.NodeType, "Sort") && n.NodeType != "Incremental Sort":
			for _, c := range n.Plans {
				if c.ActualRows*max(c.ActualLoops, 1) > float64(2*limit) {
					t.Errorf("%s: sorts %.0f rows:\n%s", what, c.ActualRows, plan)
				}
			}
		case strings.Contains(n.NodeType, "Index"):
			examined += (n.ActualRows + n.RemovedByFilt) * max(n.ActualLoops, 1)
		}
	})
	if examined > float64(5*limit) {
		t.Errorf("%s: the scans examined %.0f rows for a page of %d:\n%s", what, examined, limit, plan)
	}
}
