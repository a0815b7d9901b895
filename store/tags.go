package store

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"
)

// MaxSuggestedTags bounds the tag suggestions one answer carries.
const MaxSuggestedTags = 200

// tagsQuery reads the user's own tags (those some task of theirs has), for suggestions: a range of
// the user's tag counters, never another user's.
var tagsQuery = `select tag from task_tag_counts where user_id = $1 and active + completed > 0
	order by tag limit ` + strconv.Itoa(MaxSuggestedTags)

// Tags reads the user's tags, alphabetically (at most MaxSuggestedTags of them).
func (t Tasks) Tags(ctx context.Context) ([]string, error) {
	var tags []string
	b := &pgx.Batch{}
	b.Queue(tagsQuery, t.userID).Query(func(rows pgx.Rows) error {
		var err error
		tags, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return tags, classify(t.read().SendBatch(ctx, b))
}
