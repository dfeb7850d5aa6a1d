package formatter

// Token tags of the JSON result. tDetached is never stored (it marks a
// container whose content is discarded); the others are stored in the
// arena as tag-1 in the top three bits of a token's first byte.
const (
	tDetached byte = iota // never stored: a container whose content is discarded
	tObj                  // object start
	tArr                  // array start
	tEnd                  // end of the innermost open container
	tStr                  // uvarint length + the JSON-escaped bytes (no quotes)
	tInt                  // uvarint of a value >= 0
	tNeg                  // uvarint of the magnitude of a value < 0
	tTrue
	tFalse
)

// A token is one header byte, an optional key extension, and its payload:
//
//	header   (tag-1)<<5 | k
//	k        the key id of an object member when it is below keyEsc; keyEsc
//	         means the id minus keyEsc follows as a uvarint; 0 for an array
//	         item and for tEnd
//	payload  tStr: uvarint length + bytes; tInt, tNeg: uvarint
//
// Whether a token is an object member follows from the container it is in,
// so the reader tracks the nesting as the writer does.
const (
	tagShift = 5
	keyEsc   = 1<<tagShift - 1
)

// arena is an append-only list of byte chunks holding JSON tokens in
// document order. A token never straddles two chunks, so a reader walks
// each chunk on its own. Chunks grow from small (the small answers that
// dominate a session stay in one reused chunk) to chunkMax; nothing is ever
// copied when the arena grows.
//
// The arena also follows the nesting of the tokens it stores and records,
// for every chunk, the nesting where the chunk starts (see mark), so that
// stretches of a large result can be serialized independently.
type arena struct {
	full  [][]byte
	cur   []byte
	size  int    // bytes in full chunks
	marks []mark // marks[i]: where chunk i starts (len(full) is cur)
	tune  *tuning
	spare chan []byte // the next chunk of the largest size, being made ready

	depth  int    // open containers below the result object
	objs   uint64 // bit d: the container at depth d is an object (d < 64; bit 0: the result object)
	opened int    // len(cur) after the last container start in cur, -1 if none

	budget Budget // accounts the chunks; may be nil
	held   int    // bytes the budget granted
	over   error  // the budget refused a chunk: the result is discarded
}

// mark is the nesting at the start of a chunk: the depth, which of the
// open containers are objects, and whether the innermost one is still
// empty. A chunk that starts deeper than 63 levels has no usable mark.
type mark struct {
	depth int
	objs  uint64
	open  bool
}

// usable reports whether the mark describes every open container.
func (m mark) usable() bool { return m.depth < 64 }

// room makes sure the current chunk has n free bytes and returns it.
func (a *arena) room(n int) []byte {
	if cap(a.cur)-len(a.cur) >= n {
		return a.cur
	}
	return a.grow(n)
}

func (a *arena) grow(n int) []byte {
	next := a.tune.chunkMin
	if len(a.cur) > 0 || len(a.full) > 0 {
		if len(a.cur) > 0 { // else a chunk too small for its first token is replaced
			a.full = append(a.full, a.cur)
			a.size += len(a.cur)
			a.marks = append(a.marks, a.mark())
		}
		next = min(2*cap(a.cur), a.tune.chunkMax)
	}
	if len(a.cur) > 0 {
		a.opened = -1 // no container start in the new chunk yet
	}
	c := max(next, n)
	if a.budget != nil && a.over == nil {
		if err := a.budget.Grow(c); err != nil {
			// The chunk is still allocated so that the token being
			// written fits; from now on the document ignores calls.
			a.over = err
		} else {
			a.held += c
		}
	}
	a.cur = a.newChunk(c)
	return a.cur
}

// reserveParallel asks the budget for the memory the parallel writer
// holds besides the arena with workers workers (its pieces of output);
// false if it refuses (the result is then written by one goroutine).
func (a *arena) reserveParallel(workers int) bool {
	if a.budget == nil {
		return true
	}
	if err := a.budget.Grow(parallelMemory(a.tune, workers)); err != nil {
		return false
	}
	return true
}

// releaseParallel gives back what reserveParallel reserved.
func (a *arena) releaseParallel(workers int) {
	if a.budget != nil {
		a.budget.Shrink(parallelMemory(a.tune, workers))
	}
}

// newChunk returns an empty chunk of the given capacity. Chunks of the
// largest size, those of a growing large result, are made ready by a
// goroutine one chunk ahead, which also makes their pages resident
// (populate): the page faults of a fresh chunk, a good part of building a
// large result, are then taken on another core while this one fills the
// current chunk, and at less cost.
func (a *arena) newChunk(size int) []byte {
	if size != a.tune.chunkMax {
		return make([]byte, 0, size)
	}
	var c []byte
	if a.spare != nil {
		c = <-a.spare
	} else {
		c = make([]byte, 0, size)
		a.spare = make(chan []byte, 1)
	}
	go prefault(a.spare, size)
	return c
}

// prefault allocates a chunk, makes its pages resident and hands it over.
func prefault(ready chan<- []byte, size int) {
	b := make([]byte, size)
	populate(b)
	ready <- b[:0]
}

// touch writes to each page of b.
func touch(b []byte) {
	for i := 0; i < len(b); i += 4096 {
		b[i] = 0
	}
}

// mark returns the nesting after the tokens stored: the innermost container
// is empty if the last token started it (or the arena is empty).
func (a *arena) mark() mark {
	return mark{depth: a.depth, objs: a.objs, open: len(a.cur) == a.opened}
}

// Len reports the number of token bytes stored.
func (a *arena) Len() int { return a.size + len(a.cur) }

// chunks returns the number of chunks; chunk(i) returns chunk i.
func (a *arena) chunks() int { return len(a.full) + 1 }

func (a *arena) chunk(i int) []byte {
	if i < len(a.full) {
		return a.full[i]
	}
	return a.cur
}

// reset empties the arena, keeping one small chunk for reuse. It also
// makes a new arena ready for use. It gives the budget back what it
// granted (the small chunk kept is not counted) but does not forget a
// refusal (over): the document does, when the result was sent.
func (a *arena) reset() {
	if a.held > 0 {
		a.budget.Shrink(a.held)
		a.held = 0
	}
	keep := a.cur
	if len(a.full) > 0 {
		keep = a.full[0]
	}
	clear(a.full)
	a.full = a.full[:0]
	a.size = 0
	if cap(keep) > 64<<10 {
		keep = nil
	}
	a.cur = keep[:0]
	a.spare = nil // a chunk still being made ready is left to the collector
	a.depth, a.objs, a.opened = 0, 1, 0
	a.marks = append(a.marks[:0], a.mark())
}

// header appends a token's header byte and key extension to b.
func header(b []byte, tag byte, key uint32, keyed bool) []byte {
	h := (tag - 1) << tagShift
	if !keyed {
		return append(b, h)
	}
	if key < keyEsc {
		return append(b, h|byte(key))
	}
	return appendUvarint(append(b, h|keyEsc), uint64(key-keyEsc))
}

// appendUvarint is binary.AppendUvarint.
func appendUvarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

// uvarint decodes a uvarint the arena wrote at b[i:]; it returns the value
// and the index after it.
func uvarint(b []byte, i int) (uint64, int) {
	c := b[i]
	if c < 0x80 {
		return uint64(c), i + 1
	}
	v := uint64(c & 0x7F)
	for s := 7; ; s += 7 {
		i++
		c = b[i]
		if c < 0x80 {
			return v | uint64(c)<<s, i + 1
		}
		v |= uint64(c&0x7F) << s
	}
}

const maxHeader = 1 + 5 // header byte and a key extension

// put appends a token without payload.
func (a *arena) put(tag byte, key uint32, keyed bool) {
	b := a.room(maxHeader)
	a.cur = header(b, tag, key, keyed)
	switch tag {
	case tObj, tArr:
		a.depth++
		if a.depth < 64 {
			if tag == tObj {
				a.objs |= 1 << a.depth
			} else {
				a.objs &^= 1 << a.depth
			}
		}
		a.opened = len(a.cur)
	case tEnd:
		a.depth--
	}
}

// putMember appends the integer token of an object member whose key id
// is below keyEsc, if the current chunk has room; it reports whether it
// did. It calls nothing.
func (a *arena) putMember(tag byte, key uint32, v uint64) bool {
	n := len(a.cur)
	if cap(a.cur)-n < 1+10 {
		return false
	}
	b := a.cur[:n+1+10]
	b[n] = (tag-1)<<tagShift | byte(key)
	n++
	for v >= 0x80 {
		b[n] = byte(v) | 0x80
		v >>= 7
		n++
	}
	b[n] = byte(v)
	a.cur = b[:n+1]
	return true
}

// putUint appends an integer token.
func (a *arena) putUint(tag byte, key uint32, keyed bool, v uint64) {
	b := a.room(maxHeader + 10)
	a.cur = appendUvarint(header(b, tag, key, keyed), v)
}

// putInt appends a signed integer token.
func (a *arena) putInt(key uint32, keyed bool, v int64) {
	if v < 0 {
		a.putUint(tNeg, key, keyed, uint64(-v)) // -MinInt64 wraps to 1<<63: right magnitude
		return
	}
	a.putUint(tInt, key, keyed, uint64(v))
}

// putStr appends a string token whose payload (already escaped, or a
// string that needs no escaping) is s.
func putStr[T ~string | ~[]byte](a *arena, key uint32, keyed bool, s T) {
	b := a.room(maxHeader + 10 + len(s))
	b = appendUvarint(header(b, tStr, key, keyed), uint64(len(s)))
	a.cur = append(b, s...)
}

// token is one decoded token.
type token struct {
	tag byte
	key uint32
	num uint64
	str []byte
}

// reader walks the tokens of an arena in order. The arena's content is
// produced only by this package, so decoding trusts it.
type reader struct {
	a     *arena
	chunk int
	buf   []byte
}

func (a *arena) reader() reader {
	return reader{a: a, buf: a.chunk(0)}
}

// next decodes the next token; keyed says whether it is an object member.
// ok is false at the end of the arena.
func (r *reader) next(keyed bool) (t token, ok bool) {
	for len(r.buf) == 0 {
		if r.chunk+1 >= r.a.chunks() {
			return t, false
		}
		r.chunk++
		r.buf = r.a.chunk(r.chunk)
	}
	t, n := decode(r.buf, 0, keyed)
	r.buf = r.buf[n:]
	return t, true
}

// decode decodes the token at b[i:] and returns the index after it.
func decode(b []byte, i int, keyed bool) (t token, next int) {
	h := b[i]
	i++
	t.tag = h>>tagShift + 1
	if t.tag == tEnd {
		return t, i
	}
	if keyed {
		t.key = uint32(h & keyEsc)
		if t.key == keyEsc {
			var k uint64
			k, i = uvarint(b, i)
			t.key += uint32(k)
		}
	}
	switch t.tag {
	case tStr:
		var l uint64
		l, i = uvarint(b, i)
		t.str = b[i : i+int(l)]
		i += int(l)
	case tInt, tNeg:
		t.num, i = uvarint(b, i)
	}
	return t, i
}
