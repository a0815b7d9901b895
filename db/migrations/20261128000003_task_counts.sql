-- migrate:up
-- Per-user task totals, kept by the database on every write to tasks. The list page shows the active
-- count on every request; counting a user's rows would cost time in proportion to how many tasks they
-- have (100,000 tasks: milliseconds per page view), reading this row costs the same for everyone.
create table task_counts (
  user_id   text primary key references users (id) on delete cascade,
  active    bigint not null default 0 check (active >= 0),
  completed bigint not null default 0 check (completed >= 0)
);

insert into task_counts (user_id, active, completed)
select user_id, count(*) filter (where not completed), count(*) filter (where completed)
  from tasks group by user_id;

-- Statement-level triggers with transition tables: one counter update per statement, however many
-- rows it touched (toggle-all on 100,000 tasks is one update of one counter row).
create function task_counts_after_insert() returns trigger
language plpgsql as $$
begin
  insert into task_counts as c (user_id, active, completed)
  select user_id, count(*) filter (where not completed), count(*) filter (where completed)
    from new_rows group by user_id
  on conflict (user_id) do update
     set active = c.active + excluded.active, completed = c.completed + excluded.completed;
  return null;
end;
$$;

create function task_counts_after_update() returns trigger
language plpgsql as $$
begin
  -- A row moved to another owner (the app never does it) would need that owner's counter row.
  insert into task_counts (user_id) select distinct user_id from new_rows on conflict do nothing;
  update task_counts c
     set active = c.active + d.active, completed = c.completed + d.completed
    from (select user_id, coalesce(sum(delta) filter (where not completed), 0) as active,
                 coalesce(sum(delta) filter (where completed), 0) as completed
            from (select user_id, completed, 1 as delta from new_rows
                  union all
                  select user_id, completed, -1 from old_rows) changes
           group by user_id) d
   where c.user_id = d.user_id and (d.active <> 0 or d.completed <> 0);
  return null;
end;
$$;

-- A plain UPDATE, not an upsert: when a user is deleted the cascade may already have removed their
-- counter row, and inserting it again would break the foreign key.
create function task_counts_after_delete() returns trigger
language plpgsql as $$
begin
  update task_counts c
     set active = c.active - d.active, completed = c.completed - d.completed
    from (select user_id, count(*) filter (where not completed) as active,
                 count(*) filter (where completed) as completed
            from old_rows group by user_id) d
   where c.user_id = d.user_id;
  return null;
end;
$$;

create trigger task_counts_after_insert after insert on tasks
  referencing new table as new_rows
  for each statement execute function task_counts_after_insert();
create trigger task_counts_after_update after update on tasks
  referencing old table as old_rows new table as new_rows
  for each statement execute function task_counts_after_update();
create trigger task_counts_after_delete after delete on tasks
  referencing old table as old_rows
  for each statement execute function task_counts_after_delete();

-- migrate:down
drop trigger task_counts_after_delete on tasks;
drop trigger task_counts_after_update on tasks;
drop trigger task_counts_after_insert on tasks;
drop function task_counts_after_delete();
drop function task_counts_after_update();
drop function task_counts_after_insert();
drop table task_counts;
