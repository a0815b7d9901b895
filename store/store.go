// Package store is the app's only door to PostgreSQL.
//
// Ownership rule: every statement that touches tasks filters on user_id. The task functions hang off
// a handle made for one user (Store.Tasks(userID)), so no caller can run a task query without naming
// whose tasks it means, and a task id that belongs to someone else is indistinguishable from a
// missing one (ErrNotFound).
package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Store holds the connection pool.
type Store struct {
	pool *pgxpool.Pool
}

// ParseURL parses a DATABASE_URL into a pool configuration. Its errors never contain the password.
func ParseURL(databaseURL string) (*pgxpool.Config, error) {
	if databaseURL == "" {
		return nil, errors.New("DATABASE_URL is not set")
	}
	cfg, err := pgxpool.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL (%s)", redact(databaseURL))
	}
	// Unnamed statements with cached descriptions: one round trip per query like a prepared statement,
	// but nothing named lives on the server connection, so it is safe behind PgBouncer in transaction
	// mode (Neon's pooled endpoint), and every execution gets a custom plan for its own user. A cached
	// generic plan would estimate every user as average and sort a 100,000-task user's whole list.
	cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	return cfg, nil
}

// redact returns the URL with its password replaced, or a placeholder when it does not parse as a URL.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return "value hidden"
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.Redacted()
}

// New wraps an open pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Open creates the pool and waits for the database, retrying with backoff until ctx ends.
func Open(ctx context.Context, cfg *pgxpool.Config) (*Store, error) {
	pool, err := pgxpool.NewWithConfig(context.WithoutCancel(ctx), cfg)
	if err != nil {
		return nil, err
	}
	delay := 100 * time.Millisecond
	for {
		err = pool.Ping(ctx)
		if err == nil {
			return &Store{pool: pool}, nil
		}
		if ctx.Err() != nil {
			pool.Close()
			return nil, fmt.Errorf("database at %s not reachable: %w", cfg.ConnConfig.Host, lastCause(err))
		}
		select {
		case <-ctx.Done():
		case <-time.After(delay):
		}
		delay = min(delay*2, 2*time.Second)
	}
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
func (s *Store) Ping(ctx context.Context) error { return classify(s.pool.Ping(ctx)) }

// Close closes every connection of the pool.
func (s *Store) Close() { s.pool.Close() }

// Pool exposes the pool to tests and tools in this module.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// classify turns driver errors into the store's domain errors; others pass through unchanged.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "23505": // unique_violation
			return fmt.Errorf("%w: %s", ErrConflict, pgErr.ConstraintName)
		case pgErr.Code == "23514" || pgErr.Code == "22001" || pgErr.Code == "22021" || pgErr.Code == "22P05":
			// check_violation, string too long, invalid byte sequence, untranslatable character:
			// input the app's own validation should have caught, refused by the database as well.
			return &ValidationError{Field: pgErr.ColumnName, Message: "The database refused this input: " + pgErr.Message}
		case pgErr.Code == "57014": // query_canceled (statement timeout)
			return fmt.Errorf("%w: %s", ErrUnavailable, pgErr.Message)
		case pgErr.Code[:2] == "08" || pgErr.Code[:2] == "57" || pgErr.Code[:2] == "53":
			// connection exception, operator intervention (shutdown, terminated), insufficient resources
			return fmt.Errorf("%w: %s", ErrUnavailable, pgErr.Message)
		}
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err) || pgconn.SafeToRetry(err) {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	var connErr *pgconn.ConnectError
	if errors.As(err, &connErr) {
		return fmt.Errorf("%w: %v", ErrUnavailable, lastCause(err))
	}
	var netErr interface{ Timeout() bool }
	if errors.As(err, &netErr) {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return err
}
