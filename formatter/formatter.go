// Package formatter is the Bareos Director's OUTPUT_FORMATTER in Go: the
// one object through which every console command writes its output, and
// which renders the same calls in the three API modes.
//
// In mode 0 (apimode.Off) and mode 1 (apimode.On) the calls append text
// to a buffer using their printf-style formats; ObjectEnd, SendBuffer and
// FinalizeResult send that buffer as one packet, and Message sends its text
// at once. Mode 0 also prints decorations (table borders, headers), mode 1
// does not. In mode 2 (apimode.JSON) the calls build a JSON result
// (keys lowercased) that FinalizeResult sends as one JSON-RPC 2.0 response
// object, or as the error envelope when the command failed or recorded an
// error message.
//
// The output is byte-for-byte the reference C++ formatter's (jansson 2.14
// serialization, glibc printf, utfcpp UTF-8 repair), quirks included: see
// the golden tests. A Formatter is not safe for concurrent use; a console
// connection owns one.
//
// A mode-2 result is kept as compact tokens in an append-only arena and
// serialized straight into packets of at most MaxSend bytes, so building
// and sending a result of millions of rows costs about a quarter of its
// indented text in memory. A large result is serialized by up to
// GOMAXPROCS goroutines, each rendering a stretch of it, and sent in order
// in the same packets.
package formatter

import (
	"errors"
	"fmt"

	"github.com/uaformat/uaformat/apimode"
)

// Null stands for the C NULL pointer that the reference accepts for
// nullable string arguments: a name (ObjectStart(Null, ...) starts a
// nameless object), a key, a value, an array item or a message type.
// Through a %s conversion it prints "(null)", as glibc prints a NULL
// string. Bareos passes C strings, which never contain a NUL byte, so a
// string consisting of one NUL byte cannot be a real argument.
const Null = "\x00"

// MaxSend is the largest slice handed to Sink.Send: the payload limit of
// one packet on the wire (1,000,000 bytes minus the 4-byte header). A longer
// message is sent as consecutive full packets and a shorter rest, as the
// Director's socket splits it.
const MaxSend = 999_996

// Sink receives the formatter's output. Each call of Send is one packet;
// p is only valid during the call. An error does not stop the formatter
// (the reference ignores failed sends in text modes); it is returned by
// the call that flushed, and kept for Err.
type Sink interface {
	Send(p []byte) error
}

// SinkFunc adapts a function to the Sink interface.
type SinkFunc func(p []byte) error

// Send calls fn(p).
func (fn SinkFunc) Send(p []byte) error { return fn(p) }

// Options configure a new Formatter.
type Options struct {
	// Mode is the initial API mode.
	Mode apimode.Mode
	// Compact selects compact JSON (no whitespace) in mode 2.
	Compact bool
	// Budget, if set, accounts the memory of buffered mode-2 results
	// (see Budget).
	Budget Budget
}

// Budget accounts the memory a Formatter holds for a mode-2 result that
// is not sent yet, so that a server can bound what all its connections
// hold together. The formatter asks for each piece of the result's token
// arena before it allocates it (up to 1 MiB at a time), and for the
// output buffers of the parallel writer before it uses them (otherwise it
// writes the result with one goroutine), and gives all of it back once
// the result is sent (FinalizeResult).
//
// When Grow refuses memory for the arena, the formatter discards the
// result: further calls that build it are ignored (Discarded reports
// it), and FinalizeResult sends the error envelope with an empty result
// and the error message DiscardedMessage instead (and returns
// ErrDiscarded). Text modes buffer nothing and are not accounted.
type Budget interface {
	// Grow asks for n more bytes; an error refuses them.
	Grow(n int) error
	// Shrink gives back n bytes granted before.
	Shrink(n int)
}

// DiscardedMessage is the error message of a mode-2 result discarded
// because its Budget refused memory for it.
const DiscardedMessage = "The answer was discarded: it does not fit into the memory the Director may use for answers now.\n"

// ErrDiscarded is returned by FinalizeResult for a result discarded
// because its Budget refused memory for it.
var ErrDiscarded = errors.New("formatter: result discarded: output memory budget refused")

// Message types with a meaning: an Error message turns a mode-2 result
// into the error envelope. Any other type is collected as well and shown
// (under its own name) only in an error envelope.
const (
	MsgInfo    = "info"
	MsgWarning = "warning"
	MsgError   = "error"
)

// ErrSend wraps the error of a Sink that failed.
var ErrSend = errors.New("formatter: send failed")

// Formatter renders console output for one connection. Create it with New.
type Formatter struct {
	sink    Sink
	mode    apimode.Mode
	compact bool

	text []byte       // text-mode buffer
	fmts *formatCache // parsed text-mode formats, and rendered keys
	doc  doc          // mode-2 result
	msgs []msgGroup
	out  []byte // reused serialization buffer (small results)
	nest []bool // reused nesting stack of the serializer

	filters  []Filter
	filterFn FilterFunc
	filtered uint64
	hidden   []uint64 // bitmap of hidden columns

	err error
}

// New returns a Formatter writing to sink.
func New(sink Sink, opts Options) *Formatter {
	f := &Formatter{sink: sink, mode: opts.Mode, compact: opts.Compact, fmts: new(formatCache)}
	f.doc.toks.tune = &defaultTuning
	f.doc.toks.budget = opts.Budget
	f.doc.init()
	return f
}

// Discarded reports whether the mode-2 result being built is discarded
// because its Budget refused memory for it (see Budget); FinalizeResult
// then sends the error envelope.
func (f *Formatter) Discarded() bool { return f.doc.toks.over != nil }

// SetBudget sets the Budget that accounts buffered mode-2 results (nil:
// none). It takes effect for the memory the formatter asks for from now
// on; call it between results.
func (f *Formatter) SetBudget(b Budget) {
	if f.doc.toks.held > 0 {
		f.doc.toks.budget.Shrink(f.doc.toks.held)
		f.doc.toks.held = 0
	}
	f.doc.toks.budget = b
}

// Mode returns the current API mode.
func (f *Formatter) Mode() apimode.Mode { return f.mode }

// SetMode changes the API mode for the calls that follow. The text buffer
// and the JSON result are kept: text buffered in mode 0 or 1 is sent by the
// next text-mode flush, JSON added in mode 2 by the next mode-2
// FinalizeResult.
func (f *Formatter) SetMode(m apimode.Mode) { f.mode = m }

// Compact reports whether mode-2 output is compact.
func (f *Formatter) Compact() bool { return f.compact }

// SetCompact selects compact (true) or indented mode-2 output.
func (f *Formatter) SetCompact(c bool) { f.compact = c }

// Err returns the first error of the sink, if any.
func (f *Formatter) Err() error { return f.err }

func (f *Formatter) json() bool { return f.mode == apimode.JSON }

// textf appends a formatted text in modes 0 and 1; an empty format (the
// reference's NULL format) appends nothing.
func (f *Formatter) textf(format string, args ...any) {
	if format != "" && format != Null && !f.json() {
		if e := f.fmts.get(format); len(args) == 0 && e.simple && e.conv == 0 {
			f.text = append(f.text, format...) // plain text
			return
		}
		f.text = appendf(f.text, format, args...)
	}
}

// textS, textU and textI are textf with one argument, without boxing it;
// formats of the common shape are parsed once (textfmt.go).
func (f *Formatter) textS(format, s string) {
	if format != "" && format != Null && !f.json() {
		if b, ok := f.fmts.get(format).appendStr(f.text, s); ok {
			f.text = b
			return
		}
		f.text = appendOne(f.text, format, true, s, 0, false)
	}
}

func (f *Formatter) textU(format string, u uint64) {
	if format != "" && format != Null && !f.json() {
		f.textInt(format, u, false)
	}
}

func (f *Formatter) textI(format string, v int64) {
	if format != "" && format != Null && !f.json() {
		if v < 0 {
			f.textInt(format, uint64(-v), true) // -MinInt64 wraps to 1<<63: right magnitude
		} else {
			f.textInt(format, uint64(v), false)
		}
	}
}

// textKey is textS for the key of a key/value call. A key and its format
// are the same in every row of a listing, so their text is kept once
// rendered, by the identity of both strings (textfmt.go).
func (f *Formatter) textKey(format, key string) {
	if format == "" || format == Null || f.json() {
		return
	}
	e := f.fmts.key(format, key)
	if e.n > 0 {
		f.text = e.appendTo(f.text)
		return
	}
	start := len(f.text)
	f.textS(format, key)
	e.set(format, key, f.text[start:])
}

func (f *Formatter) textInt(format string, u uint64, neg bool) {
	if b, ok := f.fmts.get(format).appendInt(f.text, u, neg); ok {
		f.text = b
		return
	}
	f.text = appendOne(f.text, format, false, "", u, neg)
}

// Decoration appends text that only humans need (headers, borders): in
// mode 0 only.
func (f *Formatter) Decoration(format string, args ...any) {
	if f.mode != apimode.On && f.mode != apimode.JSON { // as the reference: any other mode decorates
		f.textf(format, args...)
	}
}

// ObjectStart opens an object. In text modes format (with the name as its
// argument) is appended. In mode 2 the object is stored under the
// lowercased name in the current object, or appended to the current array
// when name is Null; a nameless object inside an object merges into it,
// and a name that exists already re-opens its value.
func (f *Formatter) ObjectStart(name, format string) { f.objectStart(name, format, false) }

// ObjectStartCaseSensitive is ObjectStart without lowercasing the name.
func (f *Formatter) ObjectStartCaseSensitive(name, format string) {
	f.objectStart(name, format, true)
}

func (f *Formatter) objectStart(name, format string, cs bool) {
	if f.json() {
		f.doc.objectStart(name, cs)
		return
	}
	f.textS(format, name)
}

// ObjectEnd closes the current object. In text modes format is appended
// and the buffer is sent as one packet. In mode 2 one container is popped
// (names are not checked).
func (f *Formatter) ObjectEnd(name, format string) {
	if f.json() {
		f.doc.end()
		return
	}
	f.textS(format, name)
	f.flushText()
}

// ArrayStart opens an array under the lowercased name (Null: the empty
// key). In mode 2 it is ignored when the current container is not an
// object or already has the key.
func (f *Formatter) ArrayStart(name, format string) {
	if f.json() {
		f.doc.arrayStart(name)
		return
	}
	f.textS(format, name)
}

// ArrayEnd closes the current array (mode 2: pops one container). It does
// not flush the text buffer.
func (f *Formatter) ArrayEnd(name, format string) {
	if f.json() {
		f.doc.end()
		return
	}
	f.textS(format, name)
}

// ArrayItemBool appends a boolean to the current array; text modes format
// it as an integer (1 or 0) through %d.
func (f *Formatter) ArrayItemBool(v bool, format string) {
	if f.json() {
		f.doc.item(boolValue(v))
		return
	}
	var n uint64
	if v {
		n = 1
	}
	f.textU(format, n)
}

// ArrayItemUint appends an unsigned integer to the current array. In mode 2
// it is stored as a signed 64-bit integer, as the reference does (2^64-1
// prints as -1).
func (f *Formatter) ArrayItemUint(v uint64, format string) {
	if f.json() {
		f.doc.item(intValue(int64(v)))
		return
	}
	f.textU(format, v)
}

// ArrayItemString appends a string to the current array. In mode 2 a Null
// value or a value that is not valid UTF-8 is dropped.
func (f *Formatter) ArrayItemString(v, format string) {
	if f.json() {
		f.arrayItemString(v)
		return
	}
	f.textS(format, v)
}

// ArrayItemText is the reference's ArrayItem(value, text, false): in text
// modes text is appended verbatim (no % processing); in mode 2 it is
// ArrayItemString.
func (f *Formatter) ArrayItemText(v, text string) {
	if f.json() {
		f.arrayItemString(v)
		return
	}
	if text != Null {
		f.text = append(f.text, text...)
	}
}

func (f *Formatter) arrayItemString(v string) {
	if v == Null || !validUTF8(v) {
		return
	}
	f.doc.item(value{tag: tStr, str: v})
}

// KVBool adds a boolean key/value. Text modes print the key through
// keyFormat and the string "true" or "false" through valueFormat.
func (f *Formatter) KVBool(key, keyFormat string, v bool, valueFormat string) {
	if f.json() {
		f.doc.kv(key, boolValue(v))
		return
	}
	s := "false"
	if v {
		s = "true"
	}
	f.textKey(keyFormat, key)
	f.textS(valueFormat, s)
}

// KVUint adds an unsigned key/value. Mode 2 stores it as a signed 64-bit
// integer, as the reference does.
func (f *Formatter) KVUint(key, keyFormat string, v uint64, valueFormat string) {
	if f.json() {
		f.doc.kvInt(key, int64(v))
		return
	}
	f.textKey(keyFormat, key)
	f.textU(valueFormat, v)
}

// KVInt adds a signed key/value.
func (f *Formatter) KVInt(key, keyFormat string, v int64, valueFormat string) {
	if f.json() {
		f.doc.kvInt(key, v)
		return
	}
	f.textKey(keyFormat, key)
	f.textI(valueFormat, v)
}

// KVString adds a string key/value without rewrapping. A Null value is the
// empty string; in mode 2 invalid UTF-8 is repaired as the reference does
// (each invalid spot becomes one U+FFFD).
func (f *Formatter) KVString(key, keyFormat, v, valueFormat string) {
	f.KVStringWrap(key, keyFormat, v, valueFormat, -1)
}

// KVStringWrap is KVString with the reference's rewrap of the value: wrap
// < 0 leaves it alone; wrap >= 0 collapses tabs and newlines; in mode 0,
// wrap > 0 also breaks lines after wrap bytes (see the package tests).
func (f *Formatter) KVStringWrap(key, keyFormat, v, valueFormat string, wrap int) {
	if v == Null {
		v = ""
	}
	if wrap >= 0 {
		v = rewrap(v, wrap, f.mode == apimode.Off)
	}
	if f.json() {
		f.doc.kvStr(key, v)
		return
	}
	f.textKey(keyFormat, key)
	f.textS(valueFormat, v)
}

func boolValue(v bool) value {
	if v {
		return value{tag: tTrue}
	}
	return value{tag: tFalse}
}

func intValue(v int64) value {
	if v < 0 {
		return value{tag: tNeg, num: uint64(-v)}
	}
	return value{tag: tInt, num: uint64(v)}
}

// Message sends a message of the given type. In text modes the text is
// sent at once as its own packet (an empty text as an empty packet), ahead
// of any buffered text; the type is not shown. In mode 2 the text is
// recorded under its type and only shown in an error envelope; a message of
// type MsgError makes the result an error. A Null type is looked up as
// "normal", as in the reference: it joins an existing "normal" array and is
// lost otherwise.
func (f *Formatter) Message(typ, text string) error {
	if !f.json() {
		if text == Null {
			text = ""
		}
		return f.send([]byte(text))
	}
	lookup := typ
	if typ == Null {
		lookup = "normal" // the reference looks a NULL type up as "normal"
	}
	i := 0
	for i < len(f.msgs) && f.msgs[i].typ != lookup {
		i++
	}
	if i == len(f.msgs) {
		// A new type. The reference cannot store a NULL type or one that
		// is not UTF-8 (use-after-free); the message is lost.
		if typ == Null || !validUTF8(typ) {
			return nil
		}
		f.msgs = append(f.msgs, msgGroup{typ: typ})
	}
	if text != Null && validUTF8(text) {
		f.msgs[i].texts = append(f.msgs[i].texts, text)
	}
	return nil
}

// HasErrorMessage reports whether a message of type MsgError was recorded
// for the current mode-2 result.
func (f *Formatter) HasErrorMessage() bool {
	for _, g := range f.msgs {
		if g.typ == MsgError {
			return true
		}
	}
	return false
}

// msgGroup holds the texts of one message type, in order.
type msgGroup struct {
	typ   string
	texts []string
}

// SendBuffer sends the text buffer as one packet, if it is not empty. It
// does nothing in mode 2.
func (f *Formatter) SendBuffer() error {
	if f.json() {
		return nil
	}
	return f.flushText()
}

func (f *Formatter) flushText() error {
	if len(f.text) == 0 {
		return nil
	}
	err := f.send(f.text)
	f.text = f.text[:0]
	if cap(f.text) > 64<<10 {
		f.text = nil // do not keep a huge buffer for the small answers that follow
	}
	return err
}

// send hands one message to the sink, in MaxSend pieces.
func (f *Formatter) send(p []byte) error {
	var first error
	for {
		n := min(len(p), MaxSend)
		if err := f.sink.Send(p[:n]); err != nil && first == nil {
			first = fmt.Errorf("%w: %w", ErrSend, err)
		}
		p = p[n:]
		if len(p) == 0 {
			break
		}
	}
	if first != nil && f.err == nil {
		f.err = first
	}
	return first
}

// FinalizeResult ends the output of a command. In text modes it sends the
// buffer (ok makes no difference). In mode 2 it sends the JSON-RPC response
// — the error envelope if ok is false or an error message was recorded —
// and starts a new, empty result. In every mode it clears the filters, the
// hidden columns and the count of filtered rows.
func (f *Formatter) FinalizeResult(ok bool) error {
	var err error
	if f.json() {
		err = f.finalizeJSON(ok)
	} else {
		err = f.flushText()
	}
	f.ClearFilters()
	f.ClearHiddenColumns()
	f.filtered = 0
	return err
}
