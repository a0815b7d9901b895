package auth

import (
	"context"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/scrypt"
)

// A password hashed by the real Better Auth.
const docExampleHash = "e76ed77c04b0c6bfc945b1a24235df2b:1f0cd06d3c60d7c1b51eecfce4022c93537e8c12fee6931bc88c2a21a933caa65f84467ddec0fd0d7ba7b38e0af0c674092e9e6f05b7130fa2ad097d706adef2"

func TestVerifyDocExample(t *testing.T) {
	h := NewHasher(2, 0)
	ctx := context.Background()
	ok, err := h.Verify(ctx, "password123", docExampleHash)
	if err != nil || !ok {
		t.Fatalf("Verify(password123, example) = %v, %v; want true", ok, err)
	}
	for _, wrong := range []string{"password124", "Password123", "password123 ", ""} {
		if ok, err := h.Verify(ctx, wrong, docExampleHash); err != nil || ok {
			t.Errorf("Verify(%q, example) = %v, %v; want false", wrong, ok, err)
		}
	}
	// The salt is the ASCII of the hex string, not its 16 decoded bytes: the other reading of the
	// format does not reproduce the example.
	saltHex, keyHex, _ := strings.Cut(docExampleHash, ":")
	raw, _ := hex.DecodeString(saltHex)
	other, err := scrypt.Key([]byte("password123"), raw, scryptN, scryptR, scryptP, scryptKeyLen)
	if err != nil {
		t.Fatal(err)
	}
	if hex.EncodeToString(other) == keyHex {
		t.Fatal("decoded-salt reading matched too; the test would not tell the two apart")
	}
}

var hashFormat = regexp.MustCompile(`^[0-9a-f]{32}:[0-9a-f]{128}$`)

func TestHashFormatAndRoundTrip(t *testing.T) {
	h := NewHasher(2, 0)
	ctx := context.Background()
	// NFKC turns the ligatures into "fi"/"fl" and the circled digits into "1"/"2": either spelling
	// is the same password, as in Better Auth.
	const typed, nfkc = "ﬁﬂ-Passwörd-①②", "fifl-Passwörd-12"
	hash, err := h.Hash(ctx, typed)
	if err != nil {
		t.Fatal(err)
	}
	if len(hash) != 161 || !hashFormat.MatchString(hash) {
		t.Fatalf("hash %q is not 32 lowercase hex, ':', 128 lowercase hex", hash)
	}
	for _, pw := range []string{typed, nfkc} {
		if ok, err := h.Verify(ctx, pw, hash); err != nil || !ok {
			t.Errorf("Verify(%q) = %v, %v", pw, ok, err)
		}
	}
	if ok, _ := h.Verify(ctx, "fifl-Password-12", hash); ok {
		t.Error("a different password verified")
	}
	again, _ := h.Hash(ctx, typed)
	if again == hash {
		t.Error("two hashes of one password share a salt")
	}
}

func TestVerifyMalformedHashIsFalse(t *testing.T) {
	h := NewHasher(1, 0)
	for _, stored := range []string{"", "nocolon", "abc:xyz", docExampleHash[:100], strings.ToUpper(docExampleHash) + "00"} {
		ok, err := h.Verify(context.Background(), "password123", stored)
		if err != nil || ok {
			t.Errorf("Verify against %q = %v, %v; want false, nil", stored, ok, err)
		}
	}
}

func TestHasherGivesUpWhenBusy(t *testing.T) {
	h := NewHasher(1, 30*time.Millisecond)
	ctx := context.Background()
	if err := h.acquire(ctx); err != nil { // the only slot, held by "another request"
		t.Fatal(err)
	}
	start := time.Now()
	if err := h.Burn(ctx, "password123"); !errors.Is(err, ErrBusy) {
		t.Fatalf("Burn with no free slot = %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < 30*time.Millisecond || waited > 2*time.Second {
		t.Errorf("waited %v for a slot, want about 30ms", waited)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Hash(cancelled, "password123"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Hash with a cancelled context = %v", err)
	}
	h.release()
	if err := h.Burn(ctx, "password123"); err != nil {
		t.Fatalf("Burn with a free slot: %v", err)
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	const slots = 2
	h := NewHasher(slots, 0)
	errs := make(chan error, 6)
	peak := 0
	stop := make(chan struct{})
	watched := make(chan int)
	go func() { // sample how many slots are taken while the hashes run
		for {
			select {
			case <-stop:
				watched <- peak
				return
			default:
				peak = max(peak, len(h.slots))
				time.Sleep(time.Millisecond)
			}
		}
	}()
	for range cap(errs) {
		go func() { errs <- h.Burn(context.Background(), "password123") }()
	}
	for range cap(errs) {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	if p := <-watched; p > slots || p == 0 {
		t.Fatalf("peak slots in use = %d, want 1..%d", p, slots)
	}
}

func TestPasswordLengthCountsUTF16Units(t *testing.T) {
	cases := map[string]int{"": 0, "password": 8, "Passwörd": 8, "😀": 2, "ﬁﬂ-Passwörd-①②": 14, strings.Repeat("😀", 64): 128}
	for s, want := range cases {
		if got := PasswordLength(s); got != want {
			t.Errorf("PasswordLength(%q) = %d, want %d", s, got, want)
		}
	}
}
