package uacontext

import "fmt"

// sprintf formats like C printf for the conversions Director messages use
// and like package fmt for everything else: %s and %d take the flags '-'
// and '0', a width and a precision counted in bytes (not characters), a
// string argument equal to formatter.Null prints "(null)", and %% is a
// percent sign. Other verbs, and arguments of other types, go to fmt.
func sprintf(format string, args ...any) string {
	var dst []byte
	argi := 0
	next := func() (any, bool) {
		if argi >= len(args) {
			return nil, false
		}
		a := args[argi]
		argi++
		return a, true
	}
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			dst = append(dst, c)
			i++
			continue
		}
		start := i
		i++
		var minus, zero bool
		for i < len(format) && (format[i] == '-' || format[i] == '0' || format[i] == '+' || format[i] == ' ' || format[i] == '#') {
			minus = minus || format[i] == '-'
			zero = zero || format[i] == '0'
			i++
		}
		var width int
		width, i = digits(format, i)
		prec := -1
		if i < len(format) && format[i] == '.' {
			prec, i = digits(format, i+1)
		}
		if i >= len(format) {
			dst = append(dst, "%!(NOVERB)"...)
			break
		}
		verb := format[i]
		i++
		spec := format[start:i]
		if verb == '%' {
			dst = append(dst, '%')
			continue
		}
		arg, ok := next()
		if !ok {
			dst = append(dst, "%!"...)
			dst = append(dst, verb)
			dst = append(dst, "(MISSING)"...)
			continue
		}
		var body string
		switch {
		case verb == 's' && isString(arg):
			body = arg.(string)
			if body == null {
				body = "(null)"
			}
			if prec >= 0 && prec < len(body) {
				body = body[:prec]
			}
			zero = false
		case verb == 'd' && isInteger(arg):
			body = fmt.Sprint(arg)
			if prec >= 0 {
				neg := body[0] == '-'
				if neg {
					body = body[1:]
				}
				for len(body) < prec {
					body = "0" + body
				}
				if prec == 0 && body == "0" {
					body = ""
				}
				if neg {
					body = "-" + body
				}
				zero = false
			}
		default:
			dst = append(dst, fmt.Sprintf(spec, arg)...)
			continue
		}
		dst = pad(dst, body, width, minus, zero)
	}
	if argi < len(args) {
		dst = append(dst, "%!(EXTRA "...)
		for j, a := range args[argi:] {
			if j > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, fmt.Sprintf("%T=%v", a, a)...)
		}
		dst = append(dst, ')')
	}
	return string(dst)
}

func digits(s string, i int) (int, int) {
	n := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		if n < 1<<20 {
			n = n*10 + int(s[i]-'0')
		}
		i++
	}
	return n, i
}

// pad appends body to dst padded to width bytes.
func pad(dst []byte, body string, width int, minus, zero bool) []byte {
	fill := width - len(body)
	switch {
	case fill <= 0:
		return append(dst, body...)
	case minus:
		dst = append(dst, body...)
		for ; fill > 0; fill-- {
			dst = append(dst, ' ')
		}
		return dst
	case zero:
		if len(body) > 0 && body[0] == '-' {
			dst = append(dst, '-')
			body = body[1:]
		}
		for ; fill > 0; fill-- {
			dst = append(dst, '0')
		}
		return append(dst, body...)
	default:
		for ; fill > 0; fill-- {
			dst = append(dst, ' ')
		}
		return append(dst, body...)
	}
}

func isString(a any) bool {
	_, ok := a.(string)
	return ok
}

func isInteger(a any) bool {
	switch a.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, uintptr:
		return true
	}
	return false
}
