package golden

import (
	"errors"
	"fmt"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/calls"
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

// Run executes the script's calls in order on f. Errors the formatter
// returns (a failing sink, for instance) are part of the behaviour under
// test and are not reported; Run fails only for a call whose arguments do
// not fit its method, which cannot happen for a Script from ParseScript.
// The error is then a *ParseError and no further calls are made.
func (s *Script) Run(f *formatter.Formatter) error {
	t := calls.New(f)
	for i := range s.Calls {
		c := &s.Calls[i]
		m, ok := calls.Lookup(c.Method)
		if !ok {
			return &ParseError{Line: c.Line, Err: fmt.Errorf("unknown method %.40q", c.Method)}
		}
		if _, err := (calls.Call{Method: m, Args: c.Args}).Do(t); err != nil {
			if ae, ok := errors.AsType[*calls.ArgError](err); ok {
				return &ParseError{Line: c.Line, Method: c.Method, Arg: ae.Arg, Err: ae.Err}
			}
		}
	}
	return nil
}
