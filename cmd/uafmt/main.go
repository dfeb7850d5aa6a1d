// Command uafmt replays a formatter call script and prints what the
// formatter sent.
//
// Usage:
//
//	uafmt [flags] FILE.calls
//
// FILE.calls is a call script in the golden-oracle format (JSON Lines: a
// header {"mode": ..., "compact": ..., "send_fails": ..., "note": ...}, then
// one [method, args...] per line, formatter and resource-printer methods
// alike); "-" reads the script from standard input. uafmt builds a
// formatter and a resource printer on it as the header says, makes the
// calls, and writes every packet the formatter sent to standard output in
// .out format ("--- packet LEN", the raw bytes, a newline), byte for byte
// comparable with the oracle's NAME.out:
//
//	go run ./cmd/uafmt golden/testdata/oracle/m2_api2.calls | cmp - golden/testdata/oracle/m2_api2.out
//
// A malformed script is reported as "uafmt: FILE:LINE: problem" on standard
// error with exit status 2 (also used for usage errors); other failures,
// such as an unreadable file, exit with status 1.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/uaformat/uaformat/golden"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitError = 1 // I/O and other failures
	exitUsage = 2 // bad command line or bad script
)

// An action is an alternative behaviour of uafmt selected by one of its
// flags. It reports handled=false to let the default (replaying a script)
// run.
type action func(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int, handled bool)

// flagHooks let other files of this command add flags and actions without
// touching run: each hook registers its flags on fs (a fresh set for every
// run) and returns the action to try after parsing, in order. Add one from
// an init function.
var flagHooks []func(fs *flag.FlagSet) action

// run is uafmt with its command-line arguments (without the program name)
// and standard streams; it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("uafmt", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: uafmt [flags] FILE.calls\n\n"+
			"Replays a formatter call script and prints the packets sent, in .out format.\n")
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(fs.Output(), "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	actions := make([]action, 0, len(flagHooks))
	for _, hook := range flagHooks {
		actions = append(actions, hook(fs))
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	for _, act := range actions {
		if act == nil {
			continue
		}
		if code, handled := act(fs.Args(), stdin, stdout, stderr); handled {
			return code
		}
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "uafmt: want exactly one script file, got %d arguments\n", fs.NArg())
		fs.Usage()
		return exitUsage
	}
	return replay(fs.Arg(0), stdin, stdout, stderr)
}

// replay runs the script in the named file ("-" = stdin) and writes the
// packets to stdout.
func replay(name string, stdin io.Reader, stdout, stderr io.Writer) int {
	var (
		s   *golden.Script
		err error
	)
	if name == "-" {
		s, err = golden.ParseScript(stdin)
		if pe, ok := errors.AsType[*golden.ParseError](err); ok {
			pe.Name = "<stdin>"
		}
	} else {
		s, err = golden.ParseFile(name)
	}
	if err != nil {
		fmt.Fprintf(stderr, "uafmt: %v\n", err)
		if _, ok := errors.AsType[*golden.ParseError](err); ok {
			return exitUsage
		}
		return exitError
	}
	packets, err := s.Output()
	if err != nil {
		fmt.Fprintf(stderr, "uafmt: %s: %v\n", name, err)
		return exitUsage
	}
	if err := golden.WriteOut(stdout, packets); err != nil {
		fmt.Fprintf(stderr, "uafmt: writing output: %v\n", err)
		return exitError
	}
	return exitOK
}
