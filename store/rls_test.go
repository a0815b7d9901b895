package store_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// statementRecorder keeps every statement the store sends (alone or in a batch) with its arguments.
type statementRecorder struct {
	mu    sync.Mutex
	stmts []recordedStatement
}

type recordedStatement struct {
	sql  string
	args []any
}

func (r *statementRecorder) add(sql string, args []any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts = append(r.stmts, recordedStatement{sql, append([]any(nil), args...)})
}

func (r *statementRecorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.add(d.SQL, d.Args)
	return ctx
}
func (r *statementRecorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}
func (r *statementRecorder) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}
func (r *statementRecorder) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	r.add(d.SQL, d.Args)
}
func (r *statementRecorder) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// ownerFilter is the store's own user_id filter in a statement: "user_id = $1", "tasks.user_id = $2".
var ownerFilter = regexp.MustCompile(`\b(\w+\.)?user_id\s*=\s*\$(\d+)`)

// userData names the tables row-level security guards.
var userData = regexp.MustCompile(`\b(tasks|task_counts|task_undo|task_tags|task_tag_counts|task_trigrams|task_trigram_counts)\b`)

// Row-level security alone keeps users apart. Every statement the store sends for one user (Alice)
// is recorded, then run again with its user_id filter taken out, through the app's own connection,
// with another user's (Bob's) setting: the filter a future change might forget. It must return none
// of Alice's data and change none of it; an insert of a row for Alice must be refused.
func TestRowLevelSecurityAloneKeepsUsersApart(t *testing.T) {
	url := pgtest.NewDatabase(t)
	rec := &statementRecorder{}
	cfg, err := store.ParseURL(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = rec
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	admin := pgtest.Admin(t, url)

	// Bob's tasks get the small ids; Alice's come after a gap, so any id of hers is at least 5000, and
	// her counts (37 active, 23 completed) are numbers no statement about Bob can produce.
	alice, bob := newUser(t, s, "Alice"), newUser(t, s, "Bob")
	bobs := s.Tasks(bob)
	for i, title := range []string{"bob one", "bob two", "bob three"} {
		k := create(t, bobs, title)
		if i == 2 {
			bobs.Toggle(ctx, k.ID)
		}
	}
	if _, err := admin.Exec(ctx, `select setval(pg_get_serial_sequence('tasks', 'id'), 5000)`); err != nil {
		t.Fatal(err)
	}
	// Her due dates are in 2099 (Bob has none), and every task of hers has the tag zq-alice.
	if _, err := admin.Exec(ctx, `insert into tasks (user_id, title, description, completed, due_date, priority, tags)
		select $1, 'zq-alice-task ' || g, 'zq-alice-notes ' || g, g > 37,
		       case when g % 3 = 0 then null else date '2099-01-01' + g end, g % 4,
		       case when g % 2 = 0 then array['zq-alice', 'work'] else array['zq-alice'] end
		  from generate_series(1, 60) g`, alice); err != nil {
		t.Fatal(err)
	}
	var aliceIDs []int64
	if err := pgx.BeginFunc(ctx, admin, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, `select id from tasks where user_id = $1 order by id`, alice)
		aliceIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	}); err != nil {
		t.Fatal(err)
	}
	aliceToken := newSession(t, s, alice)

	// Every store function on Alice's data, each recorded. The ones that change her tasks run on a
	// copy of the statement only (their effect on her rows is undone by restoring the snapshot below).
	rec.mu.Lock()
	rec.stmts = nil
	rec.mu.Unlock()
	tasks := s.Tasks(alice)
	first := aliceIDs[0]
	complete, reopen := true, false
	var newID, undoID int64
	calls := []func() error{
		func() error { _, err := tasks.List(ctx, store.ListOptions{}); return err },
		func() error {
			_, err := tasks.List(ctx, store.ListOptions{Filter: todo.Active, After: first})
			return err
		},
		func() error { _, err := tasks.List(ctx, store.ListOptions{Filter: todo.Completed}); return err },
		func() error { _, err := tasks.Counts(ctx); return err },
		func() error { _, err := tasks.Get(ctx, first); return err },
		func() error { _, err := s.SessionByToken(ctx, aliceToken); return err },
		func() error {
			_, err := tasks.Update(ctx, first, todo.Input{Title: "zq-alice-task edited"})
			return err
		},
		func() error { _, err := tasks.Toggle(ctx, first); return err },
		func() error {
			k, err := tasks.Create(ctx, todo.Input{Title: "zq-alice-task new"})
			newID = k.ID
			return err
		},
		func() error {
			_, err := tasks.Create(ctx, todo.Input{Title: "zq-alice-task fields", DueDate: "2099-03-01",
				Priority: "high", Tags: []string{"zq-alice", "#New"}, HasDueDate: true, HasPriority: true, HasTags: true})
			return err
		},
		func() error {
			_, err := tasks.Update(ctx, aliceIDs[2], todo.Input{Title: "zq-alice-task fields edited", DueDate: "2099-04-01",
				Priority: "low", Tags: []string{"zq-alice", "other"}, HasDueDate: true, HasPriority: true, HasTags: true})
			return err
		},
		func() error { _, err := tasks.Tags(ctx); return err },
		func() error { return tasks.Export(ctx, func(todo.Task) error { return nil }) },
		func() error { return tasks.Delete(ctx, aliceIDs[1]) },
		func() error { u, err := tasks.DeleteUndoable(ctx, newID); undoID = u.ID; return err },
		func() error { _, err := tasks.Undo(ctx, undoID); return err },
		func() error { _, err := tasks.SetAllCompleted(ctx, &reopen); return err },
		func() error { _, err := tasks.SetAllCompleted(ctx, nil); return err },
		func() error { _, err := tasks.SetAllCompleted(ctx, &complete); return err },
		func() error { _, err := tasks.ClearCompletedUndoable(ctx); return err },
		func() error { _, err := s.DeleteExpiredUndo(ctx); return err },
		func() error { _, err := tasks.LastPage(ctx, todo.All); return err },
		func() error { _, err := tasks.LastPage(ctx, todo.Completed); return err },
	}
	// Every sort in both orders, first and later pages, each narrowing (a tag, overdue, a search by
	// trigram and a short one), under each filter.
	today, _ := todo.ParseDate("2099-02-01")
	later := map[todo.Sort]string{todo.ByCreated: "", todo.ByDue: "2099-01-02", todo.ByPriority: "low",
		todo.ByTitle: "zq-alice-task 1"}
	var searches []todo.Search
	for _, sort := range todo.Sorts {
		searches = append(searches, todo.Search{Sort: sort}, todo.Search{Sort: sort, Desc: true})
	}
	searches = append(searches, todo.Search{Tag: "zq-alice"}, todo.Search{Tag: "work", Sort: todo.ByDue},
		todo.Search{Overdue: true}, todo.Search{Q: "alice-notes"}, todo.Search{Q: "zq", Tag: "work"},
		todo.Search{Q: "ALICE", Overdue: true, Sort: todo.ByTitle, Desc: true})
	for _, search := range searches {
		for _, f := range todo.Filters {
			opts := store.ListOptions{Filter: f, Search: search, Today: today}
			next := opts
			next.After, next.AfterKey = first, later[search.Sort]
			calls = append(calls,
				func() error { _, err := tasks.List(ctx, opts); return err },
				func() error { _, err := tasks.List(ctx, next); return err })
		}
	}
	// The undated part of a due sort's later page.
	undated := store.ListOptions{Search: todo.Search{Sort: todo.ByDue}, After: first, AfterKey: "none"}
	calls = append(calls, func() error { _, err := tasks.List(ctx, undated); return err })
	for i, call := range calls {
		if err := call(); err != nil {
			t.Fatalf("store call %d for Alice: %v", i, err)
		}
	}
	rec.mu.Lock()
	recorded := rec.stmts
	rec.mu.Unlock()

	digest := func() string {
		t.Helper()
		var d string
		if err := admin.QueryRow(ctx, `select md5(
			coalesce((select string_agg(x::text, '|' order by x.id) from tasks x where user_id = $1), '') || '#' ||
			coalesce((select string_agg(c::text, '|') from task_counts c where user_id = $1), '') || '#' ||
			coalesce((select string_agg(u::text, '|' order by u.id) from task_undo u where user_id = $1), '') || '#' ||
			coalesce((select string_agg(g::text, '|' order by g) from task_tags g where user_id = $1), '') || '#' ||
			coalesce((select string_agg(c::text, '|' order by c) from task_tag_counts c where user_id = $1), '') || '#' ||
			coalesce((select string_agg(g::text, '|' order by g) from task_trigrams g where user_id = $1), '') || '#' ||
			coalesce((select string_agg(c::text, '|' order by c) from task_trigram_counts c where user_id = $1), ''))`,
			alice).Scan(&d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	isAlices := isAlicesValue

	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	checked := 0
	for _, st := range recorded {
		if strings.Contains(st.sql, "set_config('app.user_id'") || !userData.MatchString(st.sql) {
			continue
		}
		bare := ownerFilter.ReplaceAllString(st.sql, "$$$2::text is not null")
		// The sweep of expired undo records runs for no user by design (see its migration): what
		// it may do under another user's setting is checked like every other statement below.
		if bare == st.sql && !strings.HasPrefix(strings.TrimSpace(strings.ToLower(st.sql)), "insert") &&
			!strings.Contains(st.sql, "where s.token") && st.sql != "delete from task_undo" {
			t.Errorf("a statement on users' data without its owner filter: %s", st.sql)
		}
		checked++
		before := digest()
		what := fmt.Sprintf("without its filter, for Bob: %s", bare)
		tx, err := conn.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `select set_config('app.user_id', $1, true)`, bob); err != nil {
			t.Fatal(err)
		}
		rows, err := tx.Query(ctx, bare, st.args...)
		var failed error
		if err == nil {
			for rows.Next() {
				vals, err := rows.Values()
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range vals {
					if isAlices(v) {
						t.Errorf("%s\n  returned Alice's data: %v", what, vals)
					}
				}
			}
			failed = rows.Err()
		} else {
			failed = err
		}
		if failed != nil {
			tx.Rollback(ctx)
			// Only a write of Alice's row may fail, refused by the policy's check.
			if !strings.Contains(failed.Error(), "row-level security") {
				t.Errorf("%s\n  failed: %v", what, failed)
			}
		} else if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		if after := digest(); after != before {
			t.Errorf("%s\n  changed Alice's tasks or counts", what)
		}
	}
	if checked < len(calls) {
		t.Fatalf("only %d statements on users' data were recorded for %d store calls", checked, len(calls))
	}

	// Without any setting, the app's role sees no task at all.
	var n int
	if err := conn.QueryRow(ctx, `select (select count(*) from tasks) + (select count(*) from task_counts) +
		(select count(*) from task_tags) + (select count(*) from task_tag_counts) +
		(select count(*) from task_trigrams) + (select count(*) from task_trigram_counts)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("a connection without app.user_id sees %d rows of the users' tables (%v), want 0", n, err)
	}
	if _, err := conn.Exec(ctx, `insert into tasks (user_id, title) values ($1, 'sneaked in')`, alice); err == nil ||
		!strings.Contains(err.Error(), "row-level security") {
		t.Fatalf("an insert without app.user_id: %v, want a row-level security refusal", err)
	}
}

// isAlicesValue tells whether a value a statement returned is Alice's: her titles and tag, ids of
// 5000 and above, her counts (37 active, 23 completed), her due dates (2099).
func isAlicesValue(v any) bool {
	switch x := v.(type) {
	case string:
		return strings.Contains(x, "zq-alice")
	case int64:
		return x >= 5000 || x == 37 || x == 23
	case int32:
		return x == 37 || x == 23
	case time.Time:
		return x.Year() == 2099
	case []any:
		for _, e := range x {
			if isAlicesValue(e) {
				return true
			}
		}
	}
	return false
}
