package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/internal/workload"
)

// benchLine is the line -bench prints; the floor figures only with -floor.
var benchLine = regexp.MustCompile(`^rows=(\d+) bytes=(\d+) packets=(\d+) total_ms=[0-9.]+ ns_per_kv=[0-9.]+` +
	`( build_ms=[0-9.]+ finalize_ms=[0-9.]+)?( peak_rss_mib=[0-9.]+ rss_per_output=[0-9.]+)? sha256=([0-9a-f]{64})` +
	`( floor_cold_ms=[0-9.]+ floor_warm_ms=[0-9.]+ x_floor=[0-9.]+)?\n$`)

func runBench(t *testing.T, args ...string) []string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(args, strings.NewReader(""), &out, &errOut); code != exitOK {
		t.Fatalf("uafmt %v: exit %d: %s", args, code, errOut.String())
	}
	m := benchLine.FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("uafmt %v printed %q", args, out.String())
	}
	return m
}

// TestBenchFlag runs the workloads through the command line and checks
// the printed line against the pinned sizes and sha256 values.
func TestBenchFlag(t *testing.T) {
	for _, e := range workload.Expected[:2] {
		args := []string{"-bench", "1000"}
		if e.Compact {
			args = append(args, "-compact")
		}
		m := runBench(t, args...)
		if m[1] != "1000" || m[2] != fmt.Sprint(e.Bytes) || m[3] != "1" || m[4] == "" || m[6] != e.SHA256 {
			t.Errorf("uafmt %v: %q, want 1000 rows, %d bytes in 1 packet, build/finalize times, %s", args, m[0], e.Bytes, e.SHA256)
		}
	}
	for _, e := range workload.ExpectedText[:2] {
		args := []string{"-bench", "1000", "-mode", fmt.Sprint(int(e.Mode)), "-floor"}
		m := runBench(t, args...)
		if m[2] != fmt.Sprint(e.Bytes) || m[3] != fmt.Sprint(e.Packets) || m[4] != "" || m[6] != e.SHA256 || m[7] == "" {
			t.Errorf("uafmt %v: %q, want %d bytes in %d packets, %s, floor figures", args, m[0], e.Bytes, e.Packets, e.SHA256)
		}
	}
	for _, args := range [][]string{{"-bench", "10", "x.calls"}, {"-bench", "10", "-mode", "3"}} {
		var out, errOut bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errOut); code != exitUsage {
			t.Errorf("uafmt %v: exit %d, want %d", args, code, exitUsage)
		}
	}
}

// TestMemcpyFloor fills a buffer of an odd size.
func TestMemcpyFloor(t *testing.T) {
	cold, warm, err := memcpyFloor(1<<20 + 7)
	if err != nil || cold <= 0 || warm <= 0 {
		t.Errorf("memcpyFloor = %v, %v, %v", cold, warm, err)
	}
}
