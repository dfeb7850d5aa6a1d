// Package program is the byte encoding of the fuzz targets' input: it turns
// any byte string into a Program, a sequence of calls of the formatter's
// call surface (internal/calls) with arbitrary arguments, and back.
//
// The encoding follows the call-surface table, so a method added there is
// fuzzed without a change here. Byte by byte: the first byte is the header
// (mode = (b&3)%3, compact = bit 2, send fails = bit 3). Then calls follow
// until the input ends: a method byte (taken modulo the number of methods,
// in the table's order) and the method's arguments, each encoded by its
// kind:
//
//   - string: a length byte L; L = 0xFF is formatter.Null, L = 0xFE is
//     followed by a two-byte little-endian length, otherwise L bytes
//     follow (fewer if the input ends);
//   - unsigned and signed integer: a byte k; k < 0xF8 is the value k,
//     otherwise k-0xF7 bytes follow (1 to 8, little-endian; a signed value
//     is their two's complement);
//   - 32-bit integer (wrap, indent level, column): one byte, as int8;
//   - the resource printer's 64-bit integers: as a signed integer;
//   - bool: one byte, low bit; mode: one byte modulo 3;
//   - list: a count byte C; C = 0xFF is a null list, otherwise C modulo
//     (MaxList+1) strings follow.
//
// A method with optional parameters has, after its required arguments, a
// byte N: N modulo (number of optional parameters + 1) of them follow, in
// order. Decoration has, after its format, a count byte (modulo 9) and per
// argument a tag byte (low bit set: integer, else string) and the value.
//
// Every byte string decodes to some program, so the fuzzer explores calls,
// not parse errors, and Encode is the inverse of Decode, which lets the
// seed corpora be built from the golden oracle's call scripts
// ([FromScript]). [Program.String] prints a program as a call script.
package program

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/golden"
	"github.com/uaformat/uaformat/internal/calls"
)

// Program is a formatter call sequence decoded from fuzz bytes.
type Program struct {
	Mode      apimode.Mode // initial mode
	Compact   bool         // initial compact flag
	SendFails bool         // the sink fails every Send (mode 2 then sends a second packet)
	Calls     []calls.Call
}

// MaxList is the most items a list argument decodes to.
const MaxList = 16

const (
	strNull  = 0xFF
	strLong  = 0xFE
	intWide  = 0xF8
	listNull = 0xFF
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

func (d *decoder) arg(k calls.Kind) any {
	switch k {
	case calls.Str:
		return d.str()
	case calls.Bool:
		return d.byte()&1 == 1
	case calls.Uint:
		return d.uint()
	case calls.Int, calls.Wide:
		return int64(d.uint())
	case calls.Small:
		return int(int8(d.byte()))
	case calls.Mode:
		return apimode.Mode(d.byte() % 3)
	case calls.Decor:
		if d.byte()&1 == 1 {
			return int64(d.uint())
		}
		return d.str()
	case calls.List:
		c := d.byte()
		if c == listNull {
			return []string(nil)
		}
		list := make([]string, int(c)%(MaxList+1))
		for i := range list {
			list[i] = d.str()
		}
		return list
	}
	panic(fmt.Sprintf("program: no encoding for %v", k))
}

// Decode turns fuzz bytes into a Program. It never fails.
func Decode(data []byte) Program {
	methods := calls.Methods()
	d := decoder{b: data}
	h := d.byte()
	p := Program{Mode: apimode.Mode((h & 3) % 3), Compact: h&4 != 0, SendFails: h&8 != 0}
	for len(d.b) > 0 {
		m := methods[int(d.byte())%len(methods)]
		req := m.Required()
		var args []any
		for _, prm := range m.Params[:req] {
			args = append(args, d.arg(prm.Kind))
		}
		if opt := len(m.Params) - req; opt > 0 {
			for _, prm := range m.Params[req : req+int(d.byte())%(opt+1)] {
				args = append(args, d.arg(prm.Kind))
			}
		}
		if m.Variadic > 0 {
			for range int(d.byte()) % (m.Variadic + 1) {
				args = append(args, d.arg(calls.Decor))
			}
		}
		p.Calls = append(p.Calls, calls.Call{Method: m, Args: args})
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

func (e *encoder) bool(b bool) {
	if b {
		e.byte(1)
	} else {
		e.byte(0)
	}
}

func (e *encoder) arg(k calls.Kind, v any) {
	switch k {
	case calls.Str:
		s, _ := v.(string)
		e.str(s)
	case calls.Bool:
		b, _ := v.(bool)
		e.bool(b)
	case calls.Uint:
		u, _ := v.(uint64)
		e.uint(u)
	case calls.Int, calls.Wide:
		i, _ := v.(int64)
		e.uint(uint64(i))
	case calls.Small:
		n, _ := v.(int)
		e.byte(byte(int8(n)))
	case calls.Mode:
		m, _ := v.(apimode.Mode)
		e.byte(byte(m % 3))
	case calls.Decor:
		switch v := v.(type) {
		case int64:
			e.bool(true)
			e.uint(uint64(v))
		case string:
			e.bool(false)
			e.str(v)
		default:
			e.bool(false)
			e.str(fmt.Sprint(v))
		}
	case calls.List:
		list, _ := v.([]string)
		if list == nil {
			e.byte(listNull)
			return
		}
		list = list[:min(len(list), MaxList)]
		e.byte(byte(len(list)))
		for _, s := range list {
			e.str(s)
		}
	}
}

// Encode returns bytes that Decode turns back into p. What the encoding
// cannot hold is cut: strings to 65535 bytes, 32-bit integers to int8,
// lists to MaxList items, Decoration to 8 arguments; calls of methods
// that are not in the call-surface table are left out.
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
	index := map[*calls.Method]int{}
	for i, m := range calls.Methods() {
		index[m] = i
	}
	for _, c := range p.Calls {
		i, ok := index[c.Method]
		if !ok {
			continue
		}
		m := c.Method
		e.byte(byte(i))
		arg := func(j int) any {
			if j < len(c.Args) {
				return c.Args[j]
			}
			return nil
		}
		req := m.Required()
		for j, prm := range m.Params[:req] {
			e.arg(prm.Kind, arg(j))
		}
		if opt := len(m.Params) - req; opt > 0 {
			n := min(max(len(c.Args)-req, 0), opt)
			e.byte(byte(n))
			for j := req; j < req+n; j++ {
				e.arg(m.Params[j].Kind, arg(j))
			}
		}
		if m.Variadic > 0 {
			extra := c.Args[min(len(m.Params), len(c.Args)):]
			extra = extra[:min(len(extra), m.Variadic)]
			e.byte(byte(len(extra)))
			for _, a := range extra {
				e.arg(calls.Decor, a)
			}
		}
	}
	return e.b
}

// FromScript converts a golden call script into a Program (for seeding the
// corpora with the oracle cases). It fails for a value the encoding would
// cut (a 32-bit argument beyond int8, a list longer than MaxList).
func FromScript(s *golden.Script) (Program, error) {
	p := Program{Mode: s.Header.Mode, Compact: s.Header.Compact, SendFails: s.Header.SendFails}
	for _, gc := range s.Calls {
		m, ok := calls.Lookup(gc.Method)
		if !ok {
			return p, fmt.Errorf("line %d: unknown method %q", gc.Line, gc.Method)
		}
		for i, a := range gc.Args {
			switch a := a.(type) {
			case int:
				if a != int(int8(a)) {
					return p, fmt.Errorf("line %d: %s: argument %d (%d) does not fit the fuzz encoding", gc.Line, gc.Method, i+1, a)
				}
			case []string:
				if len(a) > MaxList {
					return p, fmt.Errorf("line %d: %s: argument %d has %d items, more than the fuzz encoding's %d", gc.Line, gc.Method, i+1, len(a), MaxList)
				}
			}
		}
		p.Calls = append(p.Calls, calls.Call{Method: m, Args: gc.Args})
	}
	return p, nil
}

// String renders the program as a call script: the header line, then one
// line per call (see calls.Call.String). It is meant for bug reports; uafmt
// replays it.
func (p Program) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, `{"mode":%d,"compact":%t,"send_fails":%t}`+"\n", p.Mode, p.Compact, p.SendFails)
	for _, c := range p.Calls {
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	return b.String()
}
