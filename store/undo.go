package store

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"todo/todo"
)

// Undoable actions. Each deletes or changes tasks and, in the same statement, keeps what it changed
// in task_undo (see its migration) for todo.UndoWindow; the same round trip deletes the user's
// expired records and all but the newest todo.UndoKeep. Undo restores a record and deletes it in
// one statement, so a record is restored at most once.

// undoWindow is the window as a PostgreSQL interval.
var undoWindow = strconv.FormatInt(int64(todo.UndoWindow/time.Second), 10) + " seconds"

// keptUndo is the tail of the undoable statements: the record of what the CTE "changed" holds, and
// the answer row (how many tasks, the first one's title, the record's id and expiry). With always,
// an action that changed nothing keeps a record too (undoing it changes nothing), so that its
// answer offers Undo like any other; without, it keeps none.
func keptUndo(action todo.UndoAction, snapshot string, always bool) string {
	having := " having count(*) > 0"
	if always {
		having = ""
	}
	return `, kept as (
	  insert into task_undo (user_id, action, tasks, expires_at)
	  select $1, '` + string(action) + `', coalesce(jsonb_agg(` + snapshot + ` order by changed.id), '[]'), now() + $2::interval
	    from changed` + having + `
	  returning id, expires_at
	)
	select (select count(*) from changed), coalesce((select title from changed order by id limit 1), ''),
	       coalesce((select id from kept), 0), coalesce((select expires_at from kept), now())`
}

// trimUndo deletes the user's expired undo records and all but the newest todo.UndoKeep.
const trimUndo = `delete from task_undo
	 where user_id = $1
	   and (expires_at <= now()
	        or id < (select min(id) from (select id from task_undo where user_id = $1 order by id desc limit $2) newest))`

// undoable runs an undoable statement (its $1 the user, $2 the window) and the trim in one round
// trip: one implicit transaction.
func (t Tasks) undoable(ctx context.Context, sql string, u todo.Undo, args ...any) (todo.Undo, error) {
	b := &pgx.Batch{}
	b.Queue(sql, append([]any{t.userID, undoWindow}, args...)...).QueryRow(func(row pgx.Row) error {
		dest := []any{&u.Tasks, &u.Title, &u.ID, &u.Until}
		if u.Action == todo.UndoComplete {
			dest = append(dest, &u.Completed) // the state set, which the statement decides
		}
		return row.Scan(dest...)
	})
	b.Queue(trimUndo, t.userID, todo.UndoKeep)
	if err := t.write().SendBatch(ctx, b); err != nil {
		return todo.Undo{}, classify(err)
	}
	return u, nil
}

// DeleteUndoable deletes one of the user's tasks and keeps it for undo.
func (t Tasks) DeleteUndoable(ctx context.Context, id int64) (todo.Undo, error) {
	u, err := t.undoable(ctx, `with changed as (
	  delete from tasks where id = $3 and user_id = $1 returning tasks.*
	)`+keptUndo(todo.UndoDelete, "to_jsonb(changed)", false), todo.Undo{Action: todo.UndoDelete}, id)
	if err == nil && u.Tasks == 0 {
		return todo.Undo{}, todo.ErrNotFound
	}
	return u, err
}

// ClearCompletedUndoable deletes the user's completed tasks and keeps them for undo (none: a record
// that undoes nothing).
func (t Tasks) ClearCompletedUndoable(ctx context.Context) (todo.Undo, error) {
	return t.undoable(ctx, `with changed as (
	  delete from tasks where user_id = $1 and completed returning tasks.*
	)`+keptUndo(todo.UndoDelete, "to_jsonb(changed)", true), todo.Undo{Action: todo.UndoDelete})
}

// SetAllCompleted puts every task of the user in the state completed, or with nil flips them as a
// whole: all completed when any is active, else all active. It keeps the ids that changed, with their
// former state, for undo; the Undo says the state set and how many changed (none: a record that
// undoes nothing).
func (t Tasks) SetAllCompleted(ctx context.Context, completed *bool) (todo.Undo, error) {
	u, err := t.undoable(ctx, `with target as (
	  select coalesce($3::boolean, exists (select 1 from tasks where user_id = $1 and not completed)) as state
	), changed as (
	  update tasks set completed = target.state from target
	   where tasks.user_id = $1 and tasks.completed <> target.state
	  returning tasks.id, tasks.title, target.state
	)`+keptUndo(todo.UndoComplete, "jsonb_build_object('id', changed.id, 'completed', not changed.state)", true)+
		`, (select state from target)`, todo.Undo{Action: todo.UndoComplete}, completed)
	return u, err
}

// Undo takes back one of the user's undoable actions, if its record is still there: deleted tasks
// come back whole (same ids, text, state, times; the counts follow), changed flags are set back. It
// reports what was undone and how many tasks it restored; a record that is gone (undone already,
// expired, another user's) is todo.ErrNoUndo, and nothing changes.
func (t Tasks) Undo(ctx context.Context, id int64) (todo.Undo, error) {
	var u todo.Undo
	var action *string
	b := &pgx.Batch{}
	b.Queue(`with rec as (
	  delete from task_undo where user_id = $1 and id = $2 and expires_at > now()
	  returning action, tasks
	), restored as (
	  insert into tasks (`+restoredColumns+`) overriding system value
	  select `+restoredColumnsOf("r")+` from rec, jsonb_populate_recordset(null::tasks, rec.tasks) r
	   where rec.action = 'delete' and r.user_id = $1
	  on conflict do nothing
	  returning id
	), reset as (
	  update tasks set completed = s.completed
	    from rec, jsonb_to_recordset(rec.tasks) s(id bigint, completed boolean)
	   where rec.action = 'complete' and tasks.user_id = $1 and tasks.id = s.id and tasks.completed <> s.completed
	  returning tasks.id
	)
	select (select action from rec), (select count(*) from restored) + (select count(*) from reset)`,
		t.userID, id).QueryRow(func(row pgx.Row) error {
		return row.Scan(&action, &u.Tasks)
	})
	b.Queue(trimUndo, t.userID, todo.UndoKeep)
	if err := t.write().SendBatch(ctx, b); err != nil {
		return todo.Undo{}, classify(err)
	}
	if action == nil {
		return todo.Undo{}, todo.ErrNoUndo
	}
	u.ID, u.Action = id, todo.UndoAction(*action)
	return u, nil
}

// DeleteExpiredUndo deletes every expired undo record, whoever's. It runs for no user: the table's
// policies let such a statement delete expired records and nothing else, and read none (the
// statement names no column, which would hold it to the owner's policy).
func (s *Store) DeleteExpiredUndo(ctx context.Context) (int64, error) {
	tag, err := s.pool.write(noOwner).Exec(ctx, `delete from task_undo`)
	return tag.RowsAffected(), classify(err)
}

// restoredColumns are the columns of tasks an undo writes back: every stored one but those the
// database computes (title_key is generated from the title). The version comes back too: the row is
// the one it named (see knownTasks); a record kept before tasks had versions gets a new one.
const restoredColumns = `id, user_id, title, description, completed, created_at, updated_at, due_date, priority, tags, version`

func restoredColumnsOf(alias string) string {
	cols := alias + "." + strings.ReplaceAll(restoredColumns, ", ", ", "+alias+".")
	return strings.Replace(cols, alias+".version", "coalesce("+alias+".version, nextval('task_versions'))", 1)
}
