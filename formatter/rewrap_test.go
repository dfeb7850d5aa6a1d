package formatter_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// rewrapCase is one row of the rewrap table (README §3.3). want is the
// rewrapped value; the tests check the exact bytes that reach the value
// format in the text modes and the JSON string in mode 2.
type rewrapCase struct {
	name string
	in   string
	wrap int
	want map[apimode.Mode]string // by mode; a missing mode means want[Off]
}

func same(s string) map[apimode.Mode]string { return map[apimode.Mode]string{apimode.Off: s} }

// byMode: mode 0 gives m0, modes 1 and 2 give other.
func byMode(m0, other string) map[apimode.Mode]string {
	return map[apimode.Mode]string{apimode.Off: m0, apimode.On: other, apimode.JSON: other}
}

var rewrapCases = []rewrapCase{
	// wrap < 0: unchanged, in every mode.
	{"negative keeps all", " a\tb\n c |d [e] ", -1, same(" a\tb\n c |d [e] ")},
	{"-5 keeps all", "\n\n", -5, same("\n\n")},
	{"empty", "", 0, same("")},
	{"empty wrap 3", "", 3, same("")},

	// wrap == 0: single line in every mode.
	{"leading space dropped", " a", 0, same("a")},
	{"second leading space kept", "  a", 0, same(" a")},
	{"inner spaces kept", "a  b", 0, same("a  b")},
	{"trailing space kept", "a ", 0, same("a ")},
	{"newline to space", "a\nb", 0, same("a b")},
	{"tab to space", "a\tb", 0, same("a b")},
	{"newline run to one space", "a\n\n\nb", 0, same("a b")},
	{"tab newline mix", "a\t\n\tb", 0, same("a b")},
	{"newline before space vanishes", "a\n b", 0, same("a b")},
	{"newline before tab vanishes", "a\n\tb", 0, same("a b")},
	{"leading newline dropped", "\na", 0, same("a")},
	{"leading tab dropped", "\ta", 0, same("a")},
	{"second leading newline is a space", "\n\na", 0, same(" a")},
	{"trailing newline is a space", "a\n", 0, same("a ")},
	{"trailing tabs one space", "a\t\t", 0, same("a ")},
	{"pipe no break at 0", "a|b", 0, same("a|b")},
	{"brackets kept", "[x\ny] <p\tq>", 0, same("[x y] <p q>")},
	{"carriage return kept", "a\r\nb", 0, same("a\r b")},
	{"other bytes kept", "\x01\"\\é/", 0, same("\x01\"\\é/")},

	// wrap > 0: line breaks in mode 0 only; modes 1 and 2 collapse only.
	{"break at spaces", "aa bb cc", 3, byMode("aa\n\tbb\n\tcc", "aa bb cc")},
	{"break after width", "aa bb cc", 4, byMode("aa bb\n\tcc", "aa bb cc")},
	{"no break before width", "aa bb cc", 9, same("aa bb cc")},
	{"wrap 1 breaks at a leading space", " a", 1, byMode("\n\ta", "a")},
	{"wrap 2 leading space dropped", " a", 2, same("a")},
	{"break after pipes", "a|b|c", 2, byMode("a|\n\tb|\n\tc", "a|b|c")},
	{"pipe at width 100", "a|b", 100, byMode("a|\n\tb", "a|b")},
	{"no break before pipe", "a |b", 2, byMode("a |\n\tb", "a |b")},
	{"no break inside brackets", "[a b|c] d", 2, byMode("[a b|c]\n\td", "[a b|c] d")},
	{"no break inside angles", "<a b> c", 2, byMode("<a b>\n\tc", "<a b> c")},
	{"nested brackets", "[[a b] c] d", 1, byMode("[[a b] c]\n\td", "[[a b] c] d")},
	{"mixed bracket kinds count together", "[a> b", 1, byMode("[a>\n\tb", "[a> b")},
	{"negative depth breaks", "]a b", 2, byMode("]a\n\tb", "]a b")},
	{"unclosed bracket never breaks", "[a b c d", 1, same("[a b c d")},
	{"space after break dropped", "a  b", 2, byMode("a\n\tb", "a  b")},
	{"space at width after break", "a   b", 2, byMode("a\n\t\n\tb", "a   b")},
	{"newline collapses, no break", "a\nb c", 5, same("a b c")},
	{"tab counts toward width", "ab\tcd ef", 3, byMode("ab cd\n\tef", "ab cd ef")},
	{"counter reset after pipe", "ab|cd ef gh", 4, byMode("ab|\n\tcd ef\n\tgh", "ab|cd ef gh")},
	{"newline after break", "aaa \nb", 2, byMode("aaa\n\tb", "aaa  b")},
	{"real schedule line", "Full 1st sat at 21:10", 10, byMode("Full 1st sat\n\tat 21:10", "Full 1st sat at 21:10")},
}

func TestRewrap(t *testing.T) {
	for _, tc := range rewrapCases {
		for _, mode := range []apimode.Mode{apimode.Off, apimode.On, apimode.JSON} {
			want, ok := tc.want[mode]
			if !ok {
				want = tc.want[apimode.Off]
			}
			t.Run(tc.name+"/mode"+mode.String(), func(t *testing.T) {
				f, s := newF(mode, true)
				f.KVStringWrap("Key", formatter.Null, tc.in, "%s", tc.wrap)
				if mode == apimode.JSON {
					got := finalizeJSON(t, f, s, true)
					if exp := compactEnvelope(`{"key":"` + jsonEsc(want) + `"}`); got != exp {
						t.Errorf("KVStringWrap(%q, %d):\n got %q\nwant %q", tc.in, tc.wrap, got, exp)
					}
					return
				}
				if err := f.SendBuffer(); err != nil {
					t.Fatal(err)
				}
				var got []string
				if want != "" {
					got = append(got, want)
				}
				if d := cmp.Diff(got, s.take()); d != "" {
					t.Errorf("KVStringWrap(%q, %d) packets (-want +got):\n%s", tc.in, tc.wrap, d)
				}
			})
		}
	}
}

// The key and its format are never rewrapped; the value format sees the
// rewrapped value.
func TestRewrapKeyUntouched(t *testing.T) {
	f, s := newF(apimode.Off, false)
	f.KVStringWrap("a\tb c", "%s=", "x\ty z", "[%s]", 2)
	f.SendBuffer()
	if got, want := one(t, s), "a\tb c=[x y\n\tz]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// KVString is KVStringWrap with wrap -1.
func TestKVStringNoRewrap(t *testing.T) {
	f, s := newF(apimode.Off, false)
	f.KVString("k", formatter.Null, " a\n|b ", "%s")
	f.SendBuffer()
	if got, want := one(t, s), " a\n|b "; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Array items and messages are never rewrapped.
func TestRewrapNotForItemsAndMessages(t *testing.T) {
	f, s := newF(apimode.Off, false)
	f.ArrayItemString(" a\n|b ", "%s")
	f.Message(formatter.MsgInfo, " x\t|y")
	f.SendBuffer()
	if d := cmp.Diff([]string{" x\t|y", " a\n|b "}, s.take()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A value of pipes triples in mode 0 with wrap > 0 (the reference overflows
// its buffer here, README §5; the port emits the expanded text).
func TestRewrapPipeExpansion(t *testing.T) {
	in := strings.Repeat("|", 600)
	f, s := newF(apimode.Off, false)
	f.KVStringWrap("k", formatter.Null, in, "%s", 5)
	f.SendBuffer()
	if got, want := one(t, s), strings.Repeat("|\n\t", 600); got != want {
		t.Errorf("got %d bytes, want %d", len(got), len(want))
	}
}

// The rewrap mode is the mode at the time of the call.
func TestRewrapModeAtCall(t *testing.T) {
	f, s := newF(apimode.On, false)
	f.KVStringWrap("k", formatter.Null, "a b", "%s;", 1)
	f.SetMode(apimode.Off)
	f.KVStringWrap("k", formatter.Null, "a b", "%s", 1)
	f.SendBuffer()
	if got, want := one(t, s), "a b;a\n\tb"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
