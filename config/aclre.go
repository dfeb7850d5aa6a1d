package config

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
)

// checkACLRegexp reports whether an ACL entry with regular-expression
// characters is a valid POSIX extended regular expression as the Director
// (glibc regcomp) and uacontext's ACL matching read it. An invalid one is
// an error here, because the Director silently lets it match nothing.
//
// ACL entries are limited to letters, digits and !()[]|+?*.:_-'/ (the
// Director's IsAclEntryValid), so only groups, bracket expressions,
// alternation, '.', and the repetition operators need attention. The
// rules follow uacontext's translation of ERE into Go syntax: a run of
// repetition operators acts as one; "(?" is an error; an unmatched ')' is
// an ordinary character; a repetition operator with nothing before it is
// an error; bracket expressions know [:class:], [.c.] and [=c=].
func checkACLRegexp(pattern string) error {
	var b strings.Builder
	depth := 0
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch c {
		case '[':
			j, class, err := bracketToGo(pattern, i)
			if err != nil {
				return err
			}
			b.WriteString(class)
			i = j
		case '(':
			if i+1 < len(pattern) && pattern[i+1] == '?' {
				return errors.New(`"(?" is not allowed`)
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
			for j < len(pattern) && strings.IndexByte("*+?", pattern[j]) >= 0 {
				allPlus = allPlus && pattern[j] == '+'
				allQuest = allQuest && pattern[j] == '?'
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
		case '.', '|':
			b.WriteByte(c)
			i++
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
			i++
		}
	}
	if _, err := regexp.Compile(`(?i)^(?:` + b.String() + `)$`); err != nil {
		var se *syntax.Error
		if errors.As(err, &se) {
			return errors.New(se.Code.String())
		}
		return err
	}
	return nil
}

// bracketToGo translates the bracket expression at pattern[i] == '[' and
// returns the index after it.
func bracketToGo(pattern string, i int) (int, string, error) {
	var b strings.Builder
	b.WriteByte('[')
	i++
	if i < len(pattern) && pattern[i] == '^' {
		b.WriteByte('^')
		i++
	}
	first := true
	for i < len(pattern) {
		c := pattern[i]
		if c == ']' && !first {
			b.WriteByte(']')
			return i + 1, b.String(), nil
		}
		first = false
		if c == '[' && i+1 < len(pattern) && strings.IndexByte(":=.", pattern[i+1]) >= 0 {
			kind := pattern[i+1]
			end := strings.Index(pattern[i+2:], string(kind)+"]")
			if end < 0 {
				return 0, "", errors.New("unterminated [" + string(kind) + " in a bracket expression")
			}
			name := pattern[i+2 : i+2+end]
			i += 2 + end + 2
			if kind == ':' {
				b.WriteString("[:" + name + ":]")
				continue
			}
			if len(name) != 1 {
				return 0, "", errors.New("invalid collating element [" + string(kind) + name + string(kind) + "]")
			}
			writeClassLiteral(&b, name[0])
			continue
		}
		if c == '-' {
			b.WriteByte('-')
		} else {
			writeClassLiteral(&b, c)
		}
		i++
	}
	return 0, "", errors.New("unterminated bracket expression [")
}

// writeClassLiteral writes c as a literal inside a Go character class.
func writeClassLiteral(b *strings.Builder, c byte) {
	if !isAlpha(c) && !isDigit(c) && c < 0x80 {
		b.WriteByte('\\')
	}
	b.WriteByte(c)
}
