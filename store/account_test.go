package store_test

import (
	"errors"
	"testing"
	"time"

	"todo/store"
	"todo/todo"
	"todo/web/auth"
)

func TestSessionsOfAndRevoke(t *testing.T) {
	s := newStore(t)
	ann, bob := newUser(t, s, "Ann"), newUser(t, s, "Bob")
	here, there, bobs := newSession(t, s, ann), newSession(t, s, ann), newSession(t, s, bob)
	expired := newSession(t, s, ann)
	if _, err := s.Pool().Exec(ctx, `update sessions set expires_at = now() - interval '1 second' where token = $1`, expired); err != nil {
		t.Fatal(err)
	}
	list, err := s.SessionsOf(ctx, ann, here)
	if err != nil || len(list) != 2 || !list[0].Current || list[1].Current {
		t.Fatalf("SessionsOf = %+v, %v; want two, the current first", list, err)
	}
	var thereID, bobsID string
	s.Pool().QueryRow(ctx, `select id from sessions where token = $1`, there).Scan(&thereID)
	s.Pool().QueryRow(ctx, `select id from sessions where token = $1`, bobs).Scan(&bobsID)
	if _, err := s.RevokeSession(ctx, ann, bobsID, here); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("revoking another user's session = %v", err)
	}
	if current, err := s.RevokeSession(ctx, ann, thereID, here); err != nil || current {
		t.Fatalf("RevokeSession = %v, %v", current, err)
	}
	if _, err := s.RevokeSession(ctx, ann, thereID, here); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("revoking twice = %v", err)
	}
	newSession(t, s, ann)
	if n, err := s.RevokeOtherSessions(ctx, ann, here); err != nil || n != 2 { // the new one and the expired one
		t.Fatalf("RevokeOtherSessions = %d, %v", n, err)
	}
	if _, err := s.SessionByToken(ctx, bobs); err != nil {
		t.Fatal("another user's session was revoked")
	}
}

func TestNamePasswordAndResetTokens(t *testing.T) {
	s := newStore(t)
	ann := newUser(t, s, "Ann")
	here, there := newSession(t, s, ann), newSession(t, s, ann)
	if err := s.SetName(ctx, ann, "Ann Lee"); err != nil {
		t.Fatal(err)
	}
	if p, err := s.ProfileOf(ctx, ann); err != nil || p.Name != "Ann Lee" || p.EmailVerified {
		t.Fatalf("ProfileOf = %+v, %v", p, err)
	}
	if err := s.SetName(ctx, "nobody", "X"); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("SetName of nobody = %v", err)
	}
	if err := s.ChangePassword(ctx, ann, "h1", here, false); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.PasswordHash(ctx, ann); h != "h1" {
		t.Fatalf("hash %q", h)
	}
	if err := s.ChangePassword(ctx, ann, "h2", here, true); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByToken(ctx, there); !errors.Is(err, todo.ErrNotFound) {
		t.Fatal("revokeOthers kept the other session")
	}
	if _, err := s.SessionByToken(ctx, here); err != nil {
		t.Fatal("revokeOthers ended this session")
	}

	token := auth.NewResetToken()
	id := auth.ResetIdentifier(token)
	if err := s.CreateResetToken(ctx, store.ResetToken{ID: auth.NewID(), Identifier: id, UserID: ann, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if rt, err := s.ResetTokenByIdentifier(ctx, id); err != nil || rt.UserID != ann {
		t.Fatalf("ResetTokenByIdentifier = %+v, %v", rt, err)
	}
	if user, err := s.ResetPassword(ctx, id, "h3", auth.NewID()); err != nil || user != ann {
		t.Fatalf("ResetPassword = %q, %v", user, err)
	}
	if h, _ := s.PasswordHash(ctx, ann); h != "h3" {
		t.Fatalf("hash after reset %q", h)
	}
	if _, err := s.SessionByToken(ctx, here); !errors.Is(err, todo.ErrNotFound) {
		t.Fatal("a session survived the reset")
	}
	if _, err := s.ResetPassword(ctx, id, "h4", auth.NewID()); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("second use = %v", err)
	}
	// Expired: refused, and swept.
	old := auth.ResetIdentifier(auth.NewResetToken())
	s.CreateResetToken(ctx, store.ResetToken{ID: auth.NewID(), Identifier: old, UserID: ann, ExpiresAt: time.Now().Add(-time.Second)})
	s.Pool().Exec(ctx, `insert into verifications (id, identifier, value, expires_at) values ('v1', 'email-verification:x', 'y', now() - interval '1 day')`)
	if _, err := s.ResetPassword(ctx, old, "h5", auth.NewID()); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("expired token = %v", err)
	}
	if n, err := s.DeleteExpiredResetTokens(ctx); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredResetTokens = %d, %v; want only the expired reset token", n, err)
	}
	if h, _ := s.PasswordHash(ctx, ann); h != "h3" {
		t.Fatal("a refused reset changed the password")
	}
}
