// Command uaconsole is an interactive console for a Bareos Director (or
// anything that speaks the Director's console protocol, such as
// uaconsoled), in the spirit of python-bareos's bconsole.py.
//
// Usage:
//
//	uaconsole [-c bconsole.conf] [-D director] [-addr host:port]
//	          [-name console] [-password pw] [-json] [-tls=false]
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
// Some commands ask questions (run's "OK to run? (yes/mod/no): ",
// selection lists, confirmations). Interactively the question is shown
// and the next line typed is the answer ("." cancels). In a script the
// next input line is the answer; with -answers FILE the answers are
// taken from FILE, one per line, in order, before any from the input.
// Without a terminal every question and its answer are reported on
// standard error ("uaconsole: the Director waits for input: ..."), and
// a question still open at the end of input is canceled.
//
// The password defaults to the environment variable UACONSOLED_PASSWORD,
// or "secret".
//
// Like bconsole, it starts TLS-PSK right after connecting (the Hello and
// the login run inside the tunnel) and shows the cipher in its greeting
// (" Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"); -tls=false
// connects in cleartext. -c reads a bconsole configuration (file, or
// directory with bconsole.conf or bconsole.d/*/*.conf): the Director
// resource gives the address and the default console's password, a
// Console resource the console's name and password, and their TLS
// directives (TLS Enable, TLS Require, TLS Protocol, TLS Cipher List, TLS
// Cipher Suites) are honoured as by bconsole; -D names the Director when
// there are several. Flags given explicitly override the configuration.
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
	"github.com/uaformat/uaformat/config"
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
	confPath := fs.String("c", "", "bconsole configuration: a file, or a `directory` with bconsole.conf or bconsole.d")
	director := fs.String("D", "", "the Director resource of the configuration to connect to (default: the only one)")
	useTLS := fs.Bool("tls", true, "start TLS-PSK like bconsole (false: cleartext, as TLS Enable = no)")
	answersFile := fs.String("answers", "", "`file` of answers to the Director's questions, one per line, used in order")
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

	var answers []string
	if *answersFile != "" {
		data, err := os.ReadFile(*answersFile)
		if err != nil {
			fmt.Fprintf(stderr, "uaconsole: %v\n", err)
			return 2
		}
		answers = strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n"), "\n")
		if len(data) == 0 {
			answers = nil
		}
	}

	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	target := *addr
	opts := console.Options{Name: *name, Password: *password}
	if *confPath != "" {
		cc, err := config.LoadConsoleConfig(*confPath, config.Options{})
		if err != nil {
			fmt.Fprintf(stderr, "uaconsole: %v\n", err)
			return 1
		}
		dir, con, err := cc.Select(*director)
		if err == nil {
			target, opts, err = console.FromConfig(dir, con)
		}
		if err != nil {
			fmt.Fprintf(stderr, "uaconsole: %v\n", err)
			return 1
		}
		if set["addr"] {
			target = *addr
		}
		if set["name"] {
			opts.Name = *name
		}
		if set["password"] {
			opts.Password, opts.Key = *password, ""
		}
	} else if *director != "" {
		fmt.Fprintf(stderr, "uaconsole: -D needs a configuration (-c)\n")
		return 2
	}
	if set["tls"] {
		opts.TLS.Disable = !*useTLS
	}
	opts.Protocol, opts.JSON, opts.Timeout = proto, *useJSON, *timeout
	opts.PAMUser, opts.PAMPassword = *pamUser, *pamPassword

	ctx := context.Background()
	info := stdout
	if !interactive {
		info = io.Discard
	}
	fmt.Fprintf(info, "Connecting to Director %s\n", target)
	c, err := console.Dial(ctx, target, opts)
	if err != nil {
		fmt.Fprintf(stderr, "uaconsole: %v\n", err)
		return 1
	}
	defer c.Close()
	si := c.Info()
	enc := c.Encryption()
	if enc == "" {
		enc = "None"
	}
	fmt.Fprintf(info, " Encryption: %s\n", enc)
	fmt.Fprintf(info, "1000 %s\n", strings.TrimRight(si.Message, "\n"))
	if si.Info != "" {
		fmt.Fprintf(info, "%s\n", si.Info)
	}
	return loop(ctx, c, stdin, stdout, stderr, interactive, answers)
}

// loop reads command lines and prints the answers until quit/exit/EOF.
// While the Director waits for the answer to a question, the next line
// (from answers first, then from stdin) is the answer.
func loop(ctx context.Context, c *console.Client, stdin io.Reader, stdout, stderr io.Writer, interactive bool, answers []string) int {
	in := bufio.NewScanner(stdin)
	in.Buffer(make([]byte, 64<<10), bsock.MaxPayload)
	status := 0
	for {
		prompt, waiting := c.Waiting()
		var line string
		switch {
		case waiting && len(answers) > 0:
			line, answers = answers[0], answers[1:]
			fmt.Fprintf(stderr, "uaconsole: answering %q with %q (from -answers)\n", strings.TrimSpace(prompt.Text), line)
			if interactive {
				fmt.Fprintln(stdout, line)
			}
		default:
			if interactive && !waiting {
				fmt.Fprint(stdout, "*")
			}
			if !in.Scan() {
				if interactive {
					fmt.Fprintln(stdout)
				}
				if waiting {
					// Leave no command half-way: cancel the question.
					fmt.Fprintf(stderr, "uaconsole: end of input while the Director waits for input (%q): canceled\n", strings.TrimSpace(prompt.Text))
					if pkts, err := c.Answer(ctx, "."); err == nil {
						fmt.Fprint(stdout, renderPackets(pkts, c))
						for {
							if _, still := c.Waiting(); !still {
								break
							}
							pkts, err := c.Answer(ctx, ".")
							if err != nil {
								break
							}
							fmt.Fprint(stdout, renderPackets(pkts, c))
						}
					}
				}
				goto done
			}
			line = strings.TrimRight(in.Text(), "\r\n")
			if waiting && !interactive {
				fmt.Fprintf(stderr, "uaconsole: answering %q with %q\n", strings.TrimSpace(prompt.Text), line)
			}
		}
		if !waiting {
			switch strings.TrimSpace(line) {
			case "quit", "exit":
				return status
			}
		}
		pkts, err := c.CallPackets(ctx, line)
		if err != nil {
			if len(pkts) > 0 { // cut by the Director's BNET_TERMINATE
				fmt.Fprint(stdout, renderPackets(pkts, c))
			}
			fmt.Fprintf(stderr, "uaconsole: %v\n", err)
			status = 1
			continue
		}
		fmt.Fprint(stdout, renderPackets(pkts, c))
		if p, waiting := c.Waiting(); waiting && !interactive && len(answers) == 0 {
			fmt.Fprintf(stderr, "uaconsole: the Director waits for input: %q\n", strings.TrimSpace(p.Text))
		}
	}
done:
	if err := in.Err(); err != nil {
		fmt.Fprintf(stderr, "uaconsole: reading input: %v\n", err)
		return 1
	}
	return status
}

// renderPackets formats the packets of an answer for display. A selection
// list of API mode 1 (its items are packets between BNET_START_SELECT and
// BNET_END_SELECT) is shown numbered as in mode 0. An answer that ends at
// a question is shown as it is, so that the answer is typed after the
// question.
func renderPackets(pkts []bsock.Packet, c *console.Client) string {
	var b strings.Builder
	inSelect, header, n := false, false, 0
	for _, p := range pkts {
		switch p.Signal {
		case bsock.StartSelect:
			inSelect, header, n = true, true, 0
		case bsock.EndSelect:
			inSelect = false
		case 0:
			switch {
			case inSelect && header:
				b.Write(p.Data)
				header = false
			case inSelect:
				n++
				fmt.Fprintf(&b, "%d: %s\n", n, p.Data)
			default:
				b.Write(p.Data)
			}
		}
	}
	if _, waiting := c.Waiting(); waiting {
		return b.String()
	}
	return render(b.String(), c.Mode())
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
