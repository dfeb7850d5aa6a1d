package formatter

import (
	"strings"
	"unsafe"
)

// Text-mode key/value formats ("%s: ", "| %-13s ", "%d\n") are parsed
// once per formatter and kept in a small cache, so that a listing of a
// million rows does not parse its handful of formats millions of times.
//
// Only formats of the common shape take this path: literal text, at most
// one %s or %d conversion with no flags but '-' and '0', a width and a
// precision, then literal text without '%'. It prints exactly what
// appendOne (printf.go) prints for them; any other format, and a
// conversion that does not fit its argument (%d of a string), goes to
// appendOne.
type textFormat struct {
	format    string // the format as given; "" for an empty slot
	simple    bool   // the format has the common shape; the rest is set
	pre, post string // the literal text around the conversion
	conv      byte   // 's', 'd', or 0 for a format without a conversion
	minus     bool   // '-': pad on the right
	zero      bool   // '0': pad %d with zeros
	width     int    // -1: none
	prec      int    // -1: none
}

const (
	formatCacheBits = 6
	formatCacheSize = 1 << formatCacheBits
)

// formatCache holds the parsed formats, one slot per hash of the format's
// address and length: the same string constants come again and again.
type formatCache [formatCacheSize]textFormat

// get returns the parsed form of format (not "").
func (c *formatCache) get(format string) *textFormat {
	h := uint64(uintptr(unsafe.Pointer(unsafe.StringData(format)))+uintptr(len(format))) * 0x9E3779B97F4A7C15 >> (64 - formatCacheBits)
	e := &c[h]
	if !same(e.format, format) {
		*e = parseTextFormat(format)
	}
	return e
}

// parseTextFormat parses format, telling whether it has the common shape.
func parseTextFormat(format string) textFormat {
	e := textFormat{format: format}
	j := strings.IndexByte(format, '%')
	if j < 0 {
		e.simple, e.pre = true, format
		return e
	}
	sp, next := parseSpec(format, j+1)
	if sp.verb != 's' && sp.verb != 'd' || format[next-1] != sp.verb ||
		strings.Trim(format[j+1:next-1], "-0123456789.") != "" ||
		sp.plus || sp.space || sp.sharp || sp.starWidth || sp.starPrec ||
		strings.IndexByte(format[next:], '%') >= 0 {
		return e // a length modifier, %i, %u, '*', another conversion, ...
	}
	e.simple = true
	e.pre, e.post = format[:j], format[next:]
	e.conv, e.minus, e.zero, e.width, e.prec = sp.verb, sp.minus, sp.zero, sp.width, sp.prec
	return e
}

// appendStr appends the format with the string argument s; ok is false
// when the format does not take this path.
func (e *textFormat) appendStr(dst []byte, s string) (_ []byte, ok bool) {
	if !e.simple || e.conv == 'd' {
		return dst, false
	}
	dst = append(dst, e.pre...)
	if e.conv == 's' {
		if s == Null { // glibc prints "(null)" only where it fits the precision
			s = "(null)"
			if e.prec >= 0 && e.prec < len(s) {
				s = ""
			}
		}
		if e.prec >= 0 && e.prec < len(s) {
			s = s[:e.prec]
		}
		pad := e.width - len(s)
		if pad > 0 && !e.minus {
			dst = appendBlanks(dst, pad)
		}
		dst = append(dst, s...)
		if pad > 0 && e.minus {
			dst = appendBlanks(dst, pad)
		}
	}
	return append(dst, e.post...), true
}

// appendInt appends the format with the integer argument of magnitude u
// (negative if neg); ok is false when the format does not take this path.
func (e *textFormat) appendInt(dst []byte, u uint64, neg bool) (_ []byte, ok bool) {
	if !e.simple || e.conv == 's' {
		return dst, false
	}
	dst = append(dst, e.pre...)
	if e.conv == 'd' {
		if e.width < 0 && e.prec < 0 {
			if neg {
				dst = append(dst, '-')
			}
			dst = appendDec(dst, u)
		} else {
			var nb [24]byte
			dst = appendCInt(dst, appendDec(nb[:0], u), neg, e.width, e.prec, e.minus, e.zero, false, false)
		}
	}
	return append(dst, e.post...), true
}

const blanks = "                                                                " // 64

// appendBlanks appends n blanks.
func appendBlanks(dst []byte, n int) []byte {
	for ; n > len(blanks); n -= len(blanks) {
		dst = append(dst, blanks...)
	}
	return append(dst, blanks[:n]...)
}

// appendDec appends v in decimal (strconv.AppendUint(dst, v, 10)).
func appendDec(dst []byte, v uint64) []byte {
	var b [24]byte
	n := putDec(b[:], v)
	return append(dst, b[:n]...)
}
