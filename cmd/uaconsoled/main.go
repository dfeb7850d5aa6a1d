// Command uaconsoled is a demo Bareos Director console daemon: it serves
// the deterministic sample Director of internal/sampledir to real Bareos
// consoles (bconsole, python-bareos, the webui) over the Director's
// console protocol, in all three API modes.
//
// Usage:
//
//	uaconsoled [-c PATH] [-listen 127.0.0.1:9101] [-password secret]
//	           [-max-console-connections 20] [-tls-policy none]
//	           [-catalog-size N] [-seed N] [-fail-delay 5s]
//	           [-log-level info] [-shutdown-grace 30s]
//	           [-prompt-timeout 0] [-job-duration 20s]
//	           [-max-unauthenticated 256] [-max-unauthenticated-per-host 8]
//	           [-output-memory-mib 128] [-audit]
//
// -c (or -config) names a Bareos Director configuration, a file or a
// directory as bareos-dir -c reads it (DIR/bareos-dir.conf, else
// DIR/bareos-dir.d/*/*.conf; see package config). Its named Console
// resources (with their Profiles' ACLs) may log in. Its Director
// resource, if any, gives the Director's name, the password of the
// default console, the listening addresses and Maximum Console
// Connections (beyond it, as in the Director, named consoles are refused
// and the default console is still admitted), unless -password (or
// $UACONSOLED_PASSWORD), -listen and -max-console-connections are given.
// Without either, the
// default console ("*UserAgent*") logs in with "secret" on
// 127.0.0.1:9101. Logs are structured (log/slog) on standard error.
//
// Consoles that start TLS-PSK (bconsole since Bareos 18.2 with its
// default configuration, python-bareos on Python 3.13 and later) are
// served inside TLS, as by the Director; those that send a cleartext
// Hello are let in according to their console's TLS Enable and TLS
// Require, the default console's being the Director resource's (the
// Director's default is to require TLS), or -tls-policy (none, enabled,
// required); without a Director resource it is none: cleartext and
// TLS-PSK consoles are both let in. The Director resource's TLS Protocol,
// TLS Cipher List and TLS Cipher Suites bound the TLS-PSK handshake, and
// its TLS Certificate serves TLS with certificates to clients that offer
// no PSK.
//
// The defaults hold under hostile load (see uacontext.Server): at most
// 256 connections that have not logged in (8 per host), failed logins
// throttled per address and console name (-fail-delay, doubling per
// failure), 128 MiB for the answers that consoles do not read (the Go
// runtime's soft memory limit 96 MiB above it, unless $GOMEMLIMIT is
// set), bounded and rate-limited logs, command lines audited only with
// -audit or the Director resource's Auditing (and Audit Events). Console
// resources with Use Pam Authentication are refused: the demo has no PAM
// verifier.
//
// SIGHUP reloads the configuration: if it is valid, new logins see its
// consoles (running sessions keep theirs); if not, the error is logged
// with its file and line and the previous configuration stays.
//
// SIGINT or SIGTERM stop the daemon gracefully: it stops accepting, ends
// idle sessions (BNET_TERMINATE), lets running commands finish their
// answers for up to -shutdown-grace, and exits with status 0. A second
// signal, or the end of the grace, closes the remaining connections at
// once; a console whose command is cut off gets an error message and
// BNET_TERMINATE. (Under
// "go run", send the signal to the daemon's own process: the go command
// does not forward SIGTERM.)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/uaformat/uaformat/bsock"
	dirconfig "github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
)

func main() {
	stop := make(chan os.Signal, 2)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	os.Exit(run(stop, hup, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// defaultListen and defaultPassword apply without flags and without a
// Director resource.
const (
	defaultListen   = "127.0.0.1:9101"
	defaultPassword = "secret"
)

// config is the parsed command line.
type config struct {
	listen      string
	listenSet   bool // -listen given
	password    string
	passwordSet bool // -password or $UACONSOLED_PASSWORD given
	configPath  string
	catalogSize int
	bigDirFiles int
	seed        uint64
	failDelay   time.Duration
	logLevel    slog.Level
	grace       time.Duration
	maxConsoles int
	maxSet      bool // -max-console-connections given
	tlsPolicy   policyFlag
	tlsSet      bool // -tls-policy given
	promptWait  time.Duration
	jobDuration time.Duration

	maxUnauth        int   // -max-unauthenticated
	maxUnauthPerHost int   // -max-unauthenticated-per-host
	outputMemory     int64 // -output-memory-mib, in bytes
	audit            bool  // -audit
	auditSet         bool  // -audit given

	// passwordFrom says where the password came from, for the startup
	// announcement, which never prints the password itself.
	passwordFrom string
}

// policyFlag is the value of -tls-policy.
type policyFlag uacontext.TLSPolicy

func (p *policyFlag) String() string { return uacontext.TLSPolicy(*p).String() }

func (p *policyFlag) Set(s string) error {
	for _, v := range []uacontext.TLSPolicy{uacontext.TLSNone, uacontext.TLSEnabled, uacontext.TLSRequired} {
		if s == v.String() || s == fmt.Sprint(int(v)) {
			*p = policyFlag(v)
			return nil
		}
	}
	return fmt.Errorf("want none, enabled or required")
}

// parseFlags parses the command line; getenv supplies the environment.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("uaconsoled", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.listen, "listen", "", "`address` to listen on (default: the Director resource's, else "+defaultListen+")")
	fs.StringVar(&cfg.password, "password", "", "`password` of the default console (default: $UACONSOLED_PASSWORD, else the Director resource's, else "+defaultPassword+")")
	fs.StringVar(&cfg.configPath, "c", "", "Bareos Director configuration: a file, or a `directory` as bareos-dir -c reads it")
	fs.StringVar(&cfg.configPath, "config", "", "the same as -c")
	fs.IntVar(&cfg.catalogSize, "catalog-size", 250, "number of jobs in the generated catalog")
	fs.IntVar(&cfg.bigDirFiles, "bigdir-files", 0, "files in "+sampledir.BigDir+" of the generated catalog (default: 400 per job of -catalog-size; negative: none)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated catalog")
	fs.DurationVar(&cfg.failDelay, "fail-delay", bsock.DefaultFailDelay, "failed-login throttle: the wait before the next password check from an address after a failure, doubling per failure up to 1m (0: no throttling)")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "log `level` (debug, info, warn, error)")
	fs.IntVar(&cfg.maxConsoles, "max-console-connections", uacontext.DefaultMaxConsoleConnections, "the Director's Maximum Console Connections (negative: no limit; default: the Director resource's)")
	fs.Var(&cfg.tlsPolicy, "tls-policy", "TLS policy of the default console for cleartext logins: `none`, enabled or required (TLS-PSK is always accepted; default: the Director resource's TLS Enable and TLS Require, else none)")
	fs.DurationVar(&cfg.grace, "shutdown-grace", 30*time.Second, "how long running commands may take to finish after SIGINT/SIGTERM")
	fs.IntVar(&cfg.maxUnauth, "max-unauthenticated", uacontext.DefaultMaxUnauthenticated, "connections that have not logged in kept at once (negative: no limit)")
	fs.IntVar(&cfg.maxUnauthPerHost, "max-unauthenticated-per-host", uacontext.DefaultMaxUnauthenticatedPerHost, "connections that have not logged in kept at once per host (negative: no limit)")
	outputMiB := fs.Int64("output-memory-mib", uacontext.DefaultOutputMemory>>20, "`MiB` that all sessions together may hold for answers not yet sent (negative: no limit)")
	fs.BoolVar(&cfg.audit, "audit", false, "audit console commands, as the Director's Auditing (default: the Director resource's)")
	fs.DurationVar(&cfg.promptWait, "prompt-timeout", 0, "how long a command waits for the answer to a question (0: no limit)")
	fs.DurationVar(&cfg.jobDuration, "job-duration", sampledir.DefaultRunDuration, "how long the jobs started by run and restore run")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "listen":
			cfg.listenSet = true
		case "password":
			cfg.passwordSet = true
		case "max-console-connections":
			cfg.maxSet = true
		case "audit":
			cfg.auditSet = true
		case "tls-policy":
			cfg.tlsSet = true
		}
	})
	cfg.outputMemory = *outputMiB << 20
	if *outputMiB < 0 {
		cfg.outputMemory = -1
	}
	for name, v := range map[string]int{"-max-unauthenticated": cfg.maxUnauth, "-max-unauthenticated-per-host": cfg.maxUnauthPerHost} {
		if v == 0 {
			return cfg, fmt.Errorf("%s must not be 0 (negative: no limit)", name)
		}
	}
	if *outputMiB == 0 {
		return cfg, errors.New("-output-memory-mib must not be 0 (negative: no limit)")
	}
	if !cfg.listenSet {
		cfg.listen = defaultListen
	}
	cfg.passwordFrom = "the -password flag's"
	if !cfg.passwordSet {
		cfg.password = getenv("UACONSOLED_PASSWORD")
		cfg.passwordSet = cfg.password != ""
		cfg.passwordFrom = "$UACONSOLED_PASSWORD's"
	}
	if !cfg.passwordSet {
		cfg.password = defaultPassword
		cfg.passwordFrom = "the built-in default (see -h)"
	}
	if cfg.catalogSize <= 0 {
		return cfg, fmt.Errorf("-catalog-size must be positive, got %d", cfg.catalogSize)
	}
	if cfg.password == "" {
		return cfg, errors.New("-password must not be empty")
	}
	if cfg.listen == "" {
		return cfg, errors.New("-listen must not be empty")
	}
	if cfg.promptWait < 0 || cfg.jobDuration <= 0 {
		return cfg, fmt.Errorf("-prompt-timeout must not be negative and -job-duration must be positive")
	}
	if cfg.grace < 0 {
		return cfg, fmt.Errorf("-shutdown-grace must not be negative, got %v", cfg.grace)
	}
	return cfg, nil
}

// run runs the daemon until a value arrives on stop (see the package
// documentation) and returns the exit status. A value on reload reloads
// the configuration.
func run(stop, reload <-chan os.Signal, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "uaconsoled:", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	if limit := memoryLimit(cfg.outputMemory, getenv); limit > 0 {
		debug.SetMemoryLimit(limit)
	}
	d, err := newDaemon(cfg, log)
	if err != nil {
		log.Error("configuration", "err", err)
		return 1
	}
	var lns []net.Listener
	for _, addr := range d.addrs {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			for _, ln := range lns {
				ln.Close()
			}
			log.Error("listen", "err", err)
			return 1
		}
		lns = append(lns, ln)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for {
			select {
			case <-reload:
				d.cons.reload()
			case <-done:
				return
			}
		}
	}()
	if err := d.serve(stop, lns, stdout); err != nil {
		log.Error("serve", "err", err)
		return 1
	}
	return 0
}

// memoryLimit is the soft memory limit of the Go runtime that goes with
// the output budget: the budget plus room for everything else, so that
// the garbage of answers that were sent is collected before the process
// grows far beyond what is in use. Zero (leave the runtime's setting)
// without a budget or when $GOMEMLIMIT is set.
func memoryLimit(outputMemory int64, getenv func(string) string) int64 {
	if outputMemory <= 0 || getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return outputMemory + 96<<20
}

// daemon is the configured daemon, ready to serve.
type daemon struct {
	cfg   config
	log   *slog.Logger
	srv   *uacontext.Server
	cons  *consoles // the named consoles, reloaded on SIGHUP
	addrs []string  // to listen on
	// password describes where the default console's password comes
	// from, for the announcement (never the password itself).
	password string
}

// newDaemon reads the configuration (-c) and builds the Director: the
// sample catalog, the command table and the consoles. The Director
// resource supplies what the flags leave open.
func newDaemon(cfg config, log *slog.Logger) (*daemon, error) {
	d := &daemon{cfg: cfg, log: log, addrs: []string{cfg.listen}, password: cfg.passwordFrom}
	var conf *dirconfig.Config
	if cfg.configPath != "" {
		var err error
		conf, err = dirconfig.Load(cfg.configPath, dirconfig.Options{Logger: log})
		if err != nil {
			return nil, err
		}
	}
	d.cons = newConsoles(conf, cfg.configPath, log)
	failDelay := cfg.failDelay
	if failDelay == 0 {
		failDelay = -1 // -fail-delay 0: no delay
	}
	dc := demo.Config{
		Password:      cfg.password,
		Consoles:      d.cons,
		Configuration: d.cons.cur.Load,
		CatalogSize:   cfg.catalogSize,
		BigDirFiles:   cfg.bigDirFiles,
		Seed:          cfg.seed,
		FailDelay:     failDelay,
		Log:           log,

		PromptTimeout: cfg.promptWait,
		RunDuration:   cfg.jobDuration,

		MaxConsoleConnections:     cfg.maxConsoles,
		MaxUnauthenticated:        cfg.maxUnauth,
		MaxUnauthenticatedPerHost: cfg.maxUnauthPerHost,
		OutputMemory:              cfg.outputMemory,
		Audit:                     uacontext.Audit{Enabled: cfg.audit},
	}
	dc.DefaultTLSPolicy = uacontext.TLSPolicy(cfg.tlsPolicy)
	if conf != nil && conf.Director != nil {
		dir := conf.Director
		dc.DirectorName = dir.Name
		if !cfg.tlsSet {
			dc.DefaultTLSPolicy = dir.TLS.Policy()
		}
		tc, err := dir.TLS.ServerConfig()
		if err != nil {
			return nil, fmt.Errorf("the Director resource (%s): %w", dir.Pos, err)
		}
		dc.TLS = tc
		if !cfg.passwordSet {
			dc.Key = dir.Password.Key()
			d.password = "the Director resource's (" + dir.Pos.String() + ")"
		}
		if !cfg.listenSet {
			d.addrs = dir.ListenAddresses()
		}
		if !cfg.auditSet {
			dc.Audit.Enabled = dir.Auditing
		}
		dc.Audit.Events = dir.AuditEvents
		if !cfg.maxSet {
			dc.MaxConsoleConnections = dir.MaxConsoleConnections
			if dir.MaxConsoleConnections == 0 {
				// The Director then refuses every named console (each is
				// beyond 0) and admits the default console; the Server
				// reads 0 as its default, so the consoles refuse instead.
				dc.MaxConsoleConnections = -1
				d.cons.refuseNamed = true
				log.Warn("Maximum Console Connections = 0: only the default console can log in", "at", dir.Pos.String())
			}
		}
	}
	if conf != nil {
		for _, c := range conf.Consoles {
			if c.UsePAMAuthentication {
				log.Warn("console uses PAM authentication, but this daemon has no PAM verifier: its logins are refused",
					"console", c.Name, "at", c.Pos.String())
			}
		}
	}
	srv, err := demo.NewServer(dc)
	if err != nil {
		return nil, err
	}
	d.srv = srv
	return d, nil
}

// serve announces the listeners and serves on all of them until the first
// value on stop; then it shuts the server down gracefully, for at most
// the grace period, or until a second value arrives.
func (d *daemon) serve(stop <-chan os.Signal, lns []net.Listener, stdout io.Writer) error {
	addrs := make([]string, len(lns))
	for i, ln := range lns {
		addrs[i] = ln.Addr().String()
		fmt.Fprintf(stdout, "uaconsoled: Director %q listening on %s\n", d.srv.Director.Name, ln.Addr())
	}
	fmt.Fprintf(stdout, "uaconsoled: default console password: %s\n", d.password)
	fmt.Fprintf(stdout, "uaconsoled: TLS-PSK accepted; cleartext logins of the default console: %s\n", cleartextRule(d.srv.DefaultTLSPolicy))
	d.log.Info("serving", "addr", strings.Join(addrs, ","), "director", d.srv.Director.Name,
		"consoles", d.cons.count(), "catalog_size", d.cfg.catalogSize)
	served := make(chan error, len(lns))
	for _, ln := range lns {
		go func() { served <- d.srv.Serve(ln) }()
	}
	var err error
	select {
	case err = <-served: // a listener failed: stop at once
		d.srv.Close()
	case sig := <-stop:
		d.log.Info("shutting down: running commands may finish", "signal", fmt.Sprint(sig), "grace", d.cfg.grace)
		ctx, cancel := context.WithTimeout(context.Background(), d.cfg.grace)
		defer cancel()
		go func() {
			select {
			case sig := <-stop:
				d.log.Warn("second signal: closing every connection", "signal", fmt.Sprint(sig))
				cancel()
			case <-ctx.Done():
			}
		}()
		if err := d.srv.Shutdown(ctx); err != nil {
			d.log.Warn("connections closed before their commands finished", "err", err)
		}
		err = <-served
	}
	for range len(lns) - 1 {
		if e := <-served; err == nil || errors.Is(err, uacontext.ErrServerClosed) {
			err = e
		}
	}
	if err != nil && !errors.Is(err, uacontext.ErrServerClosed) {
		return err
	}
	d.log.Info("stopped")
	return nil
}

// cleartextRule describes which cleartext logins a TLS policy lets in.
func cleartextRule(p uacontext.TLSPolicy) string {
	switch p {
	case uacontext.TLSNone:
		return "allowed (TLS policy none)"
	case uacontext.TLSEnabled:
		return "only consoles older than 18.2 (TLS policy enabled)"
	}
	return "refused (TLS policy required)"
}
