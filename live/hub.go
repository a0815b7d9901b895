package live

import (
	"crypto/rand"
	"log/slog"
	"sync"
	"time"

	"todo/store"
)

// Limits of the record of recent changes and of each stream.
const (
	// recordSize is how many changes (of all users) the hub remembers for replay. A page that was
	// away for fewer changes than this gets exactly what it missed; one away longer reloads its list.
	recordSize = 4096
	// streamBuffer is how many events may wait for one stream. A client that reads slower than its
	// changes come is dropped (it reconnects and catches up), so a stalled reader holds at most this.
	streamBuffer = 32
	// renderSkew is how far the clock of the instance that rendered a page may be from this one's:
	// a page opening its stream gets the changes received since it was rendered, less this.
	renderSkew = 5 * time.Second
)

// change is one entry of the record: a notification as this instance received it.
type change struct {
	seq   uint64
	token string // the event id pages see: random, so that ids say nothing about others' changes
	at    time.Time
	store.Change
}

// Hub passes changes to the open streams of their user. It implements store.Listener.
type Hub struct {
	log  *slog.Logger
	opts Options

	mu      sync.Mutex
	streams map[string]map[*stream]struct{} // by user id
	count   int                             // open streams
	idle    time.Time                       // when count last fell to 0
	wake    chan struct{}                   // a stream opened (the listener may be needed)
	closed  bool
	done    chan struct{} // closed by Close: every stream ends

	// The record, valid while listening: every change received since from (or since the oldest
	// change kept, when the record is full).
	listening bool
	from      time.Time
	origin    string // the position before the record's first change: a fresh token per listening
	record    []change
	next      int // where the next change goes once the record is full
	seq       uint64
	byToken   map[string]uint64
}

// stream is one open GET /events.
type stream struct {
	user    string
	out     chan []byte
	dropped chan struct{} // closed when the hub gave up on a stream that does not keep up
}

// NewHub makes a hub; Run connects it to the database.
func NewHub(logger *slog.Logger, opts Options) *Hub {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{
		log: logger, opts: opts.withDefaults(), streams: map[string]map[*stream]struct{}{}, wake: make(chan struct{}, 1),
		done: make(chan struct{}), byToken: map[string]uint64{}, idle: time.Now(),
	}
}

// Close ends every stream (each writes nothing more and returns) and refuses new ones: the server's
// shutdown waits for in-flight requests, and a stream would otherwise never finish.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// Streams is how many streams are open.
func (h *Hub) Streams() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.count
}

// position is where a stream opens: the last id it saw (Last-Event-ID), or else the time its page
// was rendered; both empty: from now on.
type position struct {
	lastID string
	since  time.Time
}

// open registers a stream for user and returns what it must send first: the changes it missed, or
// a reset, or (nothing missed) an id to resume from. While the listener is not connected nothing can
// be vouched for: the stream gets a reset when it connects (see Listening).
func (h *Hub) open(user string, pos position) (*stream, [][]byte, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, nil, false
	}
	s := &stream{user: user, out: make(chan []byte, streamBuffer), dropped: make(chan struct{})}
	if h.streams[user] == nil {
		h.streams[user] = map[*stream]struct{}{}
	}
	h.streams[user][s] = struct{}{}
	h.count++
	select {
	case h.wake <- struct{}{}:
	default:
	}
	if !h.listening {
		return s, nil, true
	}
	return s, h.catchUp(user, pos), true
}

// catchUp is what a stream opening at pos has missed.
func (h *Hub) catchUp(user string, pos position) [][]byte {
	var after uint64
	switch {
	case pos.lastID != "":
		seq, ok := h.lookup(pos.lastID)
		if !ok {
			return [][]byte{resetEvent(h.current())}
		}
		after = seq
	case !pos.since.IsZero():
		since := pos.since.Add(-renderSkew)
		if since.Before(h.coveredFrom()) {
			return [][]byte{resetEvent(h.current())}
		}
		after = h.firstAt(since)
	default:
		return [][]byte{idOnly(h.current())}
	}
	var missed [][]byte
	h.each(func(c *change) {
		if c.seq > after && c.UserID == user {
			missed = append(missed, changeEvent(c))
		}
	})
	if len(missed) == 0 {
		missed = append(missed, idOnly(h.current()))
	}
	return missed
}

// close unregisters a stream.
func (h *Hub) close(s *stream) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.remove(s)
}

func (h *Hub) remove(s *stream) {
	set := h.streams[s.user]
	if _, ok := set[s]; !ok {
		return
	}
	delete(set, s)
	if len(set) == 0 {
		delete(h.streams, s.user)
	}
	h.count--
	if h.count == 0 {
		h.idle = time.Now()
	}
}

// deliver queues msg on every stream of user; a stream whose queue is full is dropped.
func (h *Hub) deliver(user string, msg []byte) {
	for s := range h.streams[user] {
		h.send(s, msg)
	}
}

func (h *Hub) send(s *stream, msg []byte) {
	select {
	case s.out <- msg:
	default:
		h.remove(s)
		close(s.dropped)
	}
}

// Listening starts a new record: whatever happened before it is unknown, so every open stream
// gets a reset (its page reloads the list), and ids from before it are no longer recognised.
func (h *Hub) Listening() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.listening, h.from = true, time.Now()
	h.origin = newToken()
	h.record, h.next = h.record[:0], 0
	clear(h.byToken)
	msg := resetEvent(h.origin)
	for _, set := range h.streams {
		for s := range set {
			h.send(s, msg)
		}
	}
	h.log.Info("live updates: listening for task changes", "streams", h.count)
}

// Lost: the listener's connection broke. Changes made until it is back are not seen; the streams
// stay open and get a reset once it is (see Listening).
func (h *Hub) Lost(err error) {
	h.mu.Lock()
	h.listening = false
	h.mu.Unlock()
	h.log.Warn("live updates: the listening connection is down; reconnecting", "err", err.Error())
}

// stopped: the listener was closed on purpose (no stream for a while).
func (h *Hub) stopped() {
	h.mu.Lock()
	h.listening = false
	h.mu.Unlock()
}

// Changed records a change and passes it to its user's streams.
func (h *Hub) Changed(c store.Change) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.listening {
		return
	}
	h.seq++
	e := change{seq: h.seq, token: newToken(), at: time.Now(), Change: c}
	if len(h.record) < recordSize {
		h.record = append(h.record, e)
	} else {
		old := h.record[h.next]
		delete(h.byToken, old.token)
		h.from = old.at // changes older than the next one kept are no longer known
		h.record[h.next] = e
		h.next = (h.next + 1) % recordSize
	}
	h.byToken[e.token] = e.seq
	if _, ok := h.streams[c.UserID]; ok {
		h.deliver(c.UserID, changeEvent(&e))
	}
}

// each visits the record oldest first.
func (h *Hub) each(f func(*change)) {
	for i := range h.record {
		f(&h.record[(h.next+i)%len(h.record)])
	}
}

// lookup finds the sequence number of an event id of the current record.
func (h *Hub) lookup(token string) (uint64, bool) {
	if token == h.origin {
		return 0, true
	}
	seq, ok := h.byToken[token]
	return seq, ok
}

// current is the id of the newest change recorded (or the record's origin): where a stream that
// has seen everything resumes from.
func (h *Hub) current() string {
	if len(h.record) == 0 {
		return h.origin
	}
	return h.record[(h.next+len(h.record)-1)%len(h.record)].token
}

// coveredFrom is the time since which every change is in the record.
func (h *Hub) coveredFrom() time.Time { return h.from }

// firstAt is the sequence number just before the first change received at or after t.
func (h *Hub) firstAt(t time.Time) uint64 {
	after := h.seq
	for i := len(h.record) - 1; i >= 0; i-- {
		c := &h.record[(h.next+i)%len(h.record)]
		if c.at.Before(t) {
			break
		}
		after = c.seq - 1
	}
	return after
}

// newToken is a fresh event id: 16 random base32 characters.
func newToken() string { return rand.Text()[:16] }
