package formatter_test

import (
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// The oracle's r_* cases (golden package) pin down the reference
// behaviour; these tests cover what the reference leaves undefined and
// the Go API around it.

func textOf(t *testing.T, fn func(p *formatter.ResourcePrinter)) string {
	t.Helper()
	f, s := newF(apimode.Off, false)
	fn(formatter.NewResourcePrinter(f))
	f.FinalizeResult(true)
	return strings.Join(s.take(), "|")
}

// TestResourceUndefinedFormats: conversions the reference reads a missing
// or mistyped argument for (README §5) print the name as %s would, a
// second one nothing.
func TestResourceUndefinedFormats(t *testing.T) {
	tests := []struct {
		typ, base string
		want      string
	}{
		{"T%d", "", "Tg {\n"},
		{"%s-%s", "", "g- {\n"},
		{"%5d|", "", "    g| {\n"},
		{"%*s|", "", "g| {\n"},
		{"%.*s|", "", "g| {\n"},
		{"x%", "", "xg\n"}, // "% {" is a conversion too
		{"%%%s%%", "", "%g% {\n"},
		{"A", "[%x %s]\n", "A {\n  [n ]\n"},
		{"A", "%-3s%%d|%s\n", "A {\n  n  %d|\n"},
	}
	for _, tt := range tests {
		got := textOf(t, func(p *formatter.ResourcePrinter) {
			p.ResourceStart("g", tt.typ, "r", false)
			if tt.base != "" {
				p.SubResourceStartFormat("n", false, tt.base)
			}
		})
		if got != tt.want {
			t.Errorf("type %q, baseformat %q: %q, want %q", tt.typ, tt.base, got, tt.want)
		}
	}
}

func TestResourceNulls(t *testing.T) {
	got := textOf(t, func(p *formatter.ResourcePrinter) {
		p.ResourceStart(formatter.Null, formatter.Null, formatter.Null, false) // a Null type is the empty name
		p.KeyMultipleStringsOnePerLine("K", []string{"a", formatter.Null, "b"}, false, false, false)
		p.KeyQuotedString(formatter.Null, "v", true)
		p.ResourceEnd(formatter.Null, formatter.Null, false)
	})
	want := " {\n  K = a\n  K = b\n  # (null) = \"v\"\n|}\n\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	f, s := newF(apimode.JSON, true)
	p := formatter.NewResourcePrinter(f)
	p.KeyMultipleStringsOnePerLine("K", []string{"a", formatter.Null, "b"}, false, false, false)
	f.FinalizeResult(true)
	if got, want := one(t, s), `{"jsonrpc":"2.0","id":null,"result":{"k":["a","b"]}}`; got != want {
		t.Errorf("JSON: got %s, want %s", got, want)
	}
}

func TestResourceIndent(t *testing.T) {
	f, s := newF(apimode.Off, false)
	p := formatter.NewResourcePrinter(f)
	if p.Formatter() != f || p.Indent() != 0 {
		t.Fatalf("new printer: formatter %p, indent %d", p.Formatter(), p.Indent())
	}
	p.SetIndent(2)
	if got, want := p.KeyFormat(true, "%s = "), "    # %s = "; got != want {
		t.Errorf("KeyFormat = %q, want %q", got, want)
	}
	if got := p.KeyFormat(false, ""); got != "" {
		t.Errorf("KeyFormat with an empty base = %q", got)
	}
	p.SubResourceStart("X", false)
	p.ArrayStart("a", false, "a = [\n")
	if p.Indent() != 4 {
		t.Errorf("Indent = %d, want 4", p.Indent())
	}
	p.ArrayStart("b", false, "") // no text, no level
	if p.Indent() != 4 {
		t.Errorf("Indent after an empty baseformat = %d, want 4", p.Indent())
	}
	p.SetIndent(-3)
	p.KeyBool("k", false, false)
	f.SendBuffer()
	if got, want := strings.Join(s.take(), "|"), "    X {\n      a = [\nk = No\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}

	// A huge level: the indentation is capped like printf widths.
	p.SetIndent(1 << 40)
	p.KeyBool("k", true, false)
	f.SendBuffer()
	out := one(t, s)
	if len(out) > 1<<17 || !strings.HasSuffix(out, " k = Yes\n") {
		t.Errorf("huge level: %d bytes ending %q", len(out), out[max(0, len(out)-20):])
	}
}

func TestEscapeConfigString(t *testing.T) {
	for in, want := range map[string]string{
		"":                  "",
		`plain /path`:       `plain /path`,
		`a"b`:               `a\"b`,
		`c:\dir`:            `c:\\dir`,
		`(x)<y>`:            `\(x\)\<y\>`,
		`it's`:              `it''s`,
		"tab\there\n\xff é": "tab\there\n\xff é",
	} {
		if got := formatter.EscapeConfigString(in); got != want {
			t.Errorf("EscapeConfigString(%q) = %q, want %q", in, got, want)
		}
	}
	// A long item made only of escaped bytes (a heap overflow in the
	// reference) is escaped completely.
	long := strings.Repeat(`"\`, 100)
	got := textOf(t, func(p *formatter.ResourcePrinter) {
		p.KeyMultipleStringsOnePerLine("k", []string{long}, false, false, false)
	})
	if want := "k = " + strings.Repeat(`\"\\`, 100) + "\n"; got != want {
		t.Errorf("long item: got %q, want %q", got, want)
	}
}

// TestResourceIntegers: the low 32 bits in text, in every mode's text;
// the 64-bit value in JSON.
func TestResourceIntegers(t *testing.T) {
	got := textOf(t, func(p *formatter.ResourcePrinter) {
		p.KeySignedInt("s", 5000000000, false)
		p.KeySignedInt("m", -1<<63, false)
		p.KeyUnsignedInt("u", 1<<64-1, false)
		p.KeyUnsignedInt("v", 5000000000, false)
	})
	if want := "s = 705032704\nm = 0\nu = 4294967295\nv = 705032704\n"; got != want {
		t.Errorf("text: got %q, want %q", got, want)
	}
	f, s := newF(apimode.JSON, true)
	p := formatter.NewResourcePrinter(f)
	p.KeySignedInt("s", 5000000000, false)
	p.KeyUnsignedInt("u", 1<<64-1, false)
	f.FinalizeResult(true)
	if got, want := one(t, s), `{"jsonrpc":"2.0","id":null,"result":{"s":5000000000,"u":-1}}`; got != want {
		t.Errorf("JSON: got %s, want %s", got, want)
	}
}
