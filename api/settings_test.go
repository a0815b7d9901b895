package api_test

import (
	"strings"
	"testing"

	"todo/api"
)

func TestParseSettings(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	s, err := api.ParseSettings(env(nil), mustURL("https://todo.example.com"))
	if err != nil || s.Issuer != "https://todo.example.com" || s.Audience != s.Issuer || len(s.Algorithms) != 3 ||
		s.RateLimit != 6000 || s.JWKSURL != "" || len(s.CORSOrigins) != 0 {
		t.Fatalf("defaults %+v, %v", s, err)
	}
	s, err = api.ParseSettings(env(map[string]string{
		"CORS_ORIGINS": " https://App.Example.com , http://localhost:3000/ ", "BETTER_AUTH_JWKS_URL": "https://auth.example.com/api/auth/jwks",
		"BETTER_AUTH_JWT_ISSUER": "https://auth.example.com", "BETTER_AUTH_JWT_AUDIENCE": "todo", "API_RATE_LIMIT": "0",
	}), mustURL("https://todo.example.com"))
	if err != nil || strings.Join(s.CORSOrigins, " ") != "https://app.example.com http://localhost:3000" ||
		s.Issuer != "https://auth.example.com" || s.Audience != "todo" || s.RateLimit != 0 || s.JWKSURL == "" {
		t.Fatalf("%+v, %v", s, err)
	}
	for name, value := range map[string]string{
		"CORS_ORIGINS": "https://app.example.com/path", "BETTER_AUTH_JWKS_URL": "ftp://x", "API_RATE_LIMIT": "-1",
		"BETTER_AUTH_JWT_ALGORITHMS": "HS256",
	} {
		if _, err := api.ParseSettings(env(map[string]string{name: value}), mustURL("http://localhost:8080")); err == nil ||
			!strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v", name, value, err)
		}
	}
}
