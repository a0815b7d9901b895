-- migrate:up
-- Isolation enforced twice. The store filters every task statement on user_id; row-level security
-- makes the database refuse a statement that forgot to: on every table that holds a user's data, a
-- statement sees, changes and adds only rows of the user named by the setting app.user_id, which the
-- store sends local to each statement's transaction (set_config(…, true), in the same round trip).
-- Without the setting nothing is visible and nothing can be added.
--
-- FORCE makes the policies hold for the tables' owner too, which is the role the app connects as
-- (on Neon the database's owner; locally the "app" role). A superuser, and a role with BYPASSRLS,
-- skip every policy: the app must connect as neither.
--
-- Better Auth's tables (users, sessions, accounts, verifications, jwks) are left alone: a Better Auth
-- server on the same database knows nothing of app.user_id. Foreign keys still work across the
-- policies: PostgreSQL checks them and runs their cascades (deleting a user deletes every row here)
-- without row-level security.
alter table tasks enable row level security;
alter table tasks force row level security;
create policy tasks_of_the_user on tasks
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));

alter table task_counts enable row level security;
alter table task_counts force row level security;
create policy task_counts_of_the_user on task_counts
  using (user_id = current_setting('app.user_id', true))
  with check (user_id = current_setting('app.user_id', true));

-- migrate:down
drop policy task_counts_of_the_user on task_counts;
alter table task_counts no force row level security;
alter table task_counts disable row level security;
drop policy tasks_of_the_user on tasks;
alter table tasks no force row level security;
alter table tasks disable row level security;
