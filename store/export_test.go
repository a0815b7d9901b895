package store

import (
	"context"
	"time"
	"todo/todo"
)

// Hooks for the store_test package's fault tests.

// SetStatementTimeout shortens the statement timeout of s, so a test need not wait five seconds.
func SetStatementTimeout(s *Store, d time.Duration) { s.pool.statementTimeout = d }

// ExecThroughStore runs sql the way every store statement runs (statement timeout, retry rule,
// classify), for statements no store function has, such as pg_sleep.
func ExecThroughStore(ctx context.Context, s *Store, sql string) error {
	_, err := s.pool.Exec(ctx, sql)
	return classify(err)
}

var (
	IsRead   = isRead
	Classify = classify
)

// ListQuery is the statement List runs for a filter, for the plan checks in explain_test.go.
func ListQuery(f todo.Filter) string { return listQueries[f] }
