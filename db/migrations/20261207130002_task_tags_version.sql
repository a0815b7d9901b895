-- migrate:up
-- A tag's pairs carry their task's version too (see the migration that gives tasks one), and the
-- key of task_tags includes it: a tag's page in created order can then be read from that index
-- alone, its tasks taken from those the app holds at exactly those versions (store/known_tasks.go).
alter table task_tags add column version bigint;
-- The copy reads every user's rows: row-level security is lifted for the tables' owner for the length
-- of this migration's transaction, and forced again before it commits.
alter table tasks no force row level security;
alter table task_tags no force row level security;
update task_tags g set version = t.version from tasks t where t.user_id = g.user_id and t.id = g.task_id;
alter table tasks force row level security;
alter table task_tags force row level security;
alter table task_tags alter column version set not null;
alter table task_tags drop constraint task_tags_pkey,
  add constraint task_tags_pkey primary key (user_id, tag, completed, task_id) include (version);

create or replace function task_index_after_insert() returns trigger
language plpgsql as $$
begin
  with pairs as (
    insert into task_tags (user_id, tag, task_id, completed, title, description, due_date, priority, tags,
                           created_at, updated_at, title_key, version)
    select n.user_id, g.tag, n.id, n.completed, n.title, n.description, n.due_date, n.priority, n.tags,
           n.created_at, n.updated_at, n.title_key, n.version
      from new_rows n, unnest(n.tags) g(tag)
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

create or replace function task_index_after_update() returns trigger
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
    insert into task_tags (user_id, tag, task_id, completed, title, description, due_date, priority, tags,
                           created_at, updated_at, title_key, version)
    select d.user_id, d.tag, d.id, n.completed, n.title, n.description, n.due_date, n.priority, n.tags,
           n.created_at, n.updated_at, n.title_key, n.version
      from (select * from new_pairs except select * from old_pairs) d join new_rows n on n.id = d.id
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

  -- The kept pairs of a changed task carry its columns again, and its version (this statement sees the
  -- pairs the one above moved; those it added already carry them).
  update task_tags t
     set title = n.title, description = n.description, due_date = n.due_date, priority = n.priority,
         tags = n.tags, created_at = n.created_at, updated_at = n.updated_at, title_key = n.title_key,
         version = n.version
    from new_rows n join old_rows o on o.id = n.id
   where t.user_id = n.user_id and t.task_id = n.id and t.completed = n.completed and t.tag = any(n.tags)
     and (o.title, o.description, o.due_date, o.priority, o.tags, o.created_at, o.updated_at, o.completed, o.version)
         is distinct from (n.title, n.description, n.due_date, n.priority, n.tags, n.created_at, n.updated_at, n.completed, n.version);

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

-- migrate:down
create or replace function task_index_after_insert() returns trigger
language plpgsql as $$
begin
  with pairs as (
    insert into task_tags (user_id, tag, task_id, completed, title, description, due_date, priority, tags,
                           created_at, updated_at, title_key)
    select n.user_id, g.tag, n.id, n.completed, n.title, n.description, n.due_date, n.priority, n.tags,
           n.created_at, n.updated_at, n.title_key
      from new_rows n, unnest(n.tags) g(tag)
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

create or replace function task_index_after_update() returns trigger
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
    insert into task_tags (user_id, tag, task_id, completed, title, description, due_date, priority, tags,
                           created_at, updated_at, title_key)
    select d.user_id, d.tag, d.id, n.completed, n.title, n.description, n.due_date, n.priority, n.tags,
           n.created_at, n.updated_at, n.title_key
      from (select * from new_pairs except select * from old_pairs) d join new_rows n on n.id = d.id
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

  -- The kept pairs of a changed task carry its columns again (this statement sees the pairs the one
  -- above moved; those it added already carry them).
  update task_tags t
     set title = n.title, description = n.description, due_date = n.due_date, priority = n.priority,
         tags = n.tags, created_at = n.created_at, updated_at = n.updated_at, title_key = n.title_key
    from new_rows n join old_rows o on o.id = n.id
   where t.user_id = n.user_id and t.task_id = n.id and t.completed = n.completed and t.tag = any(n.tags)
     and (o.title, o.description, o.due_date, o.priority, o.tags, o.created_at, o.updated_at, o.completed)
         is distinct from (n.title, n.description, n.due_date, n.priority, n.tags, n.created_at, n.updated_at, n.completed);

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

alter table task_tags drop constraint task_tags_pkey,
  add constraint task_tags_pkey primary key (user_id, tag, completed, task_id);
alter table task_tags drop column version;
