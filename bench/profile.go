package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
)

// profileApp runs P1's and P3's loads against the app's handler and against the floor, each under
// a CPU profile (roles.go), and prints the top of each: the app's in full, the floor's for
// comparison. The files stay for `go tool pprof`.
func profileApp(ctx context.Context, d *driver, self string, env []string, o options, out io.Writer) error {
	base, err := filepath.Abs(o.Profile)
	if err != nil {
		return err
	}
	base = strings.TrimSuffix(base, ".prof")
	goBin, _ := exec.LookPath("go")
	for _, sc := range []struct {
		name string
		load func(p *process) runner
	}{
		{"P1", func(p *process) runner { return d.list(p, d.fx.List, o.Conns) }},
		{"P3", func(p *process) runner { return d.create(p, d.fx.Create, o.Conns) }},
	} {
		for _, role := range []string{roleApp, roleFloor} {
			file := base + ".prof"
			if sc.name != "P1" || role != roleApp {
				file = fmt.Sprintf("%s-%s-%s.prof", base, strings.ToLower(sc.name), role)
			}
			penv := env
			if role == roleFloor {
				penv = append(env[:len(env):len(env)], "DATABASE_URL="+d.bypassURL)
			}
			p, err := startProcess(ctx, role, self, append(penv, roleEnv+"="+role, "BENCH_PROFILE_OUT="+file, "BENCH_FLOOR_EXEC="+o.FloorExec))
			if err != nil {
				return err
			}
			s := sc.load(p)(ctx, o.ProfileDur)
			if err := p.stop(); err != nil {
				return err
			}
			if s.Failures > 0 {
				return fmt.Errorf("%s %s: %d requests failed, first: %s", sc.name, role, s.Failures, s.Failure)
			}
			fmt.Fprintf(out, "\n%s, CPU profile of the %s (%s, %.0f req/s, %s CPU per request): %s\n",
				sc.name, role, o.ProfileDur, s.Throughput(), us(s.CPUPerRequest()), file)
			if goBin == "" {
				fmt.Fprintf(out, "(go is not on PATH: read it with `go tool pprof -top %s`)\n", file)
				continue
			}
			views := [][]string{{"-top", "-nodecount=25"}, {"-top", "-cum", "-nodecount=45"}}
			if role == roleFloor {
				views = [][]string{{"-top", "-nodecount=12"}}
			}
			for _, v := range views {
				args := append(append([]string{"tool", "pprof"}, v...), file)
				cmd := exec.CommandContext(ctx, goBin, args...)
				cmd.Stdout, cmd.Stderr = out, out
				fmt.Fprintf(out, "$ go %s\n", strings.Join(args, " "))
				if err := cmd.Run(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
