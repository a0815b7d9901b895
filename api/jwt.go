package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	lru "github.com/hashicorp/golang-lru/v2"
)

// jwtVerifier checks the tokens of Better Auth's jwt plugin: a compact JWS signed with one of the
// configured public-key algorithms by a key Better Auth publishes, with the expected iss and aud,
// not expired (exp is required), not before its nbf, and naming a user in sub.
type jwtVerifier struct {
	keys       *keyring
	algorithms []jose.SignatureAlgorithm
	issuer     string
	audience   string
	now        func() time.Time
	verified   *lru.Cache[[sha256.Size]byte, verifiedToken] // nil: every token is checked in full
}

// verifiedToken is what a token's full check found: a client sends the same token with every
// request until it expires, and its signature (some 70 µs for EdDSA, more than the session lookup
// a cookie costs) need not be checked each time. A kept result holds only while the token's own
// time window does and while the keys it was checked against are the current ones: once the
// keyring reads the keys again (a key unknown, or the read older than its maximum age), every
// token is checked in full once more, so a key Better Auth withdrew stops working as before. A JWT
// cannot be revoked before its exp either way.
type verifiedToken struct {
	subject   string
	keys      *keySnapshot
	notBefore time.Time // zero: none
	expiry    time.Time
}

// verifiedTokens is how many checked tokens are kept (the most recently used), some 100 bytes each.
const verifiedTokens = 10_000

func newVerifiedTokens() *lru.Cache[[sha256.Size]byte, verifiedToken] {
	c, err := lru.New[[sha256.Size]byte, verifiedToken](verifiedTokens)
	if err != nil {
		panic(err) // only for a size below 1
	}
	return c
}

// clockLeeway absorbs clock differences between the Better Auth server and this one in exp, nbf
// and iat.
const clockLeeway = 30 * time.Second

// errBadToken is a token refused for what it is (its signature, key, claims or form), as opposed to
// a key source that cannot be read (todo.ErrUnavailable).
var errBadToken = errors.New("invalid token")

// verify returns the user id (sub) of a valid token.
func (v *jwtVerifier) verify(ctx context.Context, raw string) (string, error) {
	if v.verified == nil {
		sub, _, err := v.check(ctx, raw)
		return sub, err
	}
	sum := sha256.Sum256([]byte(raw))
	now := v.now()
	keys := v.keys.snapshot() // taken before a check: keys read during it count as new next time
	if c, ok := v.verified.Get(sum); ok && c.keys == keys &&
		now.Before(c.expiry.Add(clockLeeway)) && !now.Add(clockLeeway).Before(c.notBefore) {
		return c.subject, nil
	}
	sub, claims, err := v.check(ctx, raw)
	if err == nil && keys != nil {
		c := verifiedToken{subject: sub, keys: keys, expiry: claims.Expiry.Time()}
		if claims.NotBefore != nil {
			c.notBefore = claims.NotBefore.Time()
		}
		v.verified.Add(sum, c)
	}
	return sub, err
}

// check verifies a token in full: its form, key, signature and claims.
func (v *jwtVerifier) check(ctx context.Context, raw string) (string, *jwt.Claims, error) {
	// ParseSigned refuses any algorithm not in the list, and so "none" and every HMAC one.
	tok, err := jwt.ParseSigned(raw, v.algorithms)
	if err != nil {
		return "", nil, fmt.Errorf("%w: %v", errBadToken, err)
	}
	if len(tok.Headers) != 1 {
		return "", nil, fmt.Errorf("%w: one signature expected", errBadToken)
	}
	header := tok.Headers[0]
	if header.KeyID == "" {
		return "", nil, fmt.Errorf("%w: the token names no key (kid)", errBadToken)
	}
	key, err := v.keys.key(ctx, header.KeyID)
	if errors.Is(err, errUnknownKey) {
		return "", nil, fmt.Errorf("%w: %v", errBadToken, err)
	}
	if err != nil {
		return "", nil, err
	}
	// A key is published for one algorithm; a token that claims another is not its signature.
	if key.Algorithm != "" && key.Algorithm != header.Algorithm {
		return "", nil, fmt.Errorf("%w: the key is for %s, the token says %s", errBadToken, key.Algorithm, header.Algorithm)
	}
	var claims jwt.Claims
	if err := tok.Claims(key.Key, &claims); err != nil {
		return "", nil, fmt.Errorf("%w: %v", errBadToken, err)
	}
	if claims.Expiry == nil {
		return "", nil, fmt.Errorf("%w: the token has no expiry (exp)", errBadToken)
	}
	if strings.TrimSpace(claims.Subject) == "" {
		return "", nil, fmt.Errorf("%w: the token names no user (sub)", errBadToken)
	}
	expected := jwt.Expected{Issuer: v.issuer, AnyAudience: jwt.Audience{v.audience}, Time: v.now()}
	if err := claims.ValidateWithLeeway(expected, clockLeeway); err != nil {
		return "", nil, fmt.Errorf("%w: %v", errBadToken, err)
	}
	return claims.Subject, &claims, nil
}

// looksLikeJWT tells a compact JWS (three dot-separated parts) from a Better Auth session token,
// which is bare (no dot) or signed (one dot).
func looksLikeJWT(s string) bool { return strings.Count(s, ".") == 2 }
