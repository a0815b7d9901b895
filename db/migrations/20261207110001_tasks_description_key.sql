-- migrate:up
-- description_key is the description as a search compares it, lowercased once when it is written
-- (as title_key is the title): a search's page checks each candidate's text, and lowercasing the
-- description of each one that the title did not match took a tenth of a dense search's page.
alter table tasks
  add column description_key text generated always as (lower(description)) stored;

-- migrate:down
alter table tasks drop column description_key;
