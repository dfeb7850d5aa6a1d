package formatter_test

// An independent reference model of the formatter, written from the
// README of the golden oracle (§3) rather than from the implementation:
// a plain tree with ordered keys, a container stack that may hold any node,
// a jansson-style writer and a utfcpp-style UTF-8 repair. The differential
// test (diff_test.go) runs generated call sequences through both.

import (
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// ---------------------------------------------------------------------------
// Strings: escaping, UTF-8, case.

// jsonEsc escapes s the way jansson 2.14 writes strings (README §3.4.8): s
// is assumed to be valid UTF-8.
func jsonEsc(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte("0123456789ABCDEF"[c>>4])
			b.WriteByte("0123456789ABCDEF"[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isTrail(c byte) bool { return c&0xC0 == 0x80 }

// seqLen is the sequence length a lead byte announces, 0 for a byte that
// cannot start a sequence (utfcpp's classification: C0 and C1 announce 2,
// F5..F7 announce 4).
func seqLen(c byte) int {
	switch {
	case c < 0x80:
		return 1
	case c>>5 == 0x6:
		return 2
	case c>>4 == 0xE:
		return 3
	case c>>3 == 0x1E:
		return 4
	}
	return 0
}

// seqAt reports whether a valid (shortest form, no surrogate, <= U+10FFFF)
// sequence of n bytes starts at s[i].
func seqAt(s string, i, n int) bool {
	if i+n > len(s) {
		return false
	}
	cp := rune(s[i])
	switch n {
	case 1:
		return true
	case 2:
		cp &= 0x1F
	case 3:
		cp &= 0x0F
	case 4:
		cp &= 0x07
	}
	for k := 1; k < n; k++ {
		if !isTrail(s[i+k]) {
			return false
		}
		cp = cp<<6 | rune(s[i+k]&0x3F)
	}
	switch {
	case n == 2 && cp < 0x80, n == 3 && cp < 0x800, n == 4 && cp < 0x10000:
		return false // overlong
	case cp >= 0xD800 && cp <= 0xDFFF, cp > 0x10FFFF:
		return false
	}
	return true
}

// isValidUTF8 is a strict UTF-8 check.
func isValidUTF8(s string) bool {
	for i := 0; i < len(s); {
		n := seqLen(s[i])
		if n == 0 || !seqAt(s, i, n) {
			return false
		}
		i += n
	}
	return true
}

// repairUTF8 is utfcpp's replace_invalid as README §3.4.6 describes it.
func repairUTF8(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		n := seqLen(s[i])
		if n > 0 && seqAt(s, i, n) {
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteString("\xEF\xBF\xBD")
		i++
		if n > 0 { // a lead byte swallows the trail bytes after it
			for i < len(s) && isTrail(s[i]) {
				i++
			}
		}
	}
	return b.String()
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// rewrapRef is README §3.3, row by row.
func rewrapRef(v string, wrap int, mode apimode.Mode) string {
	if wrap < 0 {
		return v
	}
	breaking := mode == apimode.Off && wrap > 0
	var out []byte
	c, d := 0, 0
	for i := 0; i < len(v); i++ {
		c++
		next := byte(0)
		if i+1 < len(v) {
			next = v[i+1]
		}
		switch b := v[i]; b {
		case ' ':
			if breaking && c >= wrap && d <= 0 && next != '|' {
				out = append(out, '\n', '\t')
				c = 0
			} else if c > 1 {
				out = append(out, ' ')
			}
		case '|':
			out = append(out, '|')
			if breaking && d <= 0 {
				out = append(out, '\n', '\t')
				c = 0
			}
		case '[', '<':
			out = append(out, b)
			d++
		case ']', '>':
			out = append(out, b)
			d--
		case '\n', '\t':
			if c > 1 && next != '\n' && next != '\t' && next != ' ' {
				out = append(out, ' ')
			}
		default:
			out = append(out, b)
		}
	}
	return string(out)
}

// cfmt is a small C printf for the formats the model uses: text and %%,
// and one or more conversions % [-0] [width] [.prec] (s|d). A string
// argument equal to formatter.Null prints "(null)" (glibc, when the
// precision allows 6 bytes, else nothing).
func cfmt(format string, args ...any) string {
	var b []byte
	ai := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			b = append(b, format[i])
			continue
		}
		i++
		if format[i] == '%' {
			b = append(b, '%')
			continue
		}
		left, zero := false, false
		for ; format[i] == '-' || format[i] == '0'; i++ {
			if format[i] == '-' {
				left = true
			} else {
				zero = true
			}
		}
		width := 0
		for ; format[i] >= '0' && format[i] <= '9'; i++ {
			width = width*10 + int(format[i]-'0')
		}
		prec := -1
		if format[i] == '.' {
			prec = 0
			for i++; format[i] >= '0' && format[i] <= '9'; i++ {
				prec = prec*10 + int(format[i]-'0')
			}
		}
		arg := args[ai]
		ai++
		var sign, body string
		switch format[i] {
		case 's':
			s := arg.(string)
			if s == formatter.Null {
				s = "(null)"
				if prec >= 0 && prec < 6 {
					s = ""
				}
			}
			if prec >= 0 && prec < len(s) {
				s = s[:prec]
			}
			body = s
			zero = false
		case 'd':
			switch v := arg.(type) {
			case uint64:
				body = strconv.FormatUint(v, 10)
			case int64:
				body = strconv.FormatInt(v, 10)
			case int:
				body = strconv.Itoa(v)
			}
			if body[0] == '-' {
				sign, body = "-", body[1:]
			}
			if prec >= 0 {
				zero = false
				if prec == 0 && body == "0" {
					body = ""
				}
				for len(body) < prec {
					body = "0" + body
				}
			}
		default:
			panic("cfmt: unsupported verb in " + format)
		}
		n := len(sign) + len(body)
		switch {
		case n >= width:
			b = append(append(b, sign...), body...)
		case left:
			b = append(append(b, sign...), body...)
			b = append(b, strings.Repeat(" ", width-n)...)
		case zero:
			b = append(b, sign...)
			b = append(b, strings.Repeat("0", width-n)...)
			b = append(b, body...)
		default:
			b = append(b, strings.Repeat(" ", width-n)...)
			b = append(append(b, sign...), body...)
		}
	}
	return string(b)
}

// ---------------------------------------------------------------------------
// The JSON tree and its writer.

type mkind uint8

const (
	mObj mkind = iota
	mArr
	mStr
	mInt
	mTrue
	mFalse
	mNull
)

type mnode struct {
	kind mkind
	keys []string // mObj: member keys, parallel to vals
	vals []*mnode // mObj: member values; mArr: items
	s    string   // mStr (valid UTF-8, unescaped)
	i    int64    // mInt
}

func newObj() *mnode { return &mnode{kind: mObj} }

func (n *mnode) index(k string) int {
	for i, key := range n.keys {
		if key == k {
			return i
		}
	}
	return -1
}

// set inserts k, or replaces its value in place.
func (n *mnode) set(k string, v *mnode) {
	if i := n.index(k); i >= 0 {
		n.vals[i] = v
		return
	}
	n.keys = append(n.keys, k)
	n.vals = append(n.vals, v)
}

func mstr(s string) *mnode { return &mnode{kind: mStr, s: s} }
func mint(i int64) *mnode  { return &mnode{kind: mInt, i: i} }
func mbool(b bool) *mnode {
	if b {
		return &mnode{kind: mTrue}
	}
	return &mnode{kind: mFalse}
}

// dumpRef writes n as jansson's json_dumps does with JSON_INDENT(2) or
// JSON_COMPACT.
func dumpRef(b *strings.Builder, n *mnode, depth int, compact bool) {
	newline := func(d int) {
		if !compact {
			b.WriteByte('\n')
			b.WriteString(strings.Repeat("  ", d))
		}
	}
	switch n.kind {
	case mObj, mArr:
		open, close := "{", "}"
		if n.kind == mArr {
			open, close = "[", "]"
		}
		b.WriteString(open)
		if len(n.vals) == 0 {
			b.WriteString(close)
			return
		}
		for i, v := range n.vals {
			if i > 0 {
				b.WriteByte(',')
			}
			newline(depth + 1)
			if n.kind == mObj {
				b.WriteString(`"` + jsonEsc(n.keys[i]) + `"`)
				if compact {
					b.WriteByte(':')
				} else {
					b.WriteString(": ")
				}
			}
			dumpRef(b, v, depth+1, compact)
		}
		newline(depth)
		b.WriteString(close)
	case mStr:
		b.WriteString(`"` + jsonEsc(n.s) + `"`)
	case mInt:
		b.WriteString(strconv.FormatInt(n.i, 10))
	case mTrue:
		b.WriteString("true")
	case mFalse:
		b.WriteString("false")
	case mNull:
		b.WriteString("null")
	}
}

func dumpString(n *mnode, compact bool) string {
	var b strings.Builder
	dumpRef(&b, n, 0, compact)
	return b.String()
}

// ---------------------------------------------------------------------------
// The formatter model.

type model struct {
	mode    apimode.Mode
	compact bool
	text    []byte

	root  *mnode
	stack []*mnode // nil: a detached container (README §5 suggestion)

	msgTypes []string
	msgs     map[string][]string

	filters  []formatter.Filter
	filtered uint64
	filterFn formatter.FilterFunc
	hidden   map[int]bool

	printer *modelPrinter // the resource printer on this model

	packets []string

	// stats counts how often the interesting paths were taken, so the
	// differential test can check that its sequences reach them.
	stats map[string]int
}

func (m *model) hit(what string) {
	if m.stats != nil {
		m.stats[what]++
	}
}

func newModel(mode apimode.Mode, compact bool) *model {
	m := &model{mode: mode, compact: compact}
	m.resetJSON()
	return m
}

func (m *model) resetJSON() {
	m.root = newObj()
	m.stack = []*mnode{m.root}
	m.msgTypes = nil
	m.msgs = map[string][]string{}
}

func (m *model) json() bool { return m.mode == apimode.JSON }

func (m *model) textf(format string, args ...any) {
	if format == "" || format == formatter.Null {
		return
	}
	m.text = append(m.text, cfmt(format, args...)...)
}

func (m *model) flush() {
	if len(m.text) > 0 {
		m.packets = append(m.packets, string(m.text))
		m.text = nil
	}
}

func (m *model) top() (n *mnode, ok bool) {
	if len(m.stack) == 0 {
		return nil, false
	}
	return m.stack[len(m.stack)-1], true
}

func (m *model) push(n *mnode) { m.stack = append(m.stack, n) }

func (m *model) pop() {
	if len(m.stack) > 0 {
		m.stack = m.stack[:len(m.stack)-1]
		return
	}
	m.hit("end on empty stack")
}

// ObjectStart: README §3.4.2 (and §5 for the undefined paths).
func (m *model) ObjectStart(name, format string) { m.objectStart(name, format, false) }

func (m *model) ObjectStartCaseSensitive(name, format string) { m.objectStart(name, format, true) }

func (m *model) objectStart(name, format string, cs bool) {
	if !m.json() {
		m.textf(format, name)
		return
	}
	top, ok := m.top()
	if !ok {
		return
	}
	if name == formatter.Null {
		if top != nil && top.kind == mArr {
			m.hit("nameless object in array")
			o := newObj()
			top.vals = append(top.vals, o)
			m.push(o)
			return
		}
		switch {
		case top == nil:
			m.hit("nameless object in detached")
		case top.kind == mObj:
			m.hit("nameless object merges")
		default:
			m.hit("nameless object on scalar")
		}
		m.push(top) // the same container again (object, scalar or detached)
		return
	}
	if top == nil || top.kind != mObj || !isValidUTF8(name) {
		m.hit("detached object")
		m.push(nil)
		return
	}
	key := name
	if !cs {
		key = lowerASCII(name)
	}
	if i := top.index(key); i >= 0 {
		switch top.vals[i].kind {
		case mObj:
			m.hit("reopen object")
		case mArr:
			m.hit("reopen array")
		default:
			m.hit("reopen scalar")
		}
		m.push(top.vals[i]) // re-open, whatever it is
		return
	}
	o := newObj()
	top.set(key, o)
	m.push(o)
}

func (m *model) ObjectEnd(name, format string) {
	if !m.json() {
		m.textf(format, name)
		m.flush()
		return
	}
	m.pop()
}

func (m *model) ArrayStart(name, format string) {
	if !m.json() {
		m.textf(format, name)
		return
	}
	top, ok := m.top()
	if !ok {
		return
	}
	if top == nil { // inside a detached (discarded) object
		m.push(nil)
		return
	}
	if top.kind != mObj {
		return
	}
	if name == formatter.Null {
		name = ""
	}
	if !isValidUTF8(name) {
		m.push(nil)
		return
	}
	key := lowerASCII(name)
	if top.index(key) >= 0 {
		m.hit("array start refused")
		return
	}
	a := &mnode{kind: mArr}
	top.set(key, a)
	m.push(a)
}

func (m *model) ArrayEnd(name, format string) {
	if !m.json() {
		m.textf(format, name)
		return
	}
	m.pop()
}

func (m *model) kv(key string, v *mnode) {
	top, ok := m.top()
	if !ok || top == nil || top.kind != mObj {
		return
	}
	if key == formatter.Null {
		key = ""
	}
	if !isValidUTF8(key) {
		m.hit("invalid key dropped")
		return
	}
	if top.index(lowerASCII(key)) >= 0 {
		m.hit("value replaced")
	}
	top.set(lowerASCII(key), v)
	if len(top.keys) > 30 {
		m.hit("wide object")
	}
}

func (m *model) item(v *mnode) {
	top, ok := m.top()
	if !ok || top == nil || top.kind != mArr {
		return
	}
	top.vals = append(top.vals, v)
}

func (m *model) KVBool(key, kf string, v bool, vf string) {
	if m.json() {
		m.kv(key, mbool(v))
		return
	}
	s := "false"
	if v {
		s = "true"
	}
	m.textf(kf, key)
	m.textf(vf, s)
}

func (m *model) KVUint(key, kf string, v uint64, vf string) {
	if m.json() {
		m.kv(key, mint(int64(v)))
		return
	}
	m.textf(kf, key)
	m.textf(vf, v)
}

func (m *model) KVInt(key, kf string, v int64, vf string) {
	if m.json() {
		m.kv(key, mint(v))
		return
	}
	m.textf(kf, key)
	m.textf(vf, v)
}

func (m *model) KVString(key, kf, v, vf string) { m.KVStringWrap(key, kf, v, vf, -1) }

func (m *model) KVStringWrap(key, kf, v, vf string, wrap int) {
	if v == formatter.Null {
		v = ""
	}
	v = rewrapRef(v, wrap, m.mode)
	if m.json() {
		m.kv(key, mstr(repairUTF8(v)))
		return
	}
	m.textf(kf, key)
	m.textf(vf, v)
}

func (m *model) ArrayItemBool(v bool, format string) {
	if m.json() {
		m.item(mbool(v))
		return
	}
	n := 0
	if v {
		n = 1
	}
	m.textf(format, n)
}

func (m *model) ArrayItemUint(v uint64, format string) {
	if m.json() {
		m.item(mint(int64(v)))
		return
	}
	m.textf(format, v)
}

func (m *model) ArrayItemString(v, format string) {
	if m.json() {
		if v != formatter.Null && isValidUTF8(v) {
			m.item(mstr(v))
		}
		return
	}
	m.textf(format, v)
}

func (m *model) ArrayItemText(v, text string) {
	if m.json() {
		m.ArrayItemString(v, text)
		return
	}
	if text != formatter.Null {
		m.text = append(m.text, text...)
	}
}

func (m *model) Decoration(format string, args ...any) {
	if m.mode == apimode.Off {
		m.textf(format, args...)
	}
}

func (m *model) Message(typ, text string) error {
	if !m.json() {
		if text == formatter.Null {
			text = ""
		}
		m.packets = append(m.packets, text)
		return nil
	}
	if typ == formatter.Null {
		// The reference looks a NULL type up as "normal" and appends there
		// if that array exists; otherwise the message is lost (README
		// §3.4.5). The generator does not use "normal" (see bugs_test.go).
		if _, ok := m.msgs["normal"]; ok && text != formatter.Null && isValidUTF8(text) {
			m.msgs["normal"] = append(m.msgs["normal"], text)
		}
		return nil
	}
	if _, ok := m.msgs[typ]; !ok {
		m.msgTypes = append(m.msgTypes, typ)
		m.msgs[typ] = []string{}
	}
	if text != formatter.Null && isValidUTF8(text) {
		m.msgs[typ] = append(m.msgs[typ], text)
	}
	return nil
}

func (m *model) HasErrorMessage() bool {
	_, ok := m.msgs[formatter.MsgError]
	return ok
}

func (m *model) SendBuffer() error {
	if !m.json() {
		m.flush()
	}
	return nil
}

func (m *model) SetMode(mode apimode.Mode) { m.mode = mode }

func (m *model) SetCompact(c bool) { m.compact = c }

func (m *model) AddFilter(flt formatter.Filter) { m.filters = append(m.filters, flt) }

func (m *model) AddLimitFilter(n uint64) {
	m.AddFilter(formatter.Filter{Kind: formatter.FilterLimit, Value: n})
}

func (m *model) AddOffsetFilter(n uint64) {
	m.AddFilter(formatter.Filter{Kind: formatter.FilterOffset, Value: n})
}

func (m *model) AddACLFilter(column, typ int) {
	m.AddFilter(formatter.Filter{Kind: formatter.FilterACL, Column: column, Type: typ})
}

func (m *model) AddResourceFilter(column, typ int) {
	m.AddFilter(formatter.Filter{Kind: formatter.FilterResource, Column: column, Type: typ})
}

func (m *model) AddEnabledFilter(column, typ int) {
	m.AddFilter(formatter.Filter{Kind: formatter.FilterEnabled, Column: column, Type: typ})
}

func (m *model) AddDisabledFilter(column, typ int) {
	m.AddFilter(formatter.Filter{Kind: formatter.FilterDisabled, Column: column, Type: typ})
}

func (m *model) ClearFilters() { m.filters = nil }

func (m *model) SetFilterFunc(fn formatter.FilterFunc) { m.filterFn = fn }

// Hidden columns: the reference keeps a bitmap of columns 0..64.
func (m *model) AddHiddenColumn(col int) {
	if col >= 0 && col <= 64 {
		if m.hidden == nil {
			m.hidden = map[int]bool{}
		}
		m.hidden[col] = true
	}
}

func (m *model) IsHiddenColumn(col int) bool { return m.hidden[col] }

func (m *model) ClearHiddenColumns() { clear(m.hidden) }

// FilterRow follows the reference's FilterData: every filter is asked;
// a suppress ends the loop; then the tri-state ACL rule.
func (m *model) FilterRow(row []string) bool {
	if m.filterFn == nil {
		return true
	}
	show, unknown := 0, 0
	for _, flt := range m.filters {
		switch m.filterFn(row, flt) {
		case formatter.FilterSuppress:
			m.filtered++
			return false
		case formatter.FilterShow:
			if flt.Kind == formatter.FilterACL {
				show++
			}
		case formatter.FilterUnknown:
			if flt.Kind == formatter.FilterACL {
				unknown++
			}
		}
	}
	if unknown > 0 && show == 0 {
		m.filtered++
		return false
	}
	return true
}

func (m *model) FinalizeResult(ok bool) error {
	if m.json() {
		m.finalizeJSON(ok)
	} else {
		m.flush()
	}
	m.filters = nil
	m.filtered = 0
	clear(m.hidden)
	return nil
}

func (m *model) finalizeJSON(ok bool) {
	isErr := !ok || m.HasErrorMessage()
	if isErr && len(m.msgTypes) > 1 {
		m.hit("error envelope with several message types")
	}
	env := newObj()
	env.set("jsonrpc", mstr("2.0"))
	env.set("id", &mnode{kind: mNull})
	if isErr {
		msgs := newObj()
		for _, typ := range m.msgTypes {
			arr := &mnode{kind: mArr}
			for _, t := range m.msgs[typ] {
				arr.vals = append(arr.vals, mstr(t))
			}
			msgs.set(typ, arr)
		}
		data := newObj()
		data.set("result", m.root)
		data.set("messages", msgs)
		e := newObj()
		e.set("code", mint(1))
		e.set("message", mstr("failed"))
		e.set("data", data)
		env.set("error", e)
	} else {
		// The reference adds meta whenever a filter tuple of any kind is
		// registered (HasFilters); README §3.4.7 only shows limit/offset.
		if len(m.filters) > 0 {
			rng := newObj()
			for _, flt := range m.filters {
				switch flt.Kind {
				case formatter.FilterLimit:
					rng.set("limit", mint(int64(flt.Value)))
				case formatter.FilterOffset:
					rng.set("offset", mint(int64(flt.Value)))
				}
			}
			rng.set("filtered", mint(int64(m.filtered)))
			if m.root.index("meta") >= 0 {
				m.hit("meta replaced")
			}
			if m.filtered > 0 {
				m.hit("meta with filtered rows")
			}
			meta := newObj()
			meta.set("range", rng)
			m.root.set("meta", meta)
		}
		env.set("result", m.root)
	}
	m.packets = append(m.packets, dumpString(env, m.compact))
	if m.stats != nil {
		m.stats["largest result"] = max(m.stats["largest result"], len(m.packets[len(m.packets)-1]))
	}
	m.resetJSON()
}
