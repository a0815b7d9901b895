-- migrate:up
-- Better Auth's own four tables, exactly as its CLI generates them when configured with plural,
-- snake_case model and field names (see README, "Better Auth configuration"). A real Better Auth server
-- checks these at start-up: do not add NOT NULL columns without defaults to them.
-- Ids, users.email_verified and the updated_at columns of sessions and accounts have no defaults on
-- purpose: whoever writes a row sets them, as Better Auth does.
create table "users" (
  "id" text not null primary key,
  "name" text not null,
  "email" text not null unique,
  "email_verified" boolean not null,
  "image" text,
  "created_at" timestamptz default CURRENT_TIMESTAMP not null,
  "updated_at" timestamptz default CURRENT_TIMESTAMP not null
);

create table "sessions" (
  "id" text not null primary key,
  "expires_at" timestamptz not null,
  "token" text not null unique,
  "created_at" timestamptz default CURRENT_TIMESTAMP not null,
  "updated_at" timestamptz not null,
  "ip_address" text,
  "user_agent" text,
  "user_id" text not null references "users" ("id") on delete cascade
);

create table "accounts" (
  "id" text not null primary key,
  "account_id" text not null,
  "provider_id" text not null,
  "user_id" text not null references "users" ("id") on delete cascade,
  "access_token" text,
  "refresh_token" text,
  "id_token" text,
  "access_token_expires_at" timestamptz,
  "refresh_token_expires_at" timestamptz,
  "scope" text,
  "password" text,
  "created_at" timestamptz default CURRENT_TIMESTAMP not null,
  "updated_at" timestamptz not null
);

create table "verifications" (
  "id" text not null primary key,
  "identifier" text not null,
  "value" text not null,
  "expires_at" timestamptz not null,
  "created_at" timestamptz default CURRENT_TIMESTAMP not null,
  "updated_at" timestamptz default CURRENT_TIMESTAMP not null
);

create index "sessions_user_id_idx" on "sessions" ("user_id");
create index "accounts_user_id_idx" on "accounts" ("user_id");
create index "verifications_identifier_idx" on "verifications" ("identifier");

-- migrate:down
drop table "verifications";
drop table "accounts";
drop table "sessions";
drop table "users";
