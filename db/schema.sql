\restrict dbmate

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: task_changes_notify(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_changes_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: task_counts_after_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_counts_after_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: task_counts_after_insert(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_counts_after_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  insert into task_counts as c (user_id, active, completed)
  select user_id, count(*) filter (where not completed), count(*) filter (where completed)
    from new_rows group by user_id
  on conflict (user_id) do update
     set active = c.active + excluded.active, completed = c.completed + excluded.completed;
  return null;
end;
$$;


--
-- Name: task_counts_after_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_counts_after_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: task_index_after_delete(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_index_after_delete() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: task_index_after_insert(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_index_after_insert() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: task_index_after_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_index_after_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: task_trigrams_of(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.task_trigrams_of(title text, description text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
  select distinct substr(s, i, 3)
    from unnest(array[lower(title), lower(coalesce(description, ''))]) s,
         generate_series(1, length(s) - 2) i
$$;


--
-- Name: tasks_stamp_update(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.tasks_stamp_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.updated_at := now();
  new.version := nextval('task_versions');
  return new;
end;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: accounts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.accounts (
    id text NOT NULL,
    account_id text NOT NULL,
    provider_id text NOT NULL,
    user_id text NOT NULL,
    access_token text,
    refresh_token text,
    id_token text,
    access_token_expires_at timestamp with time zone,
    refresh_token_expires_at timestamp with time zone,
    scope text,
    password text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: jwks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.jwks (
    id text NOT NULL,
    public_key text NOT NULL,
    private_key text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone,
    alg text,
    crv text
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version character varying NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sessions (
    id text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    token text NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    ip_address text,
    user_agent text,
    user_id text NOT NULL
);


--
-- Name: task_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_counts (
    user_id text NOT NULL,
    active bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    CONSTRAINT task_counts_active_check CHECK ((active >= 0)),
    CONSTRAINT task_counts_completed_check CHECK ((completed >= 0))
);

ALTER TABLE ONLY public.task_counts FORCE ROW LEVEL SECURITY;


--
-- Name: task_tag_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_tag_counts (
    user_id text NOT NULL,
    tag text NOT NULL,
    active bigint DEFAULT 0 NOT NULL,
    completed bigint DEFAULT 0 NOT NULL,
    CONSTRAINT task_tag_counts_active_check CHECK ((active >= 0)),
    CONSTRAINT task_tag_counts_completed_check CHECK ((completed >= 0))
);

ALTER TABLE ONLY public.task_tag_counts FORCE ROW LEVEL SECURITY;


--
-- Name: task_tags; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_tags (
    user_id text NOT NULL,
    tag text NOT NULL,
    task_id bigint NOT NULL,
    completed boolean NOT NULL,
    title text NOT NULL,
    description text,
    due_date date,
    priority smallint NOT NULL,
    tags text[] NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    title_key text NOT NULL,
    version bigint NOT NULL
);

ALTER TABLE ONLY public.task_tags FORCE ROW LEVEL SECURITY;


--
-- Name: task_trigram_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_trigram_counts (
    user_id text NOT NULL,
    trigram text NOT NULL,
    tasks bigint DEFAULT 0 NOT NULL,
    CONSTRAINT task_trigram_counts_tasks_check CHECK ((tasks >= 0))
);

ALTER TABLE ONLY public.task_trigram_counts FORCE ROW LEVEL SECURITY;


--
-- Name: task_trigrams; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_trigrams (
    user_id text NOT NULL,
    trigram text NOT NULL,
    task_id bigint NOT NULL
);

ALTER TABLE ONLY public.task_trigrams FORCE ROW LEVEL SECURITY;


--
-- Name: task_undo; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.task_undo (
    user_id text NOT NULL,
    id bigint NOT NULL,
    action text NOT NULL,
    tasks jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT task_undo_action_check CHECK ((action = ANY (ARRAY['delete'::text, 'complete'::text])))
);

ALTER TABLE ONLY public.task_undo FORCE ROW LEVEL SECURITY;


--
-- Name: task_undo_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.task_undo ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.task_undo_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: tasks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.tasks (
    id bigint NOT NULL,
    user_id text NOT NULL,
    title character varying(200) NOT NULL,
    description character varying(1000),
    completed boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    due_date date,
    priority smallint DEFAULT 0 NOT NULL,
    tags text[] DEFAULT '{}'::text[] NOT NULL,
    title_key text GENERATED ALWAYS AS (lower((title)::text)) STORED,
    due_key integer GENERATED ALWAYS AS (COALESCE((due_date - '2000-01-01'::date), 2147483647)) STORED,
    due_desc_key integer GENERATED ALWAYS AS (COALESCE(('2000-01-01'::date - due_date), 2147483647)) STORED,
    priority_desc_key smallint GENERATED ALWAYS AS ((3 - priority)) STORED,
    description_key text GENERATED ALWAYS AS (lower((description)::text)) STORED,
    version bigint NOT NULL,
    CONSTRAINT tasks_description_no_control_chars CHECK (((description)::text !~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F]'::text)),
    CONSTRAINT tasks_priority_rank CHECK (((priority >= 0) AND (priority <= 3))),
    CONSTRAINT tasks_tags_valid CHECK (((cardinality(tags) <= 10) AND (array_position(tags, NULL::text) IS NULL) AND (array_to_string(tags, ' '::text) ~ '^([a-z0-9_-]{1,32}( |$))*$'::text))),
    CONSTRAINT tasks_title_no_control_chars CHECK (((title)::text !~ '[[:cntrl:]]'::text)),
    CONSTRAINT tasks_title_not_blank CHECK (((title)::text ~ '[^[:space:]]'::text))
);

ALTER TABLE ONLY public.tasks FORCE ROW LEVEL SECURITY;


--
-- Name: task_versions; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.task_versions
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: task_versions; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.task_versions OWNED BY public.tasks.version;


--
-- Name: tasks_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.tasks ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.tasks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.users (
    id text NOT NULL,
    name text NOT NULL,
    email text NOT NULL,
    email_verified boolean NOT NULL,
    image text,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: verifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.verifications (
    id text NOT NULL,
    identifier text NOT NULL,
    value text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: tasks version; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tasks ALTER COLUMN version SET DEFAULT nextval('public.task_versions'::regclass);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: jwks jwks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.jwks
    ADD CONSTRAINT jwks_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);


--
-- Name: sessions sessions_token_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_token_key UNIQUE (token);


--
-- Name: task_counts task_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_counts
    ADD CONSTRAINT task_counts_pkey PRIMARY KEY (user_id);


--
-- Name: task_tag_counts task_tag_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_tag_counts
    ADD CONSTRAINT task_tag_counts_pkey PRIMARY KEY (user_id, tag);


--
-- Name: task_tags task_tags_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_tags
    ADD CONSTRAINT task_tags_pkey PRIMARY KEY (user_id, tag, completed, task_id) INCLUDE (version);


--
-- Name: task_trigram_counts task_trigram_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_trigram_counts
    ADD CONSTRAINT task_trigram_counts_pkey PRIMARY KEY (user_id, trigram);


--
-- Name: task_trigrams task_trigrams_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_trigrams
    ADD CONSTRAINT task_trigrams_pkey PRIMARY KEY (user_id, trigram, task_id);


--
-- Name: task_undo task_undo_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_undo
    ADD CONSTRAINT task_undo_pkey PRIMARY KEY (user_id, id);


--
-- Name: tasks tasks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tasks
    ADD CONSTRAINT tasks_pkey PRIMARY KEY (user_id, id);


--
-- Name: users users_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_email_key UNIQUE (email);


--
-- Name: users users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);


--
-- Name: verifications verifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.verifications
    ADD CONSTRAINT verifications_pkey PRIMARY KEY (id);


--
-- Name: accounts_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX accounts_user_id_idx ON public.accounts USING btree (user_id);


--
-- Name: sessions_user_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sessions_user_id_idx ON public.sessions USING btree (user_id);


--
-- Name: task_undo_expires_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX task_undo_expires_at_idx ON public.task_undo USING btree (expires_at);


--
-- Name: tasks_active_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_active_idx ON public.tasks USING btree (user_id, id) WHERE (NOT completed);


--
-- Name: tasks_completed_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_completed_idx ON public.tasks USING btree (user_id, id) WHERE completed;


--
-- Name: tasks_due_desc_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_due_desc_idx ON public.tasks USING btree (user_id, completed, due_desc_key, id) INCLUDE (version);


--
-- Name: tasks_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_due_idx ON public.tasks USING btree (user_id, completed, due_key, id) INCLUDE (version);


--
-- Name: tasks_priority_desc_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_priority_desc_idx ON public.tasks USING btree (user_id, completed, priority_desc_key, id) INCLUDE (version);


--
-- Name: tasks_priority_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_priority_idx ON public.tasks USING btree (user_id, completed, priority, id) INCLUDE (version);


--
-- Name: tasks_title_desc_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_title_desc_idx ON public.tasks USING btree (user_id, completed, title_key DESC, id) INCLUDE (version);


--
-- Name: tasks_title_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX tasks_title_idx ON public.tasks USING btree (user_id, completed, title_key, id) INCLUDE (version);


--
-- Name: verifications_identifier_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX verifications_identifier_idx ON public.verifications USING btree (identifier);


--
-- Name: tasks task_changes_after_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_changes_after_delete AFTER DELETE ON public.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_changes_notify();


--
-- Name: tasks task_changes_after_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_changes_after_insert AFTER INSERT ON public.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_changes_notify();


--
-- Name: tasks task_changes_after_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_changes_after_update AFTER UPDATE ON public.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_changes_notify();


--
-- Name: tasks task_counts_after_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_counts_after_delete AFTER DELETE ON public.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_counts_after_delete();


--
-- Name: tasks task_counts_after_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_counts_after_insert AFTER INSERT ON public.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_counts_after_insert();


--
-- Name: tasks task_counts_after_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_counts_after_update AFTER UPDATE ON public.tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_counts_after_update();


--
-- Name: tasks task_index_after_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_index_after_delete AFTER DELETE ON public.tasks REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_index_after_delete();


--
-- Name: tasks task_index_after_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_index_after_insert AFTER INSERT ON public.tasks REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_index_after_insert();


--
-- Name: tasks task_index_after_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER task_index_after_update AFTER UPDATE ON public.tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.task_index_after_update();


--
-- Name: tasks tasks_stamp_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tasks_stamp_update BEFORE UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION public.tasks_stamp_update();


--
-- Name: accounts accounts_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.accounts
    ADD CONSTRAINT accounts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_counts task_counts_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_counts
    ADD CONSTRAINT task_counts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_tag_counts task_tag_counts_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_tag_counts
    ADD CONSTRAINT task_tag_counts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_tags task_tags_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_tags
    ADD CONSTRAINT task_tags_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_trigram_counts task_trigram_counts_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_trigram_counts
    ADD CONSTRAINT task_trigram_counts_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_trigrams task_trigrams_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_trigrams
    ADD CONSTRAINT task_trigrams_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_undo task_undo_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.task_undo
    ADD CONSTRAINT task_undo_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: tasks tasks_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.tasks
    ADD CONSTRAINT tasks_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.users(id) ON DELETE CASCADE;


--
-- Name: task_counts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.task_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: task_counts task_counts_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_counts_of_the_user ON public.task_counts USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- Name: task_tag_counts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.task_tag_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: task_tag_counts task_tag_counts_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_tag_counts_of_the_user ON public.task_tag_counts USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- Name: task_tags; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.task_tags ENABLE ROW LEVEL SECURITY;

--
-- Name: task_tags task_tags_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_tags_of_the_user ON public.task_tags USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- Name: task_trigram_counts; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.task_trigram_counts ENABLE ROW LEVEL SECURITY;

--
-- Name: task_trigram_counts task_trigram_counts_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_trigram_counts_of_the_user ON public.task_trigram_counts USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- Name: task_trigrams; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.task_trigrams ENABLE ROW LEVEL SECURITY;

--
-- Name: task_trigrams task_trigrams_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_trigrams_of_the_user ON public.task_trigrams USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- Name: task_undo; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.task_undo ENABLE ROW LEVEL SECURITY;

--
-- Name: task_undo task_undo_expired; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_undo_expired ON public.task_undo FOR DELETE USING ((expires_at < now()));


--
-- Name: task_undo task_undo_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY task_undo_of_the_user ON public.task_undo USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- Name: tasks; Type: ROW SECURITY; Schema: public; Owner: -
--

ALTER TABLE public.tasks ENABLE ROW LEVEL SECURITY;

--
-- Name: tasks tasks_of_the_user; Type: POLICY; Schema: public; Owner: -
--

CREATE POLICY tasks_of_the_user ON public.tasks USING ((user_id = current_setting('app.user_id'::text, true))) WITH CHECK ((user_id = current_setting('app.user_id'::text, true)));


--
-- PostgreSQL database dump complete
--

\unrestrict dbmate


--
-- Dbmate schema migrations
--

INSERT INTO public.schema_migrations (version) VALUES
    ('20261128000001'),
    ('20261128000002'),
    ('20261128000003'),
    ('20261203000001'),
    ('20261203000002'),
    ('20261203100001'),
    ('20261203300001'),
    ('20261203400001'),
    ('20261203500001'),
    ('20261207000001'),
    ('20261207100001'),
    ('20261207110001'),
    ('20261207130001'),
    ('20261207130002');
