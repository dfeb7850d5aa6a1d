package config

import (
	"log/slog"
	"strings"
	"time"

	"github.com/uaformat/uaformat/uacontext"
)

// The directive tables follow the Director's (core/src/dird/dird_conf.cc
// and the TLS items shared by all daemons): every directive a Director
// accepts in a Director, Console, Profile or User resource is accepted,
// under its canonical name and its aliases. Directives that older
// Directors accepted and newer ones do not are accepted with a warning
// notice and ignored.

// Helpers building directives of resource type T.

func strDirective[T any](name string, get func(*T) *string, aliases ...string) directive[T] {
	return directive[T]{name: name, aliases: aliases, kind: kindSingle, set: func(p *parser, r *T, v value) error {
		*get(r) = v.text()
		return nil
	}}
}

func boolDirective[T any](name string, get func(*T) *bool) directive[T] {
	return directive[T]{name: name, kind: kindSingle, set: func(p *parser, r *T, v value) error {
		return p.setBool(get(r), v)
	}}
}

func listDirective[T any](name string, get func(*T) *[]string) directive[T] {
	return directive[T]{name: name, kind: kindList, set: func(p *parser, r *T, v value) error {
		*get(r) = append(*get(r), v.texts()...)
		return nil
	}}
}

// otherDirective accepts a directive and keeps it in the resource's
// Other list after checking its value as the Director would.
func otherDirective[T any](name string, kind valueKind, check func(p *parser, v value) error, get func(*T) *[]Directive, aliases ...string) directive[T] {
	return directive[T]{name: name, aliases: aliases, kind: kind, set: func(p *parser, r *T, v value) error {
		if check != nil {
			if err := check(p, v); err != nil {
				return err
			}
		}
		other(get(r), name, v)
		return nil
	}}
}

// Value checks of otherDirective.

func checkBool(p *parser, v value) error {
	var b bool
	return p.setBool(&b, v)
}

func checkUint(p *parser, v value) error {
	var n int
	return p.setUint(&n, v)
}

func checkDuration(p *parser, v value) error {
	var d time.Duration
	return p.setDuration(&d, v)
}

// obsolete marks a directive that current Directors no longer accept.
func obsolete[T any](d directive[T], note string) directive[T] {
	d.note, d.noteLevel = note, slog.LevelWarn
	return d
}

// deprecated marks a directive that the Director deprecates.
func deprecated[T any](d directive[T], note string) directive[T] {
	d.note, d.noteLevel = note, slog.LevelInfo
	return d
}

// aclDirectives are the ACL directives of Console, Profile and User
// ("Job ACL", ...).
func aclDirectives[T any](get func(*T) *uacontext.ACLSet) []directive[T] {
	out := make([]directive[T], 0, uacontext.NumACLKinds)
	for k := uacontext.ACLKind(0); k < uacontext.NumACLKinds; k++ {
		name := strings.ReplaceAll(k.String(), " ", "")
		out = append(out, directive[T]{name: name, kind: kindList, set: func(p *parser, r *T, v value) error {
			return p.setACL(get(r), k, v)
		}})
	}
	return out
}

// tlsDirectives are the TLS directives of Director and Console.
func tlsDirectives[T any](get func(*T) *TLSConfig) []directive[T] {
	str := func(name string, f func(*TLSConfig) *string) directive[T] {
		return strDirective(name, func(r *T) *string { return f(get(r)) })
	}
	boolean := func(name string, f func(*TLSConfig) *bool) directive[T] {
		return boolDirective(name, func(r *T) *bool { return f(get(r)) })
	}
	return []directive[T]{
		deprecated(boolean("TlsAuthenticate", func(c *TLSConfig) *bool { return &c.Authenticate }),
			"deprecated since Bareos 26 (TLS only to authenticate)"),
		boolean("TlsEnable", func(c *TLSConfig) *bool { return &c.Enable }),
		boolean("TlsRequire", func(c *TLSConfig) *bool { return &c.Require }),
		str("TlsCipherList", func(c *TLSConfig) *string { return &c.CipherList }),
		str("TlsCipherSuites", func(c *TLSConfig) *string { return &c.CipherSuites }),
		str("TlsDhFile", func(c *TLSConfig) *string { return &c.DHFile }),
		str("TlsProtocol", func(c *TLSConfig) *string { return &c.Protocol }),
		boolean("TlsVerifyPeer", func(c *TLSConfig) *bool { return &c.VerifyPeer }),
		str("TlsCaCertificateFile", func(c *TLSConfig) *string { return &c.CACertificateFile }),
		str("TlsCaCertificateDir", func(c *TLSConfig) *string { return &c.CACertificateDir }),
		str("TlsCertificateRevocationList", func(c *TLSConfig) *string { return &c.CertificateRevocationList }),
		str("TlsCertificate", func(c *TLSConfig) *string { return &c.Certificate }),
		str("TlsKey", func(c *TLSConfig) *string { return &c.Key }),
		listDirective("TlsAllowedCn", func(r *T) *[]string { return &get(r).AllowedCN }),
	}
}

var directorTable = newTable(
	[]directive[Director]{
		{name: "Name", kind: kindSingle, set: func(p *parser, d *Director, v value) error {
			return p.setName(&d.Name, v, "Director")
		}},
		strDirective("Description", func(d *Director) *string { return &d.Description }),
		strDirective("Messages", func(d *Director) *string { return &d.Messages }),
		{name: "Port", aliases: []string{"DirPort"}, kind: kindSingleEOL, set: func(p *parser, d *Director, v value) error {
			if len(d.DirAddresses) > 0 {
				return p.errAt(v.kw.pos, ErrInvalidValue, "%s: the old style addresses (Port, Address) cannot be mixed with Addresses", v.kw.text)
			}
			port, err := parsePort(v.text())
			if err != nil {
				return p.errAt(v.pos(), ErrInvalidValue, "%s: %v", v.kw.text, err)
			}
			d.DirPort = port
			return nil
		}},
		{name: "Address", aliases: []string{"DirAddress"}, kind: kindSingleEOL, set: func(p *parser, d *Director, v value) error {
			if len(d.DirAddresses) > 0 {
				return p.errAt(v.kw.pos, ErrInvalidValue, "%s: the old style addresses (Port, Address) cannot be mixed with Addresses", v.kw.text)
			}
			d.DirAddress = v.text()
			return nil
		}},
		{name: "Addresses", aliases: []string{"DirAddresses"}, kind: kindAddresses, set: func(p *parser, d *Director, v value) error {
			if p.seen["Port"] || p.seen["Address"] {
				return p.errAt(v.kw.pos, ErrInvalidValue, "%s: the old style addresses (Port, Address) cannot be mixed with Addresses", v.kw.text)
			}
			d.DirAddresses = append(d.DirAddresses, v.addrs...)
			return nil
		}},
		strDirective("SourceAddress", func(d *Director) *string { return &d.DirSourceAddress }, "DirSourceAddress"),
		strDirective("QueryFile", func(d *Director) *string { return &d.QueryFile }),
		strDirective("WorkingDirectory", func(d *Director) *string { return &d.WorkingDirectory }),
		otherDirective("PluginDirectory", kindSingle, nil, directorOther),
		otherDirective("PluginNames", kindList, nil, directorOther),
		otherDirective("ScriptsDirectory", kindSingle, nil, directorOther),
		otherDirective("Subscriptions", kindSingle, checkUint, directorOther),
		{name: "MaximumConcurrentJobs", kind: kindSingle, set: func(p *parser, d *Director, v value) error {
			return p.setUint(&d.MaxConcurrentJobs, v)
		}},
		{name: "MaximumConsoleConnections", kind: kindSingle, set: func(p *parser, d *Director, v value) error {
			return p.setUint(&d.MaxConsoleConnections, v)
		}},
		{name: "Password", kind: kindSingle, set: func(p *parser, d *Director, v value) error {
			return p.setPassword(&d.Password, v, true, "Director", d.Name)
		}},
		otherDirective("FdConnectTimeout", kindTime, checkDuration, directorOther),
		otherDirective("SdConnectTimeout", kindTime, checkDuration, directorOther),
		{name: "HeartbeatInterval", kind: kindTime, set: func(p *parser, d *Director, v value) error {
			return p.setDuration(&d.HeartbeatInterval, v)
		}},
		deprecated(otherDirective("StatisticsRetention", kindTime, checkDuration, directorOther), "deprecated since Bareos 22"),
		deprecated(otherDirective("StatisticsCollectInterval", kindSingle, checkUint, directorOther), "deprecated since Bareos 22"),
		otherDirective("VerId", kindSingle, nil, directorOther),
		otherDirective("KeyEncryptionKey", kindSingle, nil, directorOther),
		otherDirective("NdmpSnooping", kindSingle, checkBool, directorOther),
		otherDirective("NdmpLogLevel", kindSingle, checkUint, directorOther),
		otherDirective("NdmpNamelistFhinfoSetZeroForInvalidUquad", kindSingle, checkBool, directorOther),
		otherDirective("AbsoluteJobTimeout", kindSingle, checkUint, directorOther),
		boolDirective("Auditing", func(d *Director) *bool { return &d.Auditing }),
		listDirective("AuditEvents", func(d *Director) *[]string { return &d.AuditEvents }),
		otherDirective("SecureEraseCommand", kindSingle, nil, directorOther),
		otherDirective("LogTimestampFormat", kindSingle, nil, directorOther),
		otherDirective("EnableKtls", kindSingle, checkBool, directorOther),
		// Accepted by older Directors only.
		obsolete(otherDirective("PidDirectory", kindSingle, nil, directorOther), "obsolete since Bareos 23; ignored"),
		obsolete(otherDirective("BackendDirectory", kindSingle, nil, directorOther), "obsolete since Bareos 23; ignored"),
		obsolete(otherDirective("SubSysDirectory", kindSingle, nil, directorOther), "obsolete since Bareos 21; ignored"),
		obsolete(otherDirective("MaximumConnections", kindSingle, checkUint, directorOther), "obsolete since Bareos 23; ignored"),
		obsolete(otherDirective("OptimizeForSize", kindSingle, checkBool, directorOther), "obsolete since Bareos 24; ignored"),
		obsolete(otherDirective("OptimizeForSpeed", kindSingle, checkBool, directorOther), "obsolete since Bareos 24; ignored"),
		obsolete(otherDirective("OmitDefaults", kindSingle, checkBool, directorOther), "obsolete since Bareos 22; ignored"),
	},
	tlsDirectives(func(d *Director) *TLSConfig { return &d.TLS }),
)

func directorOther(d *Director) *[]Directive { return &d.Other }

var consoleTable = newTable(
	[]directive[Console]{
		{name: "Name", kind: kindSingle, set: func(p *parser, c *Console, v value) error {
			return p.setName(&c.Name, v, "Console")
		}},
		strDirective("Description", func(c *Console) *string { return &c.Description }),
		{name: "Password", kind: kindSingle, set: func(p *parser, c *Console, v value) error {
			return p.setPassword(&c.Password, v, true, "Console", c.Name)
		}},
		listDirective("Profile", func(c *Console) *[]string { return &c.Profiles }),
		boolDirective("UsePamAuthentication", func(c *Console) *bool { return &c.UsePAMAuthentication }),
		otherDirective("EnableKtls", kindSingle, checkBool, func(c *Console) *[]Directive { return &c.Other }),
		obsolete(otherDirective("RunAcl", kindList, nil, func(c *Console) *[]Directive { return &c.Other }),
			"obsolete since Bareos 19; ignored"),
	},
	aclDirectives(func(c *Console) *uacontext.ACLSet { return &c.ACL }),
	tlsDirectives(func(c *Console) *TLSConfig { return &c.TLS }),
)

var profileTable = newTable(
	[]directive[Profile]{
		{name: "Name", kind: kindSingle, set: func(p *parser, r *Profile, v value) error {
			return p.setName(&r.Name, v, "Profile")
		}},
		strDirective("Description", func(r *Profile) *string { return &r.Description }),
	},
	aclDirectives(func(r *Profile) *uacontext.ACLSet { return &r.ACL }),
)

var userTable = newTable(
	[]directive[User]{
		{name: "Name", kind: kindSingle, set: func(p *parser, u *User, v value) error {
			return p.setName(&u.Name, v, "User")
		}},
		strDirective("Description", func(u *User) *string { return &u.Description }),
		listDirective("Profile", func(u *User) *[]string { return &u.Profiles }),
	},
	aclDirectives(func(u *User) *uacontext.ACLSet { return &u.ACL }),
)

// The resources.

func (p *parser) director(start token) error {
	d := &Director{
		Pos:                   start.pos,
		MaxConsoleConnections: DefaultMaxConsoleConnections,
		MaxConcurrentJobs:     1,
		TLS:                   defaultTLS(),
	}
	if err := parseBody(p, start, "Director", d, directorTable); err != nil {
		return err
	}
	if d.DirPort == 0 {
		d.DirPort = DefaultDirPort
	}
	p.checkTLS(&d.TLS, start.pos, "Director", d.Name)
	switch {
	case d.Name == "":
		p.invalid(p.errAt(start.pos, ErrMissing, "Director resource has no Name"))
	case !p.seen["Password"]:
		p.invalid(p.errAt(start.pos, ErrMissing, "Director %s has no Password", quoteShort(d.Name)))
	}
	if prev := p.cfg.Director; prev != nil {
		p.invalid(p.errAt(start.pos, ErrDuplicate, "only one Director resource is permitted; the first is at %s", prev.Pos))
		return nil
	}
	p.cfg.Director = d
	return nil
}

// checkNamed checks a resource of type resType named name, defined at
// pos, with TLS directives tls and a directive it requires (required,
// present if given): its TLS directives, that it has a name and the
// required directive, and that no resource of its type has its name. It
// reports whether to keep the resource.
func (p *parser) checkNamed(pos Position, resType, name string, tls *TLSConfig, required string, present bool) bool {
	p.checkTLS(tls, pos, resType, name)
	switch {
	case name == "":
		p.invalid(p.errAt(pos, ErrMissing, "%s resource has no Name", resType))
		return false
	case !present:
		p.invalid(p.errAt(pos, ErrMissing, "%s %s has no %s", resType, quoteShort(name), required))
	}
	if prev, dup := p.define(resType, name, pos); dup {
		p.invalid(p.errAt(pos, ErrDuplicate, "%s %s is already defined at %s", resType, quoteShort(name), prev))
		return false
	}
	return true
}

func (p *parser) console(start token) error {
	c := &Console{Pos: start.pos, TLS: defaultTLS()}
	if err := parseBody(p, start, "Console", c, consoleTable); err != nil {
		return err
	}
	if p.checkNamed(start.pos, "Console", c.Name, &c.TLS, "Password", p.seen["Password"]) {
		p.cfg.Consoles = append(p.cfg.Consoles, c)
	}
	return nil
}

func (p *parser) profile(start token) error {
	r := &Profile{Pos: start.pos}
	if err := parseBody(p, start, "Profile", r, profileTable); err != nil {
		return err
	}
	if r.Name == "" {
		p.invalid(p.errAt(start.pos, ErrMissing, "Profile resource has no Name"))
		return nil
	}
	if prev, dup := p.define("Profile", r.Name, start.pos); dup {
		p.invalid(p.errAt(start.pos, ErrDuplicate, "Profile %s is already defined at %s", quoteShort(r.Name), prev))
		return nil
	}
	p.cfg.Profiles = append(p.cfg.Profiles, r)
	return nil
}

func (p *parser) user(start token) error {
	u := &User{Pos: start.pos}
	if err := parseBody(p, start, "User", u, userTable); err != nil {
		return err
	}
	if u.Name == "" {
		p.invalid(p.errAt(start.pos, ErrMissing, "User resource has no Name"))
		return nil
	}
	if prev, dup := p.define("User", u.Name, start.pos); dup {
		p.invalid(p.errAt(start.pos, ErrDuplicate, "User %s is already defined at %s", quoteShort(u.Name), prev))
		return nil
	}
	p.cfg.Users = append(p.cfg.Users, u)
	return nil
}

// check verifies references between resources once everything is read.
func (p *parser) check() {
	for _, c := range p.cfg.Consoles {
		for _, name := range c.Profiles {
			if !p.isDefined("Profile", name) {
				p.invalid(p.errAt(c.Pos, ErrUnknownProfile, "Console %s refers to undefined Profile %s", quoteShort(c.Name), quoteShort(name)))
			}
		}
	}
	for _, u := range p.cfg.Users {
		for _, name := range u.Profiles {
			if !p.isDefined("Profile", name) {
				p.invalid(p.errAt(u.Pos, ErrUnknownProfile, "User %s refers to undefined Profile %s", quoteShort(u.Name), quoteShort(name)))
			}
		}
	}
}
