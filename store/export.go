package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"todo/todo"
)

// exportBatch is how many tasks one statement of an export reads.
const exportBatch = 1000

// Export hands every task of the user to each, in id order, reading them a thousand at a time (each
// batch its own short statement, so a long export holds neither a connection nor memory for all of
// them, and no statement outlives the statement timeout). Tasks added or deleted during an export
// show or not as their batch was read.
func (t Tasks) Export(ctx context.Context, each func(todo.Task) error) error {
	var after int64
	for {
		batch := make([]todo.Task, 0, exportBatch)
		b := &pgx.Batch{}
		b.Queue(`select `+taskColumns+` from tasks where user_id = $1 and id > $2 order by id limit $3`,
			t.userID, after, exportBatch).Query(func(rows pgx.Rows) error {
			batch = batch[:0]
			scanner := newTaskScanner(false)
			for rows.Next() {
				k, _, err := scanner.scan(rows)
				if err != nil {
					return err
				}
				batch = append(batch, k)
			}
			return rows.Err()
		})
		if err := t.read().SendBatch(ctx, b); err != nil {
			return classify(err)
		}
		for _, k := range batch {
			if err := each(k); err != nil {
				return err
			}
		}
		if len(batch) < exportBatch {
			return nil
		}
		after = batch[len(batch)-1].ID
	}
}
