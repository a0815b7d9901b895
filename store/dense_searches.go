package store

import (
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
)

// denseSearches remembers, for a while, the searches (user and text) whose candidates the last
// sampled page found close together. Such a search's next pages, and the same page asked again (a
// redraw after a live update, "Load more", Back), are read as one bounded range of the user's
// tasks (see denseWindow), without first choosing the rarest trigram and sampling its postings,
// which costs as much again as reading the page.
//
// What is remembered only decides how a page is read, never what it holds: a range that runs out
// before the page is full goes on with the sampled search from where it stopped, which remembers
// anew. So an entry that has gone stale (the tasks changed since) costs a second statement, never
// a wrong page, and each instance keeping its own entries needs no coordination.
type denseSearches struct {
	seen *lru.Cache[denseKey, time.Time]
}

type denseKey struct{ userID, q string }

const (
	// denseSearchesKept bounds the memory: an entry is two short strings.
	denseSearchesKept = 4096
	// denseSearchFor is how long a sample stays trusted: long enough for a person to page through
	// a search, short enough that a list that has changed much is sampled again soon.
	denseSearchFor = time.Minute
)

func newDenseSearches() *denseSearches {
	c, _ := lru.New[denseKey, time.Time](denseSearchesKept) // errors only for a size below 1
	return &denseSearches{seen: c}
}

// dense tells whether the search was last sampled dense, within denseSearchFor.
func (d *denseSearches) dense(userID, q string) bool {
	k := denseKey{userID, q}
	at, ok := d.seen.Get(k)
	if ok && time.Since(at) > denseSearchFor {
		d.seen.Remove(k)
		return false
	}
	return ok
}

// sampled records what a sampled page found.
func (d *denseSearches) sampled(userID, q string, dense bool) {
	k := denseKey{userID, q}
	if dense {
		d.seen.Add(k, time.Now())
	} else {
		d.seen.Remove(k)
	}
}
