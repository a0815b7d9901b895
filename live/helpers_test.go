package live_test

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/live"
	"todo/store"
	"todo/web"
	"todo/web/auth"
)

const secret = "live-test-secret-0123456789-abcdefghijklmnopqrstuvwxyz"

// instance is one app instance: the whole web handler with its hub, on a real listener, sharing the
// test's database with any other instance.
type instance struct {
	hub    *live.Hub
	server *httptest.Server
	store  *store.Store
}

func newInstance(t *testing.T, databaseURL string, opts live.Options) *instance {
	t.Helper()
	st := pgtest.OpenStore(t, databaseURL)
	cfg, err := store.ParseURL(databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	hub := live.NewHub(slog.New(slog.NewTextHandler(io.Discard, nil)), opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		hub.Run(ctx, store.ListenConfig(cfg))
	}()
	srv := httptest.NewUnstartedServer(nil)
	base, _ := url.Parse("http://" + srv.Listener.Addr().String())
	h, err := web.NewServer(web.Config{Store: st, Secret: secret, BaseURL: base, Live: hub})
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = h
	srv.Start()
	t.Cleanup(func() {
		hub.Close()
		srv.Close()
		cancel()
		<-done
	})
	return &instance{hub: hub, server: srv, store: st}
}

// user is a signed-in person: their id and session cookie.
type user struct {
	ID     string
	Cookie string
}

func newUser(t *testing.T, st *store.Store, name string) user {
	t.Helper()
	ctx := context.Background()
	u, err := st.CreateUser(ctx, store.NewUser{
		UserID: auth.NewID(), AccountID: auth.NewID(), Name: name,
		Email:        strings.ToLower(name) + "-" + strings.ToLower(auth.NewID()[:8]) + "@example.test",
		PasswordHash: "00000000000000000000000000000000:" + strings.Repeat("00", 64),
	})
	if err != nil {
		t.Fatal(err)
	}
	token := auth.NewID()
	if err := st.CreateSession(ctx, store.Session{
		ID: auth.NewID(), Token: token, UserID: u.ID, ExpiresAt: time.Now().Add(auth.SessionLifetime),
	}); err != nil {
		t.Fatal(err)
	}
	c := auth.NewCookies(secret, false)
	return user{ID: u.ID, Cookie: c.Name() + "=" + c.Value(token)}
}

// post sends an htmx form post as the list page does and requires 200.
func (in *instance) post(t *testing.T, u user, path string, form url.Values) string {
	t.Helper()
	req, _ := http.NewRequest("POST", in.server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("Origin", in.server.URL)
	req.Header.Set("Cookie", u.Cookie)
	return do(t, req, http.StatusOK)
}

func (in *instance) get(t *testing.T, u user, path string, status int) string {
	t.Helper()
	req, _ := http.NewRequest("GET", in.server.URL+path, nil)
	req.Header.Set("HX-Request", "true")
	req.Header.Set("Cookie", u.Cookie)
	return do(t, req, status)
}

func do(t *testing.T, req *http.Request, status int) string {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d: %.300s", req.Method, req.URL.Path, resp.StatusCode, status, b)
	}
	return string(b)
}

// event is one server-sent event as a browser would dispatch it (or, with no data, an id alone).
type event struct {
	Name, ID, Data string
	At             time.Time
}

// stream is an open GET /events, read as EventSource reads it.
type stream struct {
	t      *testing.T
	paused chan struct{}
	events chan event
	closed chan struct{}
	resp   *http.Response
	cancel func()
}

func (in *instance) open(t *testing.T, u user, lastID string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", in.server.URL+"/events", nil)
	req.Header.Set("Cookie", u.Cookie)
	req.Header.Set("Accept", "text/event-stream")
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		cancel()
		t.Fatalf("GET /events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	s := &stream{t: t, paused: make(chan struct{}), events: make(chan event, 100), closed: make(chan struct{}), resp: resp, cancel: cancel}
	go s.read()
	t.Cleanup(s.close)
	return s
}

// pause stops reading the stream (a client that hangs, a tab the OS froze).
func (s *stream) pause() { close(s.paused) }

func (s *stream) close() {
	s.cancel()
	s.resp.Body.Close()
}

func (s *stream) read() {
	defer close(s.closed)
	r := bufio.NewReader(s.resp.Body)
	var e event
	for {
		select {
		case <-s.paused:
			<-s.resp.Request.Context().Done()
			return
		default:
		}
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if e.ID != "" || e.Data != "" {
				e.At = time.Now()
				s.events <- e
			}
			e = event{}
		case strings.HasPrefix(line, ":"), strings.HasPrefix(line, "retry:"):
		case strings.HasPrefix(line, "event: "):
			e.Name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "id: "):
			e.ID = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			e.Data += strings.TrimPrefix(line, "data: ")
		}
	}
}

// next is the next event within d; ok false when none came.
func (s *stream) next(d time.Duration) (event, bool) {
	select {
	case e := <-s.events:
		return e, true
	case <-time.After(d):
		return event{}, false
	}
}

// want is the next event, which must come within d and carry a name (not an id alone).
func (s *stream) want(d time.Duration) event {
	s.t.Helper()
	deadline := time.Now().Add(d)
	for {
		e, ok := s.next(time.Until(deadline))
		if !ok {
			s.t.Fatalf("no event within %s", d)
		}
		if e.Name != "" {
			return e
		}
	}
}

// ready waits for the stream's first word: the reset that the listener's connection sends, or an id.
func (s *stream) ready() event {
	s.t.Helper()
	e, ok := s.next(10 * time.Second)
	if !ok {
		s.t.Fatal("the stream said nothing within 10 s")
	}
	return e
}

// quiet requires that no event comes within d.
func (s *stream) quiet(d time.Duration) {
	s.t.Helper()
	if e, ok := s.next(d); ok {
		s.t.Fatalf("unexpected event %+v", e)
	}
}
