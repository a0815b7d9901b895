package web

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// jobs runs work after the answer has gone out (looking up an account and mailing it a link), a
// bounded number at once, each under its own deadline. A request whose job finds no free slot is
// told to try again, whatever the job would have done.
type jobs struct {
	slots   chan struct{}
	timeout time.Duration
	log     *slog.Logger
	running sync.WaitGroup
}

// Bounds of the background work: a mail takes a second or two to hand to an SMTP server, so 64 at
// once is far above what people asking for reset links ever need and bounds what a flood can pile up.
const (
	jobSlots   = 64
	jobTimeout = 30 * time.Second
)

func newJobs(logger *slog.Logger) *jobs {
	return &jobs{slots: make(chan struct{}, jobSlots), timeout: jobTimeout, log: logger}
}

// Go starts fn in the background and reports whether it had a slot.
func (j *jobs) Go(fn func(ctx context.Context)) bool {
	select {
	case j.slots <- struct{}{}:
	default:
		return false
	}
	j.running.Add(1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				j.log.Error("background job panicked", "panic", v)
			}
			<-j.slots
			j.running.Done()
		}()
		ctx, cancel := context.WithTimeout(context.Background(), j.timeout)
		defer cancel()
		fn(ctx)
	}()
	return true
}

// Wait blocks until every started job has finished.
func (j *jobs) Wait() { j.running.Wait() }
