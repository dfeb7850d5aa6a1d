//go:build !linux

package tlspsk

import "time"

var clockStart = time.Now()

// threadCPU falls back to the wall clock where the thread's CPU time is
// not at hand.
func threadCPU() time.Duration { return time.Since(clockStart) }
