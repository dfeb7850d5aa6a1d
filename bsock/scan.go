package bsock

// scan matches buf (a C string: the caller cuts it at the first NUL)
// against a small scanf-like format, the way the reference daemons parse
// protocol lines. It supports:
//
//   - %s and %<width>s: a run of non-blank bytes, possibly empty, at most
//     width bytes long;
//   - %u: a run of decimal digits, possibly empty (no range check);
//   - %d: an optional '-' and a run of digits, possibly empty;
//   - a blank in the format: skips zero or more blanks in buf;
//   - any other byte must match exactly.
//
// Text after the end of the format is ignored. scan returns the captured
// fields in order and ok=false as soon as a literal does not match (the
// fields captured so far are still returned).
func scan(buf []byte, format string) (fields []string, ok bool) {
	i := 0
	at := func() byte {
		if i < len(buf) {
			return buf[i]
		}
		return 0
	}
	for f := 0; f < len(format); {
		c := format[f]
		switch {
		case c == '%':
			f++
			width := -1
			for f < len(format) && isDigit(format[f]) {
				if width < 0 {
					width = 0
				}
				width = width*10 + int(format[f]-'0')
				f++
			}
			if f >= len(format) {
				return fields, false
			}
			verb := format[f]
			f++
			start := i
			switch verb {
			case 's':
				for i < len(buf) && !isBlank(buf[i]) && (width < 0 || i-start < width) {
					i++
				}
			case 'u':
				for isDigit(at()) {
					i++
				}
			case 'd':
				if at() == '-' {
					i++
				}
				for isDigit(at()) {
					i++
				}
			default:
				return fields, false
			}
			fields = append(fields, string(buf[start:i]))
		case isBlank(c):
			f++
			for isBlank(at()) {
				i++
			}
		default:
			if at() != c {
				return fields, false
			}
			i++
			f++
		}
	}
	return fields, true
}

// isBlank reports whether b is ASCII white space as C's isspace sees it.
func isBlank(b byte) bool {
	switch b {
	case ' ', '\t', '\n', '\v', '\f', '\r':
		return true
	}
	return false
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }
