package e2e

import (
	"reflect"
	"testing"

	"todo/internal/pgtest"
)

// Scenario 6: what a user did survives a restart of the server process (SIGTERM, clean exit, start
// again on the same database and port): the session still signs in and the tasks are as they were.
// It runs its own server so that stopping it disturbs no other test.
func TestPersistenceAcrossRestart(t *testing.T) {
	t.Parallel()
	a, err := newApp("restart-app", appBin, pgtest.NewDatabase(t), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.kill() })
	a.logOnFailure(t)

	u := signUp(t, a, "Restarter")
	addTask(t, u.page, "Restart keeps this one")
	addTask(t, u.page, "Restart keeps this done one")
	u.createTask(t, "Restart keeps the description", "with its words intact")
	reload(t, u.page)
	done := shown(t, u.page)[1]
	if r := u.send(t, "POST", "/tasks/"+done.ID+"/toggle", map[string]any{}, false); r.status != 303 {
		t.Fatalf("toggle: status %d", r.status)
	}
	reload(t, u.page)
	before := shown(t, u.page)
	if len(before) != 3 || before[1].Completed != "true" {
		t.Fatalf("before the restart the list shows %+v", before)
	}

	if err := a.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	if err := a.start(); err != nil {
		t.Fatalf("start again: %v", err)
	}

	reload(t, u.page)
	must(t, expect.Page(u.page).ToHaveURL(a.URL()+"/"), "still signed in after the restart")
	if after := shown(t, u.page); !reflect.DeepEqual(before, after) {
		t.Errorf("tasks changed across the restart:\nbefore: %+v\nafter:  %+v", before, after)
	}
	// The account itself (the password hash) survived too: a new browser signs in.
	again := &user{app: a, email: u.email, password: u.password, ctx: newContext(t, a)}
	again.page = newPage(t, again.ctx)
	again.signIn(t)
	if got := shown(t, again.page); !reflect.DeepEqual(before, got) {
		t.Errorf("a new sign-in after the restart shows %+v, want %+v", got, before)
	}
}
