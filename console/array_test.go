package console

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
)

// split feeds doc to a splitter in pieces cut at the given offsets and
// returns the raw elements and the error of finish.
func split(doc, key string, cuts ...int) ([]string, error) {
	sp := newSplitter(key)
	var got []string
	emit := func(r gjson.Result) bool { got = append(got, r.Raw); return true }
	prev := 0
	for _, c := range append(cuts, len(doc)) {
		c = min(max(c, prev), len(doc))
		sp.feed(doc[prev:c], emit)
		prev = c
	}
	return got, sp.finish()
}

// oracle is what CallJSON makes of the whole document: the raw elements
// of result.<key>, or the error.
func oracle(doc, key string) ([]string, error) {
	r, err := decodeJSON(doc)
	if err != nil {
		return nil, err
	}
	a := member(r, key)
	if !a.Exists() {
		return nil, nil
	}
	if !a.IsArray() {
		return nil, ErrNotArray
	}
	var out []string
	for _, e := range a.Array() {
		out = append(out, e.Raw)
	}
	return out, nil
}

// sameError reports whether two errors are of the same kind.
func sameError(a, b error) bool {
	if (a == nil) != (b == nil) {
		return false
	}
	var ra, rb *RPCError
	switch {
	case a == nil:
		return true
	case errors.As(a, &ra):
		return errors.As(b, &rb) && ra.Code == rb.Code && ra.Message == rb.Message
	case errors.Is(a, ErrNotArray):
		return errors.Is(b, ErrNotArray)
	default:
		return errors.Is(a, ErrInvalidJSON) && errors.Is(b, ErrInvalidJSON)
	}
}

// checkSplit compares the splitter, fed in pieces every way given,
// with the oracle.
func checkSplit(t *testing.T, doc, key string, cutSets [][]int) {
	t.Helper()
	want, werr := oracle(doc, key)
	for _, cuts := range cutSets {
		got, err := split(doc, key, cuts...)
		if !sameError(err, werr) {
			t.Fatalf("split(%q, %q, cuts %v): error %v, want %v", doc, key, cuts, err, werr)
		}
		if werr == nil {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("split(%q, %q, cuts %v): elements (-want +got):\n%s", doc, key, cuts, diff)
			}
		}
	}
}

// everyCut returns the one-cut splits at every offset and the split
// into single bytes.
func everyCut(n int) [][]int {
	sets := [][]int{nil}
	for i := 1; i < n; i++ {
		sets = append(sets, []int{i})
	}
	var bytes []int
	for i := 1; i < n; i++ {
		bytes = append(bytes, i)
	}
	return append(sets, bytes)
}

var splitCases = []struct {
	name, doc, key string
}{
	{"compact", `{"jsonrpc":"2.0","id":null,"result":{"files":[{"a":1},{"b":[2,3]},"s",4,null]}}`, "files"},
	{"indented", "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"files\": [\n      {\n        \"a\": 1\n      },\n      {\n        \"b\": \"x\"\n      }\n    ]\n  }\n}", "files"},
	{"empty array", `{"jsonrpc":"2.0","id":null,"result":{"files":[]}}`, "files"},
	{"blank array", `{"jsonrpc":"2.0","id":null,"result":{"files":[ ]}}`, "files"},
	{"other members", `{"jsonrpc":"2.0","id":null,"result":{"n":1,"files":[1,2],"m":{"files":[9]}}}`, "files"},
	{"missing", `{"jsonrpc":"2.0","id":null,"result":{"jobs":[1]}}`, "files"},
	{"nested name", `{"jsonrpc":"2.0","id":null,"result":{"x":{"files":[1]}}}`, "files"},
	{"not an array", `{"jsonrpc":"2.0","id":null,"result":{"files":{"a":1}}}`, "files"},
	{"string member", `{"jsonrpc":"2.0","id":null,"result":{"files":"[1,2]"}}`, "files"},
	{"strings with brackets", `{"jsonrpc":"2.0","id":null,"result":{"files":["a,]b","c\"]d\\",{"k":"}]"}]}}`, "files"},
	{"escaped name", `{"jsonrpc":"2.0","id":null,"\u0072esult":{"fil\u0065s":[1,2]}}`, "files"},
	{"name with dot", `{"jsonrpc":"2.0","id":null,"result":{"a.b":[1,2]}}`, "a.b"},
	{"error answer", `{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{"files":[1]},"messages":{"error":["x\n"]}}}}`, "files"},
	{"null result", `{"jsonrpc":"2.0","id":null,"result":null}`, "files"},
	{"unicode", `{"jsonrpc":"2.0","id":null,"result":{"files":["ü€𝄞",{"n":"\u00fc"}]}}`, "files"},
	{"empty answer", ``, "files"},
	{"only blanks", "  \n", "files"},
	{"text", "not json\n", "files"},
	{"top-level array", `[{"result":{"files":[1]}}]`, "files"},
	{"leading comma", `{"result":{"files":[,1]}}`, "files"},
	{"double comma", `{"result":{"files":[1,,2]}}`, "files"},
	{"trailing comma", `{"result":{"files":[1,2,]}}`, "files"},
	{"lone comma", `{"result":{"files":[,]}}`, "files"},
	{"no comma", `{"result":{"files":[1 2]}}`, "files"},
	{"no comma between objects", `{"result":{"files":[{} {}]}}`, "files"},
	{"bad element", `{"result":{"files":[1,{"a":}]}}`, "files"},
	{"mismatched bracket", `{"result":{"files":[1,{"a":1]]}}`, "files"},
	{"mismatched in skeleton", `{"result":{"files":[1]]}`, "files"},
	{"truncated", `{"jsonrpc":"2.0","id":null,"result":{"files":[{"a":1},{"b`, "files"},
	{"truncated string", `{"result":{"files":[1]},"x":"abc`, "files"},
	{"closing too much", `{"result":{"files":[1]}}}`, "files"},
	{"two documents", `{"result":{"files":[1]}}{"result":{"files":[2]}}`, "files"},
	{"bad skeleton after", `{"result":{"files":[1,2]},"x":tru}`, "files"},
	{"no result", `{"jsonrpc":"2.0","id":null}`, "files"},
	{"duplicate array", `{"result":{"files":[1],"files":[2]}}`, "files"},
	{"escape at end", `{"result":{"files":["a\\","b\"c"]}}`, "files"},
	// Keys are names, never gjson paths (the fuzzer found "[0" read as a
	// multipath by the oracle).
	{"path syntax not a key", `{"result":{"":[{}]}}`, "[0"},
	{"bracket key", `{"result":{"[0":[1,2]}}`, "[0"},
	{"empty key", `{"result":{"":[{}]}}`, ""},
	{"modifier key", `{"result":{"@this":[1],"a":[2]}}`, "@this"},
	{"wildcard key", `{"result":{"ab":[1],"a*":[2]}}`, "a*"},
	{"hash key", `{"result":{"#":[3]}}`, "#"},
	{"long key", `{"result":{"` + strings.Repeat("k", 1100) + `":[4]}}`, strings.Repeat("k", 1100)},
	{"long escaped key", `{"result":{"` + strings.Repeat(`\u006b`, 200) + `":[5]}}`, strings.Repeat("k", 200)},
	{"long other key", `{"result":{"` + strings.Repeat("k", 1100) + `":[4]}}`, strings.Repeat("k", 1099)},
}

func TestSplitter(t *testing.T) {
	for _, tc := range splitCases {
		t.Run(tc.name, func(t *testing.T) {
			checkSplit(t, tc.doc, tc.key, everyCut(len(tc.doc)))
		})
	}
}

// TestSplitterStops checks that emit returning false stops the split at
// once.
func TestSplitterStops(t *testing.T) {
	sp := newSplitter("files")
	n := 0
	sp.feed(`{"result":{"files":[1,2,3,4]}}`, func(gjson.Result) bool { n++; return n < 2 })
	if n != 2 {
		t.Errorf("%d elements emitted after a stop at the second", n)
	}
}

func FuzzSplitter(f *testing.F) {
	for _, tc := range splitCases {
		f.Add(tc.doc, tc.key, uint16(len(tc.doc)/2), uint16(3))
	}
	f.Fuzz(func(t *testing.T, doc, key string, cut, step uint16) {
		if len(doc) > 4096 {
			return
		}
		cuts := []int{int(cut)}
		if step > 0 {
			var c []int
			for i := int(step); i < len(doc); i += int(step) {
				c = append(c, i)
			}
			cuts = c
		}
		checkSplit(t, doc, key, [][]int{nil, {int(cut)}, cuts})
	})
}

// rowsDoc is the answer of the fake Director's "rows N" command.
func rowsDoc(n int) string {
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0","id":null,"result":{"files":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"Type":"F","FileId":%d,"Name":"file-%d \"q\" ]},[.bin","stat":{"size":%d}}`, i+1, i+1, i*10)
	}
	b.WriteString(`]}}`)
	return b.String()
}

func TestCallArray(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{JSON: true})
	ctx := context.Background()
	const n = 3000
	var got []int64
	for r, err := range c.CallArray(ctx, fmt.Sprintf("rows %d", n), "files") {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Get("FileId").Int())
		if name, want := r.Get("Name").String(), fmt.Sprintf(`file-%d "q" ]},[.bin`, len(got)); name != want {
			t.Fatalf("element %d: Name %q, want %q", len(got), name, want)
		}
	}
	if len(got) != n || got[0] != 1 || got[n-1] != n {
		t.Fatalf("%d elements, first %v", len(got), got[:min(len(got), 3)])
	}
	// The same answer through CallJSON.
	whole, err := c.CallJSON(ctx, fmt.Sprintf("rows %d", n))
	if err != nil || whole.Get("files.#").Int() != n {
		t.Fatalf("CallJSON: %v, %d files", err, whole.Get("files.#").Int())
	}
}

func TestCallArrayBreak(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{JSON: true})
	ctx := context.Background()
	n := 0
	for _, err := range c.CallArray(ctx, "rows 5000", "files") {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	// The rest of the answer was read and dropped: the session is in step.
	r, err := c.CallJSON(ctx, "whoami")
	if err != nil || r.Get("whoami").String() != "root" {
		t.Fatalf("whoami after a loop that ended early: %v %s", err, r.Raw)
	}
}

func TestCallArrayErrors(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{JSON: true})
	ctx := context.Background()
	collect := func(cmd, key string) (int, error) {
		n := 0
		for _, err := range c.CallArray(ctx, cmd, key) {
			if err != nil {
				return n, err
			}
			n++
		}
		return n, nil
	}
	var rpc *RPCError
	if n, err := collect("nosuch", "files"); n != 0 || !errors.As(err, &rpc) || rpc.Code != 1 {
		t.Errorf("nosuch: %d elements, %v; want an *RPCError", n, err)
	}
	if n, err := collect("text", "files"); n != 0 || !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("text: %d elements, %v; want ErrInvalidJSON", n, err)
	}
	if n, err := collect("whoami", "whoami"); n != 0 || !errors.Is(err, ErrNotArray) {
		t.Errorf("whoami (key whoami): %d elements, %v; want ErrNotArray", n, err)
	}
	if n, err := collect("whoami", "files"); n != 0 || err != nil {
		t.Errorf("whoami (key files): %d elements, %v; want none", n, err)
	}
	// Lost in the middle of the answer: the elements that arrived, then
	// the error; the command is not sent again.
	before := len(d.received())
	n, err := collect("rowsdrop 2000", "files")
	if err == nil || n == 0 || n >= 2000 {
		t.Errorf("rowsdrop: %d elements, %v; want some, then an error", n, err)
	}
	if sent := d.received()[before:]; len(sent) != 1 {
		t.Errorf("commands sent for rowsdrop: %q, want it once", sent)
	}
	// The next call reconnects.
	if n, err := collect("rows 10", "files"); n != 10 || err != nil {
		t.Errorf("rows 10 after a lost connection: %d elements, %v", n, err)
	}
}

// bvfsDoc is a compact answer shaped like .bvfs_lsfiles: n file rows of
// 19 members each.
func bvfsDoc(n int) string {
	var b strings.Builder
	b.WriteString(`{"jsonrpc":"2.0","id":null,"result":{"files":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"type":"F","pathid":2,"fileid":%d,"jobid":1,"lstat":"A A IH/ B A A A BAA A BnSA2P BnSA2P BnSA2P A A C","name":"data-%d.bin","stat":{"dev":65,"ino":%d,"mode":33188,"nlink":1,"uid":0,"gid":0,"user":"root","group":"root","rdev":0,"size":4096,"atime":1760000000,"mtime":1760000000,"ctime":1760000000},"linkfileindex":0}`, i+1, i+1, 1000+i)
	}
	b.WriteString(`]}}`)
	return b.String()
}

// BenchmarkSplitter splits a 10,000-row answer arriving in 1 MB pieces
// (the Director's packets) and parses each row, as CallArray does;
// against CallJSON's way, validating and parsing the whole text.
func BenchmarkSplitter(b *testing.B) {
	doc := bvfsDoc(10000)
	b.Run("stream", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			sp := newSplitter("files")
			n := 0
			for off := 0; off < len(doc); off += 1 << 20 {
				sp.feed(doc[off:min(off+1<<20, len(doc))], func(r gjson.Result) bool { n++; return true })
			}
			if err := sp.finish(); err != nil || n != 10000 {
				b.Fatal(n, err)
			}
		}
	})
	b.Run("whole", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			r, err := decodeJSON(doc)
			if err != nil || r.Get("files.#").Int() != 10000 {
				b.Fatal(err)
			}
		}
	})
}
