package api

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"time"

	"todo/clientaddr"
	"todo/store"
	"todo/web/auth"
)

// Config is what the API needs from main.
type Config struct {
	Logger   *slog.Logger
	Store    *store.Store
	Secret   string   // BETTER_AUTH_SECRET: signs the session cookie and the bearer plugin's tokens
	BaseURL  *url.URL // BETTER_AUTH_URL: the public origin
	Settings Settings // from the environment (ParseSettings)
	// HTTPClient fetches BETTER_AUTH_JWKS_URL; nil: one with a 5-second timeout.
	HTTPClient *http.Client
	// KeyRefetch overrides how often an unknown key id may make the keys be read again (tests).
	KeyRefetch time.Duration
	// ClientAddr tells a request's client address (TRUSTED_PROXIES), as for the HTML app; nil: the
	// peer's address.
	ClientAddr *clientaddr.Resolver
}

// API carries the dependencies of every API handler.
type API struct {
	log      *slog.Logger
	store    *store.Store
	cookies  auth.Cookies
	jwt      *jwtVerifier
	cors     cors
	origins  *http.CrossOriginProtection // refuses cookie-carrying state changes from other origins
	throttle *throttle
}

// maxBodyBytes bounds a request body; more answers 413.
const maxBodyBytes = 64 << 10

// New builds the API's handler, to be mounted at /api/.
func New(cfg Config) (http.Handler, error) {
	if cfg.Store == nil || cfg.BaseURL == nil || cfg.Secret == "" {
		return nil, errors.New("api: Store, Secret and BaseURL are required")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	st := cfg.Settings
	if st.Issuer == "" || st.Audience == "" || len(st.Algorithms) == 0 {
		defaults, err := ParseSettings(func(string) string { return "" }, cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		st.Issuer, st.Audience = cmp(st.Issuer, defaults.Issuer), cmp(st.Audience, defaults.Audience)
		if len(st.Algorithms) == 0 {
			st.Algorithms = defaults.Algorithms
		}
	}
	var src keySource = tableKeys{store: cfg.Store}
	if st.JWKSURL != "" {
		client := cfg.HTTPClient
		if client == nil {
			client = &http.Client{Timeout: 5 * time.Second}
		}
		src = urlKeys{url: st.JWKSURL, client: client}
	}
	refetch := refetchInterval
	if cfg.KeyRefetch > 0 {
		refetch = cfg.KeyRefetch
	}
	origins := http.NewCrossOriginProtection()
	trusted := append([]string{cfg.BaseURL.Scheme + "://" + cfg.BaseURL.Host}, st.CORSOrigins...)
	for _, o := range trusted {
		if err := origins.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	a := &API{
		log:     logger,
		store:   cfg.Store,
		cookies: auth.NewCookies(cfg.Secret, cfg.BaseURL.Scheme == "https"),
		jwt: &jwtVerifier{
			keys:       newKeyring(src, refetch, keysMaxAge),
			algorithms: st.Algorithms,
			issuer:     st.Issuer,
			audience:   st.Audience,
			now:        time.Now,
			verified:   newVerifiedTokens(),
		},
		cors:     newCORS(st.CORSOrigins),
		origins:  origins,
		throttle: newThrottle(st.RateLimit, cfg.ClientAddr),
	}
	mux := http.NewServeMux()
	a.routes(mux)
	var h http.Handler = mux
	h = withBodyLimit(h)
	h = a.cors.handler(h)
	h = a.withRecover(h)
	return h, nil
}

func cmp(v, fallback string) string {
	if v != "" {
		return v
	}
	return fallback
}

// withRecover turns a panic into a logged 500 problem instead of a dropped connection.
func (a *API) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				writeProblem(w, http.StatusInternalServerError, "Something went wrong on our side. Please try again.", nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func withBodyLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}
