package golden

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/internal/calls"
)

// Header is the first line of a call script: how the formatter is built.
type Header struct {
	Mode      apimode.Mode // API mode the formatter starts in (required)
	Compact   bool         // initial compact flag (mode 2 only)
	SendFails bool         // the sink records each packet and then fails
	Note      string       // free text, ignored when running
}

// Call is one decoded call line of a script.
//
// Args holds the arguments in script order, with these dynamic types:
// string for every string argument (a script null is [formatter.Null]),
// bool, uint64 for unsigned integers (KVUint, ArrayItemUint, filters),
// int64 for signed ones (KVInt, the resource printer's integers, integer
// Decoration arguments), int for 32-bit ones (the KVString wrap, an
// indent level, a column), []string for a list of strings (nil for a
// null list) and [apimode.Mode] for SetMode. Optional trailing arguments
// that the script leaves out are absent from Args, not filled in.
//
// The methods are those of the oracle's script format, and the rest of the
// formatter's API (filters, hidden columns) under the same names.
type Call struct {
	Line   int    // line number in the script, 1-based
	Method string // the formatter method, e.g. "KVString"
	Args   []any
}

// Script is a parsed call script.
type Script struct {
	Header Header
	Calls  []Call
}

// ParseError describes a problem in a call script. Its message has the form
// "NAME:LINE: METHOD: argument N: problem", the parts that do not apply left
// out; without a Name it starts with "line LINE:".
type ParseError struct {
	Name   string // file name, if known
	Line   int    // 1-based line number
	Method string // method of the offending call, if known
	Arg    int    // 1-based argument position after the method, or 0
	Err    error  // the problem
}

// Error formats the problem as "NAME:LINE: Method: argument N: problem".
func (e *ParseError) Error() string {
	var b strings.Builder
	if e.Name != "" {
		fmt.Fprintf(&b, "%s:%d: ", e.Name, e.Line)
	} else {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	if e.Arg > 0 {
		fmt.Fprintf(&b, "argument %d: ", e.Arg)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying problem.
func (e *ParseError) Unwrap() error { return e.Err }

// ErrSendFailed is what a failing [Recorder] returns from Send.
var ErrSendFailed = errors.New("golden: send failed (send_fails)")

// ParseFile reads and parses the call script in the named file. Errors in the
// script are *ParseError values carrying the file name; other errors
// (opening or reading the file) are not.
func ParseFile(name string) (*Script, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := ParseScript(f)
	if pe, ok := errors.AsType[*ParseError](err); ok {
		pe.Name = name
	} else if err != nil {
		err = fmt.Errorf("%s: %w", name, err)
	}
	return s, err
}

// ParseScript parses a call script (JSON Lines: a header object, then one
// [method, args...] array per line; blank lines are ignored). Problems in the
// script are reported as *ParseError with the line number, errors reading r
// are returned wrapped. ParseScript never panics, whatever the input.
func ParseScript(r io.Reader) (*Script, error) {
	br := bufio.NewReader(r)
	s := &Script{}
	haveHeader := false
	for lineNo := 1; ; lineNo++ {
		line, err := br.ReadBytes('\n')
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("golden: reading script line %d: %w", lineNo, err)
		}
		if len(bytes.Trim(line, " \t\r\n")) > 0 {
			if !haveHeader {
				h, perr := parseHeader(line)
				if perr != nil {
					perr.Line = lineNo
					return nil, perr
				}
				s.Header = h
				haveHeader = true
			} else {
				c, perr := parseCall(line)
				if perr != nil {
					perr.Line = lineNo
					return nil, perr
				}
				c.Line = lineNo
				s.Calls = append(s.Calls, c)
			}
		}
		if err == io.EOF {
			break
		}
	}
	if !haveHeader {
		return nil, &ParseError{Line: 1, Err: errors.New("empty script: missing header line")}
	}
	return s, nil
}

func parseHeader(line []byte) (Header, *ParseError) {
	fail := func(format string, args ...any) (Header, *ParseError) {
		return Header{}, &ParseError{Err: fmt.Errorf("header: "+format, args...)}
	}
	v, err := calls.DecodeJSON(line)
	if err != nil {
		return fail("%w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fail("want a JSON object, got %s", calls.Describe(v))
	}
	var h Header
	haveMode := false
	for _, key := range sortedKeys(obj) {
		val := obj[key]
		switch key {
		case "mode":
			m, err := calls.DecodeMode(val)
			if err != nil {
				return fail("mode: %w", err)
			}
			h.Mode, haveMode = m, true
		case "compact", "send_fails":
			b, ok := val.(bool)
			if !ok {
				return fail("%s: want true or false, got %s", key, calls.Describe(val))
			}
			if key == "compact" {
				h.Compact = b
			} else {
				h.SendFails = b
			}
		case "note":
			s, ok := val.(string)
			if !ok {
				return fail("note: want a string, got %s", calls.Describe(val))
			}
			h.Note = s
		default:
			return fail("unknown key %q (known: mode, compact, send_fails, note)", key)
		}
	}
	if !haveMode {
		return fail("missing required key \"mode\"")
	}
	return h, nil
}

func parseCall(line []byte) (Call, *ParseError) {
	c, err := calls.Parse(line)
	if err != nil {
		pe := &ParseError{Err: err}
		if c.Method != nil {
			pe.Method = c.Method.Name
		}
		if ae, ok := errors.AsType[*calls.ArgError](err); ok {
			pe.Arg, pe.Err = ae.Arg, ae.Err
		}
		return Call{}, pe
	}
	return Call{Method: c.Method.Name, Args: c.Args}, nil
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m)) // sorted so that errors are reproducible
}
