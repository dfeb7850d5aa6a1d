// Package golden records and compares what a [formatter.Formatter] sends.
//
// The model: a formatter's whole observable behaviour is the sequence of
// packets it hands to its sink. This package captures that sequence with a
// [Recorder] and stores it in the .out format of the golden oracle: for each
// packet a line "--- packet LEN", the LEN raw bytes, and a newline
// ([WriteOut], [ReadOut]). It serves three purposes:
//
//   - Call scripts ([ParseScript], [Script.Output]): the oracle recorded from
//     the C++ Bareos OutputFormatter describes formatter calls as JSON Lines
//     (.calls files) next to the packets the reference sent (.out files).
//     Replaying a script through this package's formatter must give the same
//     bytes; the package's tests do that for every oracle case in
//     testdata/oracle, and also for the cases in the directory named by the
//     environment variable UAFORMAT_ORACLE_DIR if it is set. The command
//     uafmt replays a single script.
//   - Golden files for embedders ([Render], [Check]): code that drives a
//     formatter, such as a console command, renders its output in all three
//     API modes and compares it with testdata/NAME.modeN.golden, rewritten
//     with "go test -update".
//   - Diagnosis ([Diff]): a readable report of the first differing byte.
//
// Importing this package defines the test flag -update in the default flag
// set; a package that imports golden must not define its own -update flag.
package golden

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/ instead of comparing with them (golden.Check)")

// Outputs holds the packets of one rendering in each API mode, indexed by
// mode: Outputs[apimode.JSON] are the mode-2 packets.
type Outputs [3][][]byte

// Modes lists the API modes Render uses, in index order.
var Modes = [3]apimode.Mode{apimode.Off, apimode.On, apimode.JSON}

// Render calls fn three times, each time with a new formatter in API mode 0,
// 1 and 2 (compact off) whose sink is a [Recorder], and returns the packets
// of each run. fn is what a command handler does with its formatter; like a
// handler it should end with FinalizeResult, since Render adds no calls of
// its own.
func Render(fn func(f *formatter.Formatter)) Outputs {
	var out Outputs
	for i, m := range Modes {
		rec := &Recorder{}
		fn(formatter.New(rec, formatter.Options{Mode: m}))
		out[i] = rec.Packets
	}
	return out
}

// GoldenPath returns the golden file Check uses for name in mode m:
// testdata/NAME.modeM.golden.
func GoldenPath(name string, m apimode.Mode) string {
	return filepath.Join("testdata", name+".mode"+m.String()+".golden")
}

// Check renders fn with [Render] and compares each mode's packets with the
// golden file [GoldenPath](name, mode), in .out format, reporting a
// difference with [Diff] through t.Errorf. With the -update flag it writes
// the files instead (creating testdata/ if needed).
func Check(t testing.TB, name string, fn func(f *formatter.Formatter)) {
	t.Helper()
	out := Render(fn)
	for i, m := range Modes {
		path := GoldenPath(name, m)
		got := FormatOut(out[i])
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatalf("golden: %v", err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatalf("golden: %v", err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: golden file missing (run go test -update to create it)", path)
			continue
		}
		if err != nil {
			t.Errorf("golden: %v", err)
			continue
		}
		if bytes.Equal(got, want) {
			continue
		}
		wantPackets, err := ReadOut(bytes.NewReader(want))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		t.Errorf("%s: mode %v output differs from the golden file:\n%s", path, m, Diff(wantPackets, out[i]))
	}
}
