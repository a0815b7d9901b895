package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"todo/todo"
)

// Page is one page of a task list and the user's counts, read in one round trip.
type Page struct {
	Tasks  []todo.Task
	Counts todo.Counts
	// Next is the keyset to pass as ListOptions.After for the following page; 0 on the last page.
	Next int64
}

// ListOptions select a page: tasks after the id After (0: from the start), at most Limit of them.
type ListOptions struct {
	Filter todo.Filter
	After  int64
	Limit  int // default and maximum todo.PageSize
}

// Tasks is one user's task list. Every method's statement filters on that user's id.
type Tasks struct {
	pool   *db // owner, statement timeout and read retry: see exec.go
	userID string
	// few: the user is known to have few tasks, so List may use its cheaper plain query.
	few bool
}

// Tasks returns the handle for the tasks of userID. An empty id matches no row, as no user has it.
func (s *Store) Tasks(userID string) Tasks { return Tasks{pool: s.pool, userID: userID} }

// read and write are the calls of this handle: every statement runs for its user (see exec.go).
func (t Tasks) read() call  { return t.pool.read(ownedBy(t.userID)) }
func (t Tasks) write() call { return t.pool.write(ownedBy(t.userID)) }

// fewTasks is the size below which any plan of a list query is cheap.
const fewTasks = 1000

// TasksOf returns the handle for the tasks of u, using u.Counts (read with the session) to pick
// the list query: the plain one for a user with fewer than fewTasks tasks, which PostgreSQL plans in a
// fraction of the time, else the one whose plan holds for any number (see listQueries).
func (s *Store) TasksOf(u User) Tasks {
	t := s.Tasks(u.ID)
	t.few = u.Counts.Total() < fewTasks
	return t
}

// UserID is the owner this handle is scoped to.
func (t Tasks) UserID() string { return t.userID }

const taskColumns = `id, title, coalesce(description, ''), completed, created_at, updated_at`

func scanTask(row pgx.Row) (todo.Task, error) {
	var k todo.Task
	err := row.Scan(&k.ID, &k.Title, &k.Description, &k.Completed, &k.CreatedAt, &k.UpdatedAt)
	return k, err
}

// The list queries read one page of a user's tasks in id order: a range scan of the (user_id, id) or
// (user_id, completed, id) index that stops after one page, the same work for a user with 50 tasks as
// for one with 100,000 (see the tasks migration). Each comes in two shapes.
//
// plainListQuery compares the owner with $1. Knowing the value, the planner estimates that user's share
// of the table, and for one who owns most of it prefers to walk the primary key in id order filtering
// on user_id: cheap on paper, but when that user's tasks are the newest it reads every other user's
// rows first (6 ms a page instead of 0.4, measured with 60,000 of 82,000 rows). For a user with few
// tasks every plan is cheap, and this one is cheap to plan, so it serves them (Store.TasksOf).
//
// robustListQuery reaches the owner through a lateral join on users, so the planner plans the owner
// as an average user and uses the per-user index whatever the data looks like. Planned like an average
// user, though, a user's tasks may look fewer than a page, and then a bitmap scan of all of them plus
// a sort looks as cheap as reading the index in order; for 100,000 tasks it is not, so List sends
// orderedIndexScans ahead of it. It costs PostgreSQL about a third more time to plan and run.
func plainListQuery(completed string) string {
	return `select ` + taskColumns + ` from tasks
	 where user_id = $1 ` + completed + ` and id > $2 order by id limit $3`
}

func robustListQuery(completed string) string {
	return `select t.id, t.title, coalesce(t.description, ''), t.completed, t.created_at, t.updated_at
	  from users u
	 cross join lateral (
	         select * from tasks
	          where tasks.user_id = u.id ` + completed + ` and tasks.id > $2
	          order by tasks.id limit $3) t
	 where u.id = $1
	 order by t.id`
}

var filterCondition = map[todo.Filter]string{
	todo.All:       "",
	todo.Active:    "and completed = false",
	todo.Completed: "and completed = true",
}

var plainListQueries, robustListQueries = map[todo.Filter]string{}, map[todo.Filter]string{}

func init() {
	for f, cond := range filterCondition {
		plainListQueries[f] = plainListQuery(cond)
		robustListQueries[f] = robustListQuery(strings.ReplaceAll(cond, "completed", "tasks.completed"))
	}
}

// orderedIndexScans goes ahead of robustListQuery in its batch: bitmap scans are of no use to a page
// read (see above). set_config(…, true) lasts until the end of the transaction the batch runs in, so
// the setting never reaches another statement, even behind a transaction-mode pooler.
const orderedIndexScans = `select set_config('enable_bitmapscan', 'off', true)`

// countsQuery reads the totals the database keeps in task_counts (see its migration): one primary-key
// lookup whatever the number of tasks. A user who never had a task has no row: zeros.
const countsQuery = `select coalesce(max(active), 0), coalesce(max(completed), 0)
	from task_counts where user_id = $1`

// List reads a page of tasks together with the counts.
func (t Tasks) List(ctx context.Context, opts ListOptions) (Page, error) {
	limit := opts.Limit
	if limit <= 0 || limit > todo.PageSize {
		limit = todo.PageSize
	}
	query, ok := robustListQueries[opts.Filter]
	if !ok {
		return Page{}, todo.Invalid("filter", "Unknown filter.")
	}
	var page Page
	batch := &pgx.Batch{}
	if t.few {
		query = plainListQueries[opts.Filter]
	} else {
		batch.Queue(orderedIndexScans)
	}
	// One more row than shown tells whether another page follows.
	batch.Queue(query, t.userID, max(opts.After, 0), limit+1).Query(func(rows pgx.Rows) error {
		page.Tasks = make([]todo.Task, 0, min(limit+1, 16))
		for rows.Next() {
			k, err := scanTask(rows)
			if err != nil {
				return err
			}
			page.Tasks = append(page.Tasks, k)
		}
		return rows.Err()
	})
	batch.Queue(countsQuery, t.userID).QueryRow(func(row pgx.Row) error {
		return row.Scan(&page.Counts.Active, &page.Counts.Completed)
	})
	if err := t.read().SendBatch(ctx, batch); err != nil {
		return Page{}, classify(err)
	}
	if len(page.Tasks) > limit {
		page.Tasks = page.Tasks[:limit]
		page.Next = page.Tasks[limit-1].ID
	}
	return page, nil
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
	k, err := scanTask(t.write().QueryRow(ctx,
		`insert into tasks (user_id, title, description) values ($1, $2, nullif($3, ''))
		 returning `+taskColumns, t.userID, in.Title, in.Description))
	return k, classify(err)
}

// Update replaces the title and description of one of the user's tasks.
func (t Tasks) Update(ctx context.Context, id int64, in todo.Input) (todo.Task, error) {
	in, err := in.Normalize()
	if err != nil {
		return todo.Task{}, err
	}
	k, err := scanTask(t.write().QueryRow(ctx,
		`update tasks set title = $3, description = nullif($4, '')
		 where id = $1 and user_id = $2 returning `+taskColumns, id, t.userID, in.Title, in.Description))
	return k, classify(err)
}

// Toggle flips one task between active and completed.
func (t Tasks) Toggle(ctx context.Context, id int64) (todo.Task, error) {
	k, err := scanTask(t.write().QueryRow(ctx,
		`update tasks set completed = not completed
		 where id = $1 and user_id = $2 returning `+taskColumns, id, t.userID))
	return k, classify(err)
}

// ToggleAll completes every task when any is active, else makes them all active again.
// It reports the state the tasks now have and how many changed.
func (t Tasks) ToggleAll(ctx context.Context) (completed bool, changed int64, err error) {
	err = t.write().QueryRow(ctx, `
		with target as (
		  select exists (select 1 from tasks where user_id = $1 and completed = false) as completed
		), changed as (
		  update tasks set completed = target.completed from target
		   where tasks.user_id = $1 and tasks.completed <> target.completed
		  returning 1
		)
		select (select completed from target), (select count(*) from changed)`, t.userID).Scan(&completed, &changed)
	return completed, changed, classify(err)
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

// ClearCompleted deletes the user's completed tasks and reports how many.
func (t Tasks) ClearCompleted(ctx context.Context) (int64, error) {
	tag, err := t.write().Exec(ctx, `delete from tasks where user_id = $1 and completed = true`, t.userID)
	if err != nil {
		return 0, classify(err)
	}
	return tag.RowsAffected(), nil
}
