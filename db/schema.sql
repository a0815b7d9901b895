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
-- Name: tasks_set_updated_at(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.tasks_set_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
begin
  new.updated_at := now();
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
    CONSTRAINT tasks_description_no_control_chars CHECK (((description)::text !~ '[\x01-\x08\x0B\x0C\x0E-\x1F\x7F]'::text)),
    CONSTRAINT tasks_title_no_control_chars CHECK (((title)::text !~ '[[:cntrl:]]'::text)),
    CONSTRAINT tasks_title_not_blank CHECK (((title)::text ~ '[^[:space:]]'::text))
);

ALTER TABLE ONLY public.tasks FORCE ROW LEVEL SECURITY;


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
-- Name: tasks tasks_set_updated_at; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER tasks_set_updated_at BEFORE UPDATE ON public.tasks FOR EACH ROW EXECUTE FUNCTION public.tasks_set_updated_at();


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
    ('20261203500001');
