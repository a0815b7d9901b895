package main

import (
	"runtime/debug"
)

// tuneGC trades a little memory for CPU. A list page allocates little that lives, and at Go's
// default (GOGC=100) the collector ran on every few hundred requests of `make bench` at a ~20 MiB heap;
// at 200 it runs half as often. Not more: what does live (the kept task markup, some 3 MiB for a few
// thousand tasks) is multiplied by the same factor, and at 400 the process grew to 55 MiB under the
// list benchmark where at 200 it stays near 40 MiB, for the same CPU per request within the noise.
// The memory limit keeps the trade safe when the heap really grows (a burst of sign-ins holds up to
// two 32 MiB scrypt buffers): near it the collector works harder instead of letting the process
// grow. Open live-update streams are the other thing that lives: about 33 KiB each (the
// connection's buffers, its request, two goroutines), 33 MiB for 1,000, which at GOGC=200 alone
// would let the heap reach 99 MiB; at 100 MiB the collector runs more often only beyond that, and
// the process stays under 128 MiB. GOGC and GOMEMLIMIT in the environment win, as usual.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(100 << 20)
	}
}
