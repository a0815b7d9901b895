package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"

	"todo/store"
	"todo/web/auth"
)

// jwtIssuer is the iss and aud of the benchmark's tokens; the app is started with it as
// BETTER_AUTH_JWT_ISSUER and BETTER_AUTH_JWT_AUDIENCE.
const jwtIssuer = "http://bench.example"

// jwtKey is an Ed25519 key written to the jwks table as Better Auth's jwt plugin writes its own
// (public JWK without kid and alg, the id as kid), so the app verifies the tokens it signs as it
// verifies Better Auth's.
type jwtKey struct {
	signer jose.Signer
}

func newJWTKey(ctx context.Context, st *store.Store) (jwtKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return jwtKey{}, err
	}
	kid := auth.NewID()
	jwk, err := jose.JSONWebKey{Key: pub}.MarshalJSON()
	if err != nil {
		return jwtKey{}, err
	}
	if _, err := st.Pool().Exec(ctx, `insert into jwks (id, public_key, private_key, created_at, alg, crv)
		values ($1, $2, '"not used by the benchmark"', now(), 'EdDSA', 'Ed25519')`, kid, string(jwk)); err != nil {
		return jwtKey{}, fmt.Errorf("seed jwks: %w", err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		return jwtKey{}, err
	}
	return jwtKey{signer: signer}, nil
}

// token is what the plugin signs for a user: its fields, sub, an hour's exp, iss and aud.
func (k jwtKey) token(userID string) (string, error) {
	now := time.Now()
	return jwt.Signed(k.signer).Claims(map[string]any{
		"iat": now.Unix(), "name": "Bench", "email": userID + "@example.com", "emailVerified": false, "image": nil,
		"id": userID, "sub": userID, "exp": now.Add(time.Hour).Unix(), "iss": jwtIssuer, "aud": jwtIssuer,
	}).Serialize()
}
