package interop

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
	"todo/store"
	"todo/web/auth"
)

// TestSignInBurstMemory builds the real binary, starts it on a scratch database and fires 200
// sign-in attempts at once (right passwords, wrong passwords, unknown emails) from ten client
// addresses, so the per-address throttle lets most of them reach the password check. Every answer
// must be a success, 401 or 429 (never 5xx or a dropped connection), and the process must stay
// under 300 MiB: the bounded hasher, not luck, keeps scrypt's 32 MiB per hash in check.
func TestSignInBurstMemory(t *testing.T) {
	const (
		attempts = 200
		clients  = 10 // 127.0.0.10 … 127.0.0.19: all loopback on Linux
		users    = 5
		maxRSS   = 300 << 20
	)
	bin, err := apptest.Build(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dbURL := pgtest.NewDatabase(t)
	seedUsers(t, dbURL, users+1) // the last one signs in after the burst
	port := apptest.FreePort(t)
	pid := startBinary(t, bin, dbURL, port)
	base := "http://127.0.0.1:" + strconv.Itoa(port)

	statuses := make([]int, attempts)
	errs := make([]error, attempts)
	var wg sync.WaitGroup
	startLine := make(chan struct{})
	for i := range attempts {
		client := clientFrom(net.IPv4(127, 0, 0, byte(10+i%clients)))
		var email, pw string
		switch i % 3 {
		case 0: // right password
			email, pw = fmt.Sprintf("load-%d@example.com", i%users), fmt.Sprintf("correct horse %d", i%users)
		case 1: // wrong password
			email, pw = fmt.Sprintf("LOAD-%d@example.com", i%users), "wrong password"
		case 2: // unknown email
			email, pw = fmt.Sprintf("nobody-%d@example.com", i), "wrong password"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-startLine
			form := url.Values{"email": {email}, "password": {pw}}
			resp, err := client.PostForm(base+"/sign-in", form)
			if err != nil {
				errs[i] = err
				return
			}
			resp.Body.Close()
			statuses[i] = resp.StatusCode
		}()
	}
	began := time.Now()
	close(startLine)
	wg.Wait()
	elapsed := time.Since(began)

	byStatus := map[int]int{}
	for i, s := range statuses {
		if errs[i] != nil {
			t.Errorf("attempt %d: %v", i, errs[i])
			continue
		}
		byStatus[s]++
		switch s {
		case http.StatusOK, http.StatusSeeOther, http.StatusUnauthorized, http.StatusTooManyRequests:
		default:
			t.Errorf("attempt %d answered %d", i, s)
		}
	}
	peak := peakRSS(t, pid)
	t.Logf("%d concurrent sign-ins in %v: %d signed in (303), %d refused (401), %d told to wait (429); peak RSS %.1f MiB",
		attempts, elapsed.Round(time.Millisecond), byStatus[303], byStatus[401], byStatus[429], float64(peak)/(1<<20))
	if byStatus[303]+byStatus[401] == 0 {
		t.Errorf("no attempt of the burst reached the password check: %v", byStatus)
	}
	// Afterwards the server is itself again: a person signs in at once.
	resp, err := clientFrom(net.IPv4(127, 0, 0, 99)).PostForm(base+"/sign-in",
		url.Values{"email": {fmt.Sprintf("load-%d@example.com", users)}, "password": {fmt.Sprintf("correct horse %d", users)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("sign-in after the burst: %d, want 303", resp.StatusCode)
	}
	if peak >= maxRSS {
		t.Errorf("peak RSS %.1f MiB, limit %d MiB", float64(peak)/(1<<20), maxRSS>>20)
	}
}

// seedUsers creates load-N@example.com with password "correct horse N", N < n.
func seedUsers(t *testing.T, dbURL string, n int) {
	t.Helper()
	st := pgtest.OpenStore(t, dbURL)
	h := auth.NewHasher(2, 0)
	for i := range n {
		hash, err := h.Hash(context.Background(), fmt.Sprintf("correct horse %d", i))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateUser(context.Background(), store.NewUser{
			UserID: auth.NewID(), AccountID: auth.NewID(), Name: fmt.Sprintf("Load %d", i),
			Email: fmt.Sprintf("load-%d@example.com", i), PasswordHash: hash,
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// startBinary runs the server with only the environment the contract names, in an empty folder
// (no .env), waits for /readyz, and stops it with SIGTERM when the test ends.
func startBinary(t *testing.T, bin, dbURL string, port int) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	cmd := exec.CommandContext(ctx, bin)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"DATABASE_URL=" + dbURL,
		"BETTER_AUTH_SECRET=" + secret,
		"PORT=" + strconv.Itoa(port),
	}
	var output apptest.Output
	cmd.Stdout, cmd.Stderr = &output, &output
	p, err := apptest.Start(cmd)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Stop(15 * time.Second); err != nil {
			t.Errorf("server: %v", err)
		}
		cancel()
		if t.Failed() {
			t.Logf("server output (last 4 KiB):\n%s", output.Tail(4096))
		}
	})
	ready := "http://127.0.0.1:" + strconv.Itoa(port) + "/readyz"
	if err := p.WaitReady(ctx, ready, 50*time.Millisecond, 30*time.Second); err != nil {
		t.Fatalf("server not ready: %v\n%s", err, output.String())
	}
	return cmd.Process.Pid
}

// clientFrom is an HTTP client whose connections come from the given local address and that does
// not follow redirects.
func clientFrom(ip net.IP) *http.Client {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: ip}, Timeout: 10 * time.Second}
	return &http.Client{
		Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
		Timeout: 60 * time.Second,
	}
}

// peakRSS reads VmHWM, the process's peak resident set size, from /proc.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatalf("VmHWM %q: %v", rest, err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc/<pid>/status")
	return 0
}
