-- migrate:up
-- Every task statement names its owner, so the table is keyed by owner first: the primary key is
-- (user_id, id), the key a multi-tenant (Citus) distribution needs as well. No index on id alone
-- exists, so the planner cannot walk the table in id order filtering on user_id: with one user owning
-- most rows and another user's tasks newest, that walk read the big user's rows first, and a page
-- cost time in proportion to the table instead of the page. id stays an identity: unique because
-- only the sequence writes it (the column is GENERATED ALWAYS).
--
-- Each list a page shows is then a range scan of one index, in id order, that stops after a page:
--   all tasks:        user_id = $1 and id > $2 order by id limit n   -> tasks_pkey
--   active tasks:     ... and not completed                          -> tasks_active_idx
--   completed tasks:  ... and completed                              -> tasks_completed_idx
-- Partial indexes rather than (user_id, completed, id): when a user's statistics are missing or old
-- (a new user, no ANALYZE since), the planner would as soon read the primary key filtering on
-- completed, which for a user with 3,000 active and 5 completed tasks reads all 3,000 to show 5; a
-- partial index holds only the rows of its list, so it is the cheaper plan whatever the estimates.
alter table tasks drop constraint tasks_pkey;
alter table tasks add constraint tasks_pkey primary key (user_id, id);
drop index tasks_user_id_id_idx;
drop index tasks_user_id_completed_id_idx;
create index tasks_active_idx on tasks (user_id, id) where not completed;
create index tasks_completed_idx on tasks (user_id, id) where completed;

-- migrate:down
drop index tasks_completed_idx;
drop index tasks_active_idx;
alter table tasks drop constraint tasks_pkey;
alter table tasks add constraint tasks_pkey primary key (id);
create index tasks_user_id_id_idx on tasks (user_id, id);
create index tasks_user_id_completed_id_idx on tasks (user_id, completed, id);
