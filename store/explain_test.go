package store_test

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

// planNode is the part of EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) the plan checks read.
type planNode struct {
	NodeType       string     `json:"Node Type"`
	Parent         string     `json:"Parent Relationship"`
	IndexName      string     `json:"Index Name"`
	RelationName   string     `json:"Relation Name"`
	ActualRows     float64    `json:"Actual Rows"`
	ActualLoops    float64    `json:"Actual Loops"`
	RemovedByFilt  float64    `json:"Rows Removed by Filter"`
	SharedHit      int        `json:"Shared Hit Blocks"`
	SharedRead     int        `json:"Shared Read Blocks"`
	Plans          []planNode `json:"Plans"`
	IndexCondition string     `json:"Index Cond"`
}

func (n planNode) walk(visit func(planNode)) {
	visit(n)
	for _, c := range n.Plans {
		c.walk(visit)
	}
}

func (n planNode) String() string {
	var b strings.Builder
	var show func(planNode, string)
	show = func(n planNode, indent string) {
		fmt.Fprintf(&b, "%s%s %s %s rows=%.0f removed=%.0f buffers=%d\n", indent, n.NodeType, n.IndexName,
			n.IndexCondition, n.ActualRows, n.RemovedByFilt, n.SharedHit+n.SharedRead)
		for _, c := range n.Plans {
			show(c, indent+"  ")
		}
	}
	show(n, "")
	return b.String()
}

// explainAnalyze runs sql with args under EXPLAIN (ANALYZE, BUFFERS) and returns the plan's root.
func explainAnalyze(t *testing.T, conn *pgx.Conn, sql string, args ...any) planNode {
	t.Helper()
	var raw []byte
	// An unnamed statement, planned for these values (a custom plan), however often it runs.
	args = append([]any{pgx.QueryExecModeCacheDescribe}, args...)
	if err := conn.QueryRow(ctx, "explain (analyze, buffers, format json) "+sql, args...).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	var out []struct {
		Plan planNode `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out) != 1 {
		t.Fatalf("explain output: %v: %s", err, raw)
	}
	return out[0].Plan
}

// explainGeneric is explainAnalyze of the plan PostgreSQL may keep for a prepared statement once it
// has run a few times (the store prepares its statements): one made without the parameters' values.
func explainGeneric(t *testing.T, conn *pgx.Conn, sql string, args ...any) planNode {
	t.Helper()
	for _, stmt := range []string{`set plan_cache_mode = force_generic_plan`, `prepare generic_page as ` + sql} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		if _, err := conn.Exec(ctx, `deallocate generic_page; reset plan_cache_mode`); err != nil {
			t.Fatal(err)
		}
	}()
	// EXECUTE takes its values as SQL, not as parameters of its own.
	params := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil:
			params[i] = "null"
		case string:
			params[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case int:
			params[i] = strconv.Itoa(v)
		case int16:
			params[i] = strconv.Itoa(int(v))
		case int64:
			params[i] = strconv.FormatInt(v, 10)
		default:
			t.Fatalf("explainGeneric: no SQL literal for %T", a)
		}
	}
	plan := explainAnalyze(t, conn, `execute generic_page(`+strings.Join(params, ", ")+`)`)
	if !strings.Contains(plan.String(), "$1") {
		t.Fatalf("not a generic plan (no condition names the user as $1):\n%s", plan)
	}
	return plan
}

// A list page costs the same for every user, whatever the table around their tasks looks like and
// whether or not the statistics know them: an ordered range scan of one per-user index, right below
// the Limit, that reads about a page of rows and of buffers. The matrix puts users whose tasks are the
// oldest of the table, the newest, and interleaved with a 100,000-task user's, plus one whose
// completed tasks are rare, and checks every filter on the first page and a later one, first with
// statistics that predate half of the users, then after a fresh ANALYZE.
func TestListPagesCostAPageForEveryUser(t *testing.T) {
	s := newStore(t)
	if cfg, _ := store.ParseURL(pgtest.TemplateURL(t)); cfg.ConnConfig.DefaultQueryExecMode != pgx.QueryExecModeCacheStatement {
		t.Fatalf("the store runs queries in mode %v, not as the prepared statements whose generic plans these tests check", cfg.ConnConfig.DefaultQueryExecMode)
	}
	users := map[string]string{}
	for _, name := range []string{"oldest", "big", "interleaved", "newest", "rare-completed", "small"} {
		users[name] = newUser(t, s, name)
	}
	admin := pgtest.AdminOf(t, s)
	exec := func(sql string) {
		t.Helper()
		if _, err := admin.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	seed := func(user, rows, completed string) {
		exec(`insert into tasks (user_id, title, completed) select '` + user + `', 'task ' || g, ` + completed +
			` from generate_series(1, ` + rows + `) g`)
	}
	seed(users["oldest"], "3000", "g % 3 = 0")
	// One statement, so the interleaved user's rows sit among the big user's, one in 40.
	exec(`insert into tasks (user_id, title, completed)
	      select case when g % 40 = 0 then '` + users["interleaved"] + `' else '` + users["big"] + `' end,
	             'task ' || g, g % 4 = 0
	        from generate_series(1, 104000) g`)
	exec(`vacuum analyze tasks`)
	// Written after the statistics: the planner knows nothing of these users yet.
	seed(users["newest"], "3000", "g % 3 = 0")
	seed(users["rare-completed"], "3000", "g > 2995")
	seed(users["small"], "30", "g % 2 = 0")

	conn, err := s.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	const limit = todo.PageSize + 1 // List reads one row more than it shows
	check := func(stats string) {
		for name, user := range users {
			// The app's role sees only the rows of app.user_id (row-level security): this connection
			// runs for the user under test, as each List runs for its user.
			if _, err := conn.Exec(ctx, `select set_config('app.user_id', $1, false)`, user); err != nil {
				t.Fatal(err)
			}
			for _, f := range todo.Filters {
				// The keyset of a later page: the id of the user's 1,000th task in this list (or none).
				var later int64
				if err := conn.QueryRow(ctx, `select coalesce(max(id), 0) from (
				    select id from tasks where user_id = $1 and (completed = $2 or $3) order by id limit 1000) t`,
					user, f == todo.Completed, f == todo.All).Scan(&later); err != nil {
					t.Fatal(err)
				}
				for page, after := range map[string]int64{"first page": 0, "later page": later} {
					what := fmt.Sprintf("%s, %s user, %s, %s", stats, name, f.Label(), page)
					plan := explainAnalyze(t, conn.Conn(), store.ListQuery(f, after), user, after, limit)
					checkPagePlan(t, what, plan, limit)
					plan = explainGeneric(t, conn.Conn(), store.ListQuery(f, after), user, after, limit)
					checkPagePlan(t, what+", generic plan", plan, limit)
				}
			}
		}
	}
	check("stale statistics")
	exec(`analyze tasks`)
	check("fresh statistics")

	// The counter the page shows is one primary-key lookup, whatever the number of tasks.
	if _, err := conn.Exec(ctx, `select set_config('app.user_id', $1, false)`, users["big"]); err != nil {
		t.Fatal(err)
	}
	plan := explainAnalyze(t, conn.Conn(), `select active, completed from task_counts where user_id = $1`, users["big"])
	for plan.NodeType == "Result" && len(plan.Plans) == 1 {
		plan = plan.Plans[0]
	}
	if plan.NodeType != "Index Scan" || plan.IndexName != "task_counts_pkey" {
		t.Errorf("the counts are not a primary-key lookup:\n%s", plan)
	}
}

// checkPagePlan fails unless the plan reads one page: Limit over an index scan of a tasks index that
// examined at most the page's rows, with nothing sorted, no bitmap and no sequential scan.
func checkPagePlan(t *testing.T, what string, plan planNode, limit int) {
	t.Helper()
	plan.walk(func(n planNode) {
		if strings.Contains(n.NodeType, "Sort") || strings.Contains(n.NodeType, "Bitmap") || n.NodeType == "Seq Scan" {
			t.Errorf("%s: the plan has a %s:\n%s", what, n.NodeType, plan)
		}
	})
	// Below the Limit: the scan, and for a later page the InitPlan that hands it the keyset.
	var scans []planNode
	for _, c := range plan.Plans {
		if c.Parent != "InitPlan" {
			scans = append(scans, c)
		}
	}
	if plan.NodeType != "Limit" || len(scans) != 1 {
		t.Errorf("%s: not a Limit over one scan:\n%s", what, plan)
		return
	}
	scan := scans[0]
	// Row-level security's check that app.user_id is this user, done once (a One-Time Filter).
	for scan.NodeType == "Result" && len(scan.Plans) == 1 {
		scan = scan.Plans[0]
	}
	if scan.NodeType != "Index Scan" && scan.NodeType != "Index Only Scan" ||
		!strings.HasPrefix(scan.IndexName, "tasks_") || scan.RelationName != "tasks" {
		t.Errorf("%s: the page is not read from a tasks index:\n%s", what, plan)
	}
	if examined := scan.ActualRows + scan.RemovedByFilt; examined > float64(limit) {
		t.Errorf("%s: examined %.0f rows for a page of %d:\n%s", what, examined, limit, plan)
	}
	// Each row may sit on a heap page of its own; the index adds a few pages for its levels.
	if buffers := plan.SharedHit + plan.SharedRead; buffers > limit+16 {
		t.Errorf("%s: %d buffers for a page of %d rows:\n%s", what, buffers, limit, plan)
	}
}
