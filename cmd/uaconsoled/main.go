// Command uaconsoled is a demo Bareos Director console daemon: it serves
// the deterministic sample Director of internal/sampledir to real Bareos
// consoles (bconsole, python-bareos, the webui) over the Director's
// console protocol, in all three API modes.
//
// Usage:
//
//	uaconsoled [-listen 127.0.0.1:9101] [-password secret] [-config FILE]
//	           [-catalog-size N] [-seed N] [-fail-delay 5s] [-log-level info]
//
// The default console ("*UserAgent*") logs in with -password (default:
// $UACONSOLED_PASSWORD, else "secret"). Named consoles with ACLs come from
// -config, a file of Bareos Console (and Profile) resources. Logs are
// structured (log/slog) on standard error. SIGINT or SIGTERM stop the
// daemon: it stops accepting, lets running commands finish and exits.
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
	"syscall"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

// config is the parsed command line.
type config struct {
	listen      string
	password    string
	configFile  string
	catalogSize int
	seed        uint64
	failDelay   time.Duration
	logLevel    slog.Level
}

// parseFlags parses the command line; getenv supplies the environment.
func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("uaconsoled", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defPassword := getenv("UACONSOLED_PASSWORD")
	if defPassword == "" {
		defPassword = "secret"
	}
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:9101", "`address` to listen on")
	fs.StringVar(&cfg.password, "password", defPassword, "`password` of the default console (env UACONSOLED_PASSWORD)")
	fs.StringVar(&cfg.configFile, "config", "", "`file` with Bareos Console/Profile resources for named consoles")
	fs.IntVar(&cfg.catalogSize, "catalog-size", 250, "number of jobs in the generated catalog")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the generated catalog")
	fs.DurationVar(&cfg.failDelay, "fail-delay", bsock.DefaultFailDelay, "delay after a failed login")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "log `level` (debug, info, warn, error)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if fs.NArg() > 0 {
		return cfg, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	if cfg.catalogSize <= 0 {
		return cfg, fmt.Errorf("-catalog-size must be positive, got %d", cfg.catalogSize)
	}
	if cfg.password == "" {
		return cfg, errors.New("-password must not be empty")
	}
	return cfg, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, getenv, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "uaconsoled:", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	srv, err := newServer(cfg, log)
	if err != nil {
		log.Error("configuration", "err", err)
		return 1
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", cfg.listen)
	if err != nil {
		log.Error("listen", "err", err)
		return 1
	}
	if err := serve(ctx, srv, ln, cfg, stdout, log); err != nil {
		log.Error("serve", "err", err)
		return 1
	}
	return 0
}

// serve announces the listener and serves until ctx ends.
func serve(ctx context.Context, srv *uacontext.Server, ln net.Listener, cfg config, stdout io.Writer, log *slog.Logger) error {
	fmt.Fprintf(stdout, "uaconsoled: Director %q listening on %s\n", srv.Director.Name, ln.Addr())
	fmt.Fprintf(stdout, "uaconsoled: default console password: %s\n", cfg.password)
	log.Info("serving", "addr", ln.Addr().String(), "director", srv.Director.Name,
		"consoles", len(srv.Consoles), "catalog_size", cfg.catalogSize)
	err := srv.Serve(ctx, ln)
	log.Info("stopped")
	return err
}

// newServer builds the Director: the sample catalog, the command table
// and the consoles of the configuration file.
func newServer(cfg config, log *slog.Logger) (*uacontext.Server, error) {
	return demo.NewServer(demo.Config{
		Password:    cfg.password,
		ConfigFile:  cfg.configFile,
		CatalogSize: cfg.catalogSize,
		Seed:        cfg.seed,
		FailDelay:   cfg.failDelay,
		Log:         log,
	})
}
