package calls

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// This file is the call-script encoding of calls: one JSON array
// [method, args...] per call (golden/testdata/oracle/README.md §1.2).

// Parse decodes one call line of a script. A problem with the line as a
// whole is returned as is; a problem with one argument (or with their
// number) is an *ArgError. The error message never quotes more than 40
// bytes of the input.
func Parse(line []byte) (Call, error) {
	v, err := DecodeJSON(line)
	if err != nil {
		return Call{}, err
	}
	arr, ok := v.([]any)
	if !ok {
		return Call{}, fmt.Errorf("want a call [method, args...], got %s", Describe(v))
	}
	if len(arr) == 0 {
		return Call{}, errors.New("empty call: want [method, args...]")
	}
	name, ok := arr[0].(string)
	if !ok {
		return Call{}, fmt.Errorf("method name: want a string, got %s", Describe(arr[0]))
	}
	m, ok := Lookup(name)
	if !ok {
		return Call{}, fmt.Errorf("unknown method %.40q", name)
	}
	a, err := m.DecodeArgs(arr[1:])
	if err != nil {
		return Call{Method: m}, err
	}
	return Call{Method: m, Args: a}, nil
}

// DecodeArgs decodes the JSON arguments of a call of m (as decoded by
// [DecodeJSON]) into Go values of their kinds. The error is an *ArgError.
func (m *Method) DecodeArgs(raw []any) ([]any, error) {
	if len(raw) < m.Required() || len(raw) > m.MaxArgs() {
		return nil, &ArgError{Err: fmt.Errorf("want %s, got %d", m.arity(), len(raw))}
	}
	out := make([]any, len(raw))
	for i, r := range raw {
		k, _ := m.Kind(i)
		v, err := decodeArg(k, r)
		if err != nil {
			return nil, &ArgError{Arg: i + 1, Err: err}
		}
		out[i] = v
	}
	return out, nil
}

// DecodeJSON decodes exactly one JSON value from line, keeping numbers as
// json.Number.
func DecodeJSON(line []byte) (any, error) {
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

// decodeArg decodes one JSON argument of kind k.
func decodeArg(k Kind, v any) (any, error) {
	switch k {
	case Str:
		if v == nil {
			return formatter.Null, nil
		}
		return decodeString(v, k)
	case Bool:
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("want true or false, got %s", Describe(v))
		}
		return b, nil
	case Uint:
		return decodeUint(v)
	case Int:
		return decodeInt(v)
	case Wide:
		if n, err := decodeUint(v); err == nil {
			return int64(n), nil // 2^63 and up: modulo 2^64
		}
		return decodeInt(v)
	case Small:
		n, err := decodeInt(v)
		if err != nil {
			return nil, err
		}
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, fmt.Errorf("%d is out of the 32-bit range", n)
		}
		return int(n), nil
	case Mode:
		return DecodeMode(v)
	case Decor:
		switch v := v.(type) {
		case nil:
			return formatter.Null, nil
		case json.Number:
			return decodeInt(v)
		default:
			return decodeString(v, k)
		}
	case List:
		if v == nil {
			return []string(nil), nil
		}
		items, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("want %s, got %s", k, Describe(v))
		}
		list := make([]string, len(items))
		for i, it := range items {
			if it == nil {
				list[i] = formatter.Null
				continue
			}
			s, err := decodeString(it, Str)
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i+1, err)
			}
			list[i] = s
		}
		return list, nil
	}
	return nil, fmt.Errorf("internal error: unknown argument kind %d", k)
}

// decodeString decodes a JSON string or a {"hex": "..."} object.
func decodeString(v any, k Kind) (string, error) {
	var s string
	switch v := v.(type) {
	case string:
		s = v
	case map[string]any:
		h, ok := v["hex"]
		if !ok || len(v) != 1 {
			keys := slices.Sorted(maps.Keys(v))
			return "", fmt.Errorf("want %s or {\"hex\": \"...\"}, got an object with keys %.40q", k, keys)
		}
		hs, ok := h.(string)
		if !ok {
			return "", fmt.Errorf("hex: want a string of hex digits, got %s", Describe(h))
		}
		b, err := hex.DecodeString(hs)
		if err != nil {
			return "", fmt.Errorf("hex: %w", err)
		}
		s = string(b)
	default:
		return "", fmt.Errorf("want %s, got %s", k, Describe(v))
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
		return 0, fmt.Errorf("want an unsigned 64-bit integer, got %s", Describe(v))
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
		return 0, fmt.Errorf("want a signed 64-bit integer, got %s", Describe(v))
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

// DecodeMode decodes an API mode given as the JSON number 0, 1 or 2.
func DecodeMode(v any) (apimode.Mode, error) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, fmt.Errorf("want 0, 1 or 2, got %s", Describe(v))
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

// Describe names the JSON type of a decoded value for error messages,
// quoting at most 40 bytes of it.
func Describe(v any) string {
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

// String writes the call as a line of a call script (without the
// newline): JSON strings, {"hex": ...} for strings that are not valid
// UTF-8, null for formatter.Null, integers beyond the 53 bits JSON
// parsers keep exactly as decimal strings. Parse reads it back.
func (c Call) String() string {
	var b strings.Builder
	b.WriteByte('[')
	if c.Method == nil {
		b.WriteString("null")
	} else {
		b.WriteString(strconv.Quote(c.Method.Name))
	}
	for _, a := range c.Args {
		b.WriteByte(',')
		writeArg(&b, a)
	}
	b.WriteByte(']')
	return b.String()
}

// maxExactJSON is the largest integer every JSON parser reads exactly.
const maxExactJSON = 1<<53 - 1

func writeArg(b *strings.Builder, a any) {
	switch a := a.(type) {
	case string:
		b.WriteString(jsonString(a))
	case bool:
		b.WriteString(strconv.FormatBool(a))
	case uint64:
		if a <= maxExactJSON {
			b.WriteString(strconv.FormatUint(a, 10))
		} else {
			b.WriteString(`"` + strconv.FormatUint(a, 10) + `"`)
		}
	case int64:
		if a >= -maxExactJSON && a <= maxExactJSON {
			b.WriteString(strconv.FormatInt(a, 10))
		} else {
			b.WriteString(`"` + strconv.FormatInt(a, 10) + `"`)
		}
	case int:
		b.WriteString(strconv.Itoa(a))
	case apimode.Mode:
		b.WriteString(strconv.Itoa(int(a)))
	case []string:
		if a == nil {
			b.WriteString("null")
			return
		}
		b.WriteByte('[')
		for i, s := range a {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonString(s))
		}
		b.WriteByte(']')
	default:
		fmt.Fprintf(b, "%q", fmt.Sprint(a))
	}
}

// jsonString writes s as a JSON string, {"hex": ...}, or null.
func jsonString(s string) string {
	if s == formatter.Null {
		return "null"
	}
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return fmt.Sprintf(`{"hex":"%x"}`, s)
	}
	j, _ := json.Marshal(s) // a valid UTF-8 string always marshals
	return string(j)
}
