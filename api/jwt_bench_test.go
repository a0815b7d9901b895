package api

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// fixedKeys is a key source that never changes, so the benchmark measures the verification alone.
type fixedKeys map[string]jose.JSONWebKey

func (f fixedKeys) keys(context.Context) (map[string]jose.JSONWebKey, error) { return f, nil }
func (fixedKeys) String() string                                             { return "fixed keys" }

// BenchmarkVerifyJWT is one verification of a Better Auth-shaped EdDSA token: parse, key lookup,
// Ed25519 signature, claims. make bench prints its µs per operation.
func BenchmarkVerifyJWT(b *testing.B) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	const kid, iss = "X0D8E148e9qcEwVbMtQDSUi2rMpwhz9U", "http://127.0.0.1:3201"
	v := &jwtVerifier{
		keys:       newKeyring(fixedKeys{kid: {Key: pub, KeyID: kid, Algorithm: "EdDSA"}}, time.Second, time.Hour),
		algorithms: defaultAlgorithms, issuer: iss, audience: iss, now: time.Now,
	}
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	now := time.Now()
	tok, err := jwt.Signed(signer).Claims(map[string]any{
		"iat": now.Unix(), "name": "Alice", "email": "alice@example.com", "emailVerified": false, "image": nil,
		"createdAt": "2026-12-03T08:22:40.304Z", "updatedAt": "2026-12-03T08:22:40.304Z",
		"id": "3bHVcltjgZjOaLMMZ9s4O11pQ77W8pbM", "sub": "3bHVcltjgZjOaLMMZ9s4O11pQ77W8pbM",
		"exp": now.Add(time.Hour).Unix(), "iss": iss, "aud": iss,
	}).Serialize()
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := v.verify(ctx, tok); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := v.verify(ctx, tok); err != nil {
			b.Fatal(err)
		}
	}
}
