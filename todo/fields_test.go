package todo

import (
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTagsAreNormalized(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want []string
	}{
		{[]string{" Work ", "#Home", "work", "#work", "a-b_c", "x9"}, []string{"work", "home", "a-b_c", "x9"}},
		{SplitTags(" #Urgent, errands,,home  urgent\tlater\n"), []string{"urgent", "errands", "home", "later"}},
		{[]string{strings.Repeat("a", MaxTagLength)}, []string{strings.Repeat("a", MaxTagLength)}},
		{[]string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "T10", "#t1"}, []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10"}},
		{nil, []string{}},
	} {
		got, err := NormalizeTags(tc.in)
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("NormalizeTags(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range [][]string{
		{"#"}, {" "}, {strings.Repeat("a", MaxTagLength+1)}, {"été"}, {"a.b"}, {"a/b"}, {"##a"}, {"tag\x00"},
		{"\xff"}, {"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "t10", "t11"},
	} {
		got, err := NormalizeTags(bad)
		var v *ValidationError
		if !errors.As(err, &v) || v.Field != "tags" || got != nil {
			t.Errorf("NormalizeTags(%q) = %q, %v; want a validation error for tags", bad, got, err)
		}
	}
}

func TestPriorities(t *testing.T) {
	for i, name := range []string{"none", "low", "medium", "high"} {
		p, ok := ParsePriority(name)
		if !ok || p != Priority(i) || p.String() != name || Priorities[i] != p {
			t.Errorf("ParsePriority(%q) = %v, %v", name, p, ok)
		}
	}
	if p, ok := ParsePriority(""); !ok || p != PriorityNone {
		t.Errorf(`ParsePriority("") = %v, %v; want none`, p, ok)
	}
	for _, bad := range []string{"High", "urgent", "0", "3", " low"} {
		if _, ok := ParsePriority(bad); ok {
			t.Errorf("ParsePriority(%q) accepted", bad)
		}
	}
	if PriorityNone.Label() != "No priority" || PriorityHigh.Label() != "High" || !(PriorityHigh > PriorityMedium) {
		t.Error("labels or ranks")
	}
}

func TestDueDates(t *testing.T) {
	for _, ok := range []string{"2026-12-24", "2024-02-29", "0001-01-02", "9999-12-31"} {
		if d, valid := ParseDate(ok); !valid || d.String() != ok {
			t.Errorf("ParseDate(%q) = %v, %v", ok, d, valid)
		}
	}
	for _, bad := range []string{"", "2026-2-4", "2026-02-30", "2025-02-29", "24-12-2026", "2026/12/24", "2026-12-24T00:00", " 2026-12-24", "0000-01-01", "0001-01-01"} {
		if _, valid := ParseDate(bad); valid {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
	today, _ := ParseDate("2026-12-03")
	yesterday, _ := ParseDate("2026-12-02")
	if (Task{DueDate: yesterday}).Overdue(today) != true || (Task{DueDate: today}).Overdue(today) ||
		(Task{}).Overdue(today) || yesterday.DaysAfter(today) != -1 {
		t.Error("overdue is a due date before today, not today or none")
	}
	// The calendar date of a moment is the one in its own zone: late evening in New York is the
	// next day in UTC.
	ny, err := time.LoadLocation("America/New_York")
	if err == nil {
		if d := DateOf(time.Date(2026, 12, 3, 23, 30, 0, 0, ny)); d.String() != "2026-12-03" {
			t.Errorf("DateOf in New York = %s", d)
		}
	}

	// Past dates are allowed; a bad one is refused for due_date; a bad priority for priority.
	in, err := Input{Title: "x", DueDate: " 2001-01-01 ", HasDueDate: true, Priority: "high", HasPriority: true}.Normalize()
	if err != nil || in.DueDate != "2001-01-01" || in.Priority != "high" {
		t.Errorf("Normalize = %+v, %v", in, err)
	}
	for field, input := range map[string]Input{
		"due_date": {Title: "x", DueDate: "tomorrow", HasDueDate: true},
		"priority": {Title: "x", Priority: "urgent", HasPriority: true},
		"tags":     {Title: "x", Tags: []string{"no spaces?"}, HasTags: true},
	} {
		var v *ValidationError
		if _, err := input.Normalize(); !errors.As(err, &v) || v.Field != field {
			t.Errorf("Normalize(%+v) = %v; want a validation error for %s", input, err, field)
		}
	}
}

func TestListURLsRoundTripWithEveryParameter(t *testing.T) {
	lists := []List{
		{Filter: Active, Search: Search{Q: "Buy milk & eggs?", Tag: "work", Overdue: true, Sort: ByDue, Desc: true}, After: 42, AfterKey: "2026-12-24"},
		{Filter: Completed, Search: Search{Sort: ByDue}, After: 9, AfterKey: "none"},
		{Filter: All, Search: Search{Sort: ByPriority, Desc: true}, After: 3, AfterKey: "high"},
		{Filter: All, Search: Search{Sort: ByPriority}, After: 3, AfterKey: "none"},
		{Filter: All, Search: Search{Sort: ByTitle, Q: "ü"}, After: 5, AfterKey: "straße & co"},
		{Filter: Completed, Search: Search{Sort: ByCreated, Desc: true, Tag: "a-b_c"}, After: 1},
		{Filter: All, Search: Search{Q: "#%+/ ="}},
	}
	for _, l := range lists {
		u, err := url.Parse(l.URL())
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := ParseList(u.Path, u.Query())
		if !ok || err != nil || got != l {
			t.Errorf("ParseList(%q) = %+v, %v, %v; want %+v", l.URL(), got, ok, err, l)
		}
	}
	// Defaults are left out of the address.
	if u := (List{Filter: All, Search: Search{Sort: ByPriority, Desc: true}}).URL(); u != "/?sort=priority" {
		t.Errorf("priority high first = %q", u)
	}
	if u := (List{Filter: Active, Search: Search{Sort: ByTitle}}).URL(); u != "/active?sort=title" {
		t.Errorf("title ascending = %q", u)
	}
}

func TestParseSearchRefusesBadValues(t *testing.T) {
	for param, bad := range map[string]string{
		"sort": "size", "order": "up", "due": "today", "tag": "not a tag", "q": strings.Repeat("x", MaxQueryLength+1),
	} {
		_, err := ParseSearch(url.Values{param: {bad}})
		var v *ValidationError
		if !errors.As(err, &v) || v.Field != param {
			t.Errorf("%s=%q: %v; want a validation error for %s", param, bad, err, param)
		}
	}
	if s, err := ParseSearch(url.Values{"tag": {"#Work"}, "q": {"  milk "}, "unknown": {"x"}}); err != nil || s.Tag != "work" || s.Q != "milk" {
		t.Errorf("ParseSearch = %+v, %v", s, err)
	}
	// A keyset that is not one of the sort's keys is no page of the list.
	for sort, key := range map[string]string{"due": "soon", "priority": "urgent", "title": "", "created": "x"} {
		if _, _, err := ParseList("/", url.Values{"sort": {sort}, "after": {"5"}, "key": {key}}); err != ErrNotFound {
			t.Errorf("sort=%s key=%q: %v; want not found", sort, key, err)
		}
	}
}
