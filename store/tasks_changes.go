package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"todo/todo"
)

// Changed is what a page that shows filter's list needs to bring some of its tasks up to date: those
// of the ids that still exist, and for each one that the list holds, the id of the task that follows
// it in the list (0: none, it is the last). The counts come in the same round trip.
type Changed struct {
	Tasks  []todo.Task
	Next   map[int64]int64
	Counts todo.Counts
}

// followingQueries find, for each of the ids, the next task of the list after it (id order).
var followingQueries = map[todo.Filter]string{
	todo.All:       following(""),
	todo.Active:    following("and not n.completed"),
	todo.Completed: following("and n.completed"),
}

func following(filter string) string {
	return `select c.id, coalesce((select n.id from tasks n where n.user_id = $1 ` + filter + ` and n.id > c.id
	                                order by n.id limit 1), 0)
	          from unnest($2::bigint[]) as c(id)`
}

// Changed reads the tasks ids names (those that are gone are left out) for a page of filter's list.
func (t Tasks) Changed(ctx context.Context, filter todo.Filter, ids []int64) (Changed, error) {
	next, ok := followingQueries[filter]
	if !ok {
		return Changed{}, todo.Invalid("filter", "Unknown filter.")
	}
	ch := Changed{Next: make(map[int64]int64, len(ids))}
	batch := &pgx.Batch{}
	batch.Queue(`select `+taskColumns+` from tasks where user_id = $1 and id = any($2) order by id`,
		t.userID, ids).Query(func(rows pgx.Rows) error {
		scanner := newTaskScanner(false)
		for rows.Next() {
			k, _, err := scanner.scan(rows)
			if err != nil {
				return err
			}
			ch.Tasks = append(ch.Tasks, k)
		}
		return rows.Err()
	})
	batch.Queue(next, t.userID, ids).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			ch.Next[id] = n
		}
		return rows.Err()
	})
	batch.Queue(countsQuery, t.userID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&ch.Counts.Active, &ch.Counts.Completed)
	})
	if err := t.read().SendBatch(ctx, batch); err != nil {
		return Changed{}, classify(err)
	}
	return ch, nil
}
