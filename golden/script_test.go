package golden

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/calls"
)

const hdr0 = `{"mode":0}` + "\n"

func TestParseHeader(t *testing.T) {
	tests := []struct {
		line string
		want Header
	}{
		{`{"mode":0}`, Header{Mode: apimode.Off}},
		{`{"mode":1,"compact":true}`, Header{Mode: apimode.On, Compact: true}},
		{`{"mode": 2, "compact": false, "send_fails": true, "note": "n"}`,
			Header{Mode: apimode.JSON, SendFails: true, Note: "n"}},
		{"  {\"note\":\"x\",\"mode\":2}\r", Header{Mode: apimode.JSON, Note: "x"}},
	}
	for _, tt := range tests {
		s, err := ParseScript(strings.NewReader(tt.line + "\n"))
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		if diff := cmp.Diff(tt.want, s.Header); diff != "" {
			t.Errorf("%s: header (-want +got):\n%s", tt.line, diff)
		}
		if len(s.Calls) != 0 {
			t.Errorf("%s: %d calls, want none", tt.line, len(s.Calls))
		}
	}
}

func TestParseHeaderErrors(t *testing.T) {
	tests := []struct {
		input string
		want  string // the complete error message
	}{
		{``, `line 1: empty script: missing header line`},
		{"\n \n\t\n", `line 1: empty script: missing header line`},
		{`{}`, `line 1: header: missing required key "mode"`},
		{`{"mode":0,"extra":1}`, `line 1: header: unknown key "extra" (known: mode, compact, send_fails, note)`},
		{`{"mode":0,"Mode":1}`, `line 1: header: unknown key "Mode" (known: mode, compact, send_fails, note)`},
		{`{"mode":3}`, `line 1: header: mode: want 0, 1 or 2, got 3`},
		{`{"mode":-1}`, `line 1: header: mode: want 0, 1 or 2, got -1`},
		{`{"mode":1.0}`, `line 1: header: mode: want 0, 1 or 2, got 1.0`},
		{`{"mode":"2"}`, `line 1: header: mode: want 0, 1 or 2, got the string "2"`},
		{`{"mode":null}`, `line 1: header: mode: want 0, 1 or 2, got null`},
		{`{"mode":0,"compact":"yes"}`, `line 1: header: compact: want true or false, got the string "yes"`},
		{`{"mode":0,"compact":1}`, `line 1: header: compact: want true or false, got the number 1`},
		{`{"mode":0,"send_fails":null}`, `line 1: header: send_fails: want true or false, got null`},
		{`{"mode":0,"note":5}`, `line 1: header: note: want a string, got the number 5`},
		{`[0]`, `line 1: header: want a JSON object, got an array`},
		{`"mode"`, `line 1: header: want a JSON object, got the string "mode"`},
		{"\n\n{\"mode\":7}", `line 3: header: mode: want 0, 1 or 2, got 7`},
	}
	for _, tt := range tests {
		_, err := ParseScript(strings.NewReader(tt.input))
		if err == nil {
			t.Errorf("%q: no error, want %q", tt.input, tt.want)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.input, err, tt.want)
		}
		if _, ok := errors.AsType[*ParseError](err); !ok {
			t.Errorf("%q: error %T is not a *ParseError", tt.input, err)
		}
	}
	// Malformed JSON: only the prefix of the message is ours.
	for _, in := range []string{`{"mode":0`, `{mode:0}`, `{"mode":0}}`, `{"mode":0} x`, "\x00"} {
		_, err := ParseScript(strings.NewReader(in))
		if err == nil || !strings.HasPrefix(err.Error(), "line 1: header: invalid JSON: ") {
			t.Errorf("%q: error %v, want an invalid JSON error on line 1", in, err)
		}
	}
}

func TestParseCalls(t *testing.T) {
	N := formatter.Null
	tests := []struct {
		line string
		want Call
	}{
		// every method, with and without its optional argument
		{`["Decoration", "plain"]`, Call{Method: "Decoration", Args: []any{"plain"}}},
		{`["Decoration", "%s=%d", "k", -7]`, Call{Method: "Decoration", Args: []any{"%s=%d", "k", int64(-7)}}},
		{`["Decoration", "%s%s", null, {"hex":"ff"}]`, Call{Method: "Decoration", Args: []any{"%s%s", N, "\xff"}}},
		{`["Decoration", "%d %d", 9223372036854775807, -9223372036854775808]`,
			Call{Method: "Decoration", Args: []any{"%d %d", int64(9223372036854775807), int64(-9223372036854775808)}}},
		{`["Decoration", "%s", "12"]`, Call{Method: "Decoration", Args: []any{"%s", "12"}}},
		{`["Decoration", "", 1, 2, 3, 4, 5, 6, 7, 8]`, Call{Method: "Decoration",
			Args: []any{"", int64(1), int64(2), int64(3), int64(4), int64(5), int64(6), int64(7), int64(8)}}},
		{`["ObjectStart", "n", "%s"]`, Call{Method: "ObjectStart", Args: []any{"n", "%s"}}},
		{`["ObjectStart", null, null]`, Call{Method: "ObjectStart", Args: []any{N, N}}},
		{`["ObjectStart", "N", null, true]`, Call{Method: "ObjectStart", Args: []any{"N", N, true}}},
		{`["ObjectStart", "N", null, false]`, Call{Method: "ObjectStart", Args: []any{"N", N, false}}},
		{`["ObjectEnd", "n", "\n"]`, Call{Method: "ObjectEnd", Args: []any{"n", "\n"}}},
		{`["ArrayStart", null, "%s:"]`, Call{Method: "ArrayStart", Args: []any{N, "%s:"}}},
		{`["ArrayEnd", "a", null]`, Call{Method: "ArrayEnd", Args: []any{"a", N}}},
		{`["ArrayItemBool", true, " %d"]`, Call{Method: "ArrayItemBool", Args: []any{true, " %d"}}},
		{`["ArrayItemUint", 0, null]`, Call{Method: "ArrayItemUint", Args: []any{uint64(0), N}}},
		{`["ArrayItemUint", 18446744073709551615, null]`, Call{Method: "ArrayItemUint", Args: []any{uint64(1<<64 - 1), N}}},
		{`["ArrayItemUint", "18446744073709551615", null]`, Call{Method: "ArrayItemUint", Args: []any{uint64(1<<64 - 1), N}}},
		{`["ArrayItemString", "s", "%s"]`, Call{Method: "ArrayItemString", Args: []any{"s", "%s"}}},
		{`["ArrayItemString", null, null, false]`, Call{Method: "ArrayItemString", Args: []any{N, N, false}}},
		{`["ArrayItemString", {"hex":"C3A9"}, "x", true]`, Call{Method: "ArrayItemString", Args: []any{"é", "x", true}}},
		{`["KVBool", "k", "%s=", false, "%s"]`, Call{Method: "KVBool", Args: []any{"k", "%s=", false, "%s"}}},
		{`["KVUint", null, null, "9223372036854775808", "%d"]`,
			Call{Method: "KVUint", Args: []any{N, N, uint64(1 << 63), "%d"}}},
		{`["KVUint", "k", null, "007", null]`,
			Call{Method: "KVUint", Args: []any{"k", N, uint64(7), N}}},
		{`["KVInt", "k", null, -9223372036854775808, null]`,
			Call{Method: "KVInt", Args: []any{"k", N, int64(-1 << 63), N}}},
		{`["KVInt", "k", null, "-9223372036854775808", null]`,
			Call{Method: "KVInt", Args: []any{"k", N, int64(-1 << 63), N}}},
		{`["KVInt", "k", null, "9223372036854775807", null]`,
			Call{Method: "KVInt", Args: []any{"k", N, int64(1<<63 - 1), N}}},
		{`["KVInt", "k", null, -0, null]`, Call{Method: "KVInt", Args: []any{"k", N, int64(0), N}}},
		{`["KVString", "k", null, null, null]`, Call{Method: "KVString", Args: []any{"k", N, N, N}}},
		{`["KVString", "k", "%s: ", "v", "%s\n", 40]`, Call{Method: "KVString", Args: []any{"k", "%s: ", "v", "%s\n", 40}}},
		{`["KVString", "k", null, "v", null, -1]`, Call{Method: "KVString", Args: []any{"k", N, "v", N, -1}}},
		{`["KVString", "k", null, "v", null, 2147483647]`, Call{Method: "KVString", Args: []any{"k", N, "v", N, 2147483647}}},
		{`["KVString", "k", null, "v", null, -2147483648]`, Call{Method: "KVString", Args: []any{"k", N, "v", N, -2147483648}}},
		{`["Message", null, ""]`, Call{Method: "Message", Args: []any{N, ""}}},
		{`["Message", "error", {"hex":""}]`, Call{Method: "Message", Args: []any{"error", ""}}},
		{`["SendBuffer"]`, Call{Method: "SendBuffer", Args: []any{}}},
		{`["AddLimitFilter", 5]`, Call{Method: "AddLimitFilter", Args: []any{uint64(5)}}},
		{`["AddOffsetFilter", "18446744073709551615"]`, Call{Method: "AddOffsetFilter", Args: []any{uint64(1<<64 - 1)}}},
		{`["FinalizeResult", false]`, Call{Method: "FinalizeResult", Args: []any{false}}},
		{`["SetMode", 1]`, Call{Method: "SetMode", Args: []any{apimode.On}}},
		{`["SetCompact", true]`, Call{Method: "SetCompact", Args: []any{true}}},
		// JSON string escapes and raw UTF-8
		{`["Message", "i", "tab\there \"q\" \\ \u00e9 \ud83d\ude00 ü"]`,
			Call{Method: "Message", Args: []any{"i", "tab\there \"q\" \\ é 😀 ü"}}},
		// whitespace and CR around the array
		{"  [ \"SendBuffer\" ]  \r", Call{Method: "SendBuffer", Args: []any{}}},
	}
	for _, tt := range tests {
		s, err := ParseScript(strings.NewReader(hdr0 + tt.line + "\n"))
		if err != nil {
			t.Errorf("%s: %v", tt.line, err)
			continue
		}
		if len(s.Calls) != 1 {
			t.Errorf("%s: %d calls, want 1", tt.line, len(s.Calls))
			continue
		}
		tt.want.Line = 2
		if diff := cmp.Diff(tt.want, s.Calls[0]); diff != "" {
			t.Errorf("%s: call (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestParseCallErrors(t *testing.T) {
	tests := []struct {
		line string
		want string // the message after "line 2: "
	}{
		{`{"Decoration": "x"}`, `want a call [method, args...], got an object`},
		{`"SendBuffer"`, `want a call [method, args...], got the string "SendBuffer"`},
		{`[]`, `empty call: want [method, args...]`},
		{`[1]`, `method name: want a string, got the number 1`},
		{`["sendbuffer"]`, `unknown method "sendbuffer"`},
		{`["SendBuffer", 1]`, `SendBuffer: want 0 arguments, got 1`},
		{`["FinalizeResult"]`, `FinalizeResult: want 1 argument, got 0`},
		{`["KVUint", "k", null, 1]`, `KVUint: want 4 arguments, got 3`},
		{`["KVString", "k", null, "v", null, 1, 2]`, `KVString: want 4 to 5 arguments, got 6`},
		{`["ObjectStart", "n"]`, `ObjectStart: want 2 to 3 arguments, got 1`},
		{`["Decoration"]`, `Decoration: want 1 to 9 arguments, got 0`},
		{`["Decoration", "", 1, 2, 3, 4, 5, 6, 7, 8, 9]`, `Decoration: want 1 to 9 arguments, got 10`},
		{`["Decoration", 1]`, `Decoration: argument 1: want a string or null, got the number 1`},
		{`["Decoration", "%d", true]`, `Decoration: argument 2: want a string or a signed 64-bit integer, got true`},
		{`["Decoration", "%d", 1.5]`, `Decoration: argument 2: want a signed 64-bit integer, got 1.5`},
		{`["Decoration", "%d", 9223372036854775808]`, `Decoration: argument 2: 9223372036854775808 is out of the signed 64-bit range`},
		{`["Decoration", "%s", ["x"]]`, `Decoration: argument 2: want a string or a signed 64-bit integer, got an array`},
		{`["Message", "info", true]`, `Message: argument 2: want a string or null, got true`},
		{`["Message", 1, "t"]`, `Message: argument 1: want a string or null, got the number 1`},
		{`["ObjectStart", "n", null, 1]`, `ObjectStart: argument 3: want true or false, got the number 1`},
		{`["ObjectStart", "n", null, null]`, `ObjectStart: argument 3: want true or false, got null`},
		{`["ArrayItemBool", "true", null]`, `ArrayItemBool: argument 1: want true or false, got the string "true"`},
		{`["ArrayItemString", "s", null, "false"]`, `ArrayItemString: argument 3: want true or false, got the string "false"`},
		{`["KVUint", "k", null, -1, null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got -1`},
		{`["KVUint", "k", null, "-1", null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got the string "-1"`},
		{`["KVUint", "k", null, "+1", null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got the string "+1"`},
		{`["KVUint", "k", null, " 1", null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got the string " 1"`},
		{`["KVUint", "k", null, "", null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got the string ""`},
		{`["KVUint", "k", null, "0x10", null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got the string "0x10"`},
		{`["KVUint", "k", null, 1e3, null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got 1e3`},
		{`["KVUint", "k", null, 2.0, null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got 2.0`},
		{`["KVUint", "k", null, 18446744073709551616, null]`, `KVUint: argument 3: 18446744073709551616 is out of the unsigned 64-bit range`},
		{`["KVUint", "k", null, "99999999999999999999999999999999999999999999999999", null]`,
			`KVUint: argument 3: 9999999999999999999999999999999999999999 is out of the unsigned 64-bit range`},
		{`["KVUint", "k", null, null, null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got null`},
		{`["KVUint", "k", null, true, null]`, `KVUint: argument 3: want an unsigned 64-bit integer, got true`},
		{`["KVUint", 5, null, 1, null]`, `KVUint: argument 1: want a string or null, got the number 5`},
		{`["KVUint", "k", false, 1, null]`, `KVUint: argument 2: want a string or null, got false`},
		{`["KVInt", "k", null, 9223372036854775808, null]`, `KVInt: argument 3: 9223372036854775808 is out of the signed 64-bit range`},
		{`["KVInt", "k", null, "-9223372036854775809", null]`, `KVInt: argument 3: -9223372036854775809 is out of the signed 64-bit range`},
		{`["KVInt", "k", null, "+5", null]`, `KVInt: argument 3: want a signed 64-bit integer, got the string "+5"`},
		{`["KVInt", "k", null, "--5", null]`, `KVInt: argument 3: want a signed 64-bit integer, got the string "--5"`},
		{`["KVInt", "k", null, "-", null]`, `KVInt: argument 3: want a signed 64-bit integer, got the string "-"`},
		{`["KVInt", "k", null, -1.5, null]`, `KVInt: argument 3: want a signed 64-bit integer, got -1.5`},
		{`["KVString", "k", null, "v", null, 2147483648]`, `KVString: argument 5: 2147483648 is out of the 32-bit range`},
		{`["KVString", "k", null, "v", null, -2147483649]`, `KVString: argument 5: -2147483649 is out of the 32-bit range`},
		{`["KVString", "k", null, "v", null, null]`, `KVString: argument 5: want a signed 64-bit integer, got null`},
		{`["KVString", "k", null, "v", null, 1.5]`, `KVString: argument 5: want a signed 64-bit integer, got 1.5`},
		{`["KVString", "k", null, 7, null]`, `KVString: argument 3: want a string or null, got the number 7`},
		{`["SetMode", 3]`, `SetMode: argument 1: want 0, 1 or 2, got 3`},
		{`["SetMode", "1"]`, `SetMode: argument 1: want 0, 1 or 2, got the string "1"`},
		{`["SetCompact", 0]`, `SetCompact: argument 1: want true or false, got the number 0`},
		{`["FinalizeResult", null]`, `FinalizeResult: argument 1: want true or false, got null`},
		{`["AddLimitFilter", -5]`, `AddLimitFilter: argument 1: want an unsigned 64-bit integer, got -5`},
		// string encodings
		{`["Message", "i", {"hex":"6"}]`, `Message: argument 2: hex: encoding/hex: odd length hex string`},
		{`["Message", "i", {"hex":"zz"}]`, `Message: argument 2: hex: encoding/hex: invalid byte: U+007A 'z'`},
		{`["Message", "i", {"hex":5}]`, `Message: argument 2: hex: want a string of hex digits, got the number 5`},
		{`["Message", "i", {"hex":"61", "x":1}]`, `Message: argument 2: want a string or null or {"hex": "..."}, got an object with keys ["hex" "x"]`},
		{`["Message", "i", {}]`, `Message: argument 2: want a string or null or {"hex": "..."}, got an object with keys []`},
		{`["Message", "i", {"hex":"610062"}]`, `Message: argument 2: string contains a NUL byte at offset 1 (C strings cannot)`},
		{`["Message", "i", "a\u0000"]`, `Message: argument 2: string contains a NUL byte at offset 1 (C strings cannot)`},
		{`["ObjectStart", {"hex":"00"}, null]`, `ObjectStart: argument 1: string contains a NUL byte at offset 0 (C strings cannot)`},
	}
	for _, tt := range tests {
		_, err := ParseScript(strings.NewReader(hdr0 + tt.line + "\n"))
		if err == nil {
			t.Errorf("%s: no error, want %q", tt.line, tt.want)
			continue
		}
		if want := "line 2: " + tt.want; err.Error() != want {
			t.Errorf("%s:\n got %q\nwant %q", tt.line, err, want)
		}
	}
	// Malformed JSON lines.
	for _, line := range []string{`["SendBuffer"`, `["SendBuffer"]]`, `["SendBuffer"] ["SendBuffer"]`,
		`[SendBuffer]`, `["KVUint", "k", null, 01, null]`, `["Message", "i", "bad \x escape"]`,
		strings.Repeat("[", 20000) + strings.Repeat("]", 20000)} {
		_, err := ParseScript(strings.NewReader(hdr0 + line + "\n"))
		if err == nil || !strings.HasPrefix(err.Error(), "line 2: invalid JSON: ") {
			t.Errorf("%.60s: error %v, want an invalid JSON error on line 2", line, err)
		}
	}
}

func TestParseLineNumbers(t *testing.T) {
	in := "\n" + `{"mode":1}` + "\n\n" + `["SendBuffer"]` + "\n  \n" + `["FinalizeResult", true]` + "\n\n" + `["KVUint", "k", null, "x", null]`
	_, err := ParseScript(strings.NewReader(in))
	want := `line 8: KVUint: argument 3: want an unsigned 64-bit integer, got the string "x"`
	if err == nil || err.Error() != want {
		t.Fatalf("error %v, want %q", err, want)
	}
	pe, ok := errors.AsType[*ParseError](err)
	if !ok {
		t.Fatalf("error %T is not a *ParseError", err)
	}
	if pe.Line != 8 || pe.Method != "KVUint" || pe.Arg != 3 {
		t.Errorf("ParseError{Line %d, Method %q, Arg %d}, want 8, KVUint, 3", pe.Line, pe.Method, pe.Arg)
	}

	// Without the bad line: the calls carry their line numbers; the last
	// line need not end in a newline.
	s, err := ParseScript(strings.NewReader(in[:strings.LastIndex(in, "\n\n")] + "\n" + `["SetCompact", true]`))
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, c := range s.Calls {
		lines = append(lines, c.Line)
	}
	if diff := cmp.Diff([]int{4, 6, 7}, lines); diff != "" {
		t.Errorf("call lines (-want +got):\n%s", diff)
	}
}

func TestParseFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.calls")
	if err := os.WriteFile(path, []byte(hdr0+`["SendBuffer"]`+"\n"+`["ArrayItemUint", -1, null]`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ParseFile(path)
	want := path + `:3: ArrayItemUint: argument 1: want an unsigned 64-bit integer, got -1`
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if _, err := ParseFile(filepath.Join(t.TempDir(), "missing.calls")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: error %v, want os.ErrNotExist", err)
	}
}

// errReader fails after returning its data.
type errReader struct {
	data string
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := ParseScript(&errReader{data: hdr0 + `["SendBuffer"]` + "\n", err: boom})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want it to wrap the read error", err)
	}
}

func TestApplyChecksArgs(t *testing.T) {
	tests := []struct {
		call Call
		want string
	}{
		{Call{Line: 3, Method: "Nope"}, `line 3: unknown method "Nope"`},
		{Call{Line: 3, Method: "KVUint", Args: []any{"k", formatter.Null, 1, formatter.Null}},
			`line 3: KVUint: argument 3: want an unsigned 64-bit integer, have int 1`},
		{Call{Line: 4, Method: "ObjectEnd", Args: []any{"k"}}, `line 4: ObjectEnd: want 2 arguments, got 1`},
		{Call{Line: 5, Method: "SetMode", Args: []any{apimode.Mode(9)}},
			`line 5: SetMode: argument 1: want an API mode (0, 1 or 2), have apimode.Mode Mode(9)`},
		{Call{Line: 6, Method: "Decoration", Args: []any{"%d", 1.5}},
			`line 6: Decoration: argument 2: want a string or a signed 64-bit integer, have float64 1.5`},
		{Call{Line: 7, Method: "KVString", Args: []any{"k", "", "v", "", int64(3)}},
			`line 7: KVString: argument 5: want a 32-bit integer, have int64 3`},
	}
	for _, tt := range tests {
		s := &Script{Header: Header{Mode: apimode.Off}, Calls: []Call{tt.call}}
		_, err := s.Output()
		if err == nil || err.Error() != tt.want {
			t.Errorf("%+v: error %v, want %q", tt.call, err, tt.want)
		}
	}
}

func TestParsedCallsPassCheck(t *testing.T) {
	// Everything ParseScript accepts is something Run accepts.
	files, err := filepath.Glob(filepath.Join("testdata", "oracle", "*.calls"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no oracle scripts: %v", err)
	}
	for _, path := range files {
		s, err := ParseFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, c := range s.Calls {
			m, ok := calls.Lookup(c.Method)
			if !ok {
				t.Errorf("%s:%d: no method %q", path, c.Line, c.Method)
				continue
			}
			if err := m.Check(c.Args); err != nil {
				t.Errorf("%s:%d: %v", path, c.Line, err)
			}
		}
	}
}

// FuzzParseScript checks that no input makes ParseScript, or running what
// it accepts, panic.
func FuzzParseScript(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "oracle", "*.calls"))
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(hdr0 + `["KVUint", "k", null, "18446744073709551616", null]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScript(strings.NewReader(string(data)))
		if err != nil {
			if _, ok := errors.AsType[*ParseError](err); !ok {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			return
		}
		if _, err := s.Output(); err != nil {
			t.Fatalf("Output of a parsed script: %v", err)
		}
	})
}
