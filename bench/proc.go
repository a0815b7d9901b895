package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is a server the benchmark started: the app, the floor, or the profiled app.
type process struct {
	name    string
	cmd     *exec.Cmd
	base    string        // http://127.0.0.1:PORT
	ready   time.Duration // from just before fork/exec to the first 200 from /readyz
	exited  chan struct{} // closed when the process has exited
	waitErr error
	stderr  *lockedBuffer
}

// startProcess starts bin with env (plus PORT and BETTER_AUTH_URL on a free loopback port) in an
// empty working directory (so that no .env is read) and waits until /readyz answers 200, polling
// every 2 ms, so that ready is the start-up time to within that.
func startProcess(ctx context.Context, name, bin string, env []string) (*process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), env...), "PORT="+strconv.Itoa(port), "BETTER_AUTH_URL="+base)
	cmd.Dir = os.TempDir()
	// Stdout (the app's JSON request log) goes to /dev/null: the app still formats and writes
	// every line, as it would in production, without the benchmark reading it.
	p := &process{name: name, cmd: cmd, base: base, exited: make(chan struct{}), stderr: &lockedBuffer{}}
	cmd.Stderr = p.stderr
	// Should the benchmark die without stopping its servers (a signal, a closed pipe), they die too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	poll := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	go func() { p.waitErr = cmd.Wait(); close(p.exited) }()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		if resp, err := poll.Get(base + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				p.ready = time.Since(start)
				return p, nil
			}
		}
		select {
		case <-tick.C:
		case <-p.exited:
			return nil, fmt.Errorf("%s exited before it was ready (%v): %s", name, p.waitErr, p.stderr.tail())
		case <-deadline:
			p.stop()
			return nil, fmt.Errorf("%s was not ready within 30s: %s", name, p.stderr.tail())
		case <-ctx.Done():
			p.stop()
			return nil, ctx.Err()
		}
	}
}

// stop sends SIGTERM and waits for the exit (SIGKILL after 10 s). It reports a non-zero exit.
func (p *process) stop() error {
	select {
	case <-p.exited:
	default:
		p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
			return fmt.Errorf("%s did not stop within 10s of SIGTERM", p.name)
		}
	}
	if p.waitErr != nil {
		return fmt.Errorf("%s: %v: %s", p.name, p.waitErr, p.stderr.tail())
	}
	return nil
}

// memory reads the process's resident set now (VmRSS) and its peak so far (VmHWM), in bytes.
func (p *process) memory() (rss, hwm int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("/proc status %s: %v", k, err)
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if rss == 0 || hwm == 0 {
		return 0, 0, fmt.Errorf("no VmRSS/VmHWM in /proc/%d/status", p.cmd.Process.Pid)
	}
	return rss, hwm, sc.Err()
}

// cpuTime is the CPU time the process has used so far, user and system, over all its threads
// (/proc/PID/stat utime + stime, in clock ticks of 10 ms).
func (p *process) cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.cmd.Process.Pid) + "/stat")
	if err != nil {
		return 0
	}
	// The command name, in parentheses, may hold spaces: the fields are counted after it.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond // USER_HZ is 100 on Linux
}

// sampleRSS records the largest VmRSS seen every 10 ms until stop is closed.
func (p *process) sampleRSS(stop <-chan struct{}) (maxRSS func() int64) {
	var mu sync.Mutex
	var peak int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if rss, _, err := p.memory(); err == nil {
				mu.Lock()
				peak = max(peak, rss)
				mu.Unlock()
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// lockedBuffer collects a process's stderr for error messages.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 { // keep the start, which says what went wrong first
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) tail() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := strings.TrimSpace(b.buf.String())
	if len(s) > 2000 {
		s = s[len(s)-2000:]
	}
	if s == "" {
		return "(no output on stderr)"
	}
	return s
}
