//go:build !linux

package formatter

// populate makes the pages of b (fresh memory from make) resident, so that
// writing b later takes no page faults.
func populate(b []byte) { touch(b) }
