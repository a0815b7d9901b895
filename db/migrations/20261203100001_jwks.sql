-- migrate:up
-- The key table of Better Auth's jwt plugin, exactly as its CLI generates it for the plugin's schema
-- option that maps the fields to snake_case (publicKey → public_key, privateKey → private_key,
-- createdAt → created_at, expiresAt → expires_at). Better Auth writes the rows (ids, created_at, the
-- encrypted private key); the app only reads the public keys to verify the tokens they sign.
create table "jwks" ("id" text not null primary key, "public_key" text not null, "private_key" text not null,
  "created_at" timestamptz not null, "expires_at" timestamptz, "alg" text, "crv" text);

-- migrate:down
drop table "jwks";
