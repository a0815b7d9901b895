package web

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// Limits every request lives under.
const (
	maxBodyBytes   = 64 << 10         // a form body over this answers 413
	requestTimeout = 10 * time.Second // the deadline of every request's database work
)

// middleware wraps the routes, outermost first: logging (of the bytes sent), compression, panic
// recovery, security headers, cross-origin protection for state changes, the body limit and the
// request deadline.
func (s *server) middleware(mux http.Handler) (http.Handler, error) {
	csrf := http.NewCrossOriginProtection()
	// The public origin (BETTER_AUTH_URL) is trusted even when a proxy in front changes the Host.
	if err := csrf.AddTrustedOrigin(s.baseURL.Scheme + "://" + s.baseURL.Host); err != nil {
		return nil, err
	}
	// The JSON API refuses cross-origin cookie requests itself; a bearer token or JWT is no ambient
	// credential, and origins in CORS_ORIGINS may call it.
	csrf.AddInsecureBypassPattern("/api/")
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "This request came from another site and was refused.")
	}))

	var h http.Handler = mux
	h = withDeadline(h)
	h = withBodyLimit(h)
	h = csrf.Handler(h)
	h = s.withSecurityHeaders(h)
	h = s.withRecover(h)
	h, err := withCompression(h)
	if err != nil {
		return nil, err
	}
	h = s.withRequestLog(h)
	return h, nil
}

// statusRecorder remembers the status and size a handler wrote, for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// withRequestLog writes one line per request: method, path, status, duration. Never the query
// string, headers or cookies, which can carry secrets.
func (s *server) withRequestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		level := slog.LevelInfo
		if rec.status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.Int("bytes", rec.bytes),
			slog.Bool("htmx", isHTMX(r)),
		)
	})
}

// withRecover turns a panic into a logged 500 instead of a dropped connection.
func (s *server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError, "Something went wrong on our side. Please try again.")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows nothing inline and nothing from elsewhere: htmx is configured through
// its meta tag, and its indicator styles live in app.css.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// The security headers' values, shared by every answer as slices of exactly their length (an Add to
// one makes a new slice, never writes into the shared one): no allocation per answer.
var (
	cspHeader        = []string{contentSecurityPolicy}
	nosniffHeader    = []string{"nosniff"}
	sameOriginHeader = []string{"same-origin"}
	denyHeader       = []string{"DENY"}
	hstsHeader       = []string{"max-age=63072000; includeSubDomains"}
)

func (s *server) withSecurityHeaders(next http.Handler) http.Handler {
	hsts := s.baseURL.Scheme == "https"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h["Content-Security-Policy"] = cspHeader[:1:1]
		h["X-Content-Type-Options"] = nosniffHeader[:1:1]
		h["Referrer-Policy"] = sameOriginHeader[:1:1]
		h["X-Frame-Options"] = denyHeader[:1:1]
		h["Cross-Origin-Opener-Policy"] = sameOriginHeader[:1:1]
		if hsts {
			h["Strict-Transport-Security"] = hstsHeader[:1:1]
		}
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

// withDeadline bounds every request, so a slow database turns into a 503 rather than a hang. An
// event stream (GET /events) is the exception: it lasts as long as its page, and bounds itself.
func withDeadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/events" {
			next.ServeHTTP(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// isHTMX reports whether htmx sent the request (and so expects a fragment).
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// isHistoryRestore reports an htmx history-cache miss, which must get the whole page.
func isHistoryRestore(r *http.Request) bool {
	return r.Header.Get("HX-History-Restore-Request") == "true"
}

// wantsFragment: htmx requests get fragments, except history restores.
func wantsFragment(r *http.Request) bool { return isHTMX(r) && !isHistoryRestore(r) }

// clientIP is the peer address without the port (for throttling and the sessions table).
func clientIP(r *http.Request) string {
	addr := r.RemoteAddr
	if i := strings.LastIndexByte(addr, ':'); i > 0 {
		addr = addr[:i]
	}
	return strings.Trim(addr, "[]")
}
