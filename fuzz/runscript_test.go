package fuzz

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// fakeGo stands in for the go command under run.sh: "go test -list"
// names one target, FuzzA; each fuzzing run is counted in $FAKE_COUNT and
// prints what $FAKE_MODE says run number n printed.
const fakeGo = `#!/bin/sh
case "$*" in *-list*) echo FuzzA; echo ok; exit 0;; esac
n=$(cat "$FAKE_COUNT" 2>/dev/null || echo 0); n=$((n+1)); echo $n >"$FAKE_COUNT"
race() { printf -- '--- FAIL: FuzzA (20.07s)\n    context deadline exceeded\nFAIL\n'; exit 1; }
case "$FAKE_MODE.$n" in
pass.*) echo PASS; exit 0;;
race.*|raceonce.1|racetwice.[12]|racefour.[1234]) race;;
raceonce.*|racetwice.*|racefour.*) echo PASS; exit 0;;
crash.*) printf -- '--- FAIL: FuzzA (1.00s)\n    --- FAIL: FuzzA (0.00s)\n        x_test.go:12: boom\n    Failing input written to testdata/fuzz/FuzzA/abc\nFAIL\n'; exit 1;;
racefatal.*) printf -- '--- FAIL: FuzzA (20.07s)\n    x_test.go:12: boom\n    context deadline exceeded\nFAIL\n'; exit 1;;
esac
`

// TestRunScriptDeadlineRace checks how fuzz/run.sh tells the go command's
// fuzztime deadline race (golang/go#75804: "context deadline exceeded"
// and nothing else, no failing input written) from a real failure: the
// race is run again, up to five runs in all; a real failure is never.
func TestRunScriptDeadlineRace(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	dir := t.TempDir()
	goCmd := filepath.Join(dir, "go")
	if err := os.WriteFile(goCmd, []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		mode string
		runs int
		ok   bool
	}{
		{"pass", 1, true},
		{"raceonce", 2, true},
		{"racetwice", 3, true},
		{"racefour", 5, true},
		{"race", 5, false},
		{"crash", 1, false},
		{"racefatal", 1, false},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			count := filepath.Join(t.TempDir(), "count")
			cmd := exec.Command("sh", "run.sh", "1", "./fuzz")
			cmd.Env = append(os.Environ(), "GO="+goCmd, "FAKE_MODE="+tc.mode, "FAKE_COUNT="+count)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("run.sh: %v\n%s", err, out)
			}
			if ok := err == nil; ok != tc.ok {
				t.Errorf("run.sh succeeded = %v, want %v\n%s", ok, tc.ok, out)
			}
			data, err := os.ReadFile(count)
			if err != nil {
				t.Fatal(err)
			}
			if runs, _ := strconv.Atoi(strings.TrimSpace(string(data))); runs != tc.runs {
				t.Errorf("%d fuzzing runs, want %d\n%s", runs, tc.runs, out)
			}
			if !tc.ok && !strings.Contains(string(out), "run.sh: failed: ./fuzz.FuzzA") {
				t.Errorf("no failure summary:\n%s", out)
			}
		})
	}
}
