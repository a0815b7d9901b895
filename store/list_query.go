package store

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"todo/todo"
)

// listQuery builds the statement of one list page for a search (store/tasks.go keeps the plain
// lists' fixed statements). Every shape reads about a page, whatever the number of the user's tasks:
//
//   - A sort other than created reads, for each completed state the filter shows, a range of that
//     sort's index (user_id, completed, key, id): an ordered subquery with its own LIMIT, so that
//     PostgreSQL merges the ranges (Merge Append) and stops after a page. A later page of a
//     descending key is two ranges (the rest of the key's ties by id, then the keys after it), and
//     the undated tasks of a due sort are a range of their own: row-level security lets only plain
//     comparisons (leakproof operators) be index conditions, and a mixed-direction keyset is none.
//   - A tag reads the user's task_tags range of that tag and completed state in id order (the list
//     of all tasks merges both states' ranges); the pairs carry their tasks' columns (tagRows).
//   - A search of three or more characters reads the task_trigrams range of its rarest trigram in id
//     order, each task fetched by primary key and checked for the text (strpos: no pattern
//     characters). In created order, candidates that lie close together are read as a range of the
//     key instead (searchPage), and a search found so is read next time as a window of the user's
//     tasks without its trigram (denseWindow, denseSearches).
//   - Shorter searches and due=overdue filter the rows a sort's range reads.
//
// With a tag or a search, other sorts order the tasks of the tag or the trigram (a sort of those
// only, not of all the user's tasks).
type listQuery struct {
	opts  ListOptions
	args  []any
	limit int
	dense bool        // the search was last sampled dense (see denseSearches): page reads a window
	shape searchShape // which statement page built, for List to read it by
}

// searchShape is how page reads a search in created order: sampled (searchPage, whose rows also
// say what the sample found), or a window of the user's tasks (denseWindow), which may run out
// before the page is full. Any other page is complete as it is read.
type searchShape int

const (
	otherPage searchShape = iota
	sampledSearch
	windowSearch
)

// arg adds a parameter and returns its placeholder.
func (q *listQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// hidden is a parameter the planner sees only as "some value" (see listQueries in tasks.go).
func (q *listQuery) hidden(v any, typ string) string {
	return "(select " + q.arg(v) + "::" + typ + ")"
}

// source is where candidate rows come from: "tasks t" alone, or a posting table joined to it.
type source int

const (
	fromTasks source = iota
	fromTag
	fromTrigram
)

func (q *listQuery) source() source {
	s := q.opts.Search
	if utf8.RuneCountInString(s.Q) >= 3 {
		return fromTrigram
	}
	if s.Tag != "" {
		return fromTag
	}
	return fromTasks
}

// sortKey is the column a sort orders by, and whether undated rows (nulls) come last.
func sortKey(s todo.Sort) (col, typ string) {
	switch s {
	case todo.ByDue:
		return "due_date", "date"
	case todo.ByPriority:
		return "priority", "smallint"
	case todo.ByTitle:
		return "title_key", "text"
	}
	return "id", "bigint"
}

// orderBy is the ORDER BY of the sort, for columns of the alias a ("t." or "").
func (q *listQuery) orderBy(a string) string {
	s := q.opts.Search
	col, _ := sortKey(s.Sort)
	if s.Sort == todo.ByCreated {
		if s.Desc {
			return a + "id desc"
		}
		return a + "id"
	}
	dir := ""
	if s.Desc {
		dir = " desc"
	}
	nulls := ""
	if s.Sort == todo.ByDue {
		nulls = " nulls last"
	}
	return a + col + dir + nulls + ", " + a + "id"
}

// keyValue is the keyset's sort key as the parameter of its column type; for a due sort "none" is
// the undated part (nil).
func (q *listQuery) keyValue() any {
	k := q.opts.AfterKey
	switch q.opts.Search.Sort {
	case todo.ByDue:
		if k == "none" {
			return nil
		}
		return k
	case todo.ByPriority:
		p, _ := todo.ParsePriority(k)
		return int16(p)
	}
	return k
}

// keysetParts are the conditions (on alias a) of the rows after the keyset, as disjoint parts each
// of which is one range of the sort's index, in the sort's order; the first page is one part "true".
func (q *listQuery) keysetParts(a string) []string {
	o, s := q.opts, q.opts.Search
	if o.After <= 0 {
		return []string{"true"}
	}
	id := q.hidden(o.After, "bigint")
	if s.Sort == todo.ByCreated {
		if s.Desc {
			return []string{a + "id < " + id}
		}
		return []string{a + "id > " + id}
	}
	col, typ := sortKey(s.Sort)
	col = a + col
	key := q.keyValue()
	if s.Sort == todo.ByDue && key == nil {
		return []string{col + " is null and " + a + "id > " + id}
	}
	k := q.hidden(key, typ)
	var parts []string
	if s.Desc {
		// The ties as a range (not "= k"): an equality would make the key a constant to the planner,
		// drop it from the order, and let it read the ties by walking the id index instead.
		parts = []string{col + " >= " + k + " and " + col + " <= " + k + " and " + a + "id > " + id, col + " < " + k}
	} else {
		parts = []string{"(" + col + ", " + a + "id) > (" + k + ", " + id + ")"}
	}
	if s.Sort == todo.ByDue {
		parts = append(parts, col+" is null")
	}
	return parts
}

// filters are the conditions every candidate row must meet besides the keyset: its completed state
// (unless the source splits by it), tag, overdue and the search text.
func (q *listQuery) filters(a string, src source, completed bool) []string {
	o, s := q.opts, q.opts.Search
	var out []string
	if completed {
		out = q.stateFilter(a)
	}
	if s.Tag != "" && src != fromTag {
		out = append(out, q.arg(s.Tag)+" = any("+a+"tags)")
	}
	if s.Overdue {
		out = append(out, a+"due_date < "+q.arg(o.Today.String())+"::date")
	}
	if s.Q != "" {
		lq := q.arg(s.Q)
		out = append(out, "(strpos("+a+"title_key, lower("+lq+")) > 0 or strpos(lower(coalesce("+a+"description, '')), lower("+lq+")) > 0)")
	}
	return out
}

// stateFilter is the condition on the completed state that the filter shows, if any.
func (q *listQuery) stateFilter(a string) []string {
	switch q.opts.Filter {
	case todo.Active:
		return []string{"not " + a + "completed"}
	case todo.Completed:
		return []string{a + "completed"}
	}
	return nil
}

// from is the FROM and the leading conditions of a source, for the user $1. A tag's are its pairs
// of one completed state (states), which carry their tasks' columns. A trigram's range (alias g)
// is read in task id order, and each of its tasks (alias t) is fetched by primary key in a LATERAL
// subquery that meets the filters. The subquery's LIMIT keeps the planner from flattening it into a
// join it could reorder: with statistics that predate a user, both tables look as if they held a
// row or two of theirs, and reading all the user's tasks once per posting looked as cheap.
func (q *listQuery) from(src source, state string) (string, []string) {
	switch src {
	case fromTag:
		conds := []string{"t.user_id = $1", "t.tag = " + q.arg(q.opts.Search.Tag), "t.completed = " + state}
		return tagRows, append(conds, q.filters("t.", src, false)...)
	case fromTrigram:
		return q.postingsWithTasks(), []string{"g.user_id = $1", "g.trigram = " + q.rarest()}
	}
	return "tasks t", append([]string{"t.user_id = $1"}, q.filters("t.", src, true)...)
}

// postingsWithTasks are the trigram postings (g), each with its task (t) looked up by primary key
// when it meets the filters.
func (q *listQuery) postingsWithTasks() string {
	lookup := append([]string{"t.user_id = g.user_id", "t.id = g.task_id"}, q.filters("t.", fromTrigram, true)...)
	return "task_trigrams g cross join lateral (select t.* from tasks t where " + strings.Join(lookup, " and ") +
		" limit 1) t"
}

// rarest is the subquery of the search's rarest trigram, each trigram's count a primary-key lookup
// (a subquery per trigram, for the same reason as the LATERAL in from).
func (q *listQuery) rarest() string {
	return `(select g from task_trigrams_of(` + q.arg(q.opts.Search.Q) + `, null) g
	   order by coalesce((select c.tasks from task_trigram_counts c where c.user_id = $1 and c.trigram = g), 0), g
	   limit 1)`
}

// tagRows are a tag's pairs with the columns of their tasks, which they carry (see the migration
// that gives them those columns), named as in tasks: a tag's page reads no task by its key.
const tagRows = `(select g.user_id, g.tag, g.task_id as id, g.title, g.description, g.completed, g.due_date,
	g.priority, g.tags, g.created_at, g.updated_at, g.title_key from task_tags g) t`

const listColumns = `t.id, t.title, coalesce(t.description, ''), t.completed, t.due_date, t.priority, t.tags,
	t.created_at, t.updated_at`

// columns are a page's columns: listColumns, then the title key, which only the title sort's
// keyset needs; other pages read an empty one in its place rather than carry every title twice.
func (q *listQuery) columns() string {
	if q.opts.Search.Sort == todo.ByTitle {
		return listColumns + ", t.title_key"
	}
	return listColumns + ", ''"
}

// states are the completed states whose ranges (of a sort's index or a tag's pairs) the filter reads.
func (q *listQuery) states() []string {
	switch q.opts.Filter {
	case todo.Active:
		return []string{"false"}
	case todo.Completed:
		return []string{"true"}
	}
	return []string{"false", "true"}
}

// page is the statement of the page: its SQL, with q.args and the limit ($2) set.
func (q *listQuery) page() string {
	q.args = []any{q.opts.userID, q.limit}
	src := q.source()
	s := q.opts.Search
	if src == fromTasks && s.Sort != todo.ByCreated {
		return q.mergedRanges()
	}
	if src == fromTrigram && s.Sort == todo.ByCreated {
		if q.dense {
			q.shape = windowSearch
			return q.denseWindow()
		}
		q.shape = sampledSearch
		return q.searchPage()
	}
	if src != fromTag {
		return `select ` + q.columns() + q.pageOf(src, "")
	}
	// A tag's page is the page of each state's range, merged in the sort's order.
	var branches []string
	for _, c := range q.states() {
		branches = append(branches, `(select `+q.columns()+q.pageOf(src, c)+`)`)
	}
	return q.merge(branches)
}

// pageOf is the FROM of a page of one source (and tag state) to the end: its conditions, keyset,
// order and limit.
func (q *listQuery) pageOf(src source, state string) string {
	from, conds := q.from(src, state)
	conds = append(conds, "("+strings.Join(q.keysetParts("t."), ") or (")+")")
	return ` from ` + from + ` where ` + strings.Join(conds, " and ") + ` order by ` + q.orderBy("t.") + ` limit $2`
}

// mergedRanges is a sort's page as ordered ranges of its index, merged: one per completed state the
// filter shows and keyset part.
func (q *listQuery) mergedRanges() string {
	var branches []string
	for _, c := range q.states() {
		for _, part := range q.keysetParts("t.") {
			conds := append([]string{"t.user_id = $1", "t.completed = " + c, part}, q.filters("t.", fromTasks, false)...)
			branches = append(branches, `(select `+q.columns()+` from tasks t where `+strings.Join(conds, " and ")+
				` order by `+q.orderBy("t.")+` limit $2)`)
		}
	}
	return q.merge(branches)
}

// merge is the page of parenthesized, ordered branches: the one branch alone, or all of them merged
// in the sort's order (Merge Append) up to the limit.
func (q *listQuery) merge(branches []string) string {
	if len(branches) == 1 {
		return strings.TrimSuffix(strings.TrimPrefix(branches[0], "("), ")")
	}
	return `select * from (` + strings.Join(branches, " union all ") + `) t order by ` + q.orderBy("t.") + ` limit $2`
}

// matches is the statement that counts the tasks the search matches (all pages), at most
// todo.MatchCountCap+1; a tag alone is read from its counters (two numbers, active and completed).
func (q *listQuery) matches() (sql string, fromCounters bool) {
	q.args = []any{q.opts.userID}
	s := q.opts.Search
	if s.Tag != "" && s.Q == "" && !s.Overdue {
		return `select coalesce(max(active), 0), coalesce(max(completed), 0) from task_tag_counts
			where user_id = $1 and tag = ` + q.arg(s.Tag), true
	}
	src := q.source()
	if src == fromTag {
		var parts []string
		for _, c := range q.states() {
			from, conds := q.from(src, c)
			parts = append(parts, `(select 1 from `+from+` where `+strings.Join(conds, " and ")+` limit `+strconv.Itoa(todo.MatchCountCap+1)+`)`)
		}
		return `select count(*) from (select 1 from (` + strings.Join(parts, " union all ") + `) u limit ` +
			strconv.Itoa(todo.MatchCountCap+1) + `) m`, false
	}
	from, conds := q.from(src, "")
	return `select count(*) from (select 1 from ` + from + ` where ` + strings.Join(conds, " and ") +
		` limit ` + strconv.Itoa(todo.MatchCountCap+1) + `) m`, false
}
