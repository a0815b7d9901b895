package faults_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"todo/internal/faultproxy"
	"todo/internal/pgtest"
	"todo/store"
	"todo/web"
	"todo/web/auth"
)

const (
	secret  = "faults-test-secret-at-least-32-characters"
	appName = "todo-faults-app"
)

// app is the whole app (store.Open + web.NewServer, as run() builds it) whose database connections
// go through a fault proxy, plus a signed-in user and a direct line to the database for checks.
type app struct {
	proxy  *faultproxy.Proxy
	base   string
	direct *store.Store // the test's own pool, straight to PostgreSQL
	dbName string
	cookie *http.Cookie
	client *http.Client
	opened time.Duration // how long store.Open waited for the database
}

// newApp starts the app; before, if given, sets the proxy up before the app first connects.
func newApp(t *testing.T, before func(*faultproxy.Proxy)) *app {
	t.Helper()
	dbURL := pgtest.NewDatabase(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.New(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	if before != nil {
		before(p)
	}
	through := *u
	through.Host = p.Addr()
	q := through.Query()
	q.Set("application_name", appName) // tells the app's backends from the test's own
	through.RawQuery = q.Encode()
	cfg, err := store.ParseURL(through.String())
	if err != nil {
		t.Fatal(err)
	}
	// As run() does, with the default DB_CONNECT_TIMEOUT.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	start := time.Now()
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{proxy: p, opened: time.Since(start), dbName: strings.TrimPrefix(u.Path, "/")}
	t.Cleanup(st.Close)
	a.direct = pgtest.OpenStore(t, dbURL)
	base, _ := url.Parse("http://localhost")
	h, err := web.NewServer(web.Config{Logger: slog.New(slog.DiscardHandler), Store: st, Secret: secret, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	a.base = srv.URL
	a.client = &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: 32},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	_, a.cookie = a.signIn(t)
	return a
}

// signIn makes a user with a live session, straight in the database, and returns its id and cookie.
func (a *app) signIn(t *testing.T) (string, *http.Cookie) {
	t.Helper()
	ctx := context.Background()
	u, err := a.direct.CreateUser(ctx, store.NewUser{UserID: auth.NewID(), AccountID: auth.NewID(), Name: "Faults",
		Email: "faults-" + strings.ToLower(auth.NewID()[:8]) + "@example.test", PasswordHash: "x:y"})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewID()
	if err := a.direct.CreateSession(ctx, store.Session{ID: auth.NewID(), Token: token, UserID: u.ID,
		ExpiresAt: time.Now().Add(auth.SessionLifetime)}); err != nil {
		t.Fatal(err)
	}
	c := auth.NewCookies(secret, false)
	return u.ID, &http.Cookie{Name: c.Name(), Value: c.Value(token)}
}

type reply struct {
	method, path string
	htmx         bool
	title        string // of a POST /tasks
	status       int
	retryAfter   string
	location     string // of a redirect
	hxRedirect   string
	body         string
	err          error
	start, end   time.Time
}

func (r reply) took() time.Duration { return r.end.Sub(r.start) }
func (r reply) ok() bool {
	return r.err == nil && (r.status == http.StatusOK || r.status == http.StatusSeeOther)
}

// do sends one request as the signed-in user. For POST /tasks, form is the title.
func (a *app) do(method, path, title string, htmx bool) reply {
	return a.doAs(a.cookie, method, path, title, htmx)
}

// doAs is do for the user whose session cookie is given.
func (a *app) doAs(cookie *http.Cookie, method, path, title string, htmx bool) reply {
	r := reply{method: method, path: path, htmx: htmx, title: title, start: time.Now()}
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(url.Values{"title": {title}}.Encode())
	}
	req, err := http.NewRequest(method, a.base+path, body)
	if err != nil {
		panic(err)
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if htmx {
		req.Header.Set("HX-Request", "true")
	}
	req.AddCookie(cookie)
	resp, err := a.client.Do(req)
	r.err = err
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		r.status, r.retryAfter, r.body = resp.StatusCode, resp.Header.Get("Retry-After"), string(b)
		r.location, r.hxRedirect = resp.Header.Get("Location"), resp.Header.Get("HX-Redirect")
	}
	r.end = time.Now()
	return r
}

// check503 asserts what a person sees when the database is away: 503, Retry-After, words, and for
// htmx a fragment rather than a whole page.
func check503(t *testing.T, r reply) {
	t.Helper()
	if r.err != nil || r.status != http.StatusServiceUnavailable {
		t.Errorf("%s %s (htmx=%v): status %d err %v, want 503", r.method, r.path, r.htmx, r.status, r.err)
		return
	}
	if r.retryAfter == "" {
		t.Errorf("%s %s: 503 without Retry-After", r.method, r.path)
	}
	if !strings.Contains(r.body, "database is not answering") {
		t.Errorf("%s %s: 503 body does not say what is wrong: %.200q", r.method, r.path, r.body)
	}
	if whole := strings.Contains(strings.ToLower(r.body), "<html"); whole == r.htmx {
		t.Errorf("%s %s (htmx=%v): whole page = %v", r.method, r.path, r.htmx, whole)
	}
}

func waitUntil(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func ms(d time.Duration) string { return d.Round(time.Millisecond).String() }

// Cold start: the database takes 2 s to accept its first connection (a Neon compute waking). The app
// waits for it at start-up, then serves; later the compute is suspended (every connection dropped)
// and wakes again in 1.5 s on the next request, which must wait for it rather than fail.
func TestColdStart(t *testing.T) {
	t.Parallel()
	a := newApp(t, func(p *faultproxy.Proxy) { p.SetConnectDelay(2 * time.Second) })
	if a.opened < 2*time.Second || a.opened > 5*time.Second {
		t.Errorf("start-up waited %v for a database that answers after 2s", a.opened)
	}
	a.proxy.SetConnectDelay(0)
	if r := a.do("GET", "/", "", false); !r.ok() {
		t.Fatalf("first request after start-up: %d %v", r.status, r.err)
	}

	// Suspend: the compute drops every connection; it wakes in 1.5 s.
	a.proxy.Cut()
	a.proxy.SetConnectDelay(1500 * time.Millisecond)
	first := a.do("GET", "/", "", false)
	a.proxy.SetConnectDelay(0)
	second := a.do("GET", "/", "", false)
	t.Logf("cold start: start-up connected after %s (first connect delayed 2s); first request after a suspend: %d in %s (wake delayed 1.5s); next: %d in %s; failed requests: 0",
		ms(a.opened), first.status, ms(first.took()), second.status, ms(second.took()))
	if !first.ok() || !second.ok() {
		t.Fatalf("after a suspend: %d %v, then %d %v; want the request to wait for the compute", first.status, first.err, second.status, second.err)
	}
	if first.took() < 1500*time.Millisecond {
		t.Errorf("the first request after a suspend took %v: it cannot have reconnected", first.took())
	}
}

// Outage during load: the database disappears for 10 s (every connection reset, new ones refused)
// while readers and writers keep going, then comes back. Requests must answer 503 with Retry-After
// quickly (never hang, never 500), /readyz must say 503, and the app must recover by itself.
func TestOutageDuringLoadAndRecovery(t *testing.T) {
	t.Parallel()
	const outage = 10 * time.Second
	a := newApp(t, nil)

	var (
		mu      sync.Mutex
		replies []reply
		ready   []reply
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	record := func(r reply, to *[]reply) {
		mu.Lock()
		*to = append(*to, r)
		mu.Unlock()
	}
	worker := func(kind string, id int) {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			var r reply
			switch kind {
			case "read":
				r = a.do("GET", "/", "", false)
			case "htmx":
				r = a.do("GET", "/", "", true)
			case "write":
				r = a.do("POST", "/tasks", fmt.Sprintf("w%d-%d", id, i), false)
			case "ready":
				record(a.do("GET", "/readyz", "", false), &ready)
				time.Sleep(50 * time.Millisecond)
				continue
			}
			record(r, &replies)
			if !r.ok() {
				time.Sleep(20 * time.Millisecond) // a client backs off a little (less than Retry-After)
			}
		}
	}
	for i, kind := range []string{"read", "read", "htmx", "write", "write", "ready"} {
		wg.Add(1)
		go worker(kind, i)
	}
	count := func(rs *[]reply) int { mu.Lock(); defer mu.Unlock(); return len(*rs) }
	waitUntil(t, "load to run", 20*time.Second, func() bool { return count(&replies) >= 100 })

	down := time.Now()
	a.proxy.Outage()
	time.Sleep(outage) // the fault lasts this long: not a wait for a condition
	up := time.Now()
	if err := a.proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	// Recovered: every kind of request has succeeded again, and then some more load has run.
	recovered := func() bool {
		mu.Lock()
		defer mu.Unlock()
		okAfter := map[string]bool{}
		for _, r := range replies {
			if r.start.After(up) && r.ok() {
				okAfter[fmt.Sprint(r.method, r.htmx)] = true
			}
		}
		for _, r := range ready {
			if r.start.After(up) && r.ok() {
				okAfter["ready"] = true
			}
		}
		return len(okAfter) == 4
	}
	waitUntil(t, "recovery after the database came back", 20*time.Second, recovered)
	after := count(&replies)
	waitUntil(t, "more load after recovery", 20*time.Second, func() bool { return count(&replies) >= after+100 })
	close(stop)
	wg.Wait()

	// What happened, in order.
	var (
		failed, failedReads, failedWrites int
		first503, last503                 time.Time
		firstOKAfterUp                    time.Time
		slowestDuringOutage               time.Duration
		acknowledged                      = map[string]bool{}
		refusedWrites                     = map[string]bool{}
		total                             = len(replies)
	)
	for _, r := range replies {
		if r.ok() {
			if r.method == "POST" {
				acknowledged[r.title] = true
			}
			if r.start.After(up) && (firstOKAfterUp.IsZero() || r.end.Before(firstOKAfterUp)) {
				firstOKAfterUp = r.end
			}
			if r.start.After(up.Add(time.Second)) {
				continue
			}
		} else {
			check503(t, r)
			failed++
			if r.method == "POST" {
				failedWrites++
				refusedWrites[r.title] = true
			} else {
				failedReads++
			}
			if first503.IsZero() || r.end.Before(first503) {
				first503 = r.end
			}
			if r.end.After(last503) {
				last503 = r.end
			}
			if r.start.After(up.Add(time.Second)) {
				t.Errorf("%s %s failed %v after the database was back", r.method, r.path, r.start.Sub(up))
			}
		}
		if r.start.After(down) && r.start.Before(up) && r.took() > slowestDuringOutage {
			slowestDuringOutage = r.took()
		}
	}
	var readyFirst503, readyFirstOK time.Time
	var readyOKDuringOutage int
	for _, r := range ready {
		if r.start.After(down) && r.end.Before(up) {
			if r.status != http.StatusServiceUnavailable {
				readyOKDuringOutage++
			} else if readyFirst503.IsZero() {
				readyFirst503 = r.end
			}
		}
		if r.start.After(up) && r.ok() && readyFirstOK.IsZero() {
			readyFirstOK = r.end
		}
	}
	if readyOKDuringOutage > 0 {
		t.Errorf("/readyz answered other than 503 %d times during the outage", readyOKDuringOutage)
	}
	if slowestDuringOutage > 3*time.Second {
		t.Errorf("slowest request during the outage took %v: a refused database must be reported within seconds", slowestDuringOutage)
	}

	// Writes: every acknowledged task is stored exactly once; none is stored twice.
	rows, err := pgtest.AdminOf(t, a.direct).Query(context.Background(), "select title, count(*) from tasks group by title")
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]int{}
	for rows.Next() {
		var title string
		var n int
		if err := rows.Scan(&title, &n); err != nil {
			t.Fatal(err)
		}
		stored[title] = n
	}
	if rows.Err() != nil {
		t.Fatal(rows.Err())
	}
	var lost, twice, ambiguous int
	for title := range acknowledged {
		if stored[title] != 1 {
			lost++
			t.Errorf("acknowledged task %q stored %d times", title, stored[title])
		}
	}
	for title, n := range stored {
		if n > 1 {
			twice++
			t.Errorf("task %q stored %d times", title, n)
		}
		if refusedWrites[title] {
			ambiguous++ // committed, but the answer was lost with the connection: reported as 503
		}
	}
	if first503.IsZero() {
		t.Fatal("no request failed during a 10 s outage: the proxy did not cut anything")
	}
	t.Logf("outage of %v under load: %d requests, %d answered 503 (%d reads, %d writes), 0 other failures;"+
		" first 503 %s after the cut, 503s lasted %s (last one %s after the database came back);"+
		" slowest request during the outage %s; first success %s after the database came back, /readyz 503 from %s after the cut and 200 again %s after;"+
		" acknowledged writes %d, lost %d, stored twice %d, committed-but-reported-503 %d",
		outage, total, failed, failedReads, failedWrites,
		ms(first503.Sub(down)), ms(last503.Sub(first503)), ms(last503.Sub(up)),
		ms(slowestDuringOutage), ms(firstOKAfterUp.Sub(up)), ms(readyFirst503.Sub(down)), ms(readyFirstOK.Sub(up)),
		len(acknowledged), lost, twice, ambiguous)
}

// lockTable holds an ACCESS EXCLUSIVE lock on table until release is called: every statement of the
// app on it waits, as it would behind a query that runs too long.
func lockTable(t *testing.T, pool *pgxpool.Pool, table string) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "lock table "+table+" in access exclusive mode"); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Commit(ctx) }) }
	t.Cleanup(release)
	return release
}

// waiting is the pid of a backend of the app's database waiting for a lock, other than skip (0 if none).
func (a *app) waiting(skip int32) int32 {
	var pid int32
	a.direct.Pool().QueryRow(context.Background(), `select pid from pg_stat_activity
		where datname = $1 and wait_event_type = 'Lock' and pid <> $2 limit 1`, a.dbName, skip).Scan(&pid)
	return pid
}

// A query that runs too long (here: waits on a lock) is cancelled by the statement timeout, on the
// server too, and the person gets a 503 page or fragment in about five seconds, not a hang.
func TestLongQueryAnswers503(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	release := lockTable(t, a.direct.Pool(), "sessions")
	page := make(chan reply)
	go func() { page <- a.do("GET", "/", "", false) }()
	fragment := a.do("GET", "/", "", true)
	r := <-page
	for _, r := range []reply{r, fragment} {
		check503(t, r)
		if r.took() < 4*time.Second || r.took() > 7*time.Second {
			t.Errorf("answered after %v, want the 5 s statement timeout", r.took())
		}
	}
	// The statement was cancelled on the server, not just abandoned by the app.
	waitUntil(t, "the cancelled statements to leave the server", 2*time.Second, func() bool { return a.waiting(0) == 0 })
	release()
	ok := a.do("GET", "/", "", false)
	t.Logf("long query: page 503 after %s, htmx fragment 503 after %s (statement timeout 5s), no statement left waiting on the server; once the lock went: %d in %s",
		ms(r.took()), ms(fragment.took()), ok.status, ms(ok.took()))
	if !ok.ok() {
		t.Fatalf("after the lock was released: %d %v", ok.status, ok.err)
	}
}

// A connection killed in the middle of a query (pg_terminate_backend, as when a compute restarts):
// a read is retried on another connection and succeeds; a write is not retried and answers 503,
// and nothing is written.
func TestConnectionKilledMidQuery(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	kill := func(pid int32) {
		if _, err := a.direct.Pool().Exec(context.Background(), "select pg_terminate_backend($1)", pid); err != nil {
			t.Fatal(err)
		}
	}

	release := lockTable(t, a.direct.Pool(), "sessions")
	got := make(chan reply)
	go func() { got <- a.do("GET", "/", "", false) }()
	var first, second int32
	waitUntil(t, "the read to wait on the lock", 10*time.Second, func() bool { first = a.waiting(0); return first != 0 })
	kill(first)
	waitUntil(t, "the read to be retried", 10*time.Second, func() bool { second = a.waiting(first); return second != 0 })
	release()
	read := <-got
	if !read.ok() {
		t.Errorf("read whose connection was killed: %d %v, want 200 after a retry", read.status, read.err)
	}

	release = lockTable(t, a.direct.Pool(), "tasks")
	go func() { got <- a.do("POST", "/tasks", "killed mid-write", false) }()
	var writer int32
	waitUntil(t, "the write to wait on the lock", 10*time.Second, func() bool { writer = a.waiting(0); return writer != 0 })
	kill(writer)
	write := <-got
	release()
	check503(t, write)
	var n int
	if err := pgtest.AdminOf(t, a.direct).QueryRow(context.Background(), "select count(*) from tasks").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d tasks stored by a write that answered 503", n)
	}
	after := a.do("POST", "/tasks", "after the kill", false)
	if !after.ok() {
		t.Errorf("next write: %d %v", after.status, after.err)
	}
	t.Logf("killed mid-query: read on backend %d killed, retried on %d: %d in %s; write killed: %d in %s, rows written 0, not retried; next write %d",
		first, second, read.status, ms(read.took()), write.status, ms(write.took()), after.status)
}

// A network partition: the database stops answering without refusing or resetting anything. Requests
// must still end in a 503 (bounded by the request deadline), /readyz sooner, and all recovers when
// the network does.
func TestNetworkPartition(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	if r := a.do("GET", "/", "", false); !r.ok() {
		t.Fatalf("before: %d %v", r.status, r.err)
	}
	a.proxy.Blackhole()
	var wg sync.WaitGroup
	replies := make([]reply, 4)
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i == 0 {
				replies[i] = a.do("GET", "/readyz", "", false)
			} else {
				replies[i] = a.do("GET", "/", "", i == 1)
			}
		}()
	}
	wg.Wait()
	var took []string
	slowest := time.Duration(0)
	for i, r := range replies {
		if i == 0 {
			if r.status != http.StatusServiceUnavailable {
				t.Errorf("/readyz during a partition: %d %v", r.status, r.err)
			}
		} else {
			check503(t, r)
		}
		took = append(took, ms(r.took()))
		slowest = max(slowest, r.took())
	}
	if slowest > 12*time.Second {
		t.Errorf("slowest answer during the partition took %v: the request deadline is 10 s", slowest)
	}
	up := time.Now()
	if err := a.proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	var back reply
	waitUntil(t, "recovery", 20*time.Second, func() bool { back = a.do("GET", "/", "", false); return back.ok() })
	t.Logf("network partition: /readyz 503 in %s, pages and fragments 503 in %v; first success %s after the network came back",
		took[0], took[1:], ms(back.end.Sub(up)))
}

// The server drops every idle connection of the app (57P01, as Neon does when it suspends or
// restarts a compute). The next reads and writes must not notice: a connection idle for more than a
// second is pinged before use and replaced when dead.
func TestIdleConnectionsDroppedByTheServer(t *testing.T) {
	t.Parallel()
	a := newApp(t, nil)
	// Warm the pool with a few connections.
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() { defer wg.Done(); a.do("GET", "/", "", false) }()
	}
	wg.Wait()
	ctx := context.Background()
	var killed int
	// The connections must have been idle a while, as they are when a compute is suspended (after
	// five idle minutes): here, past the one second after which the pool checks them.
	time.Sleep(1100 * time.Millisecond)
	if err := a.direct.Pool().QueryRow(ctx, `select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity
		where application_name = $1 and datname = $2) k`, appName, a.dbName).Scan(&killed); err != nil {
		t.Fatal(err)
	}
	if killed == 0 {
		t.Fatal("no idle connection of the app to drop")
	}
	waitUntil(t, "the dropped backends to go", 5*time.Second, func() bool {
		var n int
		a.direct.Pool().QueryRow(ctx, "select count(*) from pg_stat_activity where application_name = $1 and datname = $2", appName, a.dbName).Scan(&n)
		return n == 0
	})
	replies := []reply{
		a.do("POST", "/tasks", "after the drop", false),
		a.do("GET", "/", "", false),
		a.do("GET", "/", "", true),
		a.do("GET", "/readyz", "", false),
	}
	failed := 0
	for _, r := range replies {
		if !r.ok() {
			failed++
			t.Errorf("%s %s after idle connections were dropped: %d %v", r.method, r.path, r.status, r.err)
		}
	}
	t.Logf("idle connections dropped by the server (57P01): %d killed; next write %d in %s, reads %d and %d, /readyz %d; failed requests %d",
		killed, replies[0].status, ms(replies[0].took()), replies[1].status, replies[2].status, replies[3].status, failed)
}
