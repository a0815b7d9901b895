-- migrate:up
-- A task's due date, priority and tags, and what finds and orders tasks by them.
--
-- priority is a rank: 0 none, 1 low, 2 medium, 3 high (the app names them). tags are kept in the order
-- stored; the rules (trimmed, lowercased, 1–32 of a-z 0-9 - _, at most 10, no duplicates) are the
-- app's, and these constraints make them hold for every writer (a duplicate fails task_tags' key).
-- title_key is the title as the title sort and the search compare it: lower(title).
alter table tasks
  add column due_date date,
  add column priority smallint not null default 0,
  add column tags text[] not null default '{}',
  add column title_key text generated always as (lower(title)) stored,
  add constraint tasks_priority_rank check (priority between 0 and 3),
  add constraint tasks_tags_valid check (
    cardinality(tags) <= 10 and array_position(tags, null) is null
    and array_to_string(tags, ' ') ~ '^([a-z0-9_-]{1,32}( |$))*$');

-- Row-level security lets PostgreSQL use an index only for conditions whose operators are leakproof
-- (=, <, > on text, integers, dates), so every list is a range of a btree index:
--   a sort:        user_id, completed = c, then the sort key in its order and id ascending (ties);
--                  the list of all tasks merges the active and the completed range (Merge Append)
--   a tag:         task_tags (user_id, tag, completed, task_id), the tag's active or completed range
--                  (both merged for all tasks), each pair's task looked up by primary key
--   a search:      task_trigrams (user_id, trigram, task_id) for the search's rarest trigram (from
--                  task_trigram_counts), each candidate looked up by primary key and its text checked
-- A mixed order (key descending, id ascending) is its own index: a backward scan would turn the ids.
create index tasks_due_idx on tasks (user_id, completed, due_date, id);
create index tasks_due_desc_idx on tasks (user_id, completed, due_date desc nulls last, id);
create index tasks_priority_idx on tasks (user_id, completed, priority, id);
create index tasks_priority_desc_idx on tasks (user_id, completed, priority desc, id);
create index tasks_title_idx on tasks (user_id, completed, title_key, id);
create index tasks_title_desc_idx on tasks (user_id, completed, title_key desc, id);

-- Which tasks have a tag, and how many active and completed tasks each of a user's tags has (the
-- tag's match count, and the suggestions: only the user's own tags). A pair carries its task's
-- completed state, so the active or the completed tasks of a tag are one range in id order too.
create table task_tags (
  user_id   text not null references users (id) on delete cascade,
  tag       text not null,
  task_id   bigint not null,
  completed boolean not null,
  primary key (user_id, tag, completed, task_id)
);
create table task_tag_counts (
  user_id   text not null references users (id) on delete cascade,
  tag       text not null,
  active    bigint not null default 0 check (active >= 0),
  completed bigint not null default 0 check (completed >= 0),
  primary key (user_id, tag)
);

-- Which tasks contain each three-character piece of their lowercased title and description, and in
-- how many tasks of the user each piece occurs. A search for text of three or more characters reads
-- the tasks of its rarest piece: every task containing the text contains all its pieces.
create table task_trigrams (
  user_id text not null references users (id) on delete cascade,
  trigram text not null,
  task_id bigint not null,
  primary key (user_id, trigram, task_id)
);
create table task_trigram_counts (
  user_id text not null references users (id) on delete cascade,
  trigram text not null,
  tasks   bigint not null default 0 check (tasks >= 0),
  primary key (user_id, trigram)
);

-- The distinct three-character pieces of a task's text as searches see it (lowercased; title and
-- description apart, so no piece spans both).
create function task_trigrams_of(title text, description text) returns setof text
language sql immutable parallel safe as $$
  select distinct substr(s, i, 3)
    from unnest(array[lower(title), lower(coalesce(description, ''))]) s,
         generate_series(1, length(s) - 2) i
$$;

-- The tables above follow every write to tasks, one statement per write (transition tables): a
-- toggle-all of 100,000 tasks changes no trigram row (only the tag pairs of the tasks it changes),
-- and only a changed text is split again.
create function task_index_after_insert() returns trigger
language plpgsql as $$
begin
  with pairs as (
    insert into task_tags (user_id, tag, task_id, completed)
    select n.user_id, g.tag, n.id, n.completed from new_rows n, unnest(n.tags) g(tag)
    returning user_id, tag, completed
  )
  insert into task_tag_counts as c (user_id, tag, active, completed)
  select p.user_id, p.tag, count(*) filter (where not p.completed), count(*) filter (where p.completed)
    from pairs p group by 1, 2
  on conflict (user_id, tag) do update
     set active = c.active + excluded.active, completed = c.completed + excluded.completed;

  with pieces as (
    insert into task_trigrams (user_id, trigram, task_id)
    select n.user_id, g.trigram, n.id from new_rows n, task_trigrams_of(n.title, n.description) g(trigram)
    returning user_id, trigram
  )
  insert into task_trigram_counts as c (user_id, trigram, tasks)
  select user_id, trigram, count(*) from pieces group by 1, 2
  on conflict (user_id, trigram) do update set tasks = c.tasks + excluded.tasks;
  return null;
end;
$$;

create function task_index_after_update() returns trigger
language plpgsql as $$
begin
  -- Tags: pairs gone, pairs new, and kept pairs whose task changed state; the counts move by each
  -- pair's old and new state.
  with changed as (
    select o.user_id, o.id, o.tags as old_tags, n.tags as new_tags, o.completed as was, n.completed as is
      from old_rows o join new_rows n on n.id = o.id
     where o.tags <> n.tags or o.completed <> n.completed
  ), old_pairs as (
    select c.user_id, g.tag, c.id from changed c, unnest(c.old_tags) g(tag)
  ), new_pairs as (
    select c.user_id, g.tag, c.id from changed c, unnest(c.new_tags) g(tag)
  ), gone as (
    delete from task_tags t
     using (select * from old_pairs except select * from new_pairs) d join changed c on c.id = d.id
     where t.user_id = d.user_id and t.tag = d.tag and t.completed = c.was and t.task_id = d.id
  ), added as (
    insert into task_tags (user_id, tag, task_id, completed)
    select d.user_id, d.tag, d.id, c.is
      from (select * from new_pairs except select * from old_pairs) d join changed c on c.id = d.id
  ), moved as (
    update task_tags t set completed = c.is from changed c
     where c.was <> c.is and t.user_id = c.user_id and t.completed = c.was and t.task_id = c.id
       and t.tag = any(c.old_tags) and t.tag = any(c.new_tags)
  ), deltas as (
    select c.user_id, g.tag, case when c.was then 0 else -1 end as active, case when c.was then -1 else 0 end as completed
      from changed c, unnest(c.old_tags) g(tag)
    union all
    select c.user_id, g.tag, case when c.is then 0 else 1 end, case when c.is then 1 else 0 end
      from changed c, unnest(c.new_tags) g(tag)
  ), sums as (
    select user_id, tag, sum(active) as active, sum(completed) as completed from deltas group by 1, 2
  ), lowered as (
    -- A count that goes down belongs to a row that exists. (An upsert checks the row it proposes,
    -- negative numbers and all, before it finds the existing one.)
    update task_tag_counts c set active = c.active + d.active, completed = c.completed + d.completed
      from sums d where c.user_id = d.user_id and c.tag = d.tag and (d.active < 0 or d.completed < 0)
  )
  insert into task_tag_counts as c (user_id, tag, active, completed)
  select user_id, tag, active, completed from sums
   where active >= 0 and completed >= 0 and (active > 0 or completed > 0)
  on conflict (user_id, tag) do update
     set active = c.active + excluded.active, completed = c.completed + excluded.completed;

  -- Trigrams: only tasks whose text changed are split again.
  with changed as (
    select o.user_id, o.id, o.title as old_title, o.description as old_description,
           n.title as new_title, n.description as new_description
      from old_rows o join new_rows n on n.id = o.id
     where o.title <> n.title or o.description is distinct from n.description
  ), old_pieces as (
    select c.user_id, g.trigram, c.id from changed c, task_trigrams_of(c.old_title, c.old_description) g(trigram)
  ), new_pieces as (
    select c.user_id, g.trigram, c.id from changed c, task_trigrams_of(c.new_title, c.new_description) g(trigram)
  ), gone as (
    select * from old_pieces except select * from new_pieces
  ), added as (
    select * from new_pieces except select * from old_pieces
  ), deleted as (
    delete from task_trigrams t using gone d
     where t.user_id = d.user_id and t.trigram = d.trigram and t.task_id = d.id
  ), inserted as (
    insert into task_trigrams (user_id, trigram, task_id) select * from added
  ), sums as (
    select user_id, trigram, sum(delta) as delta from (
      select user_id, trigram, -1 as delta from gone union all select user_id, trigram, 1 from added) d
     group by 1, 2
  ), lowered as (
    update task_trigram_counts c set tasks = c.tasks + d.delta
      from sums d where c.user_id = d.user_id and c.trigram = d.trigram and d.delta < 0
  )
  insert into task_trigram_counts as c (user_id, trigram, tasks)
  select user_id, trigram, delta from sums where delta > 0
  on conflict (user_id, trigram) do update set tasks = c.tasks + excluded.tasks;
  return null;
end;
$$;

-- Plain UPDATEs of the counts, not upserts: a user's deletion may already have removed their rows.
create function task_index_after_delete() returns trigger
language plpgsql as $$
begin
  with pairs as (
    delete from task_tags t using old_rows o
     where t.user_id = o.user_id and t.tag = any(o.tags) and t.completed = o.completed and t.task_id = o.id
    returning t.user_id, t.tag, t.task_id
  )
  update task_tag_counts c
     set active = c.active - d.active, completed = c.completed - d.completed
    from (select p.user_id, p.tag, count(*) filter (where not o.completed) as active,
                 count(*) filter (where o.completed) as completed
            from pairs p join old_rows o on o.id = p.task_id group by 1, 2) d
   where c.user_id = d.user_id and c.tag = d.tag;

  with pieces as (
    delete from task_trigrams t
     using (select o.user_id, g.trigram, o.id from old_rows o, task_trigrams_of(o.title, o.description) g(trigram)) d
     where t.user_id = d.user_id and t.trigram = d.trigram and t.task_id = d.id
    returning t.user_id, t.trigram
  )
  update task_trigram_counts c set tasks = c.tasks - d.tasks
    from (select user_id, trigram, count(*) as tasks from pieces group by 1, 2) d
   where c.user_id = d.user_id and c.trigram = d.trigram;
  return null;
end;
$$;

create trigger task_index_after_insert after insert on tasks
  referencing new table as new_rows
  for each statement execute function task_index_after_insert();
create trigger task_index_after_update after update on tasks
  referencing old table as old_rows new table as new_rows
  for each statement execute function task_index_after_update();
create trigger task_index_after_delete after delete on tasks
  referencing old table as old_rows
  for each statement execute function task_index_after_delete();

-- The same isolation as tasks: a statement sees and writes only the rows of app.user_id.
alter table task_tags enable row level security;
alter table task_tags force row level security;
create policy task_tags_of_the_user on task_tags
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));
alter table task_tag_counts enable row level security;
alter table task_tag_counts force row level security;
create policy task_tag_counts_of_the_user on task_tag_counts
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));
alter table task_trigrams enable row level security;
alter table task_trigrams force row level security;
create policy task_trigrams_of_the_user on task_trigrams
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));
alter table task_trigram_counts enable row level security;
alter table task_trigram_counts force row level security;
create policy task_trigram_counts_of_the_user on task_trigram_counts
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));

-- migrate:down
drop trigger task_index_after_delete on tasks;
drop trigger task_index_after_update on tasks;
drop trigger task_index_after_insert on tasks;
drop function task_index_after_delete();
drop function task_index_after_update();
drop function task_index_after_insert();
drop function task_trigrams_of(text, text);
drop table task_trigram_counts;
drop table task_trigrams;
drop table task_tag_counts;
drop table task_tags;
drop index tasks_title_desc_idx;
drop index tasks_title_idx;
drop index tasks_priority_desc_idx;
drop index tasks_priority_idx;
drop index tasks_due_desc_idx;
drop index tasks_due_idx;
alter table tasks
  drop constraint tasks_tags_valid,
  drop constraint tasks_priority_rank,
  drop column title_key,
  drop column tags,
  drop column priority,
  drop column due_date;
