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
	DueDate     Date // zero when none
	Priority    Priority
	Tags        []string // in the order stored; nil or empty when none
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Limits on task text, counted in Unicode code points as PostgreSQL's varchar(n) counts them.
const (
	MaxTitleLength       = 200
	MaxDescriptionLength = 1000
)

// Input is what a person types for a task. The due date, priority and tags are set only when their
// Has… flag is (a form that never showed them leaves them as they are); a new task takes the
// defaults for those not set.
type Input struct {
	Title       string
	Description string

	DueDate     string   // YYYY-MM-DD or "" (none)
	Priority    string   // none, low, medium, high; "" is none
	Tags        []string // as typed, one per element (SplitTags reads a form's one field)
	HasDueDate  bool
	HasPriority bool
	HasTags     bool
}

// Fields are the due date, priority and tags of a normalized Input, as the store writes them.
type Fields struct {
	DueDate  Date
	Priority Priority
	Tags     []string // never nil
}

// Fields reads the normalized input's due date, priority and tags (defaults where not set).
func (in Input) Fields() Fields {
	d, _ := ParseDate(in.DueDate)
	p, _ := ParsePriority(in.Priority)
	tags := in.Tags
	if tags == nil {
		tags = []string{}
	}
	return Fields{DueDate: d, Priority: p, Tags: tags}
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
	out := Input{Title: title, Description: description,
		HasDueDate: in.HasDueDate, HasPriority: in.HasPriority, HasTags: in.HasTags}
	if in.HasDueDate {
		due := strings.TrimSpace(in.DueDate)
		if _, ok := ParseDate(due); due != "" && !ok {
			return Input{}, Invalid("due_date", "The due date must be a calendar date written YYYY-MM-DD, such as 2026-12-24.")
		}
		out.DueDate = due
	}
	if in.HasPriority {
		p, ok := ParsePriority(strings.TrimSpace(in.Priority))
		if !ok {
			return Input{}, Invalid("priority", "The priority must be none, low, medium or high.")
		}
		out.Priority = p.String()
	}
	if in.HasTags {
		tags, err := NormalizeTags(in.Tags)
		if err != nil {
			return Input{}, err
		}
		out.Tags = tags
	}
	return out, nil
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
