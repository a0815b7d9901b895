package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"

	"todo/store"
	"todo/todo"
)

// keySource reads the public keys Better Auth signs JWTs with.
type keySource interface {
	keys(ctx context.Context) (map[string]jose.JSONWebKey, error)
	String() string
}

// errUnknownKey: the token names a key that is not among the published ones, even after reading
// them again.
var errUnknownKey = errors.New("the token's key is unknown")

// keyring holds the last read of the keys and reads them again when a token names a key it lacks
// (Better Auth rotated its key), at most once per refetch interval, and in the background once the
// read is older than maxAge. Lookups of known keys take no lock.
type keyring struct {
	src     keySource
	refetch time.Duration
	maxAge  time.Duration

	current    atomic.Pointer[keySnapshot]
	mu         sync.Mutex // one read at a time; guards lastRead
	lastRead   time.Time
	refreshing atomic.Bool
}

type keySnapshot struct {
	keys map[string]jose.JSONWebKey
	at   time.Time
}

func newKeyring(src keySource, refetch, maxAge time.Duration) *keyring {
	return &keyring{src: src, refetch: refetch, maxAge: maxAge}
}

// key returns the public key with the id kid. It is errUnknownKey when the source does not publish
// it, or todo.ErrUnavailable when the source cannot be read and the key is not known from before.
func (k *keyring) key(ctx context.Context, kid string) (jose.JSONWebKey, error) {
	if snap := k.current.Load(); snap != nil {
		if key, ok := snap.keys[kid]; ok {
			k.refreshIfOld(snap)
			return key, nil
		}
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if snap := k.current.Load(); snap != nil { // another request may have read them meanwhile
		if key, ok := snap.keys[kid]; ok {
			return key, nil
		}
	}
	if !k.lastRead.IsZero() && time.Since(k.lastRead) < k.refetch {
		return jose.JSONWebKey{}, errUnknownKey
	}
	if err := k.readLocked(ctx); err != nil {
		return jose.JSONWebKey{}, err
	}
	if key, ok := k.current.Load().keys[kid]; ok {
		return key, nil
	}
	return jose.JSONWebKey{}, errUnknownKey
}

// snapshot is the keys as last read (nil before the first read), and starts a read in the
// background once that read is older than maxAge, as a lookup of a known key does.
func (k *keyring) snapshot() *keySnapshot {
	snap := k.current.Load()
	if snap != nil {
		k.refreshIfOld(snap)
	}
	return snap
}

// refreshIfOld starts one read in the background when snap is older than maxAge.
func (k *keyring) refreshIfOld(snap *keySnapshot) {
	if time.Since(snap.at) > k.maxAge && k.refreshing.CompareAndSwap(false, true) {
		go k.refreshInBackground()
	}
}

// readLocked reads the keys from the source; the caller holds mu.
func (k *keyring) readLocked(ctx context.Context) error {
	k.lastRead = time.Now()
	keys, err := k.src.keys(ctx)
	if err != nil {
		return fmt.Errorf("%w: reading the JWT keys from %s: %v", todo.ErrUnavailable, k.src, err)
	}
	k.current.Store(&keySnapshot{keys: keys, at: time.Now()})
	return nil
}

func (k *keyring) refreshInBackground() {
	defer k.refreshing.Store(false)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	k.mu.Lock()
	defer k.mu.Unlock()
	k.readLocked(ctx) // on failure the old keys stay until a read succeeds
}

// urlKeys reads a JWKS document over HTTP (Better Auth's GET /api/auth/jwks).
type urlKeys struct {
	url    string
	client *http.Client
}

// maxJWKSBytes bounds the JWKS document read: a few keys take a few hundred bytes each.
const maxJWKSBytes = 1 << 20

func (u urlKeys) String() string { return u.url }

func (u urlKeys) keys(ctx context.Context) (map[string]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := u.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKSBytes)).Decode(&set); err != nil {
		return nil, fmt.Errorf("not a JWKS document: %v", err)
	}
	keys := make(map[string]jose.JSONWebKey, len(set.Keys))
	for _, key := range set.Keys {
		if key.KeyID != "" && key.Valid() && key.IsPublic() {
			keys[key.KeyID] = key
		}
	}
	return keys, nil
}

// tableKeys reads the jwt plugin's jwks table in the shared database.
type tableKeys struct{ store *store.Store }

func (tableKeys) String() string { return "the jwks table" }

func (t tableKeys) keys(ctx context.Context) (map[string]jose.JSONWebKey, error) {
	rows, err := t.store.PublicKeys(ctx)
	if err != nil {
		return nil, err
	}
	keys := make(map[string]jose.JSONWebKey, len(rows))
	for _, row := range rows {
		key, err := publicKeyOfRow(row)
		if err != nil {
			continue // a row this app cannot read is a key it cannot verify with; the others still work
		}
		keys[row.ID] = key
	}
	return keys, nil
}

// publicKeyOfRow is a row's public_key JWK with the row's id as kid and its alg (the plugin's
// default, EdDSA, when the column is NULL), as Better Auth's JWKS endpoint publishes it.
func publicKeyOfRow(row store.PublicKey) (jose.JSONWebKey, error) {
	var fields map[string]any
	if err := json.Unmarshal([]byte(row.JWK), &fields); err != nil {
		return jose.JSONWebKey{}, err
	}
	alg := row.Alg
	if alg == "" {
		alg = string(jose.EdDSA)
	}
	fields["kid"], fields["alg"] = row.ID, alg
	delete(fields, "d") // never a private part, should a row hold one
	raw, err := json.Marshal(fields)
	if err != nil {
		return jose.JSONWebKey{}, err
	}
	var key jose.JSONWebKey
	if err := key.UnmarshalJSON(raw); err != nil {
		return jose.JSONWebKey{}, err
	}
	if !key.Valid() || !key.IsPublic() {
		return jose.JSONWebKey{}, errors.New("not a public key")
	}
	return key, nil
}
