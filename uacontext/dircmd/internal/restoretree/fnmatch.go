package restoretree

// maxStarGroups is the number of '*' groups from which a pattern never
// matches: the Director's fnmatch gives up (no match) when its
// recursion, one level per group of stars, gets 64 levels deep, and
// every successful match passes through all groups.
const maxStarGroups = 64

// tokKind is the kind of one compiled pattern element.
type tokKind uint8

const (
	tokByte  tokKind = iota // one literal byte
	tokAny                  // '?': any one byte
	tokStar                 // one or more '*': any run of bytes
	tokClass                // a bracket expression
)

type token struct {
	kind   tokKind
	b      byte      // tokByte
	negate bool      // tokClass
	ranges []byteRng // tokClass: lo..hi, compared as signed chars
}

type byteRng struct{ lo, hi int8 }

// Pattern is a compiled shell wildcard pattern with the semantics of the
// Director's fnmatch without flags (the restore tree uses no flags):
//
//   - '*' matches any run of bytes, '/' and a leading '.' included;
//   - '?' matches any one byte;
//   - '[...]' matches one byte of a set: '!' or '^' first negates, a ']'
//     first is a member, "a-z" is a range (bytes compared as signed C
//     chars), a backslash quotes the next byte; a bracket without its
//     closing ']' is an ordinary '[';
//   - a backslash quotes the next byte (a trailing one is itself);
//   - any other byte matches itself, case-sensitively;
//   - a pattern with 64 or more groups of stars matches nothing (the
//     Director's recursion limit).
//
// Matching takes time proportional to len(pattern) × len(name) at worst,
// whatever the input, where the Director's recursive matcher can take
// exponential time.
type Pattern struct {
	toks  []token
	never bool
}

// Compile compiles a pattern. Every byte string is a valid pattern.
func Compile(pattern string) Pattern {
	var p Pattern
	pattern = cString(pattern)
	stars := 0
	for i := 0; i < len(pattern); {
		c := pattern[i]
		i++
		switch c {
		case '?':
			p.toks = append(p.toks, token{kind: tokAny})
		case '*':
			for i < len(pattern) && pattern[i] == '*' {
				i++
			}
			stars++
			p.toks = append(p.toks, token{kind: tokStar})
		case '[':
			if t, next, ok := compileClass(pattern, i); ok {
				p.toks = append(p.toks, t)
				i = next
			} else {
				p.toks = append(p.toks, token{kind: tokByte, b: '['})
			}
		case '\\':
			if i < len(pattern) {
				c = pattern[i]
				i++
			}
			p.toks = append(p.toks, token{kind: tokByte, b: c})
		default:
			p.toks = append(p.toks, token{kind: tokByte, b: c})
		}
	}
	p.never = stars >= maxStarGroups
	return p
}

// compileClass parses a bracket expression whose '[' precedes
// pattern[i]. It reports false for a bracket without its ']' (the
// Director then takes the '[' literally).
func compileClass(pattern string, i int) (token, int, bool) {
	t := token{kind: tokClass}
	at := func(k int) byte { // C string access: 0 past the end
		if k < len(pattern) {
			return pattern[k]
		}
		return 0
	}
	if c := at(i); c == '!' || c == '^' {
		t.negate = true
		i++
	}
	c := at(i)
	i++
	for {
		if c == '\\' {
			c = at(i)
			i++
		}
		if c == 0 {
			return token{}, 0, false
		}
		if at(i) == '-' && at(i+1) != 0 && at(i+1) != ']' {
			c2 := at(i + 1)
			i += 2
			if c2 == '\\' {
				c2 = at(i)
				i++
			}
			if c2 == 0 {
				return token{}, 0, false
			}
			t.ranges = append(t.ranges, byteRng{int8(c), int8(c2)})
		} else {
			t.ranges = append(t.ranges, byteRng{int8(c), int8(c)})
		}
		c = at(i)
		i++
		if c == ']' {
			return t, i, true
		}
	}
}

func (t *token) matches(b byte) bool {
	switch t.kind {
	case tokByte:
		return t.b == b
	case tokAny:
		return true
	case tokClass:
		v := int8(b)
		in := false
		for _, r := range t.ranges {
			if r.lo <= v && v <= r.hi {
				in = true
				break
			}
		}
		return in != t.negate
	}
	return false
}

// Match reports whether name matches the pattern. Like the C function,
// it sees name only up to a NUL byte.
func (p *Pattern) Match(name string) bool {
	if p.never {
		return false
	}
	name = cString(name)
	// Every token but a star matches exactly one byte, so the classic
	// matcher that backtracks only to the last star is exact.
	ti, ni := 0, 0
	starTok, starName := -1, 0
	for ni < len(name) {
		if ti < len(p.toks) {
			t := &p.toks[ti]
			if t.kind == tokStar {
				starTok, starName = ti, ni
				ti++
				continue
			}
			if t.matches(name[ni]) {
				ti++
				ni++
				continue
			}
		}
		if starTok < 0 {
			return false
		}
		starName++
		ti, ni = starTok+1, starName
	}
	for ti < len(p.toks) && p.toks[ti].kind == tokStar {
		ti++
	}
	return ti == len(p.toks)
}

// Fnmatch reports whether name matches pattern (see Pattern).
func Fnmatch(pattern, name string) bool {
	p := Compile(pattern)
	return p.Match(name)
}

// cString returns s up to its first NUL byte.
func cString(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}
