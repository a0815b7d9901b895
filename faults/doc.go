// Package faults holds the fault-injection tests of the whole app: the real handler and
// pool, on the real PostgreSQL, reached through internal/faultproxy, which delays, cuts, refuses and
// swallows connections. Each scenario logs what it measured (t.Logf): how long 503s lasted, how soon
// the app recovered once the database was back, and how many requests failed. It has no non-test code.
package faults
