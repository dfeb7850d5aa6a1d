package formatter

import "strconv"

// writer serializes JSON the way jansson 2.14's json_dumps does (indented
// by 2 or compact) straight into packets of at most MaxSend bytes.
type writer struct {
	buf     []byte
	compact bool
	depth   int
	first   bool // no member written yet in the innermost container
	total   int  // bytes produced
	sink    Sink
	last    []byte // the last packet emitted (the whole text when total < MaxSend)
	err     error  // first send error; output after it is only counted
}

// sep starts a member or item: comma, newline and indentation.
func (w *writer) sep() {
	if !w.first {
		w.buf = append(w.buf, ',')
	}
	w.first = false
	w.newline(w.depth)
}

func (w *writer) newline(depth int) {
	if w.compact {
		return
	}
	w.buf = append(w.buf, '\n')
	for ; depth > 0; depth-- {
		w.buf = append(w.buf, ' ', ' ')
	}
}

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
		w.newline(w.depth)
	}
	w.buf = append(w.buf, c)
	w.first = false
	w.spill()
}

// spill hands full packets to the sink.
func (w *writer) spill() {
	for len(w.buf) >= MaxSend {
		w.emit(w.buf[:MaxSend])
		w.buf = w.buf[:copy(w.buf, w.buf[MaxSend:])]
	}
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

func (w *writer) str(esc []byte) {
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, esc...)
	w.buf = append(w.buf, '"')
	if len(w.buf) >= MaxSend {
		w.spill()
	}
}

// tokens writes the members of the result object, which w has just opened.
func (w *writer) tokens(a *arena, keys *keyTable) {
	r := a.reader()
	// inObj[i] says whether the container at nesting i is an object.
	inObj := make([]bool, 1, 16)
	inObj[0] = true
	for {
		obj := inObj[len(inObj)-1]
		t, ok := r.next(obj)
		if !ok {
			return
		}
		if t.tag == tEnd {
			inObj = inObj[:len(inObj)-1]
			if obj {
				w.close('}')
			} else {
				w.close(']')
			}
			continue
		}
		if obj {
			w.key(keys.json[t.key])
		} else {
			w.sep()
		}
		switch t.tag {
		case tObj:
			w.open('{')
			inObj = append(inObj, true)
		case tArr:
			w.open('[')
			inObj = append(inObj, false)
		case tStr:
			w.str(t.str)
		case tInt:
			w.buf = strconv.AppendUint(w.buf, t.num, 10)
		case tNeg:
			w.buf = append(w.buf, '-')
			w.buf = strconv.AppendUint(w.buf, t.num, 10)
		case tTrue:
			w.buf = append(w.buf, "true"...)
		case tFalse:
			w.buf = append(w.buf, "false"...)
		}
	}
}
