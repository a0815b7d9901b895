package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"todo/internal/apptest"
	"todo/internal/pgtest"
)

// A role that skips row-level security (a superuser, as a careless local setup would use) gets one
// warning at start-up; the app's own role, which owns the database like Neon's, gets none.
func TestStartUpWarnsOfARoleThatSkipsRowLevelSecurity(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	for _, c := range []struct {
		who  string
		url  string
		warn bool
	}{{"the app's role", dbURL, false}, {"the superuser", pgtest.AdminURL(t, dbURL), true}} {
		env := map[string]string{"DATABASE_URL": c.url, "BETTER_AUTH_SECRET": testSecret, "PORT": "0", "DB_CONNECT_TIMEOUT": "10s"}
		ctx, cancel := context.WithCancel(context.Background())
		stdout, stderr := &apptest.Output{}, &apptest.Output{}
		done := make(chan error, 1)
		go func() { done <- run(ctx, []string{"todo"}, func(k string) string { return env[k] }, stdout, stderr) }()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(stdout.String(), `"msg":"listening"`) && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("%s: run: %v", c.who, err)
		}
		warned := strings.Contains(stdout.String(), "skips row-level security")
		if warned != c.warn {
			t.Errorf("%s: warned %v, want %v; log:\n%s", c.who, warned, c.warn, stdout)
		}
	}
}
