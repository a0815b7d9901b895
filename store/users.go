package store

import (
	"context"
	"time"
	"todo/todo"

	"github.com/jackc/pgx/v5"
)

// The auth side, on Better Auth's tables. Ids, tokens and password hashes are made by the caller
// (web/auth) in Better Auth's formats; the store only reads and writes rows.

// User is a row of users.
type User struct {
	ID    string
	Name  string
	Email string
}

// NewUser is a sign-up: the user row and its credential account.
type NewUser struct {
	UserID       string
	AccountID    string // accounts.id; the account's account_id is the user id, as Better Auth requires
	Name         string
	Email        string // already trimmed and lowercased
	PasswordHash string // Better Auth's "salt:key" scrypt format
}

// Credential is what sign-in needs: the user and the stored password hash.
type Credential struct {
	User
	PasswordHash string
}

// Session is a row of sessions, with its user.
type Session struct {
	ID        string
	Token     string
	UserID    string
	ExpiresAt time.Time
	UpdatedAt time.Time
	IPAddress string
	UserAgent string
	User      User
}

// CreateUser writes the user and its credential account in one transaction.
// An email already taken (stored lowercased, so in any case) is todo.ErrConflict.
func (s *Store) CreateUser(ctx context.Context, u NewUser) (User, error) {
	now := time.Now()
	err := s.pool.inTx(ctx, ownedBy(u.UserID), func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx,
			`insert into users (id, name, email, email_verified, created_at, updated_at)
			 values ($1, $2, $3, false, $4, $4)`, u.UserID, u.Name, u.Email, now); err != nil {
			return err
		}
		_, err := tx.Exec(ctx,
			`insert into accounts (id, account_id, provider_id, user_id, password, created_at, updated_at)
			 values ($1, $2, 'credential', $2, $3, $4, $4)`, u.AccountID, u.UserID, u.PasswordHash, now)
		return err
	})
	if err != nil {
		return User{}, classify(err)
	}
	return User{ID: u.UserID, Name: u.Name, Email: u.Email}, nil
}

// CredentialByEmail finds the credential account of the user with this (lowercased) email.
func (s *Store) CredentialByEmail(ctx context.Context, email string) (Credential, error) {
	var c Credential
	err := s.pool.read(noOwner).QueryRow(ctx,
		`select u.id, u.name, u.email, a.password
		   from users u join accounts a on a.user_id = u.id and a.provider_id = 'credential'
		  where u.email = $1`, email).Scan(&c.ID, &c.Name, &c.Email, &c.PasswordHash)
	return c, classify(err)
}

// PasswordHash reads the credential password hash of a user.
func (s *Store) PasswordHash(ctx context.Context, userID string) (string, error) {
	var hash string
	err := s.pool.read(ownedBy(userID)).QueryRow(ctx,
		`select password from accounts where user_id = $1 and provider_id = 'credential'`, userID).Scan(&hash)
	return hash, classify(err)
}

// CreateSession writes a new session row. A user deleted meanwhile (between checking the password
// and this) is todo.ErrUserGone.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	now := time.Now()
	_, err := s.pool.write(ownedBy(se.UserID)).Exec(ctx,
		`insert into sessions (id, token, user_id, expires_at, created_at, updated_at, ip_address, user_agent)
		 values ($1, $2, $3, $4, $5, $5, $6, $7)`,
		se.ID, se.Token, se.UserID, se.ExpiresAt, now, se.IPAddress, se.UserAgent)
	return classify(err)
}

// SessionByToken finds a session and its user by token, expired or not (the caller decides). It runs
// for the session's user, whose counts it reads.
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	var se Session
	// Better Auth's tables only, which row-level security leaves alone: one plain statement, run for
	// nobody (the user is what it finds out).
	err := s.pool.read(noOwner).QueryRow(ctx,
		`select s.id, s.token, s.user_id, s.expires_at, s.updated_at, u.id, u.name, u.email
		   from sessions s join users u on u.id = s.user_id
		  where s.token = $1`, token).Scan(&se.ID, &se.Token, &se.UserID, &se.ExpiresAt, &se.UpdatedAt,
		&se.User.ID, &se.User.Name, &se.User.Email)
	return se, classify(err)
}

// RefreshSession slides a session's expiry (same token), as Better Auth does. A session deleted
// meanwhile (signed out elsewhere, its user deleted) is todo.ErrNotFound.
func (s *Store) RefreshSession(ctx context.Context, token string, expiresAt time.Time) error {
	tag, err := s.pool.write(noOwner).Exec(ctx,
		`update sessions set expires_at = $2, updated_at = now() where token = $1`, token, expiresAt)
	if err != nil {
		return classify(err)
	}
	if tag.RowsAffected() == 0 {
		return todo.ErrNotFound
	}
	return nil
}

// DeleteSession removes a session (sign-out, or an expired one found on use).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.pool.write(noOwner).Exec(ctx, `delete from sessions where token = $1`, token)
	return classify(err)
}

// DeleteUser removes a user; the foreign keys cascade to their tasks, sessions and accounts.
func (s *Store) DeleteUser(ctx context.Context, userID string) error {
	tag, err := s.pool.write(ownedBy(userID)).Exec(ctx, `delete from users where id = $1`, userID)
	if err != nil {
		return classify(err)
	}
	if tag.RowsAffected() == 0 {
		return todo.ErrNotFound
	}
	return nil
}
