package golden

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// fakeTB records the failures Check reports.
type fakeTB struct {
	errors []string
	fatal  bool
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Errorf(format string, args ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, args...))
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.Errorf(format, args...)
	f.fatal = true
}

var _ TB = (*testing.T)(nil)

func TestCheck(t *testing.T) {
	t.Chdir(t.TempDir())
	hello := func(word string) func(f *formatter.Formatter) bool {
		return func(f *formatter.Formatter) bool {
			f.KVString("greeting", "%s: ", word, "%s\n")
			return true
		}
	}

	// No golden files yet: one error per mode.
	tb := &fakeTB{}
	Check(tb, "hello", Options{}, hello("hi"))
	if len(tb.errors) != 3 {
		t.Fatalf("missing files: %d errors, want 3: %q", len(tb.errors), tb.errors)
	}
	for i, e := range tb.errors {
		want := GoldenPath("hello", Modes[i]) + ": golden file missing (rewrite the golden files, e.g. go test -update, to create it)"
		if e != want {
			t.Errorf("error %q, want %q", e, want)
		}
	}

	// Update writes them, in .out format; the mode-2 file is the
	// finalized result although hello never calls FinalizeResult.
	tb = &fakeTB{}
	Check(tb, "hello", Options{Update: true}, hello("hi"))
	if len(tb.errors) != 0 {
		t.Fatalf("update: %q", tb.errors)
	}
	for _, tt := range []struct {
		mode apimode.Mode
		want string
	}{
		{apimode.Off, "--- packet 13\ngreeting: hi\n\n"},
		{apimode.On, "--- packet 13\ngreeting: hi\n\n"},
		{apimode.JSON, "--- packet 76\n{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"greeting\": \"hi\"\n  }\n}\n"},
	} {
		b, err := os.ReadFile(GoldenPath("hello", tt.mode))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("mode %v golden file %q, want %q", tt.mode, b, tt.want)
		}
	}

	// Same output: no complaints.
	tb = &fakeTB{}
	Check(tb, "hello", Options{}, hello("hi"))
	if len(tb.errors) != 0 {
		t.Errorf("unchanged output: %q", tb.errors)
	}

	// Different output: a diff for every mode.
	tb = &fakeTB{}
	Check(tb, "hello", Options{}, hello("ho"))
	if len(tb.errors) != 3 || tb.fatal {
		t.Fatalf("changed output: %d errors (fatal %t), want 3: %q", len(tb.errors), tb.fatal, tb.errors)
	}
	for i, e := range tb.errors {
		prefix := GoldenPath("hello", Modes[i]) + ": mode " + Modes[i].String() + " output differs from the golden file:\n"
		if !strings.HasPrefix(e, prefix) || !strings.Contains(e, "first difference at byte") || !strings.Contains(e, "ho") {
			t.Errorf("error %q, want a diff starting with %q", e, prefix)
		}
	}

	// A failed command: the error envelope, and a change of the success
	// alone is a difference in mode 2 only.
	tb = &fakeTB{}
	Check(tb, "hello", Options{}, func(f *formatter.Formatter) bool {
		hello("hi")(f)
		return false
	})
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], `"error"`) {
		t.Errorf("failed command: %q, want one mode-2 difference", tb.errors)
	}

	// A golden file that is not in .out format.
	if err := os.WriteFile(GoldenPath("hello", apimode.On), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	tb = &fakeTB{}
	Check(tb, "hello", Options{}, hello("hi"))
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "malformed .out data") {
		t.Errorf("malformed golden file: %q", tb.errors)
	}
}

// TestCheckFinalizedByFn: a function that finalizes its own result fails
// the check, whatever the golden files hold, and writes nothing.
func TestCheckFinalizedByFn(t *testing.T) {
	t.Chdir(t.TempDir())
	fn := func(f *formatter.Formatter) bool {
		f.KVString("greeting", "%s: ", "hi", "%s\n")
		f.FinalizeResult(true)
		return true
	}
	for _, update := range []bool{true, false} {
		tb := &fakeTB{}
		Check(tb, "self", Options{Update: update}, fn)
		if len(tb.errors) != 1 || !tb.fatal || !strings.Contains(tb.errors[0], "FinalizeResult") {
			t.Errorf("update=%t: %q (fatal %t), want one fatal error about FinalizeResult", update, tb.errors, tb.fatal)
		}
	}
	if _, err := os.Stat("testdata"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("golden files written for a failed check: %v", err)
	}
	if _, err := Render(fn); !errors.Is(err, ErrFinalized) {
		t.Errorf("Render: %v, want ErrFinalized", err)
	}
}

func TestRenderModeSwitch(t *testing.T) {
	// `.api 2` from mode 0: the final FinalizeResult happens in mode 2.
	out, err := Render(func(f *formatter.Formatter) bool {
		f.SetMode(apimode.JSON)
		f.KVUint("api", "%s: ", 2, "%d\n")
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, packets := range out {
		if len(packets) != 1 || !strings.Contains(string(packets[0]), `"api": 2`) {
			t.Errorf("mode %d: %q, want one JSON response", i, packets)
		}
	}
}

func TestGoldenPath(t *testing.T) {
	if got, want := GoldenPath("list_jobs", apimode.JSON), filepath.Join("testdata", "list_jobs.mode2.golden"); got != want {
		t.Errorf("GoldenPath = %q, want %q", got, want)
	}
	if got, want := (Options{Dir: "x"}).Path("a", apimode.Off), filepath.Join("x", "a.mode0.golden"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
}
