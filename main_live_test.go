package main

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
)

// SIGTERM with 100 live-update streams open: every stream ends (the server does not wait for them
// to finish by themselves), the listening connection closes, and the process exits 0 well within the
// 10 s grace.
func TestSIGTERMWithOpenStreamsEndsThemAndExitsWithinTheGrace(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	cookie := sessionCookie(t, pgtest.OpenStore(t, dbURL))
	port := apptest.FreePort(t)
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := start(t, t.TempDir(), "DATABASE_URL="+dbURL, "BETTER_AUTH_SECRET="+testSecret,
		"BETTER_AUTH_URL="+base, "PORT="+strconv.Itoa(port))
	p.waitReady(t, base+"/readyz")

	const streams = 100
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: streams + 1}}
	var opened, ended sync.WaitGroup
	ends := make(chan time.Time, streams)
	for i := range streams {
		opened.Add(1)
		ended.Add(1)
		go func() {
			defer ended.Done()
			req, _ := http.NewRequestWithContext(context.Background(), "GET", base+"/events", nil)
			req.AddCookie(cookie)
			resp, err := client.Do(req)
			if err != nil {
				opened.Done()
				t.Errorf("stream %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			r := bufio.NewReader(resp.Body)
			if line, err := r.ReadString('\n'); err != nil || !strings.HasPrefix(line, "retry:") {
				t.Errorf("stream %d: first line %q, %v", i, line, err)
			}
			opened.Done()
			for {
				if _, err := r.ReadString('\n'); err != nil {
					ends <- time.Now()
					return
				}
			}
		}()
	}
	opened.Wait()
	signalAt := time.Now()
	if err := p.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(t, 10*time.Second); code != 0 {
		t.Fatalf("exit %d; stderr:\n%s", code, p.stderr)
	}
	exited := time.Since(signalAt)
	ended.Wait()
	close(ends)
	var last time.Duration
	n := 0
	for at := range ends {
		n++
		last = max(last, at.Sub(signalAt))
	}
	if n != streams {
		t.Fatalf("%d of %d streams ended", n, streams)
	}
	t.Logf("%d streams ended within %s of SIGTERM; the process exited after %s", n, last.Round(time.Millisecond), exited.Round(time.Millisecond))
	if exited > 5*time.Second {
		t.Errorf("the process took %s to exit: the streams held the shutdown up", exited)
	}
	if !strings.Contains(p.stdout.String(), "database pool closed") {
		t.Errorf("the shutdown did not finish cleanly:\n%s", p.stdout.Tail(2000))
	}
}
