package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
)

// TestMain lets the test binary play the floor and the profiled app, as the bench binary does:
// run() starts its own executable with BENCH_ROLE set.
func TestMain(m *testing.M) {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runRole(role))
	}
	os.Exit(m.Run())
}

// TestBenchSmoke runs the whole benchmark in a second or two with tiny numbers, so that it keeps
// working: seeding, the real app binary started and timed, the floor, every scenario, the table
// and the profile. It checks no target (timings here mean nothing), only that every row is there,
// measured something, and that no request failed.
func TestBenchSmoke(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "todo")
	start := time.Now()
	if out, err := exec.Command("go", "build", "-o", bin, "todo").CombinedOutput(); err != nil {
		t.Fatalf("go build the app: %v\n%s", err, out)
	}
	t.Logf("built the app in %s", time.Since(start).Round(time.Millisecond))
	o := defaultOptions()
	o.DatabaseURL, o.AdminURL, o.AppBinary = dbURL, pgtest.AdminURL(t, dbURL), bin
	o.Users, o.UserTasks, o.MidTasks, o.BigTasks, o.GrowTasks, o.GrowBand = 4, 5, 120, 400, 300, 150
	o.Conns, o.Rounds, o.Round, o.Warmup, o.Starts = 4, 2, 120*time.Millisecond, 40*time.Millisecond, 2
	o.LiveUsers, o.LivePages, o.LiveChanges = 3, 2, 6
	o.Profile, o.ProfileDur = filepath.Join(dir, "cpu.prof"), 100*time.Millisecond

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	start = time.Now()
	rep, err := run(ctx, o, &out)
	t.Logf("run took %s", time.Since(start).Round(time.Millisecond))
	t.Log("\n" + out.String())
	if err != nil {
		t.Fatal(err)
	}
	if rep.Failures != 0 {
		t.Fatalf("%d requests failed: %v", rep.Failures, rep.Problems)
	}
	seen := map[string]bool{}
	for _, r := range rep.Rows {
		if r.ID == "" {
			continue
		}
		seen[r.ID] = true
		if r.Ratio <= 0 || r.Target == "" {
			t.Errorf("%s %q: ratio %v, target %q: nothing measured", r.ID, r.Name, r.Ratio, r.Target)
		}
	}
	for _, id := range []string{"P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "PL"} {
		if !seen[id] {
			t.Errorf("the table has no %s row", id)
		}
		if !strings.Contains(out.String(), "\n"+id+" ") {
			t.Errorf("the printed table has no %s line", id)
		}
	}
	if fi, err := os.Stat(o.Profile); err != nil || fi.Size() == 0 {
		t.Errorf("no CPU profile written: %v", err)
	}
	if !strings.Contains(out.String(), "flat%") {
		t.Errorf("the profile's top was not printed")
	}
}

func TestParseOptions(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "postgres://x/y", "BENCH_ADMIN_DATABASE_URL": "postgres://admin@x/y", "BENCH_ROUNDS": "6", "BENCH_ROUND": "5s", "BENCH_PROFILE": "1"}
	o, err := parseOptions([]string{"-app", "/bin/todo", "-rounds", "7"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if o.Rounds != 7 || o.Round != 5*time.Second || o.Profile != "bench-cpu.prof" || o.DatabaseURL != "postgres://x/y" {
		t.Errorf("flags should win over the environment, the environment over defaults: %+v", o)
	}
	for _, c := range []struct {
		args []string
		env  map[string]string
	}{
		{[]string{"-app", "x"}, nil},                               // no database
		{nil, map[string]string{"DATABASE_URL": "postgres://x/y"}}, // no app
		{[]string{"-app", "x"}, map[string]string{"DATABASE_URL": "p", "BENCH_ROUNDS": "0"}},
		{[]string{"-app", "x", "-floor-exec", "simple"}, map[string]string{"DATABASE_URL": "p"}},
		{[]string{"-app", "x", "-conns", "0"}, map[string]string{"DATABASE_URL": "p"}},
	} {
		if _, err := parseOptions(c.args, func(k string) string { return c.env[k] }); err == nil {
			t.Errorf("parseOptions(%q, %v) accepted", c.args, c.env)
		}
	}
}
