package formatter

import "unicode/utf8"

// rewrap rebuilds a key/value string value for the given wrap width, as the
// Director does before a value reaches any output mode: wrap < 0 leaves the
// value alone; otherwise tabs and newlines collapse to single blanks, a
// blank at the start of the value (or of a wrapped line) is dropped and, in
// mode 0 with wrap > 0, lines are broken ("\n\t") at blanks past the wrap
// width and after '|', but not inside [...] or <...>, nor before a '|'.
func rewrap(v string, wrap int, breaking bool) string {
	if wrap < 0 {
		return v
	}
	breaking = breaking && wrap > 0
	out := make([]byte, 0, len(v)+len(v)/8)
	open, inLine := 0, 0
	for i := 0; i < len(v); i++ {
		inLine++
		c := v[i]
		var next byte
		if i+1 < len(v) {
			next = v[i+1]
		}
		switch c {
		case ' ':
			if breaking && inLine >= wrap && open <= 0 && next != '|' {
				out = append(out, '\n', '\t')
				inLine = 0
			} else if inLine > 1 {
				out = append(out, ' ')
			}
		case '|':
			out = append(out, '|')
			if breaking && open <= 0 {
				out = append(out, '\n', '\t')
				inLine = 0
			}
		case '[', '<':
			open++
			out = append(out, c)
		case ']', '>':
			open--
			out = append(out, c)
		case '\n', '\t':
			if inLine > 1 && next != '\n' && next != '\t' && next != ' ' {
				out = append(out, ' ')
			}
		default:
			out = append(out, c)
		}
	}
	return string(out)
}

// jsonEscape maps each byte to its JSON escape letter as jansson writes it:
// 0 means "copy as is", 'u' means \u00XX with uppercase hex.
var jsonEscape = func() (t [256]byte) {
	for c := 0; c < 0x20; c++ {
		t[c] = 'u'
	}
	t['"'] = '"'
	t['\\'] = '\\'
	t['\b'] = 'b'
	t['\f'] = 'f'
	t['\n'] = 'n'
	t['\r'] = 'r'
	t['\t'] = 't'
	return t
}()

const hexUpper = "0123456789ABCDEF"

// appendEscaped appends s with jansson's escaping (without quotes). s must be
// valid UTF-8; non-ASCII characters, '/', DEL, '<', '>' and '&' are raw.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		e := jsonEscape[s[i]]
		if e == 0 {
			continue
		}
		dst = append(dst, s[start:i]...)
		if e == 'u' {
			dst = append(dst, '\\', 'u', '0', '0', hexUpper[s[i]>>4], hexUpper[s[i]&15])
		} else {
			dst = append(dst, '\\', e)
		}
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// appendRepairedEscaped appends s with invalid UTF-8 repaired the way the
// Director's utfcpp replace_invalid does, then escaped: valid sequences are
// copied; a stray continuation byte or a byte F8..FF becomes one U+FFFD;
// a lead byte that does not start a valid sequence becomes one U+FFFD that
// also swallows the continuation bytes directly following it.
func appendRepairedEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			j := i + 1
			for j < len(s) && s[j] < utf8.RuneSelf {
				j++
			}
			dst = appendEscaped(dst, s[i:j])
			i = j
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r != utf8.RuneError || size > 1 {
			dst = append(dst, s[i:i+size]...)
			i += size
			continue
		}
		dst = append(dst, "\uFFFD"...)
		i++
		if c >= 0xC0 && c <= 0xF7 {
			for i < len(s) && s[i]&0xC0 == 0x80 {
				i++
			}
		}
	}
	return dst
}
