package store

import (
	"context"
	"time"
	"todo/todo"
	"todo/web/auth"

	"github.com/jackc/pgx/v5"
)

// A user's sessions as the account page lists them and Better Auth's list-sessions returns them:
// the unexpired rows of sessions, whichever side wrote them.

// SessionInfo is one session of a user, without its token.
type SessionInfo struct {
	ID         string
	CreatedAt  time.Time
	LastActive time.Time // updated_at: when the session was issued or last refreshed
	ExpiresAt  time.Time
	IPAddress  string
	UserAgent  string
	Current    bool // the session whose token was passed to SessionsOf
}

// SessionsOf lists the user's unexpired sessions: the one with currentToken (the session making
// the request) first, then the most recently active. The token comparison happens in the database,
// so no token leaves it.
func (s *Store) SessionsOf(ctx context.Context, userID, currentToken string) ([]SessionInfo, error) {
	var out []SessionInfo
	batch := &pgx.Batch{}
	batch.Queue(`select id, created_at, updated_at, expires_at, coalesce(ip_address, ''), coalesce(user_agent, ''),
		        token = $2
		   from sessions
		  where user_id = $1 and expires_at > now()
		  order by token = $2 desc, updated_at desc, created_at desc, id`, userID, currentToken).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var si SessionInfo
			if err := rows.Scan(&si.ID, &si.CreatedAt, &si.LastActive, &si.ExpiresAt, &si.IPAddress, &si.UserAgent,
				&si.Current); err != nil {
				return err
			}
			out = append(out, si)
		}
		return rows.Err()
	})
	if err := s.pool.read(ownedBy(userID)).SendBatch(ctx, batch); err != nil {
		return nil, classify(err)
	}
	return out, nil
}

// RevokeSession deletes one session of the user by its id and reports whether it was the one with
// currentToken. A session of another user, or none, is todo.ErrNotFound, and nothing is deleted.
func (s *Store) RevokeSession(ctx context.Context, userID, sessionID, currentToken string) (bool, error) {
	var current bool
	err := s.pool.write(ownedBy(userID)).QueryRow(ctx,
		`delete from sessions where id = $1 and user_id = $2 returning token = $3`,
		sessionID, userID, currentToken).Scan(&current)
	return current, classify(err)
}

// RevokeOtherSessions deletes every session of the user but the one with keepToken, and says how
// many it deleted.
func (s *Store) RevokeOtherSessions(ctx context.Context, userID, keepToken string) (int64, error) {
	tag, err := s.pool.write(ownedBy(userID)).Exec(ctx, `delete from sessions where user_id = $1 and token <> $2`, userID, keepToken)
	if err != nil {
		return 0, classify(err)
	}
	return tag.RowsAffected(), nil
}

// LiveSession loads the session of a token as Better Auth does and says whether its expiry slid:
// an unknown or expired session is todo.ErrNotFound (an expired row is deleted, as Better Auth
// deletes it); one issued or refreshed at least a day ago gets a fresh expiry, same token. A session
// deleted between the read and its refresh (signed out, or its user deleted) is todo.ErrNotFound too.
// The HTML app and the JSON API both sign people in through it.
func (s *Store) LiveSession(ctx context.Context, token string, now time.Time) (se Session, refreshed bool, err error) {
	se, err = s.SessionByToken(ctx, token)
	if err != nil {
		return Session{}, false, err
	}
	if !se.ExpiresAt.After(now) {
		if err := s.DeleteSession(ctx, token); err != nil {
			return Session{}, false, err
		}
		return Session{}, false, todo.ErrNotFound
	}
	if !auth.NeedsRefresh(se.ExpiresAt, now) {
		return se, false, nil
	}
	se.ExpiresAt = now.Add(auth.SessionLifetime)
	if err := s.RefreshSession(ctx, token, se.ExpiresAt); err != nil {
		return Session{}, false, err
	}
	return se, true, nil
}
