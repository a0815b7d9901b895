package auth

import (
	"crypto/subtle"
	"strings"
	"time"
)

// Better Auth's password-reset tokens: 24 characters of [A-Za-z0-9], kept in a verifications row
// whose identifier is "reset-password:<token>", whose value is the user id, and which expires an hour
// after it was made. A token made by either side is a row the other accepts.
const (
	ResetTokenLength   = 24
	ResetTokenLifetime = time.Hour
	resetPrefix        = "reset-password:"
)

// NewResetToken returns a fresh reset token.
func NewResetToken() string { return randomString(ResetTokenLength) }

// ResetIdentifier is the verifications.identifier of a reset token.
func ResetIdentifier(token string) string { return resetPrefix + token }

// WellFormedResetToken reports whether token can be a reset token at all: Better Auth's length and
// alphabet. Anything else is refused before the database is asked.
func WellFormedResetToken(token string) bool {
	if len(token) != ResetTokenLength {
		return false
	}
	for i := 0; i < len(token); i++ {
		if !strings.ContainsRune(idAlphabet, rune(token[i])) {
			return false
		}
	}
	return true
}

// SameResetIdentifier compares a stored identifier with the one a token names, in constant time.
func SameResetIdentifier(stored, token string) bool {
	return subtle.ConstantTimeCompare([]byte(stored), []byte(ResetIdentifier(token))) == 1
}
