package uacontext

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/internal/ascii"
)

// ACLKind selects one of a console's access control lists. The values are
// the Director's ACL type numbers (Job_ACL = 0 ...), which also appear in
// formatter ACL filters (formatter.Filter.Type).
type ACLKind int

// The ACL kinds, in the Director's order.
const (
	ACLJob           ACLKind = iota // Job ACL (jobs and job defaults)
	ACLClient                       // Client ACL
	ACLStorage                      // Storage ACL
	ACLSchedule                     // Schedule ACL
	ACLPool                         // Pool ACL
	ACLCommand                      // Command ACL (console commands)
	ACLFileSet                      // FileSet ACL
	ACLCatalog                      // Catalog ACL
	ACLWhere                        // Where ACL (restore locations)
	ACLPluginOptions                // Plugin Options ACL

	NumACLKinds = 10 // number of ACL kinds
)

var aclNames = [NumACLKinds]string{
	"Job ACL", "Client ACL", "Storage ACL", "Schedule ACL", "Pool ACL",
	"Command ACL", "FileSet ACL", "Catalog ACL", "Where ACL", "Plugin Options ACL",
}

// String returns the configuration directive name of the kind, such as
// "Command ACL".
func (k ACLKind) String() string {
	if k.Valid() {
		return aclNames[k]
	}
	return "ACLKind(" + strconv.Itoa(int(k)) + ")"
}

// Valid reports whether k is one of the defined kinds.
func (k ACLKind) Valid() bool { return k >= 0 && k < NumACLKinds }

// checksName reports whether items of this kind must be valid resource
// names (all kinds except Where and Plugin Options).
func (k ACLKind) checksName() bool { return k != ACLWhere && k != ACLPluginOptions }

// ACLSet holds a named console's access control lists, one list of entries
// per kind, as configured: the console's own entries first, followed by
// those of its profiles in order.
//
// An entry is "*all*" (matches everything), an item name (compared
// case-insensitively), or a POSIX extended regular expression (any entry
// containing one of . ( ) [ ] | ^ $ + ? *), matched case-insensitively
// against the whole item. A leading '!' makes the entry a deny entry.
type ACLSet [NumACLKinds][]string

// Allow is Compile followed by ACL.Allow: it compiles the set's regular
// expressions on every call. Sessions check their console's compiled ACL
// (UA.ACLAccessOK); use Compile for repeated checks.
func (s *ACLSet) Allow(kind ACLKind, item string) bool { return s.Compile().Allow(kind, item) }

// Match is Compile followed by ACL.Match.
func (s *ACLSet) Match(kind ACLKind, item string) (allowed, decided bool) {
	return s.Compile().Match(kind, item)
}

// Unrestricted is Compile followed by ACL.Unrestricted.
func (s *ACLSet) Unrestricted(kind ACLKind) bool { return s.Compile().Unrestricted(kind) }

// Compile returns the compiled form of the lists, which decides without
// parsing or compiling anything. A nil set compiles to the nil *ACL of
// the default console.
func (s *ACLSet) Compile() *ACL {
	if s == nil {
		return nil
	}
	a := &ACL{}
	for k, entries := range s {
		list := make([]aclEntry, 0, len(entries))
		for _, e := range entries {
			list = append(list, compileEntry(e))
		}
		a.lists[k] = list
	}
	return a
}

// ACL is a compiled ACLSet: every entry parsed and every regular
// expression compiled once (a session compiles its console's lists at
// login), so that checking the rows of a listing takes no lock and
// allocates nothing. An ACL is immutable and safe for concurrent use.
// The nil *ACL stands for the default console, which may access every
// valid name.
type ACL struct {
	lists [NumACLKinds][]aclEntry
}

// aclEntry is one parsed ACL entry.
type aclEntry struct {
	deny bool
	all  bool           // "*all*"
	name string         // compared case-insensitively (ASCII)
	re   *regexp.Regexp // for entries with regular expression characters; nil if invalid
	isRE bool
}

func compileEntry(e string) aclEntry {
	var x aclEntry
	if strings.HasPrefix(e, "!") {
		x.deny = true
		e = e[1:]
	}
	e = cString(e)
	x.name = e
	x.all = ascii.EqualFold(e, "*all*")
	if strings.ContainsAny(e, ".()[]|^$+?*") {
		x.isRE = true
		if goRE, err := translateERE(e); err == nil {
			x.re, _ = regexp.Compile(`(?is)^(?:` + goRE + `)$`)
		}
	}
	return x
}

// ErrInvalidACLEntry reports an ACL entry whose regular expression does
// not compile; the Director (and ACL.Allow) silently let such an entry
// match nothing.
var ErrInvalidACLEntry = errors.New("uacontext: invalid ACL regular expression")

// CheckACLEntry reports whether an ACL entry works as written: an entry
// with regular-expression characters (see ACLSet) must be a valid POSIX
// extended regular expression in the dialect ACL matching reads (glibc's,
// translated to Go syntax). Names, "*all*" and "!"-prefixed forms of them
// are always valid. The error wraps ErrInvalidACLEntry and says what is
// wrong. CheckACLEntry does not apply the configuration's character rules
// for ACL entries; package config does.
func CheckACLEntry(entry string) error {
	e := cString(strings.TrimPrefix(entry, "!"))
	if ascii.EqualFold(e, "*all*") || !strings.ContainsAny(e, ".()[]|^$+?*") {
		return nil
	}
	goRE, err := translateERE(e)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidACLEntry, err)
	}
	if _, err := regexp.Compile(`(?is)^(?:` + goRE + `)$`); err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return fmt.Errorf("%w: %s", ErrInvalidACLEntry, se.Code)
		}
		return fmt.Errorf("%w: %v", ErrInvalidACLEntry, err)
	}
	return nil
}

// matches compares the entry (without its '!') with item.
func (x *aclEntry) matches(item string) bool {
	if x.all || ascii.EqualFold(x.name, item) {
		return true
	}
	return x.isRE && x.re != nil && x.re.MatchString(item)
}

// Allow reports whether the lists permit access to item, exactly as the
// Director decides for a named console: items of every kind except
// ACLWhere and ACLPluginOptions must be valid resource names
// (IsNameValid); then the entries of the kind's list are tried in order
// and the first matching entry decides (a '!' entry denies, any other
// allows); if no entry matches, access is denied.
//
// The nil *ACL (the default console) may access every valid name. An
// undefined kind is always denied.
func (a *ACL) Allow(kind ACLKind, item string) bool {
	if !kind.Valid() {
		return false
	}
	if kind.checksName() && !IsNameValid(item) {
		return false
	}
	if a == nil {
		return true
	}
	allowed, _ := a.Match(kind, item)
	return allowed
}

// Match walks the list of kind and reports the decision of the first entry
// that matches item: decided is false when no entry matches (which Allow
// treats as denied). Match does not check the item's name syntax. The nil
// ACL or an undefined kind matches nothing.
func (a *ACL) Match(kind ACLKind, item string) (allowed, decided bool) {
	if a == nil || !kind.Valid() {
		return false, false
	}
	item = cString(item)
	for i := range a.lists[kind] {
		if x := &a.lists[kind][i]; x.matches(item) {
			return !x.deny, true
		}
	}
	return false, false
}

// Unrestricted reports whether the list of kind grants everything, the
// way the Director's AclNoRestrictions decides: an "*all*" entry comes
// before any deny entry. An empty list is restricted (it denies all). The
// nil ACL (the default console) is unrestricted.
func (a *ACL) Unrestricted(kind ACLKind) bool {
	if a == nil {
		return true
	}
	if !kind.Valid() {
		return false
	}
	for _, x := range a.lists[kind] {
		if x.deny {
			return false
		}
		if x.all {
			return true
		}
	}
	return false
}

// MaxNameLength is the Director's MAX_NAME_LENGTH: resource names must be
// shorter than this many bytes.
const MaxNameLength = 128

// IsNameValid reports whether name is a valid Bareos resource name: 1 to
// MaxNameLength-1 bytes of ASCII letters, digits and the characters
// ":.-_/ " (space), not starting or ending with a space.
func IsNameValid(name string) bool {
	if name == "" || len(name) >= MaxNameLength || name[0] == ' ' || name[len(name)-1] == ' ' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte(":.-_/ ", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// translateERE rewrites a POSIX extended regular expression (glibc
// dialect) into Go regexp syntax. It returns an error for constructs Go
// cannot express or that glibc rejects, in which case the ACL entry
// matches nothing, as an invalid regex does in the Director.
//
// Differences handled: a backslash before an ordinary character quotes
// it; inside a bracket expression a backslash is an ordinary character;
// "[=c=]" and "[.c.]" name the single character c; an unmatched ')' is an
// ordinary character; runs of the repetition operators * + ? combine
// (glibc nests them, Go rejects them and reads "+?" as lazy); "(?" is an
// error (Go would read a flag group).
func translateERE(p string) (string, error) {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(p); {
		c := p[i]
		switch c {
		case '\\':
			if i+1 >= len(p) {
				return "", errors.New("trailing backslash")
			}
			n := p[i+1]
			i += 2
			switch n {
			case 'w', 'W', 's', 'S', 'b', 'B':
				b.WriteByte('\\')
				b.WriteByte(n)
			case '<', '>':
				b.WriteString(`\b`)
			case '`':
				b.WriteString(`\A`)
			case '\'':
				b.WriteString(`\z`)
			default:
				if '1' <= n && n <= '9' {
					return "", errors.New("back-references are not supported")
				}
				b.WriteString(regexp.QuoteMeta(string(n)))
			}
		case '[':
			j, class, err := translateBracket(p, i)
			if err != nil {
				return "", err
			}
			b.WriteString(class)
			i = j
		case '(':
			if i+1 < len(p) && p[i+1] == '?' {
				return "", errors.New(`"(?" is not allowed`)
			}
			depth++
			b.WriteByte('(')
			i++
		case ')':
			if depth == 0 {
				b.WriteString(`\)`)
			} else {
				depth--
				b.WriteByte(')')
			}
			i++
		case '*', '+', '?':
			j := i
			allPlus, allQuest := true, true
			for j < len(p) && (p[j] == '*' || p[j] == '+' || p[j] == '?') {
				allPlus = allPlus && p[j] == '+'
				allQuest = allQuest && p[j] == '?'
				j++
			}
			switch {
			case allPlus:
				b.WriteByte('+')
			case allQuest:
				b.WriteByte('?')
			default:
				b.WriteByte('*')
			}
			i = j
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), nil
}

// translateBracket translates the bracket expression starting at p[i] ==
// '[' and returns the index after it.
func translateBracket(p string, i int) (int, string, error) {
	var b strings.Builder
	b.WriteByte('[')
	i++
	if i < len(p) && p[i] == '^' {
		b.WriteByte('^')
		i++
	}
	first := true
	for i < len(p) {
		c := p[i]
		if c == ']' && !first {
			b.WriteByte(']')
			return i + 1, b.String(), nil
		}
		first = false
		if c == '[' && i+1 < len(p) && (p[i+1] == ':' || p[i+1] == '=' || p[i+1] == '.') {
			kind := p[i+1]
			end := strings.Index(p[i+2:], string(kind)+"]")
			if end < 0 {
				return 0, "", errors.New("unterminated [" + string(kind) + " in a bracket expression")
			}
			name := p[i+2 : i+2+end]
			i += 2 + end + 2
			if kind == ':' {
				b.WriteString("[:" + name + ":]")
				continue
			}
			if len(name) != 1 {
				return 0, "", errors.New("invalid collating element [" + string(kind) + name + string(kind) + "]")
			}
			c = name[0]
			writeClassByte(&b, c)
			continue
		}
		if c == '-' {
			b.WriteByte('-')
		} else {
			writeClassByte(&b, c)
		}
		i++
	}
	return 0, "", errors.New("unterminated bracket expression [")
}

// writeClassByte writes c as a literal inside a Go character class.
func writeClassByte(b *strings.Builder, c byte) {
	if c < 0x80 && !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
		if c < 0x20 || c == 0x7f {
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(c)>>4, 16))
			b.WriteString(strconv.FormatUint(uint64(c)&15, 16))
			return
		}
		b.WriteByte('\\')
	}
	b.WriteByte(c)
}
