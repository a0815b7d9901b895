package apptest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"syscall"
	"time"
)

// Process is a started command whose exit is awaited in the background, so that callers can poll
// it for readiness, wait for its exit with a limit, or stop it, all without blocking forever.
type Process struct {
	Cmd     *exec.Cmd
	Started time.Time // just before fork/exec

	exited chan struct{} // closed once the process has exited
	err    error         // of cmd.Wait, valid once exited is closed
	ran    time.Duration // from Started to the exit, valid once exited is closed
}

// Start starts cmd, which the caller has set up (Env, Dir, Stdout, Stderr, SysProcAttr).
func Start(cmd *exec.Cmd) (*Process, error) {
	p := &Process{Cmd: cmd, exited: make(chan struct{})}
	p.Started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	go func() {
		p.err = cmd.Wait()
		p.ran = time.Since(p.Started)
		close(p.exited)
	}()
	return p, nil
}

// Exited is closed once the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Err is the process's exit error (nil for status 0); call it only after Exited is closed.
func (p *Process) Err() error { return p.err }

// Ran is how long the process ran, from Started to its exit; call it only after Exited is closed.
func (p *Process) Ran() time.Duration { return p.ran }

// WaitReady polls url every interval until it answers 200. It fails as soon as the process exits,
// after limit, or when ctx ends (with ctx's error).
func (p *Process) WaitReady(ctx context.Context, url string, every, limit time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	tick := time.NewTicker(every)
	defer tick.Stop()
	deadline := time.After(limit)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		select {
		case <-tick.C:
		case <-p.exited:
			return fmt.Errorf("exited before it was ready (%v)", p.err)
		case <-deadline:
			return fmt.Errorf("no 200 from %s within %s (last: %v)", url, limit, err)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Wait waits up to limit for the process to exit and returns its exit code.
func (p *Process) Wait(limit time.Duration) (int, error) {
	select {
	case <-p.exited:
	case <-time.After(limit):
		return -1, fmt.Errorf("still running after %v", limit)
	}
	var exit *exec.ExitError
	if errors.As(p.err, &exit) {
		return exit.ExitCode(), nil
	}
	if p.err != nil {
		return -1, p.err
	}
	return 0, nil
}

// Stop sends SIGTERM, as a deployment would, and waits up to limit for the exit (then kills the
// process). It fails if the process did not exit in time or exited with a non-zero status.
func (p *Process) Stop(limit time.Duration) error {
	select {
	case <-p.exited:
	default:
		p.Cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(limit):
			p.Kill()
			return fmt.Errorf("did not exit within %v of SIGTERM", limit)
		}
	}
	if p.err != nil {
		return fmt.Errorf("exit after SIGTERM: %w", p.err)
	}
	return nil
}

// Kill kills the process, unless it has exited, and waits for the exit.
func (p *Process) Kill() {
	select {
	case <-p.exited:
	default:
		p.Cmd.Process.Kill()
		<-p.exited
	}
}
