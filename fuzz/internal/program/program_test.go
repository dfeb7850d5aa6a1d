package program

import (
	"slices"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/golden"
	"github.com/uaformat/uaformat/internal/calls"
)

// op returns the method byte of the named method.
func op(name string) byte {
	return byte(slices.Index(calls.Methods(), calls.MustLookup(name)))
}

var inputs = [][]byte{
	nil,
	{2},
	{0x0e, op("KVString"), 0xff, 3, 'a', 'b', 'c', 0xfe, 3, 0, 'x', 'y', 'z', 0, 0},
	{0x0e, op("KVString"), 0xff, 3, 'a', 'b', 'c', 0xfe, 3, 0, 'x', 'y', 'z', 0, 1, 0xfc},
	{0x02, op("KVUint"), 1, 'k', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	{0x01, op("Decoration"), 2, '%', 's', 3, 0, 1, 'x', 1, 0xf8, 200, 0, 0xff},
	{0x00, op("FilterRow"), 3, 1, 'a', 0xff, 0, op("SetMode"), 2, op("AddACLFilter"), 0x80, 0x7f},
	{0x00, op("FilterRow"), 0xff, op("ObjectStart"), 1, 'a', 0xff, 7, 1},
}

// TestDecodeEncode checks that Encode is the inverse of Decode on input
// that Decode consumed completely.
func TestDecodeEncode(t *testing.T) {
	for _, in := range inputs {
		p := Decode(in)
		q := Decode(p.Encode())
		if p.String() != q.String() {
			t.Errorf("Decode(%q):\n%s\nround trip:\n%s", in, p, q)
		}
	}
}

func TestDecode(t *testing.T) {
	p := Decode(inputs[3])
	want := `{"mode":2,"compact":true,"send_fails":true}
["KVString",null,"abc","xyz","",-4]
`
	if got := p.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	p = Decode(inputs[len(inputs)-1])
	want = `{"mode":0,"compact":false,"send_fails":false}
["FilterRow",null]
["ObjectStart","a",null,true]
`
	if got := p.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestStringParses checks that a program's String is a call script that
// golden parses back into the same program.
func TestStringParses(t *testing.T) {
	for _, in := range append(inputs, []byte("\x07 arbitrary fuzz bytes \xff\xfe\x01\x02 and more \x80\x81")) {
		p := Decode(in)
		s, err := golden.ParseScript(strings.NewReader(p.String()))
		if err != nil {
			t.Errorf("Decode(%q).String() does not parse: %v\n%s", in, err, p)
			continue
		}
		q, err := FromScript(s)
		if err != nil {
			t.Errorf("FromScript: %v", err)
			continue
		}
		if q.String() != p.String() {
			t.Errorf("parsed back differently:\n%s\nwant:\n%s", q, p)
		}
	}
}

// TestEveryMethod: a call of every method of the call surface, with all
// its arguments, survives Encode and Decode.
func TestEveryMethod(t *testing.T) {
	sample := map[calls.Kind]any{
		calls.Str: "s", calls.Bool: true, calls.Uint: uint64(1) << 40, calls.Int: int64(-3),
		calls.Small: -5, calls.Mode: apimode.On, calls.Decor: int64(9), calls.List: []string{"a", formatter.Null},
		calls.Wide: int64(-1) << 50,
	}
	var p Program
	for _, m := range calls.Methods() {
		var args []any
		for _, prm := range m.Params {
			v, ok := sample[prm.Kind]
			if !ok {
				t.Fatalf("%s: no sample of %v", m.Name, prm.Kind)
			}
			args = append(args, v)
		}
		for range m.Variadic {
			args = append(args, "d")
		}
		p.Calls = append(p.Calls, calls.Make(m.Name, args...))
	}
	q := Decode(p.Encode())
	if q.String() != p.String() {
		t.Errorf("round trip:\n%s\nwant:\n%s", q, p)
	}
}
