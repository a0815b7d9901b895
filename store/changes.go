package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ChangesChannel is the channel the database notifies on after every statement that changed tasks
// (see the migration task_changes_notify): one notification per user the statement touched.
const ChangesChannel = "task_changes"

// Change is one notification: whose tasks changed and which. IDs is nil when the statement touched
// more tasks than a notification lists (the whole list should be read again). It carries no content:
// whoever shows the tasks reads them through Tasks(UserID), under that user's policies.
type Change struct {
	UserID string
	IDs    []int64
}

// All: the change names no ids, so every task of the user may have changed.
func (c Change) All() bool { return c.IDs == nil }

func parseChange(payload string) (Change, error) {
	var p struct {
		User string  `json:"user"`
		IDs  []int64 `json:"ids"`
	}
	if err := json.Unmarshal([]byte(payload), &p); err != nil || p.User == "" {
		return Change{}, fmt.Errorf("a task_changes notification that does not parse: %.100q", payload)
	}
	return Change{UserID: p.User, IDs: p.IDs}, nil
}

// ParseListenURL parses DATABASE_LISTEN_URL: a connection that LISTENs must be a session of its
// own, which a transaction-mode pooler (Neon's -pooler endpoint) does not give, so this is the
// direct endpoint when the app's DATABASE_URL is pooled. Its errors never contain the password.
func ParseListenURL(raw string) (*pgx.ConnConfig, error) {
	cfg, err := ParseURL(raw)
	if err != nil {
		return nil, errors.New(strings.Replace(err.Error(), "DATABASE_URL", "DATABASE_LISTEN_URL", 1))
	}
	return forListening(cfg.ConnConfig), nil
}

// ListenConfig is the connection of a pool's configuration, for listening on the same database.
func ListenConfig(pool *pgxpool.Config) *pgx.ConnConfig { return forListening(pool.ConnConfig.Copy()) }

// forListening: a listening connection runs no statement to cancel while it waits, so when its
// context ends its socket is cut at once (pgx's default) rather than after a cancel request.
func forListening(cfg *pgx.ConnConfig) *pgx.ConnConfig {
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.DeadlineContextWatcherHandler{Conn: c.Conn()}
	}
	return cfg
}

// Listener is what Listen reports to.
type Listener interface {
	// Listening: the connection is up and LISTENs; every change committed from now on is reported.
	// Changes committed while it was down are lost, so a listener that was down says so to whoever
	// relies on it.
	Listening()
	// Changed is called for each notification, in commit order, on Listen's goroutine.
	Changed(Change)
	// Lost: the connection broke (err); Listen reconnects after a backoff.
	Lost(err error)
}

// Listen holds one connection that LISTENs on ChangesChannel and reports to l until ctx ends,
// reconnecting with exponential backoff (100 ms doubling to 10 s, with jitter) whenever the
// connection breaks: a database restart, a Neon compute suspended, a network cut.
func Listen(ctx context.Context, cfg *pgx.ConnConfig, l Listener) {
	const first, most = 100 * time.Millisecond, 10 * time.Second
	delay := first
	for ctx.Err() == nil {
		start := time.Now()
		err := listenOnce(ctx, cfg, l)
		if ctx.Err() != nil {
			return
		}
		l.Lost(err)
		if time.Since(start) > most { // it was up a while: this is a new outage, start again small
			delay = first
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay/2 + rand.N(delay/2+1)):
		}
		delay = min(2*delay, most)
	}
}

func listenOnce(ctx context.Context, cfg *pgx.ConnConfig, l Listener) error {
	connectCtx, cancel := context.WithTimeout(ctx, max(cfg.ConnectTimeout, time.Second)+time.Second)
	conn, err := pgx.ConnectConfig(connectCtx, cfg)
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
		defer cancel()
		conn.Close(closeCtx)
	}()
	if _, err := conn.Exec(ctx, "listen "+ChangesChannel); err != nil {
		return err
	}
	l.Listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		c, err := parseChange(n.Payload)
		if err != nil {
			return err // not what this schema sends: start over, and the pages reload
		}
		l.Changed(c)
	}
}
