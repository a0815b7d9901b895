package api

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// changingKeys is a key source whose keys a test replaces.
type changingKeys struct {
	mu        sync.Mutex
	published map[string]jose.JSONWebKey
}

func (c *changingKeys) set(keys map[string]jose.JSONWebKey) {
	c.mu.Lock()
	c.published = keys
	c.mu.Unlock()
}
func (c *changingKeys) String() string { return "changing keys" }
func (c *changingKeys) keys(context.Context) (map[string]jose.JSONWebKey, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.published, nil
}

// A token checked once is taken again without its signature being checked, but only within its own
// time window and while the keys are those it was checked against: past its exp it is refused, and
// once the keys are read again without its key, so is it.
func TestVerifiedTokensKeepToTheirWindowAndKeys(t *testing.T) {
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	const kid, iss, sub = "k1", "http://127.0.0.1:3201", "user-1"
	src := &changingKeys{published: map[string]jose.JSONWebKey{kid: {Key: pub, KeyID: kid, Algorithm: "EdDSA"}}}
	now := time.Now()
	v := &jwtVerifier{
		keys:       newKeyring(src, 0, time.Hour),
		algorithms: defaultAlgorithms, issuer: iss, audience: iss,
		now:      func() time.Time { return now },
		verified: newVerifiedTokens(),
	}
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	tok, err := jwt.Signed(signer).Claims(map[string]any{
		"sub": sub, "iss": iss, "aud": iss, "iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(),
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for range 3 { // the first check reads the keys, the second keeps the result, the third uses it
		if got, err := v.verify(ctx, tok); err != nil || got != sub {
			t.Fatalf("verify = %q, %v", got, err)
		}
	}
	if v.verified.Len() != 1 {
		t.Fatalf("%d tokens kept, want 1", v.verified.Len())
	}

	now = now.Add(15*time.Minute + clockLeeway + time.Second)
	if _, err := v.verify(ctx, tok); !errors.Is(err, errBadToken) {
		t.Fatalf("a kept token past its exp: %v, want refused", err)
	}

	now = now.Add(-15 * time.Minute) // within the window again
	if _, err := v.verify(ctx, tok); err != nil {
		t.Fatalf("within its window: %v", err)
	}
	src.set(map[string]jose.JSONWebKey{}) // Better Auth withdrew the key
	v.keys.mu.Lock()
	err = v.keys.readLocked(ctx)
	v.keys.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.verify(ctx, tok); !errors.Is(err, errBadToken) {
		t.Fatalf("a kept token whose key is withdrawn: %v, want refused", err)
	}
}
