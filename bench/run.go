package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"
)

// The targets: the app against the floor (or a reference), as ratios measured in one run.
var (
	p1Throughput = goal{atLeast: true, limit: 0.90} // at equal page bytes (equalBytes)
	p1P99        = goal{limit: 1.5}
	p2Median     = goal{limit: 1.3}
	p3Throughput = goal{atLeast: true, limit: 0.85}
	p4RSS        = goal{limit: 1}
	p5Start      = goal{limit: 1}
	p6Throughput = goal{atLeast: true, limit: 0.85}
	// Row-level security may cost the list page and the create at most 5 %.
	withRLS = goal{atLeast: true, limit: 0.95}
	// The floor is padded to the app's page weight; within ±10 % the ratios compare code, not markup.
	equalBytes = goal{band: 0.10}
	p7JWT      = goal{atLeast: true, limit: 1.0}
)

const (
	p4Limit = 64 << 20
	p5Limit = 300 * time.Millisecond
)

// measurements is everything a run measured.
type measurements struct {
	starts       []time.Duration    // P5
	p1, p2, p3   map[string]*sample // by contender
	p6App, p6Ref []sample           // by band of the growing user's size
	p7           map[string]*sample // the JSON API list: JWT, cookie, floor
	live         liveResult         // PL
	p8           map[string]*sample // the big user's sorted, filtered and searched pages; the reference
	p8Names      []string           // P8's pages, in the table's order
	hwm, peakRSS int64              // P4: VmHWM after P1, largest VmRSS sampled during it
	appWeight    weight             // what the app's answers weigh (the floor pads to it)
	floorWeight  weight             // what the floor's weigh, measured the same way
}

// run seeds the database, starts the app (P5) and the floor, runs P1 (with P4), P2 and P3, prints
// the table to out and returns it; with o.Profile, it then profiles the app and the floor.
func run(ctx context.Context, o options, out io.Writer) (rep report, err error) {
	fmt.Fprintf(out, "bench: %d CPUs, %s; rounds %d × %s (P1), warm-up %s, floor query mode %q\n",
		runtime.NumCPU(), runtime.Version(), o.Rounds, o.Round, o.Warmup, o.FloorExec)
	t0 := time.Now()
	// Seeding writes many users' tasks at once: as the superuser, which row-level security lets by.
	fx, err := seed(ctx, o.AdminURL, o)
	if err != nil {
		return rep, err
	}
	bypassURL, err := prepareBypassRole(ctx, o.AdminURL, o.DatabaseURL)
	if err != nil {
		return rep, err
	}
	fmt.Fprintf(out, "seeded %d+%d users × %d tasks, one with %d, one with %d (%s)\n",
		o.Users, o.Users, o.UserTasks, o.MidTasks, o.BigTasks, fx.Took)
	env := []string{"DATABASE_URL=" + o.DatabaseURL, "BETTER_AUTH_SECRET=" + fx.Secret,
		// The API's tokens come from the benchmark's own key (seed.go), with its issuer; the per-user
		// limit stays on (its cost is measured) but above what the load reaches.
		"BETTER_AUTH_JWT_ISSUER=" + jwtIssuer, "BETTER_AUTH_JWT_AUDIENCE=" + jwtIssuer, "API_RATE_LIMIT=10000000"}
	self, err := os.Executable()
	if err != nil {
		return rep, err
	}

	var m measurements
	// P5: fresh starts, one after another; the last one stays up and serves the other scenarios,
	// so P4 measures a process whose whole life is known.
	var app *process
	for i := range o.Starts {
		if app, err = startProcess(ctx, "app", o.AppBinary, env); err != nil {
			return rep, err
		}
		m.starts = append(m.starts, app.ready)
		if i < o.Starts-1 {
			if err := app.stop(); err != nil {
				return rep, err
			}
		}
	}
	defer stopAtEnd(app, &err)
	// The floor's answers are padded to the app's weight, measured now.
	d := &driver{o: o, fx: fx, prefix: randomHex(6), bypassURL: bypassURL}
	if m.appWeight, err = d.weigh(ctx, app); err != nil {
		return rep, err
	}
	env = append(env, m.appWeight.env())
	floor, err := startProcess(ctx, "floor", self, append(env, "DATABASE_URL="+bypassURL, roleEnv+"="+roleFloor, "BENCH_FLOOR_EXEC="+o.FloorExec))
	if err != nil {
		return rep, err
	}
	defer stopAtEnd(floor, &err)
	// The same app, connected as a role that skips row-level security: what the policies cost.
	noRLS, err := startProcess(ctx, "app without row-level security", o.AppBinary, append(env, "DATABASE_URL="+bypassURL))
	if err != nil {
		return rep, err
	}
	defer stopAtEnd(noRLS, &err)
	if m.floorWeight, err = d.weigh(ctx, floor); err != nil {
		return rep, err
	}
	if err := d.check(ctx, app, floor); err != nil {
		return rep, err
	}
	if err := measure(ctx, d, app, noRLS, floor, &m); err != nil {
		return rep, err
	}
	if o.runs("PL") {
		if m.live, err = live(ctx, d, app, env); err != nil {
			return rep, fmt.Errorf("PL: %w", err)
		}
	}
	rep = tabulate(o, m)
	fmt.Fprintf(out, "P5 starts %v\n\n", roundAll(m.starts))
	rep.print(out)
	fmt.Fprintf(out, "\n(seeding and measuring took %s)\n", time.Since(t0).Round(100*time.Millisecond))

	if o.Profile != "" {
		if err := profileApp(ctx, d, self, env, o, out); err != nil {
			return rep, fmt.Errorf("profile: %w", err)
		}
	}
	return rep, nil
}

// stopAtEnd stops a server when run returns, reporting a failed stop unless run already failed.
func stopAtEnd(p *process, err *error) {
	if e := p.stop(); e != nil && *err == nil {
		*err = e
	}
}

// measure runs P1 (sampling the app's memory for P4), P2, P3, P6, P7 and P8, each as interleaved
// rounds (those o.runs).
func measure(ctx context.Context, d *driver, app, noRLS, floor *process, m *measurements) error {
	o, fx := d.o, d.fx
	var err error
	if o.runs("P1") {
		stopSampling := make(chan struct{})
		sampledPeak := app.sampleRSS(stopSampling)
		m.p1, err = interleave(ctx, o.Rounds, o.Round, o.Warmup,
			contender{"app", d.list(app, fx.List, o.Conns)}, contender{"floor", d.list(floor, fx.List, o.Conns)},
			contender{"app without RLS", d.list(noRLS, fx.List, o.Conns)})
		close(stopSampling)
		m.peakRSS = sampledPeak()
		if err != nil {
			return err
		}
		if _, m.hwm, err = app.memory(); err != nil {
			return err
		}
	}

	// P2: one connection (by default), the big user and the reference user in turns; the floor
	// alongside, to show how much of any difference is the database's.
	if o.runs("P2") {
		m.p2, err = interleave(ctx, o.Rounds, o.Round/3, o.Warmup/2,
			contender{"app big", d.list(app, []account{fx.Big}, o.P2Conns)},
			contender{"app mid", d.list(app, []account{fx.Mid}, o.P2Conns)},
			contender{"floor big", d.list(floor, []account{fx.Big}, o.P2Conns)},
			contender{"floor mid", d.list(floor, []account{fx.Mid}, o.P2Conns)})
		if err != nil {
			return err
		}
	}

	// P3: htmx adds, as the list page sends them, for users of their own (P1's keep 50 tasks).
	if o.runs("P3") {
		m.p3, err = interleave(ctx, o.Rounds, 2*o.Round/3, o.Warmup/2,
			contender{"app", d.create(app, fx.Create, o.Conns)}, contender{"floor", d.create(floor, fx.Create, o.Conns)},
			contender{"app without RLS", d.create(noRLS, fx.Create, o.Conns)})
		if err != nil {
			return err
		}
	}
	if o.runs("P6") {
		if m.p6App, m.p6Ref, err = grow(ctx, d, app, floor); err != nil {
			return err
		}
	}

	// P7: the JSON API's list of the P1 users (50 tasks each), with a JWT and with the cookie.
	if o.runs("P7") {
		m.p7, err = interleave(ctx, o.Rounds, 2*o.Round/3, o.Warmup/2,
			contender{"api jwt", d.apiList(app, fx.List, o.Conns, true)},
			contender{"api cookie", d.apiList(app, fx.List, o.Conns, false)},
			contender{"floor", d.apiList(floor, fx.List, o.Conns, false)})
		if err != nil {
			return err
		}
	}
	if o.runs("P8") {
		m.p8, m.p8Names, err = fields(ctx, d, app)
	}
	return err
}

// tabulate turns the measurements into the table: one row per target, and rows for information.
func tabulate(o options, m measurements) report {
	var rep report
	row := func(id, name string, g *goal, c cell) { rep.add(id, name, c.app, c.ref, c.ratio, g) }

	if m.p1 != nil {
		a, f := m.p1["app"], m.p1["floor"]
		row("P1", fmt.Sprintf("list page, %d tasks, %d conns: throughput", min(o.UserTasks, 100), o.Conns), &p1Throughput, throughputs(a, f))
		row("P1", "list page: p99 latency", &p1P99, latencies(a, f, 0.99))
		row("P1", "list page with row-level security vs without: throughput", &withRLS, throughputs(a, m.p1["app without RLS"]))
		row("", "list page: p50 latency", nil, latencies(a, f, 0.5))
		row("", "list page: server CPU per request", nil, cpuTimes(a, f))
		row("", "list page: bytes per answer (equal: app/floor measures code)", &equalBytes, sizes(a, f))
		row("", "list page: bytes per task", nil, cell{strconv.Itoa(m.appWeight.Task), strconv.Itoa(m.floorWeight.Task),
			ratio(float64(m.appWeight.Task), float64(m.floorWeight.Task))})
	}

	if m.p2 != nil {
		big, mid := m.p2["app big"], m.p2["app mid"]
		row("P2", fmt.Sprintf("first page, %d vs %d tasks: median", o.BigTasks, o.MidTasks), &p2Median, latencies(big, mid, 0.5))
		row("", "floor: the same two medians", nil, latencies(m.p2["floor big"], m.p2["floor mid"], 0.5))
		row("", fmt.Sprintf("first page, %d tasks: app vs floor median", o.BigTasks), nil, latencies(big, m.p2["floor big"], 0.5))
	}

	if m.p3 != nil {
		a, f := m.p3["app"], m.p3["floor"]
		row("P3", fmt.Sprintf("htmx create task, %d conns: throughput", o.Conns), &p3Throughput, throughputs(a, f))
		row("P3", "htmx create with row-level security vs without: throughput", &withRLS, throughputs(a, m.p3["app without RLS"]))
		row("", "htmx create task: p99 latency", nil, latencies(a, f, 0.99))
		row("", "htmx create task: server CPU per request", nil, cpuTimes(a, f))
		row("", "htmx create task: bytes per answer", nil, sizes(a, f))
	}

	if m.p6App != nil {
		var a6, f6 sample
		for i := range m.p6App {
			a6.merge(m.p6App[i])
			f6.merge(m.p6Ref[i])
		}
		row("P6", fmt.Sprintf("htmx create (title only), one new user 0 → %d tasks, %d conns: throughput", o.GrowTasks, o.Conns), &p6Throughput, throughputs(&a6, &f6))
		for i := range m.p6App {
			from := i * o.GrowBand
			row("", fmt.Sprintf("  the same, %d → %d tasks", from, min(from+o.GrowBand, o.GrowTasks)), nil, throughputs(&m.p6App[i], &m.p6Ref[i]))
		}
		row("", "  bytes per answer", nil, sizes(&a6, &f6))
	}

	if m.p7 != nil {
		jwt, cookie, f7 := m.p7["api jwt"], m.p7["api cookie"], m.p7["floor"]
		row("P7", fmt.Sprintf("API list (JSON, %d tasks), JWT vs cookie: throughput", min(o.UserTasks, 50)), &p7JWT, throughputs(jwt, cookie))
		row("", "API list with the cookie vs floor: throughput", nil, throughputs(cookie, f7))
		row("", "API list with a JWT vs floor: throughput", nil, throughputs(jwt, f7))
		row("", "API list, JWT vs cookie: p99 latency", nil, latencies(jwt, cookie, 0.99))
		row("", "API list, JWT vs cookie: server CPU per request", nil, cpuTimes(jwt, cookie))
	}

	if o.runs("PL") {
		liveRows(&rep, o, m.live)
	}
	if m.p8 != nil {
		tabulateFields(o, &rep, m.p8, m.p8Names)
	}

	if m.p1 != nil {
		row("P4", "app peak RSS during P1 (VmHWM)", &p4RSS, cell{mib(m.hwm), mib(p4Limit), ratio(float64(m.hwm), p4Limit)})
		row("", "app largest sampled VmRSS during P1", nil, cell{mib(m.peakRSS), mib(p4Limit), ratio(float64(m.peakRSS), p4Limit)})
	}

	starts := slices.Sorted(slices.Values(m.starts))
	med := starts[len(starts)/2]
	row("P5", fmt.Sprintf("start → /readyz 200, median of %d", len(starts)), &p5Start,
		cell{ms(med), ms(p5Limit), ratio(float64(med), float64(p5Limit))})

	for _, scenario := range []struct {
		id      string
		samples map[string]*sample
	}{{"P1", m.p1}, {"P2", m.p2}, {"P3", m.p3}, {"P7", m.p7}} {
		for _, name := range slices.Sorted(maps.Keys(scenario.samples)) {
			rep.count(scenario.id+" "+name, scenario.samples[name])
		}
	}
	return rep
}

// cell is a row's app value, its floor or reference value, and their ratio.
type cell struct {
	app, ref string
	ratio    float64
}

func throughputs(a, b *sample) cell {
	return cell{rps(a.Throughput()), rps(b.Throughput()), ratio(a.Throughput(), b.Throughput())}
}

func latencies(a, b *sample, q float64) cell {
	return cell{ms(a.Quantile(q)), ms(b.Quantile(q)), ratio(float64(a.Quantile(q)), float64(b.Quantile(q)))}
}

func cpuTimes(a, b *sample) cell {
	return cell{us(a.CPUPerRequest()), us(b.CPUPerRequest()), ratio(float64(a.CPUPerRequest()), float64(b.CPUPerRequest()))}
}

func sizes(a, b *sample) cell {
	return cell{strconv.FormatInt(a.AvgBytes(), 10), strconv.FormatInt(b.AvgBytes(), 10), ratio(float64(a.AvgBytes()), float64(b.AvgBytes()))}
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(100 * time.Microsecond)
	}
	return out
}
