package api

import (
	"net/http"
	"strings"
)

// cors answers the origins in CORS_ORIGINS the way browsers need for a frontend on another origin:
// preflights, credentials (the cookie case), and the headers a client reads (Link, Location,
// Retry-After, WWW-Authenticate). Other origins get no CORS header at all. Every answer varies by
// Origin, so caches keep them apart.
type cors struct {
	allowed map[string]bool
}

const (
	corsMethods       = "GET, POST, PUT, PATCH, DELETE"
	corsHeaders       = "Authorization, Content-Type"
	corsExposeHeaders = "Link, Location, Retry-After, WWW-Authenticate, X-Total-Count, Set-Auth-Token"
	corsMaxAge        = "600"
)

func newCORS(origins []string) cors {
	c := cors{allowed: make(map[string]bool, len(origins))}
	for _, o := range origins {
		c.allowed[o] = true
	}
	return c
}

// allows reports whether origin (as the Origin header sends it) is one of CORS_ORIGINS.
func (c cors) allows(origin string) bool { return origin != "" && c.allowed[strings.ToLower(origin)] }

func (c cors) handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		allowed := c.allows(origin)
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if preflight {
			h.Add("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers")
			if allowed {
				h.Set("Access-Control-Allow-Origin", origin)
				h.Set("Access-Control-Allow-Credentials", "true")
				h.Set("Access-Control-Allow-Methods", corsMethods)
				h.Set("Access-Control-Allow-Headers", corsHeaders)
				h.Set("Access-Control-Max-Age", corsMaxAge)
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
		if allowed {
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Allow-Credentials", "true")
			h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		}
		next.ServeHTTP(w, r)
	})
}
