package apptest

import (
	"bytes"
	"strings"
	"sync"
)

// Output collects what a process (or concurrent handlers) write, safe to read while they write.
// The zero value is ready to use.
type Output struct {
	// Limit, when positive, is the most bytes kept: later writes are dropped (and reported as
	// written), keeping the start, which says what went wrong first.
	Limit int

	mu sync.Mutex
	b  bytes.Buffer
}

func (o *Output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.Limit > 0 && o.b.Len() > o.Limit {
		return len(p), nil
	}
	return o.b.Write(p)
}

// String is everything kept so far.
func (o *Output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

// Tail is at most the last n bytes kept so far, without surrounding white space: enough of the
// output for a failure message.
func (o *Output) Tail(n int) string {
	s := strings.TrimSpace(o.String())
	if len(s) > n {
		s = s[len(s)-n:]
	}
	return s
}
