package store

import (
	"context"
	"time"
	"todo/todo"

	"github.com/jackc/pgx/v5"
)

// Hooks for the store_test package's fault tests.

// SetStatementTimeout shortens the statement timeout of s, so a test need not wait five seconds.
func SetStatementTimeout(s *Store, d time.Duration) { s.pool.statementTimeout = d }

// ReadAs and WriteAs run one statement the way every store statement runs (owner, statement
// timeout, retry rule, classify), for statements no store function has, such as pg_sleep. An empty
// owner is noOwner.
func ReadAs(ctx context.Context, s *Store, owner, sql string, dest ...any) error {
	return classify(s.pool.read(testOwner(owner)).QueryRow(ctx, sql).Scan(dest...))
}

func WriteAs(ctx context.Context, s *Store, owner, sql string) error {
	_, err := s.pool.write(testOwner(owner)).Exec(ctx, sql)
	return classify(err)
}

// InTxAs runs sql in a transaction for owner and scans its one row into dest.
func InTxAs(ctx context.Context, s *Store, owner, sql string, dest ...any) error {
	return classify(s.pool.inTx(ctx, testOwner(owner), func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, sql).Scan(dest...)
	}))
}

func testOwner(id string) owner {
	if id == "" {
		return noOwner
	}
	return ownedBy(id)
}

// PoolWait is how long a statement waits for a connection while all of them are busy.
const PoolWait = poolWait

var Classify = classify

// ListQuery is the statement List runs for a filter and a page, for the plan checks in explain_test.go.
func ListQuery(f todo.Filter, after int64) string {
	if after > 0 {
		return laterPageQueries[f]
	}
	return firstPageQueries[f]
}

// PageQuery is the statement and arguments List sends for a page of userID's list, for the plan
// checks in explain_test.go.
func PageQuery(userID string, opts ListOptions) (string, []any) {
	opts.userID = userID
	if opts.Search == (todo.Search{}) {
		return ListQuery(opts.Filter, opts.After), []any{userID, opts.After, todo.PageSize + 1}
	}
	q := &listQuery{opts: opts, limit: todo.PageSize + 1}
	return q.page(), q.args
}

// DensePageQuery is the statement of the page when its search was last sampled dense (a window of
// the user's tasks); ok is false for a page that is read the same way either way.
func DensePageQuery(userID string, opts ListOptions) (sql string, args []any, ok bool) {
	opts.userID = userID
	q := &listQuery{opts: opts, limit: todo.PageSize + 1, dense: true}
	sql = q.page()
	return sql, q.args, q.shape == windowSearch
}

// VersionsPageQuery is the statement that reads the ids and versions of the page's tasks first (see
// knownTasks), when its search was last sampled dense or not; ok is false for a page that is always
// read whole. indexOnly tells whether an index alone holds what it reads.
func VersionsPageQuery(userID string, opts ListOptions, dense bool) (sql string, args []any, indexOnly, ok bool) {
	opts.userID = userID
	q := &listQuery{opts: opts, limit: todo.PageSize + 1, dense: dense}
	q.page()
	if !q.holdsTasks() {
		return "", nil, false, false
	}
	return q.versionsPage(), q.args, q.readsIndexOnly(), true
}

// HeldTasks is how many tasks s holds at their versions.
func HeldTasks(s *Store) int { return s.known.held.Len() }
