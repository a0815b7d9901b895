package auth

import (
	"regexp"
	"testing"
)

var idFormat = regexp.MustCompile(`^[A-Za-z0-9]{32}$`)

func TestNewIDShapeAndUniqueness(t *testing.T) {
	seen := make(map[string]bool)
	counts := make(map[rune]int)
	const n = 4000
	for range n {
		id := NewID()
		if !idFormat.MatchString(id) {
			t.Fatalf("NewID() = %q, want 32 characters of [A-Za-z0-9]", id)
		}
		if seen[id] {
			t.Fatalf("NewID() repeated %q", id)
		}
		seen[id] = true
		for _, c := range id {
			counts[c]++
		}
	}
	// Uniform over 62 characters: each is expected n*32/62 ≈ 2065 times (sd ≈ 45); a bias such as
	// a plain modulo of a byte would put some letters ~25% above the others.
	if len(counts) != 62 {
		t.Fatalf("only %d distinct characters used", len(counts))
	}
	want := float64(n*32) / 62
	for c, got := range counts {
		if f := float64(got) / want; f < 0.85 || f > 1.15 {
			t.Errorf("character %q appears %d times, expected about %.0f", c, got, want)
		}
	}
}
