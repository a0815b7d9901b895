package todo

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sort is the order of a list: by creation (the default), due date, priority or title.
type Sort int

const (
	ByCreated Sort = iota
	ByDue
	ByPriority
	ByTitle
)

// Sorts are the four, in the order the page offers them.
var Sorts = []Sort{ByCreated, ByDue, ByPriority, ByTitle}

var sortNames = map[Sort]string{ByCreated: "created", ByDue: "due", ByPriority: "priority", ByTitle: "title"}

// String is the sort's name in URLs: created, due, priority, title.
func (s Sort) String() string { return sortNames[s] }

// Label names the sort for a person.
func (s Sort) Label() string {
	switch s {
	case ByDue:
		return "Due date"
	case ByPriority:
		return "Priority"
	case ByTitle:
		return "Title"
	}
	return "Created"
}

// DefaultDesc is the sort's usual direction: high priority first; the others ascending.
func (s Sort) DefaultDesc() bool { return s == ByPriority }

// MatchCountCap bounds how many matching tasks a narrowed list counts; beyond it the page says
// "more than". A page: the first page's own rows (one more than it shows) are then the count, and
// counting further would read more of the user's tasks than the page does (for a search matching
// 50,000 tasks, a thousand candidates took several times the page's whole answer).
const MatchCountCap = PageSize

// MaxQueryLength bounds the search text, in characters.
const MaxQueryLength = 200

// Search is what narrows and orders a list beyond its filter: the search text, a tag, overdue only,
// and the sort. The zero Search is the whole list in creation order.
type Search struct {
	Q       string // a case-insensitive substring of title or description; "" for none
	Tag     string // tasks with this tag; "" for any
	Overdue bool   // tasks due before today only
	Sort    Sort
	Desc    bool // the order: descending (ties are broken by id ascending either way)
}

// Narrowed: the search shows fewer tasks than the filter (so the page says how many match).
func (s Search) Narrowed() bool { return s.Q != "" || s.Tag != "" || s.Overdue }

// Keyset is where a later page of a list starts: after the task with id ID, whose sort key was Key
// (for sorts other than created: the priority's name, the due date or "none", the lowercased title).
type Keyset struct {
	ID  int64
	Key string
}

// values writes the search into a query string, leaving out what is the default.
func (s Search) values(q url.Values) {
	if s.Q != "" {
		q.Set("q", s.Q)
	}
	if s.Tag != "" {
		q.Set("tag", s.Tag)
	}
	if s.Overdue {
		q.Set("due", "overdue")
	}
	if s.Sort != ByCreated {
		q.Set("sort", s.Sort.String())
	}
	if s.Desc != s.Sort.DefaultDesc() {
		if s.Desc {
			q.Set("order", "desc")
		} else {
			q.Set("order", "asc")
		}
	}
}

// ParseSearch reads q, tag, due, sort and order from a query string. Each value at fault is a
// *ValidationError naming the parameter; parameters it does not know are ignored.
func ParseSearch(query url.Values) (Search, error) {
	var s Search
	q := strings.TrimSpace(query.Get("q"))
	if err := checkText("q", q, false); err != nil {
		return Search{}, Invalid("q", "The search contains bytes that are not valid UTF-8 text or a control character.")
	}
	if n := utf8.RuneCountInString(q); n > MaxQueryLength {
		return Search{}, Invalid("q", "The search is too long: %d characters, at most %d.", n, MaxQueryLength)
	}
	s.Q = q
	if raw := query.Get("tag"); raw != "" {
		tag, err := NormalizeTag("tag", raw)
		if err != nil {
			return Search{}, err
		}
		s.Tag = tag
	}
	switch query.Get("due") {
	case "":
	case "overdue":
		s.Overdue = true
	default:
		return Search{}, Invalid("due", "The due filter can only be “overdue”.")
	}
	if raw := query.Get("sort"); raw != "" {
		found := false
		for sort, name := range sortNames {
			if raw == name {
				s.Sort, found = sort, true
			}
		}
		if !found {
			return Search{}, Invalid("sort", "The sort must be created, due, priority or title.")
		}
	}
	switch query.Get("order") {
	case "":
		s.Desc = s.Sort.DefaultDesc()
	case "asc":
	case "desc":
		s.Desc = true
	default:
		return Search{}, Invalid("order", "The order must be asc or desc.")
	}
	return s, nil
}

// KeyOf is the sort key of t as a keyset carries it; titleKey is the title as the database
// lowercases it for the title sort.
func (s Search) KeyOf(t Task, titleKey string) string {
	switch s.Sort {
	case ByDue:
		if t.DueDate.IsZero() {
			return "none"
		}
		return t.DueDate.String()
	case ByPriority:
		return t.Priority.String()
	case ByTitle:
		return titleKey
	}
	return ""
}

// validKey tells whether key can be the sort key of a keyset for this sort.
func (s Search) validKey(key string) bool {
	switch s.Sort {
	case ByDue:
		_, ok := ParseDate(key)
		return ok || key == "none"
	case ByPriority:
		_, ok := ParsePriority(key)
		return ok && key != ""
	case ByTitle:
		return utf8.ValidString(key) && key != "" && utf8.RuneCountInString(key) <= MaxTitleLength*2
	}
	return key == ""
}

func formatID(id int64) string { return strconv.FormatInt(id, 10) }

// Matches tells whether the search keeps the task (the sort keeps every task). The text is compared
// lowercased, as the database compares it for the common scripts.
func (s Search) Matches(t Task, today Date) bool {
	if s.Tag != "" && !slices.Contains(t.Tags, s.Tag) {
		return false
	}
	if s.Overdue && !t.Overdue(today) {
		return false
	}
	if s.Q != "" {
		q := strings.ToLower(s.Q)
		if !strings.Contains(strings.ToLower(t.Title), q) && !strings.Contains(strings.ToLower(t.Description), q) {
			return false
		}
	}
	return true
}
