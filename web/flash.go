package web

import (
	"crypto/sha256"
	"net/http"

	"github.com/gorilla/sessions"
)

// flashCookie carries one-shot messages across a redirect ("Signed out.", "Task deleted.").
const flashCookie = "todo_flash"

type flashes struct {
	store *sessions.CookieStore
}

func newFlashes(secret string, secure bool) *flashes {
	// A key of its own, derived from the shared secret, so the flash cookie never reuses the
	// session cookie's HMAC key for another purpose.
	key := sha256.Sum256([]byte("todo flash messages\x00" + secret))
	cs := sessions.NewCookieStore(key[:])
	// gorilla/sessions sets none of these by default: set them explicitly.
	cs.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   0, // a browser-session cookie: it only has to survive one redirect
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	return &flashes{store: cs}
}

// Add queues a message for the next page the browser shows.
func (f *flashes) Add(w http.ResponseWriter, r *http.Request, message string) {
	sess, _ := f.store.Get(r, flashCookie) // a bad or stale cookie just starts a new session
	sess.AddFlash(message)
	_ = sess.Save(r, w) // only fails on encoding, which strings don't
}

// Take returns the queued messages and clears them.
func (f *flashes) Take(w http.ResponseWriter, r *http.Request) []string {
	if _, err := r.Cookie(flashCookie); err != nil {
		return nil
	}
	sess, _ := f.store.Get(r, flashCookie)
	var out []string
	for _, v := range sess.Flashes() {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	sess.Options.MaxAge = -1 // nothing left: delete the cookie
	_ = sess.Save(r, w)
	return out
}
