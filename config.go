package main

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/joho/godotenv"

	"todo/api"
	"todo/clientaddr"
	"todo/mail"
	"todo/store"
	"todo/todo"
)

// config is everything the server reads at start-up, from the environment and .env.
type config struct {
	Pool           *pgxpool.Config
	Listen         *pgx.ConnConfig // DATABASE_LISTEN_URL, default DATABASE_URL: the live updates' LISTEN session
	Secret         string
	BaseURL        *url.URL
	Port           string
	ConnectTimeout time.Duration
	SMTP           *mail.Server         // SMTP_URL; nil: mail goes to the log
	MailFrom       *netmail.Address     // MAIL_FROM, default "Todo <no-reply@the BETTER_AUTH_URL host>"
	API            api.Settings         // CORS_ORIGINS, BETTER_AUTH_JWKS_URL, BETTER_AUTH_JWT_*, API_RATE_LIMIT
	Clients        *clientaddr.Resolver // TRUSTED_PROXIES; nil: none, the peer is the client
}

// minSecretLength is Better Auth's own minimum for BETTER_AUTH_SECRET.
const minSecretLength = 32

// loadConfig reads the environment, falling back to ./.env for variables the environment lacks.
func loadConfig(getenv func(string) string) (config, error) {
	dotenv, err := godotenv.Read(".env")
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		var pathErr *os.PathError
		if errors.As(err, &pathErr) {
			return config{}, fmt.Errorf(".env cannot be read: %v", pathErr.Err)
		}
		// godotenv's parse errors quote the rest of the file, which holds the secrets: say less.
		return config{}, errors.New(".env cannot be parsed: write one NAME=value per line (quote values with spaces or #)")
	}
	get := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return dotenv[name]
	}

	var cfg config
	if cfg.Pool, err = store.ParseURL(strings.TrimSpace(get("DATABASE_URL"))); err != nil {
		return config{}, err
	}
	cfg.Listen = store.ListenConfig(cfg.Pool)
	if v := strings.TrimSpace(get("DATABASE_LISTEN_URL")); v != "" {
		if cfg.Listen, err = store.ParseListenURL(v); err != nil {
			return config{}, err
		}
	}
	cfg.Secret = get("BETTER_AUTH_SECRET")
	if cfg.Secret == "" {
		return config{}, errors.New("BETTER_AUTH_SECRET is not set (use the Better Auth server's secret, at least 32 characters)")
	}
	if len(cfg.Secret) < minSecretLength {
		return config{}, fmt.Errorf("BETTER_AUTH_SECRET is too short: %d characters, at least %d", len(cfg.Secret), minSecretLength)
	}
	cfg.Port = get("PORT")
	if cfg.Port == "" {
		cfg.Port = "8080"
	}
	base := get("BETTER_AUTH_URL")
	if base == "" {
		base = "http://localhost:" + cfg.Port
	}
	cfg.BaseURL, err = url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (cfg.BaseURL.Scheme != "http" && cfg.BaseURL.Scheme != "https") || cfg.BaseURL.Host == "" {
		return config{}, fmt.Errorf("BETTER_AUTH_URL must be an http:// or https:// origin, got %q", base)
	}
	// The day "today" is in for due dates: an IANA zone name such as Europe/Berlin, default UTC.
	if v := get("TIME_ZONE"); v != "" {
		loc, err := time.LoadLocation(v)
		if err != nil {
			return config{}, fmt.Errorf("TIME_ZONE must be an IANA time zone such as Europe/Berlin, got %q", v)
		}
		todo.Location = loc
	}
	cfg.ConnectTimeout = 15 * time.Second
	if v := get("DB_CONNECT_TIMEOUT"); v != "" {
		if cfg.ConnectTimeout, err = time.ParseDuration(v); err != nil || cfg.ConnectTimeout <= 0 {
			return config{}, fmt.Errorf("DB_CONNECT_TIMEOUT must be a positive Go duration such as 15s, got %q", v)
		}
	}
	if v := strings.TrimSpace(get("SMTP_URL")); v != "" {
		server, err := mail.ParseURL(v)
		if err != nil {
			return config{}, err
		}
		cfg.SMTP = &server
	}
	from := get("MAIL_FROM")
	if from == "" {
		from = "Todo <no-reply@" + cfg.BaseURL.Hostname() + ">"
	}
	if cfg.MailFrom, err = mail.ParseFrom(from); err != nil {
		return config{}, err
	}
	if cfg.API, err = api.ParseSettings(get, cfg.BaseURL); err != nil {
		return config{}, err
	}
	if cfg.Clients, err = clientaddr.Parse(get("TRUSTED_PROXIES")); err != nil {
		return config{}, err
	}
	return cfg, nil
}
