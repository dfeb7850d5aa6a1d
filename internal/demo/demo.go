// Package demo assembles the demo Director that cmd/uaconsoled serves: the
// deterministic sample catalog of internal/sampledir, the Director's
// command table (reference entries, the session built-ins and the catalog
// commands of uacontext/dircmd) and the consoles of a Bareos-syntax
// configuration. Tests and benchmarks use it to run the same daemon in
// process.
package demo

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/dirconf"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Config describes a demo Director.
type Config struct {
	// Password of the default console ("*UserAgent*"); required.
	Password string
	// ConfigFile, if set, is read for named Console and Profile resources.
	ConfigFile string
	// ConfigText, if set, is parsed like ConfigFile (named "config" in
	// errors); both may be given.
	ConfigText string
	// CatalogSize and Seed shape the sample catalog (see sampledir.Options).
	CatalogSize int
	Seed        uint64
	// FailDelay throttles failed logins: see uacontext.Server (0: the
	// Director's 5 s, negative: none).
	FailDelay time.Duration
	// AuthTimeout bounds a login (0: uacontext.DefaultAuthTimeout).
	AuthTimeout time.Duration
	// WriteTimeout: see uacontext.Server (0: the default).
	WriteTimeout time.Duration
	// MaxConsoleConnections: see uacontext.Server (0: the Director's 20,
	// negative: no limit).
	MaxConsoleConnections int
	// Log receives the server's structured logs; nil discards them.
	Log *slog.Logger
}

// NewServer builds the demo Director's server.
func NewServer(cfg Config) (*uacontext.Server, error) {
	if cfg.Password == "" {
		return nil, fmt.Errorf("demo: the default console needs a password")
	}
	var confs []*dirconf.Config
	if cfg.ConfigFile != "" {
		conf, err := dirconf.ParseFile(cfg.ConfigFile)
		if err != nil {
			return nil, err
		}
		confs = append(confs, conf)
	}
	if cfg.ConfigText != "" {
		conf, err := dirconf.Parse("config", []byte(cfg.ConfigText))
		if err != nil {
			return nil, err
		}
		confs = append(confs, conf)
	}
	var consoles []uacontext.Console
	for _, conf := range confs {
		consoles = append(consoles, Consoles(conf)...)
	}
	dir := sampledir.New(sampledir.Options{Seed: cfg.Seed, Size: cfg.CatalogSize})
	table := uacontext.NewTable(uacontext.ReferenceCommands()...)
	table.Add(uacontext.Builtins()...)
	table.Add(dircmd.Commands(dir, dircmd.Options{Now: dir.Now})...)
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &uacontext.Server{
		Director:     uacontext.DirectorInfo{Name: sampledir.Name},
		DefaultKey:   bsock.PasswordKey(cfg.Password),
		Consoles:     uacontext.ConsoleList(consoles...),
		Table:        table,
		Resources:    dircmd.ResourceFilter(dir),
		Log:          log,
		FailDelay:    cfg.FailDelay,
		AuthTimeout:  cfg.AuthTimeout,
		WriteTimeout: cfg.WriteTimeout,

		MaxConsoleConnections: cfg.MaxConsoleConnections,
	}, nil
}

// aclKinds maps the configuration's ACL lists to the session's.
var aclKinds = [dirconf.NumACLs]uacontext.ACLKind{
	dirconf.JobACL:           uacontext.ACLJob,
	dirconf.ClientACL:        uacontext.ACLClient,
	dirconf.StorageACL:       uacontext.ACLStorage,
	dirconf.ScheduleACL:      uacontext.ACLSchedule,
	dirconf.PoolACL:          uacontext.ACLPool,
	dirconf.CommandACL:       uacontext.ACLCommand,
	dirconf.FileSetACL:       uacontext.ACLFileSet,
	dirconf.CatalogACL:       uacontext.ACLCatalog,
	dirconf.WhereACL:         uacontext.ACLWhere,
	dirconf.PluginOptionsACL: uacontext.ACLPluginOptions,
}

// Consoles converts configured consoles (with their profiles' ACLs) to
// the server's.
func Consoles(conf *dirconf.Config) []uacontext.Console {
	out := make([]uacontext.Console, 0, len(conf.Consoles))
	for _, c := range conf.Consoles {
		acl := conf.EffectiveACL(c)
		var set uacontext.ACLSet
		for k, entries := range acl {
			set[aclKinds[k]] = append([]string(nil), entries...)
		}
		out = append(out, uacontext.Console{Name: c.Name, Key: c.Key, ACL: set})
	}
	return out
}
