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
// print the same. A conversion without an argument is reported the way fmt
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
		// format[j] == '%': parse flags, width, precision, verb.
		k := j + 1
		var minus, zero, plus, space, sharp bool
	flags:
		for ; k < len(format); k++ {
			switch format[k] {
			case '-':
				minus = true
			case '0':
				zero = true
			case '+':
				plus = true
			case ' ':
				space = true
			case '#':
				sharp = true
			default:
				break flags
			}
		}
		width, k := atoiAt(format, k)
		if k < len(format) && format[k] == '*' { // width from the arguments
			k++
			width = starArg(args, &argi)
			if width < 0 {
				minus, width = true, min(-width, maxWidth)
			}
		}
		prec := -1
		if k < len(format) && format[k] == '.' {
			prec, k = atoiAt(format, k+1)
			if k < len(format) && format[k] == '*' {
				k++
				prec = starArg(args, &argi) // negative: as if omitted
			} else if prec < 0 {
				prec = 0
			}
		}
		// C length modifiers (%lld, %lu, %zu, ...) are accepted and ignored
		// before d, i and u, which all print the integer argument as %d:
		// Go integers carry their size and signedness.
		m := k
		for m < len(format) && strings.IndexByte("hlLqjzt", format[m]) >= 0 {
			m++
		}
		cint := m < len(format) && strings.IndexByte("diu", format[m]) >= 0
		if cint {
			k = m
		}
		if k >= len(format) {
			dst = append(dst, "%!(NOVERB)"...)
			break
		}
		verb := format[k]
		i = k + 1
		if cint {
			verb = 'd'
		}
		if verb == '%' {
			dst = append(dst, '%')
			continue
		}
		if argi >= len(args) {
			dst = append(dst, '%', '!', verb)
			dst = append(dst, "(MISSING)"...)
			continue
		}
		arg := args[argi]
		argi++
		if verb != 's' && verb != 'd' {
			// Anything else: let fmt do it, with width and precision resolved.
			dst = appendGo(dst, verb, minus, zero, plus, space, sharp, width, prec, arg)
			continue
		}
		switch {
		case verb == 's' && !plus && !space && !sharp:
			if s, ok := arg.(string); ok {
				if s == Null {
					// glibc prints "(null)" only where it fits the precision.
					s = "(null)"
					if prec >= 0 && prec < len(s) {
						s = ""
					}
				}
				if prec >= 0 && prec < len(s) {
					s = s[:prec]
				}
				dst = pad(dst, s, width, minus)
				continue
			}
		case verb == 'd' && !sharp:
			if digits, neg, ok := intText(arg); ok {
				dst = appendCInt(dst, digits, neg, width, prec, minus, zero, plus, space)
				continue
			}
		}
		dst = appendGo(dst, verb, minus, zero, plus, space, sharp, width, prec, arg)
	}
	return dst
}

// appendGo formats one argument with package fmt.
func appendGo(dst []byte, verb byte, minus, zero, plus, space, sharp bool, width, prec int, arg any) []byte {
	spec := make([]byte, 0, 16)
	spec = append(spec, '%')
	for _, f := range [...]struct {
		on bool
		c  byte
	}{{minus, '-'}, {zero, '0'}, {plus, '+'}, {space, ' '}, {sharp, '#'}} {
		if f.on {
			spec = append(spec, f.c)
		}
	}
	if width >= 0 {
		spec = strconv.AppendInt(spec, int64(width), 10)
	}
	if prec >= 0 {
		spec = append(spec, '.')
		spec = strconv.AppendInt(spec, int64(prec), 10)
	}
	spec = append(spec, verb)
	return fmt.Appendf(dst, string(spec), arg)
}

// starArg takes an int argument for a '*' width or precision, as C does;
// a missing or non-integer argument counts as -1 (no width).
func starArg(args []any, argi *int) int {
	if *argi >= len(args) {
		return -1
	}
	a := args[*argi]
	*argi++
	digits, neg, ok := intText(a)
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

// intText returns the decimal digits of an integer argument and its sign.
func intText(arg any) (digits []byte, neg bool, ok bool) {
	var buf [24]byte
	switch v := arg.(type) {
	case int:
		return absDigits(buf[:0], int64(v))
	case int8:
		return absDigits(buf[:0], int64(v))
	case int16:
		return absDigits(buf[:0], int64(v))
	case int32:
		return absDigits(buf[:0], int64(v))
	case int64:
		return absDigits(buf[:0], v)
	case uint:
		return strconv.AppendUint(buf[:0], uint64(v), 10), false, true
	case uint8:
		return strconv.AppendUint(buf[:0], uint64(v), 10), false, true
	case uint16:
		return strconv.AppendUint(buf[:0], uint64(v), 10), false, true
	case uint32:
		return strconv.AppendUint(buf[:0], uint64(v), 10), false, true
	case uint64:
		return strconv.AppendUint(buf[:0], v, 10), false, true
	case bool:
		if v {
			return append(buf[:0], '1'), false, true
		}
		return append(buf[:0], '0'), false, true
	}
	return nil, false, false
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
