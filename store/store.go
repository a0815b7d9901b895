// Package store is the app's only door to PostgreSQL.
//
// Ownership rule: every statement that touches tasks filters on user_id. The task functions hang off
// a handle made for one user (Store.Tasks(userID)), so no caller can run a task query without naming
// whose tasks it means, and a task id that belongs to someone else is indistinguishable from a
// missing one (todo.ErrNotFound).
package store

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"todo/todo"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/puddle/v2"
)

// Store holds the connection pool, and what this instance has learnt of how to read searches and
// the tasks of the sorted pages it last read (see knownTasks).
type Store struct {
	pool  *db
	dense *denseSearches
	known *knownTasks
}

// ParseURL parses a DATABASE_URL into a pool configuration tuned for a serverless PostgreSQL behind
// a transaction-mode pooler (Neon). Its errors name the variable and never contain the password.
func ParseURL(databaseURL string) (*pgxpool.Config, error) {
	if databaseURL == "" {
		return nil, errors.New("DATABASE_URL is not set (expected postgres://USER:PASSWORD@HOST:PORT/DBNAME?sslmode=...)")
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL: %s (the value is not shown: it may hold the password)",
			parseProblem(databaseURL, err))
	}
	configure(cfg, databaseURL)
	return cfg, nil
}

// configure sets the pool up for Neon: a pooled endpoint that is PgBouncer in transaction mode, in
// front of a compute that sleeps when idle and drops its connections (57P01) when it does. A setting
// given in the URL (pool_max_conns=…, connect_timeout=…) wins over these defaults.
func configure(cfg *pgxpool.Config, raw string) {
	given := func(key string) bool { return strings.Contains(raw, key+"=") }

	// Named prepared statements, cached per connection (pgx's default, said here because it matters):
	// a statement is parsed, analysed and rewritten (row-level security included) once per connection
	// instead of on every execution, which halved the list page's time in the database. PostgreSQL
	// plans each execution for its values unless the generic plan it may keep after five costs about
	// the same; list pages ask for their generic plans (withGenericPlans). Either plan is a range of
	// a per-user index by construction, with the keysets hidden from the planner: the store's EXPLAIN
	// tests check the custom and the generic plans. PgBouncer in
	// transaction mode keeps protocol-level prepared statements working since 1.21 (Neon's pooler
	// does); behind an older one, set default_query_exec_mode=cache_describe in the URL (unnamed
	// statements with cached descriptions: nothing named on a server connection).
	if !given("default_query_exec_mode") {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheStatement
	}

	// A context that ends during a statement (the statement timeout, the request's deadline, a client
	// gone) makes pgx send PostgreSQL a CancelRequest, which PgBouncer forwards to the right server
	// connection: the query stops on the server (57014) and the connection stays usable. pgx's
	// default only cuts the socket, leaving the query running on the server. If the cancel gets no
	// answer within a second (network gone), the socket is cut after all.
	cfg.ConnConfig.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{Conn: c, DeadlineDelay: time.Second}
	}

	// Connecting includes waking a suspended compute: "a few hundred milliseconds to a few seconds".
	// Five seconds covers that, and bounds how long a request waits on a database that does not
	// answer at all (a network partition) before it says 503. A compute that takes longer still
	// finishes waking, and the next request (the 503 says Retry-After) finds it up.
	if !given("connect_timeout") {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	// Idle connections are closed after a minute, long before Neon suspends an idle compute (after
	// five), so the pool rarely holds a connection the compute has dropped and the compute can sleep.
	if !given("pool_max_conn_idle_time") {
		cfg.MaxConnIdleTime = time.Minute
	}
	if !given("pool_health_check_period") {
		cfg.HealthCheckPeriod = 15 * time.Second
	}
	if !given("pool_max_conns") {
		cfg.MaxConns = max(cfg.MaxConns, 10)
	}
	// MinConns stays 0: nothing keeps the compute awake, and nothing is dialled at start-up but the
	// connection the start-up check opens.

	// A connection that sat idle is pinged before use and replaced if dead (a compute that was
	// suspended or restarted). A retry (see call.run) pings whatever it gets, however fresh.
	cfg.ShouldPing = func(ctx context.Context, p pgxpool.ShouldPingParams) bool {
		return p.IdleDuration > time.Second || isRetry(ctx)
	}
	if !given("pool_ping_timeout") {
		cfg.PingTimeout = 2 * time.Second
	}
}

// parseProblem says what is wrong with a DATABASE_URL that does not parse, without quoting any of
// it: pgx's own messages are best-effort redacted only, and a malformed URL can put the password
// anywhere.
func parseProblem(raw string, parseErr error) string {
	if !strings.HasPrefix(raw, "postgres://") && !strings.HasPrefix(raw, "postgresql://") {
		if strings.Contains(raw, "=") && !strings.Contains(raw, "://") {
			return "its key=value settings do not parse"
		}
		return "it must start with postgres:// or postgresql://"
	}
	u, err := url.Parse(raw)
	if err != nil {
		msg := err.Error()
		switch {
		case strings.Contains(msg, "invalid port"):
			return "the port is not a number"
		case strings.Contains(msg, "invalid URL escape"):
			return "a % is not followed by two hex digits (write a literal % as %25)"
		}
		return "it is not a well-formed URL (percent-encode characters such as @ : / ? # % in the user name and password)"
	}
	// The URL is well formed but pgx refuses a part of it (port range, sslmode, a file, a setting):
	// its message is useful once every form of the password is taken out.
	msg := parseErr.Error()
	for _, secret := range passwordForms(raw, u) {
		msg = strings.ReplaceAll(msg, secret, "xxxxx")
	}
	if i := strings.Index(msg, "`: "); i >= 0 { // drop pgx's (redacted) echo of the whole URL
		msg = msg[i+3:]
	}
	return msg
}

// passwordForms is the password of a URL as written and as decoded.
func passwordForms(raw string, u *url.URL) []string {
	var forms []string
	if pw, ok := u.User.Password(); ok && pw != "" {
		forms = append(forms, pw, url.QueryEscape(pw), url.PathEscape(pw))
	}
	authority := raw[strings.Index(raw, "://")+3:]
	if i := strings.IndexAny(authority, "/?#"); i >= 0 {
		authority = authority[:i]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		if _, pw, ok := strings.Cut(authority[:at], ":"); ok && pw != "" {
			forms = append(forms, pw)
		}
	}
	return forms
}

// New wraps an open pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{pool: &db{pool: pool, statementTimeout: statementTimeout,
		connectTimeout: pool.Config().ConnConfig.ConnectTimeout}, dense: newDenseSearches(), known: newKnownTasks()}
}

// Open creates the pool and waits for the database, retrying with backoff until ctx ends. A refusal
// that waiting cannot fix (wrong password, no such database) ends it at once.
func Open(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(context.WithoutCancel(ctx), cfg)
	if err != nil {
		return nil, err
	}
	where := cfg.ConnConfig.Host
	if !strings.HasPrefix(where, "/") {
		where = net.JoinHostPort(where, strconv.Itoa(int(cfg.ConnConfig.Port)))
	}
	delay := 100 * time.Millisecond
	var cause error
	for attempt := 1; ; attempt++ {
		err = pool.Ping(ctx)
		if err == nil {
			return New(pool), nil
		}
		if ctx.Err() == nil || cause == nil { // a cut-short last attempt says less than the one before
			cause = lastCause(err)
		}
		if problem, ok := certificateProblem(err); ok {
			pool.Close()
			return nil, fmt.Errorf("the TLS certificate of the database at %s is not trusted: %s", where, problem)
		}
		if permanent(err) {
			pool.Close()
			return nil, fmt.Errorf("database at %s refused the connection: %v", where, cause)
		}
		if ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("database at %s did not answer (%d attempts): %v", where, attempt, cause)
		}
		// Exponential backoff with jitter, so that restarted replicas don't knock in step.
		wait := delay/2 + rand.N(delay/2+1)
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
		delay = min(delay*2, 2*time.Second)
	}
}

// permanent reports a connection refusal that retrying cannot cure.
func permanent(err error) bool {
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) {
		return false
	}
	return strings.HasPrefix(pgErr.Code, "28") || // invalid authorization (wrong password, no such role, pg_hba)
		pgErr.Code == "3D000" // invalid catalog name: no such database
}

// certificateProblem says what is wrong with the server's TLS certificate when err is its
// verification failing (sslmode=verify-ca or verify-full, or an sslrootcert given). Waiting does not
// change a certificate: this is a configuration to fix, not a database to wait for.
func certificateProblem(err error) (string, bool) {
	var verify *tls.CertificateVerificationError
	var authority x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var reason error
	switch {
	case errors.As(err, &verify):
		reason = verify.Err
	case errors.As(err, &authority):
		reason = authority
	case errors.As(err, &host):
		reason = host
	case errors.As(err, &invalid):
		reason = invalid
	default:
		return "", false
	}
	hint := "give the CA that signed it with sslrootcert=/path/to/ca.pem in DATABASE_URL"
	if errors.As(reason, &host) {
		hint = "connect with the host name the certificate names"
	} else if errors.As(reason, &invalid) {
		hint = "the server's certificate must be renewed or replaced"
	}
	return fmt.Sprintf("%v (%s; sslmode=require encrypts without checking the certificate)", reason, hint), true
}

// lastCause strips pgconn's wrapping, which can repeat the host and user, down to the reason.
func lastCause(err error) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		if u := errors.Unwrap(connErr); u != nil {
			return u
		}
	}
	return err
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return classify(s.pool.pool.Ping(ctx)) }

// Close closes every connection of the pool, after the connections in use are given back. It waits
// for each connection to close: up to 15 s for one whose database does not answer (pgx sends it a
// cancel request first). Shutdown bounds the wait.
func (s *Store) Close() { s.pool.pool.Close() }

// Shutdown is Close, given up when ctx ends: the connections still closing are cut when the process
// exits, which the database sees as a client gone.
func (s *Store) Shutdown(ctx context.Context) error {
	closed := make(chan struct{})
	go func() {
		s.pool.pool.Close()
		close(closed)
	}()
	select {
	case <-closed:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Pool exposes the pool to tests and tools in this module.
func (s *Store) Pool() *pgxpool.Pool { return s.pool.pool }

// classify turns driver errors into the store's domain errors; others pass through unchanged.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return todo.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		code := pgErr.Code
		switch {
		case code == "23503" && strings.HasSuffix(pgErr.ConstraintName, "_user_id_fkey"):
			// foreign_key_violation on a row's owner: the user was deleted meanwhile (another tab,
			// another device), so the session that let this statement run has ended with them.
			return fmt.Errorf("%w: %s", todo.ErrUserGone, pgErr.ConstraintName)
		case code == "23503": // a row this one refers to was deleted meanwhile
			return fmt.Errorf("%w: %s", todo.ErrNotFound, pgErr.ConstraintName)
		case code == "23505": // unique_violation
			return fmt.Errorf("%w: %s", todo.ErrConflict, pgErr.ConstraintName)
		case code == "23514" || code == "22001" || code == "22021" || code == "22P05":
			// check_violation, string too long, invalid byte sequence, untranslatable character:
			// input the app's own validation should have caught, refused by the database as well.
			return &todo.ValidationError{Field: pgErr.ColumnName, Message: "The database refused this input: " + pgErr.Message}
		case code == "57014": // query_canceled: the statement timeout (see db)
			return fmt.Errorf("%w: %s", todo.ErrUnavailable, pgErr.Message)
		case strings.HasPrefix(code, "08") || strings.HasPrefix(code, "57") || strings.HasPrefix(code, "53") ||
			code == "40001" || code == "40P01" || code == "55P03" || code == "25P03":
			// connection exception, operator intervention (shutdown, terminated), insufficient
			// resources, serialization failure, deadlock, lock not available, idle-in-transaction
			// timeout: all of them "try again in a moment".
			return fmt.Errorf("%w: %s", todo.ErrUnavailable, pgErr.Message)
		}
		if pgErr.Severity == "FATAL" || pgErr.Severity == "PANIC" {
			return fmt.Errorf("%w: %s", todo.ErrUnavailable, pgErr.Message)
		}
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) ||
		errors.Is(err, puddle.ErrClosedPool) {
		return fmt.Errorf("%w: %v", todo.ErrUnavailable, err)
	}
	if errors.Is(err, context.Canceled) {
		return err // the client went away: nobody to tell
	}
	if unreachable(err) {
		return fmt.Errorf("%w: %v", todo.ErrUnavailable, lastCause(err))
	}
	return err
}

// unreachable reports an error that means the connection is gone or could not be made, as opposed
// to an error in the statement: a statement whose connection closed under it (see exec.go), a
// connection already closed, a failed connect, the network dropping it.
func unreachable(err error) bool {
	var broken *brokenConnError
	var netErr net.Error
	var connErr *pgconn.ConnectError
	return errors.As(err, &broken) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.As(err, &netErr) || errors.As(err, &connErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed)
}
