package todo

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Task is one of a user's tasks.
type Task struct {
	ID          int64
	Title       string
	Description string // "" when none
	Completed   bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Limits on task text, counted in Unicode code points as PostgreSQL's varchar(n) counts them.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 1000
)

// Input is what a person types for a task.
type Input struct {
	Title       string
	Description string
}

// Normalize returns the input as it is stored (trimmed; a description "" means none), or a
// *ValidationError that says in words what breaks a rule. The database enforces the same rules, so
// no writer can store what this refuses.
func (in Input) Normalize() (Input, error) {
	title := strings.TrimSpace(in.Title)
	if err := checkText("title", title, false); err != nil {
		return Input{}, err
	}
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		return Input{}, Invalid("title", "Title can't be blank.")
	case n > MaxTitleLength:
		return Input{}, Invalid("title", "Title is too long: %d characters, at most %d.", n, MaxTitleLength)
	}

	// Browsers send textarea line breaks as CRLF; store plain LF.
	description := strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	if err := checkText("description", description, true); err != nil {
		return Input{}, err
	}
	if n := utf8.RuneCountInString(description); n > MaxDescriptionLength {
		return Input{}, Invalid("description", "Description is too long: %d characters, at most %d.", n, MaxDescriptionLength)
	}
	return Input{Title: title, Description: description}, nil
}

// checkText refuses text PostgreSQL could not store (invalid UTF-8, NUL) and control characters;
// multiline text may hold line breaks and tabs.
func checkText(field, s string, multiline bool) error {
	label := strings.ToUpper(field[:1]) + field[1:]
	if !utf8.ValidString(s) {
		return Invalid(field, "%s contains bytes that are not valid UTF-8 text.", label)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			return Invalid(field, "%s contains a control character (U+%04X); remove it.", label, r)
		}
	}
	return nil
}
