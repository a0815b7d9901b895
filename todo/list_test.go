package todo

import (
	"net/url"
	"testing"
)

func TestListURLsRoundTrip(t *testing.T) {
	for _, l := range []List{{Filter: All}, {Filter: Active}, {Filter: Completed}, {Filter: All, After: 7}, {Filter: Active, After: 120}, {Filter: Completed, After: 9223372036854775807}} {
		u, err := url.Parse(l.URL())
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := ParseList(u.Path, u.Query())
		if !ok || err != nil || got != l {
			t.Errorf("ParseList(%q) = %v, %v, %v; want %v", l.URL(), got, ok, err, l)
		}
	}
}

func TestParseListRefuses(t *testing.T) {
	if _, ok, _ := ParseList("/tasks", nil); ok {
		t.Error("/tasks read as a list page")
	}
	for _, after := range []string{"0", "-1", "+1", "1e3", " 1", "01x", "9223372036854775808", "x"} {
		if _, ok, err := ParseList("/active", url.Values{"after": {after}}); !ok || err != ErrNotFound {
			t.Errorf("after=%q: ok=%v err=%v, want a list page that is not found", after, ok, err)
		}
	}
}

func TestFilterMatchesAndCounts(t *testing.T) {
	open, done := Task{ID: 1}, Task{ID: 2, Completed: true}
	c := Counts{Active: 3, Completed: 2}
	for _, tc := range []struct {
		f          Filter
		open, done bool
		n          int
	}{{All, true, true, 5}, {Active, true, false, 3}, {Completed, false, true, 2}} {
		if tc.f.Matches(open) != tc.open || tc.f.Matches(done) != tc.done || c.Of(tc.f) != tc.n {
			t.Errorf("%v: matches open %v done %v, of %d", tc.f.Title(), tc.f.Matches(open), tc.f.Matches(done), c.Of(tc.f))
		}
		if f, ok := FilterOfPath(tc.f.Path()); !ok || f != tc.f {
			t.Errorf("FilterOfPath(%q) = %v, %v", tc.f.Path(), f, ok)
		}
	}
	if c.Added(open) != (Counts{4, 2}) || c.Added(done) != (Counts{3, 3}) {
		t.Error("Added counts the new task on the wrong side")
	}
	if c.AllDone() || !(Counts{Completed: 1}).AllDone() || (Counts{}).AllDone() {
		t.Error("AllDone")
	}
}
