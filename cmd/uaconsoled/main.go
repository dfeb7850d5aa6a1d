// Command uaconsoled is a demo Bareos Director console daemon: it serves
// the deterministic sample Director of internal/sampledir to real Bareos
// consoles (bconsole, python-bareos, the webui) over the Director's
// console protocol, in all three API modes.
//
// Usage:
//
//	uaconsoled [-listen 127.0.0.1:9101] [-password secret] [-config FILE]
//	           [-catalog-size N] [-seed N] [-fail-delay 5s] [-log-level info]
//	           [-shutdown-grace 30s]
//
// The default console ("*UserAgent*") logs in with -password (default:
// $UACONSOLED_PASSWORD, else "secret"). Named consoles with ACLs come from
// -config, a file of Bareos Console (and Profile) resources. Logs are
// structured (log/slog) on standard error.
//
// SIGINT or SIGTERM stop the daemon gracefully: it stops accepting, ends
// idle sessions, lets running commands finish their answers for up to
// -shutdown-grace, and exits with status 0. A second signal, or the end
// of the grace, closes the remaining connections at once. (Under
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
	"syscall"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

func main() {
	stop := make(chan os.Signal, 2)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(stop, os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
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
	grace       time.Duration
	maxConsoles int
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
	fs.DurationVar(&cfg.failDelay, "fail-delay", bsock.DefaultFailDelay, "delay after a failed login (0: none)")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "log `level` (debug, info, warn, error)")
	fs.IntVar(&cfg.maxConsoles, "max-console-connections", uacontext.DefaultMaxConsoleConnections, "the Director's Maximum Console Connections (negative: no limit)")
	fs.DurationVar(&cfg.grace, "shutdown-grace", 30*time.Second, "how long running commands may take to finish after SIGINT/SIGTERM")
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
	if cfg.maxConsoles == 0 {
		return cfg, errors.New("-max-console-connections must not be 0")
	}
	if cfg.grace < 0 {
		return cfg, fmt.Errorf("-shutdown-grace must not be negative, got %v", cfg.grace)
	}
	return cfg, nil
}

// run runs the daemon until a value arrives on stop (see the package
// documentation) and returns the exit status.
func run(stop <-chan os.Signal, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
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
	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		log.Error("listen", "err", err)
		return 1
	}
	if err := serve(stop, srv, ln, cfg, stdout, log); err != nil {
		log.Error("serve", "err", err)
		return 1
	}
	return 0
}

// serve announces the listener and serves until the first value on stop;
// then it shuts the server down gracefully, for at most cfg.grace, or
// until a second value arrives.
func serve(stop <-chan os.Signal, srv *uacontext.Server, ln net.Listener, cfg config, stdout io.Writer, log *slog.Logger) error {
	fmt.Fprintf(stdout, "uaconsoled: Director %q listening on %s\n", srv.Director.Name, ln.Addr())
	fmt.Fprintf(stdout, "uaconsoled: default console password: %s\n", cfg.password)
	log.Info("serving", "addr", ln.Addr().String(), "director", srv.Director.Name,
		"catalog_size", cfg.catalogSize)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		srv.Close()
		return err
	case sig := <-stop:
		log.Info("shutting down: running commands may finish", "signal", fmt.Sprint(sig), "grace", cfg.grace)
	}
	ctx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	go func() {
		select {
		case sig := <-stop:
			log.Warn("second signal: closing every connection", "signal", fmt.Sprint(sig))
			cancel()
		case <-ctx.Done():
		}
	}()
	err := srv.Shutdown(ctx)
	if err != nil {
		log.Warn("connections closed before their commands finished", "err", err)
	}
	if err := <-served; !errors.Is(err, uacontext.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// newServer builds the Director: the sample catalog, the command table
// and the consoles of the configuration file.
func newServer(cfg config, log *slog.Logger) (*uacontext.Server, error) {
	failDelay := cfg.failDelay
	if failDelay == 0 {
		failDelay = -1 // -fail-delay 0: no delay
	}
	return demo.NewServer(demo.Config{
		Password:    cfg.password,
		ConfigFile:  cfg.configFile,
		CatalogSize: cfg.catalogSize,
		Seed:        cfg.seed,
		FailDelay:   failDelay,
		Log:         log,

		MaxConsoleConnections: cfg.maxConsoles,
	})
}
