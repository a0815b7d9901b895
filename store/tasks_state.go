package store

import (
	"context"

	"todo/todo"
)

// Writes that set a task's completed state along with its text, for clients (the JSON API) that send
// the whole task at once. Each statement filters on the handle's user, like every task statement.

// CreateAs adds a task for the user in the given state. A user id that names no user (an account
// deleted while a token for it lives on) is todo.ErrNotFound, and nothing is written.
func (t Tasks) CreateAs(ctx context.Context, in todo.Input, completed bool) (todo.Task, error) {
	in, err := in.Normalize()
	if err != nil {
		return todo.Task{}, err
	}
	f := in.Fields()
	k, err := t.scanWritten(t.write().QueryRow(ctx,
		`insert into tasks (user_id, title, description, completed, due_date, priority, tags)
		 select u.id, $2, nullif($3, ''), $4, nullif($5, '')::date, $6, $7 from users u where u.id = $1
		 returning `+writtenColumns, t.userID, in.Title, in.Description, completed, f.DueDate.String(), int16(f.Priority), f.Tags))
	return k, classify(err)
}

// Replace sets every field of one of the user's tasks: title, description, completed, due date,
// priority and tags (those the input does not set take their defaults).
func (t Tasks) Replace(ctx context.Context, id int64, in todo.Input, completed bool) (todo.Task, error) {
	in, err := in.Normalize()
	if err != nil {
		return todo.Task{}, err
	}
	f := in.Fields()
	k, err := t.scanWritten(t.write().QueryRow(ctx,
		`update tasks set title = $3, description = nullif($4, ''), completed = $5,
		   due_date = nullif($6, '')::date, priority = $7, tags = $8
		 where id = $1 and user_id = $2 returning `+writtenColumns, id, t.userID, in.Title, in.Description, completed,
		f.DueDate.String(), int16(f.Priority), f.Tags))
	return k, classify(err)
}

// SetCompleted puts one of the user's tasks in the given state; setting the state it has changes
// nothing (not even updated_at).
func (t Tasks) SetCompleted(ctx context.Context, id int64, completed bool) (todo.Task, error) {
	k, err := t.scanWritten(t.write().QueryRow(ctx,
		`with changed as (
		   update tasks set completed = $3
		    where id = $1 and user_id = $2 and completed <> $3
		   returning `+writtenColumns+`
		 )
		 select * from changed
		 union all
		 select `+writtenColumns+` from tasks
		  where id = $1 and user_id = $2 and not exists (select 1 from changed)`, id, t.userID, completed))
	return k, classify(err)
}
