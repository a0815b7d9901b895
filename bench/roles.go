package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"

	"todo/store"
	"todo/web"
)

// roleEnv names the role a bench process plays when the benchmark starts it: the servers run as
// processes of their own, like the app, so that none of them shares a runtime (scheduler, GC) with
// the load generator.
const roleEnv = "BENCH_ROLE"

const (
	roleFloor = "floor" // the floor server (floor.go)
	roleApp   = "app"   // the app's handler, in a process that can be profiled (BENCH_PROFILE)
)

// profiled runs serve with the CPU profile running when out names a file, written when serve returns.
func profiled(out string, serve func() error) error {
	if out == "" {
		return serve()
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return err
	}
	err = serve()
	pprof.StopCPUProfile()
	if err != nil {
		return err
	}
	return f.Close()
}

// runRole runs a server role until SIGTERM and returns the exit code.
func runRole(role string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := profiled(os.Getenv("BENCH_PROFILE_OUT"), func() error {
		switch role {
		case roleFloor:
			w, err := parseWeight(os.Getenv(weightEnv))
			if err != nil {
				return err
			}
			return floorServe(ctx, os.Getenv("DATABASE_URL"), os.Getenv("BETTER_AUTH_SECRET"), os.Getenv("PORT"), os.Getenv("BENCH_FLOOR_EXEC"), w)
		case roleApp:
			return serveApp(ctx)
		}
		return fmt.Errorf("unknown %s %q", roleEnv, role)
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench %s: %v\n", role, err)
		return 1
	}
	return 0
}

// serveApp serves the app's real handler (web.NewServer on store.Open, configured as main.go
// configures it: same pool settings, JSON request log on stdout, same http.Server timeouts) until
// SIGTERM. It exists so that the app can be profiled with runtime/pprof without giving the
// production binary a pprof endpoint.
func serveApp(ctx context.Context) error {
	cfg, err := store.ParseURL(os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	base, err := url.Parse(os.Getenv("BETTER_AUTH_URL"))
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	openCtx, cancel := context.WithTimeout(ctx, 15*time.Second)
	db, err := store.Open(openCtx, cfg)
	cancel()
	if err != nil {
		return err
	}
	defer db.Close()
	handler, err := web.NewServer(web.Config{Logger: logger, Store: db, Secret: os.Getenv("BETTER_AUTH_SECRET"), BaseURL: base})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("", os.Getenv("PORT")))
	if err != nil {
		return err
	}
	srv := web.NewHTTPServer(handler, logger) // the app's own settings, so its profile is the app's
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
