package dircmd

import (
	"strconv"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// resPrinter is the Director's OutputFormatterResource over a formatter:
// each method is the reference's sequence of formatter calls, with the
// indentation level of the printed blocks.
//
// (Provisional: the formatter package gets its own resource printer;
// this adapter then forwards to it.)
type resPrinter struct {
	f     *formatter.Formatter
	level int
}

var _ resource.Printer = (*resPrinter)(nil)

func newResPrinter(f *formatter.Formatter) *resPrinter { return &resPrinter{f: f} }

// KeyFormat is the line prefix: two blanks per level above 0, "# " for
// a comment, then base; nothing at all for an empty base.
func (p *resPrinter) KeyFormat(asComment bool, base string) string {
	if base == "" {
		return ""
	}
	var b []byte
	for i := 0; i < p.level; i++ {
		b = append(b, "  "...)
	}
	if asComment {
		b = append(b, "# "...)
	}
	return string(append(b, base...))
}

func (p *resPrinter) Formatter() *formatter.Formatter { return p.f }

func (p *resPrinter) ResourceStart(group, typ, name string, c bool) {
	p.f.ObjectStart(group, p.KeyFormat(c, typ+" {\n"))
	p.level++
	p.f.ObjectStartCaseSensitive(name, null)
}

func (p *resPrinter) ResourceEnd(group, _, name string, c bool) {
	p.f.ObjectEnd(name, null)
	p.level--
	p.f.ObjectEnd(group, p.KeyFormat(c, "}\n\n"))
}

func (p *resPrinter) SubResourceStart(name string, c bool, base string) {
	p.f.ObjectStart(name, p.KeyFormat(c, base))
	if base != "" {
		p.level++
	}
}

func (p *resPrinter) SubResourceEnd(name string, c bool, base string) {
	if base == "" {
		p.f.ObjectEnd(name, null)
		return
	}
	p.level--
	p.f.ObjectEnd(name, p.KeyFormat(c, base))
}

func (p *resPrinter) ArrayStart(name string, c bool, base string) {
	p.f.ArrayStart(name, p.KeyFormat(c, base))
	if base != "" {
		p.level++
	}
}

func (p *resPrinter) ArrayEnd(name string, c bool, base string) {
	if base != "" {
		p.level--
	}
	p.f.ArrayEnd(name, p.KeyFormat(c, base))
}

func (p *resPrinter) KeyBool(key string, v, c bool) {
	text := "No\n"
	if v {
		text = "Yes\n"
	}
	p.f.KVBool(key, p.KeyFormat(c, "%s = "), v, text)
}

// KeySignedInt prints the low 32 bits in text, as the Director's "%d"
// of a 64-bit argument does on its platform; JSON has the full value.
func (p *resPrinter) KeySignedInt(key string, v int64, c bool) {
	p.f.KVUint(key, p.KeyFormat(c, "%s = "), uint64(v), strconv.FormatInt(int64(int32(v)), 10)+"\n")
}

// KeyUnsignedInt is KeySignedInt with "%u".
func (p *resPrinter) KeyUnsignedInt(key string, v int64, c bool) {
	p.f.KVUint(key, p.KeyFormat(c, "%s = "), uint64(v), strconv.FormatUint(uint64(uint32(v)), 10)+"\n")
}

func (p *resPrinter) KeyString(key, v string, c bool) {
	if v == null && !c {
		return
	}
	p.f.KVString(key, p.KeyFormat(c, "%s = "), v, "%s\n")
}

func (p *resPrinter) KeyQuotedString(key, v string, c bool) {
	if v == null {
		p.KeyString(key, v, c)
		return
	}
	p.f.KVString(key, p.KeyFormat(c, "%s = "), v, "\"%s\"\n")
}

func (p *resPrinter) KeyMultipleStringsInOneLine(key string, list []string, c, quoted bool) {
	item := "%s"
	if quoted {
		item = "\"%s\""
	}
	p.f.ArrayStart(key, p.KeyFormat(c, "%s = "))
	for i, s := range list {
		if i == 0 {
			p.f.ArrayItemString(s, item)
		} else {
			p.f.ArrayItemString(s, ", "+item)
		}
	}
	p.f.ArrayEnd(key, "\n")
}

func (p *resPrinter) KeyMultipleStringsOnePerLine(key string, list []string, c, quoted, escape bool) {
	if len(list) == 0 {
		if c {
			p.f.ArrayStart(key, p.KeyFormat(c, "%s = ")+"\n")
			p.f.ArrayEnd(key, null)
		}
		return
	}
	line := p.KeyFormat(c, "%s = ")
	if quoted {
		line += "\"%s\"\n"
	} else {
		line += "%s\n"
	}
	p.f.ArrayStart(key, null)
	for _, s := range list {
		shown := s
		if escape || hasUnescapedQuote(s) {
			shown = resource.Escape(s)
		}
		p.f.ArrayItemText(s, formatter.Sprintf(line, key, shown))
	}
	p.f.ArrayEnd(key, null)
}

// hasUnescapedQuote reports a double quote preceded by an even number of
// backslashes.
func hasUnescapedQuote(s string) bool {
	bs := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			bs++
			continue
		case '"':
			if bs%2 == 0 {
				return true
			}
		}
		bs = 0
	}
	return false
}
