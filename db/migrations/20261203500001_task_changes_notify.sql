-- migrate:up
-- Live updates: every statement that adds, changes or deletes tasks sends one notification per user
-- it touched on the channel task_changes, whoever the writer is (the HTML app, the JSON API, another
-- instance, psql). The payload names the user and the ids that changed, never their content: an
-- instance that receives it reads the tasks through its store, for that user, under row-level
-- security. Up to 100 ids (a page) are listed; a statement that touched more (toggle-all, clear
-- completed on a long list) sends "ids": null, which means "reload the list". A notification is
-- delivered at commit, and not at all if the transaction rolls back.
create function task_changes_notify() returns trigger
language plpgsql as $$
begin
  if TG_OP = 'DELETE' then
    perform pg_notify('task_changes', json_build_object('user', user_id,
              'ids', case when count(*) <= 100 then array_agg(id order by id) end)::text)
       from old_rows group by user_id;
  else
    perform pg_notify('task_changes', json_build_object('user', user_id,
              'ids', case when count(*) <= 100 then array_agg(id order by id) end)::text)
       from new_rows group by user_id;
  end if;
  return null;
end;
$$;

-- A trigger with transition tables takes one event, so there are three.
create trigger task_changes_after_insert after insert on tasks
  referencing new table as new_rows
  for each statement execute function task_changes_notify();
create trigger task_changes_after_update after update on tasks
  referencing new table as new_rows
  for each statement execute function task_changes_notify();
create trigger task_changes_after_delete after delete on tasks
  referencing old table as old_rows
  for each statement execute function task_changes_notify();

-- migrate:down
drop trigger task_changes_after_delete on tasks;
drop trigger task_changes_after_update on tasks;
drop trigger task_changes_after_insert on tasks;
drop function task_changes_notify();
