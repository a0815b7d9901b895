package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// Password-reset tokens, in Better Auth's verifications table and exactly its rows: identifier
// "reset-password:<token>", value the user id, an expiry. Either side accepts the other's tokens.

// ResetToken is a verifications row for a password reset.
type ResetToken struct {
	ID         string // 32 characters, like every Better Auth id
	Identifier string // "reset-password:<token>"
	UserID     string // verifications.value
	ExpiresAt  time.Time
}

// CreateResetToken writes a reset token row. Earlier tokens of the user stay valid until they
// expire or one of them is used, as with Better Auth.
func (s *Store) CreateResetToken(ctx context.Context, rt ResetToken) error {
	now := time.Now()
	_, err := s.pool.write(ownedBy(rt.UserID)).Exec(ctx,
		`insert into verifications (id, identifier, value, expires_at, created_at, updated_at)
		 values ($1, $2, $3, $4, $5, $5)`, rt.ID, rt.Identifier, rt.UserID, rt.ExpiresAt, now)
	return classify(err)
}

// ResetTokenByIdentifier finds a reset token row, expired or not (the caller decides). A token that
// was never made, or was used, is todo.ErrNotFound.
func (s *Store) ResetTokenByIdentifier(ctx context.Context, identifier string) (ResetToken, error) {
	var rt ResetToken
	err := s.pool.read(noOwner).QueryRow(ctx,
		`select id, identifier, value, expires_at from verifications where identifier = $1
		  order by created_at desc limit 1`, identifier).Scan(&rt.ID, &rt.Identifier, &rt.UserID, &rt.ExpiresAt)
	return rt, classify(err)
}

// ResetPassword uses a reset token once: in one transaction it deletes the token's row (it must
// still be there and unexpired, else todo.ErrNotFound and nothing changes), stores the new password
// hash on the user's credential account (creating that account, with newAccountID, for a user who
// had none, as Better Auth does) and deletes every session of the user. It returns the user id.
func (s *Store) ResetPassword(ctx context.Context, identifier, hash, newAccountID string) (string, error) {
	var userID string
	// The user is known only once the token is: the transaction runs for nobody, and the writes on
	// Better Auth's tables (which have no row-level security) name the user themselves.
	err := s.pool.inTx(ctx, noOwner, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx,
			`delete from verifications where id = (
			   select id from verifications where identifier = $1 and expires_at > now()
			    order by created_at desc limit 1 for update)
			 returning value`, identifier).Scan(&userID); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx,
			`update accounts set password = $2, updated_at = now()
			  where user_id = $1 and provider_id = 'credential'`, userID, hash)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			if _, err := tx.Exec(ctx,
				`insert into accounts (id, account_id, provider_id, user_id, password, created_at, updated_at)
				 values ($1, $2, 'credential', $2, $3, now(), now())`, newAccountID, userID, hash); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `delete from sessions where user_id = $1`, userID)
		return err
	})
	if err != nil {
		return "", classify(err)
	}
	return userID, nil
}

// DeleteExpiredResetTokens removes reset tokens that can no longer be used, so the table does not
// grow with links nobody followed.
func (s *Store) DeleteExpiredResetTokens(ctx context.Context) (int64, error) {
	tag, err := s.pool.write(noOwner).Exec(ctx,
		`delete from verifications where identifier like 'reset-password:%' and expires_at <= now()`)
	if err != nil {
		return 0, classify(err)
	}
	return tag.RowsAffected(), nil
}
