// Package web is the HTTP side of the app: routes, handlers, middleware and the mapping of store
// errors to status codes. Handlers learn who is signed in from the session middleware and hand that
// user id to the store; nothing else decides whose data a request touches.
package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"sync/atomic"
	"time"

	"todo/clientaddr"
	"todo/live"
	"todo/mail"
	"todo/store"
	"todo/web/auth"
)

// Config is what the server needs from main.
type Config struct {
	Logger  *slog.Logger
	Store   *store.Store
	Secret  string       // BETTER_AUTH_SECRET
	BaseURL *url.URL     // BETTER_AUTH_URL: the public origin
	Mail    mail.Sender  // delivers reset links; nil: written to Logger (the development mailer)
	API     http.Handler // the JSON API, served under /api/ (nil: none); it guards its own origins
	Live    *live.Hub    // live updates: GET /events and /events/changes (nil: none)
	// ClientAddr tells a request's client address (TRUSTED_PROXIES); nil: the peer's address.
	ClientAddr *clientaddr.Resolver

	authLimits    *authLimits    // tests only: throttles and hashing bound (nil: defaultAuthLimits)
	accountLimits *accountLimits // tests only: the account throttles (nil: defaultAccountLimits)
	jobs          *jobs          // tests only: to wait for background work (nil: a new one)
}

// server carries the dependencies of every handler.
type server struct {
	log     *slog.Logger
	store   *store.Store
	cookies auth.Cookies
	flash   *flashes
	undo    *undoOffers // the offer to take back the last undoable action (undo.go)
	baseURL *url.URL
	guard   *authGuard // password hashing bound and sign-in/sign-up throttles (throttle.go)
	account *accountGuard
	mail    mail.Sender
	jobs    *jobs // work done after the answer (background.go)
	clients *clientaddr.Resolver

	lastSweep     atomic.Int64 // when expired reset tokens were last deleted (UnixNano)
	lastUndoSweep atomic.Int64 // when expired undo records were last deleted (UnixNano)
	api           http.Handler
	live          *live.Hub
}

// NewServer builds the app's whole HTTP handler.
func NewServer(cfg Config) (http.Handler, error) {
	if cfg.Store == nil || cfg.BaseURL == nil || cfg.Secret == "" {
		return nil, errors.New("web: Store, Secret and BaseURL are required")
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	secure := cfg.BaseURL.Scheme == "https"
	s := &server{
		log:     logger,
		store:   cfg.Store,
		cookies: auth.NewCookies(cfg.Secret, secure),
		flash:   newFlashes(cfg.Secret, secure),
		undo:    newUndoOffers(cfg.Secret, secure),
		baseURL: cfg.BaseURL,
		api:     cfg.API,
		live:    cfg.Live,
		clients: cfg.ClientAddr,
	}
	limits := defaultAuthLimits()
	if cfg.authLimits != nil {
		limits = *cfg.authLimits
	}
	s.guard = newAuthGuard(limits)
	accountLimits := defaultAccountLimits()
	if cfg.accountLimits != nil {
		accountLimits = *cfg.accountLimits
	}
	s.account = newAccountGuard(accountLimits)
	s.mail = cfg.Mail
	if s.mail == nil {
		s.mail = mail.NewLog(logger)
	}
	s.jobs = cfg.jobs
	if s.jobs == nil {
		s.jobs = newJobs(logger)
	}
	mux := http.NewServeMux()
	s.routes(mux)
	return s.middleware(s.withOwnMisses(mux))
}

// NewHTTPServer wraps the handler in the http.Server the app runs with: timeouts for slow or idle
// clients, and net/http's own errors logged through slog.
func NewHTTPServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       90 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
