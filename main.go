// Command todo serves the multi-user todo app. It takes no flags: configuration comes from the
// environment and from a .env file in the working directory (see config.go and the README).
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"todo/api"
	"todo/live"
	"todo/mail"
	"todo/store"
	"todo/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second signal kills at once, should the graceful stop ever stall
	}()
	tuneGC(os.Getenv)
	if err := run(ctx, os.Args, os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "todo: %v\n", err)
		os.Exit(1)
	}
}

// shutdownGrace is how long the whole shutdown after SIGTERM/SIGINT may take: in-flight requests
// finishing, then the pool closing.
const shutdownGrace = 10 * time.Second

// run starts the server and blocks until ctx is cancelled (a signal) or serving fails.
// The returned error is one line, fit for stderr, that never contains the database password.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewJSONHandler(stdout, nil))

	// Bind first so the port is known (and a busy port reported) before waiting on the database.
	listener, err := net.Listen("tcp", net.JoinHostPort("", cfg.Port))
	if err != nil {
		return fmt.Errorf("cannot listen on port %s: %w", cfg.Port, err)
	}
	defer listener.Close()

	// Wait for the database (a Neon compute may be waking up), retrying with backoff up to
	// DB_CONNECT_TIMEOUT. A wrong password or database name ends the wait at once.
	logger.Info("connecting to the database", "host", cfg.Pool.ConnConfig.Host, "database", cfg.Pool.ConnConfig.Database,
		"timeout", cfg.ConnectTimeout.String())
	connectCtx, cancel := context.WithTimeout(ctx, cfg.ConnectTimeout)
	db, err := store.Open(connectCtx, cfg.Pool)
	timedOut := connectCtx.Err() != nil
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted while waiting for the database: a normal stop
		}
		if timedOut {
			return fmt.Errorf("DATABASE_URL: gave up after DB_CONNECT_TIMEOUT=%s: %v", cfg.ConnectTimeout, err)
		}
		return fmt.Errorf("DATABASE_URL: %v", err)
	}
	logger.Info("database ready")
	// Row-level security is the second wall between users; a role that skips it leaves one.
	if role, err := db.Role(ctx); err == nil && role.SkipsRowLevelSecurity() {
		logger.Warn("the database role skips row-level security (a superuser or BYPASSRLS): only the app's own user_id filters keep users apart; connect as a non-superuser role that owns the database",
			"role", role.Name, "superuser", role.Superuser, "bypassrls", role.BypassRLS)
	}

	var mailer mail.Sender
	if cfg.SMTP != nil {
		mailer = mail.NewSMTP(*cfg.SMTP, cfg.MailFrom, nil)
		logger.Info("mail goes out through SMTP", "server", cfg.SMTP.String(), "from", cfg.MailFrom.String())
	} else {
		logger.Warn("SMTP_URL is not set: mail (password-reset links) is written to this log instead of being sent")
	}
	jsonAPI, err := api.New(api.Config{
		Logger:     logger,
		Store:      db,
		Secret:     cfg.Secret,
		BaseURL:    cfg.BaseURL,
		Settings:   cfg.API,
		ClientAddr: cfg.Clients,
	})
	if err != nil {
		return err
	}
	// Live updates: a LISTEN session of its own (DATABASE_LISTEN_URL), held while pages are open.
	hub := live.NewHub(logger, live.Options{})
	listenCtx, stopListening := context.WithCancel(context.WithoutCancel(ctx))
	listening := make(chan struct{})
	go func() {
		defer close(listening)
		hub.Run(listenCtx, cfg.Listen)
	}()
	defer func() {
		stopListening()
		<-listening
	}()
	handler, err := web.NewServer(web.Config{
		Logger:     logger,
		Store:      db,
		Secret:     cfg.Secret,
		BaseURL:    cfg.BaseURL,
		Mail:       mailer,
		API:        jsonAPI,
		ClientAddr: cfg.Clients,
		Live:       hub,
	})
	if err != nil {
		db.Close()
		return err
	}
	server := web.NewHTTPServer(handler, logger)
	server.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	// Shutdown waits for requests to finish, and a stream never does by itself: end them first.
	server.RegisterOnShutdown(hub.Close)
	logger.Info("listening", "addr", listener.Addr().String(), "url", cfg.BaseURL.String())

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()

	select {
	case err := <-served:
		db.Close()
		return fmt.Errorf("server stopped: %w", err)
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish (each is bounded by its own deadline), then close
	// the pool: all of it within shutdownGrace. Closing a connection whose database does not answer
	// waits up to 15 s for its cancel request; past the grace it is left to the process's exit.
	logger.Info("shutting down", "grace", shutdownGrace.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := server.Shutdown(shutdownCtx); err != nil {
		logger.Warn("requests still running after the grace period were cut", "err", err.Error())
		server.Close()
	}
	logger.Info("stopped serving")
	stopListening()
	<-listening
	if err := db.Shutdown(shutdownCtx); err != nil {
		logger.Warn("database connections still closing after the grace period were cut", "err", err.Error())
		return nil
	}
	logger.Info("database pool closed")
	return nil
}
