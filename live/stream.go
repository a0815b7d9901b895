package live

import (
	"net/http"
	"strconv"
	"time"
)

// Options are the hub's timings.
type Options struct {
	// Linger is how long the listening connection stays open after the last stream on this instance
	// closed. Default 2 min. While no page is open, no connection is held, so that a serverless
	// database (Neon) can suspend.
	Linger time.Duration
	// Heartbeat is how often an idle stream sends a comment, so that proxies (which close
	// connections idle for a minute or so) keep it open. Default 20 s.
	Heartbeat time.Duration
	// WriteTimeout bounds each write: a client that stops reading is cut after it. Default 10 s.
	WriteTimeout time.Duration
	// MaxAge ends a stream after this long; the browser reconnects at once with Last-Event-ID and
	// misses nothing, and the session is checked again. Default 15 min.
	MaxAge time.Duration
}

func (o Options) withDefaults() Options {
	if o.Heartbeat <= 0 {
		o.Heartbeat = 20 * time.Second
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = 10 * time.Second
	}
	if o.Linger <= 0 {
		o.Linger = 2 * time.Minute
	}
	if o.MaxAge <= 0 {
		o.MaxAge = 15 * time.Minute
	}
	return o
}

// reconnectAfter is what the stream asks browsers to wait before reconnecting (the SSE retry field).
const reconnectAfter = time.Second

// ServeStream answers GET /events for the signed-in user: a text/event-stream of the events of that
// user's task changes (see events.go), until the client goes, the hub closes (shutdown), the client
// falls too far behind, or MaxAge passes. The query parameter since (Unix milliseconds, when the page
// was rendered) and the header Last-Event-ID say where it resumes.
func (h *Hub) ServeStream(w http.ResponseWriter, r *http.Request, userID string) {
	pos := position{lastID: r.Header.Get("Last-Event-ID")}
	if ms, err := strconv.ParseInt(r.URL.Query().Get("since"), 10, 64); err == nil && ms > 0 {
		pos.since = time.UnixMilli(ms)
	}
	s, first, ok := h.open(userID, pos)
	if !ok {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "The server is shutting down.", http.StatusServiceUnavailable)
		return
	}
	defer h.close(s)

	o := h.opts
	rc := http.NewResponseController(w)
	// The server's read timeout would end the request (net/http cancels its context when the
	// connection's read deadline passes); its write timeout would cut the stream. Each write sets
	// a deadline of its own instead.
	_ = rc.SetReadDeadline(time.Time{})
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no") // nginx: pass events on as they come
	w.WriteHeader(http.StatusOK)

	write := func(msgs ...[]byte) bool {
		if err := rc.SetWriteDeadline(time.Now().Add(o.WriteTimeout)); err != nil {
			return false
		}
		for _, m := range msgs {
			if _, err := w.Write(m); err != nil {
				return false
			}
		}
		return rc.Flush() == nil
	}
	if !write(append([][]byte{[]byte("retry: " + strconv.Itoa(int(reconnectAfter.Milliseconds())) + "\n\n")}, first...)...) {
		return
	}
	beat := time.NewTicker(o.Heartbeat)
	defer beat.Stop()
	end := time.NewTimer(o.MaxAge)
	defer end.Stop()
	for {
		select {
		case m := <-s.out:
			if !write(m) {
				return
			}
			beat.Reset(o.Heartbeat)
		case <-beat.C:
			if !write(heartbeat) {
				return
			}
		case <-s.dropped:
			return
		case <-end.C:
			return
		case <-h.done:
			return
		case <-r.Context().Done():
			return
		}
	}
}
