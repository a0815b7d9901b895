package api_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"todo/api"
	"todo/web/auth"
)

// Tokens signed by a published key with EdDSA, ES256 or RS256 get in; every other token is 401:
// expired, not yet valid, another issuer or audience, signed by another key, alg none, HS256 with
// the shared secret, a key used with another algorithm than its own, no exp, no sub.
func TestJWTAcceptsAndRefuses(t *testing.T) {
	a := newTestAPI(t)
	u, _ := a.user(t, "Jo")
	path := "/api/" + u.ID + "/tasks"

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	es256 := signingKey{kid: auth.NewID(), alg: jose.ES256, crv: "P-256", signer: ec}
	rs256 := signingKey{kid: auth.NewID(), alg: jose.RS256, signer: rs}
	a.addKey(t, es256)
	a.addKey(t, rs256)
	for _, k := range []signingKey{a.key, es256, rs256} {
		a.do(t, http.MethodGet, path, ptr(bearer(sign(t, k, a.claims(u)))), nil).want(http.StatusOK)
	}

	with := func(change func(map[string]any)) map[string]any {
		c := a.claims(u)
		change(c)
		return c
	}
	stranger := newEd25519Key(t)
	stranger.kid = a.key.kid // another key under the published key's id
	unpublished := newEd25519Key(t)
	header := base64.RawURLEncoding.EncodeToString
	payload, _ := json.Marshal(a.claims(u))
	none := header([]byte(`{"alg":"none","kid":"`+a.key.kid+`"}`)) + "." + header(payload) + "."
	hs := signingKey{kid: a.key.kid, alg: jose.HS256}
	hsSigner, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(testSecret)},
		(&jose.SignerOptions{}).WithHeader("kid", hs.kid))
	hsToken := signWith(t, hsSigner, a.claims(u))
	// An ES256 signature under the id of the RSA key, which is published for RS256 only.
	esUnderRSAKid, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: ec}, (&jose.SignerOptions{}).WithHeader("kid", rs256.kid))
	wrongKeyAlg := signWith(t, esUnderRSAKid, a.claims(u))

	refused := map[string]string{
		"expired":          sign(t, a.key, with(func(c map[string]any) { c["exp"] = time.Now().Add(-2 * time.Minute).Unix() })),
		"not yet valid":    sign(t, a.key, with(func(c map[string]any) { c["nbf"] = time.Now().Add(5 * time.Minute).Unix() })),
		"issued in future": sign(t, a.key, with(func(c map[string]any) { c["iat"] = time.Now().Add(5 * time.Minute).Unix() })),
		"wrong issuer":     sign(t, a.key, with(func(c map[string]any) { c["iss"] = "https://evil.example" })),
		"wrong audience":   sign(t, a.key, with(func(c map[string]any) { c["aud"] = "https://other.example" })),
		"no exp":           sign(t, a.key, with(func(c map[string]any) { delete(c, "exp") })),
		"no sub":           sign(t, a.key, with(func(c map[string]any) { delete(c, "sub") })),
		"another key":      sign(t, stranger, a.claims(u)),
		"unknown kid":      sign(t, unpublished, a.claims(u)),
		"alg none":         none,
		"HS256 secret":     hsToken,
		"key of other alg": wrongKeyAlg,
		"tampered":         tamper(sign(t, a.key, a.claims(u))),
		"garbage":          "eyJhbGciOiJFZERTQSJ9.!!!.???",
	}
	for name, tok := range refused {
		t.Run(name, func(t *testing.T) {
			w := a.do(t, http.MethodGet, path, ptr(bearer(tok)), nil).want(http.StatusUnauthorized)
			if ch := w.Header().Get("WWW-Authenticate"); !strings.Contains(ch, `error="invalid_token"`) {
				t.Fatalf("WWW-Authenticate %q", ch)
			}
		})
	}
	// A token for another user reaches only that user's path.
	other, _ := a.user(t, "Kit")
	a.do(t, http.MethodGet, path, ptr(bearer(sign(t, a.key, a.claims(other)))), nil).want(http.StatusForbidden)
}

func signWith(t *testing.T, s jose.Signer, claims map[string]any) string {
	t.Helper()
	raw, _ := json.Marshal(claims)
	obj, err := s.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// tamper changes the payload and keeps the signature.
func tamper(tok string) string {
	parts := strings.Split(tok, ".")
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	var c map[string]any
	json.Unmarshal(raw, &c)
	c["exp"] = c["exp"].(float64) + 3600
	raw, _ = json.Marshal(c)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(raw) + "." + parts[2]
}

// Only configured algorithms are accepted: with EdDSA alone, a valid ES256 token is refused.
func TestJWTOnlyConfiguredAlgorithms(t *testing.T) {
	a := newTestAPI(t, func(o *options) { o.settings.Algorithms = []jose.SignatureAlgorithm{jose.EdDSA} })
	u, _ := a.user(t, "Lee")
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	es := signingKey{kid: auth.NewID(), alg: jose.ES256, crv: "P-256", signer: ec}
	a.addKey(t, es)
	a.do(t, http.MethodGet, "/api/"+u.ID+"/tasks", ptr(bearer(sign(t, es, a.claims(u)))), nil).want(http.StatusUnauthorized)
	a.do(t, http.MethodGet, "/api/"+u.ID+"/tasks", ptr(bearer(sign(t, a.key, a.claims(u)))), nil).want(http.StatusOK)
	for _, v := range []string{"HS256", "none", "EdDSA,HS512"} {
		if _, err := api.ParseSettings(func(k string) string {
			if k == "BETTER_AUTH_JWT_ALGORITHMS" {
				return v
			}
			return ""
		}, mustURL(testBase)); err == nil {
			t.Errorf("BETTER_AUTH_JWT_ALGORITHMS=%s accepted", v)
		}
	}
}

// With BETTER_AUTH_JWKS_URL the keys come from that endpoint. A token under a key id not seen yet
// makes them be read again (rotation), at most once per refetch interval however many such tokens
// come; while the endpoint is down, a token under an unknown key is 503, a known key still works.
func TestJWKSURLRotationAndRateLimit(t *testing.T) {
	first, second := newEd25519Key(t), newEd25519Key(t)
	var published atomic.Pointer[[]signingKey]
	published.Store(&[]signingKey{first})
	var reads atomic.Int32
	var down atomic.Bool
	jwks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reads.Add(1)
		if down.Load() {
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		var set jose.JSONWebKeySet
		for _, k := range *published.Load() {
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.signer.Public(), KeyID: k.kid, Algorithm: string(k.alg)})
		}
		json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(jwks.Close)
	const interval = 300 * time.Millisecond
	a := newTestAPI(t, func(o *options) {
		o.settings.JWKSURL = jwks.URL
		o.keyRefetch = interval
	})
	u, _ := a.user(t, "Max")
	path := "/api/" + u.ID + "/tasks"
	get := func(k signingKey) int {
		return a.do(t, http.MethodGet, path, ptr(bearer(sign(t, k, a.claims(u)))), nil).Code
	}
	if code := get(first); code != http.StatusOK {
		t.Fatalf("first key: %d", code)
	}
	// The jwks table's key is not used when a URL is set.
	if code := get(a.key); code != http.StatusUnauthorized {
		t.Fatalf("a key only in the table: %d", code)
	}
	time.Sleep(interval)
	published.Store(&[]signingKey{first, second}) // Better Auth rotates
	if code := get(second); code != http.StatusOK {
		t.Fatalf("rotated key: %d", code)
	}
	before := reads.Load()
	for range 50 {
		if code := get(newEd25519Key(t)); code != http.StatusUnauthorized {
			t.Fatalf("made-up key: %d", code)
		}
	}
	if n := reads.Load() - before; n > 1 {
		t.Fatalf("50 unknown key ids within the interval read the JWKS %d times", n)
	}
	time.Sleep(interval)
	down.Store(true)
	if code := get(newEd25519Key(t)); code != http.StatusServiceUnavailable {
		t.Fatalf("unknown key while the JWKS is down: %d", code)
	}
	if code := get(second); code != http.StatusOK {
		t.Fatalf("known key while the JWKS is down: %d", code)
	}
}

// With the keys in the jwks table, a key Better Auth adds later (rotation) is found too.
func TestJWKSTableRotation(t *testing.T) {
	a := newTestAPI(t, func(o *options) { o.keyRefetch = 200 * time.Millisecond })
	u, _ := a.user(t, "Nia")
	path := "/api/" + u.ID + "/tasks"
	a.do(t, http.MethodGet, path, ptr(bearer(sign(t, a.key, a.claims(u)))), nil).want(http.StatusOK)
	next := newEd25519Key(t)
	a.addKey(t, next)
	time.Sleep(200 * time.Millisecond)
	a.do(t, http.MethodGet, path, ptr(bearer(sign(t, next, a.claims(u)))), nil).want(http.StatusOK)
	// A key that expired beyond Better Auth's grace period is no longer published, so not accepted.
	old := newEd25519Key(t)
	a.addKey(t, old)
	a.store.Pool().Exec(t.Context(), `update jwks set expires_at = now() - interval '31 days' where id = $1`, old.kid)
	time.Sleep(200 * time.Millisecond)
	a.do(t, http.MethodGet, path, ptr(bearer(sign(t, old, a.claims(u)))), nil).want(http.StatusUnauthorized)
}
