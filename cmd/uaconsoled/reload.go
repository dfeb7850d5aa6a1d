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
// with the Server of the configuration current when it was accepted.
type consoles struct {
	cur      atomic.Pointer[generation]
	template *uacontext.Server // the first Server: its settings are kept
	path     string            // the configuration reloaded ("" if none)
	log      *slog.Logger
}

func newConsoles(srv *uacontext.Server, conf *dirconfig.Config, path string, log *slog.Logger) *consoles {
	c := &consoles{template: srv, path: path, log: log}
	c.cur.Store(&generation{conf: conf, srv: srv})
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

// server returns the Server for a new connection.
func (c *consoles) server() *uacontext.Server { return c.cur.Load().srv }

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
	c.cur.Store(&generation{conf: conf, srv: withConsoles(c.template, demo.Consoles(conf))})
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
		Director:      t.Director,
		DefaultKey:    t.DefaultKey,
		Consoles:      cons,
		Table:         t.Table,
		Messages:      t.Messages,
		Resources:     t.Resources,
		Log:           t.Log,
		AuthTimeout:   t.AuthTimeout,
		WriteTimeout:  t.WriteTimeout,
		ShutdownGrace: t.ShutdownGrace,
		FailDelay:     t.FailDelay,
		Rand:          t.Rand,
		Now:           t.Now,
	}
}

// serve accepts connections on ln until ctx ends and serves each with
// the Server current at its acceptance, as uacontext.Server.Serve does
// for one Server: when ctx ends it closes ln, lets running commands
// finish and waits for the sessions.
func (c *consoles) serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()

	var wg sync.WaitGroup
	defer wg.Wait()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if temporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				c.log.Warn("accept failed; retrying", "err", err, "delay", delay)
				t := time.NewTimer(delay)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
				}
				continue
			}
			return fmt.Errorf("uaconsoled: accept: %w", err)
		}
		delay = 0
		srv := c.server()
		wg.Add(1)
		go func() {
			defer wg.Done()
			srv.ServeConn(ctx, nc)
		}()
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
