// Package pgtest gives each test a scratch PostgreSQL database with the app's schema, cloned from the
// template that `make test` builds with dbmate (TEST_DATABASE_URL names it). Real database, no mocks.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"todo/store"
)

// TemplateURL is the URL of the migrated template database, set by `make test`.
func TemplateURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("TEST_DATABASE_URL")
	if u == "" {
		t.Fatal("TEST_DATABASE_URL is not set: run the tests with `make test`, which starts PostgreSQL and migrates a template")
	}
	return u
}

// NewDatabase creates an empty-of-data database with the app's schema and returns its URL.
// It is dropped when the test ends.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return create(t, "template "+pgx.Identifier{templateName(t)}.Sanitize())
}

// NewEmptyDatabase creates a database with no schema at all (for migration tests).
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	return create(t, "template template0")
}

func templateName(t testing.TB) string {
	u, _ := url.Parse(TemplateURL(t))
	return strings.TrimPrefix(u.Path, "/")
}

func create(t testing.TB, from string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	u, drop, err := createFrom(ctx, TemplateURL(t), t.Name(), from)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Error(err)
		}
	})
	return u
}

// CreateDatabase is NewDatabase for callers that have no testing.TB (a TestMain): it clones the
// template into a scratch database named after label and returns its URL and the function that drops it.
func CreateDatabase(ctx context.Context, label string) (dbURL string, drop func() error, err error) {
	raw := os.Getenv("TEST_DATABASE_URL")
	if raw == "" {
		return "", nil, errors.New("TEST_DATABASE_URL is not set: run the tests with `make test` or scripts/test.sh")
	}
	tmpl, err := databaseName(raw)
	if err != nil {
		return "", nil, err
	}
	return createFrom(ctx, raw, label, "template "+pgx.Identifier{tmpl}.Sanitize())
}

func databaseName(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("TEST_DATABASE_URL: %v", err)
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}

// withName returns raw with its database name replaced.
func withName(raw, name string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("TEST_DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String(), nil
}

// createFrom creates a uniquely named database ("create database … <from>") on the server of
// templateURL and returns its URL and a function that drops it.
func createFrom(ctx context.Context, templateURL, label, from string) (string, func() error, error) {
	admin, err := withName(templateURL, "postgres")
	if err != nil {
		return "", nil, err
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	name := "test_" + strings.ToLower(sanitize(label)) + "_" + hex.EncodeToString(suffix)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", nil, fmt.Errorf("connect to test PostgreSQL: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "create database "+pgx.Identifier{name}.Sanitize()+" "+from); err != nil {
		return "", nil, fmt.Errorf("create test database: %v", err)
	}
	// Dropped as the superuser when there is one: a test's superuser connections (Admin) may still be
	// ending on the server, and only a superuser may end them.
	dropper := admin
	if raw := os.Getenv("TEST_ADMIN_DATABASE_URL"); raw != "" {
		dropper = raw
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dropper)
		if err != nil {
			return fmt.Errorf("drop test database: %v", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "drop database if exists "+pgx.Identifier{name}.Sanitize()+" with (force)"); err != nil {
			return fmt.Errorf("drop test database: %v", err)
		}
		return nil
	}
	u, err := withName(templateURL, name)
	return u, drop, err
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 30 {
			break
		}
	}
	return b.String()
}

// NewStore opens a store on a fresh scratch database.
func NewStore(t testing.TB) *store.Store {
	t.Helper()
	return OpenStore(t, NewDatabase(t))
}

// OpenStore opens a store on an existing database URL, closed when the test ends.
func OpenStore(t testing.TB, databaseURL string) *store.Store {
	t.Helper()
	cfg, err := store.ParseURL(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// Admin opens a pool on the database of databaseURL as the cluster's superuser, which row-level
// security does not restrict: for seeding many users' rows at once and for checking what is stored,
// around the policies the app's own role is held to.
func Admin(t testing.TB, databaseURL string) *pgxpool.Pool {
	t.Helper()
	u := AdminURL(t, databaseURL)
	name, _ := databaseName(u)
	// One pool per test and database, however often a test asks for it.
	adminPools.Lock()
	defer adminPools.Unlock()
	key := adminKey{t, name}
	if pool, ok := adminPools.m[key]; ok {
		return pool
	}
	pool := Pool(t, u)
	adminPools.m[key] = pool
	t.Cleanup(func() {
		adminPools.Lock()
		delete(adminPools.m, key)
		adminPools.Unlock()
	})
	return pool
}

type adminKey struct {
	t        testing.TB
	database string
}

var adminPools = struct {
	sync.Mutex
	m map[adminKey]*pgxpool.Pool
}{m: map[adminKey]*pgxpool.Pool{}}

// AdminURL is the URL of databaseURL's database as the cluster's superuser.
func AdminURL(t testing.TB, databaseURL string) string {
	t.Helper()
	raw := os.Getenv("TEST_ADMIN_DATABASE_URL")
	if raw == "" {
		t.Fatal("TEST_ADMIN_DATABASE_URL is not set: run the tests with `make test` or scripts/test.sh")
	}
	name, err := databaseName(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	u, err := withName(raw, name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// AdminOf is Admin for the database a store is open on.
func AdminOf(t testing.TB, s *store.Store) *pgxpool.Pool {
	t.Helper()
	cfg := s.Pool().Config().ConnConfig
	return Admin(t, "postgres://"+cfg.Host+"/"+cfg.Database)
}

// Pool opens a raw pool on a database URL, for checks that go around the store.
func Pool(t testing.TB, databaseURL string) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}
