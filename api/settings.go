package api

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Settings are the API's part of the environment.
type Settings struct {
	// CORSOrigins may call the API from a browser (CORS_ORIGINS, comma-separated): they get CORS
	// answers with credentials, and their cookie-carrying state changes are not refused as cross-origin.
	CORSOrigins []string
	// JWKSURL is Better Auth's JWKS endpoint (BETTER_AUTH_JWKS_URL); "" reads the jwks table instead.
	JWKSURL string
	// Issuer and Audience are what a JWT's iss and aud must be (BETTER_AUTH_JWT_ISSUER,
	// BETTER_AUTH_JWT_AUDIENCE; both default to the origin of BETTER_AUTH_URL, as Better Auth sets them).
	Issuer, Audience string
	// Algorithms a JWT may be signed with (BETTER_AUTH_JWT_ALGORITHMS, default EdDSA,ES256,RS256).
	Algorithms []jose.SignatureAlgorithm
	// RateLimit is how many requests one user may make per minute (API_RATE_LIMIT, default 6000;
	// 0 turns it off).
	RateLimit int
}

// defaultAlgorithms are the jwt plugin's default (EdDSA) and the two other common choices.
var defaultAlgorithms = []jose.SignatureAlgorithm{jose.EdDSA, jose.ES256, jose.RS256}

// publicKeyAlgorithms are the ones a JWT may be configured to use: signatures with a public key.
// HMAC (HS256…) is never among them: its key is a shared secret that would let any holder mint tokens.
var publicKeyAlgorithms = map[string]jose.SignatureAlgorithm{
	"EdDSA": jose.EdDSA, "ES256": jose.ES256, "ES384": jose.ES384, "ES512": jose.ES512,
	"RS256": jose.RS256, "RS384": jose.RS384, "RS512": jose.RS512,
	"PS256": jose.PS256, "PS384": jose.PS384, "PS512": jose.PS512,
}

const defaultRateLimit = 6000

// ParseSettings reads the API's variables through get (the environment, then .env). base is the
// parsed BETTER_AUTH_URL. Its errors name the variable and say what it expects.
func ParseSettings(get func(string) string, base *url.URL) (Settings, error) {
	origin := base.Scheme + "://" + base.Host
	s := Settings{Issuer: origin, Audience: origin, Algorithms: defaultAlgorithms, RateLimit: defaultRateLimit}
	for _, o := range strings.Split(get("CORS_ORIGINS"), ",") {
		if o = strings.TrimSpace(o); o == "" {
			continue
		}
		canonical, err := parseOrigin(o)
		if err != nil {
			return Settings{}, fmt.Errorf("CORS_ORIGINS: %q %v", o, err)
		}
		s.CORSOrigins = append(s.CORSOrigins, canonical)
	}
	if v := strings.TrimSpace(get("BETTER_AUTH_JWKS_URL")); v != "" {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Settings{}, fmt.Errorf("BETTER_AUTH_JWKS_URL must be an http:// or https:// URL, got %q", v)
		}
		s.JWKSURL = u.String()
	}
	if v := strings.TrimSpace(get("BETTER_AUTH_JWT_ISSUER")); v != "" {
		s.Issuer = v
	}
	if v := strings.TrimSpace(get("BETTER_AUTH_JWT_AUDIENCE")); v != "" {
		s.Audience = v
	}
	if v := strings.TrimSpace(get("BETTER_AUTH_JWT_ALGORITHMS")); v != "" {
		s.Algorithms = nil
		for _, name := range strings.Split(v, ",") {
			name = strings.TrimSpace(name)
			alg, ok := publicKeyAlgorithms[name]
			if !ok {
				return Settings{}, fmt.Errorf("BETTER_AUTH_JWT_ALGORITHMS: %q is not a public-key JWS algorithm (use EdDSA, ES256, ES384, ES512, RS256, PS256, …)", name)
			}
			s.Algorithms = append(s.Algorithms, alg)
		}
	}
	if v := strings.TrimSpace(get("API_RATE_LIMIT")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Settings{}, fmt.Errorf("API_RATE_LIMIT must be a number of requests per minute (0: no limit), got %q", v)
		}
		s.RateLimit = n
	}
	return s, nil
}

// parseOrigin checks an origin (scheme://host[:port], nothing after) and returns it lowercased, as a
// browser sends it in Origin.
func parseOrigin(o string) (string, error) {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("is not an origin (write scheme://host[:port], e.g. https://app.example.com)")
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), nil
}

// refetchInterval bounds how often an unknown key id makes the keys be read again: a rotated key is
// found within that time, and a flood of made-up key ids costs one read per interval.
const refetchInterval = 10 * time.Second

// keysMaxAge is how long a read of the keys is trusted before it is refreshed in the background,
// so a key Better Auth stops publishing stops being accepted.
const keysMaxAge = 5 * time.Minute
