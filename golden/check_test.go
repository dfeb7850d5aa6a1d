package golden

import (
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
	testing.TB
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

func TestCheck(t *testing.T) {
	t.Chdir(t.TempDir())
	hello := func(word string) func(f *formatter.Formatter) {
		return func(f *formatter.Formatter) {
			f.KVString("greeting", "%s: ", word, "%s\n")
			f.FinalizeResult(true)
		}
	}

	// No golden files yet: one error per mode.
	tb := &fakeTB{TB: t}
	Check(tb, "hello", hello("hi"))
	if len(tb.errors) != 3 {
		t.Fatalf("missing files: %d errors, want 3: %q", len(tb.errors), tb.errors)
	}
	for i, e := range tb.errors {
		want := GoldenPath("hello", Modes[i]) + ": golden file missing (run go test -update to create it)"
		if e != want {
			t.Errorf("error %q, want %q", e, want)
		}
	}

	// -update writes them, in .out format.
	*update = true
	tb = &fakeTB{TB: t}
	Check(tb, "hello", hello("hi"))
	*update = false
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
	tb = &fakeTB{TB: t}
	Check(tb, "hello", hello("hi"))
	if len(tb.errors) != 0 {
		t.Errorf("unchanged output: %q", tb.errors)
	}

	// Different output: a diff for every mode.
	tb = &fakeTB{TB: t}
	Check(tb, "hello", hello("ho"))
	if len(tb.errors) != 3 {
		t.Fatalf("changed output: %d errors, want 3: %q", len(tb.errors), tb.errors)
	}
	for i, e := range tb.errors {
		prefix := GoldenPath("hello", Modes[i]) + ": mode " + Modes[i].String() + " output differs from the golden file:\n"
		if !strings.HasPrefix(e, prefix) || !strings.Contains(e, "first difference at byte") || !strings.Contains(e, "ho") {
			t.Errorf("error %q, want a diff starting with %q", e, prefix)
		}
	}

	// A golden file that is not in .out format.
	if err := os.WriteFile(GoldenPath("hello", apimode.On), []byte("garbage"), 0o644); err != nil {
		t.Fatal(err)
	}
	tb = &fakeTB{TB: t}
	Check(tb, "hello", hello("hi"))
	if len(tb.errors) != 1 || !strings.Contains(tb.errors[0], "malformed .out data") {
		t.Errorf("malformed golden file: %q", tb.errors)
	}
}

func TestGoldenPath(t *testing.T) {
	if got, want := GoldenPath("list_jobs", apimode.JSON), filepath.Join("testdata", "list_jobs.mode2.golden"); got != want {
		t.Errorf("GoldenPath = %q, want %q", got, want)
	}
}
