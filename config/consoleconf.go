package config

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// The file and directory a console's configuration is read from, as
// bconsole -c DIR reads it.
const (
	ConsoleConfigFile   = "bconsole.conf"
	ConsoleConfigSubdir = "bconsole.d"
)

// ConsoleConfig is the configuration of a console (bconsole.conf): the
// Directors it may connect to and its named Console resources. The same
// syntax, lexer, include rules and bounds apply as to a Director's
// configuration.
type ConsoleConfig struct {
	Directors []*DirectorRef
	Consoles  []*ConsoleLogin
	// Notices and Files: see Config.
	Notices []Notice
	Files   []string
}

// DirectorRef is a Director resource of a console's configuration: where
// the Director is and, for the default console, its password and TLS
// settings.
type DirectorRef struct {
	Name, Description string
	// Address and Port of the Director (Port defaults to DefaultDirPort).
	Address string
	Port    int
	// Password is the default console's password (optional: a named
	// console brings its own).
	Password          Password
	HeartbeatInterval time.Duration
	TLS               TLSConfig
	Pos               Position
}

// Addr returns the Director's host:port.
func (d *DirectorRef) Addr() string { return net.JoinHostPort(d.Address, strconv.Itoa(d.Port)) }

// ConsoleLogin is a Console resource of a console's configuration: the
// name and password a console logs in with, and its TLS settings.
type ConsoleLogin struct {
	Name, Description string
	Password          Password
	// Director names the Director resource the console is for; "" for
	// any.
	Director            string
	RcFile, HistoryFile string
	HistoryLength       int
	HeartbeatInterval   time.Duration
	TLS                 TLSConfig
	Pos                 Position
}

var consoleDirectorTable = newTable(
	[]directive[DirectorRef]{
		{name: "Name", kind: kindSingle, set: func(p *parser, d *DirectorRef, v value) error {
			return p.setName(&d.Name, v, "Director")
		}},
		strDirective("Description", func(d *DirectorRef) *string { return &d.Description }),
		{name: "Port", aliases: []string{"DirPort"}, kind: kindSingle, set: func(p *parser, d *DirectorRef, v value) error {
			port, err := parsePort(v.text())
			if err != nil {
				return p.errAt(v.pos(), ErrInvalidValue, "%s: %v", v.kw.text, err)
			}
			d.Port = port
			return nil
		}},
		strDirective("Address", func(d *DirectorRef) *string { return &d.Address }, "DirAddress"),
		{name: "Password", kind: kindSingle, set: func(p *parser, d *DirectorRef, v value) error {
			return p.setPassword(&d.Password, v, false, "Director", d.Name)
		}},
		{name: "HeartbeatInterval", kind: kindTime, set: func(p *parser, d *DirectorRef, v value) error {
			return p.setDuration(&d.HeartbeatInterval, v)
		}},
	},
	tlsDirectives(func(d *DirectorRef) *TLSConfig { return &d.TLS }),
)

var consoleLoginTable = newTable(
	[]directive[ConsoleLogin]{
		{name: "Name", kind: kindSingle, set: func(p *parser, c *ConsoleLogin, v value) error {
			return p.setName(&c.Name, v, "Console")
		}},
		strDirective("Description", func(c *ConsoleLogin) *string { return &c.Description }),
		strDirective("RcFile", func(c *ConsoleLogin) *string { return &c.RcFile }),
		strDirective("HistoryFile", func(c *ConsoleLogin) *string { return &c.HistoryFile }),
		{name: "HistoryLength", kind: kindSingle, set: func(p *parser, c *ConsoleLogin, v value) error {
			return p.setUint(&c.HistoryLength, v)
		}},
		{name: "Password", kind: kindSingle, set: func(p *parser, c *ConsoleLogin, v value) error {
			return p.setPassword(&c.Password, v, true, "Console", c.Name)
		}},
		strDirective("Director", func(c *ConsoleLogin) *string { return &c.Director }),
		{name: "HeartbeatInterval", kind: kindTime, set: func(p *parser, c *ConsoleLogin, v value) error {
			return p.setDuration(&c.HeartbeatInterval, v)
		}},
	},
	tlsDirectives(func(c *ConsoleLogin) *TLSConfig { return &c.TLS }),
)

// LoadConsoleConfig reads a console's configuration the way bconsole -c
// path does: a file as it is; in a directory DIR, DIR/bconsole.conf if it
// exists, and otherwise every DIR/bconsole.d/*/*.conf.
func LoadConsoleConfig(path string, opts Options) (*ConsoleConfig, error) {
	ld := &loader{opts: opts}
	lx := newLexer(ld)
	if err := ld.startLayout(lx, path, ConsoleConfigFile, ConsoleConfigSubdir); err != nil {
		ld.log()
		return nil, err
	}
	return finishConsole(ld, lx)
}

// ParseConsoleConfig parses a console's configuration text; name stands
// for its file in positions and messages.
func ParseConsoleConfig(name string, src []byte, opts Options) (*ConsoleConfig, error) {
	ld := &loader{opts: opts}
	lx := newLexer(ld)
	if err := lx.push(name, string(src)); err != nil {
		return nil, err
	}
	return finishConsole(ld, lx)
}

func finishConsole(ld *loader, lx *lexer) (*ConsoleConfig, error) {
	cc := &ConsoleConfig{}
	p := &parser{lx: lx, ld: ld, cfg: &Config{}}
	p.resources = map[string]func(token) error{
		"director": func(start token) error {
			d := &DirectorRef{Pos: start.pos, Port: DefaultDirPort, TLS: defaultTLS()}
			if err := parseBody(p, start, "Director", d, consoleDirectorTable); err != nil {
				return err
			}
			if p.checkNamed(start.pos, "Director", d.Name, &d.TLS, "Address", d.Address != "") {
				cc.Directors = append(cc.Directors, d)
			}
			return nil
		},
		"console": func(start token) error {
			c := &ConsoleLogin{Pos: start.pos, HistoryLength: 100, TLS: defaultTLS()}
			if err := parseBody(p, start, "Console", c, consoleLoginTable); err != nil {
				return err
			}
			if p.checkNamed(start.pos, "Console", c.Name, &c.TLS, "Password", p.seen["Password"]) {
				cc.Consoles = append(cc.Consoles, c)
			}
			return nil
		},
	}
	err := p.parse()
	cc.Notices, cc.Files = ld.notices, ld.files
	ld.log()
	if err != nil {
		return nil, err
	}
	if len(cc.Directors) == 0 {
		return nil, &Error{Msg: "no Director resource in the console configuration", Err: ErrMissing}
	}
	return cc, nil
}

// ErrNoDirector reports a Director that a console configuration does not
// define, or a choice it leaves open.
var ErrNoDirector = errors.New("no such Director")

// Select picks the Director and the Console resource to log in with, as
// bconsole does: the Director called director ("" is the only one there
// is), then the first Console resource for that Director, else the first
// one for no Director in particular, else the first one; nil when there
// is none (the default console logs in with the Director's password).
func (c *ConsoleConfig) Select(director string) (*DirectorRef, *ConsoleLogin, error) {
	var dir *DirectorRef
	switch {
	case director != "":
		for _, d := range c.Directors {
			if d.Name == director {
				dir = d
			}
		}
		if dir == nil {
			return nil, nil, fmt.Errorf("config: Director %s: %w", quoteShort(director), ErrNoDirector)
		}
	case len(c.Directors) == 1:
		dir = c.Directors[0]
	default:
		return nil, nil, fmt.Errorf("config: %d Directors are defined, name one: %w", len(c.Directors), ErrNoDirector)
	}
	for _, con := range c.Consoles {
		if con.Director == dir.Name {
			return dir, con, nil
		}
	}
	for _, con := range c.Consoles {
		if con.Director == "" {
			return dir, con, nil
		}
	}
	if len(c.Consoles) > 0 {
		return dir, c.Consoles[0], nil
	}
	if dir.Password.Raw == "" {
		return nil, nil, &Error{Pos: dir.Pos, Msg: fmt.Sprintf("Director %s has no Password and there is no Console resource", quoteShort(dir.Name)), Err: ErrMissing}
	}
	return dir, nil, nil
}
