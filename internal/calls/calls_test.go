package calls

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// spy implements Formatter by logging each call as "Method(args)".
type spy struct{ log []string }

func (s *spy) rec(name string, args ...any) {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = fmt.Sprintf("%#v", a)
	}
	s.log = append(s.log, name+"("+strings.Join(parts, ", ")+")")
}

func (s *spy) Decoration(format string, args ...any) {
	s.rec("Decoration", append([]any{format}, args...)...)
}
func (s *spy) ObjectStart(name, format string) { s.rec("ObjectStart", name, format) }
func (s *spy) ObjectStartCaseSensitive(name, format string) {
	s.rec("ObjectStartCaseSensitive", name, format)
}
func (s *spy) ObjectEnd(name, format string)          { s.rec("ObjectEnd", name, format) }
func (s *spy) ArrayStart(name, format string)         { s.rec("ArrayStart", name, format) }
func (s *spy) ArrayEnd(name, format string)           { s.rec("ArrayEnd", name, format) }
func (s *spy) ArrayItemBool(v bool, format string)    { s.rec("ArrayItemBool", v, format) }
func (s *spy) ArrayItemUint(v uint64, format string)  { s.rec("ArrayItemUint", v, format) }
func (s *spy) ArrayItemString(v, format string)       { s.rec("ArrayItemString", v, format) }
func (s *spy) ArrayItemText(v, text string)           { s.rec("ArrayItemText", v, text) }
func (s *spy) KVBool(k, kf string, v bool, vf string) { s.rec("KVBool", k, kf, v, vf) }
func (s *spy) KVUint(k, kf string, v uint64, vf string) {
	s.rec("KVUint", k, kf, v, vf)
}
func (s *spy) KVInt(k, kf string, v int64, vf string) { s.rec("KVInt", k, kf, v, vf) }
func (s *spy) KVString(k, kf, v, vf string)           { s.rec("KVString", k, kf, v, vf) }
func (s *spy) KVStringWrap(k, kf, v, vf string, w int) {
	s.rec("KVStringWrap", k, kf, v, vf, w)
}
func (s *spy) Message(typ, text string) error {
	s.rec("Message", typ, text)
	return errors.New("sent")
}
func (s *spy) SendBuffer() error { s.rec("SendBuffer"); return nil }
func (s *spy) FinalizeResult(ok bool) error {
	s.rec("FinalizeResult", ok)
	return nil
}
func (s *spy) SetMode(m apimode.Mode)                { s.rec("SetMode", m) }
func (s *spy) SetCompact(c bool)                     { s.rec("SetCompact", c) }
func (s *spy) AddLimitFilter(n uint64)               { s.rec("AddLimitFilter", n) }
func (s *spy) AddOffsetFilter(n uint64)              { s.rec("AddOffsetFilter", n) }
func (s *spy) AddACLFilter(c, t int)                 { s.rec("AddACLFilter", c, t) }
func (s *spy) AddResourceFilter(c, t int)            { s.rec("AddResourceFilter", c, t) }
func (s *spy) AddEnabledFilter(c, t int)             { s.rec("AddEnabledFilter", c, t) }
func (s *spy) AddDisabledFilter(c, t int)            { s.rec("AddDisabledFilter", c, t) }
func (s *spy) SetFilterFunc(fn formatter.FilterFunc) { s.rec("SetFilterFunc", fn != nil) }
func (s *spy) FilterRow(row []string) bool {
	s.rec("FilterRow", row)
	return len(row) > 0
}
func (s *spy) ClearFilters()             { s.rec("ClearFilters") }
func (s *spy) AddHiddenColumn(c int)     { s.rec("AddHiddenColumn", c) }
func (s *spy) IsHiddenColumn(c int) bool { s.rec("IsHiddenColumn", c); return c == 1 }
func (s *spy) ClearHiddenColumns()       { s.rec("ClearHiddenColumns") }
func (s *spy) HasErrorMessage() bool     { s.rec("HasErrorMessage"); return true }

// The Printer side.
func (s *spy) SetIndent(n int) { s.rec("SetIndent", n) }
func (s *spy) ResourceStart(g, t, n string, c bool) {
	s.rec("ResourceStart", g, t, n, c)
}
func (s *spy) ResourceEnd(g, n string, c bool)   { s.rec("ResourceEnd", g, n, c) }
func (s *spy) SubResourceStart(n string, c bool) { s.rec("SubResourceStart", n, c) }
func (s *spy) SubResourceEnd(n string, c bool)   { s.rec("SubResourceEnd", n, c) }
func (s *spy) SubResourceStartFormat(n string, c bool, b string) {
	s.rec("SubResourceStartFormat", n, c, b)
}
func (s *spy) SubResourceEndFormat(n string, c bool, b string) {
	s.rec("SubResourceEndFormat", n, c, b)
}
func (s *spy) KeyBool(n string, v, c bool)            { s.rec("KeyBool", n, v, c) }
func (s *spy) KeySignedInt(n string, v int64, c bool) { s.rec("KeySignedInt", n, v, c) }
func (s *spy) KeyUnsignedInt(n string, v uint64, c bool) {
	s.rec("KeyUnsignedInt", n, v, c)
}
func (s *spy) KeyQuotedString(n, v string, c bool)   { s.rec("KeyQuotedString", n, v, c) }
func (s *spy) KeyUnquotedString(n, v string, c bool) { s.rec("KeyUnquotedString", n, v, c) }
func (s *spy) KeyMultipleStringsInOneLine(k string, l []string, c, q bool) {
	s.rec("KeyMultipleStringsInOneLine", k, l, c, q)
}
func (s *spy) KeyMultipleStringsOnePerLine(k string, l []string, c, q, e bool) {
	s.rec("KeyMultipleStringsOnePerLine", k, l, c, q, e)
}

// pspy is the Printer side of a spy: its ArrayStart and ArrayEnd would
// clash with the Formatter's.
type pspy struct{ *spy }

func (p pspy) ArrayStart(k string, c bool, b string) { p.rec("Printer.ArrayStart", k, c, b) }
func (p pspy) ArrayEnd(k string, c bool, b string)   { p.rec("Printer.ArrayEnd", k, c, b) }

func spyTarget(s *spy) Target { return Target{F: s, P: pspy{s}} }

// sample returns a value of kind k that differs from the defaults.
func sample(k Kind) any {
	switch k {
	case Str:
		return "s"
	case Bool:
		return true
	case Uint:
		return uint64(1)
	case Int:
		return int64(-1)
	case Small:
		return 3
	case Mode:
		return apimode.JSON
	case Decor:
		return int64(7)
	case List:
		return []string{"a", formatter.Null}
	case Wide:
		return int64(-2)
	}
	panic(k)
}

// TestEveryMethodReached checks that the table reaches every method of
// the Formatter interface (so scripts and fuzz programs can call each),
// with the required arguments alone and with all optional ones.
func TestEveryMethodReached(t *testing.T) {
	s := &spy{}
	for _, m := range Methods() {
		var args []any
		for _, p := range m.Params[:m.Required()] {
			args = append(args, sample(p.Kind))
		}
		if _, err := (Call{Method: m, Args: args}).Do(spyTarget(s)); err != nil && m.Name != "Message" {
			t.Errorf("%s: %v", m.Name, err)
		}
		for _, p := range m.Params[m.Required():] {
			v := sample(p.Kind)
			if b, ok := p.Default.(bool); ok {
				v = !b
			}
			args = append(args, v)
		}
		(Call{Method: m, Args: args}).Do(spyTarget(s))
	}
	reached := map[string]bool{}
	for _, l := range s.log {
		name, _, _ := strings.Cut(l, "(")
		reached[name] = true
	}
	for _, iface := range []struct {
		typ    reflect.Type
		prefix string
	}{{reflect.TypeFor[Formatter](), ""}, {reflect.TypeFor[Printer](), "Printer."}} {
		for i := range iface.typ.NumMethod() {
			name := iface.typ.Method(i).Name
			if name == "ArrayStart" || name == "ArrayEnd" {
				name = iface.prefix + name
			}
			if !reached[name] {
				t.Errorf("no method of the table calls %s", name)
			}
		}
	}
}

func TestDo(t *testing.T) {
	tests := []struct {
		call Call
		want string
		res  bool
		err  bool
	}{
		{Make("ObjectStart", "n", formatter.Null), `ObjectStart("n", "\x00")`, false, false},
		{Make("ObjectStart", "n", "f", false), `ObjectStart("n", "f")`, false, false},
		{Make("ObjectStart", "n", "f", true), `ObjectStartCaseSensitive("n", "f")`, false, false},
		{Make("ArrayItemString", "v", "%s"), `ArrayItemString("v", "%s")`, false, false},
		{Make("ArrayItemString", "v", "t", false), `ArrayItemText("v", "t")`, false, false},
		{Make("KVString", "k", "kf", "v", "vf"), `KVString("k", "kf", "v", "vf")`, false, false},
		{Make("KVString", "k", "kf", "v", "vf", -1), `KVString("k", "kf", "v", "vf")`, false, false},
		{Make("KVString", "k", "kf", "v", "vf", 0), `KVStringWrap("k", "kf", "v", "vf", 0)`, false, false},
		{Make("Decoration", "%s%d", "a", int64(2)), `Decoration("%s%d", "a", 2)`, false, false},
		{Make("Message", "info", "x"), `Message("info", "x")`, false, true},
		{Make("FilterRow", []string{"r"}), `FilterRow([]string{"r"})`, true, false},
		{Make("IsHiddenColumn", 1), `IsHiddenColumn(1)`, true, false},
		{Make("SetFilterFunc", 0), `SetFilterFunc(false)`, false, false},
		{Make("ResourceIndent", -2), `SetIndent(-2)`, false, false},
		{Make("ResourceEnd", "g", "t", "n"), `ResourceEnd("g", "n", false)`, false, false},
		{Make("SubResourceStart", "n"), `SubResourceStart("n", false)`, false, false},
		{Make("SubResourceStart", "n", true, formatter.Null), `SubResourceStart("n", true)`, false, false},
		{Make("SubResourceEnd", "n", false, ""), `SubResourceEndFormat("n", false, "")`, false, false},
		{Make("ResourceArrayStart", "k"), `Printer.ArrayStart("k", false, "")`, false, false},
		{Make("ResourceArrayEnd", "k", true, "]"), `Printer.ArrayEnd("k", true, "]")`, false, false},
		{Make("KeyUnsignedInt", "k", int64(-1)), `KeyUnsignedInt("k", 0xffffffffffffffff, false)`, false, false},
		{Make("KeyString", "k", "v"), `KeyUnquotedString("k", "v", false)`, false, false},
		{Make("KeyMultipleStringsOnePerLineVector", "k", []string{"a"}),
			`KeyMultipleStringsOnePerLine("k", []string{"a"}, false, true, false)`, false, false},
	}
	for _, tt := range tests {
		s := &spy{}
		res, err := tt.call.Do(spyTarget(s))
		if len(s.log) != 1 || s.log[0] != tt.want || res != tt.res || (err != nil) != tt.err {
			t.Errorf("%v: log %q, result %t, error %v; want %q, %t, error %t", tt.call, s.log, res, err, tt.want, tt.res, tt.err)
		}
	}
	// Arguments that do not fit: an *ArgError, no call.
	for _, c := range []Call{
		{Method: MustLookup("ObjectEnd"), Args: []any{"k"}},
		{Method: MustLookup("KVUint"), Args: []any{"k", "", 1, ""}},
		{Method: MustLookup("SetMode"), Args: []any{apimode.Mode(7)}},
		{Method: MustLookup("Decoration"), Args: slices.Repeat([]any{"x"}, 10)},
	} {
		s := &spy{}
		_, err := c.Do(spyTarget(s))
		if _, ok := errors.AsType[*ArgError](err); !ok || len(s.log) > 0 {
			t.Errorf("%v: error %v, log %q; want an *ArgError and no call", c, err, s.log)
		}
	}
}

func TestStringParse(t *testing.T) {
	calls := []Call{
		Make("KVUint", "k", formatter.Null, uint64(1)<<63, "%d"),
		Make("KVInt", "\xff", "", int64(-1)<<62, ""),
		Make("KVInt", "k", "", int64(-5), ""),
		Make("Decoration", "%s %d", formatter.Null, int64(-3), "é\n"),
		Make("FilterRow", []string(nil)),
		Make("FilterRow", []string{"a", formatter.Null, "\x80"}),
		Make("SetMode", apimode.On),
		Make("KVString", "k", "", "v", "", -1),
		Make("SendBuffer"),
	}
	want := []string{
		`["KVUint","k",null,"9223372036854775808","%d"]`,
		`["KVInt",{"hex":"ff"},"","-4611686018427387904",""]`,
		`["KVInt","k","",-5,""]`,
		`["Decoration","%s %d",null,-3,"é\n"]`,
		`["FilterRow",null]`,
		`["FilterRow",["a",null,{"hex":"80"}]]`,
		`["SetMode",1]`,
		`["KVString","k","","v","",-1]`,
		`["SendBuffer"]`,
	}
	for i, c := range calls {
		got := c.String()
		if got != want[i] {
			t.Errorf("String() = %s, want %s", got, want[i])
		}
		back, err := Parse([]byte(got))
		if err != nil {
			t.Errorf("Parse(%s): %v", got, err)
			continue
		}
		if back.Method != c.Method {
			t.Errorf("Parse(%s): method %s", got, back.Method.Name)
		}
		// Decoration's integer arguments come back as int64, strings as
		// strings: the same values.
		if d := cmp.Diff(c.Args, back.Args, cmpopts.EquateEmpty()); d != "" {
			t.Errorf("Parse(%s) (-want +got):\n%s", got, d)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ line, want string }{
		{`{}`, "want a call [method, args...], got an object"},
		{`[]`, "empty call: want [method, args...]"},
		{`[1]`, "method name: want a string, got the number 1"},
		{`["Nope"]`, `unknown method "Nope"`},
		{`["SendBuffer", 1]`, "want 0 arguments, got 1"},
		{`["FilterRow", [1]]`, "argument 1: item 1: want a string or null, got the number 1"},
		{`["FilterRow", "x"]`, `argument 1: want a list of strings or null, got the string "x"`},
		{`["AddACLFilter", 1, 2147483648]`, "argument 2: 2147483648 is out of the 32-bit range"},
		{`["Message", "a", "b\u0000"]`, "argument 2: string contains a NUL byte at offset 1 (C strings cannot)"},
		{`["KVUint", "k", null, -1, null] x`, "invalid JSON: unexpected data after the value"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.line))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%s): %v, want %q", tt.line, err, tt.want)
		}
	}
}

func TestFilterFunc(t *testing.T) {
	if FilterFunc(0) != nil {
		t.Error("FilterFunc(0) is not nil")
	}
	fn := FilterFunc(5)
	seen := map[formatter.FilterState]bool{}
	for i := range 50 {
		row := []string{fmt.Sprint(i)}
		v := fn(row, formatter.Filter{Kind: formatter.FilterACL})
		if v != fn(row, formatter.Filter{Kind: formatter.FilterACL}) {
			t.Fatal("not deterministic")
		}
		seen[v] = true
	}
	if len(seen) != 3 {
		t.Errorf("verdicts %v, want all three", seen)
	}
}

// TestWide: the printer's integers take the whole range from -2^63 to
// 2^64-1, the upper half modulo 2^64; KVInt takes int64 only.
func TestWide(t *testing.T) {
	for line, want := range map[string]int64{
		`["KeySignedInt","k","18446744073709551615"]`:  -1,
		`["KeyUnsignedInt","k","9223372036854775808"]`: -1 << 63,
		`["KeyUnsignedInt","k",-9223372036854775808]`:  -1 << 63,
		`["KeySignedInt","k",5000000000,true]`:         5000000000,
	} {
		c, err := Parse([]byte(line))
		if err != nil || c.Args[1] != want {
			t.Errorf("Parse(%s) = %v, %v; want %d", line, c.Args, err, want)
		}
	}
	for _, line := range []string{
		`["KeySignedInt","k","18446744073709551616"]`,
		`["KeySignedInt","k","-9223372036854775809"]`,
		`["KVInt","k",null,"9223372036854775808",null]`,
	} {
		if _, err := Parse([]byte(line)); err == nil {
			t.Errorf("Parse(%s): no error", line)
		}
	}
}
