//go:build race

package e2e

// raceEnabled reports a build with the race detector, which makes the
// bulk transfers of the TLS matrix about ten times slower.
const raceEnabled = true
