package config

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a lexical token of the configuration language.
type tokKind int

const (
	tokEOF    tokKind = iota
	tokEOL            // end of line or ';'
	tokIdent          // a run of letters (blanks inside are dropped)
	tokString         // an unquoted string (numbers included)
	tokQuoted         // a quoted string (quotes removed, escapes resolved)
	tokEquals         // '='
	tokComma          // ','
	tokBegin          // '{'
	tokEnd            // '}'
)

func (k tokKind) String() string {
	switch k {
	case tokEOF:
		return "end of file"
	case tokEOL:
		return "end of line"
	case tokIdent:
		return "identifier"
	case tokString:
		return "string"
	case tokQuoted:
		return "quoted string"
	case tokEquals:
		return `"="`
	case tokComma:
		return `","`
	case tokBegin:
		return `"{"`
	case tokEnd:
		return `"}"`
	}
	return fmt.Sprintf("token(%d)", int(k))
}

type token struct {
	kind tokKind
	text string
	pos  Position
}

// describe names a token for error messages, quoting at most 40 bytes of
// its text.
func (t token) describe() string {
	switch t.kind {
	case tokIdent, tokString, tokQuoted:
		return fmt.Sprintf("%s %s", t.kind, quoteShort(t.text))
	}
	return t.kind.String()
}

// quoteShort quotes s for a message, cut to 40 bytes.
func quoteShort(s string) string {
	const max = 40
	if len(s) > max {
		return fmt.Sprintf("%q...", s[:max])
	}
	return fmt.Sprintf("%q", s)
}

func isValueToken(t token) bool {
	return t.kind == tokIdent || t.kind == tokString || t.kind == tokQuoted
}

// Limits of the lexer. A configuration beyond them is refused with an
// error rather than read without bound.
const (
	// MaxIncludeDepth is how deeply @include files may nest.
	MaxIncludeDepth = 32
	// MaxFiles is how many files one configuration may read.
	MaxFiles = 10000
	// MaxFileSize is the largest configuration file read.
	MaxFileSize = 16 << 20
	// MaxTotalSize is the most configuration text read in all.
	MaxTotalSize = 64 << 20
	// MaxTokenLength is the longest token (a quoted string, say).
	MaxTokenLength = 64 << 10
)

// source is one file (or text) being scanned.
type source struct {
	name    string // as shown in positions
	src     string
	pos     int
	line    int
	started bool // scanning has reached it
}

// lexer splits Bareos configuration text into tokens the way the Director's
// configuration lexer does:
//
//   - an identifier starts with a letter and continues with letters; blanks
//     inside it are skipped, so "Command ACL" and "CommandACL" are the same
//     token; any other character turns it into an unquoted string;
//   - unquoted strings (numbers included) end at blanks and at the
//     characters = { } ; , # " and end of line;
//   - quoted strings know backslash escapes, may span lines and are joined
//     with a directly following quoted string (also on the next line);
//   - '#' starts a comment up to the end of the line; ';' ends a line;
//   - '@' at the start of a token includes files (see include), and the
//     text of an included file takes the place of the directive;
//   - a UTF-8 byte order mark at the start of a file is ignored.
type lexer struct {
	stack  []*source
	peeked *token
	ld     *loader
	last   Position // where the most recently finished file ended
}

func newLexer(ld *loader) *lexer { return &lexer{ld: ld} }

// push starts scanning a new file on top of the current one.
func (lx *lexer) push(name, text string) error {
	if len(lx.stack) >= MaxIncludeDepth {
		return fmt.Errorf("@include files nest deeper than %d levels (does a file include itself?)", MaxIncludeDepth)
	}
	if strings.HasPrefix(text, "\xff\xfe") || strings.HasPrefix(text, "\xfe\xff") {
		return &Error{Pos: Position{File: name, Line: 1}, Msg: "the file is UTF-16 encoded; save it as UTF-8", Err: ErrSyntax}
	}
	text = strings.TrimPrefix(text, "\xef\xbb\xbf")
	lx.stack = append(lx.stack, &source{name: name, src: text, line: 1})
	return nil
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v' }

// endsWord reports whether c ends an identifier or unquoted string.
func endsWord(c byte) bool {
	switch c {
	case '\n', '=', '{', '}', ';', ',', '#', '"':
		return true
	}
	return isBlank(c)
}

// endsIncludePath reports whether c ends the path of an unquoted @include.
func endsIncludePath(c byte) bool {
	switch c {
	case '\n', '{', '}', ';', ',', '#', '"':
		return true
	}
	return isBlank(c)
}

func (lx *lexer) unread(t token) { lx.peeked = &t }

func (s *source) at() Position { return Position{File: s.name, Line: s.line} }

func (lx *lexer) errAt(pos Position, sentinel error, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// next returns the next token. At the end of an included file scanning
// goes on in the including file; every file ends with an end of line.
func (lx *lexer) next() (token, error) {
	if lx.peeked != nil {
		t := *lx.peeked
		lx.peeked = nil
		return t, nil
	}
	for len(lx.stack) > 0 {
		s := lx.stack[len(lx.stack)-1]
		if !s.started {
			s.started = true
			if lx.ld != nil {
				lx.ld.files = append(lx.ld.files, s.name)
			}
		}
		if s.pos >= len(s.src) {
			lx.stack = lx.stack[:len(lx.stack)-1]
			lx.last = s.at()
			if len(s.src) > 0 && s.src[len(s.src)-1] != '\n' {
				// The last line of a file ends there, as if it had a newline.
				return token{kind: tokEOL, pos: s.at()}, nil
			}
			continue
		}
		c := s.src[s.pos]
		switch {
		case c == '\n':
			s.pos++
			s.line++
			return token{kind: tokEOL, pos: Position{File: s.name, Line: s.line - 1}}, nil
		case isBlank(c):
			s.pos++
		case c == 0:
			return token{}, lx.errAt(s.at(), ErrSyntax, "NUL byte in the configuration text")
		case c == '#':
			for s.pos < len(s.src) && s.src[s.pos] != '\n' {
				s.pos++
			}
		case c == ';':
			s.pos++
			return token{kind: tokEOL, pos: s.at()}, nil
		case c == '=':
			s.pos++
			return token{kind: tokEquals, text: "=", pos: s.at()}, nil
		case c == ',':
			s.pos++
			return token{kind: tokComma, text: ",", pos: s.at()}, nil
		case c == '{':
			s.pos++
			return token{kind: tokBegin, text: "{", pos: s.at()}, nil
		case c == '}':
			s.pos++
			return token{kind: tokEnd, text: "}", pos: s.at()}, nil
		case c == '"':
			return lx.quoted(s)
		case c == '@':
			if err := lx.include(s); err != nil {
				return token{}, err
			}
		default:
			return lx.word(s, isAlpha(c))
		}
	}
	return token{kind: tokEOF, pos: lx.last}, nil
}

// word scans an identifier (ident = true) or an unquoted string.
func (lx *lexer) word(s *source, ident bool) (token, error) {
	pos := s.at()
	var b strings.Builder
	for s.pos < len(s.src) {
		c := s.src[s.pos]
		if c == 0 {
			break
		}
		if b.Len() >= MaxTokenLength {
			return token{}, lx.errAt(pos, ErrSyntax, "a value is longer than %d bytes", MaxTokenLength)
		}
		if ident {
			switch {
			case isAlpha(c):
				b.WriteByte(c)
				s.pos++
				continue
			case isBlank(c):
				s.pos++
				continue
			case endsWord(c):
				return token{kind: tokIdent, text: b.String(), pos: pos}, nil
			}
			// Any other character: the identifier is a string after all.
			ident = false
			continue
		}
		if endsWord(c) {
			break
		}
		b.WriteByte(c)
		s.pos++
	}
	if ident {
		return token{kind: tokIdent, text: b.String(), pos: pos}, nil
	}
	return token{kind: tokString, text: b.String(), pos: pos}, nil
}

// quoted scans a quoted string starting at the opening quote.
func (lx *lexer) quoted(s *source) (token, error) {
	pos := s.at()
	var b strings.Builder
	s.pos++ // opening quote
	for {
		if s.pos >= len(s.src) {
			return token{}, lx.errAt(pos, ErrSyntax, "unterminated quoted string")
		}
		if b.Len() > MaxTokenLength {
			return token{}, lx.errAt(pos, ErrSyntax, "a quoted string is longer than %d bytes", MaxTokenLength)
		}
		c := s.src[s.pos]
		s.pos++
		switch c {
		case 0:
			return token{}, lx.errAt(s.at(), ErrSyntax, "NUL byte in the configuration text")
		case '\n':
			s.line++
			b.WriteByte('\n')
		case '\\':
			if s.pos >= len(s.src) {
				return token{}, lx.errAt(pos, ErrSyntax, "unterminated quoted string")
			}
			e := s.src[s.pos]
			s.pos++
			if e == '\n' {
				s.line++
			}
			b.WriteByte(e)
		case '"':
			if continuesWithQuote(s) {
				continue
			}
			return token{kind: tokQuoted, text: b.String(), pos: pos}, nil
		default:
			b.WriteByte(c)
		}
	}
}

// continuesWithQuote reports whether the quoted string that just ended is
// continued by another one on the same line or at the start of the next
// line; if so it consumes everything up to and including that quote.
func continuesWithQuote(s *source) bool {
	p := s.pos
	for p < len(s.src) && isBlank(s.src[p]) {
		p++
	}
	if p < len(s.src) && s.src[p] == '"' {
		s.pos = p + 1
		return true
	}
	if p < len(s.src) && s.src[p] == '\n' {
		q := p + 1
		for q < len(s.src) && isBlank(s.src[q]) {
			q++
		}
		if q < len(s.src) && s.src[q] == '"' {
			s.pos = q + 1
			s.line++
			return true
		}
	}
	return false
}

// include reads an @include directive at s.pos ('@') and pushes the files
// it names. The path is either quoted ("@\"/etc/my dir/x.conf\"") or runs
// up to a blank, a newline or one of { } ; , # ". The character after the
// path is scanned again after the included text, as in the Director.
func (lx *lexer) include(s *source) error {
	pos := s.at()
	s.pos++ // '@'
	var b strings.Builder
	if s.pos < len(s.src) && s.src[s.pos] == '"' {
		s.pos++
		for {
			if s.pos >= len(s.src) || s.src[s.pos] == '\n' {
				return lx.errAt(pos, ErrSyntax, "unterminated quoted @include path")
			}
			c := s.src[s.pos]
			s.pos++
			if c == '"' {
				break
			}
			if c == '\\' && s.pos < len(s.src) && s.src[s.pos] != '\n' {
				c = s.src[s.pos]
				s.pos++
			}
			b.WriteByte(c)
		}
	} else {
		for s.pos < len(s.src) && !endsIncludePath(s.src[s.pos]) {
			b.WriteByte(s.src[s.pos])
			s.pos++
		}
	}
	if lx.ld == nil {
		return lx.errAt(pos, ErrInclude, "@include is not available here")
	}
	return lx.ld.include(lx, pos, b.String())
}
