package console

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"strings"

	"github.com/tidwall/gjson"
)

// ErrNotArray is returned by CallArray when the result's member is not an
// array.
var ErrNotArray = errors.New("console: the result member is not an array")

// CallArray sends cmd, whose answer in API mode 2 is a JSON-RPC result
// holding an array under key (the "files" of .bvfs_lsfiles, the "jobs"
// of list jobs; a member name compared as text, not a gjson path), and
// yields each element of that array, parsed, as it
// arrives: a million-row answer is never held whole (CallJSON holds the
// whole text, 340 MB for a million .bvfs_lsfiles rows), and the first
// rows are at hand while the Director still sends the rest.
//
// Each element is checked as CallJSON checks the whole answer, and the
// rest of the document is checked when it has arrived: invalid JSON ends
// the sequence with an error wrapping ErrInvalidJSON, a JSON-RPC error
// answer with an *RPCError (its Data holds the partial result, as in
// CallJSON), a result member key that is not an array with ErrNotArray.
// An answer without that member yields nothing. Errors come last, after
// the elements that arrived before them, so a consumer that must not act
// on part of an answer collects the elements and checks for the error
// first.
//
// Each iteration sends cmd once. The connection is re-established and
// cmd re-sent once when the connection is lost before an element was
// yielded (as CallJSON), never after. When the loop ends early
// the rest of the answer is read and dropped, so the session stays in
// step; the context bounds that too. The loop body runs while the client
// is busy with the call: it must not call the Client (that would wait
// forever), and a slow body slows the Director's sending, not the
// client's memory. An element's Raw text may share memory with the
// elements around it.
func (c *Client) CallArray(ctx context.Context, cmd, key string) iter.Seq2[gjson.Result, error] {
	return func(yield func(gjson.Result, error) bool) {
		var sp *splitter
		stopped := false
		yielded := false
		sink := func(data []byte) {
			if stopped || sp.err != nil {
				return // drained
			}
			sp.feed(string(data), func(elem gjson.Result) bool {
				yielded = true
				if !yield(elem, nil) {
					stopped = true
				}
				return !stopped
			})
		}
		reset := func() bool {
			if yielded {
				return false
			}
			sp = newSplitter(key)
			return true
		}
		reset()
		_, err := c.call(ctx, cmd, sink, reset)
		if stopped {
			return
		}
		if err != nil && !errors.Is(err, ErrTerminated) {
			yield(gjson.Result{}, err)
			return
		}
		if ferr := sp.finish(); ferr != nil {
			yield(gjson.Result{}, fmt.Errorf("console: %q: %w", cmd, ferr))
			return
		}
		if err != nil {
			yield(gjson.Result{}, err) // a whole answer, then ErrTerminated
		}
	}
}

// splitter splits a JSON-RPC document arriving in pieces into the
// elements of the array at result.<key> and the rest, the skeleton: the
// document with that array emptied. Each element and the skeleton are
// checked with gjson.Valid; with the separators the splitter checks
// itself (one comma between elements, none before the first or after
// the last, brackets that match), that is the validity of the whole
// document.
type splitter struct {
	key string
	// stack holds the open containers: '{' and '[', with 'R' for the
	// result object and 'A' for the array being split.
	stack []byte
	// inStr and esc: inside a string; just after its backslash.
	inStr, esc bool
	// wantKey: the next string of the skeleton is a member name.
	wantKey bool
	// keyDepth is the depth of the member name being read (1 or 2; 0
	// for none), keyBuf its text so far (after the opening quote),
	// keyLong that it is too long to be compared.
	keyDepth int
	keyBuf   []byte
	keyLong  bool
	keyLimit int
	// match: the value after the member name just read is the result
	// object (1) or the array (2).
	match int
	// resultDone, arrayDone: the first result object or array has
	// started; later ones of the same name stay in the skeleton.
	resultDone, arrayDone bool
	// any: something arrived.
	any bool
	// In the array: inElem, an element is being read; elemDepth, the
	// containers open inside it; start, its offset in the current piece
	// (-1: it began in an earlier piece, whose part is in pending);
	// afterElem, an element was read last; needElem, a comma was, so an
	// element must follow.
	inElem              bool
	elemDepth           int
	start               int
	pending             []byte
	afterElem, needElem bool
	// notArray: the member key of result is not an array.
	notArray bool
	skeleton strings.Builder
	err      error
}

// maxKeyLen bounds the member names kept for comparison (their text as
// sent, escapes included); a longer name is neither "result" nor the
// caller's key, whose text is at most 6 bytes per byte of it (\u0041).
const maxKeyLen = 1024

func newSplitter(key string) *splitter {
	return &splitter{key: key, keyLimit: max(maxKeyLen, 6*len(key)+1)}
}

// fail records the first error.
func (s *splitter) fail(format string, args ...any) {
	if s.err == nil {
		s.err = fmt.Errorf("%w: "+format, append([]any{ErrInvalidJSON}, args...)...)
	}
}

// top is the innermost open container, or 0.
func (s *splitter) top() byte {
	if len(s.stack) == 0 {
		return 0
	}
	return s.stack[len(s.stack)-1]
}

// feed reads the next piece of the document and calls emit with each
// element it completes. It stops at the first error, and when emit
// returns false (the caller then drops the rest of the answer).
func (s *splitter) feed(p string, emit func(gjson.Result) bool) {
	if s.err != nil {
		return
	}
	s.any = s.any || len(p) > 0
	if s.inElem {
		s.start = -1
	}
	skelFrom := 0 // the start of the part of p not yet in the skeleton
	for i := 0; i < len(p); {
		if s.inElem {
			var end bool
			if i, end = s.scanElem(p, i); !end {
				break // the end of p
			}
			if !s.endElem(p, i, emit) {
				return
			}
			skelFrom = i // the separator at p[i] is read below
		}
		if s.inStr {
			i = s.skipString(p, i)
			continue
		}
		b := p[i]
		if isSpace(b) {
			i++
			continue
		}
		if s.top() == 'A' {
			// Between elements: a separator, the end, or an element.
			switch b {
			case ',':
				if !s.afterElem {
					s.fail("a comma without an array element before it")
					return
				}
				s.afterElem, s.needElem = false, true
				s.skeleton.WriteString(p[skelFrom:i])
				skelFrom = i + 1
				i++
				continue
			case ']':
				if s.needElem {
					s.fail("a comma after the last array element")
					return
				}
				s.pop(b)
				i++
				continue
			}
			s.skeleton.WriteString(p[skelFrom:i])
			s.inElem, s.elemDepth, s.start, s.needElem = true, 0, i, false
			continue // the element's first byte is read above
		}
		// The skeleton.
		switch b {
		case '"':
			s.inStr = true
			if s.wantKey && (len(s.stack) == 1 || len(s.stack) == 2) {
				s.keyDepth = len(s.stack)
				s.keyBuf, s.keyLong = s.keyBuf[:0], false
			} else {
				s.valueStarts(b)
			}
			s.wantKey = false
		case '{', '[':
			s.stack = append(s.stack, s.valueStarts(b))
			s.wantKey = b == '{'
		case '}', ']':
			if !s.pop(b) {
				return
			}
			s.wantKey = false
		case ',':
			t := s.top()
			s.wantKey = t == '{' || t == 'R'
		case ':':
			s.wantKey = false
		default:
			s.valueStarts(b) // a byte of a number or literal
		}
		i++
	}
	if s.inElem {
		from := max(s.start, 0)
		s.pending = append(s.pending, p[from:]...)
		return
	}
	s.skeleton.WriteString(p[skelFrom:])
}

// isSpace reports JSON whitespace.
func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// elemBytes marks the bytes that matter inside an element: quotes,
// brackets and commas.
var elemBytes = func() (t [256]bool) {
	for _, b := range []byte(`"{}[],`) {
		t[b] = true
	}
	return t
}()

// scanElem reads the element from p[i] on. It returns where to go on and
// whether the element ended there, at a comma or bracket of the array's
// level. Inside the element it only follows strings and counts brackets:
// gjson.Valid checks the element when it is complete.
func (s *splitter) scanElem(p string, i int) (int, bool) {
	inStr, esc, depth := s.inStr, s.esc, s.elemDepth
	defer func() { s.inStr, s.esc, s.elemDepth = inStr, esc, depth }()
	for ; i < len(p); i++ {
		b := p[i]
		if inStr {
			switch {
			case esc:
				esc = false
			case b == '\\':
				esc = true
			case b == '"':
				inStr = false
			}
			continue
		}
		if !elemBytes[b] {
			continue
		}
		switch b {
		case '"':
			inStr = true
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 {
				if b == ']' {
					return i, true
				}
				s.fail("'}' closes an array")
				return len(p), false
			}
			depth--
		case ',':
			if depth == 0 {
				return i, true
			}
		}
	}
	return i, false
}

// skipString reads the string bytes of p from i on and returns where to
// go on: after the closing quote, or at the end of p. (A byte loop: the
// strings of an answer are short, shorter than two IndexByte calls pay
// for.)
func (s *splitter) skipString(p string, i int) int {
	from := i
	for ; i < len(p); i++ {
		if s.esc {
			s.esc = false
			continue
		}
		switch p[i] {
		case '\\':
			s.esc = true
		case '"':
			i++ // the closing quote
			s.inStr = false
			if s.keyDepth > 0 {
				s.addKey(p[from:i])
				s.endKey()
			}
			return i
		}
	}
	if s.keyDepth > 0 {
		s.addKey(p[from:i])
	}
	return i
}

// addKey adds t to the member name being read.
func (s *splitter) addKey(t string) {
	if len(s.keyBuf)+len(t) > s.keyLimit {
		s.keyLong = true
		return
	}
	s.keyBuf = append(s.keyBuf, t...)
}

// endKey compares the member name just read (its text, keyBuf, lacks
// the opening quote).
func (s *splitter) endKey() {
	depth := s.keyDepth
	s.keyDepth, s.match = 0, 0
	if s.keyLong {
		return
	}
	name := gjson.Parse(`"` + string(s.keyBuf)).String()
	switch {
	case depth == 1 && !s.resultDone && name == "result":
		s.match = 1
	case depth == 2 && s.stack[1] == 'R' && !s.arrayDone && name == s.key:
		s.match = 2
	}
}

// valueStarts notes a byte of a value of the skeleton and returns the
// container mark to push if it opens one.
func (s *splitter) valueStarts(b byte) byte {
	m := s.match
	s.match = 0
	switch {
	case m == 1 && b == '{':
		s.resultDone = true
		return 'R'
	case m == 2 && b == '[':
		s.arrayDone = true
		return 'A'
	case m == 2:
		s.notArray = true
	}
	return b
}

// pop closes the innermost container with b.
func (s *splitter) pop(b byte) bool {
	t := s.top()
	if t == 0 {
		s.fail("%q outside any object or array", b)
		return false
	}
	if object := t == '{' || t == 'R'; (b == '}') != object {
		kind := "an array"
		if object {
			kind = "an object"
		}
		s.fail("%q closes %s", b, kind)
		return false
	}
	s.stack = s.stack[:len(s.stack)-1]
	return true
}

// endElem completes the element that ends before p[i] and emits it; it
// reports whether to go on.
func (s *splitter) endElem(p string, i int, emit func(gjson.Result) bool) bool {
	var text string
	if s.start >= 0 {
		text = p[s.start:i]
	} else {
		s.pending = append(s.pending, p[:i]...)
		text = string(s.pending)
		s.pending = s.pending[:0]
	}
	s.inElem, s.afterElem = false, true
	for text != "" && isSpace(text[len(text)-1]) {
		text = text[:len(text)-1]
	}
	if !gjson.Valid(text) {
		s.fail("array element %q", snippet(text))
		return false
	}
	return emit(gjson.Parse(text))
}

// finish checks the rest of the document once it has all arrived.
func (s *splitter) finish() error {
	if s.err != nil {
		return s.err
	}
	if !s.any {
		return nil // an empty answer, as CallJSON
	}
	if s.inStr || len(s.stack) > 0 {
		return fmt.Errorf("%w: the answer ends inside a string, object or array", ErrInvalidJSON)
	}
	if _, err := decodeJSON(s.skeleton.String()); err != nil {
		return err
	}
	if s.notArray {
		return fmt.Errorf("%w: %q", ErrNotArray, s.key)
	}
	return nil
}
