-- migrate:up
-- The due sorts order by a number of their own, in each direction: the due date as days from
-- 2000-01-01 (due_key), or its negation (due_desc_key), undated tasks last as the largest integer.
-- Both sorts then run ascending on (key, id), ties by id ascending, and the tasks after a page are
-- one range of the index, (key, id) > (the last row's): one index scan per completed state, the same
-- as the first page. Ordered by the date itself, a later page was three ranges per state (the rest
-- of the last date's ties, the dates after it, the undated tasks): row-level security lets only
-- leakproof operators be index conditions, and neither "due_date desc, id asc" as one comparison nor
-- an expression index (date arithmetic is not leakproof) is one. The keys are generated, so every
-- writer keeps them.
alter table tasks
  add column due_key integer generated always as (coalesce(due_date - date '2000-01-01', 2147483647)) stored,
  add column due_desc_key integer generated always as (coalesce(date '2000-01-01' - due_date, 2147483647)) stored;
drop index tasks_due_idx;
drop index tasks_due_desc_idx;
create index tasks_due_idx on tasks (user_id, completed, due_key, id);
create index tasks_due_desc_idx on tasks (user_id, completed, due_desc_key, id);

-- migrate:down
drop index tasks_due_desc_idx;
drop index tasks_due_idx;
alter table tasks drop column due_desc_key, drop column due_key;
create index tasks_due_idx on tasks (user_id, completed, due_date, id);
create index tasks_due_desc_idx on tasks (user_id, completed, due_date desc nulls last, id);
