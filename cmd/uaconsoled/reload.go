package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync/atomic"

	dirconfig "github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/uacontext"
)

// consoles is the daemon's uacontext.ConsoleSource: the named consoles of
// the current configuration. Reloading it (SIGHUP) swaps the
// configuration atomically; the next logins see the new consoles and
// running sessions keep the console they logged in with.
type consoles struct {
	cur  atomic.Pointer[dirconfig.Config] // nil without -c
	path string                           // the configuration reloaded ("" if none)
	log  *slog.Logger
	// refuseNamed refuses every named console (Maximum Console
	// Connections = 0 in the Director resource).
	refuseNamed bool
}

func newConsoles(conf *dirconfig.Config, path string, log *slog.Logger) *consoles {
	c := &consoles{path: path, log: log}
	c.cur.Store(conf)
	return c
}

// LookupConsole implements uacontext.ConsoleSource with the current
// configuration.
func (c *consoles) LookupConsole(ctx context.Context, name string) (*uacontext.Console, error) {
	conf := c.cur.Load()
	if conf == nil || c.refuseNamed {
		return nil, fmt.Errorf("uaconsoled: console %.40q: %w", name, uacontext.ErrUnknownConsole)
	}
	return conf.LookupConsole(ctx, name)
}

var _ uacontext.ConsoleSource = (*consoles)(nil)

// LookupUser implements uacontext.UserSource with the current
// configuration (the User resources of PAM logins).
func (c *consoles) LookupUser(ctx context.Context, name string) (*uacontext.Console, error) {
	conf := c.cur.Load()
	if conf == nil {
		return nil, fmt.Errorf("uaconsoled: user %.40q: %w", name, uacontext.ErrUnknownUser)
	}
	return conf.LookupUser(ctx, name)
}

var _ uacontext.UserSource = (*consoles)(nil)

// count is the number of named consoles of the current configuration.
func (c *consoles) count() int {
	if conf := c.cur.Load(); conf != nil {
		return len(conf.Consoles)
	}
	return 0
}

// reload reads the configuration again. If it is valid, new logins see
// its consoles; if not, the error (naming file and line) is logged and
// the previous configuration stays. The Director resource's settings are
// read at start only; a change is logged.
func (c *consoles) reload() error {
	if c.path == "" {
		c.log.Info("no configuration to reload (no -c)")
		return nil
	}
	conf, err := dirconfig.Load(c.path, dirconfig.Options{Logger: c.log})
	if err != nil {
		c.log.Error("configuration reload failed; keeping the previous configuration", "path", c.path, "err", err)
		return err
	}
	if old := c.cur.Swap(conf); directorChanged(old, conf) {
		c.log.Warn("the Director resource changed; its name, password, addresses, connection limit and auditing apply after a restart", "path", c.path)
	}
	c.log.Info("configuration reloaded", "path", c.path, "consoles", len(conf.Consoles), "files", len(conf.Files))
	return nil
}

// directorChanged reports whether the settings taken from the Director
// resource at start differ.
func directorChanged(a, b *dirconfig.Config) bool {
	da, db := directorOf(a), directorOf(b)
	if (da == nil) != (db == nil) {
		return true
	}
	if da == nil {
		return false
	}
	return da.Name != db.Name || da.Password != db.Password ||
		!slices.Equal(da.ListenAddresses(), db.ListenAddresses()) ||
		da.MaxConsoleConnections != db.MaxConsoleConnections ||
		da.Auditing != db.Auditing || !slices.Equal(da.AuditEvents, db.AuditEvents)
}

func directorOf(c *dirconfig.Config) *dirconfig.Director {
	if c == nil {
		return nil
	}
	return c.Director
}
