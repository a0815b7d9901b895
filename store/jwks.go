package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// PublicKey is the public half of a key of Better Auth's jwt plugin, as its jwks table holds it: the
// JWK JSON without kid and alg (the row's id is the kid, alg and crv have columns of their own).
type PublicKey struct {
	ID        string
	JWK       string // public_key: {"crv":"Ed25519","x":"…","kty":"OKP"}
	Alg       string // "" when the row leaves it NULL (rows from before the plugin stored it)
	ExpiresAt *time.Time
}

// JWKGracePeriod is how long after its expires_at Better Auth still publishes a rotated-out key
// (its jwks.gracePeriod default): tokens it signed stay verifiable until then.
const JWKGracePeriod = 30 * 24 * time.Hour

// PublicKeys reads every key Better Auth's JWKS endpoint would publish now: no expiry, or one that is
// less than JWKGracePeriod ago. The private keys are never read.
func (s *Store) PublicKeys(ctx context.Context) ([]PublicKey, error) {
	var keys []PublicKey
	batch := &pgx.Batch{}
	batch.Queue(`select id, public_key, coalesce(alg, ''), expires_at from jwks
		  where expires_at is null or expires_at + make_interval(secs => $1) > now()
		  order by created_at`, JWKGracePeriod.Seconds()).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var k PublicKey
			if err := rows.Scan(&k.ID, &k.JWK, &k.Alg, &k.ExpiresAt); err != nil {
				return err
			}
			keys = append(keys, k)
		}
		return rows.Err()
	})
	// Better Auth's key table, no user's data: read for nobody.
	if err := s.pool.read(noOwner).SendBatch(ctx, batch); err != nil {
		return nil, classify(err)
	}
	return keys, nil
}
