package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// db is the pool as the store's statements see it. It adds the two things a pooled, serverless
// database needs and pgxpool does not do by itself:
//
//   - A statement timeout that works behind PgBouncer in transaction mode (Neon's pooled endpoint
//     rejects statement_timeout as a startup parameter, and a session-level SET would leak to whoever
//     gets the server connection next). Each statement runs under a context that ends after
//     statementTimeout (or the request's own deadline, if sooner); the pool's connections answer a
//     cancelled context by sending PostgreSQL a CancelRequest (see ParseURL), which PgBouncer forwards,
//     so the server stops the query (57014) and the connection stays usable. Getting a connection is
//     bounded by the request's deadline only, so a Neon compute waking up has the time it needs.
//   - One retry, on a connection that is checked first, when a read fails because its connection broke
//     (a compute that was suspended or restarted, pg_terminate_backend, a network reset). Writes are
//     retried only when pgconn says nothing reached the server (pgconn.SafeToRetry), so an acknowledged
//     write can never be applied twice. A statement counts as a read when it starts with SELECT; the
//     store's writes are INSERT, UPDATE, DELETE or WITH … UPDATE, never SELECT-shaped.
//
// Its method set is the part of *pgxpool.Pool the store uses, so queries are written as usual.
type db struct {
	pool             *pgxpool.Pool
	statementTimeout time.Duration
}

// statementTimeout bounds every statement. The app's queries take milliseconds; five seconds is a
// database in trouble, and the person waiting gets a 503 with Retry-After instead of a spinner.
const statementTimeout = 5 * time.Second

// checkConnKey marks the context of a retry, so that ShouldPing (see ParseURL) pings whatever idle
// connection the pool offers before handing it out, however briefly it has been idle.
type checkConnKey struct{}

func isRetry(ctx context.Context) bool { return ctx.Value(checkConnKey{}) != nil }

// run runs attempt on an acquired connection under the statement timeout, and once more on a checked
// connection when the failure allows it (see retryable).
func (d *db) run(ctx context.Context, read bool, attempt func(ctx context.Context, conn *pgxpool.Conn) error) error {
	err := d.once(ctx, attempt)
	if err == nil || ctx.Err() != nil || !retryable(err, read) {
		return err
	}
	return d.once(context.WithValue(ctx, checkConnKey{}, true), attempt)
}

func (d *db) once(ctx context.Context, attempt func(ctx context.Context, conn *pgxpool.Conn) error) error {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release() // a connection that broke is closed, and Release destroys it
	sctx, cancel := context.WithTimeout(ctx, d.statementTimeout)
	defer cancel()
	return attempt(sctx, conn)
}

// retryable: anything when nothing was sent; for a read, also a connection that broke under it.
// A timeout (connecting or running) is not retried: the time is spent, and a database that did not
// answer once will not answer faster the second time.
func retryable(err error, read bool) bool {
	if pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if pgconn.SafeToRetry(err) {
		return true
	}
	return read && brokenConn(err)
}

// brokenConn reports an error that means the connection itself is gone, as opposed to an error in
// the statement: the server ending the session (57P01 admin shutdown or terminate, 57P02 crash,
// 57P03 cannot connect now, class 08, any FATAL), or the network dropping it.
func brokenConn(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Severity == "FATAL" || pgErr.Severity == "PANIC" ||
			strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var netErr net.Error
	var connErr *pgconn.ConnectError
	return errors.As(err, &netErr) || errors.As(err, &connErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		isConnClosed(err)
}

// isConnClosed matches pgconn's "conn closed", returned by a connection that broke earlier.
func isConnClosed(err error) bool { return strings.Contains(err.Error(), "conn closed") }

// isRead reports whether sql is a plain SELECT (after leading blanks and comments).
func isRead(sql string) bool {
	for {
		sql = strings.TrimLeft(sql, " \t\r\n")
		switch {
		case strings.HasPrefix(sql, "--"):
			if i := strings.IndexByte(sql, '\n'); i >= 0 {
				sql = sql[i+1:]
				continue
			}
			return false
		case strings.HasPrefix(sql, "/*"):
			if i := strings.Index(sql, "*/"); i >= 0 {
				sql = sql[i+2:]
				continue
			}
			return false
		}
		return len(sql) >= 6 && strings.EqualFold(sql[:6], "select") &&
			(len(sql) == 6 || !isIdentChar(sql[6]))
	}
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// Exec runs a statement that returns no rows.
func (d *db) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := d.run(ctx, isRead(sql), func(ctx context.Context, conn *pgxpool.Conn) error {
		var err error
		tag, err = conn.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// QueryRow runs the statement when Scan is called, so that Scan can retry it.
func (d *db) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return &row{db: d, ctx: ctx, sql: sql, args: args}
}

type row struct {
	db   *db
	ctx  context.Context
	sql  string
	args []any
}

func (r *row) Scan(dest ...any) error {
	return r.db.run(r.ctx, isRead(r.sql), func(ctx context.Context, conn *pgxpool.Conn) error {
		return conn.QueryRow(ctx, r.sql, r.args...).Scan(dest...)
	})
}

// Query runs a statement and returns its rows; the statement timeout runs until the rows are closed.
// Only a failure before anything was sent is retried: rows already handed out cannot be taken back.
func (d *db) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			ctx = context.WithValue(ctx, checkConnKey{}, true)
		}
		conn, err := d.pool.Acquire(ctx)
		if err != nil {
			if attempt == 0 && ctx.Err() == nil && pgconn.SafeToRetry(err) {
				continue
			}
			return nil, err
		}
		sctx, cancel := context.WithTimeout(ctx, d.statementTimeout)
		rows, err := conn.Query(sctx, sql, args...)
		if err != nil {
			cancel()
			conn.Release()
			if attempt == 0 && ctx.Err() == nil && pgconn.SafeToRetry(err) {
				continue
			}
			return nil, err
		}
		return &timedRows{Rows: rows, done: func() { cancel(); conn.Release() }}, nil
	}
}

// timedRows releases the connection and the statement's timer when the rows are closed, which pgx
// does itself once Next returns false.
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

// SendBatch sends the batch when its results are closed, which is how the store reads batches
// (every queued query has its own callback): a batch of reads is retried as a whole, with a fresh copy
// of the queue. Reading the results one by one instead (Exec, Query, QueryRow) works as well, without
// the retry.
func (d *db) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if len(b.QueuedQueries) > 0 && len(b.QueuedQueries[0].SQL) >= 5 && strings.EqualFold(b.QueuedQueries[0].SQL[:5], "begin") {
		return d.pool.SendBatch(ctx, b) // Batch.BeginTx: the transaction keeps the connection; no timeout, no retry
	}
	return &batch{db: d, ctx: ctx, b: b}
}

type batch struct {
	db  *db
	ctx context.Context
	b   *pgx.Batch

	open   pgx.BatchResults // set once results are read one by one
	finish func()
}

func (b *batch) read() bool {
	for _, q := range b.b.QueuedQueries {
		if !isRead(q.SQL) {
			return false
		}
	}
	return true
}

func (b *batch) Close() error {
	if b.open != nil {
		err := b.open.Close()
		b.finish()
		return err
	}
	first := true
	return b.db.run(b.ctx, b.read(), func(ctx context.Context, conn *pgxpool.Conn) error {
		q := b.b
		if !first { // a batch remembers per-connection state: send a copy of the queue
			q = &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, len(b.b.QueuedQueries))}
			for i, qq := range b.b.QueuedQueries {
				q.QueuedQueries[i] = &pgx.QueuedQuery{SQL: qq.SQL, Arguments: qq.Arguments, Fn: qq.Fn}
			}
		}
		first = false
		return conn.SendBatch(ctx, q).Close()
	})
}

// results opens the batch for reading one result at a time (no retry).
func (b *batch) results() pgx.BatchResults {
	if b.open == nil {
		conn, err := b.db.pool.Acquire(b.ctx)
		if err != nil {
			b.open, b.finish = pgx.FailedBatchResults(b.b, err), func() {}
			return b.open
		}
		sctx, cancel := context.WithTimeout(b.ctx, b.db.statementTimeout)
		b.open = conn.SendBatch(sctx, b.b)
		b.finish = func() { cancel(); conn.Release() }
	}
	return b.open
}

func (b *batch) Exec() (pgconn.CommandTag, error) { return b.results().Exec() }
func (b *batch) Query() (pgx.Rows, error)         { return b.results().Query() }
func (b *batch) QueryRow() pgx.Row                { return b.results().QueryRow() }
func (b *batch) Tx() pgx.Tx                       { return nil } // see SendBatch

// Begin starts a transaction. Its statements run under the statement timeout each; none is retried
// (the transaction lives on one connection), but Begin itself is when nothing was sent.
func (d *db) Begin(ctx context.Context) (pgx.Tx, error) { return d.BeginTx(ctx, pgx.TxOptions{}) }

// BeginTx is Begin with options.
func (d *db) BeginTx(ctx context.Context, opts pgx.TxOptions) (pgx.Tx, error) {
	tx, err := d.pool.BeginTx(ctx, opts)
	if err != nil && ctx.Err() == nil && pgconn.SafeToRetry(err) {
		tx, err = d.pool.BeginTx(context.WithValue(ctx, checkConnKey{}, true), opts)
	}
	if err != nil {
		return nil, err
	}
	return &timedTx{Tx: tx, timeout: d.statementTimeout}, nil
}

// timedTx puts the statement timeout on each statement of a transaction.
type timedTx struct {
	pgx.Tx
	timeout time.Duration
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
