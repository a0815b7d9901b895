package store

import (
	"context"

	"todo/todo"
)

// lastPageQueries find where the last page of a list starts: the id of the task just before the
// newest todo.PageSize of the filter (0: the first page is the last). A walk of the list's index
// from its end that stops after a page, whatever the number of tasks.
var lastPageQueries = func() map[todo.Filter]string {
	query := func(filter string) string {
		return `select coalesce((select id from tasks where user_id = $1 ` + filter + `
		   order by id desc offset $2 limit 1), 0)`
	}
	return map[todo.Filter]string{
		todo.All:       query(""),
		todo.Active:    query("and not completed"),
		todo.Completed: query("and completed"),
	}
}()

// LastPage is the keyset (ListOptions.After) of the last page of the filter's list: where a task
// just added shows.
func (t Tasks) LastPage(ctx context.Context, f todo.Filter) (int64, error) {
	query, ok := lastPageQueries[f]
	if !ok {
		return 0, todo.Invalid("filter", "Unknown filter.")
	}
	var after int64
	err := t.read().QueryRow(ctx, query, t.userID, todo.PageSize).Scan(&after)
	return after, classify(err)
}
