package store_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// The list and count queries the app runs are index scans on the task indexes, on a table shaped like
// production (many users, each a small part of it), for a heavy and a light user. For the heavy user the
// list plan must stop after one page (no Sort over all of their tasks). These are custom plans, which is
// what the app gets: the store runs unnamed statements (see ParseURL), never a cached generic plan, which
// would plan every user as an average one (checked below).
func TestListAndCountQueriesUseTheIndexes(t *testing.T) {
	s := newStore(t)
	heavy := newUser(t, s, "Heavy")
	light := newUser(t, s, "Light")
	// A user who owns most of the table, with the newest ids: walking the primary key and filtering
	// on user_id looks cheap to the planner here, and would read every other user's rows first.
	dominant := newUser(t, s, "Dominant")
	for _, seed := range []string{`
		insert into users (id, name, email, email_verified, updated_at)
		  select 'u' || g, 'user ' || g, 'u' || g || '@example.test', false, now() from generate_series(1, 500) g`, `
		insert into tasks (user_id, title, completed)
		  select 'u' || (g % 500 + 1), 'task ' || g, g % 4 = 0 from generate_series(1, 20000) g`, `
		insert into tasks (user_id, title, completed)
		  select '` + heavy + `', 'heavy ' || g, g % 2 = 0 from generate_series(1, 2000) g`, `
		insert into tasks (user_id, title) select '` + light + `', 'light ' || g from generate_series(1, 30) g`, `
		insert into tasks (user_id, title, completed)
		  select '` + dominant + `', 'dominant ' || g, g % 2 = 0 from generate_series(1, 60000) g`,
		`vacuum analyze tasks`, `vacuum analyze task_counts`} {
		if _, err := s.Pool().Exec(ctx, seed); err != nil {
			t.Fatal(err)
		}
	}
	queries := map[string]string{
		"all":       store.RobustListQuery(todo.All),
		"active":    store.RobustListQuery(todo.Active),
		"completed": store.RobustListQuery(todo.Completed),
	}
	// The spec's active-count query on tasks itself (the app reads task_counts instead, below).
	const activeCount = `select count(*) from tasks where user_id = $1 and completed = false`
	if cfg, _ := store.ParseURL(pgtest.TemplateURL(t)); cfg.ConnConfig.DefaultQueryExecMode != pgx.QueryExecModeCacheDescribe {
		t.Fatalf("the store runs queries in mode %v; named prepared statements would get generic plans", cfg.ConnConfig.DefaultQueryExecMode)
	}
	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	explain := func(q string, args ...any) string {
		rows, err := conn.Query(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			rows.Scan(&line)
			plan = append(plan, line)
		}
		if rows.Err() != nil {
			t.Fatal(rows.Err())
		}
		return strings.Join(plan, "\n")
	}
	check := func(what, plan string, isList bool) {
		if strings.Contains(plan, "Seq Scan") ||
			!(strings.Contains(plan, "tasks_user_id_id_idx") || strings.Contains(plan, "tasks_user_id_completed_id_idx")) {
			t.Errorf("%s: not an index scan on a task index:\n%s", what, plan)
		}
		if !isList {
			return
		}
		// A page: a Limit right above an ordered scan of a per-user index, so it stops after one page
		// (not a walk of the primary key filtered on user_id, and nothing that sorts all of their tasks).
		lines := strings.Split(plan, "\n")
		for i, line := range lines {
			if strings.Contains(line, "Limit") {
				if i+1 >= len(lines) || !strings.Contains(lines[i+1], "Scan using tasks_user_id_") {
					t.Errorf("%s: the page is not read in order from a per-user index:\n%s", what, plan)
				}
				return
			}
		}
		t.Errorf("%s: no Limit in the plan:\n%s", what, plan)
	}
	if plan := explain("explain select active, completed from task_counts where user_id = $1", heavy); !strings.Contains(plan, "Index Scan using task_counts_pkey") {
		t.Errorf("the counts the app reads are not a primary-key lookup:\n%s", plan)
	}
	for _, user := range []string{heavy, light} {
		check("active count", explain("explain "+activeCount, user), false)
	}
	// The plain query serves users with few tasks only (Store.TasksOf): an index scan, whatever its shape.
	for _, f := range []todo.Filter{todo.All, todo.Active, todo.Completed} {
		check("plain list (light user)", explain("explain "+store.PlainListQuery(f), light, int64(0), 101), false)
	}
	// Plans are checked in a transaction that first applies the setting List sends with its query.
	for _, sql := range []string{"begin", store.ListSetting} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	defer conn.Exec(ctx, "rollback")
	for name, q := range queries {
		for who, user := range map[string]string{"heavy": heavy, "light": light, "owning most rows": dominant} {
			check(name+" ("+who+" user)", explain("explain "+q, user, int64(0), 101), true)
		}
	}
}
