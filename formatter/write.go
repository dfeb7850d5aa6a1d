package formatter

import (
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
)

// writer serializes JSON the way jansson 2.14's json_dumps does (indented
// by 2 or compact) straight into packets of at most MaxSend bytes.
//
// The rules, all of them in this file:
//
//   - a member or item is preceded by a comma unless it is the first of its
//     container, then (indented) by a newline and two blanks per level;
//   - a member's key is followed by ": " (indented) or ":" (compact);
//   - a container opens with its bracket; it closes with a newline and the
//     indentation of its own level (indented, and only when it is not
//     empty), then its bracket: "{}" and "[]" for empty ones;
//   - strings are written between quotes as escaped when stored
//     (appendEscaped in text.go); integers in decimal, negatives with '-';
//     booleans as true and false; nothing ends with a newline.
//
// The same writer renders a stretch of the result for a worker of the
// parallel serializer (parallel.go); its output then goes to hand instead
// of the sink.
type writer struct {
	buf     []byte
	compact bool
	depth   int
	first   bool      // no member written yet in the innermost container
	keyText []byte    // keyTable.text: the members' key prefixes
	keyAt   []keyText // keyTable.at
	objs    []bool    // the open containers of the result: true for an object

	spillAt int                 // spill when buf reaches this length
	hand    func([]byte) []byte // a worker's: takes buf on spill, returns the next
	total   int                 // bytes produced
	sink    Sink                // receives the packets
	last    []byte              // the last packet emitted (the whole text when total < MaxSend)
	err     error               // first send error; output after it is only counted
}

// indentText is a newline and the indentation of indentMax levels.
const indentMax = 32

var indentText = "\n" + strings.Repeat("  ", indentMax)

// newline appends a newline and the indentation of depth levels, unless
// the output is compact.
func newline(b []byte, depth int, compact bool) []byte {
	if compact {
		return b
	}
	if depth <= indentMax {
		return append(b, indentText[:1+2*depth]...)
	}
	b = append(b, indentText...)
	for depth -= indentMax; depth > 0; depth -= indentMax {
		b = append(b, indentText[1:1+2*min(depth, indentMax)]...)
	}
	return b
}

// sep starts a member or item: comma, newline and indentation.
func (w *writer) sep() {
	if !w.first {
		w.buf = append(w.buf, ',')
	}
	w.first = false
	w.buf = newline(w.buf, w.depth, w.compact)
}

// key starts a member with a quoted key.
func (w *writer) key(quoted string) {
	w.sep()
	w.buf = append(w.buf, quoted...)
	if w.compact {
		w.buf = append(w.buf, ':')
	} else {
		w.buf = append(w.buf, ':', ' ')
	}
}

func (w *writer) open(c byte) {
	w.buf = append(w.buf, c)
	w.depth++
	w.first = true
}

func (w *writer) close(c byte) {
	w.depth--
	if !w.first {
		w.buf = newline(w.buf, w.depth, w.compact)
	}
	w.buf = append(w.buf, c)
	w.first = false
	if len(w.buf) >= w.spillAt {
		w.spill()
	}
}

func (w *writer) str(esc []byte) {
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, esc...)
	w.buf = append(w.buf, '"')
	if len(w.buf) >= w.spillAt {
		w.spill()
	}
}

// indentBlock is a newline and the indentation of blockDepth levels, in
// a block that is copied whole (the writer keeps room for it) and then
// cut to the length the depth needs.
const blockDepth = 15

var indentBlock = func() (b [32]byte) {
	b[0] = '\n'
	for i := 1; i < len(b); i++ {
		b[i] = ' '
	}
	return b
}()

// room is the space the writer makes sure of before a token, besides two
// bytes per level of indentation: a comma, the newline and the
// indentation block, a key block of keyPad bytes, and a value: a quote
// and a string block of 32 bytes, or at most 21 bytes of a number.
const room = 1 + len(indentBlock) + keyPad + 1 + 32

// stretch writes the tokens in b, a stretch of the result's arena whose
// nesting w.objs, w.depth and w.first describe, and leaves them
// describing the nesting after it. It applies the rules above, writing
// each token into reserved room, with fixed-size block copies where it
// can; only the writer's hottest state lives in locals.
func (w *writer) stretch(b []byte) {
	buf, depth, first := w.buf, w.depth, w.first
	obj := w.objs[len(w.objs)-1]
	for i := 0; i < len(b); {
		if len(buf) >= w.spillAt || cap(buf)-len(buf) < room+2*depth {
			buf = w.makeRoom(buf, depth)
		}
		n := len(buf)
		dst := buf[n:cap(buf)]
		j := 0
		h := b[i]
		i++
		tag := h>>tagShift + 1
		if tag == tEnd {
			depth--
			if !first && !w.compact {
				if depth <= blockDepth {
					copy32(dst, indentBlock[:])
					j = 1 + 2*depth
				} else {
					j = indentDeep(dst, depth)
				}
			}
			dst[j] = '}'
			if !obj {
				dst[j] = ']'
			}
			buf = buf[:n+j+1]
			first = false
			w.objs = w.objs[:len(w.objs)-1]
			obj = w.objs[len(w.objs)-1]
			continue
		}
		if !first {
			dst[0] = ','
			j = 1
		}
		first = false
		if !w.compact {
			if depth <= blockDepth {
				copy32(dst[j:], indentBlock[:])
				j += 1 + 2*depth
			} else {
				j += indentDeep(dst[j:], depth)
			}
		}
		if obj {
			k := uint32(h & keyEsc)
			if k == keyEsc {
				var x uint64
				x, i = uvarint(b, i)
				k += uint32(x)
			}
			kt := w.keyAt[k]
			kn := int(kt.n)
			if w.compact {
				kn-- // `"key":`
			}
			if kn > keyPad {
				buf = append(buf[:n+j], w.keyText[kt.off:int(kt.off)+kn]...)
				buf = w.makeRoom(buf, depth)
				n, j = len(buf), 0
				dst = buf[n:cap(buf)]
			} else {
				copy32(dst[j:], w.keyText[kt.off:])
				j += kn
			}
		}
		switch tag {
		case tInt, tNeg:
			var v uint64
			v, i = uvarint(b, i)
			if tag == tNeg {
				dst[j] = '-'
				j++
			}
			// putDec, its usual cases written out (no call in this loop)
			if nd := decLen(v); nd <= 8 {
				binary.LittleEndian.PutUint64(dst[j:], digits8(v)>>uint(64-8*nd))
				j += nd
			} else if nd <= 16 {
				hi := v / 1e8
				binary.LittleEndian.PutUint64(dst[j:], digits8(hi)>>uint(128-8*nd))
				binary.LittleEndian.PutUint64(dst[j+nd-8:], digits8(v-hi*1e8))
				j += nd
			} else {
				j += putDec(dst[j:], v)
			}
		case tStr:
			var l uint64
			l, i = uvarint(b, i)
			if l <= 30 && i+32 <= len(b) {
				dst[j] = '"'
				copy32(dst[j+1:], b[i:])
				j += 1 + int(l)
				dst[j] = '"'
				j++
			} else {
				buf = append(buf[:n+j], '"')
				buf = append(buf, b[i:i+int(l)]...)
				buf = append(buf, '"')
				n, j = len(buf), 0
			}
			i += int(l)
		case tObj, tArr:
			obj = tag == tObj
			dst[j] = '{'
			if !obj {
				dst[j] = '['
			}
			j++
			depth++
			first = true
			w.objs = append(w.objs, obj)
		case tTrue:
			j += copy(dst[j:], "true")
		case tFalse:
			j += copy(dst[j:], "false")
		}
		buf = buf[:n+j]
	}
	w.buf, w.depth, w.first = buf, depth, first
}

// makeRoom spills buf when it is full and makes sure it has room for a
// token at the given depth.
func (w *writer) makeRoom(buf []byte, depth int) []byte {
	if len(buf) >= w.spillAt {
		w.buf = buf
		w.spill()
		buf = w.buf
	}
	return slices.Grow(buf, room+2*depth)
}

// copy32 copies the first 32 bytes of src to dst, as four 8-byte words
// (the compiler turns each into one load or store).
func copy32(dst, src []byte) {
	_, _ = dst[31], src[31]
	a := binary.LittleEndian.Uint64(src)
	b := binary.LittleEndian.Uint64(src[8:])
	c := binary.LittleEndian.Uint64(src[16:])
	d := binary.LittleEndian.Uint64(src[24:])
	binary.LittleEndian.PutUint64(dst, a)
	binary.LittleEndian.PutUint64(dst[8:], b)
	binary.LittleEndian.PutUint64(dst[16:], c)
	binary.LittleEndian.PutUint64(dst[24:], d)
}

// indentDeep writes a newline and the indentation of depth levels (more
// than blockDepth) into dst, which has room for them, and returns their
// length.
//
//go:noinline
func indentDeep(dst []byte, depth int) int {
	n := 1 + 2*depth
	dst[0] = '\n'
	for i := 1; i < n; i += copy(dst[i:n], indentBlock[1:]) {
	}
	return n
}

// pow10 holds the powers of ten that fit in a uint64.
var pow10 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// putDec writes v in decimal (as strconv.FormatUint(v, 10)) into dst,
// which has room for 20 digits and 8 bytes more, and returns its length.
func putDec(dst []byte, v uint64) int {
	n := decLen(v)
	switch {
	case n <= 8:
		binary.LittleEndian.PutUint64(dst, digits8(v)>>uint(64-8*n))
	case n <= 16:
		hi := v / 1e8
		binary.LittleEndian.PutUint64(dst, digits8(hi)>>uint(128-8*n))
		binary.LittleEndian.PutUint64(dst[n-8:], digits8(v-hi*1e8))
	default:
		hi := v / 1e16
		binary.LittleEndian.PutUint64(dst, digits8(hi)>>uint(192-8*n))
		v -= hi * 1e16
		lo := v / 1e8
		binary.LittleEndian.PutUint64(dst[n-16:], digits8(lo))
		binary.LittleEndian.PutUint64(dst[n-8:], digits8(v-lo*1e8))
	}
	return n
}

// decLen returns the number of decimal digits of v.
func decLen(v uint64) int {
	t := bits.Len64(v) * 1233 >> 12 // log10(v), or one less
	if v < pow10[t] {
		return max(t, 1)
	}
	return t + 1
}

// digits8 returns the eight decimal digits of v < 10^8, with leading
// zeros, as ASCII bytes in memory order (the first digit in the lowest
// byte), computed in parallel in the lanes of one word: v splits into two
// 4-digit halves (32-bit lanes), each into two 2-digit quarters (16-bit
// lanes), each into two digits (8-bit lanes). Quotients by 100 and by 10
// are multiplications: n/100 = n*5243>>19 for n < 10^4, n/10 = n*103>>10
// for n < 100, and no lane's product reaches the next lane.
func digits8(v uint64) uint64 {
	x := v/10000 | (v%10000)<<32
	h := (x * 5243 >> 19) & 0x0000007F0000007F
	x = h | (x-h*100)<<16
	t := (x * 103 >> 10) & 0x000F000F000F000F
	return (t | (x-t*10)<<8) + 0x3030303030303030
}

// spill hands full packets to the sink (or, in a worker, buf to hand).
func (w *writer) spill() {
	if w.hand != nil {
		w.buf = w.hand(w.buf)
		return
	}
	for len(w.buf) >= MaxSend {
		w.emit(w.buf[:MaxSend])
		w.buf = w.buf[:copy(w.buf, w.buf[MaxSend:])]
	}
}

// write adds p, the output of a worker, to the packets.
func (w *writer) write(p []byte) {
	if len(w.buf) > 0 {
		n := min(MaxSend-len(w.buf), len(p))
		w.buf = append(w.buf, p[:n]...)
		p = p[n:]
		if len(w.buf) < MaxSend {
			return
		}
		w.emit(w.buf)
		w.buf = w.buf[:0]
	}
	for len(p) >= MaxSend {
		w.emit(p[:MaxSend])
		p = p[MaxSend:]
	}
	w.buf = append(w.buf, p...)
}

func (w *writer) emit(p []byte) {
	w.total += len(p)
	w.last = p
	if w.err == nil {
		w.err = w.sink.Send(p)
	}
}

// flush hands the rest to the sink.
func (w *writer) flush() {
	w.spill()
	if len(w.buf) > 0 {
		w.emit(w.buf)
		w.buf = w.buf[:0]
	}
}

// tokens writes the members of the result object, which w has just opened.
func (w *writer) tokens(a *arena) {
	if n := workerCount(a); n > 0 && a.reserveParallel(n) {
		defer a.releaseParallel(n)
		w.tokensParallel(a, n)
		return
	}
	w.objs = append(w.objs[:0], true)
	for i := range a.chunks() {
		w.stretch(a.chunk(i))
	}
}
