package config

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
)

// maxErrors bounds the validation errors collected from one
// configuration.
const maxErrors = 100

// maxNesting bounds the brace nesting of a skipped resource.
const maxNesting = 100

// valueKind is the shape of a directive's value.
type valueKind int

const (
	kindSingle    valueKind = iota // one value on the same line
	kindSingleEOL                  // one value, possibly on a later line (address, port)
	kindList                       // values separated by commas
	kindTime                       // a duration: values up to the end of the line ("1 min 30 sec")
	kindAddresses                  // a { ip = { addr = ...; port = ... } ... } block
)

// value is a directive's value as read.
type value struct {
	kw    token     // the directive keyword
	toks  []token   // the value tokens
	addrs []Address // for kindAddresses
}

// pos is where the value starts.
func (v value) pos() Position {
	if len(v.toks) > 0 {
		return v.toks[0].pos
	}
	return v.kw.pos
}

// text is the first value.
func (v value) text() string {
	if len(v.toks) == 0 {
		return ""
	}
	return v.toks[0].text
}

// texts are all values.
func (v value) texts() []string {
	out := make([]string, len(v.toks))
	for i, t := range v.toks {
		out[i] = t.text
	}
	return out
}

// directive describes a directive of a resource of type T.
type directive[T any] struct {
	name    string   // canonical name, e.g. "MaximumConsoleConnections"
	aliases []string // other accepted names
	kind    valueKind
	// set stores the value; a returned error is a validation error (the
	// resource goes on being read).
	set func(p *parser, r *T, v value) error
	// note, if set, is noticed at level noteLevel whenever the directive
	// is used (deprecated and obsolete directives).
	note      string
	noteLevel slog.Level
}

// directiveTable indexes directives by their lower-case names.
type directiveTable[T any] map[string]*directive[T]

func newTable[T any](lists ...[]directive[T]) directiveTable[T] {
	t := directiveTable[T]{}
	for _, l := range lists {
		for i := range l {
			d := &l[i]
			for _, n := range append([]string{d.name}, d.aliases...) {
				key := strings.ToLower(n)
				if _, dup := t[key]; dup {
					panic("config: directive " + n + " defined twice")
				}
				t[key] = d
			}
		}
	}
	return t
}

type parser struct {
	lx   *lexer
	ld   *loader
	cfg  *Config
	errs []error // validation errors so far
	// seen holds the canonical names of the directives of the resource
	// being read.
	seen map[string]bool
	// defined maps resource type and name to where it was defined.
	defined map[string]Position
	// aclChecked caches aclProblem by entry: configurations repeat
	// their ACL entries, and checking a regular expression compiles it.
	aclChecked map[string]string
	// resources, if set, reads the resource types of another daemon's
	// configuration (bconsole's) by lower-case type name; others are
	// skipped with a warning. Nil: the Director's.
	resources map[string]func(start token) error
}

// define records the resource resType called name at pos; if one is
// already defined, it returns where.
func (p *parser) define(resType, name string, pos Position) (Position, bool) {
	if p.defined == nil {
		p.defined = map[string]Position{}
	}
	key := resType + "\x00" + name
	if prev, ok := p.defined[key]; ok {
		return prev, true
	}
	p.defined[key] = pos
	return Position{}, false
}

// isDefined reports whether the resource resType called name exists.
func (p *parser) isDefined(resType, name string) bool {
	_, ok := p.defined[resType+"\x00"+name]
	return ok
}

func (p *parser) errAt(pos Position, sentinel error, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

// invalid records a validation error; reading goes on.
func (p *parser) invalid(err error) {
	if err != nil && len(p.errs) < maxErrors {
		p.errs = append(p.errs, err)
	}
}

// result is the outcome: nil, or the validation errors followed by the
// error that stopped reading.
func (p *parser) result(fatal error) error {
	errs := p.errs
	if fatal != nil {
		var e *Error
		if !errors.As(fatal, &e) {
			fatal = &Error{Msg: fatal.Error(), Err: ErrSyntax}
		}
		errs = append(errs, fatal)
	}
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return errors.Join(errs...)
}

// nextSkipEOL returns the next token that is not an end of line.
func (p *parser) nextSkipEOL() (token, error) {
	for {
		t, err := p.lx.next()
		if err != nil || t.kind != tokEOL {
			return t, err
		}
	}
}

// The Director's resource types that this package does not model; they
// are skipped as a whole.
var directorOnlyTypes = map[string]string{
	"client": "Client", "jobdefs": "JobDefs", "job": "Job", "storage": "Storage",
	"catalog": "Catalog", "schedule": "Schedule", "fileset": "FileSet",
	"pool": "Pool", "messages": "Messages", "counter": "Counter",
}

func (p *parser) parse() error {
	for {
		t, err := p.lx.next()
		if err != nil {
			return p.result(err)
		}
		switch t.kind {
		case tokEOF:
			p.check()
			return p.result(nil)
		case tokEOL:
			continue
		case tokIdent:
		default:
			return p.result(p.errAt(t.pos, ErrSyntax, "expected a resource type, got %s", t.describe()))
		}
		b, err := p.nextSkipEOL()
		if err != nil {
			return p.result(err)
		}
		if b.kind != tokBegin {
			return p.result(p.errAt(b.pos, ErrSyntax, "expected \"{\" after resource type %s, got %s", quoteShort(t.text), b.describe()))
		}
		if p.resources != nil {
			if read, ok := p.resources[strings.ToLower(t.text)]; ok {
				err = read(t)
			} else {
				err = p.skipResource(t)
			}
			if err != nil {
				return p.result(err)
			}
			continue
		}
		switch strings.ToLower(t.text) {
		case "director":
			err = p.director(t)
		case "console":
			err = p.console(t)
		case "profile":
			err = p.profile(t)
		case "user":
			err = p.user(t)
		default:
			err = p.skipResource(t)
		}
		if err != nil {
			return p.result(err)
		}
	}
}

// skipResource skips the body of a resource this package does not model,
// keeping braces balanced, and notices it: at debug level for the
// Director's other resource types, as a warning for unknown types.
func (p *parser) skipResource(start token) error {
	if name, ok := directorOnlyTypes[strings.ToLower(start.text)]; ok {
		p.ld.notice(start.pos, slog.LevelDebug, "%s resource skipped (not used by the console layer)", name)
	} else {
		p.ld.notice(start.pos, slog.LevelWarn, "unknown resource type %s skipped", quoteShort(start.text))
	}
	depth := 1
	for depth > 0 {
		t, err := p.lx.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokBegin:
			depth++
			if depth > maxNesting {
				return p.errAt(t.pos, ErrTooLarge, "braces nest deeper than %d levels", maxNesting)
			}
		case tokEnd:
			depth--
		case tokEOF:
			return p.errAt(start.pos, ErrSyntax, "%s resource is not closed (missing \"}\")", quoteShort(start.text))
		}
	}
	return nil
}

// parseBody reads the directives of a resource up to its closing brace.
func parseBody[T any](p *parser, start token, resType string, r *T, table directiveTable[T]) error {
	p.seen = map[string]bool{}
	for {
		t, err := p.lx.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokEOL:
			continue
		case tokEnd:
			return nil
		case tokEOF:
			return p.errAt(start.pos, ErrSyntax, "%s resource is not closed (missing \"}\")", resType)
		case tokIdent:
		default:
			return p.errAt(t.pos, ErrSyntax, "expected a directive in %s resource, got %s", resType, t.describe())
		}
		d, ok := table[strings.ToLower(t.text)]
		if !ok {
			return p.errAt(t.pos, ErrUnknownDirective, "directive %s is not permitted in a %s resource", quoteShort(t.text), resType)
		}
		eq, err := p.nextSkipEOL()
		if err != nil {
			return err
		}
		if eq.kind != tokEquals {
			return p.errAt(eq.pos, ErrSyntax, "expected \"=\" after directive %s, got %s", quoteShort(t.text), eq.describe())
		}
		v, err := p.readValue(d.kind, t)
		if err != nil {
			return err
		}
		if d.note != "" {
			p.ld.notice(t.pos, d.noteLevel, "%s: %s", d.name, d.note)
		}
		p.invalid(d.set(p, r, v))
		p.seen[d.name] = true
	}
}

// readValue reads the value of the directive kw.
func (p *parser) readValue(kind valueKind, kw token) (value, error) {
	v := value{kw: kw}
	switch kind {
	case kindSingle, kindSingleEOL:
		var t token
		var err error
		if kind == kindSingleEOL {
			t, err = p.nextSkipEOL()
		} else {
			t, err = p.lx.next()
		}
		if err != nil {
			return v, err
		}
		if !isValueToken(t) {
			return v, p.errAt(t.pos, ErrSyntax, "expected a value for %s, got %s", quoteShort(kw.text), t.describe())
		}
		v.toks = []token{t}
		return v, p.endItem(kw)
	case kindList:
		for {
			t, err := p.lx.next()
			if err != nil {
				return v, err
			}
			if !isValueToken(t) {
				return v, p.errAt(t.pos, ErrSyntax, "expected a value for %s, got %s", quoteShort(kw.text), t.describe())
			}
			v.toks = append(v.toks, t)
			sep, err := p.lx.next()
			if err != nil {
				return v, err
			}
			if sep.kind != tokComma {
				p.lx.unread(sep)
				return v, p.endItem(kw)
			}
		}
	case kindTime:
		t, err := p.nextSkipEOL()
		if err != nil {
			return v, err
		}
		for isValueToken(t) {
			v.toks = append(v.toks, t)
			if t, err = p.lx.next(); err != nil {
				return v, err
			}
		}
		if len(v.toks) == 0 {
			return v, p.errAt(t.pos, ErrSyntax, "expected a value for %s, got %s", quoteShort(kw.text), t.describe())
		}
		p.lx.unread(t)
		return v, p.endItem(kw)
	case kindAddresses:
		addrs, err := p.addresses(kw)
		v.addrs = addrs
		return v, err
	}
	return v, fmt.Errorf("config: unknown value kind %d", kind)
}

// endItem consumes the end of a directive: an end of line, or it leaves a
// closing brace or the end of the file for the caller.
func (p *parser) endItem(kw token) error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	switch t.kind {
	case tokEOL:
		return nil
	case tokEnd, tokEOF:
		p.lx.unread(t)
		return nil
	}
	return p.errAt(t.pos, ErrSyntax, "unexpected %s after the value of %s", t.describe(), quoteShort(kw.text))
}

// expect reads the next token (ends of line skipped) and checks its kind.
func (p *parser) expect(kind tokKind, what string) (token, error) {
	t, err := p.nextSkipEOL()
	if err != nil {
		return t, err
	}
	if t.kind != kind {
		return t, p.errAt(t.pos, ErrSyntax, "expected %s, got %s", what, t.describe())
	}
	return t, nil
}

// addresses reads a DirAddresses block:
//
//	Addresses = {
//	  ip = { addr = 1.2.3.4; port = 9101 }
//	  ipv6 = { addr = ::1 }
//	}
//
// Ends of line are insignificant inside the block.
func (p *parser) addresses(kw token) ([]Address, error) {
	if _, err := p.expect(tokBegin, "\"{\" to begin the address block of "+quoteShort(kw.text)); err != nil {
		return nil, err
	}
	var out []Address
	for {
		t, err := p.nextSkipEOL()
		if err != nil {
			return nil, err
		}
		if t.kind == tokEnd {
			if len(out) == 0 {
				return nil, p.errAt(t.pos, ErrSyntax, "empty address block")
			}
			return out, nil
		}
		if t.kind != tokIdent && t.kind != tokString {
			return nil, p.errAt(t.pos, ErrSyntax, "expected ip, ipv4 or ipv6 in the address block, got %s", t.describe())
		}
		family := strings.ToLower(t.text)
		if family != "ip" && family != "ipv4" && family != "ipv6" {
			return nil, p.errAt(t.pos, ErrSyntax, "expected ip, ipv4 or ipv6 in the address block, got %s", t.describe())
		}
		if _, err := p.expect(tokEquals, `"="`); err != nil {
			return nil, err
		}
		if _, err := p.expect(tokBegin, `"{"`); err != nil {
			return nil, err
		}
		a := Address{Family: family}
		var haveAddr, havePort bool
		for {
			k, err := p.nextSkipEOL()
			if err != nil {
				return nil, err
			}
			if k.kind == tokEnd {
				break
			}
			if k.kind != tokIdent {
				return nil, p.errAt(k.pos, ErrSyntax, "expected addr or port, got %s", k.describe())
			}
			if _, err := p.expect(tokEquals, `"="`); err != nil {
				return nil, err
			}
			val, err := p.nextSkipEOL()
			if err != nil {
				return nil, err
			}
			if !isValueToken(val) {
				return nil, p.errAt(val.pos, ErrSyntax, "expected a value for %s, got %s", quoteShort(k.text), val.describe())
			}
			switch strings.ToLower(k.text) {
			case "addr":
				if haveAddr {
					return nil, p.errAt(k.pos, ErrSyntax, "only one addr per address block")
				}
				haveAddr, a.Host = true, val.text
			case "port":
				if havePort {
					return nil, p.errAt(k.pos, ErrSyntax, "only one port per address block")
				}
				port, err := parsePort(val.text)
				if err != nil {
					return nil, p.errAt(val.pos, ErrInvalidValue, "%v", err)
				}
				havePort, a.Port = true, port
			default:
				return nil, p.errAt(k.pos, ErrSyntax, "expected addr or port, got %s", k.describe())
			}
		}
		if !haveAddr && !havePort {
			return nil, p.errAt(t.pos, ErrSyntax, "empty %s block", family)
		}
		if a.Port == 0 {
			a.Port = DefaultDirPort
		}
		out = append(out, a)
	}
}
