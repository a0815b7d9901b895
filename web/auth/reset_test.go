package auth

import (
	"regexp"
	"strings"
	"testing"
)

func TestResetTokens(t *testing.T) {
	shape := regexp.MustCompile(`^[A-Za-z0-9]{24}$`)
	seen := map[string]bool{}
	for range 1000 {
		tok := NewResetToken()
		if !shape.MatchString(tok) || seen[tok] || !WellFormedResetToken(tok) {
			t.Fatalf("NewResetToken() = %q", tok)
		}
		seen[tok] = true
	}
	// The measured Better Auth example: 24 characters, this identifier.
	const ba = "RqvOthhu1OTBoi8QTY8JkUM5"
	if !WellFormedResetToken(ba) || ResetIdentifier(ba) != "reset-password:RqvOthhu1OTBoi8QTY8JkUM5" {
		t.Fatal("Better Auth's token is not accepted")
	}
	for _, bad := range []string{"", ba[:23], ba + "x", ba[:23] + "-", ba[:23] + "é", strings.Repeat(" ", 24)} {
		if WellFormedResetToken(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
	if !SameResetIdentifier("reset-password:"+ba, ba) || SameResetIdentifier("reset-password:"+ba, strings.ToLower(ba)) ||
		SameResetIdentifier("email-verification:"+ba, ba) {
		t.Fatal("SameResetIdentifier")
	}
}
