package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"todo/internal/pgtest"
	"todo/store"
	"todo/todo"
)

func TestTaskLifecycle(t *testing.T) {
	s := newStore(t)
	tasks := s.Tasks(newUser(t, s, "Ann"))

	k, err := tasks.Create(ctx, todo.Input{Title: "  buy milk \t", Description: " two litres\r\nsemi-skimmed "})
	if err != nil {
		t.Fatal(err)
	}
	if k.Title != "buy milk" || k.Description != "two litres\nsemi-skimmed" || k.Completed {
		t.Fatalf("created %+v", k)
	}
	k, err = tasks.Update(ctx, k.ID, todo.Input{Title: "buy oat milk", Description: ""})
	if err != nil || k.Title != "buy oat milk" || k.Description != "" {
		t.Fatalf("update = %+v, %v", k, err)
	}
	var description *string
	if err := pgtest.AdminOf(t, s).QueryRow(ctx, `select description from tasks where id = $1`, k.ID).Scan(&description); err != nil || description != nil {
		t.Fatalf("an empty description is stored as %v (err %v), want NULL", description, err)
	}
	if k, err = tasks.Toggle(ctx, k.ID); err != nil || !k.Completed {
		t.Fatalf("toggle = %+v, %v", k, err)
	}
	if k, err = tasks.Toggle(ctx, k.ID); err != nil || k.Completed {
		t.Fatalf("toggle back = %+v, %v", k, err)
	}
	if err := tasks.Delete(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := tasks.Get(ctx, k.ID); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("get after delete = %v", err)
	}
	if err := tasks.Delete(ctx, k.ID); !errors.Is(err, todo.ErrNotFound) {
		t.Fatalf("second delete = %v", err)
	}
}

func TestToggleAllAndClearCompleted(t *testing.T) {
	s := newStore(t)
	tasks := s.Tasks(newUser(t, s, "Ann"))
	a, b := create(t, tasks, "a"), create(t, tasks, "b")
	create(t, tasks, "c")
	tasks.Toggle(ctx, a.ID)

	// Some active: all become completed.
	u, err := tasks.SetAllCompleted(ctx, nil)
	if err != nil || !u.Completed || u.Tasks != 2 {
		t.Fatalf("SetAllCompleted(nil) = %v, %d, %v; want true, 2", u.Completed, u.Tasks, err)
	}
	// All completed: all become active.
	u, err = tasks.SetAllCompleted(ctx, nil)
	if err != nil || u.Completed || u.Tasks != 3 {
		t.Fatalf("SetAllCompleted(nil) = %v, %d, %v; want false, 3", u.Completed, u.Tasks, err)
	}
	tasks.Toggle(ctx, b.ID)
	if u, err := tasks.ClearCompletedUndoable(ctx); err != nil || u.Tasks != 1 {
		t.Fatalf("ClearCompletedUndoable = %d, %v", u.Tasks, err)
	}
	page, _ := tasks.List(ctx, store.ListOptions{})
	if got := strings.Join(titles(page.Tasks), ","); got != "a,c" {
		t.Fatalf("left %q", got)
	}
	// On an empty list nothing changes and nothing fails.
	empty := s.Tasks(newUser(t, s, "Empty"))
	if u, err := empty.SetAllCompleted(ctx, nil); err != nil || u.Tasks != 0 {
		t.Fatalf("SetAllCompleted on nothing = %d, %v", u.Tasks, err)
	}
}

func TestListPagesAreStableAndComplete(t *testing.T) {
	s := newStore(t)
	tasks := s.Tasks(newUser(t, s, "Many"))
	// 250 tasks, every third completed, in one statement to keep the test quick.
	if _, err := pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, completed)
		select $1, 'task ' || g, g % 3 = 0 from generate_series(1, 250) g`, tasks.UserID()); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		filter todo.Filter
		total  int
	}{{todo.All, 250}, {todo.Active, 167}, {todo.Completed, 83}} {
		seen := map[int64]bool{}
		var last int64
		pages := 0
		opts := store.ListOptions{Filter: tc.filter}
		for {
			page, err := tasks.List(ctx, opts)
			if err != nil {
				t.Fatal(err)
			}
			pages++
			if len(page.Tasks) > todo.PageSize {
				t.Fatalf("a page of %d tasks", len(page.Tasks))
			}
			if page.Counts != (todo.Counts{Active: 167, Completed: 83}) {
				t.Fatalf("counts %+v", page.Counts)
			}
			for _, k := range page.Tasks {
				if seen[k.ID] || k.ID <= last {
					t.Fatalf("filter %d: task %d repeated or out of order", tc.filter, k.ID)
				}
				if (tc.filter == todo.Active && k.Completed) || (tc.filter == todo.Completed && !k.Completed) {
					t.Fatalf("filter %d shows %+v", tc.filter, k)
				}
				seen[k.ID], last = true, k.ID
			}
			if page.Next.ID == 0 {
				break
			}
			opts.After = page.Next.ID
		}
		if len(seen) != tc.total || pages != (tc.total+todo.PageSize-1)/todo.PageSize {
			t.Fatalf("filter %d: %d tasks over %d pages, want %d", tc.filter, len(seen), pages, tc.total)
		}
	}
	// Exactly one page's worth: no "next" page that would be empty.
	one := s.Tasks(newUser(t, s, "Hundred"))
	pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title) select $1, 't' || g from generate_series(1, 100) g`, one.UserID())
	if page, _ := one.List(ctx, store.ListOptions{}); len(page.Tasks) != 100 || page.Next.ID != 0 {
		t.Fatalf("100 tasks: %d shown, next %d", len(page.Tasks), page.Next.ID)
	}
}

func TestUpdatedAtIsSetByTheDatabase(t *testing.T) {
	s := newStore(t)
	tasks := s.Tasks(newUser(t, s, "Ann"))
	k := create(t, tasks, "first")
	if !k.CreatedAt.Equal(k.UpdatedAt) {
		t.Fatalf("new task: created %v, updated %v", k.CreatedAt, k.UpdatedAt)
	}
	time.Sleep(5 * time.Millisecond) // now() must move on between the two transactions
	u, err := tasks.Update(ctx, k.ID, todo.Input{Title: "second"})
	if err != nil {
		t.Fatal(err)
	}
	if !u.CreatedAt.Equal(k.CreatedAt) || !u.UpdatedAt.After(k.UpdatedAt) {
		t.Fatalf("after update: created %v→%v, updated %v→%v", k.CreatedAt, u.CreatedAt, k.UpdatedAt, u.UpdatedAt)
	}
	// Whoever issues the UPDATE, even one that sets updated_at itself, the trigger wins.
	time.Sleep(5 * time.Millisecond)
	var updated time.Time
	if err := pgtest.AdminOf(t, s).QueryRow(ctx, `update tasks set completed = true, updated_at = '2000-01-01'
		where id = $1 returning updated_at`, k.ID).Scan(&updated); err != nil {
		t.Fatal(err)
	}
	if !updated.After(u.UpdatedAt) {
		t.Fatalf("raw update left updated_at at %v", updated)
	}
}

func TestValidationRefusesBadInputBeforeTheDatabase(t *testing.T) {
	s := newStore(t)
	tasks := s.Tasks(newUser(t, s, "Ann"))
	for _, in := range []todo.Input{
		{Title: ""},
		{Title: " \t\n "},
		{Title: strings.Repeat("é", 201)},
		{Title: "bell\x07"},
		{Title: "nul\x00"},
		{Title: "bad \xff utf8"},
		{Title: "ok", Description: strings.Repeat("字", 1001)},
		{Title: "ok", Description: "escape \x1b[31m"},
		{Title: "ok", Description: "bad \xc3\x28"},
	} {
		_, err := tasks.Create(ctx, in)
		var ve *todo.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, todo.ErrInvalid) || ve.Message == "" {
			t.Errorf("Create(%q, %q) = %v, want a validation error", in.Title, in.Description, err)
		}
	}
	if c, _ := tasks.Counts(ctx); c.Total() != 0 {
		t.Fatalf("%d tasks were written", c.Total())
	}
	// The limits are inclusive and count characters, not bytes.
	if _, err := tasks.Create(ctx, todo.Input{Title: strings.Repeat("😀", 200), Description: "tab\tand\nnewline" + strings.Repeat("字", 985)}); err != nil {
		t.Fatalf("200-character title / 1000-character description refused: %v", err)
	}
}

// The database enforces the same rules for writers that bypass the app.
func TestTheDatabaseEnforcesTheLimitsToo(t *testing.T) {
	s := newStore(t)
	user := newUser(t, s, "Raw")
	insert := func(title string, description *string) error {
		_, err := pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, description) values ($1, $2, $3)`, user, title, description)
		return err
	}
	ptr := func(s string) *string { return &s }
	for name, tc := range map[string]struct {
		title       string
		description *string
		ok          bool
	}{
		"200 emoji title":           {strings.Repeat("😀", 200), nil, true},
		"201 emoji title":           {strings.Repeat("😀", 201), nil, false},
		"200 ascii title":           {strings.Repeat("a", 200), nil, true},
		"201 ascii title":           {strings.Repeat("a", 201), nil, false},
		"1000 CJK description":      {"t", ptr(strings.Repeat("字", 1000)), true},
		"1001 CJK description":      {"t", ptr(strings.Repeat("字", 1001)), false},
		"blank title":               {"   ", nil, false},
		"empty title":               {"", nil, false},
		"control char in title":     {"a\x01b", nil, false},
		"newline in title":          {"a\nb", nil, false},
		"newline in description":    {"t", ptr("a\nb\tc"), true},
		"escape in description":     {"t", ptr("a\x1bb"), false},
		"null title (not null col)": {"", nil, false},
	} {
		err := insert(tc.title, tc.description)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", name, err, tc.ok)
		}
	}
	var n int
	pgtest.AdminOf(t, s).QueryRow(ctx, `select count(*) from tasks`).Scan(&n)
	if n != 4 {
		t.Fatalf("%d rows, want the 4 valid ones", n)
	}
}

// Paging through a list with List's keyset reads every task of the filter once, in id order.
func TestListPagesWalkEveryTaskOnce(t *testing.T) {
	s := newStore(t)
	id := newUser(t, s, "Pages")
	if _, err := pgtest.AdminOf(t, s).Exec(ctx, `insert into tasks (user_id, title, completed)
		select $1, 'task ' || g, g % 3 = 0 from generate_series(1, 250) g`, id); err != nil {
		t.Fatal(err)
	}
	tasks := s.Tasks(id)
	for f, want := range map[todo.Filter]int{todo.All: 250, todo.Active: 167, todo.Completed: 83} {
		var seen []int64
		for after := int64(0); ; {
			page, err := tasks.List(ctx, store.ListOptions{Filter: f, After: after})
			if err != nil {
				t.Fatal(err)
			}
			if page.Counts != (todo.Counts{Active: 167, Completed: 83}) || len(page.Tasks) == 0 {
				t.Fatalf("%s after %d: %d tasks, counts %+v", f.Label(), after, len(page.Tasks), page.Counts)
			}
			for _, k := range page.Tasks {
				if !f.Matches(k) || len(seen) > 0 && k.ID <= seen[len(seen)-1] {
					t.Fatalf("%s: task %d (completed %v) out of place after %v", f.Label(), k.ID, k.Completed, seen[len(seen)-1:])
				}
				seen = append(seen, k.ID)
			}
			if page.Next.ID == 0 {
				break
			}
			after = page.Next.ID
		}
		if len(seen) != want {
			t.Errorf("%s: paging read %d tasks, want %d", f.Label(), len(seen), want)
		}
	}
	if _, c, err := s.Tasks(id).CreateCounted(ctx, todo.Input{Title: "one more"}); err != nil || c != (todo.Counts{Active: 168, Completed: 83}) {
		t.Fatalf("CreateCounted reads counts %+v (%v), want 168 active (the new task included) and 83 completed", c, err)
	}
}

// A search's match count: exact up to a page (100), "more than" beyond; the first page's rows are the
// count, a later page counts again.
func TestSearchMatchCountUpToAPage(t *testing.T) {
	s := newStore(t)
	for _, c := range []struct {
		matching, want int
	}{{7, 7}, {todo.MatchCountCap, todo.MatchCountCap}, {todo.MatchCountCap + 30, todo.MatchCountCap + 1}} {
		tasks := s.Tasks(newUser(t, s, "counted"))
		for i := range c.matching + 5 {
			title := fmt.Sprintf("buy milk %d", i)
			if i >= c.matching {
				title = fmt.Sprintf("other %d", i)
			}
			create(t, tasks, title)
		}
		opts := store.ListOptions{Search: todo.Search{Q: "milk"}}
		first, err := tasks.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if first.Matches != c.want {
			t.Errorf("%d matching tasks: the first page counts %d, want %d", c.matching, first.Matches, c.want)
		}
		if first.Next.ID == 0 {
			continue
		}
		opts.After, opts.AfterKey = first.Next.ID, first.Next.Key
		later, err := tasks.List(ctx, opts)
		if err != nil {
			t.Fatal(err)
		}
		if later.Matches != c.want || len(later.Tasks) != c.matching-todo.PageSize {
			t.Errorf("%d matching tasks: the later page counts %d and shows %d", c.matching, later.Matches, len(later.Tasks))
		}
	}
}
