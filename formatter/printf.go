package formatter

import (
	"fmt"
	"strconv"
	"strings"
)

// appendf appends format, expanded with args, to dst.
//
// The conversions the Bareos Director uses, %s and %d with the flags '-'
// and '0', a width and a precision, follow C printf (glibc): widths and
// precisions count bytes, a precision may cut a multi-byte character, and
// Null prints as "(null)". %% is a percent sign. Every other verb is
// handed to package fmt with its flags, width and precision, so Go format
// strings keep working. C length modifiers before d, i and u (%lld, %lu,
// %zu, ...) are accepted, so format strings taken over from the Director
// print the same; %u of a negative signed integer prints its two's
// complement, as C does: 64-bit for int and int64, 32-bit for the smaller
// types (which C promotes to int). A conversion without an argument is reported the way fmt
// reports it; arguments without a conversion are ignored, as in C (the
// Director passes pre-formatted text as a format with an unused argument).
func appendf(dst []byte, format string, args ...any) []byte {
	argi := 0
	for i := 0; i < len(format); {
		j := i
		for j < len(format) && format[j] != '%' {
			j++
		}
		dst = append(dst, format[i:j]...)
		if j >= len(format) {
			break
		}
		sp, next := parseSpec(format, j+1)
		i = next
		if sp.starWidth {
			sp.setWidth(starArg(args, &argi))
		}
		if sp.starPrec {
			sp.prec = starArg(args, &argi) // negative: as if omitted
		}
		switch {
		case sp.verb == 0:
			return append(dst, "%!(NOVERB)"...)
		case sp.verb == '%':
			dst = append(dst, '%')
			continue
		case argi >= len(args):
			dst = append(dst, '%', '!', sp.verb)
			dst = append(dst, "(MISSING)"...)
			continue
		}
		arg := args[argi]
		argi++
		if sp.verb == 's' && sp.cString() {
			if str, ok := arg.(string); ok {
				dst = sp.appendString(dst, str)
				continue
			}
		}
		if sp.verb == 'd' && !sp.sharp {
			var nb [24]byte
			if digits, neg, ok := intText(nb[:0], arg); ok {
				if neg && sp.unsigned {
					digits, neg = twosComplement(nb[:0], arg), false
				}
				dst = sp.appendInt(dst, digits, neg)
				continue
			}
		}
		dst = sp.appendGo(dst, arg)
	}
	return dst
}

// spec is one parsed conversion: flags, width, precision and verb.
type spec struct {
	minus, zero, plus, space, sharp bool
	starWidth, starPrec             bool // '*': taken from the arguments
	width, prec                     int  // -1: not given
	verb                            byte // 0: the format ended first; 'd' also for C's i and u
	unsigned                        bool // C's u: a negative argument prints as its two's complement
}

// parseSpec parses the conversion after a '%' at format[k:] and returns
// where the text after it starts.
func parseSpec(format string, k int) (sp spec, next int) {
flags:
	for ; k < len(format); k++ {
		switch format[k] {
		case '-':
			sp.minus = true
		case '0':
			sp.zero = true
		case '+':
			sp.plus = true
		case ' ':
			sp.space = true
		case '#':
			sp.sharp = true
		default:
			break flags
		}
	}
	sp.width, k = atoiAt(format, k)
	if k < len(format) && format[k] == '*' {
		sp.starWidth = true
		k++
	}
	sp.prec = -1
	if k < len(format) && format[k] == '.' {
		sp.prec, k = atoiAt(format, k+1)
		if k < len(format) && format[k] == '*' {
			sp.starPrec = true
			k++
		} else if sp.prec < 0 {
			sp.prec = 0
		}
	}
	// C length modifiers (%lld, %lu, %zu, ...) are accepted and ignored
	// before d, i and u, which all print the integer argument as %d: Go
	// integers carry their size and signedness.
	m := k
	for m < len(format) && strings.IndexByte("hlLqjzt", format[m]) >= 0 {
		m++
	}
	if m < len(format) && strings.IndexByte("diu", format[m]) >= 0 {
		sp.verb = 'd'
		if format[m] == 'u' {
			// C prints no sign for an unsigned conversion.
			sp.unsigned, sp.plus, sp.space = true, false, false
		}
		return sp, m + 1
	}
	if k >= len(format) {
		return sp, k
	}
	sp.verb = format[k]
	return sp, k + 1
}

// setWidth applies a '*' width: negative means left-justified.
func (sp *spec) setWidth(w int) {
	sp.width = w
	if w < 0 {
		sp.minus, sp.width = true, min(-w, maxWidth)
	}
}

// cString reports whether %s is printed the C way (no Go-only flags).
func (sp *spec) cString() bool { return !sp.plus && !sp.space && !sp.sharp }

// appendString prints a string argument of %s as glibc does.
func (sp *spec) appendString(dst []byte, s string) []byte {
	if s == Null {
		// glibc prints "(null)" only where it fits the precision.
		s = "(null)"
		if sp.prec >= 0 && sp.prec < len(s) {
			s = ""
		}
	}
	if sp.prec >= 0 && sp.prec < len(s) {
		s = s[:sp.prec]
	}
	return pad(dst, s, sp.width, sp.minus)
}

// appendInt prints the digits of an integer argument of %d as glibc does.
func (sp *spec) appendInt(dst, digits []byte, neg bool) []byte {
	return appendCInt(dst, digits, neg, sp.width, sp.prec, sp.minus, sp.zero, sp.plus, sp.space)
}

// appendOne is appendf with one string (isStr) or unsigned/signed integer
// argument, without boxing it: the common formats of key/value calls ("%s:
// ", "| %-13s ", "%d\n") take this path; anything else falls back to
// appendf.
func appendOne(dst []byte, format string, isStr bool, s string, u uint64, neg bool) []byte {
	start := len(dst)
	used := false
	for i := 0; i < len(format); {
		j := i
		for j < len(format) && format[j] != '%' {
			j++
		}
		dst = append(dst, format[i:j]...)
		if j >= len(format) {
			break
		}
		sp, next := parseSpec(format, j+1)
		i = next
		if sp.verb == '%' && !sp.starWidth && !sp.starPrec {
			dst = append(dst, '%')
			continue
		}
		if used || sp.starWidth || sp.starPrec {
			return appendf(dst[:start], format, boxOne(isStr, s, u, neg))
		}
		used = true
		switch {
		case isStr && sp.verb == 's' && sp.cString():
			dst = sp.appendString(dst, s)
		case !isStr && sp.verb == 'd' && !sp.sharp:
			var nb [24]byte
			if neg && sp.unsigned {
				// u is the magnitude of a negative int64: print the
				// 64-bit two's complement.
				dst = sp.appendInt(dst, strconv.AppendUint(nb[:0], -u, 10), false)
				break
			}
			dst = sp.appendInt(dst, strconv.AppendUint(nb[:0], u, 10), neg)
		default:
			return appendf(dst[:start], format, boxOne(isStr, s, u, neg))
		}
	}
	return dst
}

// boxOne makes the argument of appendOne an interface value again.
func boxOne(isStr bool, s string, u uint64, neg bool) any {
	switch {
	case isStr:
		return s
	case neg:
		return -int64(u) // u is the magnitude; -MinInt64 wraps to itself
	default:
		return u
	}
}

// appendGo formats one argument with package fmt, width and precision
// resolved.
func (sp *spec) appendGo(dst []byte, arg any) []byte {
	f := make([]byte, 0, 16)
	f = append(f, '%')
	for _, fl := range [...]struct {
		on bool
		c  byte
	}{{sp.minus, '-'}, {sp.zero, '0'}, {sp.plus, '+'}, {sp.space, ' '}, {sp.sharp, '#'}} {
		if fl.on {
			f = append(f, fl.c)
		}
	}
	if sp.width >= 0 {
		f = strconv.AppendInt(f, int64(sp.width), 10)
	}
	if sp.prec >= 0 {
		f = append(f, '.')
		f = strconv.AppendInt(f, int64(sp.prec), 10)
	}
	f = append(f, sp.verb)
	return fmt.Appendf(dst, string(f), arg)
}

// starArg takes an int argument for a '*' width or precision, as C does;
// a missing or non-integer argument counts as -1 (no width).
func starArg(args []any, argi *int) int {
	if *argi >= len(args) {
		return -1
	}
	a := args[*argi]
	*argi++
	var nb [24]byte
	digits, neg, ok := intText(nb[:0], a)
	if !ok {
		return -1
	}
	n, err := strconv.Atoi(string(digits))
	if err != nil || n > maxWidth {
		n = maxWidth
	}
	if neg {
		return -n
	}
	return n
}

// atoiAt reads a run of decimal digits at s[i:]; it returns -1 when there
// are none. Absurd widths are capped so that a format cannot ask for
// gigabytes of padding.
func atoiAt(s string, i int) (int, int) {
	n := -1
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n < 0 {
			n = 0
		}
		if n < maxWidth {
			n = n*10 + int(s[i]-'0')
		}
	}
	if n > maxWidth {
		n = maxWidth
	}
	return n, i
}

// maxWidth bounds printf widths and precisions (C's limit is INT_MAX; a
// console line never needs more than this).
const maxWidth = 1 << 16

// intText appends the decimal digits of an integer argument to dst and
// reports its sign.
func intText(dst []byte, arg any) (digits []byte, neg bool, ok bool) {
	switch v := arg.(type) {
	case int:
		return absDigits(dst, int64(v))
	case int8:
		return absDigits(dst, int64(v))
	case int16:
		return absDigits(dst, int64(v))
	case int32:
		return absDigits(dst, int64(v))
	case int64:
		return absDigits(dst, v)
	case uint:
		return strconv.AppendUint(dst, uint64(v), 10), false, true
	case uint8:
		return strconv.AppendUint(dst, uint64(v), 10), false, true
	case uint16:
		return strconv.AppendUint(dst, uint64(v), 10), false, true
	case uint32:
		return strconv.AppendUint(dst, uint64(v), 10), false, true
	case uint64:
		return strconv.AppendUint(dst, v, 10), false, true
	case bool:
		if v {
			return append(dst, '1'), false, true
		}
		return append(dst, '0'), false, true
	}
	return nil, false, false
}

// twosComplement appends the digits of a negative signed integer argument
// read as unsigned, as C's %u prints it: int and int64 as 64-bit values,
// the smaller types as the 32-bit unsigned int they are promoted to.
func twosComplement(dst []byte, arg any) []byte {
	var v uint64
	switch a := arg.(type) {
	case int:
		v = uint64(uint(a))
	case int8:
		v = uint64(uint32(a))
	case int16:
		v = uint64(uint32(a))
	case int32:
		v = uint64(uint32(a))
	case int64:
		v = uint64(a)
	}
	return strconv.AppendUint(dst, v, 10)
}

func absDigits(dst []byte, v int64) ([]byte, bool, bool) {
	if v < 0 {
		return strconv.AppendUint(dst, uint64(-v), 10), true, true
	}
	return strconv.AppendUint(dst, uint64(v), 10), false, true
}

// appendCInt formats an integer the way glibc's %d does.
func appendCInt(dst, digits []byte, neg bool, width, prec int, minus, zero, plus, space bool) []byte {
	if prec >= 0 {
		zero = false // C ignores '0' when a precision is given
		if prec == 0 && len(digits) == 1 && digits[0] == '0' {
			digits = digits[:0]
		}
	}
	sign := ""
	switch {
	case neg:
		sign = "-"
	case plus:
		sign = "+"
	case space:
		sign = " "
	}
	zeros := 0
	if prec > len(digits) {
		zeros = prec - len(digits)
	}
	n := len(sign) + zeros + len(digits)
	if zero && !minus && width > n {
		zeros += width - n
		n = width
	}
	if !minus {
		for ; width > n; width-- {
			dst = append(dst, ' ')
		}
	}
	dst = append(dst, sign...)
	for ; zeros > 0; zeros-- {
		dst = append(dst, '0')
	}
	dst = append(dst, digits...)
	if minus {
		for ; width > n; width-- {
			dst = append(dst, ' ')
		}
	}
	return dst
}

// pad appends s padded with blanks to width bytes.
func pad(dst []byte, s string, width int, left bool) []byte {
	if !left {
		for n := len(s); n < width; n++ {
			dst = append(dst, ' ')
		}
	}
	dst = append(dst, s...)
	if left {
		for n := len(s); n < width; n++ {
			dst = append(dst, ' ')
		}
	}
	return dst
}

// Sprintf formats like the Director's printf-style helpers: %s and %d
// with C semantics (byte widths, "(null)" for Null, length modifiers),
// every other verb as package fmt does. It is the formatting the
// Formatter's own format arguments get, exported for message helpers such
// as a UA context's ErrorMsg.
func Sprintf(format string, args ...any) string {
	return string(appendf(nil, format, args...))
}

// Appendf is Sprintf appending to dst.
func Appendf(dst []byte, format string, args ...any) []byte {
	return appendf(dst, format, args...)
}
