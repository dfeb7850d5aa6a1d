package formatter_test

// The reference model of the resource printer, written from the oracle
// README §7 rather than from the implementation: each method is the
// sequence of formatter calls of §7.3, made on the formatter model, with
// the line prefix of §7.2 used as a printf format.

import (
	"strings"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/calls"
)

type modelPrinter struct {
	m     *model
	level int
}

var _ calls.Printer = (*modelPrinter)(nil)

// target is the model as a call target: its formatter and its printer.
func (m *model) target() calls.Target {
	if m.printer == nil {
		m.printer = &modelPrinter{m: m}
	}
	return calls.Target{F: m, P: m.printer}
}

// pfx is P(c, base) of README §7.2.
func (p *modelPrinter) pfx(c bool, base string) string {
	if base == "" {
		return ""
	}
	if p.level < 0 {
		p.m.hit("negative indentation")
	}
	var b strings.Builder
	for range p.level {
		b.WriteString("  ")
	}
	if c {
		b.WriteString("# ")
	}
	return b.String() + base
}

func (p *modelPrinter) SetIndent(n int) { p.level = n }

func (p *modelPrinter) ResourceStart(g, t, n string, c bool) {
	if t == formatter.Null {
		t = ""
	}
	if strings.Contains(t, "%") {
		p.m.hit("format in a type name")
	}
	p.m.ObjectStart(g, p.pfx(c, t+" {\n"))
	p.level++
	p.m.ObjectStartCaseSensitive(n, formatter.Null)
}

func (p *modelPrinter) ResourceEnd(g, n string, c bool) {
	p.m.ObjectEnd(n, formatter.Null)
	p.level--
	p.m.ObjectEnd(g, p.pfx(c, "}\n\n"))
}

func (p *modelPrinter) SubResourceStart(n string, c bool) { p.SubResourceStartFormat(n, c, "%s {\n") }

func (p *modelPrinter) SubResourceEnd(n string, c bool) { p.SubResourceEndFormat(n, c, "}\n") }

func (p *modelPrinter) SubResourceStartFormat(n string, c bool, b string) {
	p.m.ObjectStart(n, p.pfx(c, b))
	if b != "" {
		p.level++
	}
}

func (p *modelPrinter) SubResourceEndFormat(n string, c bool, b string) {
	if b == "" {
		p.m.ObjectEnd(n, formatter.Null)
		return
	}
	p.level--
	p.m.ObjectEnd(n, p.pfx(c, b))
}

func (p *modelPrinter) ArrayStart(k string, c bool, b string) {
	p.m.ArrayStart(k, p.pfx(c, b))
	if b != "" {
		p.level++
	}
}

func (p *modelPrinter) ArrayEnd(k string, c bool, b string) {
	if b != "" {
		p.level--
	}
	p.m.ArrayEnd(k, p.pfx(c, b))
}

func (p *modelPrinter) KeyBool(k string, v, c bool) {
	vf := "No\n"
	if v {
		vf = "Yes\n"
	}
	p.m.KVBool(k, p.pfx(c, "%s = "), v, vf)
}

// The integer value formats have no length modifier: text shows the low
// 32 bits (§7.4 item 6), JSON the 64-bit value of KVUint.
func (p *modelPrinter) KeySignedInt(k string, v int64, c bool) {
	if p.m.json() {
		p.m.KVUint(k, p.pfx(c, "%s = "), uint64(v), "%d\n")
		return
	}
	p.m.KVInt(k, p.pfx(c, "%s = "), int64(int32(v)), "%d\n")
}

func (p *modelPrinter) KeyUnsignedInt(k string, v uint64, c bool) {
	if p.m.json() {
		p.m.KVUint(k, p.pfx(c, "%s = "), v, "%d\n")
		return
	}
	p.m.KVUint(k, p.pfx(c, "%s = "), uint64(uint32(v)), "%d\n")
}

func (p *modelPrinter) KeyUnquotedString(k, v string, c bool) {
	if v == formatter.Null && !c {
		return
	}
	p.m.KVStringWrap(k, p.pfx(c, "%s = "), v, "%s\n", -1)
}

func (p *modelPrinter) KeyQuotedString(k, v string, c bool) {
	if v == formatter.Null {
		p.KeyUnquotedString(k, v, c)
		return
	}
	p.m.KVStringWrap(k, p.pfx(c, "%s = "), v, "\"%s\"\n", -1)
}

func (p *modelPrinter) KeyMultipleStringsInOneLine(k string, list []string, c, q bool) {
	p.m.ArrayStart(k, p.pfx(c, "%s = "))
	f := "%s"
	if q {
		f = `"%s"`
	}
	for i, item := range list {
		if i == 0 {
			p.m.ArrayItemString(item, f)
		} else {
			p.m.ArrayItemString(item, ", "+f)
		}
	}
	p.m.ArrayEnd(k, "\n")
}

func (p *modelPrinter) KeyMultipleStringsOnePerLine(k string, list []string, c, q, e bool) {
	if len(list) == 0 {
		if c {
			p.m.ArrayStart(k, p.pfx(c, "%s = ")+"\n")
			p.m.ArrayEnd(k, formatter.Null)
		}
		return
	}
	p.m.ArrayStart(k, formatter.Null)
	line := p.pfx(c, "%s = ") + "%s\n"
	if q {
		line = p.pfx(c, "%s = ") + "\"%s\"\n"
	}
	for _, item := range list {
		if item == formatter.Null {
			continue // a crash in the reference (README §5)
		}
		shown := item
		if e || unescapedQuote(item) {
			shown = escapeRef(item)
			p.m.hit("escaped list item")
		}
		p.m.ArrayItemText(item, cfmt(line, k, shown))
	}
	p.m.ArrayEnd(k, formatter.Null)
}

// unescapedQuote reports whether s has a '"' preceded by an even number of
// consecutive backslashes (README §7.3).
func unescapedQuote(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		n := 0
		for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return true
		}
	}
	return false
}

// escapeRef is Escape(s) of README §7.3.
func escapeRef(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `(`, `\(`, `)`, `\)`, `<`, `\<`, `>`, `\>`, `'`, `''`)
	return r.Replace(s)
}
