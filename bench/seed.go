package main

import (
	"context"
	"fmt"
	"time"

	"todo/store"
	"todo/web/auth"
)

// account is a seeded user and the session cookie that signs them in.
type account struct {
	UserID string
	Cookie string // the Cookie header: better-auth.session_token=<value>
	JWT    string // a token of Better Auth's jwt plugin for the user (EdDSA, one hour), for the API
}

// fixture is what the scenarios drive: signed-in users with known numbers of tasks.
type fixture struct {
	Secret string
	List   []account  // UserTasks tasks each: P1
	Create []account  // UserTasks tasks each at first: P3 adds to these, so P1 stays at UserTasks
	Mid    account    // MidTasks tasks: P2's and P8's reference
	Plain  account    // MidTasks tasks like the P1 users' (no fields): weighing the list page
	Big    account    // BigTasks tasks: P2
	Grow   [2]account // no tasks at first: P6 grows one through the app, one through the floor
	Live   []account  // no tasks at first: PL's users, each with several pages open
	Took   string     // how long seeding took, by part
}

// seed writes users and sessions exactly as the app does (the store's own CreateUser and
// CreateSession, ids and tokens from web/auth, cookies signed by auth.Cookies), and the tasks with
// one generate_series INSERT per group, so that 100,000 tasks take a second, not minutes.
func seed(ctx context.Context, databaseURL string, o options) (fixture, error) {
	cfg, err := store.ParseURL(databaseURL)
	if err != nil {
		return fixture{}, err
	}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		return fixture{}, err
	}
	defer st.Close()

	start := time.Now()
	fx := fixture{Secret: auth.NewID() + auth.NewID()} // 64 characters, as a real secret would be
	cookies := auth.NewCookies(fx.Secret, false)
	// One real scrypt hash shared by every seeded user: nobody signs in with a password here, and
	// hashing 130 passwords would only slow the seeding down.
	hash, err := auth.NewHasher(1, 0).Hash(ctx, "bench-password-never-used")
	if err != nil {
		return fixture{}, err
	}
	run := randomHex(4) // emails are unique: a database can be seeded again
	newAccount := func(label string, i int) (account, error) {
		u, err := st.CreateUser(ctx, store.NewUser{
			UserID: auth.NewID(), AccountID: auth.NewID(),
			Name:  fmt.Sprintf("Bench %s %d", label, i),
			Email: fmt.Sprintf("bench-%s-%s-%d@example.com", run, label, i), PasswordHash: hash,
		})
		if err != nil {
			return account{}, fmt.Errorf("seed user: %w", err)
		}
		token := auth.NewID()
		if err := st.CreateSession(ctx, store.Session{
			ID: auth.NewID(), Token: token, UserID: u.ID, ExpiresAt: time.Now().Add(auth.SessionLifetime),
			IPAddress: "127.0.0.1", UserAgent: "todo-bench",
		}); err != nil {
			return account{}, fmt.Errorf("seed session: %w", err)
		}
		return account{UserID: u.ID, Cookie: cookies.Name() + "=" + cookies.Value(token)}, nil
	}
	key, err := newJWTKey(ctx, st)
	if err != nil {
		return fixture{}, err
	}
	for i := range o.Users {
		a, err := newAccount("list", i)
		if err != nil {
			return fixture{}, err
		}
		if a.JWT, err = key.token(a.UserID); err != nil {
			return fixture{}, err
		}
		fx.List = append(fx.List, a)
		if a, err = newAccount("create", i); err != nil {
			return fixture{}, err
		}
		fx.Create = append(fx.Create, a)
	}
	if fx.Mid, err = newAccount("mid", 0); err != nil {
		return fixture{}, err
	}
	if fx.Big, err = newAccount("big", 0); err != nil {
		return fixture{}, err
	}
	if fx.Plain, err = newAccount("plain", 0); err != nil {
		return fixture{}, err
	}
	for i := range fx.Grow {
		if fx.Grow[i], err = newAccount("grow", i); err != nil {
			return fixture{}, err
		}
	}

	for i := range o.LiveUsers {
		a, err := newAccount("live", i)
		if err != nil {
			return fixture{}, err
		}
		fx.Live = append(fx.Live, a)
	}

	usersDone := time.Now()
	var ids []string
	for _, a := range append(append([]account{}, fx.List...), fx.Create...) {
		ids = append(ids, a.UserID)
	}
	pool := st.Pool()
	// Titles of a realistic length with characters that must be escaped, a description on every
	// third task, a quarter of them completed: the page has real escaping and both states to draw.
	const insert = `insert into tasks (user_id, title, description, completed)
		select u, 'Task ' || g || ': pick up the "groceries" & <odds and ends> for the weekend',
		       case when g % 3 = 0 then 'Milk, eggs & bread — ask <Sam> about the list' end,
		       g % 4 = 0
		  from unnest($1::text[]) as u, generate_series(1, $2::int) as g
		 order by g, u`
	for _, group := range []struct {
		ids []string
		n   int
	}{{ids, o.UserTasks}, {[]string{fx.Plain.UserID}, o.MidTasks}} {
		if _, err := pool.Exec(ctx, insert, group.ids, group.n); err != nil {
			return fixture{}, fmt.Errorf("seed tasks: %w", err)
		}
	}
	// P2's and P8's two users (the same rows, so their pages weigh the same): also due dates over a
	// year around today (a third undated), every priority, the tag work on a fifth and home on
	// another fifth, "milk" in half the titles and "zebra" in one task in 10,000.
	const withFields = `insert into tasks (user_id, title, description, completed, due_date, priority, tags)
		select $1, case when g % 10000 = 7 then 'Zebra ' || g || ': cross at the "stripes" & <wait>'
		                when g % 2 = 0 then 'Task ' || g || ': buy the milk & <odds and ends> for the weekend'
		                else 'Task ' || g || ': pick up the "groceries" & <odds and ends> for the weekend' end,
		       case when g % 3 = 0 then 'Eggs & bread — ask <Sam> about the list' end,
		       g % 4 = 0, case when g % 3 = 0 then null else current_date + (g % 365 - 180) end, g % 4,
		       case when g % 5 = 0 then array['work'] when g % 5 = 1 then array['home', 'errands'] else '{}' end
		  from generate_series(1, $2::int) as g`
	for _, group := range []struct {
		id string
		n  int
	}{{fx.Mid.UserID, o.MidTasks}, {fx.Big.UserID, o.BigTasks}} {
		if _, err := pool.Exec(ctx, withFields, group.id, group.n); err != nil {
			return fixture{}, fmt.Errorf("seed tasks: %w", err)
		}
	}
	// The tables as autovacuum leaves them on a database that has been running a while: fresh
	// statistics, and a visibility map that lets an index-only scan skip the heap (autovacuum
	// vacuums a table after inserts too). Rows that have only just been written would have every
	// index-only scan visit the heap, which no page of a settled database does.
	if _, err := pool.Exec(ctx, "vacuum analyze"); err != nil {
		return fixture{}, fmt.Errorf("vacuum analyze: %w", err)
	}
	fx.Took = fmt.Sprintf("users and sessions %s, tasks %s", usersDone.Sub(start).Round(time.Millisecond), time.Since(usersDone).Round(time.Millisecond))
	return fx, nil
}
