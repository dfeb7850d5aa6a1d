package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/internal/workload"
)

// TestBenchFlag runs the workload through the command line and checks the
// printed line against the pinned sizes and sha256 values.
func TestBenchFlag(t *testing.T) {
	line := regexp.MustCompile(`^rows=(\d+) bytes=(\d+) sha256=([0-9a-f]{64}) total_ms=\d+ ns_per_kv=[0-9.]+\n$`)
	for _, e := range workload.Expected[:2] {
		args := []string{"-bench", "1000"}
		if e.Compact {
			args = append(args, "-compact")
		}
		var out, errOut bytes.Buffer
		if code := run(args, strings.NewReader(""), &out, &errOut); code != exitOK {
			t.Fatalf("uafmt %v: exit %d: %s", args, code, errOut.String())
		}
		m := line.FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("uafmt %v printed %q", args, out.String())
		}
		if m[1] != "1000" || m[2] != itoa(e.Bytes) || m[3] != e.SHA256 {
			t.Errorf("uafmt %v: rows=%s bytes=%s sha256=%s, want 1000 %d %s", args, m[1], m[2], m[3], e.Bytes, e.SHA256)
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"-bench", "10", "x.calls"}, strings.NewReader(""), &out, &errOut); code != exitUsage {
		t.Errorf("-bench with a script: exit %d, want %d", code, exitUsage)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
