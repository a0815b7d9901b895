package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on task text, counted in Unicode code points as PostgreSQL's varchar(n) counts them.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 1000
)

// TaskInput is what a person types for a task. Normalize trims it and checks every rule the database
// also enforces, so bad input is refused with a reason before any statement runs.
type TaskInput struct {
	Title       string
	Description string
}

// normalize returns the title and description as they will be stored (description "" means NULL).
func (in TaskInput) normalize() (title, description string, err error) {
	title = strings.TrimSpace(in.Title)
	if err := checkText("title", title, false); err != nil {
		return "", "", err
	}
	switch n := utf8.RuneCountInString(title); {
	case n == 0:
		return "", "", invalid("title", "Title can't be blank.")
	case n > MaxTitleLength:
		return "", "", invalid("title", "Title is too long: %d characters, at most %d.", n, MaxTitleLength)
	}

	// Browsers send textarea line breaks as CRLF; store plain LF.
	description = strings.TrimSpace(strings.ReplaceAll(in.Description, "\r\n", "\n"))
	if err := checkText("description", description, true); err != nil {
		return "", "", err
	}
	if n := utf8.RuneCountInString(description); n > MaxDescriptionLength {
		return "", "", invalid("description", "Description is too long: %d characters, at most %d.", n, MaxDescriptionLength)
	}
	return title, description, nil
}

// checkText refuses text PostgreSQL could not store (invalid UTF-8, NUL) and control characters;
// multiline text may hold line breaks and tabs.
func checkText(field, s string, multiline bool) error {
	label := strings.ToUpper(field[:1]) + field[1:]
	if !utf8.ValidString(s) {
		return invalid(field, "%s contains bytes that are not valid UTF-8 text.", label)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t' || r == '\r') {
			continue
		}
		if unicode.IsControl(r) {
			return invalid(field, "%s contains a control character (U+%04X); remove it.", label, r)
		}
	}
	return nil
}
