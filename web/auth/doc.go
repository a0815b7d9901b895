// Package auth holds Better Auth's formats, byte for byte, as measured against the real library: the signed
// session cookie, the scrypt password hash, the ids and tokens, and the session lifetime rules.
// It does no I/O; web/ uses it with the store.
package auth
