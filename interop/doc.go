// Package interop proves the app is a peer of a real Better Auth server: better-auth-server.mjs runs
// the npm package (pinned in package.json) on the same database with the same secret, and the tests
// here sign people up, in and out on either side and check the other side agrees. load_test.go
// builds the real binary and checks its memory under a burst of sign-ins.
package interop
