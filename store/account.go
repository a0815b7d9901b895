package store

import (
	"context"
	"time"

	"todo/todo"

	"github.com/jackc/pgx/v5"
)

// The account page's writes on Better Auth's tables: the display name and the credential password.

// Profile is what the account page shows about the user.
type Profile struct {
	Name          string
	Email         string
	EmailVerified bool
	CreatedAt     time.Time
}

// ProfileOf reads the user's profile.
func (s *Store) ProfileOf(ctx context.Context, userID string) (Profile, error) {
	var p Profile
	err := s.pool.read(ownedBy(userID)).QueryRow(ctx,
		`select name, email, email_verified, created_at from users where id = $1`, userID).
		Scan(&p.Name, &p.Email, &p.EmailVerified, &p.CreatedAt)
	return p, classify(err)
}

// SetName changes the user's display name (already trimmed and checked).
func (s *Store) SetName(ctx context.Context, userID, name string) error {
	tag, err := s.pool.write(ownedBy(userID)).Exec(ctx, `update users set name = $2, updated_at = now() where id = $1`, userID, name)
	if err != nil {
		return classify(err)
	}
	if tag.RowsAffected() == 0 {
		return todo.ErrNotFound
	}
	return nil
}

// ChangePassword stores a new password hash on the user's credential account, as Better Auth's
// change-password does (password and updated_at). With revokeOthers it also deletes every other
// session of the user, in the same transaction; the session with keepToken stays.
func (s *Store) ChangePassword(ctx context.Context, userID, hash, keepToken string, revokeOthers bool) error {
	err := s.pool.inTx(ctx, ownedBy(userID), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx,
			`update accounts set password = $2, updated_at = now()
			  where user_id = $1 and provider_id = 'credential'`, userID, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return todo.ErrNotFound
		}
		if revokeOthers {
			_, err = tx.Exec(ctx, `delete from sessions where user_id = $1 and token <> $2`, userID, keepToken)
		}
		return err
	})
	return classify(err)
}

// UserByEmail finds the user with this (lowercased) email, with or without a password.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	var u User
	err := s.pool.read(noOwner).QueryRow(ctx, `select id, name, email from users where email = $1`, email).
		Scan(&u.ID, &u.Name, &u.Email)
	return u, classify(err)
}
