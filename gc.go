package main

import (
	"runtime/debug"
)

// tuneGC trades a little memory for CPU. A list page allocates little that lives, and at Go's
// default (GOGC=100) the collector ran on every few hundred requests of `make bench` at a ~20 MiB heap;
// at 400 it runs a quarter as often. The memory limit keeps the trade safe when the heap really grows
// (a burst of sign-ins holds up to two 32 MiB scrypt buffers): near it the collector works harder
// instead of letting the process grow. GOGC and GOMEMLIMIT in the environment win, as usual.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(192 << 20)
	}
}
