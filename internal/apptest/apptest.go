// Package apptest runs the app's binary the way the start-up, interop, browser and fault tests and
// the benchmark need it: built once from the working tree, on a free loopback port, its output
// captured, awaited on its readiness route and stopped with SIGTERM as a deployment would.
//
// It does not import testing, so the benchmark program (a main package) can use it too; the few
// helpers for tests take a TB.
package apptest

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
)

// TB is the part of testing.TB the helpers use.
type TB interface {
	Helper()
	Fatal(args ...any)
}

// Build compiles the app (the module's main package, todo) into dir and returns the binary's path.
// The go command finds the module from the working directory, so any directory inside it will do.
func Build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "todo")
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "todo").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// FindFreePort asks the kernel for a loopback port nobody listens on. Another process could take
// it before the caller binds it; the app then exits with a clear "cannot listen" line.
func FindFreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// FreePort is FindFreePort for a test, which it fails on error.
func FreePort(t TB) int {
	t.Helper()
	port, err := FindFreePort()
	if err != nil {
		t.Fatal(err)
	}
	return port
}
