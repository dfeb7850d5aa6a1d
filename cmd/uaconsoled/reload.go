package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	dirconfig "github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

// generation is one loaded configuration and the Server that logs
// consoles in with it.
type generation struct {
	conf *dirconfig.Config // nil without -c
	srv  *uacontext.Server
	// limited is srv without named consoles: it serves the connections
	// beyond the Director's Maximum Console Connections.
	limited *uacontext.Server
	active  int // connections being served (under consoles.mu)
}

func newGeneration(conf *dirconfig.Config, srv *uacontext.Server) *generation {
	return &generation{conf: conf, srv: srv, limited: withConsoles(srv, nil)}
}

// consoles swaps the configuration that logins see when the daemon
// reloads it (SIGHUP), without touching running sessions: a session keeps
// the console it logged in with.
//
// The swap is an atomic pointer. consoles is a uacontext.ConsoleSource
// over the current configuration; until uacontext.Server looks named
// consoles up through a ConsoleSource, the adapter below gives each
// configuration its own Server (sharing the command table, the catalog
// and the message queue of the first one) and serves every new connection
// with the Server of the configuration current when it was accepted;
// shutdown and close apply to the Servers of every configuration that
// still has connections. Counting the connections also enforces the
// Director's Maximum Console Connections.
type consoles struct {
	cur      atomic.Pointer[generation]
	template *uacontext.Server // the first Server: its settings are kept
	path     string            // the configuration reloaded ("" if none)
	log      *slog.Logger
	// maxConsoles is the Director's Maximum Console Connections (0: no
	// limit): beyond it, as in the Director, the default console is still
	// admitted and named consoles are refused.
	maxConsoles int

	mu        sync.Mutex
	gens      []*generation // the current one and older ones with connections
	active    int           // connections being served, in all generations
	listeners map[net.Listener]struct{}
	closed    bool
}

func newConsoles(srv *uacontext.Server, conf *dirconfig.Config, path string, log *slog.Logger) *consoles {
	c := &consoles{template: srv, path: path, log: log, listeners: map[net.Listener]struct{}{}}
	if conf != nil && conf.Director != nil {
		c.maxConsoles = conf.Director.MaxConsoleConnections
	}
	g := newGeneration(conf, srv)
	c.cur.Store(g)
	c.gens = []*generation{g}
	return c
}

// LookupConsole implements uacontext.ConsoleSource with the current
// configuration.
func (c *consoles) LookupConsole(ctx context.Context, name string) (*uacontext.Console, error) {
	conf := c.cur.Load().conf
	if conf == nil {
		return nil, fmt.Errorf("uaconsoled: console %q: %w", name, uacontext.ErrUnknownConsole)
	}
	return conf.LookupConsole(ctx, name)
}

var _ uacontext.ConsoleSource = (*consoles)(nil)

// acquire counts a new connection and returns the generation and the
// Server that serve it (false after shutdown or close); release uncounts
// it. Beyond Maximum Console Connections (this connection included, as
// the Director counts) the Server knows no named console.
func (c *consoles) acquire() (*generation, *uacontext.Server, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, nil, false
	}
	g := c.cur.Load()
	g.active++
	c.active++
	if c.maxConsoles > 0 && c.active > c.maxConsoles {
		c.log.Warn("maximum console connections exceeded: only the default console may log in",
			"max", c.maxConsoles, "current", c.active)
		return g, g.limited, true
	}
	return g, g.srv, true
}

func (c *consoles) release(g *generation) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g.active--
	c.active--
	c.pruneLocked()
}

// pruneLocked forgets older generations without connections.
func (c *consoles) pruneLocked() {
	cur := c.cur.Load()
	keep := c.gens[:0]
	for _, g := range c.gens {
		if g == cur || g.active > 0 {
			keep = append(keep, g)
		}
	}
	clear(c.gens[len(keep):])
	c.gens = keep
}

// reload reads the configuration again. If it is valid, new logins see
// its consoles; if not, the error (naming file and line) is logged and
// the previous configuration stays. The Director resource's name,
// password and addresses are read at start only; a change is logged.
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
	old := c.cur.Load()
	if directorChanged(old.conf, conf) {
		c.log.Warn("the Director resource changed; its name, password and addresses apply after a restart", "path", c.path)
	}
	g := newGeneration(conf, withConsoles(c.template, demo.Consoles(conf)))
	c.mu.Lock()
	c.cur.Store(g)
	c.gens = append(c.gens, g)
	c.pruneLocked()
	c.mu.Unlock()
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
		da.MaxConsoleConnections != db.MaxConsoleConnections
}

func directorOf(c *dirconfig.Config) *dirconfig.Director {
	if c == nil {
		return nil
	}
	return c.Director
}

// withConsoles returns a Server like t with other named consoles: the
// adapter until uacontext.Server takes a ConsoleSource.
func withConsoles(t *uacontext.Server, cons []uacontext.Console) *uacontext.Server {
	return &uacontext.Server{
		Director:     t.Director,
		DefaultKey:   t.DefaultKey,
		Consoles:     cons,
		Table:        t.Table,
		Messages:     t.Messages,
		Resources:    t.Resources,
		Log:          t.Log,
		AuthTimeout:  t.AuthTimeout,
		WriteTimeout: t.WriteTimeout,
		FailDelay:    t.FailDelay,
		Rand:         t.Rand,
		Now:          t.Now,
	}
}

// serve accepts connections on ln until shutdown or close, as
// uacontext.Server.Serve does, and serves each with the Server current at
// its acceptance. It returns uacontext.ErrServerClosed after shutdown or
// close, and otherwise the error that stopped accepting. It closes ln.
func (c *consoles) serve(ln net.Listener) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		ln.Close()
		return uacontext.ErrServerClosed
	}
	c.listeners[ln] = struct{}{}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.listeners, ln)
		c.mu.Unlock()
		ln.Close()
	}()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			c.mu.Lock()
			closed := c.closed
			c.mu.Unlock()
			if closed {
				return uacontext.ErrServerClosed
			}
			if temporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				c.log.Warn("accept failed; retrying", "err", err, "delay", delay)
				time.Sleep(delay)
				continue
			}
			return fmt.Errorf("uaconsoled: accept: %w", err)
		}
		delay = 0
		g, srv, ok := c.acquire()
		if !ok {
			nc.Close()
			return uacontext.ErrServerClosed
		}
		go func() {
			defer c.release(g)
			srv.ServeConn(context.Background(), nc)
		}()
	}
}

// stopAccepting closes the listeners and returns the Servers that may
// have connections.
func (c *consoles) stopAccepting() []*uacontext.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	for ln := range c.listeners {
		ln.Close()
	}
	srvs := make([]*uacontext.Server, 0, 2*len(c.gens))
	for _, g := range c.gens {
		srvs = append(srvs, g.srv, g.limited)
	}
	return srvs
}

// shutdown stops accepting and shuts every generation's Server down
// gracefully (uacontext.Server.Shutdown), all within ctx.
func (c *consoles) shutdown(ctx context.Context) error {
	srvs := c.stopAccepting()
	errs := make(chan error, len(srvs))
	for _, srv := range srvs {
		go func() { errs <- srv.Shutdown(ctx) }()
	}
	var first error
	for range srvs {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// close stops accepting and closes every connection at once.
func (c *consoles) close() {
	for _, srv := range c.stopAccepting() {
		srv.Close()
	}
}

// temporary reports accept errors worth retrying.
func temporary(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.ENOBUFS) ||
		errors.Is(err, syscall.ENOMEM)
}
