// Package dirconf reads the Console (and Profile) resources of a Bareos
// Director configuration, in Bareos's own configuration syntax.
//
// A file holds resources of the form
//
//	Console {
//	  Name = user1
//	  Password = "pw1"                 # or "[md5]<32 hex digits>"
//	  Command ACL = whoami, list, .jobs
//	  Job ACL = BackupClient1, "!BackupCatalog"
//	  Job ACL = RestoreFiles            # repeated ACL lines append
//	  Profile = operator
//	}
//
// Keywords are case-insensitive and blanks inside them are ignored
// ("Command ACL" is "commandacl"), ';' ends an item like a newline, '#'
// starts a comment, and quoted strings may contain escapes and blanks.
// Resources of other types (Director, Job, ...) are skipped. Profile
// resources carry ACLs that a Console includes with "Profile =".
//
// Parse never panics; every problem is reported as an *Error naming the
// file, the line and the problem, wrapping one of the sentinel errors.
package dirconf

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Sentinel errors wrapped by *Error.
var (
	// ErrSyntax: malformed text (unexpected token, unterminated string).
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownKeyword: a keyword that the resource does not have.
	ErrUnknownKeyword = errors.New("unknown keyword")
	// ErrInvalidValue: a value the keyword does not accept (bad ACL entry,
	// bad md5 password, overlong name, bad boolean).
	ErrInvalidValue = errors.New("invalid value")
	// ErrMissing: a resource without a required item (Name, Password).
	ErrMissing = errors.New("missing required item")
	// ErrDuplicate: two resources of the same type with the same name.
	ErrDuplicate = errors.New("duplicate resource")
	// ErrUnknownProfile: a Console refers to a Profile that is not defined.
	ErrUnknownProfile = errors.New("unknown profile")
)

// Error is a configuration error at a place in a file.
type Error struct {
	File string // file name as given to Parse ("" if none)
	Line int    // 1-based line number (0 if not tied to a line)
	Msg  string // the problem
	Err  error  // one of the sentinel errors
}

// Error formats the problem as "FILE:LINE: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteString(":")
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:", e.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// ACL identifies one access control list of a Console or Profile.
type ACL int

// The ACL lists, in the order of the Bareos Director.
const (
	JobACL ACL = iota
	ClientACL
	StorageACL
	ScheduleACL
	PoolACL
	CommandACL
	FileSetACL
	CatalogACL
	WhereACL
	PluginOptionsACL
	NumACLs // number of ACL lists
)

var aclKeywords = [NumACLs]string{
	JobACL:           "jobacl",
	ClientACL:        "clientacl",
	StorageACL:       "storageacl",
	ScheduleACL:      "scheduleacl",
	PoolACL:          "poolacl",
	CommandACL:       "commandacl",
	FileSetACL:       "filesetacl",
	CatalogACL:       "catalogacl",
	WhereACL:         "whereacl",
	PluginOptionsACL: "pluginoptionsacl",
}

var aclNames = [NumACLs]string{
	JobACL:           "Job ACL",
	ClientACL:        "Client ACL",
	StorageACL:       "Storage ACL",
	ScheduleACL:      "Schedule ACL",
	PoolACL:          "Pool ACL",
	CommandACL:       "Command ACL",
	FileSetACL:       "FileSet ACL",
	CatalogACL:       "Catalog ACL",
	WhereACL:         "Where ACL",
	PluginOptionsACL: "Plugin Options ACL",
}

// String returns the configuration keyword, e.g. "Job ACL".
func (a ACL) String() string {
	if a >= 0 && a < NumACLs {
		return aclNames[a]
	}
	return fmt.Sprintf("ACL(%d)", int(a))
}

// ACLs holds the entries of every ACL list as configured ("*all*", "!x",
// names and regular expressions), in order.
type ACLs [NumACLs][]string

// Profile is a Profile resource: a named set of ACLs.
type Profile struct {
	Name        string
	Description string
	ACL         ACLs
	Line        int // line of the resource's opening keyword
}

// Console is a Console resource.
type Console struct {
	Name        string
	Description string
	// Key is the CRAM-MD5 key: the lower-case hex MD5 of the cleartext
	// password, or the digits of an "[md5]..." password.
	Key string
	// ACL holds the console's own ACL entries (without its profiles).
	ACL ACLs
	// Profiles names the Profile resources of the console, in order.
	Profiles []string
	// UsePAM is the "Use Pam Authentication" setting.
	UsePAM bool
	Line   int // line of the resource's opening keyword
}

// Config is the result of parsing: the Console and Profile resources in
// file order.
type Config struct {
	Consoles []*Console
	Profiles []*Profile
}

// Console returns the console with the given name (case-sensitive, as the
// Director compares resource names).
func (c *Config) Console(name string) (*Console, bool) {
	for _, con := range c.Consoles {
		if con.Name == name {
			return con, true
		}
	}
	return nil, false
}

// Profile returns the profile with the given name.
func (c *Config) Profile(name string) (*Profile, bool) {
	for _, p := range c.Profiles {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// EffectiveACL returns the ACL entries that decide for the console: for
// every list, the console's own entries followed by those of its profiles
// in order (the Director's evaluation order).
func (c *Config) EffectiveACL(con *Console) ACLs {
	var out ACLs
	for k := range NumACLs {
		out[k] = append(out[k], con.ACL[k]...)
	}
	for _, name := range con.Profiles {
		p, ok := c.Profile(name)
		if !ok {
			continue
		}
		for k := range NumACLs {
			out[k] = append(out[k], p.ACL[k]...)
		}
	}
	return out
}

// PasswordKey returns the CRAM-MD5 key of a configured password: the
// lower-case hex digits of an "[md5]" password, or the MD5 of the
// cleartext otherwise.
func PasswordKey(password string) (string, error) {
	if rest, ok := strings.CutPrefix(password, "[md5]"); ok {
		if len(rest) != 32 {
			return "", fmt.Errorf("md5 password needs 32 hex digits, got %d characters", len(rest))
		}
		if _, err := hex.DecodeString(rest); err != nil {
			return "", fmt.Errorf("md5 password is not hexadecimal")
		}
		return strings.ToLower(rest), nil
	}
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:]), nil
}

// ParseFile reads and parses the configuration file at path.
func ParseFile(path string) (*Config, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("dirconf: %w", err)
	}
	return Parse(path, src)
}

// Parse parses configuration text. name is used in error messages.
func Parse(name string, src []byte) (*Config, error) {
	p := &parser{lx: newLexer(string(src)), cfg: &Config{}}
	err := p.parse()
	if err == nil {
		err = p.check()
	}
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = name
			return nil, e
		}
		return nil, &Error{File: name, Msg: err.Error(), Err: ErrSyntax}
	}
	return p.cfg, nil
}

// maxNameLength is the Director's longest resource name (MAX_NAME_LENGTH-1).
const maxNameLength = 127

type parser struct {
	lx  *lexer
	cfg *Config
}

func (p *parser) errAt(line int, sentinel error, format string, args ...any) *Error {
	return &Error{Line: line, Msg: fmt.Sprintf(format, args...), Err: sentinel}
}

func (p *parser) parse() error {
	for {
		t, err := p.lx.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokEOF:
			return nil
		case tokEOL:
			continue
		case tokIdent:
		default:
			return p.errAt(t.line, ErrSyntax, "expected a resource type, got %s", t.describe())
		}
		b, err := p.nextSkipEOL()
		if err != nil {
			return err
		}
		if b.kind != tokBegin {
			return p.errAt(b.line, ErrSyntax, "expected \"{\" after resource type %q, got %s", t.text, b.describe())
		}
		switch strings.ToLower(t.text) {
		case "console":
			err = p.console(t.line)
		case "profile":
			err = p.profile(t.line)
		default:
			err = p.skipResource(t)
		}
		if err != nil {
			return err
		}
	}
}

// skipResource skips the body of a resource of another type, keeping
// braces balanced.
func (p *parser) skipResource(start token) error {
	depth := 1
	for depth > 0 {
		t, err := p.lx.next()
		if err != nil {
			return err
		}
		switch t.kind {
		case tokBegin:
			depth++
		case tokEnd:
			depth--
		case tokEOF:
			return p.errAt(start.line, ErrSyntax, "resource %q is not closed (missing \"}\")", start.text)
		}
	}
	return nil
}

// item is one "keyword = value" line of a resource body; body calls fn for
// each and handles the braces and blank lines.
func (p *parser) body(resType string, start int, fn func(kw token) error) error {
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
			return p.errAt(start, ErrSyntax, "%s resource is not closed (missing \"}\")", resType)
		case tokIdent:
		default:
			return p.errAt(t.line, ErrSyntax, "expected a keyword in %s resource, got %s", resType, t.describe())
		}
		eq, err := p.nextSkipEOL()
		if err != nil {
			return err
		}
		if eq.kind != tokEquals {
			return p.errAt(eq.line, ErrSyntax, "expected \"=\" after keyword %q, got %s", t.text, eq.describe())
		}
		if err := fn(t); err != nil {
			return err
		}
	}
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

func isValueToken(t token) bool {
	return t.kind == tokIdent || t.kind == tokString || t.kind == tokQuoted
}

// value reads one value and the end of the item.
func (p *parser) value(kw token) (token, error) {
	v, err := p.lx.next()
	if err != nil {
		return v, err
	}
	if !isValueToken(v) {
		return v, p.errAt(v.line, ErrSyntax, "expected a value for %q, got %s", kw.text, v.describe())
	}
	return v, p.endItem(kw)
}

// list reads a comma separated list of values and the end of the item.
func (p *parser) list(kw token) ([]token, error) {
	var out []token
	for {
		v, err := p.lx.next()
		if err != nil {
			return nil, err
		}
		if !isValueToken(v) {
			return nil, p.errAt(v.line, ErrSyntax, "expected a value for %q, got %s", kw.text, v.describe())
		}
		out = append(out, v)
		sep, err := p.lx.next()
		if err != nil {
			return nil, err
		}
		if sep.kind == tokComma {
			continue
		}
		p.lx.unread(sep)
		return out, p.endItem(kw)
	}
}

// endItem consumes the end of an item: end of line, or leaves a closing
// brace or the end of the file for the caller.
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
	return p.errAt(t.line, ErrSyntax, "unexpected %s after the value of %q", t.describe(), kw.text)
}

func normKeyword(s string) string { return strings.ToLower(s) }

func aclKeyword(kw string) (ACL, bool) {
	for k, name := range aclKeywords {
		if kw == name {
			return ACL(k), true
		}
	}
	return 0, false
}

// validACLEntry applies the Director's restrictions on ACL entries.
func validACLEntry(s string) error {
	if s == "" {
		return errors.New("ACL entries must be at least one character long")
	}
	if len(s) > maxNameLength {
		return fmt.Errorf("ACL entry is longer than %d bytes", maxNameLength)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlpha(c) || isDigit(c) || strings.IndexByte("!()[]|+?*.:_-'/", c) >= 0 {
			continue
		}
		return fmt.Errorf("illegal character %q in ACL entry %q", c, s)
	}
	return nil
}

func (p *parser) aclItem(acl *ACLs, k ACL, kw token) error {
	vals, err := p.list(kw)
	if err != nil {
		return err
	}
	for _, v := range vals {
		if err := validACLEntry(v.text); err != nil {
			return p.errAt(v.line, ErrInvalidValue, "%s: %v", k, err)
		}
		acl[k] = append(acl[k], v.text)
	}
	return nil
}

func (p *parser) nameItem(kw token, dst *string) error {
	v, err := p.value(kw)
	if err != nil {
		return err
	}
	if v.text == "" {
		return p.errAt(v.line, ErrInvalidValue, "empty name")
	}
	if len(v.text) > maxNameLength {
		return p.errAt(v.line, ErrInvalidValue, "name %q is longer than %d bytes", v.text, maxNameLength)
	}
	*dst = v.text
	return nil
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "yes", "true":
		return true, true
	case "no", "false":
		return false, true
	}
	return false, false
}

// ignoredConsoleKeywords are Console settings that are accepted but have no
// meaning here (TLS is not offered by this Director).
var ignoredConsoleKeywords = map[string]bool{
	"tlsauthenticate": true, "tlsenable": true, "tlsrequire": true,
	"tlsverifypeer": true, "tlscacertificatefile": true,
	"tlscacertificatedir": true, "tlscertificaterevocationlist": true,
	"tlscertificate": true, "tlskey": true, "tlscipherlist": true,
	"tlsciphersuites": true, "tlsdhfile": true, "tlsprotocol": true,
	"tlsallowedcn": true, "tlspsk": true,
}

func (p *parser) console(line int) error {
	c := &Console{Line: line}
	var havePassword bool
	err := p.body("Console", line, func(kw token) error {
		key := normKeyword(kw.text)
		if k, ok := aclKeyword(key); ok {
			return p.aclItem(&c.ACL, k, kw)
		}
		switch key {
		case "name":
			return p.nameItem(kw, &c.Name)
		case "description":
			v, err := p.value(kw)
			c.Description = v.text
			return err
		case "password":
			v, err := p.value(kw)
			if err != nil {
				return err
			}
			k, err := PasswordKey(v.text)
			if err != nil {
				return p.errAt(v.line, ErrInvalidValue, "Password: %v", err)
			}
			c.Key, havePassword = k, true
			return nil
		case "profile":
			vals, err := p.list(kw)
			for _, v := range vals {
				c.Profiles = append(c.Profiles, v.text)
			}
			return err
		case "usepamauthentication":
			v, err := p.value(kw)
			if err != nil {
				return err
			}
			b, ok := parseBool(v.text)
			if !ok {
				return p.errAt(v.line, ErrInvalidValue, "%s: expected yes or no, got %q", kw.text, v.text)
			}
			c.UsePAM = b
			return nil
		}
		if ignoredConsoleKeywords[key] {
			_, err := p.list(kw)
			return err
		}
		return p.errAt(kw.line, ErrUnknownKeyword, "keyword %q is not permitted in a Console resource", kw.text)
	})
	if err != nil {
		return err
	}
	if c.Name == "" {
		return p.errAt(line, ErrMissing, "Console resource has no Name")
	}
	if !havePassword {
		return p.errAt(line, ErrMissing, "Console %q has no Password", c.Name)
	}
	if prev, ok := p.cfg.Console(c.Name); ok {
		return p.errAt(line, ErrDuplicate, "Console %q is already defined at line %d", c.Name, prev.Line)
	}
	p.cfg.Consoles = append(p.cfg.Consoles, c)
	return nil
}

func (p *parser) profile(line int) error {
	pr := &Profile{Line: line}
	err := p.body("Profile", line, func(kw token) error {
		key := normKeyword(kw.text)
		if k, ok := aclKeyword(key); ok {
			return p.aclItem(&pr.ACL, k, kw)
		}
		switch key {
		case "name":
			return p.nameItem(kw, &pr.Name)
		case "description":
			v, err := p.value(kw)
			pr.Description = v.text
			return err
		}
		return p.errAt(kw.line, ErrUnknownKeyword, "keyword %q is not permitted in a Profile resource", kw.text)
	})
	if err != nil {
		return err
	}
	if pr.Name == "" {
		return p.errAt(line, ErrMissing, "Profile resource has no Name")
	}
	if prev, ok := p.cfg.Profile(pr.Name); ok {
		return p.errAt(line, ErrDuplicate, "Profile %q is already defined at line %d", pr.Name, prev.Line)
	}
	p.cfg.Profiles = append(p.cfg.Profiles, pr)
	return nil
}

// check verifies references between resources after the whole file is read.
func (p *parser) check() error {
	for _, c := range p.cfg.Consoles {
		for _, name := range c.Profiles {
			if _, ok := p.cfg.Profile(name); !ok {
				return p.errAt(c.Line, ErrUnknownProfile, "Console %q refers to undefined Profile %q", c.Name, name)
			}
		}
	}
	return nil
}
