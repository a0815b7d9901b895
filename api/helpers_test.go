package api_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"todo/api"
	"todo/internal/pgtest"
	"todo/store"
	"todo/web"
	"todo/web/auth"
)

const (
	testSecret = "api-test-secret-that-is-at-least-32-characters"
	testBase   = "http://app.example.test"
)

// testAPI is the whole app (the HTML server with the API mounted at /api/, as main builds it) on a
// scratch database, with a signing key of its own in the jwks table, as Better Auth's jwt plugin
// would have written it.
type testAPI struct {
	store   *store.Store
	dbURL   string
	handler http.Handler
	cookies auth.Cookies
	key     signingKey
}

type options struct {
	settings   api.Settings
	keyRefetch time.Duration
	dbURL      string
}

func newTestAPI(t *testing.T, opts ...func(*options)) *testAPI {
	t.Helper()
	o := options{}
	for _, f := range opts {
		f(&o)
	}
	if o.dbURL == "" {
		o.dbURL = pgtest.NewDatabase(t)
	}
	st := pgtest.OpenStore(t, o.dbURL)
	base, _ := url.Parse(testBase)
	settings := o.settings
	if settings.Issuer == "" {
		defaults, err := api.ParseSettings(func(string) string { return "" }, base)
		if err != nil {
			t.Fatal(err)
		}
		defaults.CORSOrigins, defaults.JWKSURL, defaults.RateLimit = settings.CORSOrigins, settings.JWKSURL, settings.RateLimit
		if settings.Algorithms != nil {
			defaults.Algorithms = settings.Algorithms
		}
		settings = defaults
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	h, err := api.New(api.Config{Logger: logger, Store: st, Secret: testSecret, BaseURL: base, Settings: settings, KeyRefetch: o.keyRefetch})
	if err != nil {
		t.Fatal(err)
	}
	app, err := web.NewServer(web.Config{Logger: logger, Store: st, Secret: testSecret, BaseURL: base, API: h})
	if err != nil {
		t.Fatal(err)
	}
	a := &testAPI{store: st, dbURL: o.dbURL, handler: app, cookies: auth.NewCookies(testSecret, false)}
	a.key = newEd25519Key(t)
	a.addKey(t, a.key)
	return a
}

// signingKey is a private key with the kid and alg Better Auth would publish it under.
type signingKey struct {
	kid    string
	alg    jose.SignatureAlgorithm
	crv    string
	signer crypto.Signer
}

func newEd25519Key(t *testing.T) signingKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return signingKey{kid: auth.NewID(), alg: jose.EdDSA, crv: "Ed25519", signer: priv}
}

// addKey writes the key's public half into jwks the way the plugin does: the JWK without kid and alg
// in public_key, the id as kid, alg and crv in their columns, and (here) a dummy private key.
func (a *testAPI) addKey(t *testing.T, k signingKey) {
	t.Helper()
	pub, err := jose.JSONWebKey{Key: k.signer.Public()}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var crv any
	if k.crv != "" {
		crv = k.crv
	}
	_, err = a.store.Pool().Exec(context.Background(),
		`insert into jwks (id, public_key, private_key, created_at, alg, crv) values ($1, $2, '"unused"', now(), $3, $4)`,
		k.kid, string(pub), string(k.alg), crv)
	if err != nil {
		t.Fatal(err)
	}
}

// claims are the payload Better Auth's jwt plugin signs, for user u, valid for 15 minutes.
func (a *testAPI) claims(u store.User) map[string]any {
	now := time.Now()
	return map[string]any{
		"iat": now.Unix(), "name": u.Name, "email": u.Email, "emailVerified": false, "image": nil,
		"id": u.ID, "sub": u.ID, "exp": now.Add(15 * time.Minute).Unix(), "iss": testBase, "aud": testBase,
	}
}

// sign makes a compact JWS of claims with key k, its kid in the header as Better Auth sets it.
func sign(t *testing.T, k signingKey, claims map[string]any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.signer},
		(&jose.SignerOptions{}).WithHeader("kid", k.kid))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(claims).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// user creates a user with a live session and returns it with its session token.
func (a *testAPI) user(t *testing.T, name string) (store.User, string) {
	t.Helper()
	ctx := context.Background()
	u, err := a.store.CreateUser(ctx, store.NewUser{
		UserID: auth.NewID(), AccountID: auth.NewID(), Name: name,
		Email:        strings.ToLower(name) + "-" + strings.ToLower(auth.NewID()[:8]) + "@example.test",
		PasswordHash: "00000000000000000000000000000000:" + strings.Repeat("00", 64),
	})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewID()
	if err := a.store.CreateSession(ctx, store.Session{
		ID: auth.NewID(), Token: token, UserID: u.ID, ExpiresAt: time.Now().Add(auth.SessionLifetime),
	}); err != nil {
		t.Fatal(err)
	}
	return u, token
}

// credential is one way of authenticating a request.
type credential struct {
	name  string
	apply func(r *http.Request)
}

// credentials are every accepted way of proving to be u (session token token): the cookie, the
// bearer plugin's three forms, and a JWT.
func (a *testAPI) credentials(t *testing.T, u store.User, token string) []credential {
	t.Helper()
	signed, _ := url.PathUnescape(a.cookies.Value(token))
	jwtToken := sign(t, a.key, a.claims(u))
	bearer := func(v string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+v) }
	}
	return []credential{
		{"cookie", func(r *http.Request) {
			r.AddCookie(&http.Cookie{Name: a.cookies.Name(), Value: a.cookies.Value(token)})
		}},
		{"bearer token", bearer(token)},
		{"bearer signed", bearer(signed)},
		{"bearer encoded", bearer(a.cookies.Value(token))},
		{"jwt", bearer(jwtToken)},
	}
}

func bearer(v string) credential {
	return credential{"bearer", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+v) }}
}

// answer is a recorded response.
type answer struct {
	*httptest.ResponseRecorder
	t *testing.T
}

func (w answer) json(v any) {
	w.t.Helper()
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
		w.t.Fatalf("answer is not the JSON expected: %v\n%s", err, w.Body.String())
	}
}

func (w answer) problem() map[string]any {
	w.t.Helper()
	var p map[string]any
	w.json(&p)
	return p
}

func (w answer) want(status int) answer {
	w.t.Helper()
	if w.Code != status {
		w.t.Fatalf("status %d, want %d\n%s", w.Code, status, w.Body.String())
	}
	return w
}

// do sends a request through the whole app and checks the answer against openapi.json: an answer
// that breaks the document fails the test. body is sent as JSON when it is not a string.
func (a *testAPI) do(t *testing.T, method, path string, c *credential, body any, headers ...string) answer {
	t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			t.Fatal(err)
		}
	}
	build := func() *http.Request {
		r := httptest.NewRequest(method, path, bytes.NewReader(raw))
		r.RemoteAddr = "192.0.2.10:1234"
		if body != nil {
			r.Header.Set("Content-Type", "application/json")
		}
		for i := 0; i+1 < len(headers); i += 2 {
			r.Header.Set(headers[i], headers[i+1])
		}
		if c != nil {
			c.apply(r)
		}
		return r
	}
	w := httptest.NewRecorder()
	a.handler.ServeHTTP(w, build())
	if w.Code >= 500 && w.Code != http.StatusServiceUnavailable {
		t.Fatalf("%s %s: %d\n%s", method, path, w.Code, w.Body.String())
	}
	checkAgainstSpec(t, build(), w)
	return answer{w, t}
}

var (
	specOnce sync.Once
	spec     validator.Validator
	specErr  error
)

func openAPIValidator(t *testing.T) validator.Validator {
	t.Helper()
	specOnce.Do(func() {
		raw, err := openAPIDocument()
		if err != nil {
			specErr = err
			return
		}
		doc, err := libopenapi.NewDocument(raw)
		if err != nil {
			specErr = err
			return
		}
		v, errs := validator.NewValidator(doc)
		if len(errs) > 0 {
			specErr = errs[0]
			return
		}
		spec = v
	})
	if specErr != nil {
		t.Fatal(specErr)
	}
	return spec
}

// checkAgainstSpec validates an answer against the document, and the request too when the answer
// says it was a good one (a test of bad input sends what the document forbids on purpose). Answers
// outside the document (405, 404 for a path it does not have) are checked to be problem documents.
func checkAgainstSpec(t *testing.T, r *http.Request, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code == http.StatusMethodNotAllowed || (w.Code == http.StatusNotFound && !documentedPath(r.URL.Path)) ||
		r.Method == http.MethodOptions {
		if w.Code != http.StatusNoContent && w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d answered %q, not a problem document", r.Method, r.URL, w.Code, w.Header().Get("Content-Type"))
		}
		return
	}
	v := openAPIValidator(t)
	resp := w.Result()
	var ok bool
	var errs []*verrors.ValidationError
	if w.Code < 300 {
		ok, errs = v.ValidateHttpRequestResponse(r, resp)
	} else {
		ok, errs = v.ValidateHttpResponse(r, resp)
	}
	if !ok {
		for _, e := range errs {
			t.Errorf("%s %s → %d breaks openapi.json: %s (%s) %v", r.Method, r.URL, w.Code, e.Message, e.Reason, schemaErrors(e))
		}
		t.FailNow()
	}
}

func documentedPath(p string) bool {
	parts := strings.Split(strings.TrimPrefix(p, "/api/"), "/")
	switch {
	case p == "/api/openapi.json":
		return true
	case len(parts) == 2 && parts[1] == "tasks", len(parts) == 3 && parts[1] == "tasks",
		len(parts) == 4 && parts[1] == "tasks" && parts[3] == "complete":
		return true
	}
	return false
}

func schemaErrors(e *verrors.ValidationError) []string {
	var out []string
	for _, f := range e.SchemaValidationErrors {
		out = append(out, f.Reason+" at "+f.FieldPath)
	}
	return out
}

// openAPIDocument is the document as the package embeds and serves it.
func openAPIDocument() ([]byte, error) { return os.ReadFile("openapi.json") }

// checkBody reports whether a made-up answer passes the document (for proving the check can fail).
func checkBody(t *testing.T, method, path string, status int, body []byte) bool {
	t.Helper()
	w := httptest.NewRecorder()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
	ok, _ := openAPIValidator(t).ValidateHttpResponse(httptest.NewRequest(method, path, nil), w.Result())
	return ok
}

func formatInt(n int64) string { return strconv.FormatInt(n, 10) }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		out = append(out, strings.TrimSpace(p))
	}
	return out
}
