package todo

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Priority is how urgent a task is: none (the default), low, medium or high. Its value is its rank,
// which the priority sort orders by.
type Priority int8

const (
	PriorityNone Priority = iota
	PriorityLow
	PriorityMedium
	PriorityHigh
)

// Priorities are the four, lowest first.
var Priorities = []Priority{PriorityNone, PriorityLow, PriorityMedium, PriorityHigh}

var priorityNames = [...]string{"none", "low", "medium", "high"}

// String is the priority's name in forms, URLs, markup and JSON: "none", "low", "medium", "high".
func (p Priority) String() string {
	if p < PriorityNone || p > PriorityHigh {
		return "none"
	}
	return priorityNames[p]
}

// Label is the priority as a person reads it: "No priority", "Low", "Medium", "High".
func (p Priority) Label() string {
	if p == PriorityNone {
		return "No priority"
	}
	s := p.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

// ParsePriority reads a priority's name; "" is none.
func ParsePriority(s string) (Priority, bool) {
	if s == "" {
		return PriorityNone, true
	}
	for i, n := range priorityNames {
		if s == n {
			return Priority(i), true
		}
	}
	return PriorityNone, false
}

// Limits on tags.
const (
	MaxTags      = 10
	MaxTagLength = 32
)

// DateLayout is how a due date is written in forms, URLs, markup and JSON: 2026-12-24.
const DateLayout = "2006-01-02"

// Date is a calendar date (a due date). The zero Date is no date.
type Date struct{ t time.Time } // midnight UTC of the day

// DateOf is the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate reads YYYY-MM-DD (a real calendar day, 0001-01-02 to 9999-12-31: the first day of year
// 1 is the zero Date, no date).
func ParseDate(s string) (Date, bool) {
	if len(s) != len(DateLayout) {
		return Date{}, false
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Year() < 1 || t.IsZero() {
		return Date{}, false
	}
	return Date{t}, true
}

// IsZero: no date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is YYYY-MM-DD, or "" for no date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(DateLayout)
}

// Time is midnight UTC of the day (the zero time for no date).
func (d Date) Time() time.Time { return d.t }

// DaysAfter is how many days d comes after other (negative: before).
func (d Date) DaysAfter(other Date) int {
	return int(d.t.Sub(other.t).Hours() / 24)
}

// Overdue: the task's due date is before today (what due=overdue lists, done or not).
func (t Task) Overdue(today Date) bool {
	return !t.DueDate.IsZero() && t.DueDate.DaysAfter(today) < 0
}

// SplitTags reads tags as a person types them in one field: separated by spaces and/or commas.
func SplitTags(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// NormalizeTag is a tag as it is stored: trimmed, lowercased, a leading # dropped; then 1–32
// characters of a-z, 0-9, - and _, else a *ValidationError for field.
func NormalizeTag(field, raw string) (string, error) {
	tag := strings.ToLower(strings.TrimSpace(raw))
	tag = strings.TrimPrefix(tag, "#")
	if !utf8.ValidString(tag) {
		return "", Invalid(field, "A tag contains bytes that are not valid UTF-8 text.")
	}
	if tag == "" {
		return "", Invalid(field, "A tag can't be empty.")
	}
	if n := utf8.RuneCountInString(tag); n > MaxTagLength {
		return "", Invalid(field, "The tag “%s” is too long: %d characters, at most %d.", tag, n, MaxTagLength)
	}
	for _, r := range tag {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "", Invalid(field, "The tag “%s” may hold only letters a–z, digits, “-” and “_”.", tag)
		}
	}
	return tag, nil
}

// NormalizeTags applies NormalizeTag to each tag, drops duplicates (keeping the first), and allows at
// most MaxTags.
func NormalizeTags(raw []string) ([]string, error) {
	out := make([]string, 0, len(raw))
	seen := make(map[string]bool, len(raw))
	for _, r := range raw {
		tag, err := NormalizeTag("tags", r)
		if err != nil {
			return nil, err
		}
		if !seen[tag] {
			seen[tag] = true
			out = append(out, tag)
		}
	}
	if len(out) > MaxTags {
		return nil, Invalid("tags", "Too many tags: %d, at most %d.", len(out), MaxTags)
	}
	return out, nil
}

// Location is the time zone "today" is taken in (due dates shown in words, due=overdue): UTC unless
// the server is configured otherwise at start-up.
var Location = time.UTC

// Today is the current calendar date in Location.
func Today() Date { return DateOf(time.Now().In(Location)) }
