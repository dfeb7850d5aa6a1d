// Command uaconsole is an interactive console for a Bareos Director (or
// anything that speaks the Director's console protocol, such as
// uaconsoled), in the spirit of python-bareos's bconsole.py.
//
// Usage:
//
//	uaconsole [-addr host:port] [-name console] [-password pw] [-json]
//
// It logs in, then reads command lines from standard input and prints the
// answers. When standard input is a terminal it shows the Director's
// greeting and a "*" prompt; otherwise it reads commands silently, so it
// can be used in scripts:
//
//	printf 'whoami\nversion\n' | uaconsole -password secret
//
// "quit", "exit" or end of input leave. ".api 2" (or -json) switches the
// Director to JSON answers, which are printed indented; ".api 0" switches
// back to text.
//
// The password defaults to the environment variable UACONSOLED_PASSWORD,
// or "secret".
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv, isTerminal(os.Stdin)))
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, interactive bool) int {
	fs := flag.NewFlagSet("uaconsole", flag.ContinueOnError)
	fs.SetOutput(stderr)
	defPassword := getenv("UACONSOLED_PASSWORD")
	if defPassword == "" {
		defPassword = "secret"
	}
	addr := fs.String("addr", console.DefaultAddr, "Director console address `host:port`")
	name := fs.String("name", "", "console `name` (default: the default console *UserAgent*)")
	password := fs.String("password", defPassword, "console `password` (default: $UACONSOLED_PASSWORD or \"secret\")")
	pamUser := fs.String("pam-user", "", "PAM `user` name, for a console that requires a PAM login")
	pamPassword := fs.String("pam-password", "", "PAM `password`, for a console that requires a PAM login")
	useJSON := fs.Bool("json", false, "switch to API mode 2 (JSON) after login")
	protocol := fs.Int("protocol", 0, "force the protocol generation: 1204 or 1802 (0: automatic)")
	timeout := fs.Duration("timeout", 0, "time limit for the login and for each command (0: none)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: uaconsole [flags]\n\nReads console commands from standard input.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "uaconsole: unexpected arguments: %q\n", fs.Args())
		fs.Usage()
		return 2
	}
	proto := bsock.Protocol(*protocol)
	switch proto {
	case bsock.ProtoAuto, bsock.Proto124, bsock.Proto182:
	default:
		fmt.Fprintf(stderr, "uaconsole: -protocol must be 0, 1204 or 1802\n")
		return 2
	}

	ctx := context.Background()
	info := stdout
	if !interactive {
		info = io.Discard
	}
	fmt.Fprintf(info, "Connecting to Director %s\n", *addr)
	c, err := console.Dial(ctx, *addr, console.Options{
		Name: *name, Password: *password, Protocol: proto, JSON: *useJSON, Timeout: *timeout,
		PAMUser: *pamUser, PAMPassword: *pamPassword,
	})
	if err != nil {
		fmt.Fprintf(stderr, "uaconsole: %v\n", err)
		return 1
	}
	defer c.Close()
	si := c.Info()
	fmt.Fprintf(info, "1000 %s\n", strings.TrimRight(si.Message, "\n"))
	if si.Info != "" {
		fmt.Fprintf(info, "%s\n", si.Info)
	}
	return loop(ctx, c, stdin, stdout, stderr, interactive)
}

// loop reads command lines and prints the answers until quit/exit/EOF.
func loop(ctx context.Context, c *console.Client, stdin io.Reader, stdout, stderr io.Writer, interactive bool) int {
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64<<10), bsock.MaxPayload)
	status := 0
	for {
		if interactive {
			fmt.Fprint(stdout, "*")
		}
		if !in.Scan() {
			if interactive {
				fmt.Fprintln(stdout)
			}
			break
		}
		line := strings.TrimRight(in.Text(), "\r\n")
		switch strings.TrimSpace(line) {
		case "quit", "exit":
			return status
		}
		answer, err := c.Call(ctx, line)
		if err != nil {
			if answer != "" { // cut by the Director's BNET_TERMINATE
				fmt.Fprint(stdout, render(answer, c.Mode()))
			}
			fmt.Fprintf(stderr, "uaconsole: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprint(stdout, render(answer, c.Mode()))
	}
	if err := in.Err(); err != nil {
		fmt.Fprintf(stderr, "uaconsole: reading input: %v\n", err)
		return 1
	}
	return status
}

// render formats an answer for display: JSON answers (API mode 2) are
// indented; everything ends with a newline unless empty.
func render(answer string, mode int) string {
	if answer == "" {
		return ""
	}
	if mode == 2 && json.Valid([]byte(answer)) {
		var b bytes.Buffer
		if err := json.Indent(&b, []byte(answer), "", "  "); err == nil {
			answer = b.String()
		}
	}
	if !strings.HasSuffix(answer, "\n") {
		answer += "\n"
	}
	return answer
}
