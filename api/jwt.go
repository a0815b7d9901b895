package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
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
}

// clockLeeway absorbs clock differences between the Better Auth server and this one in exp, nbf
// and iat.
const clockLeeway = 30 * time.Second

// errBadToken is a token refused for what it is (its signature, key, claims or form), as opposed to
// a key source that cannot be read (todo.ErrUnavailable).
var errBadToken = errors.New("invalid token")

// verify returns the user id (sub) of a valid token.
func (v *jwtVerifier) verify(ctx context.Context, raw string) (string, error) {
	// ParseSigned refuses any algorithm not in the list, and so "none" and every HMAC one.
	tok, err := jwt.ParseSigned(raw, v.algorithms)
	if err != nil {
		return "", fmt.Errorf("%w: %v", errBadToken, err)
	}
	if len(tok.Headers) != 1 {
		return "", fmt.Errorf("%w: one signature expected", errBadToken)
	}
	header := tok.Headers[0]
	if header.KeyID == "" {
		return "", fmt.Errorf("%w: the token names no key (kid)", errBadToken)
	}
	key, err := v.keys.key(ctx, header.KeyID)
	if errors.Is(err, errUnknownKey) {
		return "", fmt.Errorf("%w: %v", errBadToken, err)
	}
	if err != nil {
		return "", err
	}
	// A key is published for one algorithm; a token that claims another is not its signature.
	if key.Algorithm != "" && key.Algorithm != header.Algorithm {
		return "", fmt.Errorf("%w: the key is for %s, the token says %s", errBadToken, key.Algorithm, header.Algorithm)
	}
	var claims jwt.Claims
	if err := tok.Claims(key.Key, &claims); err != nil {
		return "", fmt.Errorf("%w: %v", errBadToken, err)
	}
	if claims.Expiry == nil {
		return "", fmt.Errorf("%w: the token has no expiry (exp)", errBadToken)
	}
	if strings.TrimSpace(claims.Subject) == "" {
		return "", fmt.Errorf("%w: the token names no user (sub)", errBadToken)
	}
	expected := jwt.Expected{Issuer: v.issuer, AnyAudience: jwt.Audience{v.audience}, Time: v.now()}
	if err := claims.ValidateWithLeeway(expected, clockLeeway); err != nil {
		return "", fmt.Errorf("%w: %v", errBadToken, err)
	}
	return claims.Subject, nil
}

// looksLikeJWT tells a compact JWS (three dot-separated parts) from a Better Auth session token,
// which is bare (no dot) or signed (one dot).
func looksLikeJWT(s string) bool { return strings.Count(s, ".") == 2 }
