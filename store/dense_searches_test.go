package store

import (
	"testing"
	"time"
)

// A search is remembered dense per user and text, until a sample finds it spread thin or the entry
// is older than denseSearchFor.
func TestDenseSearchesRememberASampleForAWhile(t *testing.T) {
	d := newDenseSearches()
	if d.dense("ann", "milk") {
		t.Fatal("dense before any sample")
	}
	d.sampled("ann", "milk", true)
	if !d.dense("ann", "milk") {
		t.Fatal("a dense sample is not remembered")
	}
	if d.dense("bob", "milk") || d.dense("ann", "mil") {
		t.Fatal("another user's search, or another text, counts as sampled")
	}
	d.sampled("ann", "milk", false)
	if d.dense("ann", "milk") {
		t.Fatal("a thin sample does not replace a dense one")
	}
	d.seen.Add(denseKey{"ann", "milk"}, time.Now().Add(-denseSearchFor-time.Second))
	if d.dense("ann", "milk") {
		t.Fatal("an old sample is still trusted")
	}
	if d.seen.Contains(denseKey{"ann", "milk"}) {
		t.Fatal("an old sample is kept")
	}
}
