package fuzz

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
)

// modelWords splits a command line the way the Director's argument parser
// works on its C buffer: copy up to the first NUL, strip trailing '\n',
// '\r' and ' ', then take words in place (skip ASCII white space; a
// backslash copies the next byte, or ends the word at the end of the
// buffer; a double quote toggles quoting and is dropped; unquoted white
// space ends the word; the NUL written after each word ends it) until an
// empty word or MaxArgs words.
func modelWords(line string) []string {
	if i := strings.IndexByte(line, 0); i >= 0 {
		line = line[:i]
	}
	buf := append([]byte(line), 0, 0)
	n := len(line)
	for n > 0 && (buf[n-1] == '\n' || buf[n-1] == '\r' || buf[n-1] == ' ') {
		n--
		buf[n] = 0
	}
	space := func(c byte) bool { return strings.IndexByte(" \t\n\v\f\r", c) >= 0 && c != 0 }
	cstr := func(b []byte) string {
		for i, c := range b {
			if c == 0 {
				return string(b[:i])
			}
		}
		return string(b)
	}
	var words []string
	p := 0
	for len(words) < uacontext.MaxArgs {
		for buf[p] != 0 && space(buf[p]) {
			p++
		}
		start, q, quoted := p, p, false
		for buf[p] != 0 {
			c := buf[p]
			if c == '\\' {
				p++
				buf[q] = buf[p] // a NUL here ends the word
				q++
				if buf[p] != 0 {
					p++
				}
				continue
			}
			if c == '"' {
				p++
				quoted = !quoted
				continue
			}
			if !quoted && space(c) {
				p++
				break
			}
			buf[q] = c
			q++
			p++
		}
		buf[q] = 0
		w := cstr(buf[start:])
		if w == "" {
			break
		}
		words = append(words, w)
	}
	return words
}

// FuzzParseArgs compares uacontext.ParseArgs and ParseArgsOnly with a
// model of the Director's in-place parser.
func FuzzParseArgs(f *testing.F) {
	f.Fuzz(func(t *testing.T, line string) {
		words := modelWords(line)
		var want []uacontext.Arg
		for _, w := range words {
			k, v, ok := strings.Cut(w, "=")
			want = append(want, uacontext.Arg{Key: k, Value: v, HasValue: ok})
		}
		var got []uacontext.Arg
		var gotWords []string
		alloc := allocated(func() {
			got = uacontext.ParseArgs(line)
			gotWords = uacontext.ParseArgsOnly(line)
		})
		if d := cmp.Diff(want, got); d != "" {
			t.Fatalf("ParseArgs(%q) (-model +got):\n%s", line, d)
		}
		if d := cmp.Diff(words, gotWords); d != "" {
			t.Fatalf("ParseArgsOnly(%q) (-model +got):\n%s", line, d)
		}
		if limit := uint64(16*len(line)) + 64<<10; alloc > limit {
			t.Fatalf("parsing %d bytes allocated %d bytes", len(line), alloc)
		}
	})
}

// modelAPI is the Director's .api command: the new mode, the effect on
// the compact flag, and whether the command is accepted.
func modelAPI(args []uacontext.Arg) (apimode.Mode, apimode.Compact, bool) {
	switch {
	case len(args) == 1:
		return apimode.On, apimode.CompactKeep, true
	case len(args) < 2 || len(args) > 3:
		return 0, 0, false
	}
	// The Director compares with strcasecmp: ASCII letters only.
	lower := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			if 'A' <= c && c <= 'Z' {
				b[i] = c + 'a' - 'A'
			}
		}
		return string(b)
	}
	is := func(s string, words ...string) bool {
		for _, w := range words {
			if lower(s) == lower(w) {
				return true
			}
		}
		return false
	}
	switch w := args[1].Key; {
	case is(w, "off", "0"):
		return apimode.Off, apimode.CompactKeep, true
	case is(w, "on", "1"):
		return apimode.On, apimode.CompactKeep, true
	case is(w, "json", "2"):
		c := apimode.CompactKeep
		if len(args) == 3 && is(args[2].Key, "compact") && args[2].HasValue {
			c = apimode.CompactOff
			if is(args[2].Value, "yes") {
				c = apimode.CompactOn
			}
		}
		return apimode.JSON, c, true
	}
	return 0, 0, false
}

// FuzzAPI parses ".api " + the input as the Director would (argument
// parser, then apimode.Parse) and compares the outcome with a model of
// the .api command.
func FuzzAPI(f *testing.F) {
	f.Fuzz(func(t *testing.T, rest string) {
		var args []uacontext.Arg
		var req apimode.Request
		var err error
		alloc := allocated(func() {
			args = uacontext.ParseArgs(".api " + rest)
			req, err = apimode.Parse(uacontext.ParseArgsOnly(".api " + rest))
		})
		if limit := uint64(32*len(rest)) + 64<<10; alloc > limit {
			t.Fatalf("parsing %d bytes allocated %d bytes", len(rest), alloc)
		}
		mode, compact, ok := modelAPI(args)
		checkErrText(t, err, len(rest))
		if !ok {
			if !errors.Is(err, apimode.ErrInvalid) {
				t.Fatalf("Parse(%+v) = %+v, %v; want ErrInvalid", args, req, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Parse(%+v): %v", args, err)
		}
		want := apimode.Request{Mode: mode, Compact: compact, Batch: mode == apimode.JSON}
		if req != want {
			t.Fatalf("Parse(%+v) = %+v, want %+v", args, req, want)
		}
	})
}
