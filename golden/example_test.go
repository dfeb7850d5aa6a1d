package golden_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/golden"
)

// Replaying a call script: parse it, run it on a formatter built from its
// header, and print the packets in .out format.
func ExampleParseScript() {
	script := `{"mode": 0, "note": "two rows, flushed by ObjectEnd"}
["ObjectStart", null, null]
["KVString", "name", null, "File", "%s\n"]
["ObjectEnd", null, null]
["Message", "info", "done\n"]
["KVUint", "count", "%s=", 1, "%d\n"]
["FinalizeResult", true]
`
	s, err := golden.ParseScript(strings.NewReader(script))
	if err != nil {
		fmt.Println(err)
		return
	}
	packets, err := s.Output()
	if err != nil {
		fmt.Println(err)
		return
	}
	golden.WriteOut(os.Stdout, packets)
	// Output:
	// --- packet 5
	// File
	//
	// --- packet 5
	// done
	//
	// --- packet 8
	// count=1
}

// Script errors name the line, the method and the argument.
func ExampleParseError() {
	_, err := golden.ParseScript(strings.NewReader(`{"mode": 2}
["KVUint", "jobbytes", null, -5, null]
`))
	fmt.Println(err)
	// Output:
	// line 2: KVUint: argument 3: want an unsigned 64-bit integer, got -5
}

// Render shows what one command sends in each API mode. The function does
// the command's output and returns its success; Render finalizes the
// result, as the Director's dispatcher does. In a test,
// golden.Check(t, "storages", golden.Options{Update: *update}, fn)
// compares the same three outputs with testdata/storages.mode{0,1,2}.golden.
func ExampleRender() {
	out, err := golden.Render(func(f *formatter.Formatter) bool {
		f.ArrayStart("storages", formatter.Null)
		for _, name := range []string{"File", "Tape"} {
			f.ObjectStart(formatter.Null, formatter.Null)
			f.KVString("name", formatter.Null, name, "%s\n")
			f.ObjectEnd(formatter.Null, formatter.Null)
		}
		f.ArrayEnd("storages", formatter.Null)
		return true
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for mode, packets := range out {
		fmt.Printf("mode %d: %q\n", mode, packets)
	}
	// Output:
	// mode 0: ["File\n" "Tape\n"]
	// mode 1: ["File\n" "Tape\n"]
	// mode 2: ["{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"storages\": [\n      {\n        \"name\": \"File\"\n      },\n      {\n        \"name\": \"Tape\"\n      }\n    ]\n  }\n}"]
}

// reporter is a stand-in for *testing.T that prints what Check reports.
type reporter struct{ dir string }

func (reporter) Helper() {}
func (r reporter) Errorf(format string, args ...any) {
	msg := strings.ReplaceAll(fmt.Sprintf(format, args...), r.dir, "DIR")
	first, _, _ := strings.Cut(msg, "\n")
	fmt.Println("FAIL:", first)
}
func (r reporter) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

// Check compares a command's output in all three modes with its golden
// files. Here the golden files are written first (Options.Update, what a
// test's -update flag would set), then the command changes its output and
// the check fails in every mode.
func ExampleCheck() {
	dir, err := os.MkdirTemp("", "golden")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	t := reporter{dir: dir}
	greet := func(word string) func(f *formatter.Formatter) bool {
		return func(f *formatter.Formatter) bool {
			f.KVString("greeting", "%s: ", word, "%s\n")
			return true
		}
	}

	golden.Check(t, "hello", golden.Options{Dir: dir, Update: true}, greet("hi"))
	golden.Check(t, "hello", golden.Options{Dir: dir}, greet("hi")) // passes: nothing reported
	golden.Check(t, "hello", golden.Options{Dir: dir}, greet("ho"))
	// Output:
	// FAIL: DIR/hello.mode0.golden: mode 0 output differs from the golden file:
	// FAIL: DIR/hello.mode1.golden: mode 1 output differs from the golden file:
	// FAIL: DIR/hello.mode2.golden: mode 2 output differs from the golden file:
}
