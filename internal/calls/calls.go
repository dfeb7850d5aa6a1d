// Package calls describes the call surface of the formatter: every method
// that call scripts, the fuzz programs and the formatter's model test can
// call, its arguments, and how a call is made. It is the one table those
// consumers share, so that a new method is added in one place:
//
//   - golden parses call scripts with it (and cmd/uafmt replays them),
//   - fuzz/internal/program decodes fuzz input into calls of it,
//   - formatter's model test generates calls of it and makes each on the
//     formatter and on its independent model.
//
// A [Method] has a name, typed parameters (some optional, with the value
// used when they are left out) and a dispatcher that makes the call on a
// [Target]: the real formatter ([New]) or anything else that implements
// the [Formatter] interface. A [Call] is a method with its arguments;
// [Call.String] writes it as a line of a call script and [Parse] reads one.
//
// Method names and parameters are those of the call-script format of the
// golden oracle (golden/testdata/oracle/README.md, §1.2 and §7.1), where
// one method can stand for several Go methods: ObjectStart with
// case_sensitive_name true calls ObjectStartCaseSensitive, ArrayItemString
// with format false calls ArrayItemText, KVString with a wrap calls
// KVStringWrap, SubResourceStart with a baseformat calls
// SubResourceStartFormat. The methods that are not the oracle's (filters,
// hidden columns, queries) extend the format with the rest of the
// formatter's API.
package calls

import (
	"fmt"
	"math"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// Kind is the type of one argument: what Go value it is in [Call.Args] and
// how scripts and fuzz input encode it.
type Kind uint8

// The argument kinds.
const (
	Str   Kind = iota // string; formatter.Null is the C NULL pointer
	Bool              // bool
	Uint              // uint64
	Int               // int64
	Small             // int in the int32 range: a wrap width, an indentation level, a column, a seed
	Mode              // apimode.Mode: 0, 1 or 2
	Decor             // Decoration argument: int64 (consumed by %d) or string (by %s)
	List              // []string, nil for a null list; items may be formatter.Null
	Wide              // int64 that scripts may also give from 2^63 to 2^64-1 (taken modulo 2^64)
	numKinds
)

var kindNames = [numKinds]string{
	Str:   "a string or null",
	Bool:  "true or false",
	Uint:  "an unsigned 64-bit integer",
	Int:   "a signed 64-bit integer",
	Small: "a 32-bit integer",
	Mode:  "an API mode (0, 1 or 2)",
	Decor: "a string or a signed 64-bit integer",
	List:  "a list of strings or null",
	Wide:  "a 64-bit integer",
}

// String describes the kind for error messages ("a string or null").
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Valid reports whether v is a value of kind k.
func (k Kind) Valid(v any) bool {
	switch k {
	case Str:
		_, ok := v.(string)
		return ok
	case Bool:
		_, ok := v.(bool)
		return ok
	case Uint:
		_, ok := v.(uint64)
		return ok
	case Int, Wide:
		_, ok := v.(int64)
		return ok
	case Small:
		n, ok := v.(int)
		return ok && n >= math.MinInt32 && n <= math.MaxInt32
	case Mode:
		m, ok := v.(apimode.Mode)
		return ok && m.Valid()
	case Decor:
		switch v.(type) {
		case string, int64:
			return true
		}
	case List:
		_, ok := v.([]string)
		return ok
	}
	return false
}

// Param is one parameter of a method.
type Param struct {
	Name string
	Kind Kind
	// Optional parameters come last; a call may leave out any number of
	// them from the end, and Default is used in their place.
	Optional bool
	Default  any
}

// Returns says what a method returns besides its effect on the output.
type Returns uint8

// What a method returns.
const (
	ReturnsNothing Returns = iota
	ReturnsError           // an error (a failed send)
	ReturnsBool            // a bool (FilterRow, IsHiddenColumn, HasErrorMessage)
)

// Method is one entry of the call surface.
type Method struct {
	Name   string
	Params []Param
	// Variadic is the most extra arguments of kind Decor after Params
	// (Decoration's printf arguments).
	Variadic int
	Returns  Returns
	// Oracle is true for the methods of the recorded oracle's call-script
	// format; the others extend it.
	Oracle bool
	do     func(t Target, a args) (bool, error)
}

// Required returns the number of parameters a call must give.
func (m *Method) Required() int {
	n := 0
	for _, p := range m.Params {
		if !p.Optional {
			n++
		}
	}
	return n
}

// MaxArgs returns the most arguments a call may give.
func (m *Method) MaxArgs() int { return len(m.Params) + m.Variadic }

// Kind returns the kind of argument i (0-based) and whether a call may
// give it at all.
func (m *Method) Kind(i int) (Kind, bool) {
	switch {
	case i < 0:
		return 0, false
	case i < len(m.Params):
		return m.Params[i].Kind, true
	case i < m.MaxArgs():
		return Decor, true
	}
	return 0, false
}

// arity describes the accepted number of arguments for messages.
func (m *Method) arity() string {
	lo, hi := m.Required(), m.MaxArgs()
	switch {
	case lo == hi && hi == 1:
		return "1 argument"
	case lo == hi:
		return fmt.Sprintf("%d arguments", hi)
	default:
		return fmt.Sprintf("%d to %d arguments", lo, hi)
	}
}

// ArgError is a problem with one argument of a call, or (Arg 0) with
// their number.
type ArgError struct {
	Arg int // 1-based position, 0 for the number of arguments
	Err error
}

// Error returns "argument N: problem", or the problem alone.
func (e *ArgError) Error() string {
	if e.Arg > 0 {
		return fmt.Sprintf("argument %d: %v", e.Arg, e.Err)
	}
	return e.Err.Error()
}

// Unwrap returns the problem.
func (e *ArgError) Unwrap() error { return e.Err }

// Check verifies that args fit m: their number, and the Go type (and range)
// of each. The error is an *ArgError.
func (m *Method) Check(args []any) error {
	if len(args) < m.Required() || len(args) > m.MaxArgs() {
		return &ArgError{Err: fmt.Errorf("want %s, got %d", m.arity(), len(args))}
	}
	for i, v := range args {
		k, _ := m.Kind(i)
		if !k.Valid(v) {
			return &ArgError{Arg: i + 1, Err: fmt.Errorf("want %s, have %T %v", k, v, v)}
		}
	}
	return nil
}

// Call is one method call with its arguments. Args holds them in the
// method's order, with the Go types their kinds say; optional trailing
// arguments may be left out.
type Call struct {
	Method *Method
	Args   []any
}

// Do makes the call on t and returns what the method returns (false and
// nil for methods that return nothing). Left-out optional arguments get
// their defaults. Do checks the arguments first: it returns an *ArgError,
// and makes no call, if they do not fit the method.
func (c Call) Do(t Target) (bool, error) {
	if err := c.Method.Check(c.Args); err != nil {
		return false, err
	}
	a := args(c.Args)
	if n := len(c.Method.Params); len(a) < n {
		a = make(args, n)
		copy(a, c.Args)
		for i := len(c.Args); i < n; i++ {
			a[i] = c.Method.Params[i].Default
		}
	}
	return c.Method.do(t, a)
}

// Strings returns every string among the call's arguments, list items
// included, in order.
func (c Call) Strings() []string {
	var out []string
	for _, a := range c.Args {
		switch a := a.(type) {
		case string:
			out = append(out, a)
		case []string:
			out = append(out, a...)
		}
	}
	return out
}

// args gives typed access to complete argument lists inside dispatchers.
type args []any

func (a args) str(i int) string        { return a[i].(string) }
func (a args) bool(i int) bool         { return a[i].(bool) }
func (a args) uint(i int) uint64       { return a[i].(uint64) }
func (a args) int64(i int) int64       { return a[i].(int64) }
func (a args) int(i int) int           { return a[i].(int) }
func (a args) list(i int) []string     { return a[i].([]string) }
func (a args) rest(i int) []any        { return a[i:] }
func (a args) mode(i int) apimode.Mode { return a[i].(apimode.Mode) }

// Formatter is the formatter's side of the call surface: the methods of
// *formatter.Formatter that calls make. The formatter's model test
// implements it too.
type Formatter interface {
	Decoration(format string, args ...any)
	ObjectStart(name, format string)
	ObjectStartCaseSensitive(name, format string)
	ObjectEnd(name, format string)
	ArrayStart(name, format string)
	ArrayEnd(name, format string)
	ArrayItemBool(v bool, format string)
	ArrayItemUint(v uint64, format string)
	ArrayItemString(v, format string)
	ArrayItemText(v, text string)
	KVBool(key, keyFormat string, v bool, valueFormat string)
	KVUint(key, keyFormat string, v uint64, valueFormat string)
	KVInt(key, keyFormat string, v int64, valueFormat string)
	KVString(key, keyFormat, v, valueFormat string)
	KVStringWrap(key, keyFormat, v, valueFormat string, wrap int)
	Message(typ, text string) error
	SendBuffer() error
	FinalizeResult(ok bool) error
	SetMode(m apimode.Mode)
	SetCompact(c bool)
	AddLimitFilter(n uint64)
	AddOffsetFilter(n uint64)
	AddACLFilter(column, aclType int)
	AddResourceFilter(column, resType int)
	AddEnabledFilter(column, resType int)
	AddDisabledFilter(column, resType int)
	SetFilterFunc(fn formatter.FilterFunc)
	FilterRow(row []string) bool
	ClearFilters()
	AddHiddenColumn(col int)
	IsHiddenColumn(col int) bool
	ClearHiddenColumns()
	HasErrorMessage() bool
}

var _ Formatter = (*formatter.Formatter)(nil)

// Printer is the resource printer's side of the call surface: the methods
// of *formatter.ResourcePrinter that calls make.
type Printer interface {
	SetIndent(n int)
	ResourceStart(group, typ, name string, asComment bool)
	ResourceEnd(group, name string, asComment bool)
	SubResourceStart(name string, asComment bool)
	SubResourceEnd(name string, asComment bool)
	SubResourceStartFormat(name string, asComment bool, baseformat string)
	SubResourceEndFormat(name string, asComment bool, baseformat string)
	ArrayStart(key string, asComment bool, baseformat string)
	ArrayEnd(key string, asComment bool, baseformat string)
	KeyBool(name string, v, asComment bool)
	KeySignedInt(name string, v int64, asComment bool)
	KeyUnsignedInt(name string, v uint64, asComment bool)
	KeyQuotedString(name, v string, asComment bool)
	KeyUnquotedString(name, v string, asComment bool)
	KeyMultipleStringsInOneLine(key string, list []string, asComment, quoted bool)
	KeyMultipleStringsOnePerLine(key string, list []string, asComment, quoted, escape bool)
}

var _ Printer = (*formatter.ResourcePrinter)(nil)

// Target is what calls are made on: a formatter and the resource printer
// that writes through it (as in a call script, one printer per formatter).
type Target struct {
	F Formatter
	P Printer
}

// New returns the Target of a real formatter: f and a new resource printer
// on it.
func New(f *formatter.Formatter) Target {
	return Target{F: f, P: formatter.NewResourcePrinter(f)}
}

// FilterFunc returns the deterministic filter function selected by seed
// (nil for 0), which the SetFilterFunc method installs: its verdict is a
// hash of the seed, the filter and the row.
func FilterFunc(seed int) formatter.FilterFunc {
	if seed == 0 {
		return nil
	}
	return func(row []string, f formatter.Filter) formatter.FilterState {
		h := uint32(seed)*2654435761 ^ uint32(f.Kind)<<8 ^ uint32(f.Column)<<16 ^ uint32(f.Type)
		for _, s := range row {
			for i := 0; i < len(s); i++ {
				h = (h ^ uint32(s[i])) * 16777619
			}
		}
		return formatter.FilterState(h % 3)
	}
}

// Lookup returns the method with the given name.
func Lookup(name string) (*Method, bool) {
	m, ok := byName[name]
	return m, ok
}

// MustLookup is Lookup for names known to exist; it panics otherwise.
func MustLookup(name string) *Method {
	m, ok := byName[name]
	if !ok {
		panic("calls: no method " + name)
	}
	return m
}

// Methods returns every method, in a fixed order: the fuzz encoding numbers
// methods by their position, so new methods are appended at the end.
func Methods() []*Method { return table }

// Make returns the call of the named method with args; it panics if there
// is no such method or the arguments do not fit (it is meant for
// generating calls in tests).
func Make(name string, args ...any) Call {
	c := Call{Method: MustLookup(name), Args: args}
	if err := c.Method.Check(args); err != nil {
		panic(fmt.Sprintf("calls.Make(%s): %v", name, err))
	}
	return c
}

var byName = func() map[string]*Method {
	m := make(map[string]*Method, len(table))
	for _, x := range table {
		if _, dup := m[x.Name]; dup {
			panic("calls: duplicate method " + x.Name)
		}
		for i, p := range x.Params {
			if p.Optional && !p.Kind.Valid(p.Default) {
				panic(fmt.Sprintf("calls: %s: default of %s is not %s", x.Name, p.Name, p.Kind))
			}
			if !p.Optional && i > 0 && x.Params[i-1].Optional {
				panic(fmt.Sprintf("calls: %s: required %s after an optional parameter", x.Name, p.Name))
			}
		}
		m[x.Name] = x
	}
	return m
}()

// p is a required parameter, opt an optional one.
func p(name string, k Kind) Param { return Param{Name: name, Kind: k} }
func opt(name string, k Kind, def any) Param {
	return Param{Name: name, Kind: k, Optional: true, Default: def}
}

// none adapts a dispatcher that returns nothing.
func none(fn func(f Formatter, a args)) func(Target, args) (bool, error) {
	return func(t Target, a args) (bool, error) {
		fn(t.F, a)
		return false, nil
	}
}

// res adapts a dispatcher of a resource-printer method.
func res(fn func(p Printer, a args)) func(Target, args) (bool, error) {
	return func(t Target, a args) (bool, error) {
		fn(t.P, a)
		return false, nil
	}
}

// baseformat returns a baseformat argument: null means def.
func (a args) baseformat(i int, def string) string {
	if s := a.str(i); s != formatter.Null {
		return s
	}
	return def
}

// comment is the optional as_comment parameter of the printer's methods.
var comment = opt("as_comment", Bool, false)

// table is the call surface. The order is part of the fuzz corpus
// encoding: append new methods at the end.
var table = []*Method{
	{Name: "Decoration", Oracle: true, Params: []Param{p("fmt", Str)}, Variadic: 8,
		do: none(func(f Formatter, a args) { f.Decoration(a.str(0), a.rest(1)...) })},
	{Name: "ObjectStart", Oracle: true, Params: []Param{p("name", Str), p("fmt", Str), opt("case_sensitive_name", Bool, false)},
		do: none(func(f Formatter, a args) {
			if a.bool(2) {
				f.ObjectStartCaseSensitive(a.str(0), a.str(1))
			} else {
				f.ObjectStart(a.str(0), a.str(1))
			}
		})},
	{Name: "ObjectEnd", Oracle: true, Params: []Param{p("name", Str), p("fmt", Str)},
		do: none(func(f Formatter, a args) { f.ObjectEnd(a.str(0), a.str(1)) })},
	{Name: "ArrayStart", Oracle: true, Params: []Param{p("name", Str), p("fmt", Str)},
		do: none(func(f Formatter, a args) { f.ArrayStart(a.str(0), a.str(1)) })},
	{Name: "ArrayEnd", Oracle: true, Params: []Param{p("name", Str), p("fmt", Str)},
		do: none(func(f Formatter, a args) { f.ArrayEnd(a.str(0), a.str(1)) })},
	{Name: "ArrayItemBool", Oracle: true, Params: []Param{p("b", Bool), p("fmt", Str)},
		do: none(func(f Formatter, a args) { f.ArrayItemBool(a.bool(0), a.str(1)) })},
	{Name: "ArrayItemUint", Oracle: true, Params: []Param{p("n", Uint), p("fmt", Str)},
		do: none(func(f Formatter, a args) { f.ArrayItemUint(a.uint(0), a.str(1)) })},
	{Name: "ArrayItemString", Oracle: true, Params: []Param{p("s", Str), p("fmt", Str), opt("format", Bool, true)},
		do: none(func(f Formatter, a args) {
			if a.bool(2) {
				f.ArrayItemString(a.str(0), a.str(1))
			} else {
				f.ArrayItemText(a.str(0), a.str(1))
			}
		})},
	{Name: "KVBool", Oracle: true, Params: []Param{p("key", Str), p("keyfmt", Str), p("b", Bool), p("valuefmt", Str)},
		do: none(func(f Formatter, a args) { f.KVBool(a.str(0), a.str(1), a.bool(2), a.str(3)) })},
	{Name: "KVUint", Oracle: true, Params: []Param{p("key", Str), p("keyfmt", Str), p("n", Uint), p("valuefmt", Str)},
		do: none(func(f Formatter, a args) { f.KVUint(a.str(0), a.str(1), a.uint(2), a.str(3)) })},
	{Name: "KVInt", Oracle: true, Params: []Param{p("key", Str), p("keyfmt", Str), p("n", Int), p("valuefmt", Str)},
		do: none(func(f Formatter, a args) { f.KVInt(a.str(0), a.str(1), a.int64(2), a.str(3)) })},
	{Name: "KVString", Oracle: true, Params: []Param{p("key", Str), p("keyfmt", Str), p("s", Str), p("valuefmt", Str), opt("wrap", Small, -1)},
		do: none(func(f Formatter, a args) {
			if w := a.int(4); w >= 0 {
				f.KVStringWrap(a.str(0), a.str(1), a.str(2), a.str(3), w)
			} else {
				f.KVString(a.str(0), a.str(1), a.str(2), a.str(3))
			}
		})},
	{Name: "Message", Oracle: true, Params: []Param{p("type", Str), p("text", Str)}, Returns: ReturnsError,
		do: func(t Target, a args) (bool, error) { return false, t.F.Message(a.str(0), a.str(1)) }},
	{Name: "SendBuffer", Oracle: true, Returns: ReturnsError,
		do: func(t Target, a args) (bool, error) { return false, t.F.SendBuffer() }},
	{Name: "AddLimitFilter", Oracle: true, Params: []Param{p("n", Uint)},
		do: none(func(f Formatter, a args) { f.AddLimitFilter(a.uint(0)) })},
	{Name: "AddOffsetFilter", Oracle: true, Params: []Param{p("n", Uint)},
		do: none(func(f Formatter, a args) { f.AddOffsetFilter(a.uint(0)) })},
	{Name: "FinalizeResult", Oracle: true, Params: []Param{p("b", Bool)}, Returns: ReturnsError,
		do: func(t Target, a args) (bool, error) { return false, t.F.FinalizeResult(a.bool(0)) }},
	{Name: "SetMode", Oracle: true, Params: []Param{p("mode", Mode)},
		do: none(func(f Formatter, a args) { f.SetMode(a.mode(0)) })},
	{Name: "SetCompact", Oracle: true, Params: []Param{p("b", Bool)},
		do: none(func(f Formatter, a args) { f.SetCompact(a.bool(0)) })},

	// Beyond the oracle's methods: filters, hidden columns, queries.
	{Name: "AddACLFilter", Params: []Param{p("column", Small), p("type", Small)},
		do: none(func(f Formatter, a args) { f.AddACLFilter(a.int(0), a.int(1)) })},
	{Name: "AddResourceFilter", Params: []Param{p("column", Small), p("type", Small)},
		do: none(func(f Formatter, a args) { f.AddResourceFilter(a.int(0), a.int(1)) })},
	{Name: "AddEnabledFilter", Params: []Param{p("column", Small), p("type", Small)},
		do: none(func(f Formatter, a args) { f.AddEnabledFilter(a.int(0), a.int(1)) })},
	{Name: "AddDisabledFilter", Params: []Param{p("column", Small), p("type", Small)},
		do: none(func(f Formatter, a args) { f.AddDisabledFilter(a.int(0), a.int(1)) })},
	{Name: "SetFilterFunc", Params: []Param{p("seed", Small)},
		do: none(func(f Formatter, a args) { f.SetFilterFunc(FilterFunc(a.int(0))) })},
	{Name: "FilterRow", Params: []Param{p("row", List)}, Returns: ReturnsBool,
		do: func(t Target, a args) (bool, error) { return t.F.FilterRow(a.list(0)), nil }},
	{Name: "ClearFilters",
		do: none(func(f Formatter, a args) { f.ClearFilters() })},
	{Name: "AddHiddenColumn", Params: []Param{p("column", Small)},
		do: none(func(f Formatter, a args) { f.AddHiddenColumn(a.int(0)) })},
	{Name: "IsHiddenColumn", Params: []Param{p("column", Small)}, Returns: ReturnsBool,
		do: func(t Target, a args) (bool, error) { return t.F.IsHiddenColumn(a.int(0)), nil }},
	{Name: "ClearHiddenColumns",
		do: none(func(f Formatter, a args) { f.ClearHiddenColumns() })},
	{Name: "HasErrorMessage", Returns: ReturnsBool,
		do: func(t Target, a args) (bool, error) { return t.F.HasErrorMessage(), nil }},

	// The resource printer (oracle README §7.1).
	{Name: "ResourceIndent", Oracle: true, Params: []Param{p("n", Small)},
		do: res(func(r Printer, a args) { r.SetIndent(a.int(0)) })},
	{Name: "ResourceStart", Oracle: true, Params: []Param{p("group", Str), p("type", Str), p("name", Str), comment},
		do: res(func(r Printer, a args) { r.ResourceStart(a.str(0), a.str(1), a.str(2), a.bool(3)) })},
	{Name: "ResourceEnd", Oracle: true, Params: []Param{p("group", Str), p("type", Str), p("name", Str), comment},
		do: res(func(r Printer, a args) { r.ResourceEnd(a.str(0), a.str(2), a.bool(3)) })},
	{Name: "SubResourceStart", Oracle: true, Params: []Param{p("name", Str), comment, opt("baseformat", Str, formatter.Null)},
		do: res(func(r Printer, a args) {
			if b := a.str(2); b != formatter.Null {
				r.SubResourceStartFormat(a.str(0), a.bool(1), b)
			} else {
				r.SubResourceStart(a.str(0), a.bool(1))
			}
		})},
	{Name: "SubResourceEnd", Oracle: true, Params: []Param{p("name", Str), comment, opt("baseformat", Str, formatter.Null)},
		do: res(func(r Printer, a args) {
			if b := a.str(2); b != formatter.Null {
				r.SubResourceEndFormat(a.str(0), a.bool(1), b)
			} else {
				r.SubResourceEnd(a.str(0), a.bool(1))
			}
		})},
	{Name: "ResourceArrayStart", Oracle: true, Params: []Param{p("key", Str), comment, opt("baseformat", Str, formatter.Null)},
		do: res(func(r Printer, a args) { r.ArrayStart(a.str(0), a.bool(1), a.baseformat(2, "")) })},
	{Name: "ResourceArrayEnd", Oracle: true, Params: []Param{p("key", Str), comment, opt("baseformat", Str, formatter.Null)},
		do: res(func(r Printer, a args) { r.ArrayEnd(a.str(0), a.bool(1), a.baseformat(2, "")) })},
	{Name: "KeyBool", Oracle: true, Params: []Param{p("name", Str), p("b", Bool), comment},
		do: res(func(r Printer, a args) { r.KeyBool(a.str(0), a.bool(1), a.bool(2)) })},
	{Name: "KeySignedInt", Oracle: true, Params: []Param{p("name", Str), p("n", Wide), comment},
		do: res(func(r Printer, a args) { r.KeySignedInt(a.str(0), a.int64(1), a.bool(2)) })},
	{Name: "KeyUnsignedInt", Oracle: true, Params: []Param{p("name", Str), p("n", Wide), comment},
		do: res(func(r Printer, a args) { r.KeyUnsignedInt(a.str(0), uint64(a.int64(1)), a.bool(2)) })},
	{Name: "KeyString", Oracle: true, Params: []Param{p("name", Str), p("value", Str), comment},
		do: res(func(r Printer, a args) { r.KeyUnquotedString(a.str(0), a.str(1), a.bool(2)) })},
	{Name: "KeyQuotedString", Oracle: true, Params: []Param{p("name", Str), p("value", Str), comment},
		do: res(func(r Printer, a args) { r.KeyQuotedString(a.str(0), a.str(1), a.bool(2)) })},
	{Name: "KeyUnquotedString", Oracle: true, Params: []Param{p("name", Str), p("value", Str), comment},
		do: res(func(r Printer, a args) { r.KeyUnquotedString(a.str(0), a.str(1), a.bool(2)) })},
	{Name: "KeyMultipleStringsInOneLine", Oracle: true,
		Params: []Param{p("key", Str), p("list", List), comment, opt("quoted", Bool, true)},
		do:     res(func(r Printer, a args) { r.KeyMultipleStringsInOneLine(a.str(0), a.list(1), a.bool(2), a.bool(3)) })},
	{Name: "KeyMultipleStringsOnePerLine", Oracle: true,
		Params: []Param{p("key", Str), p("list", List), comment, opt("quoted", Bool, true), opt("escape", Bool, false)},
		do: res(func(r Printer, a args) {
			r.KeyMultipleStringsOnePerLine(a.str(0), a.list(1), a.bool(2), a.bool(3), a.bool(4))
		})},
	// The std::vector overload: the same (the Go API has one list type).
	{Name: "KeyMultipleStringsOnePerLineVector", Oracle: true,
		Params: []Param{p("key", Str), p("list", List), comment, opt("quoted", Bool, true), opt("escape", Bool, false)},
		do: res(func(r Printer, a args) {
			r.KeyMultipleStringsOnePerLine(a.str(0), a.list(1), a.bool(2), a.bool(3), a.bool(4))
		})},
}
