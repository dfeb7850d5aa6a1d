package fuzz

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// jsonFacts is what walkJSON learns about one JSON text.
type jsonFacts struct {
	topKeys []string // keys of the top-level object, in order
}

// walkJSON checks that b is exactly one JSON object, valid UTF-8, without
// a duplicate key in any object, and returns its top-level keys in order.
func walkJSON(b []byte) (jsonFacts, error) {
	var facts jsonFacts
	if !utf8.Valid(b) {
		return facts, errors.New("not valid UTF-8")
	}
	if !json.Valid(b) {
		return facts, errors.New("encoding/json: not valid JSON")
	}
	if !gjson.ValidBytes(b) {
		return facts, errors.New("gjson: not valid JSON")
	}
	if !gjson.ParseBytes(b).IsObject() {
		return facts, errors.New("not a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type level struct {
		obj     bool
		wantKey bool
		keys    map[string]bool
	}
	var stack []level
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return facts, fmt.Errorf("decoding: %w", err)
		}
		if len(stack) > 0 && stack[len(stack)-1].obj {
			top := &stack[len(stack)-1]
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			if top.wantKey {
				k := tok.(string)
				if top.keys[k] {
					return facts, fmt.Errorf("duplicate key %q", k)
				}
				top.keys[k] = true
				if len(stack) == 1 {
					facts.topKeys = append(facts.topKeys, k)
				}
				top.wantKey = false
				continue
			}
			top.wantKey = true
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{':
				stack = append(stack, level{obj: true, wantKey: true, keys: map[string]bool{}})
			case '[':
				stack = append(stack, level{})
			case ']':
				stack = stack[:len(stack)-1]
			}
		}
	}
	if dec.More() {
		return facts, errors.New("more than one JSON value")
	}
	return facts, nil
}

// checkLayout checks that a JSON text is laid out as jansson writes it:
// compact (no whitespace) or indented by two spaces, which is also the
// layout of encoding/json's Indent.
func checkLayout(b []byte, compact bool) error {
	var c bytes.Buffer
	if err := json.Compact(&c, b); err != nil {
		return err
	}
	want := c.Bytes()
	if !compact {
		var ind bytes.Buffer
		if err := json.Indent(&ind, c.Bytes(), "", "  "); err != nil {
			return err
		}
		want = ind.Bytes()
	}
	if !bytes.Equal(b, want) {
		i := 0
		for i < len(b) && i < len(want) && b[i] == want[i] {
			i++
		}
		return fmt.Errorf("layout (compact=%t) differs at byte %d: got %.60q, want %.60q",
			compact, i, b[i:], want[i:])
	}
	return nil
}
