package formatter

// ResourcePrinter prints configuration resources through a Formatter, the
// way the Director's "show" and "configure export" commands do (the
// reference's OutputFormatterResource). In text modes it writes Bareos
// configuration syntax:
//
//	Client {
//	  Name = "bareos-fd"
//	  # Port = 9102
//	}
//
// with two spaces of indentation per level, "# " in front of values shown
// as comments (inherited or default values), quoted and unquoted strings,
// lists on one line or one per line, and nested sub-resources. In mode 2
// the same calls build JSON: a resource becomes {group: {name: {...}}} in
// the current container, keys are lowercased, resource names are kept
// as they are, and several resources of one group share the group object.
//
// Every method is a fixed sequence of Formatter calls, so the usual
// Formatter rules apply (ObjectEnd flushes a text packet, the JSON
// container stack, lowercasing, UTF-8 repair); plain Formatter calls can
// be mixed in. The printer's only state is its indentation level, which
// starts and end calls change in every mode and which [ResourcePrinter.KeyFormat]
// exposes for such plain calls.
//
// Quirks of the reference are kept, so that output is byte for byte the
// Director's: ResourceEnd sends the body and the closing brace as two
// packets; integers print only their low 32 bits in text (JSON has the
// full value); quoted strings are never escaped, only the one-per-line
// lists escape their items.
//
// Names, keys and values may be [Null] (the C NULL pointer): a Null name or
// key prints "(null)" and is the JSON key "". A resource type name and the
// baseformats of sub-resources and arrays are printf formats whose %s
// receives the group, sub-resource or array name; every other argument is
// printed literally.
type ResourcePrinter struct {
	f     *Formatter
	level int
	buf   []byte // scratch for formats
}

// NewResourcePrinter returns a printer writing through f, at indentation
// level 0.
func NewResourcePrinter(f *Formatter) *ResourcePrinter {
	return &ResourcePrinter{f: f}
}

// Formatter returns the formatter the printer writes through.
func (p *ResourcePrinter) Formatter() *Formatter { return p.f }

// Indent returns the current indentation level. Start calls raise it, end
// calls lower it; unbalanced ends can make it negative, which prints no
// indentation.
func (p *ResourcePrinter) Indent() int { return p.level }

// SetIndent sets the indentation level (the reference's constructor
// argument: a printer for resources nested in other output starts deeper).
func (p *ResourcePrinter) SetIndent(n int) { p.level = n }

// The baseformats of SubResourceStart and SubResourceEnd.
const (
	DefaultSubResourceStart = "%s {\n"
	DefaultSubResourceEnd   = "}\n"
)

// keep keeps b as the scratch buffer, unless it grew too big to keep for
// the small formats that follow.
func (p *ResourcePrinter) keep(b []byte) {
	if cap(b) > 64<<10 {
		b = nil
	}
	p.buf = b[:0]
}

// maxIndent bounds the printed indentation (levels), like printf widths.
const maxIndent = maxWidth / 2

// prefix appends the line prefix of the current level to dst: two spaces
// per level, then "# " if asComment.
func (p *ResourcePrinter) prefix(dst []byte, asComment bool) []byte {
	for range min(p.level, maxIndent) {
		dst = append(dst, ' ', ' ')
	}
	if asComment {
		dst = append(dst, '#', ' ')
	}
	return dst
}

// KeyFormat returns the format the printer uses in front of a value: ""
// if base is empty, otherwise the indentation of the current level, "# "
// if asComment, and base (the reference's GetKeyFormatString). The
// Director passes it to plain Formatter calls that print inside a
// resource; the usual base is "%s = ".
func (p *ResourcePrinter) KeyFormat(asComment bool, base string) string {
	if base == "" || base == Null {
		return ""
	}
	return string(append(p.prefix(nil, asComment), base...))
}

// keyFormat is KeyFormat("%s = ") in the scratch buffer (valid until the
// next use).
func (p *ResourcePrinter) keyFormat(asComment bool, suffix string) string {
	p.buf = append(append(p.prefix(p.buf[:0], asComment), "%s = "...), suffix...)
	return string(p.buf)
}

// userFormat renders KeyFormat(asComment, base) with arg for a text-mode
// Formatter call whose base comes from the caller (a type name or a
// baseformat), and returns it as a format that prints exactly that text.
// A conversion of base other than %% prints arg as %s would (with its
// flags, width and precision), a second one prints nothing: the reference
// reads a missing or mistyped argument there. In mode 2 formats are not
// used and nothing is rendered.
func (p *ResourcePrinter) userFormat(asComment bool, base, arg string) string {
	if base == "" || base == Null || p.f.json() {
		return ""
	}
	text := p.prefix(p.buf[:0], asComment)
	used := false
	for i := 0; i < len(base); {
		j := i
		for j < len(base) && base[j] != '%' {
			j++
		}
		text = append(text, base[i:j]...)
		if j >= len(base) {
			break
		}
		sp, next := parseSpec(base, j+1)
		i = next
		switch {
		case sp.verb == '%' && !sp.starWidth && !sp.starPrec:
			text = append(text, '%')
		case sp.verb == 0 || used:
		default:
			used = true
			if sp.starWidth || sp.width < 0 {
				sp.width = 0
			}
			if sp.starPrec {
				sp.prec = -1
			}
			text = sp.appendString(text, arg)
		}
	}
	// The text as a format: every '%' doubled.
	n := len(text)
	for k := range n {
		if text[k] == '%' {
			text = append(text, '%', '%')
		} else {
			text = append(text, text[k])
		}
	}
	out := string(text[n:])
	p.keep(text)
	return out
}

// ResourceStart starts a resource: in text "Type {" (typ is a format whose
// %s receives group), in JSON the object group (lowercased) and in it the
// object name (verbatim), which the following keys fill. A Null group
// puts {name: {...}} into the current container; a Null name writes the
// keys straight into the group object. A Null typ is the empty type name.
func (p *ResourcePrinter) ResourceStart(group, typ, name string, asComment bool) {
	if typ == Null {
		typ = ""
	}
	p.f.ObjectStart(group, p.userFormat(asComment, typ+" {\n", group))
	p.level++
	p.f.ObjectStartCaseSensitive(name, Null)
}

// ResourceEnd ends a resource started with the same group and name: the
// text buffered so far is sent as one packet, the closing brace and an
// empty line as another.
func (p *ResourcePrinter) ResourceEnd(group, name string, asComment bool) {
	p.f.ObjectEnd(name, Null)
	p.level--
	fmt := ""
	if !p.f.json() {
		fmt = string(append(p.prefix(p.buf[:0], asComment), "}\n\n"...))
	}
	p.f.ObjectEnd(group, fmt)
}

// SubResourceStart starts a nested block "name {" (JSON: the object name,
// lowercased; a Null name inside an array is a nameless element).
func (p *ResourcePrinter) SubResourceStart(name string, asComment bool) {
	p.SubResourceStartFormat(name, asComment, DefaultSubResourceStart)
}

// SubResourceEnd ends a block started by SubResourceStart and sends the
// text buffered so far as one packet.
func (p *ResourcePrinter) SubResourceEnd(name string, asComment bool) {
	p.SubResourceEndFormat(name, asComment, DefaultSubResourceEnd)
}

// SubResourceStartFormat is SubResourceStart with the block header
// baseformat (its %s receives name). An empty baseformat prints nothing
// and keeps the indentation; the matching end must then be empty too.
func (p *ResourcePrinter) SubResourceStartFormat(name string, asComment bool, baseformat string) {
	p.f.ObjectStart(name, p.userFormat(asComment, baseformat, name))
	if baseformat != "" && baseformat != Null {
		p.level++
	}
}

// SubResourceEndFormat is SubResourceEnd with the closing baseformat.
// It always sends the buffered text, also with an empty baseformat.
func (p *ResourcePrinter) SubResourceEndFormat(name string, asComment bool, baseformat string) {
	if baseformat == "" || baseformat == Null {
		p.f.ObjectEnd(name, Null)
		return
	}
	p.level--
	p.f.ObjectEnd(name, p.userFormat(asComment, baseformat, name))
}

// ArrayStart starts a list of sub-resources under key (JSON: an array;
// nameless sub-resources become its elements). baseformat (its %s
// receives key) is printed as the list's header; if it is not empty the
// indentation grows by one level. ArrayStart and ArrayEnd never send.
func (p *ResourcePrinter) ArrayStart(key string, asComment bool, baseformat string) {
	p.f.ArrayStart(key, p.userFormat(asComment, baseformat, key))
	if baseformat != "" && baseformat != Null {
		p.level++
	}
}

// ArrayEnd ends a list started by ArrayStart with the closing baseformat.
func (p *ResourcePrinter) ArrayEnd(key string, asComment bool, baseformat string) {
	if baseformat != "" && baseformat != Null {
		p.level--
	}
	p.f.ArrayEnd(key, p.userFormat(asComment, baseformat, key))
}

// KeyBool prints "Name = Yes" or "Name = No" (JSON: true or false).
func (p *ResourcePrinter) KeyBool(name string, v, asComment bool) {
	vf := "No\n"
	if v {
		vf = "Yes\n"
	}
	p.f.KVBool(name, p.keyFormat(asComment, ""), v, vf)
}

// KeySignedInt prints "Name = v". As in the reference, the text shows only
// the low 32 bits of v as a signed number (5000000000 prints 705032704);
// JSON has the full value.
func (p *ResourcePrinter) KeySignedInt(name string, v int64, asComment bool) {
	if p.f.json() {
		p.f.KVInt(name, Null, v, Null)
		return
	}
	p.f.KVInt(name, p.keyFormat(asComment, ""), int64(int32(v)), "%d\n")
}

// KeyUnsignedInt prints "Name = v". As in the reference, the text shows
// only the low 32 bits of v as an unsigned number; JSON has the value as a
// signed 64-bit number, as KVUint stores it.
func (p *ResourcePrinter) KeyUnsignedInt(name string, v uint64, asComment bool) {
	if p.f.json() {
		p.f.KVUint(name, Null, v, Null)
		return
	}
	p.f.KVUint(name, p.keyFormat(asComment, ""), uint64(uint32(v)), "%u\n")
}

// KeyUnquotedString prints "Name = v". A Null value prints nothing, unless
// asComment: then "# Name = " (JSON "").
func (p *ResourcePrinter) KeyUnquotedString(name, v string, asComment bool) {
	if v == Null && !asComment {
		return
	}
	p.f.KVString(name, p.keyFormat(asComment, ""), v, "%s\n")
}

// KeyQuotedString prints `Name = "v"` without escaping anything in v. A
// Null value is KeyUnquotedString's (no quotes).
func (p *ResourcePrinter) KeyQuotedString(name, v string, asComment bool) {
	if v == Null {
		p.KeyUnquotedString(name, v, asComment)
		return
	}
	p.f.KVString(name, p.keyFormat(asComment, ""), v, "\"%s\"\n")
}

// KeyMultipleStringsInOneLine prints `Key = "a", "b"` (unquoted if not
// quoted; nothing is escaped) and always prints the line, also for an
// empty or nil list. JSON: an array of the items; a Null item prints
// "(null)" and is left out of the array.
func (p *ResourcePrinter) KeyMultipleStringsInOneLine(key string, list []string, asComment, quoted bool) {
	p.f.ArrayStart(key, p.keyFormat(asComment, ""))
	item := "%s"
	if quoted {
		item = "\"%s\""
	}
	for i, s := range list {
		if i == 1 {
			item = ", " + item
		}
		p.f.ArrayItemString(s, item)
	}
	p.f.ArrayEnd(key, "\n")
}

// KeyMultipleStringsOnePerLine prints one `Key = "item"` line per item
// (unquoted if not quoted). An item is escaped (see [EscapeConfigString])
// if escape is set or it holds a double quote not escaped by a backslash;
// JSON has the items as given. An empty or nil list prints nothing, unless
// asComment: then "# Key = " (JSON []). A Null item is left out.
func (p *ResourcePrinter) KeyMultipleStringsOnePerLine(key string, list []string, asComment, quoted, escape bool) {
	if len(list) == 0 {
		if asComment {
			p.f.ArrayStart(key, p.keyFormat(asComment, "\n"))
			p.f.ArrayEnd(key, Null)
		}
		return
	}
	p.f.ArrayStart(key, Null)
	shownKey := key
	if key == Null {
		shownKey = "(null)"
	}
	for _, s := range list {
		if s == Null {
			continue // the reference dereferences the null pointer
		}
		var line []byte
		if !p.f.json() {
			line = append(p.prefix(p.buf[:0], asComment), shownKey...)
			line = append(line, " = "...)
			if quoted {
				line = append(line, '"')
			}
			if escape || needsEscape(s) {
				line = appendConfigEscaped(line, s)
			} else {
				line = append(line, s...)
			}
			if quoted {
				line = append(line, '"')
			}
			line = append(line, '\n')
		}
		p.f.ArrayItemText(s, string(line))
		p.keep(line)
	}
	p.f.ArrayEnd(key, Null)
}

// needsEscape reports whether s holds a double quote that is not escaped,
// i.e. preceded by an even number (or none) of backslashes.
func needsEscape(s string) bool {
	backslashes := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			backslashes++
		case '"':
			if backslashes%2 == 0 {
				return true
			}
			backslashes = 0
		default:
			backslashes = 0
		}
	}
	return false
}

// EscapeConfigString escapes s for a string of the Bareos configuration
// syntax as the Director's one-per-line lists do: a backslash becomes two,
// '"', '(', ')', '<' and '>' get a backslash in front, and a single quote
// is doubled. Other bytes are copied.
func EscapeConfigString(s string) string {
	return string(appendConfigEscaped(nil, s))
}

func appendConfigEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			dst = append(dst, '\\', '\\')
		case '"', '(', ')', '<', '>':
			dst = append(dst, '\\', c)
		case '\'':
			dst = append(dst, '\'', '\'')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}
