package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"todo/internal/apptest"
)

// process is a server the benchmark started: the app, the floor, or the profiled app.
type process struct {
	*apptest.Process
	name   string
	base   string        // http://127.0.0.1:PORT
	ready  time.Duration // from just before fork/exec to the first 200 from /readyz
	stderr *apptest.Output
}

// startProcess starts bin with env (plus PORT and BETTER_AUTH_URL on a free loopback port) in an
// empty working directory (so that no .env is read) and waits until /readyz answers 200, polling
// every 2 ms, so that ready is the start-up time to within that.
func startProcess(ctx context.Context, name, bin string, env []string) (*process, error) {
	port, err := apptest.FindFreePort()
	if err != nil {
		return nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin)
	cmd.Env = append(append(os.Environ(), env...), "PORT="+strconv.Itoa(port), "BETTER_AUTH_URL="+base)
	cmd.Dir = os.TempDir()
	// Stdout (the app's JSON request log) goes to /dev/null: the app still formats and writes
	// every line, as it would in production, without the benchmark reading it. Of stderr the
	// start is kept, which says what went wrong first.
	p := &process{name: name, base: base, stderr: &apptest.Output{Limit: 64 << 10}}
	cmd.Stderr = p.stderr
	// Should the benchmark die without stopping its servers (a signal, a closed pipe), they die too.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGTERM}
	if p.Process, err = apptest.Start(cmd); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := p.WaitReady(ctx, base+"/readyz", 2*time.Millisecond, 30*time.Second); err != nil {
		p.Stop(10 * time.Second)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("%s: %v: %s", name, err, p.tail())
	}
	p.ready = time.Since(p.Started)
	return p, nil
}

// stop sends SIGTERM and waits for the exit (SIGKILL after 10 s). It reports a non-zero exit.
func (p *process) stop() error {
	if err := p.Stop(10 * time.Second); err != nil {
		return fmt.Errorf("%s: %v: %s", p.name, err, p.tail())
	}
	return nil
}

// tail is the end of what the process wrote on stderr, for error messages.
func (p *process) tail() string {
	if s := p.stderr.Tail(2000); s != "" {
		return s
	}
	return "(no output on stderr)"
}

// memory reads the process's resident set now (VmRSS) and its peak so far (VmHWM), in bytes.
func (p *process) memory() (rss, hwm int64, err error) {
	f, err := os.Open("/proc/" + strconv.Itoa(p.Cmd.Process.Pid) + "/status")
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
		return 0, 0, fmt.Errorf("no VmRSS/VmHWM in /proc/%d/status", p.Cmd.Process.Pid)
	}
	return rss, hwm, sc.Err()
}

// cpuTime is the CPU time the process has used so far, user and system, over all its threads
// (/proc/PID/stat utime + stime, in clock ticks of 10 ms).
func (p *process) cpuTime() time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(p.Cmd.Process.Pid) + "/stat")
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
