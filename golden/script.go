package golden

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
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
// int64 for KVInt's value and integer Decoration arguments, int for the
// KVString wrap, and [apimode.Mode] for SetMode. Optional trailing arguments
// that the script leaves out are absent from Args, not filled in.
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

// argKind says how one script argument is encoded and what it decodes to.
type argKind uint8

const (
	argStr   argKind = iota // nullable string -> string (null = formatter.Null)
	argText                 // non-null string -> string
	argBool                 // JSON true/false -> bool
	argUint                 // unsigned 64-bit -> uint64
	argInt                  // signed 64-bit -> int64
	argWrap                 // int32 -> int
	argMode                 // 0, 1 or 2 -> apimode.Mode
	argDecor                // Decoration argument: int64, or string (null = formatter.Null)
)

func (k argKind) String() string {
	switch k {
	case argStr:
		return "a string or null"
	case argText:
		return "a string"
	case argBool:
		return "true or false"
	case argUint:
		return "an unsigned 64-bit integer"
	case argInt:
		return "a signed 64-bit integer"
	case argWrap:
		return "a 32-bit integer"
	case argMode:
		return "an API mode (0, 1 or 2)"
	case argDecor:
		return "a string or a signed 64-bit integer"
	}
	return "?"
}

// method describes the argument list of one scripted method.
type method struct {
	args     []argKind // positional arguments
	required int       // how many of args must be present
	variadic int       // up to this many extra argDecor arguments (Decoration)
}

// maxDecorationArgs is the most arguments the recording harness passes to
// Decoration.
const maxDecorationArgs = 8

var methods = map[string]method{
	"Decoration":      {args: []argKind{argText}, required: 1, variadic: maxDecorationArgs},
	"ObjectStart":     {args: []argKind{argStr, argStr, argBool}, required: 2},
	"ObjectEnd":       {args: []argKind{argStr, argStr}, required: 2},
	"ArrayStart":      {args: []argKind{argStr, argStr}, required: 2},
	"ArrayEnd":        {args: []argKind{argStr, argStr}, required: 2},
	"ArrayItemBool":   {args: []argKind{argBool, argStr}, required: 2},
	"ArrayItemUint":   {args: []argKind{argUint, argStr}, required: 2},
	"ArrayItemString": {args: []argKind{argStr, argStr, argBool}, required: 2},
	"KVBool":          {args: []argKind{argStr, argStr, argBool, argStr}, required: 4},
	"KVUint":          {args: []argKind{argStr, argStr, argUint, argStr}, required: 4},
	"KVInt":           {args: []argKind{argStr, argStr, argInt, argStr}, required: 4},
	"KVString":        {args: []argKind{argStr, argStr, argStr, argStr, argWrap}, required: 4},
	"Message":         {args: []argKind{argStr, argText}, required: 2},
	"SendBuffer":      {},
	"AddLimitFilter":  {args: []argKind{argUint}, required: 1},
	"AddOffsetFilter": {args: []argKind{argUint}, required: 1},
	"FinalizeResult":  {args: []argKind{argBool}, required: 1},
	"SetMode":         {args: []argKind{argMode}, required: 1},
	"SetCompact":      {args: []argKind{argBool}, required: 1},
}

// arity describes the accepted number of arguments for messages.
func (m method) arity() string {
	max := len(m.args) + m.variadic
	switch {
	case m.required == max && max == 1:
		return "1 argument"
	case m.required == max:
		return fmt.Sprintf("%d arguments", max)
	default:
		return fmt.Sprintf("%d to %d arguments", m.required, max)
	}
}

// kind returns the kind of argument i (0-based) and whether i is allowed.
func (m method) kind(i int) (argKind, bool) {
	if i < len(m.args) {
		return m.args[i], true
	}
	if i < len(m.args)+m.variadic {
		return argDecor, true
	}
	return 0, false
}

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

// decodeLine decodes exactly one JSON value from line, keeping numbers as
// json.Number.
func decodeLine(line []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	if rest := bytes.Trim(line[dec.InputOffset():], " \t\r\n"); len(rest) > 0 {
		return nil, fmt.Errorf("invalid JSON: unexpected data after the value: %.20q", rest)
	}
	return v, nil
}

func parseHeader(line []byte) (Header, *ParseError) {
	fail := func(format string, args ...any) (Header, *ParseError) {
		return Header{}, &ParseError{Err: fmt.Errorf("header: "+format, args...)}
	}
	v, err := decodeLine(line)
	if err != nil {
		return fail("%w", err)
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return fail("want a JSON object, got %s", describe(v))
	}
	var h Header
	haveMode := false
	for _, key := range sortedKeys(obj) {
		val := obj[key]
		switch key {
		case "mode":
			m, err := decodeMode(val)
			if err != nil {
				return fail("mode: %w", err)
			}
			h.Mode, haveMode = m, true
		case "compact", "send_fails":
			b, ok := val.(bool)
			if !ok {
				return fail("%s: want true or false, got %s", key, describe(val))
			}
			if key == "compact" {
				h.Compact = b
			} else {
				h.SendFails = b
			}
		case "note":
			s, ok := val.(string)
			if !ok {
				return fail("note: want a string, got %s", describe(val))
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
	v, err := decodeLine(line)
	if err != nil {
		return Call{}, &ParseError{Err: err}
	}
	arr, ok := v.([]any)
	if !ok {
		return Call{}, &ParseError{Err: fmt.Errorf("want a call [method, args...], got %s", describe(v))}
	}
	if len(arr) == 0 {
		return Call{}, &ParseError{Err: errors.New("empty call: want [method, args...]")}
	}
	name, ok := arr[0].(string)
	if !ok {
		return Call{}, &ParseError{Err: fmt.Errorf("method name: want a string, got %s", describe(arr[0]))}
	}
	m, ok := methods[name]
	if !ok {
		return Call{}, &ParseError{Err: fmt.Errorf("unknown method %.40q", name)}
	}
	raw := arr[1:]
	if len(raw) < m.required || len(raw) > len(m.args)+m.variadic {
		return Call{}, &ParseError{Method: name,
			Err: fmt.Errorf("want %s, got %d", m.arity(), len(raw))}
	}
	c := Call{Method: name, Args: make([]any, len(raw))}
	for i, a := range raw {
		k, _ := m.kind(i)
		d, err := decodeArg(k, a)
		if err != nil {
			return Call{}, &ParseError{Method: name, Arg: i + 1, Err: err}
		}
		c.Args[i] = d
	}
	return c, nil
}

// decodeArg decodes one JSON argument of kind k.
func decodeArg(k argKind, v any) (any, error) {
	switch k {
	case argStr:
		if v == nil {
			return formatter.Null, nil
		}
		return decodeString(v, k)
	case argText:
		return decodeString(v, k)
	case argBool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("want true or false, got %s", describe(v))
		}
		return b, nil
	case argUint:
		return decodeUint(v)
	case argInt:
		return decodeInt(v)
	case argWrap:
		n, err := decodeInt(v)
		if err != nil {
			return nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, fmt.Errorf("wrap %d is out of the 32-bit range", n)
		}
		return int(n), nil
	case argMode:
		return decodeMode(v)
	case argDecor:
		switch v := v.(type) {
		case nil:
			return formatter.Null, nil
		case json.Number:
			return decodeInt(v)
		default:
			return decodeString(v, k)
		}
	}
	return nil, fmt.Errorf("internal error: unknown argument kind %d", k)
}

// decodeString decodes a JSON string or a {"hex": "..."} object.
func decodeString(v any, k argKind) (string, error) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case map[string]any:
		h, ok := v["hex"]
		if !ok || len(v) != 1 {
			return "", fmt.Errorf("want %s or {\"hex\": \"...\"}, got an object with keys %q", k, sortedKeys(v))
		}
		hs, ok := h.(string)
		if !ok {
			return "", fmt.Errorf("hex: want a string of hex digits, got %s", describe(h))
		}
		b, err := hex.DecodeString(hs)
		if err != nil {
			return "", fmt.Errorf("hex: %w", err)
		}
		s = string(b)
	default:
		return "", fmt.Errorf("want %s, got %s", k, describe(v))
	}
	if i := strings.IndexByte(s, 0); i >= 0 {
		return "", fmt.Errorf("string contains a NUL byte at offset %d (C strings cannot)", i)
	}
	return s, nil
}

// digits reports whether s is a non-empty run of ASCII decimal digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decodeUint decodes an unsigned 64-bit integer given as a JSON number or a
// string of decimal digits.
func decodeUint(v any) (uint64, error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		if !digits(v) {
			return 0, fmt.Errorf("want an unsigned 64-bit integer, got the string %.40q", v)
		}
		s = v
	default:
		return 0, fmt.Errorf("want an unsigned 64-bit integer, got %s", describe(v))
	}
	if !digits(s) {
		return 0, fmt.Errorf("want an unsigned 64-bit integer, got %.40s", s)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%.40s is out of the unsigned 64-bit range", s)
	}
	return n, nil
}

// decodeInt decodes a signed 64-bit integer given as a JSON number or a
// string of decimal digits with an optional leading '-'.
func decodeInt(v any) (int64, error) {
	var s string
	switch v := v.(type) {
	case json.Number:
		s = string(v)
	case string:
		s = v
	default:
		return 0, fmt.Errorf("want a signed 64-bit integer, got %s", describe(v))
	}
	if !digits(strings.TrimPrefix(s, "-")) {
		if _, ok := v.(string); ok {
			return 0, fmt.Errorf("want a signed 64-bit integer, got the string %.40q", s)
		}
		return 0, fmt.Errorf("want a signed 64-bit integer, got %.40s", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%.40s is out of the signed 64-bit range", s)
	}
	return n, nil
}

func decodeMode(v any) (apimode.Mode, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want 0, 1 or 2, got %s", describe(v))
	}
	switch num {
	case "0":
		return apimode.Off, nil
	case "1":
		return apimode.On, nil
	case "2":
		return apimode.JSON, nil
	}
	return 0, fmt.Errorf("want 0, 1 or 2, got %.40s", string(num))
}

// describe names the JSON type of a decoded value for error messages.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case json.Number:
		return fmt.Sprintf("the number %.40s", string(v))
	case string:
		return fmt.Sprintf("the string %.40q", v)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m)) // sorted so that errors are reproducible
}
