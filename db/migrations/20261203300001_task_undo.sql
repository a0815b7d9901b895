-- migrate:up
-- What an undoable action (deleting tasks, marking them all complete or active) changed, kept for a
-- short while so that its owner can put it back exactly: the deleted rows whole (every column, so a
-- column added to tasks later is restored too), or the ids whose completed flag changed with the
-- flag they had. Undoing deletes the record in the statement that restores, so it works once.
--
-- Nothing lingers: a record ends at expires_at. The owner's own writes delete their expired records
-- and all but the newest few, and a periodic sweep deletes every expired record, of users who never
-- come back too (see the policies below).
create table task_undo (
  user_id    text not null references users (id) on delete cascade,
  id         bigint generated always as identity,
  action     text not null check (action in ('delete', 'complete')),
  tasks      jsonb not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  primary key (user_id, id)
);
create index task_undo_expires_at_idx on task_undo (expires_at);

-- The rule of every table holding a user's data: a statement sees, changes and adds only the rows of
-- the user named by app.user_id (see the row-level security migration), the table's owner included.
alter table task_undo enable row level security;
alter table task_undo force row level security;
create policy task_undo_of_the_user on task_undo
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));

-- An expired record is no one's to restore any more, and any statement may delete it: the sweep runs
-- for no user. It can still read nothing: a DELETE whose WHERE or RETURNING reads the table's columns
-- is held to the policy above as well, so only a bare "delete from task_undo" reaches other users'
-- rows, and of those only the expired ones.
create policy task_undo_expired on task_undo for delete
  using (expires_at < now());

-- migrate:down
drop table task_undo;
