package main

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
)

// bypassRole is the database role the floor (and the app's "without row-level security" run)
// connect as: the same privileges as the app's role on the app's tables, plus BYPASSRLS, so that
// PostgreSQL skips every policy for it. Comparing the app as its own role with the app as this one
// measures what the policies cost; the floor, which sends no app.user_id, needs it to see any task.
const bypassRole = "todo_bench_bypass"

// prepareBypassRole creates (or refreshes) bypassRole with the app role's password-less twin of a
// login and returns databaseURL with that role in it. Only a superuser may grant BYPASSRLS: adminURL
// is the cluster's superuser on the same database.
func prepareBypassRole(ctx context.Context, adminURL, databaseURL string) (string, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", fmt.Errorf("bypass role: %w", err)
	}
	defer conn.Close(ctx)
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", err
	}
	password := randomHex(12)
	role := pgx.Identifier{bypassRole}.Sanitize()
	for _, sql := range []string{
		`do $$ begin
		   if not exists (select 1 from pg_roles where rolname = '` + bypassRole + `') then
		     create role ` + role + ` login bypassrls;
		   end if;
		 end $$`,
		`alter role ` + role + ` login bypassrls password '` + password + `'`,
		`grant select, insert, update, delete on all tables in schema public to ` + role,
		`grant usage, select on all sequences in schema public to ` + role,
	} {
		if _, err := conn.Exec(ctx, sql); err != nil {
			return "", fmt.Errorf("bypass role: %s: %w", sql, err)
		}
	}
	u.User = url.UserPassword(bypassRole, password)
	return u.String(), nil
}
