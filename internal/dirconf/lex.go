package dirconf

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
	tokString         // an unquoted string
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
	line int
}

// describe names a token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tokIdent, tokString:
		return fmt.Sprintf("%s %q", t.kind, t.text)
	case tokQuoted:
		return fmt.Sprintf("quoted string %q", t.text)
	}
	return t.kind.String()
}

// lexer splits Bareos configuration text into tokens the way the Bareos
// configuration lexer does:
//
//   - an identifier starts with a letter and continues with letters; blanks
//     inside it are skipped, so "Command ACL" and "CommandACL" are the same
//     token; any other character turns it into an unquoted string;
//   - unquoted strings end at blanks and at the characters = { } ; , # " and
//     end of line;
//   - quoted strings know backslash escapes, may span lines and are joined
//     with a directly following quoted string (also on the next line);
//   - '#' starts a comment up to the end of the line; ';' ends a line.
type lexer struct {
	src    string
	pos    int
	line   int
	peeked *token
}

func newLexer(src string) *lexer {
	// A UTF-8 byte order mark at the very start is ignored.
	src = strings.TrimPrefix(src, "\xef\xbb\xbf")
	return &lexer{src: src, line: 1}
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

func (lx *lexer) unread(t token) { lx.peeked = &t }

func (lx *lexer) peek() (token, error) {
	t, err := lx.next()
	if err == nil {
		lx.unread(t)
	}
	return t, err
}

func (lx *lexer) next() (token, error) {
	if lx.peeked != nil {
		t := *lx.peeked
		lx.peeked = nil
		return t, nil
	}
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		switch {
		case c == '\n':
			lx.pos++
			lx.line++
			return token{kind: tokEOL, line: lx.line - 1}, nil
		case isBlank(c):
			lx.pos++
		case c == '#':
			for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' {
				lx.pos++
			}
		case c == ';':
			lx.pos++
			return token{kind: tokEOL, line: lx.line}, nil
		case c == '=':
			lx.pos++
			return token{kind: tokEquals, text: "=", line: lx.line}, nil
		case c == ',':
			lx.pos++
			return token{kind: tokComma, text: ",", line: lx.line}, nil
		case c == '{':
			lx.pos++
			return token{kind: tokBegin, text: "{", line: lx.line}, nil
		case c == '}':
			lx.pos++
			return token{kind: tokEnd, text: "}", line: lx.line}, nil
		case c == '"':
			return lx.quoted()
		case c == '@':
			return token{}, lx.errorf(ErrSyntax, "include directives (@file) are not supported")
		case isAlpha(c):
			return lx.word(true), nil
		default:
			return lx.word(false), nil
		}
	}
	return token{kind: tokEOF, line: lx.line}, nil
}

// word scans an identifier (ident = true) or an unquoted string.
func (lx *lexer) word(ident bool) token {
	line := lx.line
	var b strings.Builder
	for lx.pos < len(lx.src) {
		c := lx.src[lx.pos]
		if ident {
			switch {
			case isAlpha(c):
				b.WriteByte(c)
				lx.pos++
				continue
			case isBlank(c):
				lx.pos++
				continue
			case endsWord(c):
				return token{kind: tokIdent, text: b.String(), line: line}
			}
			// Any other character: the identifier is a string after all.
			ident = false
			continue
		}
		if endsWord(c) {
			break
		}
		b.WriteByte(c)
		lx.pos++
	}
	if ident {
		return token{kind: tokIdent, text: b.String(), line: line}
	}
	return token{kind: tokString, text: b.String(), line: line}
}

// quoted scans a quoted string starting at the opening quote.
func (lx *lexer) quoted() (token, error) {
	line := lx.line
	var b strings.Builder
	lx.pos++ // opening quote
	for {
		if lx.pos >= len(lx.src) {
			return token{}, &Error{Line: line, Msg: "unterminated quoted string", Err: ErrSyntax}
		}
		c := lx.src[lx.pos]
		lx.pos++
		switch c {
		case '\n':
			lx.line++
			b.WriteByte('\n')
		case '\\':
			if lx.pos >= len(lx.src) {
				return token{}, &Error{Line: line, Msg: "unterminated quoted string", Err: ErrSyntax}
			}
			e := lx.src[lx.pos]
			lx.pos++
			if e == '\n' {
				lx.line++
			}
			b.WriteByte(e)
		case '"':
			if lx.continuesWithQuote() {
				continue
			}
			return token{kind: tokQuoted, text: b.String(), line: line}, nil
		default:
			b.WriteByte(c)
		}
	}
}

// continuesWithQuote reports whether the quoted string that just ended is
// continued by another one on the same line or at the start of the next
// line; if so it consumes everything up to and including that quote.
func (lx *lexer) continuesWithQuote() bool {
	p := lx.pos
	for p < len(lx.src) && isBlank(lx.src[p]) {
		p++
	}
	if p < len(lx.src) && lx.src[p] == '"' {
		lx.pos = p + 1
		return true
	}
	if p < len(lx.src) && lx.src[p] == '\n' {
		q := p + 1
		for q < len(lx.src) && isBlank(lx.src[q]) {
			q++
		}
		if q < len(lx.src) && lx.src[q] == '"' {
			lx.pos = q + 1
			lx.line++
			return true
		}
	}
	return false
}

func (lx *lexer) errorf(sentinel error, format string, args ...any) *Error {
	return &Error{Line: lx.line, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}
