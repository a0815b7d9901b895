package store_test

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"todo/internal/pgtest"
	"todo/store"
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
	for _, seed := range []string{`
		insert into users (id, name, email, email_verified, updated_at)
		  select 'u' || g, 'user ' || g, 'u' || g || '@example.test', false, now() from generate_series(1, 500) g`, `
		insert into tasks (user_id, title, completed)
		  select 'u' || (g % 500 + 1), 'task ' || g, g % 4 = 0 from generate_series(1, 20000) g`, `
		insert into tasks (user_id, title, completed)
		  select '` + heavy + `', 'heavy ' || g, g % 2 = 0 from generate_series(1, 2000) g`, `
		insert into tasks (user_id, title) select '` + light + `', 'light ' || g from generate_series(1, 30) g`,
		`vacuum analyze tasks`, `vacuum analyze task_counts`} {
		if _, err := s.Pool().Exec(ctx, seed); err != nil {
			t.Fatal(err)
		}
	}
	queries := map[string]string{
		"all":       `select id, title from tasks where user_id = $1 and id > $2 order by id limit 101`,
		"active":    `select id, title from tasks where user_id = $1 and completed = false and id > $2 order by id limit 101`,
		"completed": `select id, title from tasks where user_id = $1 and completed = true and id > $2 order by id limit 101`,
		// The spec's active-count query on tasks itself (the app reads task_counts instead, below).
		"active count": `select count(*) from tasks where user_id = $1 and completed = false and $2::bigint >= 0`,
	}
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
	check := func(what, plan string, mustStopEarly bool) {
		if strings.Contains(plan, "Seq Scan") || !strings.Contains(plan, "Index") ||
			!(strings.Contains(plan, "tasks_user_id_id_idx") || strings.Contains(plan, "tasks_user_id_completed_id_idx")) {
			t.Errorf("%s: not an index scan on a task index:\n%s", what, plan)
		}
		if mustStopEarly && strings.Contains(plan, "Sort") {
			t.Errorf("%s: sorts all of the user's tasks instead of reading one page in index order:\n%s", what, plan)
		}
	}
	if plan := explain("explain select active, completed from task_counts where user_id = $1", heavy); !strings.Contains(plan, "Index Scan using task_counts_pkey") {
		t.Errorf("the counts the app reads are not a primary-key lookup:\n%s", plan)
	}
	for name, q := range queries {
		list := !strings.Contains(name, "count")
		check(name+" (heavy user)", explain("explain "+q, heavy, int64(0)), list)
		check(name+" (light user)", explain("explain "+q, light, int64(0)), false)
	}
}
