package formatter

import (
	"unicode/utf8"
	"unsafe"
)

// doc is the mode-2 result under construction: the result object and the
// container stack of the reference formatter.
//
// As long as every call appends at the end of the document (the normal
// case: objects and arrays are filled while they are open), the result is
// kept as compact tokens in an arena, in document order. The two calls
// that change earlier parts of the document — a key/value for a key that
// already exists (replaced in place) and ObjectStart on an existing key
// (re-opened) — switch the document to a tree (slow but general) for the
// rest of the result; see tree.go.
type doc struct {
	toks    arena
	keys    keyTable
	frames  []frame
	top     int                 // the frame of the innermost container: frames[top] is not an alias
	ids     []uint32            // key ids from 64 up of the open objects, by frame (frame.keys)
	nconts  int                 // containers started, for mapping frames to tree nodes
	rootSet map[uint32]struct{} // the result object's key set once its frame is popped
	rootIDs uint64              // and its key ids below 64
	tree    *tree               // non-nil once the document left the token form
	esc     []byte              // reused buffer for escaping a string value
}

// frame is one entry of the container stack in token form. An object's
// key ids below 64 (the keys of almost every result) are a bit set; the
// others are listed in doc.ids.
type frame struct {
	kind  byte                // tObj, tArr or tDetached
	alias bool                // the same container as the frame below (nameless ObjectStart)
	small uint64              // bit id: this object has the key id (id < 64)
	keys  int                 // start of this object's other key ids in doc.ids
	cont  int                 // container number (0 = the result object)
	set   map[uint32]struct{} // those key ids again, once there are many
}

// bigObject is the member count from which an object's keys are also kept
// in a map, so that huge objects stay linear to build.
const bigObject = 24

func (d *doc) init() {
	d.toks.reset()
	clear(d.frames)
	d.frames = append(d.frames[:0], frame{kind: tObj})
	d.top = 0
	d.rootSet = nil
	d.rootIDs = 0
	d.ids = d.ids[:0]
	d.nconts = 0
}

func (d *doc) reset() {
	d.toks.over = nil
	d.tree = nil
	if d.keys.tooBig() {
		d.keys = keyTable{}
	}
	d.init()
}

// base returns the index of the frame owning the container of frame i.
func (d *doc) base(i int) int {
	for d.frames[i].alias {
		i--
	}
	return i
}

// has reports whether the innermost object has the key id.
func (d *doc) has(id uint32) bool {
	f := &d.frames[d.top]
	if id < 64 {
		return f.small>>id&1 != 0
	}
	if f.set != nil {
		_, ok := f.set[id]
		return ok
	}
	for _, k := range d.ids[f.keys:] {
		if k == id {
			return true
		}
	}
	return false
}

// add records the key id as a member of the innermost object.
func (d *doc) add(id uint32) {
	f := &d.frames[d.top]
	if id < 64 {
		f.small |= 1 << id
		return
	}
	d.ids = append(d.ids, id)
	if f.set != nil {
		f.set[id] = struct{}{}
		return
	}
	if n := len(d.ids) - f.keys; n >= bigObject {
		f.set = make(map[uint32]struct{}, 2*n)
		for _, k := range d.ids[f.keys:] {
			f.set[k] = struct{}{}
		}
	}
}

// pushFrame puts f on the container stack.
func (d *doc) pushFrame(f frame) {
	d.frames = append(d.frames, f)
	if !f.alias {
		d.top = len(d.frames) - 1
	}
}

// push opens a container of the token form.
func (d *doc) push(kind byte) {
	c := 0
	if kind != tDetached {
		d.nconts++
		c = d.nconts
	}
	d.pushFrame(frame{kind: kind, keys: len(d.ids), cont: c})
}

// objectStart implements ObjectStart; name == Null means nameless.
func (d *doc) objectStart(name string, caseSensitive bool) {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	if d.tree != nil {
		d.tree.objectStart(&d.keys, name, caseSensitive)
		return
	}
	n := len(d.frames)
	if n == 0 {
		return
	}
	top := d.frames[n-1]
	if name == Null {
		switch top.kind {
		case tArr:
			d.toks.put(tObj, 0, false)
			d.push(tObj)
		default: // the object itself (merging) or a detached container
			f := top
			f.alias = true
			d.pushFrame(f)
		}
		return
	}
	if top.kind != tObj {
		d.pushFrame(frame{kind: tDetached})
		return
	}
	id, ok := d.keys.lookup(name, !caseSensitive)
	if !ok {
		d.pushFrame(frame{kind: tDetached})
		return
	}
	if d.has(id) {
		d.toTree().objectStart(&d.keys, name, caseSensitive)
		return
	}
	d.toks.put(tObj, id, true)
	d.add(id)
	d.push(tObj)
}

// arrayStart implements ArrayStart; name == Null is the empty key.
func (d *doc) arrayStart(name string) {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	if d.tree != nil {
		d.tree.arrayStart(&d.keys, name)
		return
	}
	n := len(d.frames)
	if n == 0 {
		return
	}
	top := d.frames[n-1]
	if top.kind == tDetached {
		d.pushFrame(frame{kind: tDetached})
		return
	}
	if top.kind != tObj {
		return
	}
	if name == Null {
		name = ""
	}
	id, ok := d.keys.lookup(name, true)
	if !ok {
		d.pushFrame(frame{kind: tDetached})
		return
	}
	if d.has(id) {
		return
	}
	d.toks.put(tArr, id, true)
	d.add(id)
	d.push(tArr)
}

// end implements ObjectEnd and ArrayEnd: pop one entry, whatever it is.
func (d *doc) end() {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	if d.tree != nil {
		d.tree.end()
		return
	}
	n := len(d.frames)
	if n == 0 {
		return
	}
	f := d.frames[n-1]
	d.frames = d.frames[:n-1]
	if n == 1 {
		d.rootSet, d.rootIDs = f.set, f.small
	} else if !f.alias {
		d.top = d.base(n - 2)
	}
	if f.alias || f.kind == tDetached || n == 1 {
		return
	}
	d.toks.put(tEnd, 0, false)
	if f.kind == tObj {
		d.ids = d.ids[:f.keys]
	}
}

// value is a scalar for kv and item.
type value struct {
	tag byte   // tStr, tInt, tNeg, tTrue, tFalse
	num uint64 // tInt/tNeg magnitude
	str string // tStr: the raw string (valid UTF-8 or to be repaired)
}

// kv implements the ObjectKeyValue family; key == Null is the empty key.
func (d *doc) kv(key string, v value) {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	if d.tree != nil {
		d.tree.kv(&d.keys, key, v)
		return
	}
	if len(d.frames) == 0 || d.frames[d.top].kind != tObj {
		return
	}
	if key == Null {
		key = ""
	}
	id, ok := d.keys.lookup(key, true)
	if !ok {
		return
	}
	if d.has(id) {
		d.toTree().kv(&d.keys, key, v)
		return
	}
	d.add(id)
	d.put(id, true, v)
}

// member is the fast path of the key/value calls: it returns the id of
// key (lowercased) and records it as a member of the innermost object,
// when the document is in token form, that object is open, the key is in
// the key cache with an id that fits a token's header (below keyEsc) and
// the object does not have it yet. Otherwise ok is false and the call
// takes the general path (kv). It calls nothing.
func (d *doc) member(key string) (id uint32, ok bool) {
	if d.tree != nil || len(d.frames) == 0 {
		return 0, false
	}
	f := &d.frames[d.top]
	if f.kind != tObj {
		return 0, false
	}
	id, ok = d.keys.cached(key)
	if !ok || id >= keyEsc || f.small>>id&1 != 0 {
		return 0, false
	}
	f.small |= 1 << id
	return id, true
}

// kvInt and kvStr are kv for an integer and a string value.
func (d *doc) kvInt(key string, v int64) {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	tag, u := tInt, uint64(v)
	if v < 0 {
		tag, u = tNeg, uint64(-v) // -MinInt64 wraps to 1<<63: right magnitude
	}
	if id, ok := d.member(key); ok {
		if !d.toks.putMember(tag, id, u) {
			d.toks.putUint(tag, id, true, u)
		}
		return
	}
	d.kv(key, value{tag: tag, num: u})
}

func (d *doc) kvStr(key, s string) {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	if id, ok := d.member(key); ok {
		d.put(id, true, value{tag: tStr, str: s})
		return
	}
	d.kv(key, value{tag: tStr, str: s})
}

// item implements ArrayItem.
func (d *doc) item(v value) {
	if d.toks.over != nil {
		return // the result is being discarded (see Budget)
	}
	if d.tree != nil {
		d.tree.item(v)
		return
	}
	n := len(d.frames)
	if n == 0 || d.frames[n-1].kind != tArr {
		return
	}
	d.put(0, false, v)
}

func (d *doc) put(id uint32, keyed bool, v value) {
	switch v.tag {
	case tStr:
		if clean(v.str) {
			putStr(&d.toks, id, keyed, v.str)
			return
		}
		d.esc = appendRepairedEscaped(d.esc[:0], v.str)
		putStr(&d.toks, id, keyed, d.esc)
	case tInt, tNeg:
		d.toks.putUint(v.tag, id, keyed, v.num)
	default:
		d.toks.put(v.tag, id, keyed)
	}
}

// clean reports whether s is printable ASCII without '"' and '\\', i.e.
// stored and written as it is. It looks at eight bytes at a time (the
// last word overlapping the one before).
func clean(s string) bool {
	if len(s) < 8 {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	for i := 0; i < len(s)-8; i += 8 {
		if !cleanWord(word(s, i)) {
			return false
		}
	}
	return cleanWord(word(s, len(s)-8))
}

// word returns the eight bytes of s at i as a little-endian word.
func word(s string, i int) uint64 {
	_ = s[i+7]
	return uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
		uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
}

// cleanWord is clean for the eight bytes of x: a byte is bad if it is
// 0x80 or above, below 0x20, '"' or '\\', and each test sets the high bit
// of some byte if any byte is.
func cleanWord(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := x ^ (ones * '"')
	b := x ^ (ones * '\\')
	return (x|(x-ones*0x20)|(q-ones)&^q|(b-ones)&^b)&highs == 0
}

// closeAll pops every open frame (missing ends are harmless), leaving an
// empty stack; the result object can then still be extended by setRoot.
func (d *doc) closeAll() {
	if d.tree != nil {
		d.tree.frames = d.tree.frames[:0]
		return
	}
	for len(d.frames) > 0 {
		d.end()
	}
}

// rootHas reports whether the result object has the key id; it must follow
// closeAll (the ids of the result object are then all that d.ids holds).
func (d *doc) rootHas(id uint32) bool {
	if id < 64 {
		return d.rootIDs>>id&1 != 0
	}
	if s := d.rootSet; s != nil {
		_, ok := s[id]
		return ok
	}
	for _, k := range d.ids {
		if k == id {
			return true
		}
	}
	return false
}

// keyTable interns object keys: each distinct key is stored once, as
// the JSON text written before a member's value (`"key": `), in one byte
// string with keyPad spare bytes at its end, so that the writer can copy
// any prefix of up to keyPad bytes as one fixed-size block. A small cache
// indexed by the address of the caller's string makes the usual case — the
// same string constants for every row — cost one comparison.
type keyTable struct {
	ids    map[string]uint32
	text   []byte    // the key prefixes, then keyPad zero bytes
	at     []keyText // by id: the key's prefix in text
	lower  []byte
	cache  [keyCacheSize]keyCacheEntry
	recent [keyCacheSize / 64]uint64 // per slot h: slot h (not h+1) was used last
}

// keyText locates a key's prefix `"key": ` in keyTable.text.
type keyText struct{ off, n uint32 }

const keyPad = 32

const (
	keyCacheBits = 8
	keyCacheSize = 1 << keyCacheBits
)

type keyCacheEntry struct {
	key   string // as given by the caller
	id    uint32
	flags uint8 // cacheUsed, cacheLower
}

const (
	cacheUsed  = 1
	cacheLower = 2
)

// keyHash is the slot of key in the cache: Fibonacci hashing of its
// address and length (string constants are packed next to each other, so
// the low bits of the address alone collide).
func keyHash(key string) uint64 {
	return uint64(uintptr(unsafe.Pointer(unsafe.StringData(key)))+uintptr(len(key))) * 0x9E3779B97F4A7C15 >> (64 - keyCacheBits)
}

// cached is lookup(key, true) for the very string found in its first
// cache slot (same address and length); ok is false otherwise (lookup then
// decides). It calls nothing.
func (t *keyTable) cached(key string) (id uint32, ok bool) {
	h := keyHash(key)
	if c := &t.cache[h]; c.flags == cacheUsed|cacheLower && len(c.key) == len(key) &&
		unsafe.StringData(c.key) == unsafe.StringData(key) {
		t.recent[h/64] |= 1 << (h % 64)
		return c.id, true
	}
	return 0, false
}

// lookup returns the id of key (ASCII-lowercased when lower is set); ok is
// false when the key is not valid UTF-8 (such keys cannot be stored).
func (t *keyTable) lookup(key string, lower bool) (id uint32, ok bool) {
	h := keyHash(key)
	// Two-way: a key is looked for in its slot and the next one, and a new
	// entry goes to whichever of the two was not used last.
	h2 := (h + 1) % keyCacheSize
	flags := uint8(cacheUsed)
	if lower {
		flags |= cacheLower
	}
	if c := &t.cache[h]; c.flags == flags && same(c.key, key) {
		t.recent[h/64] |= 1 << (h % 64)
		return c.id, true
	}
	if c := &t.cache[h2]; c.flags == flags && same(c.key, key) {
		t.recent[h/64] &^= 1 << (h % 64)
		return c.id, true
	}
	if !utf8.ValidString(key) {
		return 0, false
	}
	id = t.id(key, lower)
	slot := h
	if t.recent[h/64]&(1<<(h%64)) != 0 {
		slot = h2
		t.recent[h/64] &^= 1 << (h % 64)
	} else {
		t.recent[h/64] |= 1 << (h % 64)
	}
	t.cache[slot] = keyCacheEntry{key: key, id: id, flags: flags}
	return id, true
}

// same is a == b, without a call when both are the same string.
func same(a, b string) bool {
	return len(a) == len(b) && (unsafe.StringData(a) == unsafe.StringData(b) || a == b)
}

// id returns the id of key (ASCII-lowercased when lower is set).
func (t *keyTable) id(key string, lower bool) uint32 {
	if lower {
		for i := 0; i < len(key); i++ {
			if c := key[i]; c >= 'A' && c <= 'Z' {
				return t.idBytes(lowerASCII(t.lower[:0], key))
			}
		}
	}
	if id, ok := t.ids[key]; ok {
		return id
	}
	return t.insert(key)
}

func (t *keyTable) idBytes(b []byte) uint32 {
	t.lower = b
	if id, ok := t.ids[string(b)]; ok {
		return id
	}
	return t.insert(string(b))
}

func (t *keyTable) insert(key string) uint32 {
	if t.ids == nil {
		t.ids = make(map[string]uint32)
	}
	id := uint32(len(t.at))
	t.ids[key] = id
	if len(t.text) >= keyPad {
		t.text = t.text[:len(t.text)-keyPad]
	}
	off := len(t.text)
	t.text = append(t.text, '"')
	t.text = appendEscaped(t.text, key)
	t.text = append(t.text, '"', ':', ' ')
	t.at = append(t.at, keyText{off: uint32(off), n: uint32(len(t.text) - off)})
	t.text = append(t.text, make([]byte, keyPad)...)
	return id
}

// tooBig reports whether the table should be dropped between results (a
// peer sending ever new keys must not grow it without bound).
func (t *keyTable) tooBig() bool { return len(t.at) > 4096 }

func lowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}
