package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

func TestUsersAndSessions(t *testing.T) {
	s := newStore(t)
	u, err := s.CreateUser(ctx, store.NewUser{UserID: auth.NewID(), AccountID: auth.NewID(), Name: "Ann",
		Email: "ann@example.test", PasswordHash: "salt:key"})
	if err != nil {
		t.Fatal(err)
	}
	// The credential account is Better Auth's: provider "credential", account_id = the user id.
	var accountID, provider string
	if err := s.Pool().QueryRow(ctx, `select account_id, provider_id from accounts where user_id = $1`, u.ID).
		Scan(&accountID, &provider); err != nil || accountID != u.ID || provider != "credential" {
		t.Fatalf("account = %q %q %v", accountID, provider, err)
	}
	// The same email again, even with another user id, conflicts; nothing partial is left.
	_, err = s.CreateUser(ctx, store.NewUser{UserID: auth.NewID(), AccountID: auth.NewID(), Name: "Other",
		Email: "ann@example.test", PasswordHash: "x:y"})
	if !errors.Is(err, todo.ErrConflict) {
		t.Fatalf("duplicate email = %v, want todo.ErrConflict", err)
	}
	var users, accounts int
	s.Pool().QueryRow(ctx, `select (select count(*) from users), (select count(*) from accounts)`).Scan(&users, &accounts)
	if users != 1 || accounts != 1 {
		t.Fatalf("%d users, %d accounts after a refused sign-up", users, accounts)
	}

	c, err := s.CredentialByEmail(ctx, "ann@example.test")
	if err != nil || c.ID != u.ID || c.PasswordHash != "salt:key" || c.Name != "Ann" {
		t.Fatalf("credential = %+v, %v", c, err)
	}
	if _, err := s.CredentialByEmail(ctx, "nobody@example.test"); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("unknown email = %v", err)
	}
	if h, err := s.PasswordHash(ctx, u.ID); err != nil || h != "salt:key" {
		t.Fatalf("PasswordHash = %q, %v", h, err)
	}

	token := newSession(t, s, u.ID)
	se, err := s.SessionByToken(ctx, token)
	if err != nil || se.User.ID != u.ID || se.User.Email != "ann@example.test" || time.Until(se.ExpiresAt) < 6*24*time.Hour {
		t.Fatalf("session = %+v, %v", se, err)
	}
	later := time.Now().Add(auth.SessionLifetime + time.Hour).Truncate(time.Microsecond)
	if err := s.RefreshSession(ctx, token, later); err != nil {
		t.Fatal(err)
	}
	if se, _ := s.SessionByToken(ctx, token); !se.ExpiresAt.Equal(later) || se.Token != token {
		t.Fatalf("refreshed session = %+v", se)
	}
	if err := s.DeleteSession(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, token); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("deleted session = %v", err)
	}
	if err := s.RefreshSession(ctx, token, later); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("refresh of a deleted session = %v", err)
	}
}

func TestParseURLAcceptsNeonsFormAndHidesPasswords(t *testing.T) {
	neon := "postgresql://alex:AbC123dEf@ep-cool-darkness-123456-pooler.us-east-2.aws.neon.tech/dbname?sslmode=require&channel_binding=require"
	cfg, err := store.ParseURL(neon)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.ConnConfig.TLSConfig == nil || cfg.ConnConfig.ChannelBinding != "require" || cfg.ConnConfig.Database != "dbname" {
		t.Fatalf("parsed %+v", cfg.ConnConfig)
	}
	for _, bad := range []string{"", "postgres://u:s3cr3t-pw@host:notaport/db", "://u:s3cr3t-pw@"} {
		_, err := store.ParseURL(bad)
		if err == nil {
			t.Fatalf("%q parsed", bad)
		}
		if msg := err.Error(); len(bad) > 0 && (strings.Contains(msg, "s3cr3t-pw") || !strings.Contains(msg, "DATABASE_URL")) {
			t.Fatalf("error %q leaks the password or does not name the variable", msg)
		}
	}
}
