package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
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
	cmd     *exec.Cmd
	exited  chan struct{} // closed when the process has exited
	waitErr error         // the process's exit status, valid once exited is closed
}

// URL is the app's origin; the browser and the cookies use 127.0.0.1 as BETTER_AUTH_URL does.
func (a *app) URL() string { return "http://127.0.0.1:" + strconv.Itoa(a.port) }

// newApp picks a free port and starts the binary on it; the process's output goes to a log file in dir.
func newApp(name, bin, dbURL, dir string) (*app, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	a := &app{name: name, bin: bin, dbURL: dbURL, port: port, logPath: filepath.Join(dir, name+".log")}
	return a, a.start()
}

// freePort asks the kernel for an unused port. Another process could take it before the app binds
// it; the app then exits with a clear "cannot listen" line, which start reports.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// start runs the process (again, after stop: same port, same database) and waits until /readyz
// answers 200, or the process exits, or 30 s pass.
func (a *app) start() error {
	logFile, err := os.OpenFile(a.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
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
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return fmt.Errorf("start %s: %w", a.name, err)
	}
	a.cmd, a.exited = cmd, make(chan struct{})
	go func() {
		a.waitErr = cmd.Wait()
		logFile.Close()
		close(a.exited)
	}()
	if err := a.waitReady(30 * time.Second); err != nil {
		a.kill()
		return fmt.Errorf("%s did not become ready: %w\n%s", a.name, err, a.logTail(30))
	}
	return nil
}

// waitReady polls /readyz: the condition the app itself offers for "serving, database reachable".
func (a *app) waitReady(limit time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(limit)
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		resp, err := client.Get(a.URL() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-a.exited:
			return fmt.Errorf("the process exited: %v", a.waitErr)
		case <-tick.C:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no 200 from /readyz within %s (last error: %v)", limit, err)
		}
	}
}

// stop sends SIGTERM, as a deployment would, and requires a clean exit (status 0) within 15 s.
func (a *app) stop() error {
	if a.cmd == nil {
		return nil
	}
	select {
	case <-a.exited:
		return fmt.Errorf("%s had already exited: %v", a.name, a.waitErr)
	default:
	}
	if err := a.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case <-a.exited:
		if a.waitErr != nil {
			return fmt.Errorf("%s exited after SIGTERM with %v", a.name, a.waitErr)
		}
		return nil
	case <-time.After(15 * time.Second):
		a.kill()
		return errors.New(a.name + " did not exit within 15 s of SIGTERM")
	}
}

func (a *app) kill() {
	if a.cmd != nil && a.cmd.Process != nil {
		a.cmd.Process.Kill()
		<-a.exited
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

// buildApp compiles the server once for the whole package.
func buildApp(ctx context.Context, root, out string) error {
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, ".")
	cmd.Dir = root
	if output, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build: %v\n%s", err, output)
	}
	return nil
}
