// Package auth holds Better Auth's formats, byte for byte (see shared/better-auth.md): the signed
// session cookie, the scrypt password hash, the ids and tokens, and the session lifetime rules.
// It does no I/O; web/ uses it with the store.
package auth
