package live

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/a-h/templ"

	"todo/store"
	"todo/todo"
	"todo/views"
)

// maxIDs is how many ids one request may name: as many as a notification lists.
const maxIDs = todo.PageSize

// Changes answers GET /events/changes for tasks' owner: what a page must redraw after an event. The
// query names the page's list (return, the page's own list URL; more=1 when the page does not show
// the list's end) and either ids (comma-separated task ids) or reload=1 (redraw the whole list). It
// reads through tasks, so ids of someone else's tasks are simply not found, like deleted ones.
func Changes(ctx context.Context, query url.Values, tasks store.Tasks) (templ.Component, error) {
	l := listOf(query.Get("return"))
	// A searched, filtered or sorted page is drawn anew: where a changed task goes in it (or whether
	// it is still in it) is the list query's to say, not the id order the rows are placed by below.
	if query.Get("reload") == "1" || l.Search != (todo.Search{}) {
		page, err := tasks.List(ctx, store.ListOptions{Filter: l.Filter, Search: l.Search,
			After: l.After, AfterKey: l.AfterKey, Today: todo.Today()})
		if err != nil {
			return nil, err
		}
		return views.LiveReload(views.ListView{List: l, Tasks: page.Tasks, Counts: page.Counts,
			Next: page.Next, Return: l.URL(), Matches: page.Matches}), nil
	}
	ids, err := parseIDs(query.Get("ids"))
	if err != nil {
		return nil, err
	}
	ch, err := tasks.Changed(ctx, l.Filter, ids)
	if err != nil {
		return nil, err
	}
	atEnd := query.Get("more") != "1"
	found := make(map[int64]*todo.Task, len(ch.Tasks))
	for i := range ch.Tasks {
		found[ch.Tasks[i].ID] = &ch.Tasks[i]
	}
	var leaving, shown []views.LiveRow
	for _, id := range ids {
		t := found[id]
		if t == nil || !l.Holds(*t) {
			leaving = append(leaving, views.LiveRow{ID: id, Exists: t != nil})
			continue
		}
		shown = append(shown, views.LiveRow{ID: id, Task: t, Next: ch.Next[id], AtEnd: atEnd})
	}
	// Last first: a row is inserted before the one that follows it, which must already be there
	// when it changed too.
	slices.SortFunc(shown, func(a, b views.LiveRow) int { return -cmpIDs(a.ID, b.ID) })
	v := views.ListView{List: l, Counts: ch.Counts, Return: l.URL()}
	return views.LiveChanges(v, append(leaving, shown...)), nil
}

func cmpIDs(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// listOf reads the page's list URL ("/active?after=120"); anything else is the whole list.
func listOf(raw string) todo.List {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
		return todo.List{Filter: todo.All}
	}
	l, ok, err := todo.ParseList(u.Path, u.Query())
	if !ok || err != nil {
		return todo.List{Filter: todo.All}
	}
	return l
}

func parseIDs(raw string) ([]int64, error) {
	if raw == "" {
		return nil, todo.Invalid("ids", "Name the tasks that changed: ids=1,2,3.")
	}
	parts := strings.Split(raw, ",")
	if len(parts) > maxIDs {
		return nil, todo.Invalid("ids", "At most %d task ids at once.", maxIDs)
	}
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		id, ok := todo.ParseID(p, false)
		if !ok {
			return nil, todo.Invalid("ids", "%q is not a task id.", p)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
