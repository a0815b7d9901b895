package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"todo/internal/apptest"
)

// testSecret is the BETTER_AUTH_SECRET of every app the suite starts (at least 32 characters).
const testSecret = "e2e-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

// app is one running server process: the binary built in TestMain, its own port and database.
type app struct {
	name    string // for messages and the log file name
	bin     string
	dbURL   string
	port    int
	logPath string
	env     []string         // more environment, such as SMTP_URL
	proc    *apptest.Process // nil until started
}

// URL is the app's origin; the browser and the cookies use 127.0.0.1 as BETTER_AUTH_URL does.
func (a *app) URL() string { return "http://127.0.0.1:" + strconv.Itoa(a.port) }

// newApp picks a free port and starts the binary on it, with env added to its environment; the
// process's output goes to a log file in dir.
func newApp(name, bin, dbURL, dir string, env ...string) (*app, error) {
	port, err := apptest.FindFreePort()
	if err != nil {
		return nil, err
	}
	a := &app{name: name, bin: bin, dbURL: dbURL, port: port, logPath: filepath.Join(dir, name+".log"), env: env}
	return a, a.start()
}

// start runs the process (again, after stop: same port, same database) and waits until /readyz
// answers 200, or the process exits, or 30 s pass.
func (a *app) start() error {
	logFile, err := os.OpenFile(a.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	// The child writes to its own copy of the file's descriptor: ours is closed once it has started.
	defer logFile.Close()
	fmt.Fprintf(logFile, "---- %s: start %s on port %d\n", time.Now().Format(time.RFC3339Nano), a.name, a.port)
	cmd := exec.Command(a.bin)
	// Its own working directory: a developer's .env at the repository root must not leak in.
	cmd.Dir = filepath.Dir(a.logPath)
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+a.dbURL,
		"BETTER_AUTH_SECRET="+testSecret,
		"BETTER_AUTH_URL="+a.URL(),
		"PORT="+strconv.Itoa(a.port),
		"DB_CONNECT_TIMEOUT=10s",
	)
	cmd.Env = append(cmd.Env, a.env...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if a.proc, err = apptest.Start(cmd); err != nil {
		return fmt.Errorf("%s: %w", a.name, err)
	}
	// /readyz: the condition the app itself offers for "serving, database reachable".
	if err := a.proc.WaitReady(context.Background(), a.URL()+"/readyz", 25*time.Millisecond, 30*time.Second); err != nil {
		a.kill()
		return fmt.Errorf("%s did not become ready: %w\n%s", a.name, err, a.logTail(30))
	}
	return nil
}

// stop sends SIGTERM, as a deployment would, and requires a clean exit (status 0) within 15 s.
func (a *app) stop() error {
	if a.proc == nil {
		return nil
	}
	select {
	case <-a.proc.Exited():
		return fmt.Errorf("%s had already exited: %v", a.name, a.proc.Err())
	default:
	}
	if err := a.proc.Stop(15 * time.Second); err != nil {
		return fmt.Errorf("%s: %w", a.name, err)
	}
	return nil
}

func (a *app) kill() {
	if a.proc != nil {
		a.proc.Kill()
	}
}

// logTail is the last n lines the process wrote, for a failing test's output.
func (a *app) logTail(n int) string {
	data, err := os.ReadFile(a.logPath)
	if err != nil {
		return "(no app log: " + err.Error() + ")"
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}

// logOnFailure prints the tail of the app's log when t fails: the server's side of the story.
func (a *app) logOnFailure(t testing.TB) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("last lines of the %s log (%s):\n%s", a.name, a.logPath, indent(a.logTail(40)))
		}
	})
}

func indent(s string) string { return "    " + strings.ReplaceAll(s, "\n", "\n    ") }
