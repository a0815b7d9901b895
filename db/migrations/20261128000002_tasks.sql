-- migrate:up
create table tasks (
  id          bigint generated always as identity primary key,
  user_id     text not null references users (id) on delete cascade,
  title       varchar(200) not null,
  description varchar(1000),
  completed   boolean not null default false,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now(),
  -- The app validates first and says why in words; these make the rules hold for every writer.
  constraint tasks_title_not_blank check (title ~ '[^[:space:]]'),
  constraint tasks_title_no_control_chars check (title !~ '[[:cntrl:]]'),
  constraint tasks_description_no_control_chars
    check (description !~ E'[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]')
);

-- The list is shown oldest first, ordered by id (unique, so the order is stable and a keyset on it is
-- exact). These two indexes serve every query the app runs, each as an index scan that stops after
-- one page however many tasks the user has:
--   all tasks, a page:          where user_id = $1 and id > $2 order by id limit n  -> (user_id, id)
--   active/completed, a page:   where user_id = $1 and completed = $2 and id > $3 ... -> (user_id, completed, id)
--   counts:                     where user_id = $1 group by completed               -> (user_id, completed, id), index only
-- (user_id, id) is also the spec's index on user_id (it leads with it), and the foreign key's delete
-- cascade uses it.
create index tasks_user_id_id_idx on tasks (user_id, id);
create index tasks_user_id_completed_id_idx on tasks (user_id, completed, id);

-- updated_at is the database's job, whoever issues the UPDATE.
create function tasks_set_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;

create trigger tasks_set_updated_at
  before update on tasks
  for each row execute function tasks_set_updated_at();

-- migrate:down
drop table tasks;
drop function tasks_set_updated_at();
