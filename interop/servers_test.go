package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
	"todo/mail"
	"todo/web"
)

// The secret both servers share, as BETTER_AUTH_SECRET would be in production.
const secret = "interop-secret-that-is-at-least-32-characters"

// betterAuth is a running better-auth-server.mjs.
type betterAuth struct {
	url string // http://127.0.0.1:port, its baseURL and trusted origin
}

// startBetterAuth runs the real Better Auth (node + node_modules/better-auth) on databaseURL and
// waits until it answers. It is killed when the test ends; it also exits by itself if this process
// dies (its stdin closes) or after the timeout.
func startBetterAuth(t *testing.T, databaseURL string, env ...string) *betterAuth {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not on PATH (make test installs it): %v", err)
	}
	script, err := filepath.Abs("better-auth-server.mjs")
	if err != nil {
		t.Fatal(err)
	}
	port := apptest.FreePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(cmd.Environ(),
		"DATABASE_URL="+databaseURL,
		"BETTER_AUTH_SECRET="+secret,
		"BETTER_AUTH_URL="+base,
		"PORT="+strconv.Itoa(port),
		"NODE_ENV=test",
		"TEST_MAILBOX=1",
	)
	cmd.Env = append(cmd.Env, env...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var output apptest.Output
	cmd.Stdout, cmd.Stderr = &output, &output
	p, err := apptest.Start(cmd)
	if err != nil {
		cancel()
		t.Fatalf("start node: %v", err)
	}
	t.Cleanup(func() {
		stdin.Close()
		p.Kill()
		cancel()
		if t.Failed() {
			t.Logf("better-auth-server output:\n%s", output.String())
		}
	})

	// Ready when its own health route answers; fail fast if it exits (a schema it refuses, say).
	if err := p.WaitReady(ctx, base+"/api/auth/ok", 50*time.Millisecond, 60*time.Second); err != nil {
		t.Fatalf("better-auth-server not ready: %v\n%s", err, output.String())
	}
	return &betterAuth{url: base}
}

// call sends a JSON request to Better Auth, with its Origin (it refuses cookie-carrying POSTs
// from untrusted origins) and an optional session cookie value, and decodes the JSON answer.
func (b *betterAuth) call(t *testing.T, method, path string, body any, cookie string) (*http.Response, map[string]any) {
	t.Helper()
	var reader io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.url+path, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Origin", b.url)
	if cookie != "" {
		req.Header.Set("Cookie", "better-auth.session_token="+cookie)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(bytes.TrimSpace(raw)) > 0 && string(bytes.TrimSpace(raw)) != "null" {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: %d, not JSON: %q", method, path, resp.StatusCode, raw)
		}
	}
	return resp, out
}

// app is the Go app under test, in this process, on the same database and secret.
type app struct {
	url    string
	client *http.Client // never follows redirects: the tests look at them
}

func startApp(t *testing.T, databaseURL string) *app {
	t.Helper()
	return startAppWithMail(t, databaseURL, nil)
}

// startAppWithMail is startApp with the mailer the app sends through (nil: its log, discarded).
func startAppWithMail(t *testing.T, databaseURL string, mailer mail.Sender) *app {
	t.Helper()
	st := pgtest.OpenStore(t, databaseURL)
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	h, err := web.NewServer(web.Config{
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Store:   st,
		Secret:  secret,
		BaseURL: base,
		Mail:    mailer,
	})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(srv.Close)
	return &app{url: srv.URL, client: &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}}
}

// request sends a form (or nothing) to the app with an optional session cookie value.
func (a *app) request(t *testing.T, method, path string, form url.Values, cookie string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, a.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if cookie != "" {
		req.Header.Set("Cookie", "better-auth.session_token="+cookie)
	}
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp, string(raw)
}

// sessionCookieValue is the value of the better-auth.session_token a response sets, and the
// whole Set-Cookie line, or "" when it sets none.
func sessionCookieValue(resp *http.Response) (value, line string) {
	for _, l := range resp.Header.Values("Set-Cookie") {
		if v, ok := strings.CutPrefix(l, "better-auth.session_token="); ok {
			value, _, _ = strings.Cut(v, ";")
			return value, l
		}
	}
	return "", ""
}

// cookieAttributes is a Set-Cookie line without its value.
func cookieAttributes(line string) string {
	_, attrs, _ := strings.Cut(line, ";")
	return attrs
}
