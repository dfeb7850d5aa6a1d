package formatter_test

import (
	"math"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// decorate runs Decoration(format, args...) in mode 0 and returns the text
// it produced.
func decorate(t *testing.T, format string, args ...any) string {
	t.Helper()
	f, s := newF(apimode.Off, false)
	f.Decoration(format, args...)
	if err := f.SendBuffer(); err != nil {
		t.Fatal(err)
	}
	p := s.take()
	switch len(p) {
	case 0:
		return ""
	case 1:
		return p[0]
	}
	t.Fatalf("Decoration sent %d packets", len(p))
	return ""
}

// The expected texts of the C rows were checked against glibc printf.
func TestPrintfStrings(t *testing.T) {
	tests := []struct {
		format string
		arg    string
		want   string
	}{
		{"%s", "abc", "abc"},
		{"%5s", "ab", "   ab"},
		{"%-5s|", "ab", "ab   |"},
		{"%.2s", "abcdef", "ab"},
		{"%5.2s", "abcdef", "   ab"},
		{"%-5.2s|", "abcdef", "ab   |"},
		{"%.10s", "abc", "abc"},
		{"%.0s|", "abc", "|"},
		{"%2s", "abcdef", "abcdef"},
		// Widths and precisions count bytes.
		{"%-6s|", "äöü", "äöü|"},
		{"%-7s|", "äöü", "äöü |"},
		{"%7s", "äöü", " äöü"},
		{"%.1s", "ä", "\xc3"},
		{"%.3s", "äö", "ä\xc3"},
		{"%-3s|", "€", "€|"},
		// NULL strings.
		{"%s", formatter.Null, "(null)"},
		{"%8s", formatter.Null, "  (null)"},
		{"%-8s|", formatter.Null, "(null)  |"},
		{"%-3s|", formatter.Null, "(null)|"},
		{"%.6s", formatter.Null, "(null)"},
		{"<%s>", "", "<>"},
		{"%5s|", "", "     |"},
		// Bytes pass through.
		{"%s", "\x00a\xff\n\"", "\x00a\xff\n\""},
		{"%s", "%d %s %%", "%d %s %%"},
	}
	for _, tt := range tests {
		if got := decorate(t, tt.format, tt.arg); got != tt.want {
			t.Errorf("Decoration(%q, %q) = %q, want %q", tt.format, tt.arg, got, tt.want)
		}
	}
}

func TestPrintfIntegers(t *testing.T) {
	tests := []struct {
		format string
		arg    any
		want   string
	}{
		{"%d", 42, "42"},
		{"%d", int64(-42), "-42"},
		{"%5d", 42, "   42"},
		{"%-5d|", 42, "42   |"},
		{"%05d", 42, "00042"},
		{"%05d", -42, "-0042"},
		{"%05d", int64(-42), "-0042"},
		{"%03d", -1, "-01"},
		{"%.3d", 7, "007"},
		{"%.3d", -7, "-007"},
		{"%.10d", -123, "-0000000123"},
		{"%8.3d", -5, "    -005"},
		{"%08.3d", -5, "    -005"}, // '0' is ignored with a precision
		{"%.0d", 0, ""},
		{"%5.0d", 0, "     "},
		{"%.0d|", 1, "1|"},
		{"%-05d|", -3, "-3   |"}, // '-' beats '0'
		{"%0-5d|", 3, "3    |"},
		{"%-1d|", 0, "0|"},
		{"%3d|", 0, "  0|"},
		{"%01d", 0, "0"},
		{"%5d", 123456, "123456"},
		{"%2d", -100, "-100"},
		{"%+d", 5, "+5"},
		{"%+d", -5, "-5"},
		{"% d", 5, " 5"},
		{"% d", -5, "-5"},
		{"%+05d", 42, "+0042"},
		{"% 05d", -3, "-0003"},
		{"%-+5d|", 3, "+3   |"},
		{"%d", int64(math.MinInt64), "-9223372036854775808"},
		{"%d", int64(math.MaxInt64), "9223372036854775807"},
		{"%d", uint64(math.MaxUint64), "18446744073709551615"},
		{"%d", uint64(1 << 63), "9223372036854775808"},
		{"%22d|", uint64(math.MaxUint64), "  18446744073709551615|"},
		{"%d", uint32(math.MaxUint32), "4294967295"},
		{"%d", int8(-8), "-8"},
		{"%d", true, "1"},
		{"%d", false, "0"},
		{"%d%%", 50, "50%"},
	}
	for _, tt := range tests {
		if got := decorate(t, tt.format, tt.arg); got != tt.want {
			t.Errorf("Decoration(%q, %v) = %q, want %q", tt.format, tt.arg, got, tt.want)
		}
	}
}

func TestPrintfMisc(t *testing.T) {
	tests := []struct {
		format string
		args   []any
		want   string
	}{
		{"%%", nil, "%"},
		{"100%%", nil, "100%"},
		{"%5%|", nil, "%|"}, // glibc ignores the width of %%
		{"plain", nil, "plain"},
		{"", nil, ""},
		{"%s=%d;", []any{"a", 1}, "a=1;"},
		{"|%-4s|%4d|%s|", []any{"ab", -7, formatter.Null}, "|ab  |  -7|(null)|"},
		// Arguments without a conversion are ignored, as in C.
		{"text", []any{42}, "text"},
		{"%s", []any{"a", "b"}, "a"},
		// Go verbs go to fmt.
		{"%x", []any{255}, "ff"},
		{"%X", []any{255}, "FF"},
		{"%04x", []any{10}, "000a"},
		{"%q", []any{`a"b`}, `"a\"b"`},
		{"%v", []any{[]int{1, 2}}, "[1 2]"},
		{"%5.1f", []any{3.14159}, "  3.1"},
		{"%t", []any{true}, "true"},
		{"%c", []any{'x'}, "x"},
		{"%x|%d", []any{255, 255}, "ff|255"},
		{"%v", []any{uint64(math.MaxUint64)}, "18446744073709551615"},
		// A conversion without an argument is reported as fmt does.
		{"%d", nil, "%!d(MISSING)"},
		{"a%sb", nil, "a%!s(MISSING)b"},
		// %s of a non-string and %d of a non-integer: fmt's reports.
		{"%s", []any{5}, "%!s(int=5)"},
		{"%d", []any{"x"}, "%!d(string=x)"},
	}
	for _, tt := range tests {
		if got := decorate(t, tt.format, tt.args...); got != tt.want {
			t.Errorf("Decoration(%q, %v) = %q, want %q", tt.format, tt.args, got, tt.want)
		}
	}
}

// A format must not make the formatter allocate what it asks for.
func TestPrintfHugeWidth(t *testing.T) {
	got := decorate(t, "%999999999999s|%99999999999999999999d|", "a", 1)
	if len(got) > 1<<20 {
		t.Fatalf("huge width produced %d bytes", len(got))
	}
	if got[len(got)-1] != '|' {
		t.Errorf("output does not end with the format's last byte: %q", got[len(got)-10:])
	}
}

// The value formats of the KV calls and items get the argument types of
// README §1.3.
func TestPrintfCallArguments(t *testing.T) {
	f, s := newF(apimode.Off, false)
	f.KVUint("Max", "%s=", math.MaxUint64, "%d;")
	f.KVUint("Big", "%s=", 1<<63, "%-20d|")
	f.KVInt("Neg", "%s=", -42, "%05d;")
	f.KVInt("Min", "%s=", math.MinInt64, "%d;")
	f.KVBool("T", "%s=", true, "%s;")
	f.KVBool("F", "%-3s=", false, "%6s;")
	f.KVString("S", "%s=", "v", "%3s;")
	f.KVString("N", "%s=", formatter.Null, "[%s];")
	f.KVString(formatter.Null, "%s=", "x", "%s;")
	f.ArrayItemBool(true, "%d,")
	f.ArrayItemBool(false, "%03d,")
	f.ArrayItemUint(math.MaxUint64, "%d,")
	f.ArrayItemString(formatter.Null, "%s,")
	f.ArrayItemString("it", "%-4s,")
	f.ArrayItemText("ignored", "100%d%%,")
	f.ArrayItemText("ignored", formatter.Null)
	f.ObjectStart(formatter.Null, "{%s}")
	f.ArrayStart("Arr", "[%s]")
	f.ArrayEnd(formatter.Null, "[/%s]")
	f.ObjectEnd("Obj", "{/%s}")
	want := "Max=18446744073709551615;Big=9223372036854775808 |Neg=-0042;Min=-9223372036854775808;" +
		"T=true;F  = false;S=  v;N=[];(null)=x;1,000,18446744073709551615,(null),it  ,100%d%%," +
		"{(null)}[Arr][/(null)]{/Obj}"
	if got := one(t, s); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// '*' widths and precisions, length modifiers and %i/%u: the forms the
// Director's own format strings use (sql.cc prints its table headers with
// " %-*s |"). Checked against glibc.
func TestPrintfCForms(t *testing.T) {
	tests := []struct {
		format string
		args   []any
		want   string
	}{
		{"[%*d]", []any{4, 7}, "[   7]"},
		{"[%-*s|]", []any{5, "ab"}, "[ab   |]"},
		{" %-*s |", []any{6, "name"}, " name   |"},
		{"[%*s|]", []any{-4, "ab"}, "[ab  |]"}, // a negative width left-justifies
		{"[%.*s]", []any{2, "abcdef"}, "[ab]"},
		{"[%.*s]", []any{-1, "abc"}, "[abc]"}, // a negative precision is none
		{"[%*.*s]", []any{5, 2, "abcdef"}, "[   ab]"},
		{"[%0*d]", []any{5, -42}, "[-0042]"},
		{"[%*d|%s]", []any{int64(3), 1, "x"}, "[  1|x]"},
		{"[%.s]", []any{"abc"}, "[]"},
		{"[%.d]", []any{0}, "[]"},
		{"[%.3s]", []any{formatter.Null}, "[]"}, // glibc: "(null)" only if it fits
		{"[%.5s]", []any{formatter.Null}, "[]"},
		{"[%7.2s|]", []any{formatter.Null}, "[       |]"},
		{"[%.*s]", []any{3, formatter.Null}, "[]"},
		{"[%lld]", []any{int64(math.MinInt64)}, "[-9223372036854775808]"},
		{"[%llu]", []any{uint64(math.MaxUint64)}, "[18446744073709551615]"},
		{"[%lu|%zu|%ld|%hd]", []any{uint64(1), 2, int64(-3), 4}, "[1|2|-3|4]"},
		{"[%i|%u]", []any{-5, uint32(6)}, "[-5|6]"},
		{"[%5i|%-5u|]", []any{-5, 6}, "[   -5|6    |]"},
		{"[%05lld]", []any{int64(-42)}, "[-0042]"},
		// %u of a negative signed value: C's two's complement (64-bit for
		// int and int64, the promoted 32-bit int for smaller types).
		{"[%u]", []any{int64(-7)}, "[18446744073709551609]"},
		{"[%lu|%llu]", []any{-7, int64(math.MinInt64)}, "[18446744073709551609|9223372036854775808]"},
		{"[%u|%u|%u]", []any{int32(-7), int16(-1), int8(-128)}, "[4294967289|4294967295|4294967168]"},
		{"[%25u|%-22u|%025u]", []any{int64(-7), int64(-1), int64(-7)}, "[     18446744073709551609|18446744073709551615  |0000018446744073709551609]"},
		{"[%+u|% u|%+d]", []any{5, 6, 7}, "[5|6|+7]"}, // no sign for unsigned conversions
		{"[%u|%u]", []any{uint64(math.MaxUint64), 0}, "[18446744073709551615|0]"},
		{"[%i|%d]", []any{int64(-7), -7}, "[-7|-7]"},
	}
	for _, tt := range tests {
		if got := decorate(t, tt.format, tt.args...); got != tt.want {
			t.Errorf("Decoration(%q, %v) = %q, want %q", tt.format, tt.args, got, tt.want)
		}
		if got := formatter.Sprintf(tt.format, tt.args...); got != tt.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", tt.format, tt.args, got, tt.want)
		}
	}
}

func TestSprintfAppendf(t *testing.T) {
	if got, want := formatter.Sprintf("%-6s|%05d|%s", "äöü", -42, formatter.Null), "äöü|-0042|(null)"; got != want {
		t.Errorf("Sprintf = %q, want %q", got, want)
	}
	dst := []byte("pre:")
	if got, want := string(formatter.Appendf(dst, "%3d%%", 7)), "pre:  7%"; got != want {
		t.Errorf("Appendf = %q, want %q", got, want)
	}
}

// TestKVUnsignedOfNegative: a KVInt value printed through %u is the
// 64-bit two's complement, as C prints an int64 through %lu (found by
// differential testing against the reference).
func TestKVUnsignedOfNegative(t *testing.T) {
	f, s := newF(apimode.Off, false)
	f.KVInt("a", "%s=", -7, "%u;")
	f.KVInt("b", "%s=", math.MinInt64, "%llu;")
	f.KVInt("c", "%s=", -1, "%22u;")
	f.KVInt("d", "%s=", -7, "%d;")
	f.KVInt("e", "%s=", 7, "%u")
	f.SendBuffer()
	want := "a=18446744073709551609;b=9223372036854775808;c=  18446744073709551615;d=-7;e=7"
	if got := one(t, s); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
