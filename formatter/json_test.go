package formatter_test

import (
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

const fffd = "\xEF\xBF\xBD"

// README §3.4.6, every example, and more.
var utf8RepairCases = []struct {
	in, want string
}{
	// The README's examples.
	{"a\x80\x80b", "a" + fffd + fffd + "b"},
	{"\xE2\x82", fffd},
	{"\xF0\x9F\x98\x79", fffd + "y"},
	{"\xC0\xAF", fffd},
	{"\xED\xA0\x80", fffd},
	{"\xF4\x90\x80\x80", fffd},
	{"\xF5\xFF", fffd + fffd},
	{"\xC3\xC3\xA9", fffd + "é"},
	{"\xE2\xE2\x82\xAC", fffd + "€"},
	// Valid text is copied.
	{"", ""},
	{"plain", "plain"},
	{"é€😀", "é€😀"},
	{"\xED\x9F\xBF", "\xED\x9F\xBF"},         // U+D7FF
	{"\xEE\x80\x80", "\xEE\x80\x80"},         // U+E000
	{"\xF4\x8F\xBF\xBF", "\xF4\x8F\xBF\xBF"}, // U+10FFFF
	{fffd, fffd},                             // a real U+FFFD stays one
	{"\xC2\x80", "\xC2\x80"},
	// Stray continuation bytes and bytes that never start a sequence: one
	// U+FFFD per byte.
	{"\x80", fffd},
	{"\xBF\xBF\xBF", fffd + fffd + fffd},
	{"\xFF", fffd},
	{"\xF8\x80", fffd + fffd},
	{"\xFE\xFF", fffd + fffd},
	{"é\x80", "é" + fffd},
	{"\xE2\x82\xAC\x80", "€" + fffd},
	{"\xC2\x80\x80", "\xC2\x80" + fffd},
	// A bad lead byte swallows the continuation bytes after it.
	{"\xC1\xBF", fffd},
	{"\xC0\x80\x80\x80x", fffd + "x"},
	{"\xE0\x80\x80", fffd},
	{"\xE0\x9F\xBF", fffd},
	{"\xF0\x80\x80\x80", fffd},
	{"\xF0\x8F\xBF\xBF", fffd},
	{"\xF7\xBF\xBF\xBF", fffd},
	{"\xF5\x80\x80\x80", fffd},
	{"\xED\xBF\xBF", fffd},
	{"\xC2", fffd},
	{"\xC2a", fffd + "a"},
	{"a\xC2", "a" + fffd},
	{"\xF0\x9F\x98", fffd},
	{"\xE2\x28\xA1", fffd + "(" + fffd},
	{"\xE2\xC3\xA9", fffd + "é"},
	{"\xF0\xF0\x9F\x98\x80", fffd + "😀"},
	// Repair comes before escaping.
	{"\xE2\x82\n", fffd + "\n"},
	{"\x01\xFF\"", "\x01" + fffd + "\""},
}

func TestUTF8Repair(t *testing.T) {
	for _, tc := range utf8RepairCases {
		f, s := newF(apimode.JSON, true)
		f.KVString("v", formatter.Null, tc.in, formatter.Null)
		got := finalizeJSON(t, f, s, true)
		want := compactEnvelope(`{"v":"` + jsonEsc(tc.want) + `"}`)
		if got != want {
			t.Errorf("KVString(%q):\n got %q\nwant %q", tc.in, got, want)
		}
		if g := gjson.Get(got, "result.v").String(); g != tc.want {
			t.Errorf("KVString(%q): gjson reads %q, want %q", tc.in, g, tc.want)
		}
	}
}

// The same bytes pass unchanged in the text modes.
func TestUTF8TextModesUntouched(t *testing.T) {
	for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
		f, s := newF(mode, false)
		for _, tc := range utf8RepairCases {
			f.KVString("k\xff", "%s=", tc.in, "%s\n")
		}
		f.SendBuffer()
		var want strings.Builder
		for _, tc := range utf8RepairCases {
			want.WriteString("k\xff=" + tc.in + "\n")
		}
		if got := one(t, s); got != want.String() {
			t.Errorf("mode %v: bytes changed:\n%q\nwant\n%q", mode, got, want.String())
		}
	}
}

// Invalid UTF-8 elsewhere (README §3.4.3-3.4.5): items dropped, non-string
// KVs with such keys dropped, message texts not added (the type's array
// still appears).
func TestUTF8InvalidElsewhere(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.ArrayStart("items", formatter.Null)
	f.ArrayItemString("ok", formatter.Null)
	f.ArrayItemString("bad\xff", formatter.Null)
	f.ArrayItemText("bad\xC0\xAF", "fmt")
	f.ArrayItemString(formatter.Null, "%s")
	f.ArrayItemText("ok2", formatter.Null)
	f.ArrayEnd("items", formatter.Null)
	f.KVUint("k\xff", formatter.Null, 1, formatter.Null)
	f.KVInt("\xE2\x82", formatter.Null, 2, formatter.Null)
	f.KVBool("\x80", formatter.Null, true, formatter.Null)
	f.KVString("k\xff", formatter.Null, "v", formatter.Null) // crashes the reference; dropped here
	f.KVUint("after", formatter.Null, 3, formatter.Null)
	f.Message(formatter.MsgWarning, "w\xff")
	f.Message(formatter.MsgError, "e")
	got := finalizeJSON(t, f, s, true)
	want := compactError(`{"items":["ok","ok2"],"after":3}`, `{"warning":[],"error":["e"]}`)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestEscaping(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`"`, `\"`},
		{`\`, `\\`},
		{"\b\f\n\r\t", `\b\f\n\r\t`},
		{"\x01", `\u0001`},
		{"\x1b", `\u001B`},
		{"\x1f", `\u001F`},
		{"\x0b\x0e", `\u000B\u000E`},
		{"/", "/"},
		{"\x7f", "\x7f"},
		{"<>&'", "<>&'"},
		{"\u2028\u2029", "\u2028\u2029"},
		{"é€😀", "é€😀"},
		{"\u0080\u00a0\ufeff", "\u0080\u00a0\ufeff"},
		{`a"b\c` + "\n", `a\"b\\c\n`},
	}
	for _, tt := range tests {
		for _, compact := range []bool{false, true} {
			f, s := newF(apimode.JSON, compact)
			f.KVString(tt.in, formatter.Null, tt.in, formatter.Null) // key and value
			f.ArrayStart("A", formatter.Null)
			f.ArrayItemString(tt.in, formatter.Null)
			f.ArrayEnd("A", formatter.Null)
			got := finalizeJSON(t, f, s, true)
			q := `"` + tt.want + `"`
			var want string
			if compact {
				want = compactEnvelope(`{` + q + `:` + q + `,"a":[` + q + `]}`)
			} else {
				want = lines(`{`, `  "jsonrpc": "2.0",`, `  "id": null,`, `  "result": {`,
					`    `+q+`: `+q+`,`, `    "a": [`, `      `+q, `    ]`, `  }`, `}`)
			}
			if got != want {
				t.Errorf("%q (compact %v):\n got %q\nwant %q", tt.in, compact, got, want)
			}
		}
	}
	// Every byte below 0x80 at once, compared with the reference escaper.
	var all strings.Builder
	for c := 1; c < 0x80; c++ {
		all.WriteByte(byte(c))
	}
	f, s := newF(apimode.JSON, true)
	f.KVString("all", formatter.Null, all.String(), formatter.Null)
	if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{"all":"`+jsonEsc(all.String())+`"}`); got != want {
		t.Errorf("all ASCII:\n got %q\nwant %q", got, want)
	}
}

// Messages and message types are escaped like everything else.
func TestEscapingMessages(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.Message("t\"\x1b", "m\n\\")
	got := finalizeJSON(t, f, s, false)
	if want := compactError(`{}`, `{"t\"\u001B":["m\n\\"]}`); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIndentation(t *testing.T) {
	build := func(f *formatter.Formatter) {
		f.KVString("a", formatter.Null, "x", formatter.Null)
		f.ObjectStart("O", formatter.Null)
		f.ArrayStart("arr", formatter.Null)
		f.ArrayItemUint(1, formatter.Null)
		f.ObjectStart(formatter.Null, formatter.Null)
		f.ObjectEnd(formatter.Null, formatter.Null)
		f.ObjectStart(formatter.Null, formatter.Null)
		f.KVBool("t", formatter.Null, true, formatter.Null)
		f.ArrayStart("in", formatter.Null)
		f.ArrayItemBool(false, formatter.Null)
		f.ArrayEnd("in", formatter.Null)
		f.ObjectEnd(formatter.Null, formatter.Null)
		f.ArrayEnd("arr", formatter.Null)
		f.ObjectStart("e", formatter.Null)
		f.ObjectEnd("e", formatter.Null)
		f.ArrayStart("ea", formatter.Null)
		f.ArrayEnd("ea", formatter.Null)
		f.ObjectEnd("O", formatter.Null)
		f.KVInt("n", formatter.Null, -1, formatter.Null)
	}
	indented := lines(
		`{`,
		`  "jsonrpc": "2.0",`,
		`  "id": null,`,
		`  "result": {`,
		`    "a": "x",`,
		`    "o": {`,
		`      "arr": [`,
		`        1,`,
		`        {},`,
		`        {`,
		`          "t": true,`,
		`          "in": [`,
		`            false`,
		`          ]`,
		`        }`,
		`      ],`,
		`      "e": {},`,
		`      "ea": []`,
		`    },`,
		`    "n": -1`,
		`  }`,
		`}`)
	compact := `{"jsonrpc":"2.0","id":null,"result":{"a":"x","o":{"arr":[1,{},{"t":true,"in":[false]}],"e":{},"ea":[]},"n":-1}}`

	f, s := newF(apimode.JSON, false)
	build(f)
	if got := finalizeJSON(t, f, s, true); got != indented {
		t.Errorf("indented:\n%s\nwant\n%s", got, indented)
	}
	// The compact flag is read at FinalizeResult time.
	build(f)
	f.SetCompact(true)
	if got := finalizeJSON(t, f, s, true); got != compact {
		t.Errorf("compact:\n%s\nwant\n%s", got, compact)
	}
	if !gjson.Valid(compact) || gjson.Get(compact, "result.o.arr.2.in.0").Bool() {
		t.Error("compact text is not the JSON it should be")
	}
	// Error envelope layout.
	build(f)
	f.SetCompact(false)
	f.Message(formatter.MsgError, "bad")
	f.Message(formatter.MsgInfo, "fyi")
	got := finalizeJSON(t, f, s, true)
	res := strings.ReplaceAll(indented[strings.Index(indented, `"result": {`)+len(`"result": `):strings.LastIndex(indented, "\n}")], "\n", "\n    ")
	want := lines(
		`{`,
		`  "jsonrpc": "2.0",`,
		`  "id": null,`,
		`  "error": {`,
		`    "code": 1,`,
		`    "message": "failed",`,
		`    "data": {`,
		`      "result": `+res+`,`,
		`      "messages": {`,
		`        "error": [`,
		`          "bad"`,
		`        ],`,
		`        "info": [`,
		`          "fyi"`,
		`        ]`,
		`      }`,
		`    }`,
		`  }`,
		`}`)
	if got != want {
		t.Errorf("error envelope:\n%s\nwant\n%s", got, want)
	}
}

func TestEmptyResult(t *testing.T) {
	f, s := newF(apimode.JSON, false)
	if got, want := finalizeJSON(t, f, s, true), lines(`{`, `  "jsonrpc": "2.0",`, `  "id": null,`, `  "result": {}`, `}`); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := finalizeJSON(t, f, s, false), lines(`{`, `  "jsonrpc": "2.0",`, `  "id": null,`, `  "error": {`,
		`    "code": 1,`, `    "message": "failed",`, `    "data": {`, `      "result": {},`, `      "messages": {}`,
		`    }`, `  }`, `}`); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestIntegers(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.KVUint("u0", formatter.Null, 0, formatter.Null)
	f.KVUint("umax63", formatter.Null, math.MaxInt64, formatter.Null)
	f.KVUint("u63", formatter.Null, 1<<63, formatter.Null)
	f.KVUint("umax", formatter.Null, math.MaxUint64, formatter.Null)
	f.KVInt("imin", formatter.Null, math.MinInt64, formatter.Null)
	f.KVInt("ineg", formatter.Null, -1, formatter.Null)
	f.ArrayStart("items", formatter.Null)
	f.ArrayItemUint(math.MaxUint64, formatter.Null)
	f.ArrayItemUint(1<<63+5, formatter.Null)
	f.ArrayItemUint(12345678901234, formatter.Null)
	f.ArrayEnd("items", formatter.Null)
	got := finalizeJSON(t, f, s, true)
	want := compactEnvelope(`{"u0":0,"umax63":9223372036854775807,"u63":-9223372036854775808,"umax":-1,` +
		`"imin":-9223372036854775808,"ineg":-1,"items":[-1,-9223372036854775803,12345678901234]}`)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// Keys: ASCII-only lowercasing, null key "", replaced values keep their
// position, case-sensitive object names.
func TestKeys(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.KVString("JobName", formatter.Null, "x", formatter.Null)
	f.KVString("ÉCOLE", formatter.Null, "é", formatter.Null)
	f.KVString(formatter.Null, formatter.Null, "null key", formatter.Null)
	f.KVUint("second", formatter.Null, 2, formatter.Null)
	f.KVBool("JOBNAME", formatter.Null, false, formatter.Null) // replaces "jobname" in place
	f.KVString("", formatter.Null, "empty key", formatter.Null)
	f.ObjectStartCaseSensitive("Client", formatter.Null)
	f.ObjectEnd("Client", formatter.Null)
	f.ObjectStart("CLIENT", formatter.Null)
	f.ObjectEnd("CLIENT", formatter.Null)
	f.ArrayStart("LIST", formatter.Null)
	f.ArrayEnd("LIST", formatter.Null)
	f.ArrayStart(formatter.Null, formatter.Null) // key "" exists: refused, nothing pushed
	f.ArrayItemUint(1, formatter.Null)           // top is the result object: dropped
	got := finalizeJSON(t, f, s, true)
	want := compactEnvelope(`{"jobname":false,"École":"é","":"empty key","second":2,"Client":{},"client":{},"list":[]}`)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// README §3.4.2: the container stack and its quirks.
func TestContainerStack(t *testing.T) {
	type call func(f *formatter.Formatter)
	N := formatter.Null
	os := func(name string) call { return func(f *formatter.Formatter) { f.ObjectStart(name, N) } }
	oe := func(f *formatter.Formatter) { f.ObjectEnd(N, N) }
	as := func(name string) call { return func(f *formatter.Formatter) { f.ArrayStart(name, N) } }
	ae := func(f *formatter.Formatter) { f.ArrayEnd(N, N) }
	kv := func(k string, v uint64) call { return func(f *formatter.Formatter) { f.KVUint(k, N, v, N) } }
	ks := func(k, v string) call { return func(f *formatter.Formatter) { f.KVString(k, N, v, N) } }
	it := func(v uint64) call { return func(f *formatter.Formatter) { f.ArrayItemUint(v, N) } }
	tests := []struct {
		name  string
		calls []call
		want  string
	}{
		{"nameless objects in an array", []call{as("a"), os(N), kv("x", 1), oe, os(N), oe, ae},
			`{"a":[{"x":1},{}]}`},
		{"nameless object merges into an object", []call{os("o"), kv("x", 1), os(N), kv("y", 2), kv("x", 3), oe, kv("z", 4), oe},
			`{"o":{"x":3,"y":2,"z":4}}`},
		{"nameless object at the root", []call{os(N), kv("a", 1), oe, os(N), kv("a", 2), oe},
			`{"a":2}`},
		{"reopen an object", []call{os("o"), kv("a", 1), oe, kv("b", 2), os("O"), kv("c", 3), oe},
			`{"o":{"a":1,"c":3},"b":2}`},
		{"reopen an array by ObjectStart", []call{as("l"), it(1), ae, os("l"), it(2), os(N), kv("x", 1), oe, oe},
			`{"l":[1,2,{"x":1}]}`},
		{"reopen a scalar drops non-string KVs", []call{kv("s", 1), os("s"), kv("x", 2), it(3), oe, kv("after", 4)},
			`{"s":1,"after":4}`},
		{"object replaced by a scalar", []call{os("o"), kv("a", 1), oe, kv("O", 5)},
			`{"o":5}`},
		{"scalar re-opened, then replaced by a string", []call{kv("o", 5), os("o"), oe, ks("o", "s")},
			`{"o":"s"}`},
		{"ArrayStart on existing key pushes nothing", []call{os("o"), as("l"), ae, as("l"), it(1), kv("k", 1), ae, kv("up", 2)},
			`{"o":{"l":[],"k":1},"up":2}`},
		{"ArrayStart on existing object key", []call{os("o"), oe, as("o"), it(1), ae, kv("x", 1)},
			`{"o":{}}`},
		{"ArrayStart inside an array is ignored", []call{as("l"), as("m"), it(1), ae, it(2)},
			`{"l":[1]}`},
		{"items on an object dropped", []call{it(1), os("o"), it(2), oe},
			`{"o":{}}`},
		{"KVs on an array dropped", []call{as("l"), kv("k", 1), ks("s", "v"), ae},
			`{"l":[]}`},
		{"named object in an array is detached", []call{as("l"), os("x"), kv("k", 1), as("in"), it(1), ae, oe, it(2), ae},
			`{"l":[2]}`},
		{"invalid object name is detached", []call{os("x\xff"), kv("k", 1), oe, kv("after", 2)},
			`{"after":2}`},
		{"invalid array name is detached", []call{as("x\xff"), it(1), ae, kv("after", 2)},
			`{"after":2}`},
		{"too many ends", []call{os("o"), oe, oe, kv("lost", 1), os("lost"), as("lost2"), oe, oe},
			`{"o":{}}`},
		{"missing ends", []call{os("a"), os("b"), as("c"), it(1)},
			`{"a":{"b":{"c":[1]}}}`},
		{"names of ends are not checked", []call{os("a"), func(f *formatter.Formatter) { f.ArrayEnd("zzz", N) }, kv("k", 1)},
			`{"a":{},"k":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := newF(apimode.JSON, true)
			for _, c := range tt.calls {
				c(f)
			}
			got := finalizeJSON(t, f, s, true)
			if d := cmp.Diff(compactEnvelope(tt.want), got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// Missing ends do not leak into the next result, which starts at the root.
func TestMissingEndsNextResult(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.ObjectStart("a", formatter.Null)
	f.ArrayStart("b", formatter.Null)
	finalizeJSON(t, f, s, true)
	f.KVUint("k", formatter.Null, 1, formatter.Null)
	if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{"k":1}`); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	// And neither do too many.
	f.ObjectEnd(formatter.Null, formatter.Null)
	f.ObjectEnd(formatter.Null, formatter.Null)
	finalizeJSON(t, f, s, true)
	f.KVUint("k", formatter.Null, 2, formatter.Null)
	if got, want := finalizeJSON(t, f, s, true), compactEnvelope(`{"k":2}`); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// Deep nesting neither overflows a stack nor loses levels, in the fast
// form and after a replaced key switched the result to the tree form.
func TestDeepNesting(t *testing.T) {
	const n = 50000
	for _, tree := range []bool{false, true} {
		f, s := newF(apimode.JSON, true)
		pre := ""
		if tree {
			f.KVUint("x", N, 1, N)
			f.KVUint("X", N, 2, N)
			pre = `"x":2,`
		}
		for range n {
			f.ObjectStart("O", N)
		}
		for range n / 2 {
			f.ObjectEnd(N, N)
		}
		f.KVUint("mid", N, 3, N)
		if err := f.FinalizeResult(true); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(s.take(), "")
		inner := strings.Repeat(`{"o":`, n/2) + "{}" + strings.Repeat("}", n/2-1)
		want := compactEnvelope("{" + pre + strings.Repeat(`"o":{`, n/2) + inner[1:] + `,"mid":3` + strings.Repeat("}", n/2+1))
		if got != want {
			t.Errorf("tree %v: %d bytes, want %d", tree, len(got), len(want))
		}
	}
	// Indented: 2 spaces per level (50 levels, as in m2_deep_nesting_50).
	f, s := newF(apimode.JSON, false)
	for range 50 {
		f.ObjectStart("L", N)
	}
	got := finalizeJSON(t, f, s, true)
	var want strings.Builder
	want.WriteString("{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {")
	for d := 2; d < 52; d++ {
		want.WriteString("\n" + strings.Repeat("  ", d) + `"l": {`)
	}
	want.WriteString("}")
	for d := 50; d >= 0; d-- {
		want.WriteString("\n" + strings.Repeat("  ", d) + "}")
	}
	if got != want.String() {
		t.Errorf("indented deep nesting:\n%s\nwant\n%s", got, want.String())
	}
}

// A message with a Null type is looked up as "normal" (as the reference's
// JsonAddMessage does): it joins an existing "normal" array; without one
// it is lost (there the reference has a use-after-free, README §3.4.5).
func TestNullMessageTypeJoinsExistingNormal(t *testing.T) {
	f, s := newF(apimode.JSON, true)
	f.Message("normal", "first")
	f.Message(formatter.Null, "second") // appended to "normal" in the reference
	f.Message(formatter.MsgError, "e")
	got := finalizeJSON(t, f, s, true)
	want := compactError(`{}`, `{"normal":["first","second"],"error":["e"]}`)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
