package web

import (
	"sync"
	"time"
)

// submissions remembers which new-task forms were already sent. Each rendered form carries a random
// nonce; a second POST of the same form (a double click with JavaScript off, where the browser
// abandons the first request but the server has already run it) adds nothing. htmx drops repeats
// in the browser (hx-sync); this covers plain forms. It lives in memory: it only has to outlast a
// double click, not a restart.
type submissions struct {
	mu      sync.Mutex
	seen    map[string]time.Time
	ttl     time.Duration
	maxSize int
}

func newSubmissions() *submissions {
	return &submissions{seen: make(map[string]time.Time), ttl: 10 * time.Minute, maxSize: 100_000}
}

// claim reports whether key is seen for the first time (and from now on remembers it). The empty
// key, a form without a nonce, is always new.
func (s *submissions) claim(key string, now time.Time) bool {
	if key == "" {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if at, ok := s.seen[key]; ok && now.Sub(at) < s.ttl {
		return false
	}
	if len(s.seen) >= s.maxSize {
		for k, at := range s.seen {
			if now.Sub(at) >= s.ttl {
				delete(s.seen, k)
			}
		}
		if len(s.seen) >= s.maxSize { // a flood of fresh nonces: forget them rather than grow
			clear(s.seen)
		}
	}
	s.seen[key] = now
	return true
}

// release forgets key: its submission failed, and sending the same form again must work.
func (s *submissions) release(key string) {
	if key == "" {
		return
	}
	s.mu.Lock()
	delete(s.seen, key)
	s.mu.Unlock()
}

// nonceKey scopes a form's nonce to its user; a nonce that is not the shape the page renders is
// ignored (the form is then simply not deduplicated).
func nonceKey(userID, nonce string) string {
	if nonce == "" || len(nonce) > 64 {
		return ""
	}
	for _, c := range nonce {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return ""
		}
	}
	return userID + "\x00" + nonce
}
