package formatter

import "encoding/binary"

// Token tags of the JSON result arena. A token is a tag byte, then (for a
// member of an object) the uvarint id of its key, then its payload.
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

// arena is an append-only list of byte chunks holding JSON tokens in
// document order. A token never straddles two chunks, so a reader walks
// each chunk on its own. Chunks grow from small (the small answers that
// dominate a session stay in one reused chunk) to chunkMax; nothing is ever
// copied when the arena grows.
type arena struct {
	full [][]byte
	cur  []byte
	size int // bytes in full chunks

	budget Budget // accounts the chunks; may be nil
	held   int    // bytes the budget granted
	over   error  // the budget refused a chunk: the result is discarded
}

const (
	chunkMin = 1 << 10
	chunkMax = 1 << 20
)

// room makes sure the current chunk has n free bytes and returns it.
func (a *arena) room(n int) []byte {
	if cap(a.cur)-len(a.cur) >= n {
		return a.cur
	}
	next := chunkMin
	if len(a.cur) > 0 || len(a.full) > 0 {
		a.full = append(a.full, a.cur)
		a.size += len(a.cur)
		next = min(2*cap(a.cur), chunkMax)
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
	a.cur = make([]byte, 0, c)
	return a.cur
}

// Len reports the number of token bytes stored.
func (a *arena) Len() int { return a.size + len(a.cur) }

// reset empties the arena, keeping one small chunk for reuse, and gives
// the budget back what it granted (the small chunk kept is not counted).
// It does not forget a refusal (over): the document does, when the result
// was sent.
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
}

// put appends a token without payload.
func (a *arena) put(tag byte, key uint32, keyed bool) {
	b := a.room(1 + binary.MaxVarintLen32)
	b = append(b, tag)
	if keyed {
		b = binary.AppendUvarint(b, uint64(key))
	}
	a.cur = b
}

// putUint appends an integer token.
func (a *arena) putUint(tag byte, key uint32, keyed bool, v uint64) {
	b := a.room(1 + binary.MaxVarintLen32 + binary.MaxVarintLen64)
	b = append(b, tag)
	if keyed {
		b = binary.AppendUvarint(b, uint64(key))
	}
	a.cur = binary.AppendUvarint(b, v)
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
	b := a.room(1 + binary.MaxVarintLen32 + binary.MaxVarintLen64 + len(s))
	b = append(b, tStr)
	if keyed {
		b = binary.AppendUvarint(b, uint64(key))
	}
	b = binary.AppendUvarint(b, uint64(len(s)))
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
	chunk int // index into a.full; len(a.full) means a.cur
	buf   []byte
}

func (a *arena) reader() reader {
	r := reader{a: a}
	r.buf = r.chunkBytes(0)
	return r
}

func (r *reader) chunkBytes(i int) []byte {
	if i < len(r.a.full) {
		return r.a.full[i]
	}
	if i == len(r.a.full) {
		return r.a.cur
	}
	return nil
}

// next decodes the next token; keyed says whether it is an object member.
// ok is false at the end of the arena.
func (r *reader) next(keyed bool) (t token, ok bool) {
	for len(r.buf) == 0 {
		if r.chunk >= len(r.a.full) {
			return t, false
		}
		r.chunk++
		r.buf = r.chunkBytes(r.chunk)
	}
	b := r.buf
	t.tag = b[0]
	b = b[1:]
	if t.tag == tEnd {
		r.buf = b
		return t, true
	}
	if keyed {
		k, n := binary.Uvarint(b)
		t.key = uint32(k)
		b = b[n:]
	}
	switch t.tag {
	case tStr:
		l, n := binary.Uvarint(b)
		t.str = b[n : n+int(l)]
		b = b[n+int(l):]
	case tInt, tNeg:
		v, n := binary.Uvarint(b)
		t.num = v
		b = b[n:]
	}
	r.buf = b
	return t, true
}
