package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/faultproxy"
	"todo/internal/pgtest"
	"todo/store"
	"todo/web/auth"
)

// Start-up and shutdown, tested on the real binary (exit codes, timing, signals) and through run()
// (the happy path), against the real PostgreSQL of `make test`.

const (
	testSecret = "start-up-test-secret-at-least-32-characters"
	// password is planted in every DATABASE_URL below: it must never reach stdout or stderr.
	password = "Sup3rS3cretPw"
)

// binary is the server built once for this package's tests (TestMain).
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "todo-main-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if binary, err = apptest.Build(context.Background(), dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// proc is the binary running in its own working directory with exactly the given environment.
type proc struct {
	*apptest.Process
	stdout, stderr *apptest.Output
}

func start(t *testing.T, dir string, env ...string) *proc {
	t.Helper()
	p := &proc{stdout: &apptest.Output{}, stderr: &apptest.Output{}}
	cmd := exec.Command(binary)
	cmd.Dir = dir
	// A clean environment: no PG* variables or .env of the developer leak in.
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, env...)
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	var err error
	if p.Process, err = apptest.Start(cmd); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Kill)
	return p
}

// wait waits for the process to exit and returns its exit code.
func (p *proc) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	code, err := p.Wait(limit)
	if err != nil {
		t.Fatalf("%v; stdout:\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
	}
	return code
}

// waitReady waits up to 20 s for url to answer 200.
func (p *proc) waitReady(t *testing.T, url string) {
	t.Helper()
	if err := p.WaitReady(context.Background(), url, 20*time.Millisecond, 20*time.Second); err != nil {
		t.Fatalf("%s: %v; stderr:\n%s", url, err, p.stderr)
	}
}

// checkStderrLine asserts one line on stderr that names what and never the password.
func checkStderrLine(t *testing.T, stderr, what string) {
	t.Helper()
	if strings.Contains(stderr, password) {
		t.Errorf("stderr leaks the password: %q", stderr)
	}
	if lines := strings.Split(strings.TrimSpace(stderr), "\n"); len(lines) != 1 {
		t.Errorf("stderr has %d lines, want one: %q", len(lines), stderr)
	}
	if !strings.Contains(stderr, what) {
		t.Errorf("stderr %q does not name %s", stderr, what)
	}
}

func TestBadConfigurationExitsAtOnceNamingTheVariable(t *testing.T) {
	good := "DATABASE_URL=postgres://todo:" + password + "@127.0.0.1:5/todo?sslmode=disable"
	secret := "BETTER_AUTH_SECRET=" + testSecret
	for _, tc := range []struct {
		name   string
		env    []string
		dotenv string
		want   string
	}{
		{"no database url", []string{secret}, "", "DATABASE_URL"},
		{"blank database url", []string{"DATABASE_URL=   ", secret}, "", "DATABASE_URL"},
		{"port not a number", []string{"DATABASE_URL=postgres://todo:" + password + "@localhost:notaport/db", secret}, "", "DATABASE_URL"},
		{"password with a raw @ and :", []string{"DATABASE_URL=postgres://todo:" + password + ":@x@localhost:99999999/db", secret}, "", "DATABASE_URL"},
		{"bad escape in password", []string{"DATABASE_URL=postgres://todo:" + password + "%zz@localhost/db", secret}, "", "DATABASE_URL"},
		{"unknown sslmode", []string{"DATABASE_URL=postgres://todo:" + password + "@localhost/db?sslmode=bogus", secret}, "", "DATABASE_URL"},
		{"one slash", []string{"DATABASE_URL=postgres:/todo:" + password + "@localhost/db", secret}, "", "DATABASE_URL"},
		{"bad host", []string{"DATABASE_URL=postgres://todo:" + password + "@[::1/db", secret}, "", "DATABASE_URL"},
		{"key=value form", []string{"DATABASE_URL=host=localhost password=" + password + " port=abc", secret}, "", "DATABASE_URL"},
		{"not a url at all", []string{"DATABASE_URL=" + password, secret}, "", "DATABASE_URL"},
		{"bad listen url", []string{good, secret, "DATABASE_LISTEN_URL=postgres://todo:" + password + "@localhost:notaport/db"}, "", "DATABASE_LISTEN_URL"},
		{"no secret", []string{good}, "", "BETTER_AUTH_SECRET"},
		{"short secret", []string{good, "BETTER_AUTH_SECRET=short"}, "", "BETTER_AUTH_SECRET"},
		{"bad connect timeout", []string{good, secret, "DB_CONNECT_TIMEOUT=soon"}, "", "DB_CONNECT_TIMEOUT"},
		{"bad public url", []string{good, secret, "BETTER_AUTH_URL=ftp://example.test"}, "", "BETTER_AUTH_URL"},
		{"bad trusted proxy", []string{good, secret, "TRUSTED_PROXIES=10.0.0.0/8, proxy.local"}, "", "TRUSTED_PROXIES"},
		{"bad url from .env", []string{secret}, "DATABASE_URL=postgres://todo:" + password + "@localhost:x/db\n", "DATABASE_URL"},
		{".env that does not parse", nil, "BETTER_AUTH_SECRET=" + testSecret + "\nDATABASE_URL=\"postgres://todo:" + password + "@h/db\n", ".env"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if tc.dotenv != "" {
				if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(tc.dotenv), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			p := start(t, dir, append(tc.env, "PORT="+strconv.Itoa(apptest.FreePort(t)))...)
			code := p.wait(t, 5*time.Second)
			t.Logf("exit %d after %v: %s", code, p.Ran().Round(time.Millisecond), strings.TrimSpace(p.stderr.String()))
			if code == 0 {
				t.Fatalf("exit code 0, want non-zero")
			}
			if p.Ran() > time.Second {
				t.Errorf("took %v, want under 1s", p.Ran())
			}
			checkStderrLine(t, p.stderr.String(), tc.want)
			if strings.Contains(p.stdout.String(), password) {
				t.Errorf("stdout leaks the password: %q", p.stdout)
			}
		})
	}
}

func TestUnreachableDatabaseIsRetriedWithBackoffThenGivenUp(t *testing.T) {
	// A port that accepts and hangs up at once: every attempt fails, and each is counted.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var mu sync.Mutex
	var attempts []time.Time
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			attempts = append(attempts, time.Now())
			mu.Unlock()
			c.Close()
		}
	}()
	dbURL := fmt.Sprintf("postgres://todo:%s@%s/todo?sslmode=disable", password, l.Addr())
	p := start(t, t.TempDir(), "DATABASE_URL="+dbURL, "BETTER_AUTH_SECRET="+testSecret,
		"DB_CONNECT_TIMEOUT=2s", "PORT="+strconv.Itoa(apptest.FreePort(t)))
	code := p.wait(t, 10*time.Second)
	mu.Lock()
	n := len(attempts)
	mu.Unlock()
	t.Logf("exit %d after %v and %d connection attempts: %s", code, p.Ran().Round(time.Millisecond), n, strings.TrimSpace(p.stderr.String()))
	if code == 0 {
		t.Fatal("exit code 0, want non-zero")
	}
	if p.Ran() < 2*time.Second || p.Ran() > 3500*time.Millisecond {
		t.Errorf("exited after %v, want just after DB_CONNECT_TIMEOUT=2s", p.Ran())
	}
	// Backoff: 100 ms doubling (with jitter) to 2 s gives about 5 to 8 attempts in 2 s; a hot loop
	// would make hundreds, no retry one.
	if n < 3 || n > 20 {
		t.Errorf("%d connection attempts in 2s, want a handful (backoff)", n)
	}
	checkStderrLine(t, p.stderr.String(), "DB_CONNECT_TIMEOUT=2s")
	if !strings.Contains(p.stderr.String(), l.Addr().String()) {
		t.Errorf("stderr does not say which database: %q", p.stderr)
	}
}

func TestWrongDatabasePasswordExitsWithoutWaiting(t *testing.T) {
	u, err := url.Parse(pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), password)
	p := start(t, t.TempDir(), "DATABASE_URL="+u.String(), "BETTER_AUTH_SECRET="+testSecret,
		"DB_CONNECT_TIMEOUT=30s", "PORT="+strconv.Itoa(apptest.FreePort(t)))
	code := p.wait(t, 10*time.Second)
	t.Logf("exit %d after %v: %s", code, p.Ran().Round(time.Millisecond), strings.TrimSpace(p.stderr.String()))
	if code == 0 {
		t.Fatal("exit code 0, want non-zero")
	}
	if p.Ran() > 3*time.Second {
		t.Errorf("took %v: a wrong password is not worth waiting DB_CONNECT_TIMEOUT for", p.Ran())
	}
	checkStderrLine(t, p.stderr.String(), "password authentication failed")
}

func TestDotEnvIsReadAndTheEnvironmentWins(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	dir := t.TempDir()
	envPort, dotenvPort := apptest.FreePort(t), apptest.FreePort(t)
	dotenv := fmt.Sprintf("# written by the test\nDATABASE_URL=%q\nBETTER_AUTH_SECRET=%s\nPORT=%d\n", dbURL, testSecret, dotenvPort)
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte(dotenv), 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, dir, "PORT="+strconv.Itoa(envPort))
	base := fmt.Sprintf("http://127.0.0.1:%d", envPort)
	p.waitReady(t, base+"/healthz")
	p.waitReady(t, base+"/readyz") // DATABASE_URL came from .env
	if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", dotenvPort)); err == nil {
		c.Close()
		t.Errorf("also listening on .env's PORT %d: the environment's PORT must win", dotenvPort)
	}
	p.Cmd.Process.Signal(syscall.SIGTERM)
	if code := p.wait(t, 15*time.Second); code != 0 {
		t.Fatalf("exit %d after SIGTERM; stderr: %s", code, p.stderr)
	}
	if dbPassword(t, dbURL) != "" && strings.Contains(p.stdout.String()+p.stderr.String(), dbPassword(t, dbURL)) {
		t.Error("the log contains the database password")
	}
}

func dbPassword(t *testing.T, raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	return pw
}

// logLines decodes the JSON log lines written so far.
func logLines(t *testing.T, out string) []map[string]any {
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		lines = append(lines, m)
	}
	return lines
}

func TestRunServesHealthAndReadinessAndStopsOnCancel(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	env := map[string]string{
		"DATABASE_URL":       dbURL,
		"BETTER_AUTH_SECRET": testSecret,
		"BETTER_AUTH_URL":    "http://localhost:8080",
		"PORT":               "0", // any free port; run logs the one it got
		"DB_CONNECT_TIMEOUT": "10s",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdout, stderr := &apptest.Output{}, &apptest.Output{}
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"todo"}, func(k string) string { return env[k] }, stdout, stderr) }()

	var addr string
	deadline := time.Now().Add(20 * time.Second)
	for addr == "" {
		select {
		case err := <-done:
			t.Fatalf("run returned early: %v", err)
		default:
		}
		for _, l := range logLines(t, stdout.String()) {
			if l["msg"] == "listening" {
				addr, _ = l["addr"].(string)
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("never listened; log:\n%s", stdout)
		}
		time.Sleep(10 * time.Millisecond)
	}
	_, port, _ := net.SplitHostPort(addr)
	base := "http://127.0.0.1:" + port
	for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || string(body) != want {
			t.Errorf("GET %s = %d %q, want 200 %q", path, resp.StatusCode, body, want)
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run after cancel: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
	var closed bool
	for _, l := range logLines(t, stdout.String()) {
		closed = closed || l["msg"] == "database pool closed"
	}
	if !closed {
		t.Errorf("no \"database pool closed\" in the log:\n%s", stdout)
	}
	if strings.Contains(stdout.String()+stderr.String(), dbPassword(t, dbURL)) {
		t.Error("the log contains the database password")
	}
	if _, err := net.Dial("tcp", "127.0.0.1:"+port); err == nil {
		t.Error("still accepting connections after run returned")
	}
}

// sessionCookie makes a user with a live session in the database and returns its cookie.
func sessionCookie(t *testing.T, s *store.Store) *http.Cookie {
	t.Helper()
	ctx := context.Background()
	u, err := s.CreateUser(ctx, store.NewUser{UserID: auth.NewID(), AccountID: auth.NewID(), Name: "Load",
		Email: "load-" + strings.ToLower(auth.NewID()[:8]) + "@example.test", PasswordHash: "x:y"})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewID()
	if err := s.CreateSession(ctx, store.Session{ID: auth.NewID(), Token: token, UserID: u.ID,
		ExpiresAt: time.Now().Add(auth.SessionLifetime)}); err != nil {
		t.Fatal(err)
	}
	c := auth.NewCookies(testSecret, false)
	return &http.Cookie{Name: c.Name(), Value: c.Value(token)}
}

func TestSIGTERMUnderLoadFinishesInFlightRequestsAndExitsZero(t *testing.T) {
	const appName = "todo-shutdown-test"
	dbURL := pgtest.NewDatabase(t)
	appURL := dbURL + "&application_name=" + appName // tells the app's connections apart
	s := pgtest.OpenStore(t, dbURL)
	admin := pgtest.Pool(t, pgtest.NewDatabase(t)) // for pg_stat_activity, from another database
	cookie := sessionCookie(t, s)
	port := apptest.FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := start(t, t.TempDir(), "DATABASE_URL="+appURL, "BETTER_AUTH_SECRET="+testSecret,
		"BETTER_AUTH_URL="+base, "PORT="+strconv.Itoa(port))
	p.waitReady(t, base+"/healthz")

	// Load: half the workers read the list, half add tasks, each on its own keep-alive connection.
	const workers = 8
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: workers},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	type result struct {
		post   bool
		status int
		err    error
	}
	var (
		mu       sync.Mutex
		results  []result
		signaled bool
		wg       sync.WaitGroup
	)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				mu.Lock()
				stop := signaled
				mu.Unlock()
				if stop {
					return
				}
				post := w%2 == 1
				var req *http.Request
				if post {
					req, _ = http.NewRequest("POST", base+"/tasks", strings.NewReader(fmt.Sprintf("title=w%d-%d", w, i)))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				} else {
					req, _ = http.NewRequest("GET", base+"/", nil)
				}
				req.AddCookie(cookie)
				r := result{post: post}
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					r.status = resp.StatusCode
				}
				r.err = err
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(results)
	}
	waitUntil(t, "200 requests under load", func() bool { return count() >= 200 })

	// Freeze every worker inside a request: a lock on sessions makes each one wait in the database,
	// so at the signal every worker has a request in flight that the server has accepted.
	ctx := context.Background()
	tx, err := s.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "lock table sessions in access exclusive mode"); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, "every worker waiting in the database", func() bool {
		var n int
		admin.QueryRow(ctx, `select count(*) from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'`,
			appName).Scan(&n)
		return n == workers
	})
	before := count()
	mu.Lock()
	signaled = true
	mu.Unlock()
	signalAt := time.Now()
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	// New connections are refused from now on.
	waitUntil(t, "new connections refused", func() bool {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err == nil {
			c.Close()
			return false
		}
		return true
	})
	refusedAfter := time.Since(signalAt)
	if _, err := tx.Exec(ctx, "select 1"); err != nil { // still holding: nothing got through yet
		t.Fatal(err)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	code := p.wait(t, 15*time.Second)
	exitAfter := time.Since(signalAt)

	var failed, inFlight, posted int
	for _, r := range results {
		ok := r.err == nil && (r.status == http.StatusOK || r.status == http.StatusSeeOther)
		if !ok {
			failed++
			t.Errorf("request (post=%v) failed: status %d, err %v", r.post, r.status, r.err)
		}
		if r.post && r.status == http.StatusSeeOther {
			posted++
		}
	}
	inFlight = len(results) - before
	t.Logf("shutdown: %d requests, %d in flight at SIGTERM, %d failed; new connections refused after %v; exit %d after %v",
		len(results), inFlight, failed, refusedAfter.Round(time.Millisecond), code, exitAfter.Round(time.Millisecond))
	if inFlight != workers {
		t.Errorf("%d requests finished after the signal, want the %d in flight", inFlight, workers)
	}
	if code != 0 {
		t.Errorf("exit code %d after SIGTERM, want 0; stderr: %s", code, p.stderr)
	}
	// Every acknowledged write is in the database, once.
	var rows int
	if err := pgtest.AdminOf(t, s).QueryRow(ctx, "select count(*) from tasks").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if rows != posted {
		t.Errorf("%d tasks in the database, %d creations acknowledged", rows, posted)
	}
	var closed bool
	for _, l := range logLines(t, p.stdout.String()) {
		closed = closed || l["msg"] == "database pool closed"
	}
	if !closed {
		t.Errorf("no \"database pool closed\" in the log")
	}
	waitUntil(t, "the app's database connections gone", func() bool {
		var n int
		admin.QueryRow(ctx, `select count(*) from pg_stat_activity where application_name = $1`, appName).Scan(&n)
		return n == 0
	})
}

// waitUntil polls cond every 5 ms for up to 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// SIGTERM while the database does not answer at all (a network partition), with requests waiting on
// it: the whole shutdown, closing the pool included, ends within the promised 10 s.
func TestSIGTERMWithADeadDatabaseExitsWithinTheGrace(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	proxy, err := faultproxy.New(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(proxy.Close)
	through := *u
	through.Host = proxy.Addr()
	s := pgtest.OpenStore(t, dbURL)
	cookie := sessionCookie(t, s)
	port := apptest.FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := start(t, t.TempDir(), "DATABASE_URL="+through.String(), "BETTER_AUTH_SECRET="+testSecret,
		"BETTER_AUTH_URL="+base, "PORT="+strconv.Itoa(port))
	p.waitReady(t, base+"/readyz")

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout: 30 * time.Second}
	get := func() (int, error) {
		req, _ := http.NewRequest("GET", base+"/", nil)
		req.AddCookie(cookie)
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	// Several connections in the pool, in use a moment ago.
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() { defer wg.Done(); get() }()
	}
	wg.Wait()
	opened := proxy.Open()

	proxy.Blackhole()
	statuses := make(chan int, 6)
	for range 6 {
		go func() { code, _ := get(); statuses <- code }()
	}
	time.Sleep(time.Second) // the requests are waiting on the database
	signalAt := time.Now()
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	code := p.wait(t, 30*time.Second)
	exitAfter := time.Since(signalAt)
	var answered []int
	for range 6 {
		select {
		case c := <-statuses:
			answered = append(answered, c)
		case <-time.After(5 * time.Second):
		}
	}
	var stopped time.Duration
	for _, l := range logLines(t, p.stdout.String()) {
		if l["msg"] == "stopped serving" {
			if at, err := time.Parse(time.RFC3339Nano, l["time"].(string)); err == nil {
				stopped = at.Sub(signalAt)
			}
		}
	}
	t.Logf("SIGTERM with the database gone silent (%d connections open through the proxy, 6 requests waiting): serving stopped after %v, exit %d after %v; the waiting requests answered %v",
		opened, stopped.Round(time.Millisecond), code, exitAfter.Round(time.Millisecond), answered)
	if code != 0 {
		t.Errorf("exit code %d, want 0; stderr: %s", code, p.stderr)
	}
	if exitAfter > shutdownGrace+500*time.Millisecond {
		t.Errorf("exited %v after SIGTERM, want within the %v grace", exitAfter, shutdownGrace)
	}
}
