package live

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"todo/store"
)

// Run connects the hub to the database until ctx ends: while this instance has open streams (and
// for Linger after the last one closed) it holds a listening connection (store.Listen), which
// reconnects with backoff when it breaks; every (re)connection tells the open pages to reload
// their list, since changes made meanwhile were not seen.
func (h *Hub) Run(ctx context.Context, cfg *pgx.ConnConfig) {
	check := min(h.opts.Linger/4, 5*time.Second)
	for {
		for h.Streams() == 0 {
			select {
			case <-ctx.Done():
				return
			case <-h.wake:
			}
		}
		lctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() {
			defer close(done)
			store.Listen(lctx, cfg, h)
		}()
		tick := time.NewTicker(check)
		for h.idleFor() < h.opts.Linger && ctx.Err() == nil {
			select {
			case <-ctx.Done():
			case <-tick.C:
			}
		}
		tick.Stop()
		cancel()
		<-done
		h.stopped()
		if ctx.Err() != nil {
			return
		}
		h.log.Info("live updates: no page open for a while; the listening connection is closed")
	}
}

// idleFor is how long no stream has been open (0 while one is).
func (h *Hub) idleFor() time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.count > 0 {
		return 0
	}
	return time.Since(h.idle)
}
