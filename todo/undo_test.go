package todo

import "testing"

func TestParseCompleted(t *testing.T) {
	for _, c := range []struct {
		raw     string
		present bool
		want    string // "flip", "true", "false" or "invalid"
	}{
		{"", false, "flip"}, {"true", true, "true"}, {"false", true, "false"},
		{"", true, "invalid"}, {"1", true, "invalid"}, {"TRUE", true, "invalid"}, {"on", true, "invalid"}, {" true", true, "invalid"},
	} {
		state, err := ParseCompleted(c.raw, c.present)
		got := "flip"
		switch {
		case err != nil:
			got = "invalid"
		case state != nil && *state:
			got = "true"
		case state != nil:
			got = "false"
		}
		if got != c.want {
			t.Errorf("ParseCompleted(%q, %v) = %s, want %s", c.raw, c.present, got, c.want)
		}
	}
}
