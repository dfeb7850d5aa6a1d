package fuzz

import (
	"bytes"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/fuzz/internal/program"
	"github.com/uaformat/uaformat/golden"
	"github.com/uaformat/uaformat/internal/calls"
)

// render runs p's calls on f and returns the packets of each call.
func render(f *formatter.Formatter, rec *recorder, p program.Program) [][][]byte {
	t := calls.New(f)
	out := make([][][]byte, len(p.Calls))
	for i := range p.Calls {
		p.Calls[i].Do(t)
		out[i] = rec.take()
	}
	return out
}

// reset brings a used formatter back to the state of a new one built with
// p's options, through its public API only: a mode-2 FinalizeResult ends
// the JSON result and its messages, a text-mode one flushes the text
// buffer, both clear filters, hidden columns and the filtered-row count.
func reset(f *formatter.Formatter, rec *recorder, p program.Program) {
	f.SetFilterFunc(nil)
	f.SetMode(apimode.JSON)
	_ = f.FinalizeResult(true)
	f.SetMode(apimode.Off)
	_ = f.FinalizeResult(true)
	f.SetMode(p.Mode)
	f.SetCompact(p.Compact)
	rec.take()
}

func diffRuns(t *testing.T, what string, p program.Program, want, got [][][]byte) {
	t.Helper()
	for i := range want {
		if d := golden.Diff(want[i], got[i]); d != "" {
			t.Fatalf("%s: call %d (%v) differs from a fresh formatter:\n%s\nprogram:\n%s", what, i, p.Calls[i], d, p)
		}
	}
}

// FuzzFormatterReuse checks that a formatter reused after other results
// renders a program exactly like a new one: packet for packet, byte for
// byte. The reused formatter first runs the same program, or another one
// decoded from the second half of the input, then is reset through its API.
func FuzzFormatterReuse(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p := program.Decode(data)
		opts := formatter.Options{Mode: p.Mode, Compact: p.Compact}

		rec := &recorder{fail: p.SendFails}
		want := render(formatter.New(rec, opts), rec, p)

		for _, pre := range []program.Program{p, program.Decode(data[len(data)/2:])} {
			pre.SendFails = p.SendFails
			rec := &recorder{fail: p.SendFails}
			g := formatter.New(rec, formatter.Options{Mode: pre.Mode, Compact: pre.Compact})
			render(g, rec, pre)
			reset(g, rec, p)
			diffRuns(t, "reused formatter", p, want, render(g, rec, p))
		}
	})
}

// treeKey is the key FuzzFormatterTree adds to force the tree form.
const treeKey = "fuzz.tree"

// FuzzFormatterTree compares the formatter's two forms of a mode-2
// result. The formatter keeps a result as tokens while calls only append,
// and switches to a tree for the rest of the result when a key is
// replaced. Running the program with KVBool(treeKey, true) done twice at
// the start of every mode-2 result puts the whole result in the tree form;
// the reference semantics make that exactly the same result with treeKey
// as its first member (the program never touches treeKey: programs that
// use that name are skipped). So each response of the modified run must be
// the response of the plain run with that member inserted, and text-mode
// packets must be identical.
func FuzzFormatterTree(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		p := program.Decode(data)
		p.SendFails = false
		for _, c := range p.Calls {
			for _, s := range c.Strings() {
				if strings.EqualFold(s, treeKey) {
					return
				}
			}
		}
		opts := formatter.Options{Mode: p.Mode, Compact: p.Compact}
		rec := &recorder{}
		plain := render(formatter.New(rec, opts), rec, p)

		rec = &recorder{}
		g := formatter.New(rec, opts)
		target := calls.New(g)
		mode, compact, fresh := p.Mode, p.Compact, true
		for i := range p.Calls {
			c := p.Calls[i]
			name := c.Method.Name
			if mode == apimode.JSON && fresh {
				g.KVBool(treeKey, formatter.Null, true, formatter.Null)
				g.KVBool(treeKey, formatter.Null, true, formatter.Null) // replaced: tree form
				if pk := rec.take(); len(pk) > 0 {
					t.Fatalf("KVBool in mode 2 sent %q", pk)
				}
				fresh = false
			}
			c.Do(target)
			got := rec.take()
			want := plain[i]
			if mode == apimode.JSON && name == "FinalizeResult" {
				w := withFirstMember(bytes.Join(want, nil), compact)
				if g := bytes.Join(got, nil); !bytes.Equal(g, w) {
					t.Fatalf("call %d: tree-form response differs from the token form plus %q:\n%s\nprogram:\n%s",
						i, treeKey, golden.Diff([][]byte{w}, [][]byte{g}), p)
				}
				fresh = true
			} else if d := golden.Diff(want, got); d != "" {
				t.Fatalf("call %d (%v): packets differ:\n%s\nprogram:\n%s", i, c, d, p)
			}
			switch name {
			case "SetMode":
				mode = c.Args[0].(apimode.Mode)
			case "SetCompact":
				compact = c.Args[0].(bool)
			}
		}
	})
}

// withFirstMember returns the response resp with "treeKey": true inserted
// as the first member of its result object, laid out as the formatter lays
// it out (the result object is at depth 2 of a success response and at
// depth 4 of an error response: error, data, result).
func withFirstMember(resp []byte, compact bool) []byte {
	sep, member := `"result": {`, `"`+treeKey+`": true`
	if compact {
		sep, member = `"result":{`, `"`+treeKey+`":true`
	}
	i := bytes.Index(resp, []byte(sep))
	if i < 0 {
		return append([]byte("no result object in: "), resp...)
	}
	depth := 2
	if bytes.Contains(resp[:i], []byte(`"error"`)) {
		depth = 4
	}
	head, rest := resp[:i+len(sep)], resp[i+len(sep):]
	var b bytes.Buffer
	b.Write(head)
	nl := func(d int) {
		if !compact {
			b.WriteString("\n" + strings.Repeat("  ", d))
		}
	}
	nl(depth)
	b.WriteString(member)
	if len(rest) > 0 && rest[0] == '}' {
		nl(depth - 1)
	} else {
		b.WriteByte(',')
	}
	b.Write(rest)
	return b.Bytes()
}

func TestWithFirstMember(t *testing.T) {
	tests := []struct {
		resp    string
		compact bool
		want    string
	}{
		{`{"jsonrpc":"2.0","id":null,"result":{}}`, true,
			`{"jsonrpc":"2.0","id":null,"result":{"fuzz.tree":true}}`},
		{`{"jsonrpc":"2.0","id":null,"result":{"a":1}}`, true,
			`{"jsonrpc":"2.0","id":null,"result":{"fuzz.tree":true,"a":1}}`},
		{"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {}\n}", false,
			"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"fuzz.tree\": true\n  }\n}"},
		{"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"a\": 1\n  }\n}", false,
			"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"fuzz.tree\": true,\n    \"a\": 1\n  }\n}"},
	}
	for _, tt := range tests {
		got := string(withFirstMember([]byte(tt.resp), tt.compact))
		if got != tt.want {
			t.Errorf("withFirstMember(%q) = %q, want %q", tt.resp, got, tt.want)
		}
	}
	// The error envelope, checked against the formatter itself.
	for _, compact := range []bool{false, true} {
		var plain, tree []byte
		for _, add := range []bool{false, true} {
			rec := &recorder{}
			f := formatter.New(rec, formatter.Options{Mode: apimode.JSON, Compact: compact})
			if add {
				f.KVBool(treeKey, formatter.Null, true, formatter.Null)
			}
			f.KVString("k", formatter.Null, "v", formatter.Null)
			_ = f.Message(formatter.MsgError, "boom")
			_ = f.FinalizeResult(true)
			if add {
				tree = bytes.Join(rec.take(), nil)
			} else {
				plain = bytes.Join(rec.take(), nil)
			}
		}
		if got := withFirstMember(plain, compact); !bytes.Equal(got, tree) {
			t.Errorf("compact=%t error envelope:\n got %q\nwant %q", compact, got, tree)
		}
	}
}
