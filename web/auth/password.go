package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/scrypt"
	"golang.org/x/text/unicode/norm"
)

// Better Auth's scrypt parameters.
const (
	scryptN      = 16384
	scryptR      = 16
	scryptP      = 1
	scryptKeyLen = 64
)

// Password length rule, in UTF-16 code units of the raw input (Better Auth's rule).
const (
	MinPasswordLength = 8
	MaxPasswordLength = 128
)

// PasswordLength counts s in UTF-16 code units, as JavaScript's string length does.
func PasswordLength(s string) int { return len(utf16.Encode([]rune(s))) }

// ErrBusy: every hashing slot stayed taken for the whole wait. The caller answers 429 with
// Retry-After instead of queueing without bound.
var ErrBusy = errors.New("auth: too many password checks at once")

// Hasher computes scrypt hashes, at most a few at once: each takes about 32 MiB and tens of
// milliseconds of CPU, so an unbounded burst of sign-ins would exhaust memory. A request waits a
// short while for a slot and then gives up with ErrBusy, so a burst turns into quick 429s rather
// than a queue whose tail times out.
type Hasher struct {
	slots chan struct{}
	wait  time.Duration
}

// NewHasher allows at most concurrent hashes at once; a caller waits at most wait for a slot
// (0 or less: as long as its context allows).
func NewHasher(concurrent int, wait time.Duration) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(concurrent, 1)), wait: wait}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select { // a free slot is taken without arming a timer
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	var timeout <-chan time.Time
	if h.wait > 0 {
		t := time.NewTimer(h.wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-timeout:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.slots }

// Hash returns "<salt>:<key>": a fresh 16-byte salt as 32 lowercase hex characters, and the
// lowercase hex of scrypt(NFKC(password), the ASCII bytes of that hex salt).
// It waits for a free slot; ctx ending first returns ctx's error.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	saltHex := hex.EncodeToString(salt)
	key, err := h.derive(ctx, password, saltHex)
	if err != nil {
		return "", err
	}
	return saltHex + ":" + hex.EncodeToString(key), nil
}

// Verify reports whether password matches a stored hash, comparing in constant time. A malformed
// hash still costs one scrypt run, so its answer takes as long as a real one.
func (h *Hasher) Verify(ctx context.Context, password, stored string) (bool, error) {
	saltHex, keyHex, ok := strings.Cut(stored, ":")
	want, err := hex.DecodeString(keyHex)
	if !ok || err != nil || len(want) != scryptKeyLen {
		saltHex, want, ok = dummySalt, make([]byte, scryptKeyLen), false
	}
	got, err := h.derive(ctx, password, saltHex)
	if err != nil {
		return false, err
	}
	return ok && subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummySalt is used to spend the same work on a sign-in whose email is unknown or whose stored hash is
// unusable, so the answer's timing does not tell whether the account exists.
const dummySalt = "00000000000000000000000000000000"

// Burn spends one hash's worth of work and reports false: the unknown-email path of sign-in.
func (h *Hasher) Burn(ctx context.Context, password string) error {
	_, err := h.derive(ctx, password, dummySalt)
	return err
}

func (h *Hasher) derive(ctx context.Context, password, saltHex string) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer h.release()
	return scrypt.Key([]byte(norm.NFKC.String(password)), []byte(saltHex), scryptN, scryptR, scryptP, scryptKeyLen)
}
