package auth

import "crypto/rand"

const idAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// NewID returns 32 characters of [A-Za-z0-9], uniformly chosen from crypto/rand: the shape of Better
// Auth's user, session, account and verification ids and of its session tokens.
func NewID() string { return randomString(32) }

// randomString returns n characters of [A-Za-z0-9], uniformly chosen from crypto/rand.
func randomString(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, 64)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			panic("crypto/rand failed: " + err.Error()) // never happens on Linux; no safe fallback exists
		}
		for _, b := range buf {
			// 248 = 4*62: rejecting bytes above it keeps every character equally likely.
			if b < 248 && len(out) < n {
				out = append(out, idAlphabet[b%62])
			}
		}
	}
	return string(out)
}
