package store

import "context"

// Role is what the database says of the role the app connects as.
type Role struct {
	Name      string
	Superuser bool
	BypassRLS bool
}

// SkipsRowLevelSecurity: the role is not held to the policies on users' data (a superuser always
// skips them; BYPASSRLS does too, FORCE or not), so only the store's own user_id filters keep users
// apart.
func (r Role) SkipsRowLevelSecurity() bool { return r.Superuser || r.BypassRLS }

// Role reads the role the pool connects as.
func (s *Store) Role(ctx context.Context) (Role, error) {
	var r Role
	err := s.pool.read(noOwner).QueryRow(ctx,
		`select current_user, rolsuper, rolbypassrls from pg_roles where rolname = current_user`).
		Scan(&r.Name, &r.Superuser, &r.BypassRLS)
	return r, classify(err)
}
