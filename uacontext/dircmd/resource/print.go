package resource

import (
	"github.com/uaformat/uaformat/internal/ascii"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/formatter"
)

// null is the formatter's C NULL.
const null = formatter.Null

// HiddenPassword is what show prints for a password when the console
// may not see sensitive data.
const HiddenPassword = "****************"

// Printer is the resource printer Print writes to: the Director's
// OutputFormatterResource, which *formatter.ResourcePrinter implements.
// asComment prints a line as a "# " comment in the text modes; a
// baseformat is the printf format of a block's opening or closing line.
// Strings may be formatter.Null, the C NULL pointer.
type Printer interface {
	ResourceStart(group, typ, name string, asComment bool)
	ResourceEnd(group, name string, asComment bool)
	SubResourceStartFormat(name string, asComment bool, baseformat string)
	SubResourceEndFormat(name string, asComment bool, baseformat string)
	ArrayStart(key string, asComment bool, baseformat string)
	ArrayEnd(key string, asComment bool, baseformat string)
	KeyBool(name string, v, asComment bool)
	KeySignedInt(name string, v int64, asComment bool)
	KeyUnsignedInt(name string, v uint64, asComment bool)
	KeyUnquotedString(name, v string, asComment bool)
	KeyQuotedString(name, v string, asComment bool)
	KeyMultipleStringsInOneLine(key string, list []string, asComment, quoted bool)
	KeyMultipleStringsOnePerLine(key string, list []string, asComment, quoted, escape bool)
	// KeyFormat returns the line prefix of the current indentation
	// followed by baseformat (the reference's GetKeyFormatString).
	KeyFormat(asComment bool, baseformat string) string
	// Formatter returns the output formatter the printer writes to; the
	// Messages layout mixes plain formatter calls in.
	Formatter() *formatter.Formatter
}

var _ Printer = (*formatter.ResourcePrinter)(nil)

// PrintOptions control Print.
type PrintOptions struct {
	// Verbose shows inherited and default values as comments and
	// internal resources.
	Verbose bool
	// HideSensitive prints passwords as HiddenPassword (the Director does
	// this for consoles that may not use the configure command).
	HideSensitive bool
}

// Print renders r as the Director's show does.
func Print(p Printer, r *Resource, opts PrintOptions) {
	if r == nil || !r.typ.Valid() {
		return
	}
	if r.internal && !opts.Verbose {
		return
	}
	switch r.typ {
	case FileSet:
		r.printFileSet(p)
		return
	case Messages:
		r.printMessages(p, opts.Verbose)
		return
	}
	p.ResourceStart(r.typ.Group(), r.typ.String(), r.name, r.internal)
	for i := range schemas[r.typ] {
		r.printItem(p, i, opts)
	}
	p.ResourceEnd(r.typ.Group(), r.name, r.internal)
}

// effective returns the value of item i and whether it counts as
// inherited (not set explicitly in r).
func (r *Resource) effective(i int) (any, bool) {
	v := r.vals[i]
	if v.set {
		return v.v, r.internal
	}
	if v.inherited {
		return v.v, true
	}
	return defaultValue(&schemas[r.typ][i]), true
}

// defaultValue is the value a directive has when it is not set.
func defaultValue(it *item) any {
	switch it.kind {
	case kStdStr:
		return it.def
	case kStr, kName, kDirOrCmd, kRes:
		if it.def == "" {
			return nil
		}
		return it.def
	case kInt32, kInt64, kPint32, kSpeed, kSize64, kSize32, kTime:
		n, _ := strconv.ParseInt(it.def, 10, 64)
		return n
	case kBool:
		return it.def == "true" || it.def == "yes"
	case kBit:
		return false
	case kKeyword:
		if it.def != "" {
			return it.def
		}
		return it.keywords[0]
	case kLabel:
		return it.keywords[0]
	case kAddresses:
		port, _ := strconv.Atoi(it.def)
		return []Address{{Family: "ipv4", Addr: "0.0.0.0", Port: port}}
	}
	return nil
}

// isDefault is the Director's HasDefaultValue for the effective value.
func isDefault(it *item, v any) bool {
	switch it.kind {
	case kStr, kDirOrCmd:
		if it.def == "" {
			return v == nil
		}
		s, ok := v.(string)
		return ok && s == it.def
	case kStdStr:
		s, _ := v.(string)
		return s == it.def
	case kInt32, kInt64, kPint32, kSpeed, kSize64, kSize32, kTime:
		n, _ := strconv.ParseInt(it.def, 10, 64)
		return v.(int64) == n
	case kBool:
		return v.(bool) == (it.def == "true" || it.def == "yes")
	case kKeyword:
		return it.def != "" && ascii.EqualFold(v.(string), it.def)
	case kJobType, kLevel, kMigType, kRun, kRunScript:
		return v == nil
	case kACL, kAudit, kDevice:
		l, _ := v.([]string)
		return len(l) == 0
	}
	// Names, passwords, resource references, lists, flags, labels and
	// addresses never count as default values.
	return false
}

func (r *Resource) printItem(p Printer, i int, opts PrintOptions) {
	it := &schemas[r.typ][i]
	v, inherited := r.effective(i)
	if inherited && !opts.Verbose {
		return
	}
	show := it.required
	if isDefault(it, v) {
		if opts.Verbose && !it.deprecated {
			show, inherited = true, true
		}
	} else {
		show = true
	}
	if !show {
		return
	}
	str := func() string {
		if s, ok := v.(string); ok {
			return s
		}
		return null
	}
	list := func() []string { l, _ := v.([]string); return l }
	switch it.kind {
	case kName, kStr, kStdStr:
		p.KeyQuotedString(it.name, str(), inherited)
	case kDirOrCmd:
		s := str()
		if s != null {
			s = Escape(s)
		}
		p.KeyQuotedString(it.name, s, inherited)
	case kPassword:
		pw, ok := v.(Password)
		if !ok {
			return
		}
		text := pw.Value
		switch {
		case opts.HideSensitive:
			text = HiddenPassword
		case pw.MD5:
			text = "[md5]" + pw.Value
		}
		p.KeyQuotedString(it.name, text, inherited)
	case kRes:
		s, _ := v.(string)
		p.KeyQuotedString(it.name, s, inherited)
	case kResList, kStrList:
		p.KeyMultipleStringsOnePerLine(it.name, list(), inherited, true, false)
	case kInt32, kInt64:
		p.KeySignedInt(it.name, v.(int64), inherited)
	case kPint32, kSpeed:
		p.KeyUnsignedInt(it.name, uint64(v.(int64)), inherited)
	case kSize64, kSize32:
		p.KeyUnquotedString(it.name, SizeString(uint64(v.(int64))), inherited)
	case kTime:
		p.KeyUnquotedString(it.name, TimeString(v.(int64)), inherited)
	case kBool, kBit:
		p.KeyBool(it.name, v.(bool), inherited)
	case kLabel:
		p.KeyQuotedString(it.name, str(), inherited)
	case kKeyword:
		p.KeyUnquotedString(it.name, str(), inherited)
	case kJobType, kMigType:
		if s := str(); s != null {
			p.KeyUnquotedString(it.name, s, inherited)
		}
	case kLevel:
		if s := str(); s != null {
			p.KeyUnquotedString(it.name, s, inherited)
		} else {
			p.KeyUnquotedString(it.name, "", true)
		}
	case kACL, kAudit:
		p.KeyMultipleStringsInOneLine(it.name, list(), inherited, true)
	case kDevice:
		p.KeyMultipleStringsInOneLine(it.name, list(), false, true)
	case kAddresses:
		addrs, _ := v.([]Address)
		p.ArrayStart(it.name, inherited, "%s = {\n")
		for _, a := range addrs {
			p.SubResourceStartFormat(null, inherited, "")
			p.SubResourceStartFormat(a.Family, inherited, "%s = {\n")
			p.KeyUnquotedString("addr", a.Addr, inherited)
			p.KeyUnsignedInt("port", uint64(a.Port), inherited)
			p.SubResourceEndFormat(a.Family, inherited, "}\n")
			p.SubResourceEndFormat(null, inherited, "")
		}
		p.ArrayEnd(it.name, inherited, "}\n")
	case kRunScript:
		scripts, _ := v.([]RunScript)
		printRunScripts(p, it.name, scripts, inherited, opts.Verbose)
	case kRun:
		runs, _ := v.([]Run)
		if len(runs) == 0 {
			return
		}
		lines := make([]string, len(runs))
		for i, run := range runs {
			lines[i] = run.String()
		}
		p.KeyMultipleStringsOnePerLine("Run", lines, inherited, false, false)
	}
}

func printRunScripts(p Printer, name string, scripts []RunScript, inherited, verbose bool) {
	if len(scripts) == 0 {
		return
	}
	p.ArrayStart(name, inherited, "")
	for _, rs := range scripts {
		comment := inherited
		if rs.fromJobDefs {
			if !verbose {
				continue
			}
			comment = true
		}
		cmd := Escape(rs.Command)
		if rs.Short != "" {
			p.SubResourceStartFormat(null, comment, "")
			local := !rs.RunsOnClient
			switch {
			case rs.When == Before && local:
				p.KeyQuotedString("RunBeforeJob", cmd, comment)
			case rs.When == After && rs.RunsOnSuccess && !rs.RunsOnFailure && !rs.FailJobOnError && local:
				p.KeyQuotedString("RunAfterJob", cmd, comment)
			case rs.When == After && rs.RunsOnSuccess && !rs.RunsOnFailure && !rs.FailJobOnError && !local:
				p.KeyQuotedString("ClientRunAfterJob", cmd, comment)
			case rs.When == Before && !local:
				p.KeyQuotedString("ClientRunBeforeJob", cmd, comment)
			case rs.When == After && rs.RunsOnFailure && !rs.RunsOnSuccess && !rs.FailJobOnError && local:
				p.KeyQuotedString("RunAfterFailedJob", cmd, comment)
			}
			p.SubResourceEndFormat(null, comment, "")
			continue
		}
		p.SubResourceStartFormat(null, comment, "RunScript {\n")
		if rs.Console {
			p.KeyQuotedString("Console", cmd, comment)
		} else {
			p.KeyQuotedString("Command", cmd, comment)
		}
		when := [...]string{Never: "never", Before: "before", After: "after", AfterVSS: "aftervss", Always: "always"}[rs.When]
		if when != "never" {
			p.KeyQuotedString("RunsWhen", when, comment)
		} else if verbose {
			p.KeyQuotedString("RunsWhen", when, true)
		}
		if !rs.FailJobOnError {
			p.KeyBool("FailJobOnError", false, comment)
		} else if verbose {
			p.KeyBool("FailJobOnError", true, true)
		}
		if !rs.RunsOnSuccess {
			p.KeyBool("RunsOnSuccess", false, comment)
		} else if verbose {
			p.KeyBool("RunsOnSuccess", true, true)
		}
		if rs.RunsOnFailure {
			p.KeyBool("RunsOnFailure", true, comment)
		} else if verbose {
			p.KeyBool("RunsOnFailure", false, true)
		}
		if !rs.Console {
			if !rs.RunsOnClient {
				p.KeyBool("RunsOnClient", false, comment)
			} else if verbose {
				p.KeyBool("RunsOnClient", true, true)
			}
		}
		p.SubResourceEndFormat(null, comment, "}\n")
	}
	p.ArrayEnd(name, inherited, "")
}

// TimeString renders a number of seconds the way the Director prints a
// time directive: "0", or the largest units first ("1 months 2 days "),
// each followed by a blank.
func TimeString(secs int64) string {
	if secs == 0 {
		return "0"
	}
	units := []struct {
		name string
		secs int64
	}{
		{"years", 60 * 60 * 24 * 365}, {"months", 60 * 60 * 24 * 30}, {"weeks", 60 * 60 * 24 * 7},
		{"days", 60 * 60 * 24}, {"hours", 60 * 60}, {"minutes", 60}, {"seconds", 1},
	}
	var b strings.Builder
	for _, u := range units {
		// The Director keeps the factor in an int.
		factor := int32(secs / u.secs)
		secs %= u.secs
		if factor > 0 {
			b.WriteString(strconv.Itoa(int(factor)))
			b.WriteString(" ")
			b.WriteString(u.name)
			b.WriteString(" ")
		}
		if secs == 0 {
			break
		}
	}
	return b.String()
}

// SizeString renders a size the way the Director prints a size
// directive: "0", or binary multiples largest first ("9 m 549 k 640").
func SizeString(v uint64) string {
	if v == 0 {
		return "0"
	}
	units := []struct {
		suffix string
		mult   uint64
	}{
		{" e", 1 << 60}, {" p", 1 << 50}, {" t", 1 << 40}, {" g", 1 << 30}, {" m", 1 << 20}, {" k", 1 << 10}, {"", 1},
	}
	var b strings.Builder
	for _, u := range units {
		if v == 0 {
			break
		}
		// The Director keeps the factor in an int.
		factor := int32(v / u.mult)
		v %= u.mult
		if factor > 0 {
			b.WriteString(strconv.Itoa(int(factor)))
			b.WriteString(u.suffix)
			if v > 0 {
				b.WriteString(" ")
			}
		}
	}
	return b.String()
}

// Escape is the Director's EscapeString for configuration values: a
// backslash before \ " ( ) < > and a doubled '.
func Escape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '"', '(', ')', '<', '>':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\'':
			b.WriteString("''")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
