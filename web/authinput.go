package web

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"todo/web/auth"
)

// Input rules of the auth forms, the same as Better Auth's. Each check returns the message a
// person reads next to the field, or "" when the value is fine.

const (
	maxEmailLength = 254
	maxNameLength  = 100
)

// emailPattern is the rule Better Auth itself applies (zod 4's z.email(), which it calls on sign-up
// and sign-in): an address accepted here can always sign in through Better Auth too.
var emailPattern = regexp.MustCompile(`^(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}$`)

// normalizeEmail trims and lowercases an email as it is stored and looked up.
func normalizeEmail(raw string) (string, string) {
	if msg := unreadable(raw, "Email"); msg != "" {
		return "", msg
	}
	email := strings.TrimSpace(raw)
	switch {
	case email == "":
		return "", "Enter your email address."
	case utf8.RuneCountInString(email) > maxEmailLength:
		return "", fmt.Sprintf("Email is too long: at most %d characters.", maxEmailLength)
	case !emailPattern.MatchString(email):
		return "", "Enter a valid email address, like name@example.com."
	}
	// Better Auth matches only ASCII letters above, so ToLower is the same as its toLowerCase.
	return strings.ToLower(email), ""
}

// normalizeName trims a display name: 1 to 100 characters, no control characters.
func normalizeName(raw string) (string, string) {
	if msg := unreadable(raw, "Name"); msg != "" {
		return "", msg
	}
	name := strings.TrimSpace(raw)
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return "", "Enter your name."
	case n > maxNameLength:
		return "", fmt.Sprintf("Name is too long: %d characters, at most %d.", n, maxNameLength)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return "", "Name can't contain control characters such as line breaks or tabs."
		}
	}
	return name, ""
}

// checkNewPassword applies Better Auth's length rule, in UTF-16 code units of the raw input.
// Any character is allowed: the password is never trimmed, and NFKC happens inside the hash.
func checkNewPassword(pw string) string {
	if msg := unreadable(pw, "Password"); msg != "" {
		return msg
	}
	switch n := auth.PasswordLength(pw); {
	case n == 0:
		return "Choose a password."
	case n < auth.MinPasswordLength:
		return fmt.Sprintf("Password is too short: at least %d characters.", auth.MinPasswordLength)
	case n > auth.MaxPasswordLength:
		return fmt.Sprintf("Password is too long: at most %d characters.", auth.MaxPasswordLength)
	}
	return ""
}

// checkPassword is the rule for a password typed to sign in or confirm: present, readable, and not
// longer than any password can be (Better Auth refuses those before hashing, too). A short one is
// simply wrong, and is checked like any other so the answer does not differ.
func checkPassword(pw string) string {
	if msg := unreadable(pw, "Password"); msg != "" {
		return msg
	}
	switch n := auth.PasswordLength(pw); {
	case n == 0:
		return "Enter your password."
	case n > auth.MaxPasswordLength:
		return fmt.Sprintf("Password is too long: at most %d characters.", auth.MaxPasswordLength)
	}
	return ""
}

// unreadable refuses text that is not UTF-8 or holds NUL: neither can be stored or compared safely.
func unreadable(s, label string) string {
	if !utf8.ValidString(s) {
		return label + " contains bytes that are not valid UTF-8 text."
	}
	if strings.IndexByte(s, 0) >= 0 {
		return label + " contains a NUL character; remove it."
	}
	return ""
}
