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

// Render shows what one piece of output code sends in each API mode. In a
// test, golden.Check(t, "storages", fn) compares the same three outputs
// with testdata/storages.mode{0,1,2}.golden.
func ExampleRender() {
	out := golden.Render(func(f *formatter.Formatter) {
		f.ArrayStart("storages", formatter.Null)
		for _, name := range []string{"File", "Tape"} {
			f.ObjectStart(formatter.Null, formatter.Null)
			f.KVString("name", formatter.Null, name, "%s\n")
			f.ObjectEnd(formatter.Null, formatter.Null)
		}
		f.ArrayEnd("storages", formatter.Null)
		f.FinalizeResult(true)
	})
	for mode, packets := range out {
		fmt.Printf("mode %d: %q\n", mode, packets)
	}
	// Output:
	// mode 0: ["File\n" "Tape\n"]
	// mode 1: ["File\n" "Tape\n"]
	// mode 2: ["{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"storages\": [\n      {\n        \"name\": \"File\"\n      },\n      {\n        \"name\": \"Tape\"\n      }\n    ]\n  }\n}"]
}
