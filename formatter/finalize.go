package formatter

import (
	"fmt"
	"unicode/utf8"
)

func validUTF8(s string) bool { return utf8.ValidString(s) }

var (
	keyMeta     = "meta"
	keyRange    = "range"
	keyLimit    = "limit"
	keyOffset   = "offset"
	keyFiltered = "filtered"
)

// finalizeJSON serializes and sends the mode-2 response, then resets the
// result, the messages and the container stack.
func (f *Formatter) finalizeJSON(ok bool) error {
	d := &f.doc
	isErr := !ok || f.HasErrorMessage()
	if d.toks.over == nil {
		d.closeAll()
		if !isErr && len(f.filters) > 0 {
			f.addMeta()
		}
		if d.tree != nil {
			d.encodeTree()
		}
	}
	discarded := d.toks.over != nil
	if discarded {
		isErr = true
		f.Message(MsgError, DiscardedMessage)
	}
	err := f.writeResponse(isErr, discarded)
	d.reset()
	clear(f.msgs)
	f.msgs = f.msgs[:0]
	if err == nil && discarded {
		err = ErrDiscarded
	}
	return err
}

// writeResponse serializes and sends the mode-2 response (the error
// envelope if isErr) for the closed result; a discarded result is sent as
// an empty object.
func (f *Formatter) writeResponse(isErr, discarded bool) error {
	d := &f.doc
	w := writer{buf: f.out[:0], compact: f.compact, sink: f.sink, spillAt: MaxSend,
		keyText: d.keys.text, keyAt: d.keys.at, objs: f.nest[:0]}
	w.open('{')
	w.key(`"jsonrpc"`)
	w.buf = append(w.buf, `"2.0"`...)
	w.key(`"id"`)
	w.buf = append(w.buf, "null"...)
	if isErr {
		w.key(`"error"`)
		w.open('{')
		w.key(`"code"`)
		w.buf = append(w.buf, '1')
		w.key(`"message"`)
		w.buf = append(w.buf, `"failed"`...)
		w.key(`"data"`)
		w.open('{')
		w.key(`"result"`)
		f.writeResult(&w)
		w.key(`"messages"`)
		f.writeMessages(&w)
		w.close('}')
		w.close('}')
	} else {
		w.key(`"result"`)
		f.writeResult(&w)
	}
	w.close('}')
	w.flush()

	var err error
	if w.err != nil {
		err = fmt.Errorf("%w: %w", ErrSend, w.err)
		if f.err == nil {
			f.err = err
		}
		f.sendJSONError(w.total, w.last)
	}
	if cap(w.buf) <= 64<<10 {
		f.out = w.buf[:0]
	} else {
		f.out = nil
	}
	if cap(w.objs) <= 1<<10 {
		f.nest = w.objs[:0]
	} else {
		f.nest = nil
	}
	return err
}

func (f *Formatter) writeResult(w *writer) {
	w.open('{')
	if f.doc.toks.over == nil { // a discarded result is empty
		w.tokens(&f.doc.toks)
	}
	w.close('}')
}

func (f *Formatter) writeMessages(w *writer) {
	w.open('{')
	var esc []byte
	for _, g := range f.msgs {
		esc = append(appendEscaped(append(esc[:0], '"'), g.typ), '"')
		w.key(string(esc))
		w.open('[')
		for _, t := range g.texts {
			w.sep()
			w.str(appendEscaped(esc[:0], t))
		}
		w.close(']')
	}
	w.close('}')
}

// addMeta stores "meta": {"range": {...}} as the last member of the result,
// or in place of an existing "meta" member.
func (f *Formatter) addMeta() {
	d := &f.doc
	metaID := d.keys.id(keyMeta, false)
	rangeID := d.keys.id(keyRange, false)
	limitID := d.keys.id(keyLimit, false)
	offsetID := d.keys.id(keyOffset, false)
	filteredID := d.keys.id(keyFiltered, false)

	// The range object: limit and offset in the order first added, a later
	// filter of the same kind replacing the value in place.
	rng := &node{tag: tObj}
	for _, flt := range f.filters {
		switch flt.Kind {
		case FilterLimit:
			rng.set(limitID, scalarNode(intValue(int64(flt.Value))))
		case FilterOffset:
			rng.set(offsetID, scalarNode(intValue(int64(flt.Value))))
		}
	}
	rng.set(filteredID, scalarNode(intValue(int64(f.filtered))))
	meta := &node{tag: tObj}
	meta.set(rangeID, rng)

	if d.tree == nil && !d.rootHas(metaID) {
		d.toks.put(tObj, metaID, true)
		d.toks.put(tObj, rangeID, true)
		for i, id := range rng.keys {
			d.toks.putUint(rng.kids[i].tag, id, true, rng.kids[i].num)
		}
		d.toks.put(tEnd, 0, false)
		d.toks.put(tEnd, 0, false)
		return
	}
	d.toTree().root.set(metaID, meta)
}

// sendJSONError sends the reference's second packet after a failed mode-2
// send: an error object whose message names the length of the failed text
// and, when it is shorter than 1024 bytes, the text itself. Unlike the
// reference, which inserts that text unescaped (producing invalid JSON),
// the message is escaped, so the packet is valid JSON. Its own send error
// is ignored, as in the reference.
func (f *Formatter) sendJSONError(n int, text []byte) {
	msg := fmt.Appendf(nil, "Failed to send json message (length=%d). ", n)
	if n < 1024 {
		msg = append(msg, "Message: "...)
		msg = append(msg, text...)
		msg = append(msg, '\n')
	} else {
		msg = append(msg, "Maybe result message to long?\n"...)
	}
	p := append([]byte(`{ "jsonrpc": "2.0", "id": null, "error": { "message": "`), appendEscaped(nil, string(msg))...)
	p = append(p, `", "code": 1 } }`+"\n"...)
	_ = f.sink.Send(p)
}
