package interop

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/crypto/chacha20poly1305"

	"todo/api"
	"todo/internal/pgtest"
	"todo/web"
)

// apiApp is the app with its JSON API, configured from environment variables as main does.
type apiApp struct{ url string }

func startAPIApp(t *testing.T, databaseURL string, env map[string]string) *apiApp {
	t.Helper()
	st := pgtest.OpenStore(t, databaseURL)
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	settings, err := api.ParseSettings(func(k string) string { return env[k] }, base)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := api.New(api.Config{Logger: logger, Store: st, Secret: secret, BaseURL: base, Settings: settings,
		KeyRefetch: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	app, err := web.NewServer(web.Config{Logger: logger, Store: st, Secret: secret, BaseURL: base, API: h})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = app
	srv.Start()
	t.Cleanup(srv.Close)
	return &apiApp{url: srv.URL}
}

// call sends a request to the API with an Authorization header (when given) and returns the status.
func (a *apiApp) call(t *testing.T, method, path, authorization string, body any) (int, []byte) {
	t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = strings.NewReader(string(raw))
	}
	req, _ := http.NewRequest(method, a.url+path, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == http.StatusUnauthorized && !strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("401 without a Bearer challenge")
	}
	return resp.StatusCode, raw
}

// baToken asks Better Auth's jwt plugin for a token with a session cookie (GET /api/auth/token).
func baToken(t *testing.T, ba *betterAuth, cookie string) string {
	t.Helper()
	resp, body := ba.call(t, http.MethodGet, "/api/auth/token", nil, cookie)
	tok, _ := body["token"].(string)
	if resp.StatusCode != http.StatusOK || tok == "" {
		t.Fatalf("GET /api/auth/token: %d %v", resp.StatusCode, body)
	}
	return tok
}

func kidOf(t *testing.T, token string) string {
	t.Helper()
	tok, err := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.EdDSA, jose.ES256, jose.RS256})
	if err != nil {
		t.Fatal(err)
	}
	return tok.Headers[0].KeyID
}

// baSignUpForAPI signs a user up on Better Auth and returns the cookie value, the bearer plugin's
// set-auth-token, the raw session token and the user id.
func baSignUpForAPI(t *testing.T, ba *betterAuth, email string) (cookie, authToken, rawToken, userID string) {
	t.Helper()
	resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-up/email",
		map[string]string{"name": "API " + email, "email": email, "password": password}, "")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-up: %d %v", resp.StatusCode, body)
	}
	cookie, _ = sessionCookieValue(resp)
	authToken = resp.Header.Get("Set-Auth-Token")
	rawToken, _ = body["token"].(string)
	user, _ := body["user"].(map[string]any)
	userID, _ = user["id"].(string)
	if cookie == "" || authToken == "" || rawToken == "" || userID == "" {
		t.Fatalf("sign-up gave cookie %q, set-auth-token %q, token %q, user %q", cookie, authToken, rawToken, userID)
	}
	return cookie, authToken, rawToken, userID
}

// TestAPIWithBetterAuthPlugins runs the real Better Auth with its jwt and bearer plugins (keys
// rotating every few seconds) on the app's database, and the app's API with its keys read from the
// jwks table and, in a second instance, from Better Auth's JWKS endpoint.
func TestAPIWithBetterAuthPlugins(t *testing.T) {
	dbURL := pgtest.NewDatabase(t)
	const rotate = 4 * time.Second
	ba := startBetterAuth(t, dbURL, "BA_JWT=1", "BA_BEARER=1", "BA_JWT_ROTATE=4")
	claims := map[string]string{"BETTER_AUTH_JWT_ISSUER": ba.url, "BETTER_AUTH_JWT_AUDIENCE": ba.url}
	fromTable := startAPIApp(t, dbURL, claims)
	withURL := map[string]string{"BETTER_AUTH_JWKS_URL": ba.url + "/api/auth/jwks"}
	for k, v := range claims {
		withURL[k] = v
	}
	fromURL := startAPIApp(t, dbURL, withURL)
	pool := pgtest.Pool(t, dbURL)

	cookie, authToken, rawToken, userID := baSignUpForAPI(t, ba, "plugins@example.com")
	tasks := "/api/" + userID + "/tasks"
	token := baToken(t, ba, cookie)

	t.Run("a Better Auth JWT and a bearer token reach the API", func(t *testing.T) {
		for _, app := range []*apiApp{fromTable, fromURL} {
			if code, body := app.call(t, http.MethodPost, tasks, "Bearer "+token, map[string]any{"title": "via JWT"}); code != http.StatusCreated {
				t.Fatalf("POST with Better Auth's JWT: %d %s", code, body)
			}
		}
		for _, auth := range []string{"Bearer " + authToken, "bearer  " + rawToken + " ", "Bearer " + url.QueryEscape(authToken)} {
			code, body := fromTable.call(t, http.MethodGet, tasks, auth, nil)
			var list []map[string]any
			json.Unmarshal(body, &list)
			if code != http.StatusOK || len(list) != 2 {
				t.Fatalf("GET with %q: %d %s", auth[:12], code, body)
			}
		}
		// The JWT from get-session's set-auth-jwt header works the same.
		req, _ := http.NewRequest(http.MethodGet, ba.url+"/api/auth/get-session", nil)
		req.Header.Set("Authorization", "Bearer "+authToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if jwtHeader := resp.Header.Get("Set-Auth-Jwt"); jwtHeader == "" {
			t.Fatal("get-session sent no set-auth-jwt")
		} else if code, body := fromURL.call(t, http.MethodGet, tasks, "Bearer "+jwtHeader, nil); code != http.StatusOK {
			t.Fatalf("set-auth-jwt: %d %s", code, body)
		}
	})

	t.Run("bad tokens are 401", func(t *testing.T) {
		kid := kidOf(t, token)
		baKey := decryptBetterAuthKey(t, pool, kid)
		now := time.Now()
		base := map[string]any{"sub": userID, "id": userID, "iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "iss": ba.url, "aud": ba.url}
		with := func(k string, v any) map[string]any {
			c := map[string]any{}
			for kk, vv := range base {
				c[kk] = vv
			}
			c[k] = v
			return c
		}
		// Our signature with Better Auth's own key is accepted: the refusals below are for what they say.
		control := signEd25519(t, baKey, kid, jose.EdDSA, base)
		if code, body := fromTable.call(t, http.MethodGet, tasks, "Bearer "+control, nil); code != http.StatusOK {
			t.Fatalf("a token signed with Better Auth's key: %d %s", code, body)
		}
		_, otherKey, _ := ed25519.GenerateKey(rand.Reader)
		hs, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: []byte(secret)}, (&jose.SignerOptions{}).WithHeader("kid", kid))
		hsToken, _ := jwt.Signed(hs).Claims(base).Serialize()
		enc := base64.RawURLEncoding.EncodeToString
		payload, _ := json.Marshal(base)
		bad := map[string]string{
			"expired":        signEd25519(t, baKey, kid, jose.EdDSA, with("exp", now.Add(-5*time.Minute).Unix())),
			"another key":    signEd25519(t, otherKey, kid, jose.EdDSA, base),
			"wrong audience": signEd25519(t, baKey, kid, jose.EdDSA, with("aud", "https://elsewhere.example")),
			"wrong issuer":   signEd25519(t, baKey, kid, jose.EdDSA, with("iss", "https://elsewhere.example")),
			"alg none":       enc([]byte(`{"alg":"none","kid":"`+kid+`"}`)) + "." + enc(payload) + ".",
			"HS256 secret":   hsToken,
		}
		for name, tok := range bad {
			for _, app := range []*apiApp{fromTable, fromURL} {
				if code, body := app.call(t, http.MethodGet, tasks, "Bearer "+tok, nil); code != http.StatusUnauthorized {
					t.Errorf("%s: %d %s", name, code, body)
				}
			}
		}
	})

	t.Run("a key rotated by Better Auth is picked up", func(t *testing.T) {
		first := kidOf(t, token)
		time.Sleep(rotate + 500*time.Millisecond)
		fresh := baToken(t, ba, cookie)
		if kidOf(t, fresh) == first {
			t.Fatalf("Better Auth did not rotate its key after %s", rotate)
		}
		for _, app := range []*apiApp{fromTable, fromURL} {
			if code, body := app.call(t, http.MethodGet, tasks, "Bearer "+fresh, nil); code != http.StatusOK {
				t.Fatalf("token under the rotated key: %d %s", code, body)
			}
			if code, _ := app.call(t, http.MethodGet, tasks, "Bearer "+token, nil); code != http.StatusOK {
				t.Fatalf("token under the previous key (still published): %d", code)
			}
		}
	})

	t.Run("a revoked session's JWT lives until it expires; its bearer token does not", func(t *testing.T) {
		fresh := baToken(t, ba, cookie)
		if resp, body := ba.call(t, http.MethodPost, "/api/auth/sign-out", nil, cookie); resp.StatusCode != http.StatusOK {
			t.Fatalf("sign-out: %d %v", resp.StatusCode, body)
		}
		if code, _ := fromTable.call(t, http.MethodGet, tasks, "Bearer "+authToken, nil); code != http.StatusUnauthorized {
			t.Fatalf("the signed-out session's bearer token: %d", code)
		}
		if code, _ := fromTable.call(t, http.MethodGet, tasks, "Bearer "+fresh, nil); code != http.StatusOK {
			t.Fatalf("the signed-out session's JWT: %d (it carries no session and stays valid until exp)", code)
		}
	})
}

// Better Auth's ES256 and RS256 keys verify too, from the table and from its JWKS endpoint.
func TestAPIWithBetterAuthKeyAlgorithms(t *testing.T) {
	for _, alg := range []string{"ES256", "RS256"} {
		t.Run(alg, func(t *testing.T) {
			dbURL := pgtest.NewDatabase(t)
			ba := startBetterAuth(t, dbURL, "BA_JWT=1", "BA_BEARER=1", "BA_JWT_ALG="+alg)
			env := map[string]string{"BETTER_AUTH_JWT_ISSUER": ba.url, "BETTER_AUTH_JWT_AUDIENCE": ba.url}
			fromTable := startAPIApp(t, dbURL, env)
			env["BETTER_AUTH_JWKS_URL"] = ba.url + "/api/auth/jwks"
			fromURL := startAPIApp(t, dbURL, env)
			cookie, _, _, userID := baSignUpForAPI(t, ba, strings.ToLower(alg)+"@example.com")
			token := baToken(t, ba, cookie)
			parsed, _ := jwt.ParseSigned(token, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			if parsed == nil {
				t.Fatalf("Better Auth's token is not %s", alg)
			}
			for _, app := range []*apiApp{fromTable, fromURL} {
				if code, body := app.call(t, http.MethodGet, "/api/"+userID+"/tasks", "Bearer "+token, nil); code != http.StatusOK {
					t.Fatalf("%s token: %d %s", alg, code, body)
				}
			}
			// Configured for EdDSA alone, the app refuses it.
			only := startAPIApp(t, dbURL, map[string]string{"BETTER_AUTH_JWT_ISSUER": ba.url, "BETTER_AUTH_JWT_AUDIENCE": ba.url,
				"BETTER_AUTH_JWT_ALGORITHMS": "EdDSA"})
			if code, _ := only.call(t, http.MethodGet, "/api/"+userID+"/tasks", "Bearer "+token, nil); code != http.StatusUnauthorized {
				t.Fatalf("%s token with only EdDSA configured: %d", alg, code)
			}
		})
	}
}

// decryptBetterAuthKey reads the private key of a jwks row as Better Auth stores it: a JSON string
// of hex nonce(24) ‖ XChaCha20-Poly1305 ciphertext ‖ tag, keyed with SHA-256 of the secret, holding
// the private JWK.
func decryptBetterAuthKey(t *testing.T, pool *pgxpool.Pool, kid string) ed25519.PrivateKey {
	t.Helper()
	var stored string
	if err := pool.QueryRow(context.Background(), `select private_key from jwks where id = $1`, kid).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	var hexed string
	if err := json.Unmarshal([]byte(stored), &hexed); err != nil {
		t.Fatalf("private_key is not a JSON string: %v", err)
	}
	sealed, err := hex.DecodeString(hexed)
	if err != nil {
		t.Fatal(err)
	}
	key := sha256.Sum256([]byte(secret))
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		t.Fatal(err)
	}
	plain, err := aead.Open(nil, sealed[:chacha20poly1305.NonceSizeX], sealed[chacha20poly1305.NonceSizeX:], nil)
	if err != nil {
		t.Fatalf("decrypt: %v", err)
	}
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(plain); err != nil {
		t.Fatal(err)
	}
	priv, ok := jwk.Key.(ed25519.PrivateKey)
	if !ok {
		t.Fatalf("Better Auth's key is %T, not Ed25519", jwk.Key)
	}
	return priv
}

func signEd25519(t *testing.T, key any, kid string, alg jose.SignatureAlgorithm, claims map[string]any) string {
	t.Helper()
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(s).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
