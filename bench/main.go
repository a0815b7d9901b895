// Command bench measures the app against a floor: the same requests answered by the least code that
// can answer them (floor.go), on the same machine, in the same run, driven alternately by one load
// generator on loopback. It prints one table of app/floor ratios against their targets.
//
//	go build -o /tmp/todo . && go run ./bench -app /tmp/todo -database-url postgres://…
//
// scripts/bench.sh (make bench) does that on a fresh scratch database. The database must be
// migrated; bench seeds it with users of its own. The same binary also serves as the floor server and as
// the profiled app when it is started with BENCH_ROLE set (roles.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	if role := os.Getenv(roleEnv); role != "" {
		os.Exit(runRole(role))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseOptions(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	rep, err := run(ctx, opts, os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if rep.Failures > 0 {
		fmt.Fprintf(os.Stderr, "bench: %d requests failed (see above)\n", rep.Failures)
		os.Exit(1)
	}
}

// options is one benchmark run. Defaults make `make bench` take about a minute and a half; every
// duration scales for longer, steadier runs (-rounds, -round, or BENCH_ROUNDS, BENCH_ROUND).
type options struct {
	DatabaseURL string // migrated database; bench seeds it; the app connects as its role
	AdminURL    string // the same database as a superuser: seeds it around row-level security
	AppBinary   string // the app built with `go build -o … .`

	Users     int // users with UserTasks tasks each, for P1 (and as many again for P3)
	UserTasks int
	BigTasks  int // tasks of the big user (P2)
	MidTasks  int // tasks of the reference user (P2)
	GrowTasks int // P6: how many tasks the growing users reach
	GrowBand  int // P6: tasks per reported band

	LiveUsers   int // PL: users with LivePages open streams each
	LivePages   int
	LiveChanges int // PL: changes measured, on one instance and across two

	Conns      int           // P1 and P3 concurrency
	P2Conns    int           // P2 concurrency (low: latency, not throughput)
	Rounds     int           // interleaved rounds per scenario and target
	Round      time.Duration // one P1 round of one contender; P2's are a third of it, P3's two thirds
	Warmup     time.Duration // per target, before the first round of each scenario
	MaxPerRun  int           // request cap of one round of one target (bounds the run on a fast machine)
	Starts     int           // P5 process starts
	FloorExec  string        // the floor's pgx query mode: "statement" (as the app) or "describe"
	Profile    string        // when set, then profile the app and the floor under P1 and P3 load (files named after it)
	ProfileDur time.Duration // how long each profiled load runs
	Only       []string      // when set, only these scenarios run (P1 … P8, PL): a quicker run while working on one
}

// runs tells whether the scenario id is part of this run.
func (o options) runs(id string) bool { return len(o.Only) == 0 || slices.Contains(o.Only, id) }

func defaultOptions() options {
	return options{
		Users: 64, UserTasks: 50, BigTasks: 100_000, MidTasks: 200, GrowTasks: 3000, GrowBand: 1000,
		LiveUsers: 200, LivePages: 5, LiveChanges: 400,
		Conns: 32, P2Conns: 1, Rounds: 6, Round: 2 * time.Second, Warmup: time.Second,
		MaxPerRun: 2_000_000, Starts: 7, FloorExec: "statement", ProfileDur: 10 * time.Second,
	}
}

func parseOptions(args []string, getenv func(string) string) (options, error) {
	o := defaultOptions()
	// Environment first, so that `make bench` can be lengthened without flags; flags win.
	if v := getenv("BENCH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return o, fmt.Errorf("BENCH_ROUNDS must be a positive integer, got %q", v)
		}
		o.Rounds = n
	}
	if v := getenv("BENCH_ROUND"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return o, fmt.Errorf("BENCH_ROUND must be a positive duration such as 3s, got %q", v)
		}
		o.Round = d
	}
	if v := getenv("BENCH_PROFILE"); v != "" && v != "0" {
		o.Profile = "bench-cpu.prof"
		if v != "1" {
			o.Profile = v
		}
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.DatabaseURL, "database-url", getenv("DATABASE_URL"), "migrated scratch database (seeded by bench; default $DATABASE_URL)")
	fs.StringVar(&o.AdminURL, "admin-database-url", getenv("BENCH_ADMIN_DATABASE_URL"), "the same database as a superuser, to seed it and make the floor's role (default $BENCH_ADMIN_DATABASE_URL)")
	fs.StringVar(&o.AppBinary, "app", o.AppBinary, "the app binary (go build -o … .)")
	fs.IntVar(&o.Users, "users", o.Users, "users with -user-tasks tasks each (P1; as many again for P3)")
	fs.IntVar(&o.UserTasks, "user-tasks", o.UserTasks, "tasks of each P1/P3 user")
	fs.IntVar(&o.BigTasks, "big-tasks", o.BigTasks, "tasks of the big user (P2)")
	fs.IntVar(&o.MidTasks, "mid-tasks", o.MidTasks, "tasks of the P2 reference user")
	fs.IntVar(&o.GrowTasks, "grow-tasks", o.GrowTasks, "P6: tasks each growing user reaches")
	fs.IntVar(&o.GrowBand, "grow-band", o.GrowBand, "P6: tasks per reported band")
	fs.IntVar(&o.LiveUsers, "live-users", o.LiveUsers, "PL: users with -live-pages open event streams each")
	fs.IntVar(&o.LivePages, "live-pages", o.LivePages, "PL: open event streams per user")
	fs.IntVar(&o.LiveChanges, "live-changes", o.LiveChanges, "PL: changes timed on one instance and across two")
	fs.IntVar(&o.Conns, "conns", o.Conns, "P1/P3 concurrent connections")
	fs.IntVar(&o.P2Conns, "p2-conns", o.P2Conns, "P2 concurrent connections")
	fs.IntVar(&o.Rounds, "rounds", o.Rounds, "interleaved rounds per scenario and target ($BENCH_ROUNDS)")
	fs.DurationVar(&o.Round, "round", o.Round, "length of one P1 round of one contender; P2's are 1/3 of it, P3's 2/3 ($BENCH_ROUND)")
	fs.DurationVar(&o.Warmup, "warmup", o.Warmup, "warm-up per target before each scenario")
	fs.IntVar(&o.MaxPerRun, "max-requests", o.MaxPerRun, "request cap of one round of one target")
	fs.IntVar(&o.Starts, "starts", o.Starts, "P5: how many process starts (median)")
	fs.StringVar(&o.FloorExec, "floor-exec", o.FloorExec, `floor's pgx query mode: "statement" (named prepared statements, the app's) or "describe" (unnamed, with cached descriptions)`)
	fs.StringVar(&o.Profile, "profile", o.Profile, "then profile the app and the floor under P1 and P3 load: CPU profiles named after this file ($BENCH_PROFILE=1: bench-cpu.prof)")
	fs.DurationVar(&o.ProfileDur, "profile-duration", o.ProfileDur, "how long each profiled load runs")
	only := fs.String("only", "", "comma-separated scenarios to run (P1,P2,P3,P6,P7,P8,PL; P4 comes with P1, P5 with every run): quicker, for work on one of them")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for id := range strings.SplitSeq(*only, ",") {
		switch id = strings.ToUpper(strings.TrimSpace(id)); id {
		case "":
		case "P1", "P2", "P3", "P6", "P7", "P8", "PL":
			o.Only = append(o.Only, id)
		default:
			return o, fmt.Errorf("-only: unknown scenario %q (P1, P2, P3, P6, P7, P8 or PL)", id)
		}
	}
	switch {
	case o.DatabaseURL == "":
		return o, errors.New("-database-url (or DATABASE_URL) is required: a migrated scratch database")
	case o.AdminURL == "":
		return o, errors.New("-admin-database-url (or BENCH_ADMIN_DATABASE_URL) is required: the same database as a superuser")
	case o.AppBinary == "":
		return o, errors.New("-app is required: the app binary, built with `go build -o … .`")
	case o.Users < 1 || o.UserTasks < 1 || o.BigTasks < 1 || o.MidTasks < 1 || o.Conns < 1 || o.P2Conns < 1 ||
		o.GrowTasks < 1 || o.GrowBand < 1 || o.Rounds < 1 || o.Round <= 0 || o.MaxPerRun < 1 || o.Starts < 1:
		return o, errors.New("counts and durations must be positive")
	case o.FloorExec != "describe" && o.FloorExec != "statement":
		return o, fmt.Errorf(`-floor-exec must be "describe" or "statement", got %q`, o.FloorExec)
	}
	return o, nil
}
