package formatter

import (
	"encoding/binary"
	"slices"
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

	// pre and post again, in blocks that are copied whole, when both are
	// at most blockText bytes long (short).
	short       bool
	preN, postN int
	preB, postB [blockText]byte
}

const blockText = 16

const (
	formatCacheBits = 6
	formatCacheSize = 1 << formatCacheBits
)

// formatCache holds the parsed formats, one slot per hash of the format's
// address and length: the same string constants come again and again. It
// also holds the text of the keys of key/value calls as their formats
// printed them.
type formatCache struct {
	formats [formatCacheSize]textFormat
	keys    [2 * formatCacheSize]printedKey // two ways: slots h and h^1
	next    [formatCacheSize / 64]uint64    // per pair: the way to fill next
}

// printedKey is the text of a key printed through its format, when that is
// short. A slot is valid for the very strings (address and length) it
// names: strings are immutable, so their text is the same.
type printedKey struct {
	format, key string
	n           int // length of the text; 0: none
	b           [32]byte
}

// key returns the slot of format and key (not ""): the one holding their
// text (n > 0), or the one to keep it in (n == 0).
func (c *formatCache) key(format, key string) *printedKey {
	h := (uint64(uintptr(unsafe.Pointer(unsafe.StringData(format)))+uintptr(len(format)))*31 +
		uint64(uintptr(unsafe.Pointer(unsafe.StringData(key)))+uintptr(len(key)))) * 0x9E3779B97F4A7C15 >> (64 - formatCacheBits)
	if e := &c.keys[2*h]; e.is(format, key) {
		return e
	}
	if e := &c.keys[2*h+1]; e.is(format, key) {
		return e
	}
	way := c.next[h/64] >> (h % 64) & 1
	c.next[h/64] ^= 1 << (h % 64)
	e := &c.keys[2*h+way]
	e.n = 0
	return e
}

// is reports whether e holds the text of these very strings.
func (e *printedKey) is(format, key string) bool {
	return e.n > 0 && len(e.format) == len(format) && unsafe.StringData(e.format) == unsafe.StringData(format) &&
		len(e.key) == len(key) && unsafe.StringData(e.key) == unsafe.StringData(key)
}

// set keeps text as the text of format and key, if it is short.
func (e *printedKey) set(format, key string, text []byte) {
	e.n = 0
	if len(text) > 0 && len(text) <= len(e.b) {
		e.format, e.key = format, key
		e.n = copy(e.b[:], text)
	}
}

// appendTo appends the kept text to dst.
func (e *printedKey) appendTo(dst []byte) []byte {
	n := len(dst)
	if cap(dst)-n < len(e.b) {
		dst = slices.Grow(dst, len(e.b))
	}
	copy32(dst[n:cap(dst)], e.b[:])
	return dst[:n+e.n]
}

// get returns the parsed form of format (not "").
func (c *formatCache) get(format string) *textFormat {
	h := uint64(uintptr(unsafe.Pointer(unsafe.StringData(format)))+uintptr(len(format))) * 0x9E3779B97F4A7C15 >> (64 - formatCacheBits)
	e := &c.formats[h]
	if len(e.format) != len(format) || unsafe.StringData(e.format) != unsafe.StringData(format) {
		c.fill(e, format)
	}
	return e
}

// fill makes e the parsed form of format, unless it is already (the same
// text at another address).
func (c *formatCache) fill(e *textFormat, format string) {
	if e.format != format {
		*e = parseTextFormat(format)
	}
	e.format = format
}

// parseTextFormat parses format, telling whether it has the common shape.
func parseTextFormat(format string) textFormat {
	e := textFormat{format: format}
	j := strings.IndexByte(format, '%')
	if j < 0 {
		e.simple, e.pre = true, format
		e.setBlocks()
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
	e.setBlocks()
	return e
}

func (e *textFormat) setBlocks() {
	if len(e.pre) <= blockText && len(e.post) <= blockText {
		e.short = true
		e.preN = copy(e.preB[:], e.pre)
		e.postN = copy(e.postB[:], e.post)
	}
}

// appendStr appends the format with the string argument s; ok is false
// when the format does not take this path.
func (e *textFormat) appendStr(dst []byte, s string) (_ []byte, ok bool) {
	if !e.simple || e.conv == 'd' {
		return dst, false
	}
	if e.conv == 0 {
		return append(dst, e.pre...), true
	}
	if s == Null { // glibc prints "(null)" only where it fits the precision
		s = "(null)"
		if e.prec >= 0 && e.prec < len(s) {
			s = ""
		}
	}
	if e.prec >= 0 && e.prec < len(s) {
		s = s[:e.prec]
	}
	pad := max(e.width-len(s), 0)
	if !e.short || pad > len(blankBlock) {
		dst = append(dst, e.pre...)
		if !e.minus {
			dst = appendBlanks(dst, pad)
		}
		dst = append(dst, s...)
		if e.minus {
			dst = appendBlanks(dst, pad)
		}
		return append(dst, e.post...), true
	}
	// The usual case: the literals and the padding are copied as blocks
	// into reserved room.
	n := len(dst)
	if cap(dst)-n < 2*blockText+len(blankBlock)+len(s) {
		dst = slices.Grow(dst, 2*blockText+len(blankBlock)+len(s))
	}
	b := dst[n:cap(dst)]
	copy16(b, e.preB[:])
	j := e.preN
	if !e.minus {
		copy32(b[j:], blankBlock[:])
		j += pad
	}
	j += copy(b[j:], s)
	if e.minus {
		copy32(b[j:], blankBlock[:])
		j += pad
	}
	copy16(b[j:], e.postB[:])
	return dst[:n+j+e.postN], true
}

// appendInt appends the format with the integer argument of magnitude u
// (negative if neg); ok is false when the format does not take this path.
func (e *textFormat) appendInt(dst []byte, u uint64, neg bool) (_ []byte, ok bool) {
	if !e.simple || e.conv == 's' {
		return dst, false
	}
	if e.conv == 0 {
		return append(dst, e.pre...), true
	}
	if !e.short || e.width >= 0 || e.prec >= 0 {
		var nb [24]byte
		dst = append(dst, e.pre...)
		dst = appendCInt(dst, nb[:putDec(nb[:], u)], neg, e.width, e.prec, e.minus, e.zero, false, false)
		return append(dst, e.post...), true
	}
	// The usual plain %d: literals as blocks, digits in place.
	n := len(dst)
	if cap(dst)-n < 2*blockText+32 {
		dst = slices.Grow(dst, 2*blockText+32)
	}
	b := dst[n:cap(dst)]
	copy16(b, e.preB[:])
	j := e.preN
	if neg {
		b[j] = '-'
		j++
	}
	j += putDec(b[j:], u)
	copy16(b[j:], e.postB[:])
	return dst[:n+j+e.postN], true
}

var blankBlock = [32]byte{
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
	' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ',
}

// appendBlanks appends n blanks.
func appendBlanks(dst []byte, n int) []byte {
	for ; n > len(blankBlock); n -= len(blankBlock) {
		dst = append(dst, blankBlock[:]...)
	}
	return append(dst, blankBlock[:n]...)
}

// copy16 copies the first 16 bytes of src to dst, as two 8-byte words.
func copy16(dst, src []byte) {
	_, _ = dst[15], src[15]
	a := binary.LittleEndian.Uint64(src)
	b := binary.LittleEndian.Uint64(src[8:])
	binary.LittleEndian.PutUint64(dst, a)
	binary.LittleEndian.PutUint64(dst[8:], b)
}
