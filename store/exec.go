package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"todo/todo"
)

// db is the pool as the store's statements see it. Every call says, where it is made, whether it
// only reads and for which user it runs:
//
//	d.read(ownedBy(id)).QueryRow(ctx, sql, args...).Scan(...)   one statement that only reads
//	d.write(ownedBy(id)).Exec(ctx, sql, args...)                one statement that changes rows
//	d.read(ownedBy(id)).SendBatch(ctx, batch)                   several, in one round trip
//	d.inTx(ctx, ownedBy(id), func(tx pgx.Tx) error {...})       a transaction
//
// and gets what a pooled, serverless database needs and pgxpool does not do by itself:
//
//   - The owner, as the setting app.user_id local to the statement's transaction, which row-level
//     security compares user_id with. It travels in the same round trip as the statement: the call is
//     sent as a batch, set_config(…, true) first, and the statements of a batch without an explicit
//     BEGIN run in one implicit transaction, so the setting covers exactly them and is gone before
//     the connection serves anyone else, behind a transaction-mode pooler too. A transaction sets it
//     as its first statement.
//   - A statement timeout that works behind PgBouncer in transaction mode (Neon's pooled endpoint
//     rejects statement_timeout as a startup parameter, and a session-level SET would leak to whoever
//     gets the server connection next). Each statement runs under a context that ends after
//     statementTimeout (or the request's own deadline, if sooner); the pool's connections answer a
//     cancelled context by sending PostgreSQL a CancelRequest (see ParseURL), which PgBouncer forwards,
//     so the server stops the query (57014) and the connection stays usable.
//   - A bounded wait for a connection (see acquire): a database so slow that every connection stays
//     busy answers 503 in about poolWait, not after the request's whole deadline.
//   - One retry, on a connection that is checked first, when a read fails because its connection broke
//     (a compute that was suspended or restarted, pg_terminate_backend, a network reset). Writes are
//     retried only when pgconn says nothing reached the server (pgconn.SafeToRetry), so an acknowledged
//     write can never be applied twice.
type db struct {
	pool             *pgxpool.Pool
	statementTimeout time.Duration
	connectTimeout   time.Duration // the pool's, for the wait in acquire
}

// statementTimeout bounds every statement. The app's queries take milliseconds; five seconds is a
// database in trouble, and the person waiting gets a 503 with Retry-After instead of a spinner.
const statementTimeout = 5 * time.Second

// poolWait is how long a call waits for a connection while every connection of the pool is busy
// running statements and none is being opened. Statements take milliseconds; a second of a full pool
// means the database is not keeping up, and each busy connection may stay so for the whole statement
// timeout. Bounding this wait, rather than charging it to the statement, keeps a request of several
// statements within about poolWait + statementTimeout.
const poolWait = time.Second

// errPoolBusy is the wait in acquire given up.
var errPoolBusy = fmt.Errorf("%w: every database connection stayed busy for %v", todo.ErrUnavailable, poolWait)

// owner is the user a call runs for, as the database sees it: app.user_id.
type owner struct {
	set string // the statement that sets app.user_id for the transaction, with arg as $1
	arg string
}

// ownedBy: the call runs for the user with this id.
func ownedBy(userID string) owner {
	return owner{set: `select set_config('app.user_id', $1, true)`, arg: userID}
}

// withGenericPlans: the call's statements also run with their generic plans (plan_cache_mode, local
// to the same transaction). A list page's statement takes PostgreSQL about as long to plan as to run,
// or longer (0.06–0.35 ms against 0.05–0.3 ms at 100,000 tasks). Under the default mode a prepared
// statement keeps its generic plan only if, after five custom ones, that plan is estimated no dearer
// than their average: a searched or sorted page's never was, and a plain list's depended on whose
// pages the connection had served first (a 100,000-task user's later pages were planned anew every
// time, which cost them a third more than the same page of a small list). The generic plans are as
// good: store/explain_test.go and store/explain_search_test.go hold every list statement's generic
// plan to a page's work.
func (o owner) withGenericPlans() owner {
	o.set = `select set_config('app.user_id', $1, true), set_config('plan_cache_mode', 'force_generic_plan', true)`
	return o
}

// noOwner: the call runs for no user in particular (an account looked up by email, a session by its
// token, a sign-up); it sees no row that row-level security keeps for a user.
var noOwner owner

// call is one call to the database: whether its statements only read, and for whom they run.
type call struct {
	db    *db
	read  bool
	owner owner
}

// read is a call whose statements only read: sent again once if its connection broke under it.
func (d *db) read(o owner) call { return call{db: d, read: true, owner: o} }

// write is a call whose statements may change rows: sent again only if nothing reached the server.
func (d *db) write(o owner) call { return call{db: d, owner: o} }

// checkConnKey marks the context of a retry, so that ShouldPing (see ParseURL) pings whatever idle
// connection the pool offers before handing it out, however briefly it has been idle.
type checkConnKey struct{}

func isRetry(ctx context.Context) bool { return ctx.Value(checkConnKey{}) != nil }

// brokenConnError is the error of a statement after which its connection was closed: whatever the
// statement did, the connection is gone (the server ended the session, the network dropped it). It
// is pgconn's own state that tells, not the error's wording.
type brokenConnError struct{ err error }

func (e *brokenConnError) Error() string { return e.err.Error() }
func (e *brokenConnError) Unwrap() error { return e.err }

// run runs attempt on an acquired connection under the statement timeout, and once more on a checked
// connection when the failure allows it (see retryable).
func (c call) run(ctx context.Context, attempt func(ctx context.Context, conn *pgxpool.Conn) error) error {
	err := c.db.once(ctx, attempt)
	if err == nil || ctx.Err() != nil || !retryable(err, c.read) {
		return err
	}
	return c.db.once(context.WithValue(ctx, checkConnKey{}, true), attempt)
}

func (d *db) once(ctx context.Context, attempt func(ctx context.Context, conn *pgxpool.Conn) error) error {
	conn, err := d.acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release() // a connection that broke is closed, and Release destroys it
	sctx, cancel := context.WithTimeout(ctx, d.statementTimeout)
	defer cancel()
	if err := attempt(sctx, conn); err != nil {
		if conn.Conn().IsClosed() {
			return &brokenConnError{err}
		}
		return err
	}
	return nil
}

// retryable: anything when nothing was sent; for a read, also a connection that broke under it.
// A timeout (connecting, waiting or running) is not retried: the time is spent, and a database that
// did not answer once will not answer faster the second time.
func retryable(err error, read bool) bool {
	if pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, errPoolBusy) {
		return false
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	var broken *brokenConnError
	return read && errors.As(err, &broken)
}

// acquire gets a connection from the pool. pgxpool bounds the wait only by ctx, which is the
// request's whole deadline; here it ends after poolWait during which no connection was being opened
// (every connection busy with a statement: the database is not keeping up), with errPoolBusy. While
// connections are being opened (a Neon compute waking up takes seconds), the wait goes on, up to the
// connect timeout more, since they are about to serve.
func (d *db) acquire(ctx context.Context) (*pgxpool.Conn, error) {
	actx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stop := d.giveUpWhenBusy(func() { cancel(errPoolBusy) })
	conn, err := d.pool.Acquire(actx)
	stop()
	if err != nil && ctx.Err() == nil && errors.Is(context.Cause(actx), errPoolBusy) {
		return nil, errPoolBusy
	}
	return conn, err
}

// giveUpWhenBusy calls giveUp once poolWait has passed with no connection being opened, or poolWait
// plus the connect timeout in all, unless stop is called first. An acquire that is served at once
// (nearly all of them) costs one timer.
func (d *db) giveUpWhenBusy(giveUp func()) (stop func()) {
	start := time.Now()
	lastOpening := start
	var mu sync.Mutex
	stopped := false
	var timer *time.Timer
	check := func() {
		mu.Lock()
		defer mu.Unlock()
		if stopped {
			return
		}
		now := time.Now()
		if d.pool.Stat().ConstructingConns() > 0 {
			lastOpening = now
		}
		if now.Sub(lastOpening) >= poolWait || now.Sub(start) >= poolWait+d.connectTimeout {
			stopped = true
			giveUp()
			return
		}
		timer.Reset(poolWait / 10)
	}
	mu.Lock()
	timer = time.AfterFunc(poolWait, check)
	mu.Unlock()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		timer.Stop()
	}
}

// Exec runs a statement that returns no rows.
func (c call) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	if c.owner.set != "" {
		b := &pgx.Batch{}
		b.Queue(sql, args...).Exec(func(t pgconn.CommandTag) error { tag = t; return nil })
		return tag, c.SendBatch(ctx, b)
	}
	err := c.run(ctx, func(ctx context.Context, conn *pgxpool.Conn) error {
		var err error
		tag, err = conn.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// QueryRow runs the statement when Scan is called, so that Scan can retry it.
func (c call) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return &row{call: c, ctx: ctx, sql: sql, args: args}
}

type row struct {
	call call
	ctx  context.Context
	sql  string
	args []any
}

func (r *row) Scan(dest ...any) error {
	if r.call.owner.set != "" {
		b := &pgx.Batch{}
		b.Queue(r.sql, r.args...).QueryRow(func(row pgx.Row) error { return row.Scan(dest...) })
		return r.call.SendBatch(r.ctx, b)
	}
	return r.call.run(r.ctx, func(ctx context.Context, conn *pgxpool.Conn) error {
		return conn.QueryRow(ctx, r.sql, r.args...).Scan(dest...)
	})
}

// SendBatch sends b's statements in one round trip, after the owner's setting, and reads every
// result through its queued callback (Query, QueryRow, Exec); it returns the first error. A read is
// retried as a whole, callbacks included.
func (c call) SendBatch(ctx context.Context, b *pgx.Batch) error {
	return c.run(ctx, func(ctx context.Context, conn *pgxpool.Conn) error {
		return conn.SendBatch(ctx, c.withOwner(b)).Close()
	})
}

// withOwner is a copy of b with the owner's setting first. Each attempt sends a copy: a queued query
// keeps state of the connection it was sent on.
func (c call) withOwner(b *pgx.Batch) *pgx.Batch {
	q := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(b.QueuedQueries)+1)}
	if c.owner.set != "" {
		q.Queue(c.owner.set, c.owner.arg)
	}
	for _, qq := range b.QueuedQueries {
		q.QueuedQueries = append(q.QueuedQueries, &pgx.QueuedQuery{SQL: qq.SQL, Arguments: qq.Arguments, Fn: qq.Fn})
	}
	return q
}

// inTx runs fn in a transaction for o, committed when fn returns nil and rolled back otherwise. The
// owner's setting is its first statement; each statement of fn runs under the statement timeout.
// Nothing is retried (the transaction lives on one connection) but BEGIN, when nothing was sent.
func (d *db) inTx(ctx context.Context, o owner, fn func(tx pgx.Tx) error) error {
	tx, err := d.begin(ctx, o)
	if err != nil {
		return err
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) // after Commit, a no-op
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (d *db) begin(ctx context.Context, o owner) (*timedTx, error) {
	tx, err := d.beginOnce(ctx)
	if err != nil && ctx.Err() == nil && pgconn.SafeToRetry(err) {
		tx, err = d.beginOnce(context.WithValue(ctx, checkConnKey{}, true))
	}
	if err != nil {
		return nil, err
	}
	if o.set != "" {
		if _, err := tx.Exec(ctx, o.set, o.arg); err != nil {
			tx.Rollback(context.WithoutCancel(ctx))
			return nil, err
		}
	}
	return tx, nil
}

func (d *db) beginOnce(ctx context.Context) (*timedTx, error) {
	conn, err := d.acquire(ctx)
	if err != nil {
		return nil, err
	}
	bctx, cancel := context.WithTimeout(ctx, d.statementTimeout)
	defer cancel()
	tx, err := conn.Begin(bctx)
	if err != nil {
		conn.Release()
		return nil, err
	}
	return &timedTx{Tx: tx, conn: conn, timeout: d.statementTimeout}, nil
}

// timedTx puts the statement timeout on each statement of a transaction, and gives the connection
// back to the pool when the transaction ends.
type timedTx struct {
	pgx.Tx
	conn     *pgxpool.Conn
	timeout  time.Duration
	released bool
}

func (t *timedTx) Commit(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	err := t.Tx.Commit(ctx)
	t.release()
	return err
}

func (t *timedTx) Rollback(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	err := t.Tx.Rollback(ctx)
	t.release()
	return err
}

func (t *timedTx) release() {
	if !t.released {
		t.released = true
		t.conn.Release()
	}
}

func (t *timedTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	return t.Tx.Exec(ctx, sql, args...)
}

func (t *timedTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return &txRow{tx: t, ctx: ctx, sql: sql, args: args}
}

type txRow struct {
	tx   *timedTx
	ctx  context.Context
	sql  string
	args []any
}

func (r *txRow) Scan(dest ...any) error {
	ctx, cancel := context.WithTimeout(r.ctx, r.tx.timeout)
	defer cancel()
	return r.tx.Tx.QueryRow(ctx, r.sql, r.args...).Scan(dest...)
}

func (t *timedTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	rows, err := t.Tx.Query(ctx, sql, args...)
	if err != nil {
		cancel()
		return nil, err
	}
	return &timedRows{Rows: rows, done: cancel}, nil
}

// timedRows ends the statement's timer when the rows are closed, which pgx does itself once Next
// returns false.
type timedRows struct {
	pgx.Rows
	done   func()
	closed bool
}

func (r *timedRows) Close() {
	r.Rows.Close()
	if !r.closed {
		r.closed = true
		r.done()
	}
}

func (r *timedRows) Next() bool {
	if r.Rows.Next() {
		return true
	}
	r.Close()
	return false
}
