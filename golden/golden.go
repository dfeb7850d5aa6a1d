// Package golden records and compares what a [formatter.Formatter] sends.
//
// The model: a formatter's whole observable behaviour is the sequence of
// packets it hands to its sink. This package captures that sequence with a
// [Recorder] and stores it in the .out format of the golden oracle: for each
// packet a line "--- packet LEN", the LEN raw bytes, and a newline
// ([WriteOut], [ReadOut]). It serves three purposes:
//
//   - Call scripts ([ParseScript], [Script.Output]): the oracle recorded from
//     the C++ Bareos OutputFormatter and its resource printer describes
//     formatter calls as JSON Lines (.calls files) next to the packets the
//     reference sent (.out files). Replaying a script through this
//     package's formatter must give the same bytes; the package's tests do
//     that for every oracle case in testdata/oracle, and also for the cases
//     in the directory named by the environment variable
//     UAFORMAT_ORACLE_DIR if it is set. The command uafmt replays a single
//     script.
//   - Golden files for embedders ([Render], [Check]): code that drives a
//     formatter, such as a console command, renders its output in all three
//     API modes and compares it with testdata/NAME.modeN.golden.
//   - Diagnosis ([Diff]): a readable report of the first differing byte.
//
// Like net/http/httptest, the package is a helper for tests that does not
// depend on package testing: [Check] reports through the small [TB]
// interface, which *testing.T satisfies, and importing the package defines
// no flags. A test that wants to rewrite its golden files defines its own
// flag and passes it in [Options]:
//
//	var update = flag.Bool("update", false, "rewrite the golden files")
//
//	func TestHello(t *testing.T) {
//		golden.Check(t, "hello", golden.Options{Update: *update}, func(f *formatter.Formatter) bool {
//			f.KVString("greeting", "%s: ", "hi", "%s\n")
//			return true
//		})
//	}
package golden

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// TB is the part of testing.TB that [Check] uses to report; *testing.T and
// *testing.B implement it.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Outputs holds the packets of one rendering in each API mode, indexed by
// mode: Outputs[apimode.JSON] are the mode-2 packets.
type Outputs [3][][]byte

// Modes lists the API modes Render uses, in index order.
var Modes = [3]apimode.Mode{apimode.Off, apimode.On, apimode.JSON}

// ErrFinalized is returned by [Render] when the rendered function calls
// FinalizeResult itself in mode 2: the result would then not be the one
// finalized response a command produces.
var ErrFinalized = errors.New("golden: the rendered function sent a mode-2 response itself; return the command's success instead of calling FinalizeResult")

// Render renders a command's output in each API mode, the way the
// Director's dispatcher runs a command: fn gets a new formatter in API mode
// 0, 1 and 2 (compact off) whose sink is a [Recorder], does its output and
// returns whether the command succeeded; Render then calls
// FinalizeResult with that value. So the mode-2 output is always one
// finalized JSON-RPC response (the error envelope if fn returns false or
// recorded an error message).
//
// fn must not call FinalizeResult itself: if it sends a mode-2 response of
// its own, Render returns the outputs and an error wrapping
// [ErrFinalized]. (fn may switch modes, as ".api" does; the final
// FinalizeResult then happens in the mode fn left.)
func Render(fn func(f *formatter.Formatter) bool) (Outputs, error) {
	var out Outputs
	var err error
	for i, m := range Modes {
		rec := &Recorder{}
		f := formatter.New(rec, formatter.Options{Mode: m})
		ok := fn(f)
		if m == apimode.JSON && len(rec.Packets) > 0 && err == nil {
			err = fmt.Errorf("%w (%d packets before the final FinalizeResult)", ErrFinalized, len(rec.Packets))
		}
		f.FinalizeResult(ok)
		out[i] = rec.Packets
	}
	return out, err
}

// Options configure [Check].
type Options struct {
	// Update makes Check write the golden files (creating the directory if
	// needed) instead of comparing with them. Tests usually set it from a
	// flag of their own, e.g. -update.
	Update bool
	// Dir is the directory of the golden files; "" means "testdata".
	Dir string
}

func (o Options) dir() string {
	if o.Dir == "" {
		return "testdata"
	}
	return o.Dir
}

// GoldenPath returns the golden file Check uses for name in mode m with
// the default directory: testdata/NAME.modeM.golden.
func GoldenPath(name string, m apimode.Mode) string {
	return Options{}.Path(name, m)
}

// Path returns the golden file Check uses for name in mode m:
// DIR/NAME.modeM.golden.
func (o Options) Path(name string, m apimode.Mode) string {
	return filepath.Join(o.dir(), name+".mode"+m.String()+".golden")
}

// Check renders fn with [Render] and compares each mode's packets with the
// golden file o.Path(name, mode), in .out format, reporting a difference
// with [Diff] through t.Errorf. With o.Update it writes the files instead.
// A function that finalizes its result itself fails the check (see
// [Render]).
func Check(t TB, name string, o Options, fn func(f *formatter.Formatter) bool) {
	t.Helper()
	out, err := Render(fn)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
		return
	}
	for i, m := range Modes {
		path := o.Path(name, m)
		got := FormatOut(out[i])
		if o.Update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatalf("golden: %v", err)
				return
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatalf("golden: %v", err)
				return
			}
			continue
		}
		want, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s: golden file missing (rewrite the golden files, e.g. go test -update, to create it)", path)
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
