// Package demo assembles the demo Director that cmd/uaconsoled serves: the
// deterministic sample catalog of internal/sampledir, the Director's
// command table (reference entries, the session built-ins and the catalog
// commands of uacontext/dircmd) and the consoles of a Bareos-syntax
// configuration (package config). Tests and benchmarks use it to run the
// same daemon in process.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Config describes a demo Director.
type Config struct {
	// Password of the default console ("*UserAgent*"); required unless
	// Key is set.
	Password string
	// Key, if set, is the default console's CRAM-MD5 key instead of the
	// one of Password (config.Password.Key of a Director resource).
	Key string
	// DirectorName is the Director's name; empty means sampledir.Name.
	DirectorName string
	// Consoles, if set, looks the named consoles up at login (a reloaded
	// configuration, say); ConfigFile and ConfigText must then be empty.
	Consoles uacontext.ConsoleSource
	// ConfigFile, if set, is loaded with config.Load (a file, or a
	// directory as bareos-dir -c reads it) for named consoles.
	ConfigFile string
	// ConfigText, if set, is parsed like ConfigFile (named "config" in
	// errors); both may be given.
	ConfigText string
	// Configuration, if set, returns the configuration whose Director,
	// Console, Profile and User resources show prints (the current one,
	// after a reload); nil means those of ConfigFile and ConfigText.
	Configuration func() *config.Config
	// CatalogSize, Seed and BigDirFiles shape the sample catalog (see
	// sampledir.Options).
	CatalogSize int
	Seed        uint64
	BigDirFiles int
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
	// MaxFailDelay, MaxUnauthenticated, MaxUnauthenticatedPerHost,
	// OutputMemory, Audit and PAM: see uacontext.Server (zero values:
	// the defaults).
	MaxFailDelay              time.Duration
	MaxUnauthenticated        int
	MaxUnauthenticatedPerHost int
	OutputMemory              int64
	Audit                     uacontext.Audit
	PAM                       uacontext.PAMVerifier
	// Log receives the server's structured logs; nil discards them.
	Log *slog.Logger
	// RunDuration is how long jobs started by run run (real time); zero
	// means sampledir.DefaultRunDuration. Clock times them (nil:
	// time.Now).
	RunDuration time.Duration
	Clock       func() time.Time
	// PromptTimeout bounds each wait for an answer to a prompt (0: no
	// limit).
	PromptTimeout time.Duration
	// Poll is how often wait looks at the running jobs (0:
	// dircmd.DefaultPoll).
	Poll time.Duration
	// DefaultTLSPolicy is the default console's TLS policy (see
	// uacontext.Server); the zero value lets it in without TLS too.
	// Named consoles have theirs from the configuration.
	DefaultTLSPolicy uacontext.TLSPolicy
	// TLS configures TLS (see uacontext.Server); nil: TLS-PSK with
	// tlspsk's defaults.
	TLS *uacontext.TLSConfig
}

// NewServer builds the demo Director's server.
func NewServer(cfg Config) (*uacontext.Server, error) {
	key := cfg.Key
	if key == "" {
		if cfg.Password == "" {
			return nil, fmt.Errorf("demo: the default console needs a password")
		}
		key = bsock.PasswordKey(cfg.Password)
	}
	consoles := cfg.Consoles
	var confs []*config.Config
	if consoles != nil && (cfg.ConfigFile != "" || cfg.ConfigText != "") {
		return nil, errors.New("demo: Consoles excludes ConfigFile and ConfigText")
	}
	showConf := cfg.Configuration
	if consoles == nil {
		if cfg.ConfigFile != "" {
			conf, err := config.Load(cfg.ConfigFile, config.Options{Logger: cfg.Log})
			if err != nil {
				return nil, err
			}
			confs = append(confs, conf)
		}
		if cfg.ConfigText != "" {
			conf, err := config.Parse("config", []byte(cfg.ConfigText), config.Options{Logger: cfg.Log})
			if err != nil {
				return nil, err
			}
			confs = append(confs, conf)
		}
		consoles = configs(confs)
		if showConf == nil && len(confs) > 0 {
			merged := merge(confs)
			showConf = func() *config.Config { return merged }
		}
	}
	sample := sampledir.New(sampledir.Options{Seed: cfg.Seed, Size: cfg.CatalogSize, BigDirFiles: cfg.BigDirFiles, Password: cfg.Password,
		RunDuration: cfg.RunDuration, Clock: cfg.Clock})
	dir := director{Director: sample, conf: showConf}
	table := uacontext.NewTable(uacontext.ReferenceCommands()...)
	table.Add(uacontext.Builtins()...)
	table.Add(dircmd.Commands(dir, dircmd.Options{Now: sample.Now})...)
	table.Add(dircmd.InteractiveCommands(withConfig{sample, confs}, dircmd.Options{Now: sample.Now, Poll: cfg.Poll})...)
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	name := cfg.DirectorName
	if name == "" {
		name = sampledir.Name
	}
	return &uacontext.Server{
		Director:     uacontext.DirectorInfo{Name: name},
		DefaultKey:   key,
		Consoles:     consoles,
		Table:        table,
		Resources:    dircmd.ResourceFilter(dir),
		Log:          log,
		FailDelay:    cfg.FailDelay,
		AuthTimeout:  cfg.AuthTimeout,
		WriteTimeout: cfg.WriteTimeout,

		MaxConsoleConnections:     cfg.MaxConsoleConnections,
		PromptTimeout:             cfg.PromptTimeout,
		DefaultTLSPolicy:          cfg.DefaultTLSPolicy,
		TLS:                       cfg.TLS,
		MaxFailDelay:              cfg.MaxFailDelay,
		MaxUnauthenticated:        cfg.MaxUnauthenticated,
		MaxUnauthenticatedPerHost: cfg.MaxUnauthenticatedPerHost,
		OutputMemory:              cfg.OutputMemory,
		Audit:                     cfg.Audit,
		PAM:                       cfg.PAM,
	}, nil
}

// configs serves the consoles and users of several configurations, the
// first one that knows a name counting.
type configs []*config.Config

func (cs configs) LookupConsole(ctx context.Context, name string) (*uacontext.Console, error) {
	for _, c := range cs {
		if con, err := c.LookupConsole(ctx, name); err == nil {
			return con, nil
		}
	}
	return nil, fmt.Errorf("demo: console %.40q: %w", name, uacontext.ErrUnknownConsole)
}

func (cs configs) LookupUser(ctx context.Context, name string) (*uacontext.Console, error) {
	for _, c := range cs {
		if u, err := c.LookupUser(ctx, name); err == nil {
			return u, nil
		}
	}
	return nil, fmt.Errorf("demo: user %.40q: %w", name, uacontext.ErrUnknownUser)
}

// withConfig adds the Console and Profile resources of the configuration
// to the sample Director (for .consoles and .profiles).
type withConfig struct {
	*sampledir.Director
	confs []*config.Config
}

var _ dircmd.ExtraResources = withConfig{}

// JobDefs returns no JobDefs resources: the sample has none.
func (withConfig) JobDefs() []dircmd.NamedResource { return nil }

// Profiles returns the configuration's Profile resources.
func (w withConfig) Profiles() []dircmd.NamedResource {
	var out []dircmd.NamedResource
	for _, c := range w.confs {
		for _, p := range c.Profiles {
			out = append(out, dircmd.NamedResource{Name: p.Name})
		}
	}
	return out
}

// Consoles returns the configuration's Console resources.
func (w withConfig) Consoles() []dircmd.NamedResource {
	var out []dircmd.NamedResource
	for _, c := range w.confs {
		for _, con := range c.Consoles {
			out = append(out, dircmd.NamedResource{Name: con.Name})
		}
	}
	return out
}

// Consoles returns the named consoles of a configuration as sessions see
// them (their ACLs merged with those of their profiles).
func Consoles(conf *config.Config) []uacontext.Console {
	out := make([]uacontext.Console, 0, len(conf.Consoles))
	for _, c := range conf.Consoles {
		uc, err := conf.LookupConsole(context.Background(), c.Name)
		if err != nil {
			continue // not from Load or Parse
		}
		out = append(out, *uc)
	}
	return out
}

// merge joins the resources of several configurations (the first
// Director resource wins).
func merge(confs []*config.Config) *config.Config {
	out := &config.Config{}
	for _, c := range confs {
		if out.Director == nil {
			out.Director = c.Director
		}
		out.Consoles = append(out.Consoles, c.Consoles...)
		out.Profiles = append(out.Profiles, c.Profiles...)
		out.Users = append(out.Users, c.Users...)
	}
	return out
}
