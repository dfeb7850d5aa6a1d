package config

import (
	"context"
	"fmt"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/uacontext"
)

// Config is a Director configuration: the resources this package models,
// in the order they were read, and the notices of reading it.
//
// A *Config from Load or Parse is a uacontext.ConsoleSource: it answers
// logins with the consoles it was loaded with. It is safe for concurrent
// use as long as nobody modifies it.
type Config struct {
	// Director is the Director resource; nil if the configuration has
	// none (a file of Console resources, say).
	Director *Director
	Consoles []*Console
	Profiles []*Profile
	Users    []*User
	// Notices are the notices of reading the configuration (also sent to
	// Options.Logger).
	Notices []Notice
	// Files are the files read, in the order they were read.
	Files []string

	// sessions and users hold the consoles and users as logins see
	// them, built once by Load and Parse.
	sessions map[string]*uacontext.Console
	users    map[string]*uacontext.Console
}

// Load reads the configuration at path the way bareos-dir -c path does:
// a file is read as it is; in a directory DIR, DIR/bareos-dir.conf if it
// exists, and otherwise every DIR/bareos-dir.d/*/*.conf, in the
// Director's order (see @include in the package documentation). A path
// that does not exist gives an error wrapping fs.ErrNotExist.
func Load(path string, opts Options) (*Config, error) {
	ld := &loader{opts: opts}
	lx := newLexer(ld)
	if err := ld.start(lx, path); err != nil {
		ld.log()
		return nil, err
	}
	return finish(ld, lx)
}

// Parse parses configuration text; name stands for its file in positions
// and messages. @include directives in the text are resolved as in Load.
func Parse(name string, src []byte, opts Options) (*Config, error) {
	ld := &loader{opts: opts}
	lx := newLexer(ld)
	if err := lx.push(name, string(src)); err != nil {
		return nil, err
	}
	return finish(ld, lx)
}

// finish parses what the lexer reads, validates it and builds the
// consoles of logins.
func finish(ld *loader, lx *lexer) (*Config, error) {
	p := &parser{lx: lx, ld: ld, cfg: &Config{}}
	err := p.parse()
	p.cfg.Notices = ld.notices
	p.cfg.Files = ld.files
	ld.log()
	if err != nil {
		return nil, err
	}
	p.cfg.sessions, p.cfg.users = p.cfg.buildSessions()
	return p.cfg, nil
}

// log sends the notices to the logger.
func (ld *loader) log() {
	if ld.opts.Logger == nil {
		return
	}
	for _, n := range ld.notices {
		ld.opts.Logger.Log(context.Background(), n.Level, "config: "+n.Msg,
			"file", n.Pos.File, "line", n.Pos.Line)
	}
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

// User returns the user with the given name.
func (c *Config) User(name string) (*User, bool) {
	for _, u := range c.Users {
		if u.Name == name {
			return u, true
		}
	}
	return nil, false
}

// EffectiveACL returns the ACL entries that decide for the console: for
// every kind, the console's own entries followed by those of its profiles
// in order (the Director's evaluation order).
func (c *Config) EffectiveACL(con *Console) uacontext.ACLSet {
	return mergeACL(con.ACL, con.Profiles, c.Profile)
}

// mergeACL appends the ACLs of the profiles to own.
func mergeACL(own uacontext.ACLSet, profiles []string, lookup func(string) (*Profile, bool)) uacontext.ACLSet {
	var out uacontext.ACLSet
	for k := range out {
		out[k] = append(out[k], own[k]...)
	}
	for _, name := range profiles {
		p, ok := lookup(name)
		if !ok {
			continue
		}
		for k := range out {
			out[k] = append(out[k], p.ACL[k]...)
		}
	}
	return out
}

// buildSessions converts every console and user once, for LookupConsole
// and LookupUser.
func (c *Config) buildSessions() (consoles, users map[string]*uacontext.Console) {
	profiles := make(map[string]*Profile, len(c.Profiles))
	for _, p := range c.Profiles {
		profiles[p.Name] = p
	}
	lookup := func(name string) (*Profile, bool) {
		p, ok := profiles[name]
		return p, ok
	}
	consoles = make(map[string]*uacontext.Console, len(c.Consoles))
	for _, con := range c.Consoles {
		consoles[con.Name] = &uacontext.Console{
			Name:   con.Name,
			Key:    con.Password.Key(),
			ACL:    mergeACL(con.ACL, con.Profiles, lookup),
			UsePAM: con.UsePAMAuthentication,
			TLS:    con.TLS.Policy(),
		}
	}
	users = make(map[string]*uacontext.Console, len(c.Users))
	for _, u := range c.Users {
		users[u.Name] = &uacontext.Console{Name: u.Name, ACL: mergeACL(u.ACL, u.Profiles, lookup)}
	}
	return consoles, users
}

// LookupUser implements uacontext.UserSource: it returns the User
// resource of that name as a PAM session sees it (its ACLs merged with
// those of its profiles), or an error wrapping uacontext.ErrUnknownUser.
// Like the consoles, the users are built once and shared.
func (c *Config) LookupUser(ctx context.Context, name string) (*uacontext.Console, error) {
	if u, ok := c.users[name]; ok {
		return u, nil
	}
	return nil, fmt.Errorf("config: user %s: %w", quoteShort(name), uacontext.ErrUnknownUser)
}

var _ uacontext.UserSource = (*Config)(nil)

// LookupConsole implements uacontext.ConsoleSource: it returns the named
// console as a session sees it (its key, and its ACLs merged with those
// of its profiles), or an error wrapping uacontext.ErrUnknownConsole.
// The consoles are built once when the configuration is loaded; the
// returned Console is shared and must not be modified. The default
// console "*UserAgent*" is never found here: its key is the Director's
// password.
func (c *Config) LookupConsole(ctx context.Context, name string) (*uacontext.Console, error) {
	if con, ok := c.sessions[name]; ok && name != bsock.DefaultConsoleName {
		return con, nil
	}
	return nil, fmt.Errorf("config: console %s: %w", quoteShort(name), uacontext.ErrUnknownConsole)
}

var _ uacontext.ConsoleSource = (*Config)(nil)
