package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

var ctx = context.Background()

// newUser creates a user with a credential account and returns its id.
func newUser(t testing.TB, s *store.Store, name string) string {
	t.Helper()
	u, err := s.CreateUser(ctx, store.NewUser{
		UserID: auth.NewID(), AccountID: auth.NewID(), Name: name,
		Email:        strings.ToLower(name) + "-" + strings.ToLower(auth.NewID()[:6]) + "@example.test",
		PasswordHash: "hash-not-used-here",
	})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func newSession(t *testing.T, s *store.Store, userID string) string {
	t.Helper()
	token := auth.NewID()
	if err := s.CreateSession(ctx, store.Session{ID: auth.NewID(), Token: token, UserID: userID,
		ExpiresAt: time.Now().Add(auth.SessionLifetime)}); err != nil {
		t.Fatal(err)
	}
	return token
}

func create(t *testing.T, tasks store.Tasks, title string) todo.Task {
	t.Helper()
	k, err := tasks.Create(ctx, todo.Input{Title: title})
	if err != nil {
		t.Fatalf("create %q: %v", title, err)
	}
	return k
}

func titles(ts []todo.Task) []string {
	out := make([]string, len(ts))
	for i, k := range ts {
		out[i] = k.Title
	}
	return out
}

func newStore(t *testing.T) *store.Store { return pgtest.NewStore(t) }

// walkPages follows List's "Load more" keysets from opts to the last page and returns the ids of
// every task the pages hold, in page order, and how many pages there were.
func walkPages(t *testing.T, tasks store.Tasks, opts store.ListOptions) (ids []int64, pages int) {
	t.Helper()
	for ; ; pages++ {
		page, err := tasks.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range page.Tasks {
			ids = append(ids, k.ID)
		}
		if page.Next.ID == 0 {
			return ids, pages + 1
		}
		opts.After, opts.AfterKey = page.Next.ID, page.Next.Key
	}
}
