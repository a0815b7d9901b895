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

// RobustListQuery and PlainListQuery are the statements List runs for a filter, and ListSetting the
// statement it runs ahead of the robust one in the same transaction, for the plan checks in
// explain_test.go; UsesPlainQuery tells which one a handle's List runs.
func RobustListQuery(f todo.Filter) string { return robustListQueries[f] }
func PlainListQuery(f todo.Filter) string  { return plainListQueries[f] }
func UsesPlainQuery(t Tasks) bool          { return t.few }

const ListSetting = orderedIndexScans
