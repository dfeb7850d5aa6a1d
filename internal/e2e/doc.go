// Package e2e holds end-to-end tests of the demo Director daemon
// (internal/demo, as served by cmd/uaconsoled) over loopback TCP: hostile
// peers (garbage, hostile length headers, truncated packets, silent and
// brute-forcing clients, commands before login, dropped connections in the
// middle of large answers), ACL confinement of named consoles in every API
// mode, and load from many concurrent consoles (see BenchmarkLoad for
// throughput and latency figures).
//
// The package has no API; its tests start the daemon in process, so that
// they can also watch its goroutines and allocations.
package e2e
