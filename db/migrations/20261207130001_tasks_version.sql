-- migrate:up
-- version names what a task row holds: a number from task_versions, given to the row when it is
-- written and anew by every update (before-update trigger), so no two states of any task share one.
-- The sort indexes carry it, with the ids and sort keys: a sorted page can then be read from the
-- index alone (an index-only scan of a few leaf pages), and the app takes the tasks it already holds
-- at exactly those versions from memory (store/known_tasks.go). Read from the table, such a page
-- costs a heap page per row: in any order but created, a page's tasks were written at different
-- times and lie scattered over the table.
create sequence task_versions;
alter table tasks add column version bigint not null default nextval('task_versions');
alter sequence task_versions owned by tasks.version;

-- One row trigger stamps both the time and the version of an update.
create function tasks_stamp_update() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  new.version := nextval('task_versions');
  return new;
end;
$$;
drop trigger tasks_set_updated_at on tasks;
drop function tasks_set_updated_at();
create trigger tasks_stamp_update before update on tasks for each row execute function tasks_stamp_update();

drop index tasks_due_idx;
drop index tasks_due_desc_idx;
drop index tasks_priority_idx;
drop index tasks_priority_desc_idx;
drop index tasks_title_idx;
drop index tasks_title_desc_idx;
create index tasks_due_idx on tasks (user_id, completed, due_key, id) include (version);
create index tasks_due_desc_idx on tasks (user_id, completed, due_desc_key, id) include (version);
create index tasks_priority_idx on tasks (user_id, completed, priority, id) include (version);
create index tasks_priority_desc_idx on tasks (user_id, completed, priority_desc_key, id) include (version);
create index tasks_title_idx on tasks (user_id, completed, title_key, id) include (version);
create index tasks_title_desc_idx on tasks (user_id, completed, title_key desc, id) include (version);

-- migrate:down
drop index tasks_title_desc_idx;
drop index tasks_title_idx;
drop index tasks_priority_desc_idx;
drop index tasks_priority_idx;
drop index tasks_due_desc_idx;
drop index tasks_due_idx;
create index tasks_due_idx on tasks (user_id, completed, due_key, id);
create index tasks_due_desc_idx on tasks (user_id, completed, due_desc_key, id);
create index tasks_priority_idx on tasks (user_id, completed, priority, id);
create index tasks_priority_desc_idx on tasks (user_id, completed, priority_desc_key, id);
create index tasks_title_idx on tasks (user_id, completed, title_key, id);
create index tasks_title_desc_idx on tasks (user_id, completed, title_key desc, id);

drop trigger tasks_stamp_update on tasks;
drop function tasks_stamp_update();
create function tasks_set_updated_at() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
create trigger tasks_set_updated_at before update on tasks for each row execute function tasks_set_updated_at();

alter table tasks drop column version;
