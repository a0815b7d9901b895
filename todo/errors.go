package todo

import (
	"errors"
	"fmt"
)

// The domain errors. The store returns them; web maps them to HTTP status codes in one place.
var (
	// ErrNotFound: the row does not exist, or it belongs to another user (the two are never told apart).
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the input breaks a rule; the wrapped *ValidationError says which, in words.
	ErrInvalid = errors.New("invalid input")
	// ErrConflict: the write would duplicate something unique, such as an email address.
	ErrConflict = errors.New("conflict")
	// ErrUnavailable: the database could not be reached or did not answer in time.
	ErrUnavailable = errors.New("database unavailable")
	// ErrUserGone: the user a write was made for no longer exists (the account was deleted
	// meanwhile). Their session ended with them: it is answered like a request without one.
	ErrUserGone = errors.New("user no longer exists")
)

// ValidationError names the field at fault and says what is wrong with it, for a person to read.
type ValidationError struct {
	Field   string
	Message string
}

func (e *ValidationError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }

// Is makes errors.Is(err, ErrInvalid) true for every validation error.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

// Invalid is a *ValidationError for field with a message in words.
func Invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Message: fmt.Sprintf(format, args...)}
}
