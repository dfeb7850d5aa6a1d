package fuzz

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/golden"
)

// Op identifies one formatter method (or query) a Program calls.
type Op uint8

// The operations of a Program, one per formatter entry point. The numbering
// is part of the corpus encoding: append new operations at the end.
const (
	OpDecoration Op = iota
	OpObjectStart
	OpObjectStartCS
	OpObjectEnd
	OpArrayStart
	OpArrayEnd
	OpArrayItemBool
	OpArrayItemUint
	OpArrayItemString
	OpArrayItemText
	OpKVBool
	OpKVUint
	OpKVInt
	OpKVString
	OpKVStringWrap
	OpMessage
	OpSendBuffer
	OpFinalizeResult
	OpSetMode
	OpSetCompact
	OpAddLimitFilter
	OpAddOffsetFilter
	OpAddACLFilter
	OpAddResourceFilter
	OpAddEnabledFilter
	OpAddDisabledFilter
	OpSetFilterFunc
	OpFilterRow
	OpClearFilters
	OpAddHiddenColumn
	OpIsHiddenColumn
	OpClearHiddenColumns
	OpQuery
	numOps
)

var opNames = [numOps]string{
	"Decoration", "ObjectStart", "ObjectStartCaseSensitive", "ObjectEnd",
	"ArrayStart", "ArrayEnd", "ArrayItemBool", "ArrayItemUint",
	"ArrayItemString", "ArrayItemText", "KVBool", "KVUint", "KVInt",
	"KVString", "KVStringWrap", "Message", "SendBuffer", "FinalizeResult",
	"SetMode", "SetCompact", "AddLimitFilter", "AddOffsetFilter",
	"AddACLFilter", "AddResourceFilter", "AddEnabledFilter",
	"AddDisabledFilter", "SetFilterFunc", "FilterRow", "ClearFilters",
	"AddHiddenColumn", "IsHiddenColumn", "ClearHiddenColumns", "Query",
}

// String returns the formatter method name of the operation.
func (o Op) String() string {
	if o < numOps {
		return opNames[o]
	}
	return fmt.Sprintf("Op(%d)", uint8(o))
}

// Call is one decoded formatter call. Which fields are used depends on Op:
//
//   - Str holds the string arguments in the method's order (a name or key,
//     then formats and values); formatter.Null stands for a C NULL.
//   - Args holds Decoration's arguments (string or int64), or the row of
//     FilterRow (strings).
//   - U is the unsigned argument (KVUint, ArrayItemUint, filters), I the
//     signed one (KVInt), N a small integer (wrap, column, type, filter
//     function seed), B the boolean, Mode the mode of SetMode.
type Call struct {
	Op   Op
	Str  []string
	Args []any
	U    uint64
	I    int64
	N    int
	B    bool
	Mode apimode.Mode
}

// Program is a formatter call sequence decoded from fuzz bytes.
type Program struct {
	Mode      apimode.Mode // initial mode
	Compact   bool         // initial compact flag
	SendFails bool         // the sink fails every Send (mode 2 then sends a second packet)
	Calls     []Call
}

// maxDecorArgs bounds the arguments of one Decoration call.
const maxDecorArgs = 8

// The encoding, byte by byte. The first byte is the header: mode = (b&3)%3,
// compact = bit 2, send fails = bit 3. Then calls follow until the input
// ends: an operation byte (taken modulo the number of operations) and its
// arguments:
//
//   - string: a length byte L; L = 0xFF is Null, L = 0xFE is followed by a
//     two-byte little-endian length, otherwise L bytes follow (fewer if the
//     input ends);
//   - integer: a byte k; k < 0xF8 is the value k, otherwise k-0xF7 bytes
//     follow (1 to 8, little-endian);
//   - small integer: one byte, as int8 (wrap, column, type);
//   - bool: one byte, low bit;
//   - Decoration: format, count byte (modulo 9), then per argument a tag
//     byte (low bit set: integer, else string) and the value;
//   - FilterRow: count byte (modulo 9), then that many strings.
//
// Every byte string decodes to some program, so the fuzzer explores calls,
// not parse errors.
const (
	strNull = 0xFF
	strLong = 0xFE
	intWide = 0xF8
)

type decoder struct {
	b []byte
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *decoder) str() string {
	n := int(d.byte())
	switch n {
	case strNull:
		return formatter.Null
	case strLong:
		n = int(d.byte()) | int(d.byte())<<8
	}
	n = min(n, len(d.b))
	s := string(d.b[:n])
	d.b = d.b[n:]
	return s
}

func (d *decoder) uint() uint64 {
	k := d.byte()
	if k < intWide {
		return uint64(k)
	}
	var v uint64
	for i := range int(k - intWide + 1) {
		v |= uint64(d.byte()) << (8 * i)
	}
	return v
}

func (d *decoder) small() int { return int(int8(d.byte())) }

func (d *decoder) bool() bool { return d.byte()&1 == 1 }

// Decode turns fuzz bytes into a Program. It never fails.
func Decode(data []byte) Program {
	d := decoder{b: data}
	h := d.byte()
	p := Program{Mode: apimode.Mode((h & 3) % 3), Compact: h&4 != 0, SendFails: h&8 != 0}
	for len(d.b) > 0 {
		c := Call{Op: Op(d.byte() % byte(numOps))}
		switch c.Op {
		case OpDecoration:
			c.Str = []string{d.str()}
			for range int(d.byte() % (maxDecorArgs + 1)) {
				if d.bool() {
					c.Args = append(c.Args, int64(d.uint()))
				} else {
					c.Args = append(c.Args, d.str())
				}
			}
		case OpObjectStart, OpObjectStartCS, OpObjectEnd, OpArrayStart, OpArrayEnd,
			OpArrayItemString, OpArrayItemText, OpMessage:
			c.Str = []string{d.str(), d.str()}
		case OpArrayItemBool:
			c.B = d.bool()
			c.Str = []string{d.str()}
		case OpArrayItemUint:
			c.U = d.uint()
			c.Str = []string{d.str()}
		case OpKVBool:
			c.Str = []string{d.str(), d.str(), d.str()}
			c.B = d.bool()
		case OpKVUint:
			c.Str = []string{d.str(), d.str(), d.str()}
			c.U = d.uint()
		case OpKVInt:
			c.Str = []string{d.str(), d.str(), d.str()}
			c.I = int64(d.uint())
		case OpKVString:
			c.Str = []string{d.str(), d.str(), d.str(), d.str()}
		case OpKVStringWrap:
			c.Str = []string{d.str(), d.str(), d.str(), d.str()}
			c.N = d.small()
		case OpFinalizeResult, OpSetCompact:
			c.B = d.bool()
		case OpSetMode:
			c.Mode = apimode.Mode(d.byte() % 3)
		case OpAddLimitFilter, OpAddOffsetFilter:
			c.U = d.uint()
		case OpAddACLFilter, OpAddResourceFilter, OpAddEnabledFilter, OpAddDisabledFilter:
			c.N = d.small()
			c.I = int64(d.small())
		case OpSetFilterFunc:
			c.N = int(d.byte())
		case OpFilterRow:
			for range int(d.byte() % 9) {
				c.Args = append(c.Args, d.str())
			}
		case OpAddHiddenColumn, OpIsHiddenColumn:
			c.N = d.small()
		}
		p.Calls = append(p.Calls, c)
	}
	return p
}

// encoder is the inverse of decoder.
type encoder struct {
	b []byte
}

func (e *encoder) byte(c byte) { e.b = append(e.b, c) }

func (e *encoder) str(s string) {
	switch {
	case s == formatter.Null:
		e.byte(strNull)
	case len(s) < strLong:
		e.byte(byte(len(s)))
		e.b = append(e.b, s...)
	default:
		n := min(len(s), math.MaxUint16)
		e.b = append(e.b, strLong, byte(n), byte(n>>8))
		e.b = append(e.b, s[:n]...)
	}
}

func (e *encoder) uint(v uint64) {
	if v < intWide {
		e.byte(byte(v))
		return
	}
	var buf [8]byte
	binary.LittleEndian.PutUint64(buf[:], v)
	n := 8
	for n > 1 && buf[n-1] == 0 {
		n--
	}
	e.byte(byte(intWide + n - 1))
	e.b = append(e.b, buf[:n]...)
}

func (e *encoder) small(n int) { e.byte(byte(int8(n))) }

func (e *encoder) bool(b bool) {
	if b {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

// Encode returns bytes that Decode turns back into p. Strings longer than
// 65535 bytes are cut, wrap widths and columns are cut to int8.
func (p Program) Encode() []byte {
	var e encoder
	h := byte(p.Mode % 3)
	if p.Compact {
		h |= 4
	}
	if p.SendFails {
		h |= 8
	}
	e.byte(h)
	for _, c := range p.Calls {
		e.byte(byte(c.Op))
		switch c.Op {
		case OpDecoration:
			e.str(c.Str[0])
			e.byte(byte(min(len(c.Args), maxDecorArgs)))
			for _, a := range c.Args[:min(len(c.Args), maxDecorArgs)] {
				switch a := a.(type) {
				case int64:
					e.bool(true)
					e.uint(uint64(a))
				case string:
					e.bool(false)
					e.str(a)
				default:
					e.bool(false)
					e.str(fmt.Sprint(a))
				}
			}
		case OpObjectStart, OpObjectStartCS, OpObjectEnd, OpArrayStart, OpArrayEnd,
			OpArrayItemString, OpArrayItemText, OpMessage:
			e.str(c.Str[0])
			e.str(c.Str[1])
		case OpArrayItemBool:
			e.bool(c.B)
			e.str(c.Str[0])
		case OpArrayItemUint:
			e.uint(c.U)
			e.str(c.Str[0])
		case OpKVBool, OpKVUint, OpKVInt:
			e.str(c.Str[0])
			e.str(c.Str[1])
			e.str(c.Str[2])
			switch c.Op {
			case OpKVBool:
				e.bool(c.B)
			case OpKVUint:
				e.uint(c.U)
			default:
				e.uint(uint64(c.I))
			}
		case OpKVString, OpKVStringWrap:
			for _, s := range c.Str[:4] {
				e.str(s)
			}
			if c.Op == OpKVStringWrap {
				e.small(c.N)
			}
		case OpFinalizeResult, OpSetCompact:
			e.bool(c.B)
		case OpSetMode:
			e.byte(byte(c.Mode % 3))
		case OpAddLimitFilter, OpAddOffsetFilter:
			e.uint(c.U)
		case OpAddACLFilter, OpAddResourceFilter, OpAddEnabledFilter, OpAddDisabledFilter:
			e.small(c.N)
			e.small(int(c.I))
		case OpSetFilterFunc:
			e.byte(byte(c.N))
		case OpFilterRow:
			e.byte(byte(min(len(c.Args), 8)))
			for _, a := range c.Args[:min(len(c.Args), 8)] {
				s, _ := a.(string)
				e.str(s)
			}
		case OpAddHiddenColumn, OpIsHiddenColumn:
			e.small(c.N)
		}
	}
	return e.b
}

// FromScript converts a golden call script into a Program (for seeding the
// corpora with the oracle cases).
func FromScript(s *golden.Script) (Program, error) {
	p := Program{Mode: s.Header.Mode, Compact: s.Header.Compact, SendFails: s.Header.SendFails}
	for _, gc := range s.Calls {
		a := gc.Args
		str := func(i int) string { return a[i].(string) }
		var c Call
		switch gc.Method {
		case "Decoration":
			c = Call{Op: OpDecoration, Str: []string{str(0)}}
			for _, x := range a[1:] {
				c.Args = append(c.Args, x)
			}
		case "ObjectStart":
			c = Call{Op: OpObjectStart, Str: []string{str(0), str(1)}}
			if len(a) > 2 && a[2].(bool) {
				c.Op = OpObjectStartCS
			}
		case "ObjectEnd", "ArrayStart", "ArrayEnd":
			op := map[string]Op{"ObjectEnd": OpObjectEnd, "ArrayStart": OpArrayStart, "ArrayEnd": OpArrayEnd}[gc.Method]
			c = Call{Op: op, Str: []string{str(0), str(1)}}
		case "ArrayItemBool":
			c = Call{Op: OpArrayItemBool, B: a[0].(bool), Str: []string{str(1)}}
		case "ArrayItemUint":
			c = Call{Op: OpArrayItemUint, U: a[0].(uint64), Str: []string{str(1)}}
		case "ArrayItemString":
			c = Call{Op: OpArrayItemString, Str: []string{str(0), str(1)}}
			if len(a) > 2 && !a[2].(bool) {
				c.Op = OpArrayItemText
			}
		case "KVBool":
			c = Call{Op: OpKVBool, Str: []string{str(0), str(1), str(3)}, B: a[2].(bool)}
		case "KVUint":
			c = Call{Op: OpKVUint, Str: []string{str(0), str(1), str(3)}, U: a[2].(uint64)}
		case "KVInt":
			c = Call{Op: OpKVInt, Str: []string{str(0), str(1), str(3)}, I: a[2].(int64)}
		case "KVString":
			c = Call{Op: OpKVString, Str: []string{str(0), str(1), str(2), str(3)}}
			if len(a) > 4 {
				c.Op = OpKVStringWrap
				c.N = a[4].(int)
				if c.N != int(int8(c.N)) {
					return p, fmt.Errorf("line %d: wrap %d does not fit the fuzz encoding", gc.Line, c.N)
				}
			}
		case "Message":
			c = Call{Op: OpMessage, Str: []string{str(0), str(1)}}
		case "SendBuffer":
			c = Call{Op: OpSendBuffer}
		case "AddLimitFilter":
			c = Call{Op: OpAddLimitFilter, U: a[0].(uint64)}
		case "AddOffsetFilter":
			c = Call{Op: OpAddOffsetFilter, U: a[0].(uint64)}
		case "FinalizeResult":
			c = Call{Op: OpFinalizeResult, B: a[0].(bool)}
		case "SetMode":
			c = Call{Op: OpSetMode, Mode: a[0].(apimode.Mode)}
		case "SetCompact":
			c = Call{Op: OpSetCompact, B: a[0].(bool)}
		default:
			return p, fmt.Errorf("line %d: method %q has no fuzz encoding", gc.Line, gc.Method)
		}
		p.Calls = append(p.Calls, c)
	}
	return p, nil
}

// FilterFunc returns the deterministic filter function selected by seed
// (nil for 0): its verdict depends on the seed, the filter and the row.
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

// Apply makes the call on f and returns what the call returned, if it
// returns something (an error, a bool).
func (c *Call) Apply(f *formatter.Formatter) (err error, result bool) {
	s := func(i int) string {
		if i < len(c.Str) {
			return c.Str[i]
		}
		return ""
	}
	switch c.Op {
	case OpDecoration:
		f.Decoration(s(0), c.Args...)
	case OpObjectStart:
		f.ObjectStart(s(0), s(1))
	case OpObjectStartCS:
		f.ObjectStartCaseSensitive(s(0), s(1))
	case OpObjectEnd:
		f.ObjectEnd(s(0), s(1))
	case OpArrayStart:
		f.ArrayStart(s(0), s(1))
	case OpArrayEnd:
		f.ArrayEnd(s(0), s(1))
	case OpArrayItemBool:
		f.ArrayItemBool(c.B, s(0))
	case OpArrayItemUint:
		f.ArrayItemUint(c.U, s(0))
	case OpArrayItemString:
		f.ArrayItemString(s(0), s(1))
	case OpArrayItemText:
		f.ArrayItemText(s(0), s(1))
	case OpKVBool:
		f.KVBool(s(0), s(1), c.B, s(2))
	case OpKVUint:
		f.KVUint(s(0), s(1), c.U, s(2))
	case OpKVInt:
		f.KVInt(s(0), s(1), c.I, s(2))
	case OpKVString:
		f.KVString(s(0), s(1), s(2), s(3))
	case OpKVStringWrap:
		f.KVStringWrap(s(0), s(1), s(2), s(3), c.N)
	case OpMessage:
		err = f.Message(s(0), s(1))
	case OpSendBuffer:
		err = f.SendBuffer()
	case OpFinalizeResult:
		err = f.FinalizeResult(c.B)
	case OpSetMode:
		f.SetMode(c.Mode)
	case OpSetCompact:
		f.SetCompact(c.B)
	case OpAddLimitFilter:
		f.AddLimitFilter(c.U)
	case OpAddOffsetFilter:
		f.AddOffsetFilter(c.U)
	case OpAddACLFilter:
		f.AddACLFilter(c.N, int(c.I))
	case OpAddResourceFilter:
		f.AddResourceFilter(c.N, int(c.I))
	case OpAddEnabledFilter:
		f.AddEnabledFilter(c.N, int(c.I))
	case OpAddDisabledFilter:
		f.AddDisabledFilter(c.N, int(c.I))
	case OpSetFilterFunc:
		f.SetFilterFunc(FilterFunc(c.N))
	case OpFilterRow:
		row := make([]string, len(c.Args))
		for i, a := range c.Args {
			row[i], _ = a.(string)
		}
		result = f.FilterRow(row)
	case OpClearFilters:
		f.ClearFilters()
	case OpAddHiddenColumn:
		f.AddHiddenColumn(c.N)
	case OpIsHiddenColumn:
		result = f.IsHiddenColumn(c.N)
	case OpClearHiddenColumns:
		f.ClearHiddenColumns()
	case OpQuery:
		result = f.HasErrorMessage()
		_ = f.HasFilters()
		_ = f.HasACLFilters()
		_ = f.Filters()
		_ = f.RowsFiltered()
		_ = f.Err()
		_ = f.Mode()
		_ = f.Compact()
	}
	return err, result
}

// String renders the program readably, one call per line, in the style of
// the golden call scripts: arguments in the method's order, JSON strings
// (invalid UTF-8 as {"hex": ...}), null for formatter.Null, and 64-bit
// integers as decimal strings. It is meant for bug reports.
func (p Program) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"mode":%d,"compact":%t,"send_fails":%t}`+"\n", p.Mode, p.Compact, p.SendFails)
	for _, c := range p.Calls {
		args := []string{`"` + c.Op.String() + `"`}
		str := func(i int) string {
			if i < len(c.Str) {
				return jsonString(c.Str[i])
			}
			return `""`
		}
		u := fmt.Sprintf(`"%d"`, c.U)
		switch c.Op {
		case OpDecoration:
			args = append(args, str(0))
			for _, a := range c.Args {
				if s, ok := a.(string); ok {
					args = append(args, jsonString(s))
				} else {
					args = append(args, fmt.Sprintf(`"%d"`, a))
				}
			}
		case OpArrayItemBool:
			args = append(args, fmt.Sprint(c.B), str(0))
		case OpArrayItemUint:
			args = append(args, u, str(0))
		case OpKVBool:
			args = append(args, str(0), str(1), fmt.Sprint(c.B), str(2))
		case OpKVUint:
			args = append(args, str(0), str(1), u, str(2))
		case OpKVInt:
			args = append(args, str(0), str(1), fmt.Sprintf(`"%d"`, c.I), str(2))
		case OpKVStringWrap:
			args = append(args, str(0), str(1), str(2), str(3), fmt.Sprint(c.N))
		case OpFinalizeResult, OpSetCompact:
			args = append(args, fmt.Sprint(c.B))
		case OpSetMode:
			args = append(args, fmt.Sprint(uint8(c.Mode)))
		case OpAddLimitFilter, OpAddOffsetFilter:
			args = append(args, u)
		case OpAddACLFilter, OpAddResourceFilter, OpAddEnabledFilter, OpAddDisabledFilter:
			args = append(args, fmt.Sprint(c.N), fmt.Sprint(c.I))
		case OpSetFilterFunc, OpAddHiddenColumn, OpIsHiddenColumn:
			args = append(args, fmt.Sprint(c.N))
		case OpFilterRow:
			for _, a := range c.Args {
				s, _ := a.(string)
				args = append(args, jsonString(s))
			}
		default:
			for i := range c.Str {
				args = append(args, str(i))
			}
		}
		b.WriteString("[" + strings.Join(args, ",") + "]\n")
	}
	return b.String()
}

func jsonString(s string) string {
	if s == formatter.Null {
		return "null"
	}
	if !utf8.ValidString(s) {
		return fmt.Sprintf(`{"hex":"%x"}`, s)
	}
	j, _ := json.Marshal(s)
	return string(j)
}
