-- migrate:up
-- Sort keys that run ascending whatever the order, ties by id ascending, so that the tasks after a
-- page are one range of the index, (key, id) > (the last row's): one index scan per completed state,
-- as for the first page. Ordered by the column itself, a later page of a descending order was two
-- ranges per state (the rest of the last key's ties, then the keys after it), and a due sort's a
-- third for the undated tasks: row-level security lets only leakproof operators be index
-- conditions, and neither "key desc, id asc" as one comparison nor an expression index (integer
-- and date arithmetic are not leakproof) is one.
--   due_key       the due date as days from 2000-01-01, undated tasks last as the largest integer
--   due_desc_key  the same days negated, undated tasks still last
--   priority_desc_key  3 - priority: high first
-- The keys are generated, so every writer keeps them. The title's descending order keeps its two
-- ranges: a text has no negation that keeps the collation's order.
alter table tasks
  add column due_key integer generated always as (coalesce(due_date - date '2000-01-01', 2147483647)) stored,
  add column due_desc_key integer generated always as (coalesce(date '2000-01-01' - due_date, 2147483647)) stored,
  add column priority_desc_key smallint generated always as (3 - priority) stored;
drop index tasks_due_idx;
drop index tasks_due_desc_idx;
drop index tasks_priority_desc_idx;
create index tasks_due_idx on tasks (user_id, completed, due_key, id);
create index tasks_due_desc_idx on tasks (user_id, completed, due_desc_key, id);
create index tasks_priority_desc_idx on tasks (user_id, completed, priority_desc_key, id);

-- migrate:down
drop index tasks_priority_desc_idx;
drop index tasks_due_desc_idx;
drop index tasks_due_idx;
alter table tasks drop column priority_desc_key, drop column due_desc_key, drop column due_key;
create index tasks_due_idx on tasks (user_id, completed, due_date, id);
create index tasks_due_desc_idx on tasks (user_id, completed, due_date desc nulls last, id);
create index tasks_priority_desc_idx on tasks (user_id, completed, priority desc, id);
