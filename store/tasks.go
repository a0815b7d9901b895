package store

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"todo/todo"
)

// Page is one page of a task list and the user's counts, read in one round trip.
type Page struct {
	Tasks  []todo.Task
	Counts todo.Counts
	// Next is the keyset of the following page (ListOptions.After and AfterKey); zero on the last page.
	Next todo.Keyset
	// Matches is how many tasks the search matches, over all pages, when it narrows the list (at
	// most todo.MatchCountCap+1: more is "more than" the cap); -1 otherwise.
	Matches int
}

// ListOptions select a page: tasks after the keyset (After 0: from the start), at most Limit of them.
type ListOptions struct {
	Filter   todo.Filter
	Search   todo.Search
	After    int64
	AfterKey string    // the sort key of the task After (sorts other than created)
	Limit    int       // default and maximum todo.PageSize
	Today    todo.Date // what due=overdue compares with
	userID   string
}

// Tasks is one user's task list. Every method's statement filters on that user's id.
type Tasks struct {
	pool   *db // owner, statement timeout and read retry: see exec.go
	userID string
	dense  *denseSearches
	known  *knownTasks
}

// Tasks returns the handle for the tasks of userID. An empty id matches no row, as no user has it.
func (s *Store) Tasks(userID string) Tasks {
	return Tasks{pool: s.pool, userID: userID, dense: s.dense, known: s.known}
}

// read and write are the calls of this handle: every statement runs for its user (see exec.go).
func (t Tasks) read() call  { return t.pool.read(ownedBy(t.userID)) }
func (t Tasks) write() call { return t.pool.write(ownedBy(t.userID)) }

// UserID is the owner this handle is scoped to.
func (t Tasks) UserID() string { return t.userID }

const taskColumns = `id, title, coalesce(description, ''), completed, due_date, priority, tags, created_at, updated_at`

// writtenColumns are taskColumns and the row's version: what a write returns, so that the task as
// written is held at its new version (see knownTasks), and the next page that shows it, in this
// instance, needs no second read.
const writtenColumns = taskColumns + ", version"

// scanWritten reads the row a write returned (writtenColumns) and holds the task at its version.
func (t Tasks) scanWritten(row pgx.Row) (todo.Task, error) {
	s := newTaskScanner(false).readsVersion()
	k, _, err := s.scan(row)
	if err == nil {
		t.known.put(t.userID, s.version, k)
	}
	return k, err
}

func scanTask(row pgx.Row) (todo.Task, error) {
	k, _, err := newTaskScanner(false).scan(row)
	return k, err
}

// taskScanner reads rows of taskColumns (with titleKey, also the title as the title sort compares
// it) into one set of targets: a page of rows then costs the rows' own strings and tags, not half a
// dozen small allocations more per row for the targets and their interfaces.
type taskScanner struct {
	k        todo.Task
	due      pgtype.Date
	priority int16
	key      string
	sortKey  int32 // an ascending sort key, read in the title key's place and not kept (see columns)
	version  int64 // the row's version, for knownTasks
	near     bool  // a sampled search page's finding (see searchPage)
	dest     []any
}

func newTaskScanner(titleKey bool) *taskScanner {
	s := &taskScanner{}
	s.dest = []any{&s.k.ID, &s.k.Title, &s.k.Description, &s.k.Completed, &s.due, &s.priority, &s.k.Tags,
		&s.k.CreatedAt, &s.k.UpdatedAt}
	if titleKey {
		s.dest = append(s.dest, &s.key)
	}
	return s
}

// readsSortKey makes the scanner read an ascending sort key where it reads the title key.
func (s *taskScanner) readsSortKey() *taskScanner {
	s.dest[len(s.dest)-1] = &s.sortKey
	return s
}

// readsVersion makes the scanner read, after the title key, the row's version.
func (s *taskScanner) readsVersion() *taskScanner {
	s.dest = append(s.dest, &s.version)
	return s
}

// readsNear makes the scanner read, after the title key, a sampled search page's column near.
func (s *taskScanner) readsNear() *taskScanner {
	s.dest = append(s.dest, &s.near)
	return s
}

// scan reads one row: the task, and its title key when the scanner reads one.
func (s *taskScanner) scan(row pgx.Row) (todo.Task, string, error) {
	s.k.Tags = nil // pgx would decode into the last row's slice, which that task still holds
	if err := row.Scan(s.dest...); err != nil {
		return todo.Task{}, "", err
	}
	k := s.k
	k.DueDate = todo.Date{}
	if s.due.Valid {
		k.DueDate = todo.DateOf(s.due.Time)
	}
	k.Priority = todo.Priority(s.priority)
	return k, s.key, nil
}

// The list queries read one page of a user's tasks in id order, for each filter: a range scan of one
// index (the primary key (user_id, id), or the partial index of active or of completed tasks) that
// stops after the page, the same work for a user with 50 tasks as for one with 100,000 (see the
// migration that keys tasks by owner).
//
// A later page's keyset goes to PostgreSQL as the value of a subquery, which the planner sees only
// as "some id". Seen as a number, it would be multiplied, as if unrelated, with the user's share of
// the table: for a user whose tasks are the newest, the table's rows above the keyset are few, the
// product says fewer than a page of the user's tasks follow, and reading and sorting all of them
// (a bitmap scan) looks as cheap as walking the index for a page. Unknown, the keyset counts as a
// third of the user's tasks, and the ordered walk that stops after a page is the cheaper plan.
var firstPageQueries, laterPageQueries = listQueries("$2"), listQueries("(select $2::bigint)")

func listQueries(keyset string) map[todo.Filter]string {
	query := func(filter string) string {
		return `select ` + taskColumns + ` from tasks
		 where user_id = $1 ` + filter + ` and id > ` + keyset + ` order by id limit $3`
	}
	return map[todo.Filter]string{
		todo.All:       query(""),
		todo.Active:    query("and not completed"),
		todo.Completed: query("and completed"),
	}
}

// countsQuery reads the totals the database keeps in task_counts (see its migration): one primary-key
// lookup whatever the number of tasks. A user who never had a task has no row: zeros.
const countsQuery = `select coalesce(max(active), 0), coalesce(max(completed), 0)
	from task_counts where user_id = $1`

// List reads a page of tasks together with the counts (and for a narrowing search, how many match).
func (t Tasks) List(ctx context.Context, opts ListOptions) (Page, error) {
	limit := opts.Limit
	if limit <= 0 || limit > todo.PageSize {
		limit = todo.PageSize
	}
	if _, ok := filterPaths(opts.Filter); !ok {
		return Page{}, todo.Invalid("filter", "Unknown filter.")
	}
	opts.userID = t.userID
	plain := opts.Search == todo.Search{}
	var query string
	var args []any
	if plain {
		query = firstPageQueries[opts.Filter]
		if opts.After > 0 {
			query = laterPageQueries[opts.Filter]
		}
		args = []any{t.userID, max(opts.After, 0), limit + 1}
	}
	var q *listQuery
	if !plain {
		q = &listQuery{opts: opts, limit: limit + 1, dense: t.dense.dense(t.userID, opts.Search.Q)}
		query, args = q.page(), q.args
	}
	versionsFirst := q != nil && q.holdsTasks()
	full, fullArgs := query, args // the page whole, when not every task of it is held
	if versionsFirst {
		query, args = q.versionsPage(), q.args
	}
	page := Page{Matches: -1, Tasks: make([]todo.Task, 0, limit+1)}
	var lastKey string
	keep := func(k todo.Task, key string) {
		if len(page.Tasks) < limit {
			lastKey = key
		}
		page.Tasks = append(page.Tasks, k)
	}
	batch := &pgx.Batch{}
	var versions []versionRow
	// One more row than shown tells whether another page follows.
	batch.Queue(query, args...).Query(func(rows pgx.Rows) error {
		if versionsFirst {
			return readVersions(rows, q, &versions)
		}
		page.Tasks, lastKey = page.Tasks[:0], "" // a retried read reads the rows again
		return t.readPage(rows, q, keep)
	})
	batch.Queue(countsQuery, t.userID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&page.Counts.Active, &page.Counts.Completed)
	})
	// A page of the full size reads one task more than the count's cap. So its rows are the count
	// when they are all there are (a first page), and when there are more of them than the cap
	// (the tasks after the keyset alone are more): only the last of several pages counts anew, with
	// countSQL after the batch.
	countedByPage := false
	var countSQL string
	var countArgs []any
	if opts.Search.Narrowed() {
		q := &listQuery{opts: opts}
		sql, fromCounters := q.matches()
		switch {
		case fromCounters:
			batch.Queue(sql, q.args...).QueryRow(func(row pgx.Row) error {
				var c todo.Counts
				err := row.Scan(&c.Active, &c.Completed)
				page.Matches = c.Of(opts.Filter)
				return err
			})
		case limit >= todo.MatchCountCap:
			countedByPage, countSQL, countArgs = true, sql, q.args
		default:
			batch.Queue(sql, q.args...).QueryRow(func(row pgx.Row) error { return row.Scan(&page.Matches) })
		}
	}
	read := t.pool.read(ownedBy(t.userID).withGenericPlans()) // see withGenericPlans
	if err := read.SendBatch(ctx, batch); err != nil {
		return Page{}, classify(err)
	}
	if versionsFirst && !t.takeKnown(versions, keep) {
		// Some task of the page changed since it was held, or was never read here: the page from the
		// table, whose tasks are then held at their versions.
		b := &pgx.Batch{}
		b.Queue(full, fullArgs...).Query(func(rows pgx.Rows) error {
			page.Tasks, lastKey = page.Tasks[:0], ""
			return t.readPage(rows, q, keep)
		})
		if err := read.SendBatch(ctx, b); err != nil {
			return Page{}, classify(err)
		}
	}
	if q != nil && q.shape == windowSearch && len(page.Tasks) <= limit {
		// The window ran out before the page was full (or the tasks ended): the sampled search goes
		// on from the last match, or from the page's own keyset when the window held none.
		rest := opts
		if len(page.Tasks) > 0 {
			rest.After = page.Tasks[len(page.Tasks)-1].ID
		}
		n, key := len(page.Tasks), lastKey
		more := &listQuery{opts: rest, limit: limit + 1 - n}
		sql := more.page()
		b := &pgx.Batch{}
		b.Queue(sql, more.args...).Query(func(rows pgx.Rows) error {
			page.Tasks, lastKey = page.Tasks[:n], key
			return t.readPage(rows, more, keep)
		})
		if err := read.SendBatch(ctx, b); err != nil {
			return Page{}, classify(err)
		}
	}
	if countedByPage {
		if opts.After <= 0 || len(page.Tasks) > todo.MatchCountCap {
			page.Matches = min(len(page.Tasks), todo.MatchCountCap+1)
		} else if err := read.QueryRow(ctx, countSQL, countArgs...).Scan(&page.Matches); err != nil {
			return Page{}, classify(err)
		}
	}
	if len(page.Tasks) > limit {
		page.Tasks = page.Tasks[:limit]
		last := page.Tasks[limit-1]
		page.Next = todo.Keyset{ID: last.ID, Key: opts.Search.KeyOf(last, lastKey)}
	}
	return page, nil
}

// readPage reads the rows of a page's statement (q nil: a plain list) into keep. A sampled search
// page's rows also say whether it found its candidates close together, which is remembered for the
// search's next pages (denseSearches); a page without rows found nothing to remember.
func (t Tasks) readPage(rows pgx.Rows, q *listQuery, keep func(todo.Task, string)) error {
	scanner := newTaskScanner(q != nil)
	if q != nil && q.ascendingKey() {
		scanner.readsSortKey()
	}
	holds := q != nil && q.holdsTasks()
	if holds {
		scanner.readsVersion()
	}
	sampled := q != nil && q.shape == sampledSearch
	if sampled {
		scanner.readsNear()
	}
	read := false
	for rows.Next() {
		k, key, err := scanner.scan(rows)
		if err != nil {
			return err
		}
		if holds {
			t.known.put(t.userID, scanner.version, k)
		}
		keep(k, key)
		read = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if sampled && read {
		t.dense.sampled(t.userID, q.opts.Search.Q, scanner.near)
	}
	return nil
}

// readVersions reads the rows of a page's versionsPage into rows (a retried read anew).
func readVersions(rows pgx.Rows, q *listQuery, out *[]versionRow) error {
	*out = (*out)[:0]
	var r versionRow
	dest := []any{&r.id, &r.version}
	switch q.opts.Search.Sort {
	case todo.ByCreated: // the id is the key
	case todo.ByTitle:
		dest = append(dest, &r.key)
	default:
		dest = append(dest, nil) // only the title's sort key is the keyset's
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		*out = append(*out, r)
	}
	return rows.Err()
}

// takeKnown keeps the page of rows from the tasks held at those versions, if every one is held
// (see knownTasks); otherwise it keeps nothing.
func (t Tasks) takeKnown(rows []versionRow, keep func(todo.Task, string)) bool {
	tasks := make([]todo.Task, len(rows))
	for i, r := range rows {
		k, ok := t.known.get(t.userID, r.id, r.version)
		if !ok {
			return false
		}
		tasks[i] = k
	}
	for i, k := range tasks {
		keep(k, rows[i].key)
	}
	return true
}

func filterPaths(f todo.Filter) (string, bool) {
	_, ok := firstPageQueries[f]
	return f.Path(), ok
}

// Counts reads the user's active and completed totals.
func (t Tasks) Counts(ctx context.Context) (todo.Counts, error) {
	var c todo.Counts
	err := t.read().QueryRow(ctx, countsQuery, t.userID).Scan(&c.Active, &c.Completed)
	return c, classify(err)
}

// Get reads one task of the user.
func (t Tasks) Get(ctx context.Context, id int64) (todo.Task, error) {
	k, err := scanTask(t.read().QueryRow(ctx,
		`select `+taskColumns+` from tasks where id = $1 and user_id = $2`, id, t.userID))
	return k, classify(err)
}

// Create adds a task for the user.
func (t Tasks) Create(ctx context.Context, in todo.Input) (todo.Task, error) {
	in, err := in.Normalize()
	if err != nil {
		return todo.Task{}, err
	}
	k, err := t.scanWritten(t.write().QueryRow(ctx, insertTask, insertArgs(t.userID, in)...))
	return k, classify(err)
}

const insertTask = `insert into tasks (user_id, title, description, due_date, priority, tags)
	values ($1, $2, nullif($3, ''), nullif($4, '')::date, $5, $6)
	returning ` + writtenColumns

func insertArgs(userID string, in todo.Input) []any {
	f := in.Fields()
	return []any{userID, in.Title, in.Description, f.DueDate.String(), int16(f.Priority), f.Tags}
}

// CreateCounted adds a task like Create and reads the user's counts as they are right after it, in
// the same round trip (the counts' trigger has run by then): what an answer that shows the new task
// and the counter needs, exact even when another tab changed tasks meanwhile.
func (t Tasks) CreateCounted(ctx context.Context, in todo.Input) (todo.Task, todo.Counts, error) {
	in, err := in.Normalize()
	if err != nil {
		return todo.Task{}, todo.Counts{}, err
	}
	var k todo.Task
	var c todo.Counts
	batch := &pgx.Batch{}
	batch.Queue(insertTask, insertArgs(t.userID, in)...).QueryRow(func(row pgx.Row) error {
		k, err = t.scanWritten(row)
		return err
	})
	batch.Queue(countsQuery, t.userID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&c.Active, &c.Completed)
	})
	if err := t.write().SendBatch(ctx, batch); err != nil {
		return todo.Task{}, todo.Counts{}, classify(err)
	}
	return k, c, nil
}

// Update replaces the title and description of one of the user's tasks, and the due date,
// priority and tags the input sets.
func (t Tasks) Update(ctx context.Context, id int64, in todo.Input) (todo.Task, error) {
	in, err := in.Normalize()
	if err != nil {
		return todo.Task{}, err
	}
	f := in.Fields()
	k, err := t.scanWritten(t.write().QueryRow(ctx,
		`update tasks set title = $3, description = nullif($4, ''),
		   due_date = case when $5 then nullif($6, '')::date else due_date end,
		   priority = case when $7 then $8::smallint else priority end,
		   tags = case when $9 then $10::text[] else tags end
		 where id = $1 and user_id = $2 returning `+writtenColumns, id, t.userID, in.Title, in.Description,
		in.HasDueDate, f.DueDate.String(), in.HasPriority, int16(f.Priority), in.HasTags, f.Tags))
	return k, classify(err)
}

// Toggle flips one task between active and completed.
func (t Tasks) Toggle(ctx context.Context, id int64) (todo.Task, error) {
	k, err := t.scanWritten(t.write().QueryRow(ctx,
		`update tasks set completed = not completed
		 where id = $1 and user_id = $2 returning `+writtenColumns, id, t.userID))
	return k, classify(err)
}

// Delete removes one of the user's tasks.
func (t Tasks) Delete(ctx context.Context, id int64) error {
	tag, err := t.write().Exec(ctx, `delete from tasks where id = $1 and user_id = $2`, id, t.userID)
	if err != nil {
		return classify(err)
	}
	if tag.RowsAffected() == 0 {
		return todo.ErrNotFound
	}
	return nil
}
