package live_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/live"
	"todo/todo"
)

var taskIDRE = regexp.MustCompile(`data-task-id="(\d+)"`)

func firstTaskID(t *testing.T, body string) string {
	t.Helper()
	m := taskIDRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no task in %.300s", body)
	}
	return m[1]
}

func TestEventsNeedASession(t *testing.T) {
	a := newInstance(t, pgtest.NewDatabase(t), live.Options{})
	for _, htmx := range []bool{false, true} {
		req, _ := http.NewRequest("GET", a.server.URL+"/events", nil)
		req.Header.Set("Accept", "text/event-stream")
		if htmx {
			req.Header.Set("HX-Request", "true")
		}
		do(t, req, http.StatusUnauthorized)
		req, _ = http.NewRequest("GET", a.server.URL+"/events/changes?ids=1", nil)
		req.Header.Set("HX-Request", "true")
		do(t, req, http.StatusUnauthorized)
	}
}

// Two instances on one database, two people with two pages each (one on each instance): every change
// of one person reaches both of their pages, within a second, from either instance and from any
// writer, and never the other person's.
func TestAChangeReachesEveryPageOfItsPersonOnEveryInstanceAndNoOneElse(t *testing.T) {
	db := pgtest.NewDatabase(t)
	a, b := newInstance(t, db, live.Options{}), newInstance(t, db, live.Options{})
	ann, bob := newUser(t, a.store, "Ann"), newUser(t, a.store, "Bob")
	annA, annB := a.open(t, ann, ""), b.open(t, ann, "")
	bobA, bobB := a.open(t, bob, ""), b.open(t, bob, "")
	for _, s := range []*stream{annA, annB, bobA, bobB} {
		s.ready()
	}
	wantChange := func(what, id string) {
		t.Helper()
		for i, s := range []*stream{annA, annB} {
			start := time.Now()
			e := s.want(time.Second)
			if e.Name != "tasks" || e.ID == "" || !strings.Contains(e.Data, "data-hx-get=\"/events/changes?") {
				t.Fatalf("%s: Ann's page %d got %+v", what, i, e)
			}
			if id != "" && !strings.Contains(e.Data, "ids="+id+"\"") {
				t.Fatalf("%s: Ann's page %d got %q, want ids=%s", what, i, e.Data, id)
			}
			t.Logf("%s: page %d after %s", what, i, time.Since(start).Round(time.Millisecond))
		}
	}

	id := firstTaskID(t, a.post(t, ann, "/tasks", url.Values{"title": {"Milk <&>"}, "return": {"/"}}))
	wantChange("add on A", id)
	b.post(t, ann, "/tasks/"+id+"/toggle", url.Values{"return": {"/"}})
	wantChange("toggle on B", id)
	b.post(t, ann, "/tasks/"+id, url.Values{"title": {"Oat milk"}, "return": {"/"}})
	wantChange("edit on B", id)
	// Another writer altogether (a script, the JSON API of another deployment): the database tells.
	admin := pgtest.Admin(t, db)
	if _, err := admin.Exec(context.Background(), `update tasks set title = 'Soy milk' where id = $1`, id); err != nil {
		t.Fatal(err)
	}
	wantChange("update by another writer", id)
	a.post(t, ann, "/tasks/clear-completed", url.Values{"return": {"/"}})
	wantChange("clear completed", id)
	id2 := firstTaskID(t, a.post(t, ann, "/tasks", url.Values{"title": {"Bread"}, "return": {"/"}}))
	wantChange("add", id2)
	a.post(t, ann, "/tasks/toggle-all", url.Values{"return": {"/"}})
	wantChange("toggle all", id2)
	b.post(t, ann, "/tasks/"+id2+"/delete", url.Values{"return": {"/"}})
	wantChange("delete on B", id2)

	// Bob heard nothing of it: not an event, not a heartbeat's worth of bytes in its place.
	bobA.quiet(300 * time.Millisecond)
	bobB.quiet(10 * time.Millisecond)
	// His own change reaches him, and not Ann.
	bobID := firstTaskID(t, b.post(t, bob, "/tasks", url.Values{"title": {"Bob's"}, "return": {"/"}}))
	for _, s := range []*stream{bobA, bobB} {
		if e := s.want(time.Second); !strings.Contains(e.Data, "ids="+bobID+"\"") {
			t.Fatalf("Bob got %+v", e)
		}
	}
	annA.quiet(300 * time.Millisecond)
	annB.quiet(10 * time.Millisecond)

	// What an event's control fetches is read for whoever asks: Bob asking for Ann's task ids gets
	// the same answer as for ids that do not exist.
	annsID := firstTaskID(t, a.post(t, ann, "/tasks", url.Values{"title": {"Ann's secret"}, "return": {"/"}}))
	asAnn := a.get(t, ann, "/events/changes?ids="+annsID+"&return=/", http.StatusOK)
	if !strings.Contains(asAnn, "Ann&#39;s secret") && !strings.Contains(asAnn, "Ann's secret") {
		t.Fatalf("Ann's own changes do not show her task: %.500s", asAnn)
	}
	asBob := a.get(t, bob, "/events/changes?ids="+annsID+"&return=/", http.StatusOK)
	missing := a.get(t, bob, "/events/changes?ids=999999&return=/", http.StatusOK)
	if strings.Contains(asBob, "secret") || strings.Count(asBob, `data-task-id="`) != 0 {
		t.Fatalf("Bob sees Ann's task: %.500s", asBob)
	}
	if strings.ReplaceAll(asBob, "&#39;"+annsID+"&#39;", "N") != strings.ReplaceAll(missing, "&#39;999999&#39;", "N") {
		t.Fatalf("another's id and a missing id answer differently:\n%s\n%s", asBob, missing)
	}
}

func TestChangesRefuseBadIDs(t *testing.T) {
	a := newInstance(t, pgtest.NewDatabase(t), live.Options{})
	ann := newUser(t, a.store, "Ann")
	for _, q := range []string{"ids=", "ids=x", "ids=1,,2", "ids=-1", "ids=" + strings.Repeat("1,", 100) + "1", "nothing=1"} {
		body := a.get(t, ann, "/events/changes?"+q, http.StatusUnprocessableEntity)
		if !strings.Contains(body, "task id") && !strings.Contains(body, "tasks that changed") {
			t.Errorf("%s: %q says nothing useful", q, body)
		}
	}
}

// A page that reconnects with the id it saw last gets every change it missed, in order, with the
// same ids; an id this instance does not know gets one reset.
func TestReconnectWithLastEventIDGetsWhatWasMissedOrAReset(t *testing.T) {
	db := pgtest.NewDatabase(t)
	a, b := newInstance(t, db, live.Options{}), newInstance(t, db, live.Options{})
	ann := newUser(t, a.store, "Ann")
	witness := a.open(t, ann, "") // keeps the listener up and sees every change
	witness.ready()
	away := a.open(t, ann, "")
	last := away.ready().ID
	away.close()

	var ids, eventIDs []string
	for _, title := range []string{"One", "Two", "Three"} {
		id := firstTaskID(t, a.post(t, ann, "/tasks", url.Values{"title": {title}, "return": {"/"}}))
		ids = append(ids, id)
		eventIDs = append(eventIDs, witness.want(time.Second).ID)
	}
	back := a.open(t, ann, last)
	for i := range ids {
		e := back.want(time.Second)
		if e.Name != "tasks" || e.ID != eventIDs[i] || !strings.Contains(e.Data, "ids="+ids[i]+"\"") {
			t.Fatalf("replayed event %d: %+v, want id %s for task %s", i, e, eventIDs[i], ids[i])
		}
	}
	back.quiet(200 * time.Millisecond)
	// Resuming from the newest id: nothing missed, nothing sent but the resume point.
	again := a.open(t, ann, eventIDs[len(eventIDs)-1])
	if e := again.ready(); e.Name != "" || e.ID != eventIDs[len(eventIDs)-1] {
		t.Fatalf("resuming at the newest id: %+v", e)
	}
	for _, s := range []struct {
		in   *instance
		last string
	}{{a, "not-an-id-of-ours"}, {b, last}} {
		if e := s.in.open(t, ann, s.last).want(2 * time.Second); e.Name != "reset" || e.ID == "" ||
			!strings.Contains(e.Data, "reload=1") {
			t.Fatalf("unknown id %q: %+v, want a reset", s.last, e)
		}
	}
}

// The listener's connection is cut (as a database restart or a Neon compute's suspension does): it
// reconnects with backoff, every open page is told to reload, and changes flow again.
func TestAfterTheDatabaseRestartsPagesReloadAndChangesFlowAgain(t *testing.T) {
	db := pgtest.NewDatabase(t)
	a := newInstance(t, db, live.Options{})
	ann := newUser(t, a.store, "Ann")
	s := a.open(t, ann, "")
	s.ready()
	admin := pgtest.Admin(t, db)
	// Every session of the app on this database ends, as in a restart (57P01, admin shutdown).
	tag, err := admin.Exec(context.Background(), `select pg_terminate_backend(pid) from pg_stat_activity
		where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ended %d sessions", tag.RowsAffected())
	if e := s.want(5 * time.Second); e.Name != "reset" || !strings.Contains(e.Data, "reload=1") {
		t.Fatalf("after the restart: %+v, want a reset", e)
	}
	id := firstTaskID(t, a.post(t, ann, "/tasks", url.Values{"title": {"After"}, "return": {"/"}}))
	if e := s.want(time.Second); !strings.Contains(e.Data, "ids="+id+"\"") {
		t.Fatalf("after the restart: %+v", e)
	}
	// The reload the reset asks for is the page's whole list, out of band.
	body := a.get(t, ann, "/events/changes?reload=1&return=/", http.StatusOK)
	if !strings.Contains(body, `id="todo-app"`) || !strings.Contains(body, `data-task-id="`+id+`"`) {
		t.Fatalf("reload: %.400s", body)
	}
}

// A client that stops reading is dropped once its bounded queue is full (its memory stays bounded),
// and the others go on.
func TestAClientThatStopsReadingIsDropped(t *testing.T) {
	db := pgtest.NewDatabase(t)
	a := newInstance(t, db, live.Options{WriteTimeout: 500 * time.Millisecond})
	ann := newUser(t, a.store, "Ann")
	reader := a.open(t, ann, "")
	reader.ready()
	stalled := a.open(t, ann, "")
	stalled.ready()
	stalled.pause() // reads nothing more: the socket's buffers fill, then the stream's queue
	if n := a.hub.Streams(); n != 2 {
		t.Fatalf("%d streams", n)
	}
	// Thousands of changes at once: one statement each, one transaction.
	admin := pgtest.Admin(t, db)
	if _, err := admin.Exec(context.Background(), `do $$ begin
		for i in 1..20000 loop
		  insert into tasks (user_id, title) values ('`+ann.ID+`', 'Flood ' || i);
		end loop; end $$`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.hub.Streams() > 1 && time.Now().Before(deadline) {
		// The reader keeps reading; it may be dropped too if it falls behind, and it reconnects.
		for {
			if _, ok := reader.next(time.Millisecond); !ok {
				break
			}
		}
	}
	select {
	case <-stalled.closed:
	case <-time.After(5 * time.Second):
	}
	if n := a.hub.Streams(); n > 1 {
		t.Fatalf("%d streams still open: the stalled one was not dropped", n)
	}
}

func TestClosingTheHubEndsEveryStream(t *testing.T) {
	a := newInstance(t, pgtest.NewDatabase(t), live.Options{})
	ann := newUser(t, a.store, "Ann")
	var streams []*stream
	for range 100 {
		streams = append(streams, a.open(t, ann, ""))
	}
	streams[0].ready()
	start := time.Now()
	a.hub.Close()
	for i, s := range streams {
		select {
		case <-s.closed:
		case <-time.After(2 * time.Second):
			t.Fatalf("stream %d still open 2 s after Close", i)
		}
	}
	t.Logf("100 streams ended in %s", time.Since(start).Round(time.Millisecond))
	req, _ := http.NewRequest("GET", a.server.URL+"/events", nil)
	req.Header.Set("Cookie", ann.Cookie)
	do(t, req, http.StatusServiceUnavailable)
}

var _ = todo.PageSize

// A searched page is drawn anew on a change, through the list query with its search: a changed task
// that does not match stays out of it, one that does comes in.
func TestASearchedPageIsRedrawnThroughItsSearch(t *testing.T) {
	a := newInstance(t, pgtest.NewDatabase(t), live.Options{})
	ann := newUser(t, a.store, "Ann")
	milk, err := a.store.Tasks(ann.ID).Create(context.Background(), todo.Input{Title: "Buy milk"})
	if err != nil {
		t.Fatal(err)
	}
	bread, err := a.store.Tasks(ann.ID).Create(context.Background(), todo.Input{Title: "Buy bread"})
	if err != nil {
		t.Fatal(err)
	}
	ids := fmt.Sprintf("%d,%d", milk.ID, bread.ID)
	body := a.get(t, ann, "/events/changes?ids="+ids+"&return="+url.QueryEscape("/?q=milk"), http.StatusOK)
	if !strings.Contains(body, "Buy milk") || strings.Contains(body, "Buy bread") {
		t.Fatalf("the page searching for milk was drawn with:\n%s", body)
	}
}
