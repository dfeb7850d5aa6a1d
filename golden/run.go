package golden

import (
	"fmt"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// Recorder is a [formatter.Sink] that keeps a copy of every packet it is
// handed, like the harness that recorded the oracle.
type Recorder struct {
	// Fail makes Send return ErrSendFailed after recording the packet (the
	// script header's send_fails).
	Fail bool
	// Packets holds a copy of each packet in the order they were sent.
	Packets [][]byte
}

// Send records a copy of p. It returns ErrSendFailed if r.Fail is set.
func (r *Recorder) Send(p []byte) error {
	r.Packets = append(r.Packets, append([]byte{}, p...))
	if r.Fail {
		return ErrSendFailed
	}
	return nil
}

// Options returns the formatter options the header asks for.
func (h Header) Options() formatter.Options {
	return formatter.Options{Mode: h.Mode, Compact: h.Compact}
}

// Output runs the script on a new formatter built from its header, with a
// [Recorder] as sink (failing if the header says send_fails), and returns
// the packets sent, in order. The result compares byte for byte with the
// packets of the script's .out file (see [ReadOut]).
func (s *Script) Output() ([][]byte, error) {
	rec := &Recorder{Fail: s.Header.SendFails}
	f := formatter.New(rec, s.Header.Options())
	if err := s.Run(f); err != nil {
		return rec.Packets, err
	}
	return rec.Packets, nil
}

// Run executes the script's calls on f in order. Errors the formatter
// returns (a failing sink, for instance) are part of the behaviour under
// test and are not reported; Run fails only for a call whose arguments do
// not fit its method, which cannot happen for a Script from ParseScript.
// The error is then a *ParseError and no further calls are made.
func (s *Script) Run(f *formatter.Formatter) error {
	for i := range s.Calls {
		if err := s.Calls[i].Apply(f); err != nil {
			return err
		}
	}
	return nil
}

// Apply makes the formatter call c describes:
//
//   - ArrayItemString with format false calls ArrayItemText(v, fmt);
//   - ObjectStart with case_sensitive_name true calls ObjectStartCaseSensitive;
//   - KVString with a wrap argument calls KVStringWrap;
//   - SetMode, SetCompact, filters and the rest map one to one.
//
// Apply checks the arguments first and returns a *ParseError if their
// number or types do not fit the method (see [Call]).
func (c *Call) Apply(f *formatter.Formatter) error {
	if err := c.check(); err != nil {
		return err
	}
	a := c.Args
	str := func(i int) string { return a[i].(string) }
	switch c.Method {
	case "Decoration":
		f.Decoration(str(0), a[1:]...)
	case "ObjectStart":
		if len(a) > 2 && a[2].(bool) {
			f.ObjectStartCaseSensitive(str(0), str(1))
		} else {
			f.ObjectStart(str(0), str(1))
		}
	case "ObjectEnd":
		f.ObjectEnd(str(0), str(1))
	case "ArrayStart":
		f.ArrayStart(str(0), str(1))
	case "ArrayEnd":
		f.ArrayEnd(str(0), str(1))
	case "ArrayItemBool":
		f.ArrayItemBool(a[0].(bool), str(1))
	case "ArrayItemUint":
		f.ArrayItemUint(a[0].(uint64), str(1))
	case "ArrayItemString":
		if len(a) > 2 && !a[2].(bool) {
			f.ArrayItemText(str(0), str(1))
		} else {
			f.ArrayItemString(str(0), str(1))
		}
	case "KVBool":
		f.KVBool(str(0), str(1), a[2].(bool), str(3))
	case "KVUint":
		f.KVUint(str(0), str(1), a[2].(uint64), str(3))
	case "KVInt":
		f.KVInt(str(0), str(1), a[2].(int64), str(3))
	case "KVString":
		if len(a) > 4 {
			f.KVStringWrap(str(0), str(1), str(2), str(3), a[4].(int))
		} else {
			f.KVString(str(0), str(1), str(2), str(3))
		}
	case "Message":
		_ = f.Message(str(0), str(1))
	case "SendBuffer":
		_ = f.SendBuffer()
	case "AddLimitFilter":
		f.AddLimitFilter(a[0].(uint64))
	case "AddOffsetFilter":
		f.AddOffsetFilter(a[0].(uint64))
	case "FinalizeResult":
		_ = f.FinalizeResult(a[0].(bool))
	case "SetMode":
		f.SetMode(a[0].(apimode.Mode))
	case "SetCompact":
		f.SetCompact(a[0].(bool))
	}
	return nil
}

// check verifies that c's method exists and its arguments have the number
// and dynamic types Apply relies on.
func (c *Call) check() error {
	m, ok := methods[c.Method]
	if !ok {
		return &ParseError{Line: c.Line, Err: fmt.Errorf("unknown method %.40q", c.Method)}
	}
	if len(c.Args) < m.required || len(c.Args) > len(m.args)+m.variadic {
		return &ParseError{Line: c.Line, Method: c.Method,
			Err: fmt.Errorf("want %s, got %d", m.arity(), len(c.Args))}
	}
	for i, v := range c.Args {
		k, _ := m.kind(i)
		var ok bool
		switch k {
		case argStr, argText:
			_, ok = v.(string)
		case argBool:
			_, ok = v.(bool)
		case argUint:
			_, ok = v.(uint64)
		case argInt:
			_, ok = v.(int64)
		case argWrap:
			_, ok = v.(int)
		case argMode:
			var mode apimode.Mode
			mode, ok = v.(apimode.Mode)
			ok = ok && mode.Valid()
		case argDecor:
			switch v.(type) {
			case string, int64:
				ok = true
			}
		}
		if !ok {
			return &ParseError{Line: c.Line, Method: c.Method, Arg: i + 1,
				Err: fmt.Errorf("want %s, have %T %v", k, v, v)}
		}
	}
	return nil
}
