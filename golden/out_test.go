package golden

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteReadOut(t *testing.T) {
	tests := []struct {
		packets [][]byte
		text    string
	}{
		{nil, ""},
		{[][]byte{{}}, "--- packet 0\n\n"},
		{[][]byte{[]byte("a\n")}, "--- packet 2\na\n\n"},
		{[][]byte{[]byte("x"), {}, []byte("--- packet 3\n\xff\x00")},
			"--- packet 1\nx\n--- packet 0\n\n--- packet 15\n--- packet 3\n\xff\x00\n"},
	}
	for _, tt := range tests {
		got := FormatOut(tt.packets)
		if string(got) != tt.text {
			t.Errorf("FormatOut(%q) = %q, want %q", tt.packets, got, tt.text)
		}
		var b bytes.Buffer
		if err := WriteOut(&b, tt.packets); err != nil || b.String() != tt.text {
			t.Errorf("WriteOut(%q) wrote %q (error %v), want %q", tt.packets, b.String(), err, tt.text)
		}
		back, err := ReadOut(strings.NewReader(tt.text))
		if err != nil {
			t.Errorf("ReadOut(%q): %v", tt.text, err)
			continue
		}
		if diff := Diff(tt.packets, back); diff != "" {
			t.Errorf("ReadOut(%q):\n%s", tt.text, diff)
		}
		for i, p := range back {
			if p == nil {
				t.Errorf("ReadOut(%q): packet %d is nil, want non-nil", tt.text, i)
			}
		}
	}
}

func TestReadOutErrors(t *testing.T) {
	tests := []struct {
		in   string
		want string // substring of the error
	}{
		{"x", "packet 0 (offset 0): truncated header line"},
		{"--- packet 1\n", "packet 0 (offset 0): truncated payload: header says 1 bytes, 0 present"},
		{"--- packet 3\nab", "truncated payload: header says 3 bytes, 2 present"},
		{"--- packet 2\nab", "missing newline after the 2-byte payload"},
		{"--- packet 1\nab\n", `byte after the 1-byte payload is 'b', want '\n'`},
		{"--- packet 0\n\n--- packet 01\nx\n", `packet 1 (offset 14): bad length "01"`},
		{"--- packet -1\n\n", `bad length "-1"`},
		{"--- packet +1\nx\n", `bad length "+1"`},
		{"--- packet \n\n", `bad length ""`},
		{"--- packet 1 \nx\n", `bad length "1 "`},
		{"--- Packet 1\nx\n", `does not start with "--- packet "`},
		{"\n", `header line "" does not start with`},
		{"--- packet 1\r\nx\n", `bad length "1\r"`},
		{"--- packet 99999999999999999999\n", `header line too long`},
		{"--- packet 9223372036854775808\n", `bad length "9223372036854775808" in header line`},
		{"--- packet 9223372036854775807\nonly a little data", `truncated payload: header says 9223372036854775807 bytes, 18 present`},
		{"--- packet 1\nx\n" + strings.Repeat("-", 1000), "packet 1 (offset 15): header line too long"},
	}
	for _, tt := range tests {
		_, err := ReadOut(strings.NewReader(tt.in))
		if err == nil {
			t.Errorf("ReadOut(%.40q): no error, want %q", tt.in, tt.want)
			continue
		}
		if !errors.Is(err, ErrMalformedOut) {
			t.Errorf("ReadOut(%.40q): error %v does not wrap ErrMalformedOut", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadOut(%.40q):\n error %q\n want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestReadOutReadError(t *testing.T) {
	boom := errors.New("boom")
	for _, data := range []string{"", "--- pa", "--- packet 5\nab", "--- packet 1\nx"} {
		_, err := ReadOut(&errReader{data: data, err: boom})
		if !errors.Is(err, boom) {
			t.Errorf("ReadOut(%q then error): %v, want the read error", data, err)
		}
	}
}

// TestOracleOutRoundTrip checks that every recorded .out file reads and
// writes back unchanged.
func TestOracleOutRoundTrip(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "oracle", "*.out"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no oracle .out files: %v", err)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		packets, err := ReadOut(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if got := FormatOut(packets); !bytes.Equal(got, data) {
			t.Errorf("%s: written back differently", path)
		}
	}
}

func TestDiff(t *testing.T) {
	p := func(s ...string) [][]byte {
		var out [][]byte
		for _, x := range s {
			out = append(out, []byte(x))
		}
		return out
	}
	if d := Diff(p("a", ""), p("a", "")); d != "" {
		t.Errorf("Diff of equal packets = %q, want empty", d)
	}
	if d := Diff(nil, p()); d != "" {
		t.Errorf("Diff(nil, empty) = %q, want empty", d)
	}
	tests := []struct {
		want, got [][]byte
		contains  []string
	}{
		{p("same", "abcdef"), p("same", "abcXef"),
			[]string{"packet 1 (want 6 bytes, got 6): first difference at byte 3:", `want "abc" ▶ "def"`, `got "abc" ▶ "Xef"`}},
		{p("abc"), p("abc", "extra"), []string{"packet count: want 1, got 2", `"extra"`}},
		{p("abc"), p("ab"), []string{"first difference at byte 2", `got "ab" ▶ (end)`}},
		// The line diff: changed lines only, with context.
		{p("{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}"), p("{\n  \"a\": 1,\n  \"b\": 20,\n  \"c\": 3\n}"),
			[]string{"-    \"b\": 2,\n+    \"b\": 20,\n", "     \"a\": 1,\n", "     \"c\": 3\n"}},
		{p("x\x00y\n"), p("x\x01y\n"), []string{`-  "x\x00y\n" (quoted)`, `+  "x\x01y\n" (quoted)`}},
		{p("a\n", "b\n"), p("b\n"), []string{" === packet 0 (2 bytes)\n-  a\n-=== packet 1 (2 bytes)\n   b\n"}},
		{p(strings.Repeat("x", 100) + "A" + strings.Repeat("y", 100)), p(strings.Repeat("x", 100) + "B" + strings.Repeat("y", 100)),
			[]string{"first difference at byte 100", `want …"xxxxxxxxxxxxxxxxxxxxxxxx" ▶ "Ayyyyyyyyyyyyyyyyyyyyyyy"…`}},
	}
	for _, tt := range tests {
		d := Diff(tt.want, tt.got)
		for _, c := range tt.contains {
			if !strings.Contains(d, c) {
				t.Errorf("Diff(%q, %q) =\n%s\nwant it to contain %q", tt.want, tt.got, d, c)
			}
		}
	}
}

var _ io.Reader = (*errReader)(nil)
