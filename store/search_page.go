package store

import (
	"math"
	"strconv"
	"strings"
)

// nearSpan is how many ids, per row of the page, a search's range may span. A range reads every
// task of the user between its ends (that the filter's index holds), a few to a heap page at well
// under a microsecond each; a lookup by key costs four buffers and several microseconds. So the
// range is the cheaper read while at least about one id in four is a candidate, and it never reads
// more than this many rows per row of the page.
const nearSpan = 4

// searchPage is a search's page in created order. Its candidates are the postings of the search's
// rarest trigram (r), in id order. The first page's worth of them (b) says how close together they
// lie. When they span fewer than nearSpan ids per row of the page (a search that matches much of
// the user's tasks), the page reads the tasks of that many ids from the first candidate on as one
// range of the primary key (or of the filter's index), checking each for the text, and looks up
// one by one only the candidates after it; when they are spread thin, the range is empty and every
// candidate is looked up, as in from. The parts are disjoint and each in id order, so merging them
// reads the lookups only as far as the range leaves the page short.
//
// Each row also says whether the sample found the candidates close together (near), which List
// remembers for the search's next pages (denseSearches).
//
// The looked-up part names its rows by the posting's task_id (the task's id), so that PostgreSQL
// sees it in the page's order and merges it rather than sorting it, which would look up all its
// candidates before the range's first row.
func (q *listQuery) searchPage() string {
	s := q.opts.Search
	// The keyset on the postings' own order (task_id is the task's id): one part in created order.
	after := strings.ReplaceAll(q.keysetParts("g.")[0], "g.id", "g.task_id")
	span := strconv.Itoa(nearSpan) + " * $2"
	// The range from the first candidate (start) on, as conditions on t.id, and where the lookups
	// begin: after the range, or (spread thin) at the first candidate. Ids are positive.
	dir, start, inRange, rest := "", "min", "t.id >= (select start from b where near) and t.id < (select start + "+span+" from b where near)",
		"g.task_id >= (select case when near then start + "+span+" else 0 end from b)"
	if s.Desc {
		dir, start, inRange, rest = " desc", "max", "t.id <= (select start from b where near) and t.id > (select start - "+span+" from b where near)",
			"g.task_id <= (select case when near then start - "+span+" else "+strconv.FormatInt(math.MaxInt64, 10)+" end from b)"
	}
	candidates := `with r as materialized (select ` + q.rarest() + ` as trigram),
	b as materialized (select ` + start + `(c.task_id) as start, max(c.task_id) - min(c.task_id) < ` + span + ` as near
	  from (select g.task_id from task_trigrams g
	         where g.user_id = $1 and g.trigram = (select trigram from r) and ` + after + `
	         order by g.task_id` + dir + ` limit $2) c)`

	rangeConds := append([]string{"t.user_id = $1", inRange}, q.filters("t.", fromTrigram, true)...)
	ranged := `(select ` + q.columns() + ` from tasks t where ` + strings.Join(rangeConds, " and ") +
		` order by t.id` + dir + ` limit $2)`

	restConds := []string{"g.user_id = $1", "g.trigram = (select trigram from r)", after, rest}
	lookedUp := `(select g.task_id` + strings.TrimPrefix(q.columns(), "t.id") + ` from ` + q.postingsWithTasks() + `
	  where ` + strings.Join(restConds, " and ") + ` order by g.task_id` + dir + ` limit $2)`
	return candidates + ` select *, coalesce((select near from b), false) from (` + ranged + ` union all ` + lookedUp +
		`) t order by t.id` + dir + ` limit $2`
}

// denseWindow is a page of a search whose last sample found its candidates close together: the
// next nearSpan rows per row of the page of the filter's range of the user's tasks, in id order,
// each checked for the text. It reads at most that many rows, and no trigram: when they hold fewer
// matches than the page asks, List goes on from its last match with the sampled search
// (searchPage), which samples the search anew.
func (q *listQuery) denseWindow() string { return q.denseWindowOf(q.columns() + ", t.version") }

// denseWindowOf is denseWindow with the columns cols (its rows carry their versions: see knownTasks).
func (q *listQuery) denseWindowOf(cols string) string {
	dir := ""
	if q.opts.Search.Desc {
		dir = " desc"
	}
	window := append([]string{"t.user_id = $1", q.keysetParts("t.")[0]}, q.stateFilter("t.")...)
	return `select ` + cols + ` from (select t.* from tasks t where ` + strings.Join(window, " and ") +
		` order by t.id` + dir + ` limit ` + strconv.Itoa(nearSpan) + ` * $2) t
	  where ` + strings.Join(q.filters("t.", fromTrigram, false), " and ") + ` order by t.id` + dir + ` limit $2`
}
