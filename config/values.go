package config

import (
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/uacontext"
)

// nameProblem explains why name is not a valid Bareos resource name (the
// Director's IsNameValid), or returns "".
func nameProblem(name string) string {
	switch {
	case name == "":
		return "the name is empty"
	case len(name) >= uacontext.MaxNameLength:
		return fmt.Sprintf("the name is longer than %d bytes", uacontext.MaxNameLength-1)
	case name[0] == ' ':
		return "the name starts with a space"
	case name[len(name)-1] == ' ':
		return "the name ends with a space"
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isAlpha(c) && !isDigit(c) && strings.IndexByte(":.-_/ ", c) < 0 {
			return fmt.Sprintf("illegal character %q in the name (allowed: letters, digits and \":.-_/ \")", c)
		}
	}
	if !uacontext.IsNameValid(name) {
		return "not a valid name"
	}
	return ""
}

// setName stores the Name of a resource of type resType.
func (p *parser) setName(dst *string, v value, resType string) error {
	name := v.text()
	if *dst != "" {
		return p.errAt(v.pos(), ErrDuplicate, "%s resource: attempt to redefine Name %s as %s", resType, quoteShort(*dst), quoteShort(name))
	}
	*dst = name
	if resType == "Console" && name == bsock.DefaultConsoleName {
		return p.errAt(v.pos(), ErrInvalidName, "Console name %s is reserved for the default console, whose password is the Director's", name)
	}
	if msg := nameProblem(name); msg != "" {
		return p.errAt(v.pos(), ErrInvalidName, "%s resource name %s: %s", resType, quoteShort(name), msg)
	}
	return nil
}

// emptyMD5 is the MD5 of the empty password.
const emptyMD5 = "d41d8cd98f00b204e9800998ecf8427e"

// checkPassword applies the Director's rules to a configured password:
// "[md5]" must be followed by 32 hex digits, and a required password must
// not be empty (nor the MD5 of the empty string).
// It returns the problem and its sentinel error, or "" and nil.
func checkPassword(raw string, required bool) (string, error) {
	if rest, ok := strings.CutPrefix(raw, md5Prefix); ok {
		if len(rest) != 32 {
			return fmt.Sprintf("md5 password needs 32 hex digits, got %d characters", len(rest)), ErrInvalidValue
		}
		if _, err := hex.DecodeString(rest); err != nil {
			return "md5 password is not hexadecimal", ErrInvalidValue
		}
		if required && strings.EqualFold(rest, emptyMD5) {
			return "the password is empty (md5 of the empty string)", ErrEmptyPassword
		}
		return "", nil
	}
	if required && raw == "" {
		return "the password is empty", ErrEmptyPassword
	}
	return "", nil
}

// setPassword stores a password of the resource resType called name.
func (p *parser) setPassword(dst *Password, v value, required bool, resType, name string) error {
	dst.Raw = v.text()
	if msg, sentinel := checkPassword(dst.Raw, required); sentinel != nil {
		if name != "" {
			return p.errAt(v.pos(), sentinel, "%s %s: %s", resType, quoteShort(name), msg)
		}
		return p.errAt(v.pos(), sentinel, "%s resource: %s", resType, msg)
	}
	return nil
}

// setBool stores a yes/no value. The Director also takes true/false and
// 1/0, which it deprecates.
func (p *parser) setBool(dst *bool, v value) error {
	switch strings.ToLower(v.text()) {
	case "yes":
		*dst = true
	case "no":
		*dst = false
	case "true", "1":
		*dst = true
		p.ld.notice(v.pos(), slog.LevelInfo, "%s: setting a boolean with %s is deprecated; use yes or no", v.kw.text, quoteShort(v.text()))
	case "false", "0":
		*dst = false
		p.ld.notice(v.pos(), slog.LevelInfo, "%s: setting a boolean with %s is deprecated; use yes or no", v.kw.text, quoteShort(v.text()))
	default:
		return p.errAt(v.pos(), ErrInvalidValue, "%s: expected yes or no, got %s", v.kw.text, quoteShort(v.text()))
	}
	return nil
}

// setUint stores a positive 32-bit integer.
func (p *parser) setUint(dst *int, v value) error {
	n, err := strconv.ParseUint(v.text(), 10, 32)
	if err != nil {
		return p.errAt(v.pos(), ErrInvalidValue, "%s: expected a positive integer number, got %s", v.kw.text, quoteShort(v.text()))
	}
	*dst = int(n)
	return nil
}

// durationUnits are the Director's duration modifiers in its matching
// order: a modifier is any prefix of one of them, the first that fits
// wins ("m" is months, "mi" minutes, "n" minutes).
var durationUnits = []struct {
	name string
	secs float64
}{
	{"n", 60}, {"seconds", 1}, {"months", 60 * 60 * 24 * 30}, {"minutes", 60},
	{"mins", 60}, {"hours", 3600}, {"days", 3600 * 24}, {"weeks", 3600 * 24 * 7},
	{"quarters", 3600 * 24 * 91}, {"years", 3600 * 24 * 365},
}

// parseDuration parses a Director duration such as "1 day 2 hours",
// "90", "1h30min" into seconds.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	var total float64
	for s != "" {
		i := 0
		for i < len(s) && (isDigit(s[i]) || s[i] == '.') {
			i++
		}
		if i == 0 {
			return 0, fmt.Errorf("expected a number at %s", quoteShort(s))
		}
		n, err := strconv.ParseFloat(s[:i], 64)
		if err != nil {
			return 0, fmt.Errorf("bad number %s", quoteShort(s[:i]))
		}
		s = strings.TrimLeft(s[i:], " \t")
		j := 0
		for j < len(s) && !isDigit(s[j]) && !isBlank(s[j]) {
			j++
		}
		mod := strings.ToLower(s[:j])
		s = strings.TrimLeft(s[j:], " \t")
		mult := 1.0
		if mod != "" {
			found := false
			for _, u := range durationUnits {
				if strings.HasPrefix(u.name, mod) {
					mult, found = u.secs, true
					break
				}
			}
			if !found {
				return 0, fmt.Errorf("unknown time unit %s", quoteShort(mod))
			}
		}
		total += n * mult
	}
	if total > math.MaxInt64/float64(time.Second) {
		return 0, fmt.Errorf("duration too long")
	}
	return time.Duration(total * float64(time.Second)), nil
}

// setDuration stores a duration.
func (p *parser) setDuration(dst *time.Duration, v value) error {
	d, err := parseDuration(strings.Join(v.texts(), " "))
	if err != nil {
		return p.errAt(v.pos(), ErrInvalidValue, "%s: expected a time period: %v", v.kw.text, err)
	}
	*dst = d
	return nil
}

// parsePort parses a port number (1 to 65534, as the Director accepts)
// or a TCP service name.
func parsePort(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		if n <= 0 || n >= 0xffff {
			return 0, fmt.Errorf("port %d out of range", n)
		}
		return n, nil
	}
	if s == "" || strings.ContainsAny(s, " /") {
		return 0, fmt.Errorf("bad port %s", quoteShort(s))
	}
	// The services database only (/etc/services): no name service is
	// asked while reading a configuration.
	n, err := (&net.Resolver{PreferGo: true}).LookupPort(context.Background(), "tcp", s)
	if err != nil || n <= 0 || n >= 0xffff {
		return 0, fmt.Errorf("cannot resolve service %s", quoteShort(s))
	}
	return n, nil
}

// aclProblem explains why an ACL entry is refused, or returns "": the
// Director's character and length rules (IsAclEntryValid), an empty
// entry after '!', and a regular expression that does not compile, which
// the Director would silently never match.
func aclProblem(entry string) string {
	if entry == "" {
		return "an ACL entry must be at least one character long"
	}
	if len(entry) >= uacontext.MaxNameLength {
		return fmt.Sprintf("ACL entry is longer than %d bytes", uacontext.MaxNameLength-1)
	}
	for i := 0; i < len(entry); i++ {
		c := entry[i]
		if !isAlpha(c) && !isDigit(c) && strings.IndexByte("!()[]|+?*.:_-'/", c) < 0 {
			return fmt.Sprintf("illegal character %q in ACL entry %s (allowed: letters, digits and \"!()[]|+?*.:_-'/\")", c, quoteShort(entry))
		}
	}
	pattern := strings.TrimPrefix(entry, "!")
	if pattern == "" {
		return "ACL entry \"!\" denies nothing: a name or pattern must follow the '!'"
	}
	if err := uacontext.CheckACLEntry(pattern); err != nil {
		why := strings.TrimPrefix(err.Error(), uacontext.ErrInvalidACLEntry.Error()+": ")
		return fmt.Sprintf("ACL entry %s is not a valid regular expression (it would match nothing): %s", quoteShort(entry), why)
	}
	return ""
}

// setACL appends ACL entries of one kind.
func (p *parser) setACL(acl *uacontext.ACLSet, kind uacontext.ACLKind, v value) error {
	var first error
	for _, t := range v.toks {
		msg, ok := p.aclChecked[t.text]
		if !ok {
			msg = aclProblem(t.text)
			if p.aclChecked == nil {
				p.aclChecked = map[string]string{}
			}
			p.aclChecked[t.text] = msg
		}
		if msg != "" {
			if first == nil {
				first = p.errAt(t.pos, ErrInvalidACL, "%s: %s", kind, msg)
			}
			continue
		}
		acl[kind] = append(acl[kind], t.text)
	}
	return first
}

// other keeps a directive that is accepted but not modeled.
func other(dst *[]Directive, name string, v value) {
	*dst = append(*dst, Directive{Name: name, Values: v.texts(), Pos: v.kw.pos})
}
