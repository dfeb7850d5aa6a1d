package main

import (
	"bytes"
	"context"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/bsock"
)

// miniDirector serves a few commands in modes 0 and 2 and records what it
// received.
func miniDirector(t *testing.T) (addr string, received func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var cmds []string
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := bsock.NewConn(nc)
				defer c.Close()
				_, err := bsock.ServerHandshake(context.Background(), c, bsock.ServerConfig{
					DirectorName: "mini-dir", Version: "25.0.0", Date: "21 August 2026", Banner: "Mini",
					Lookup: func(n string) (string, bool) {
						return bsock.PasswordKey("pw"), n == bsock.DefaultConsoleName
					},
				})
				if err != nil {
					return
				}
				api := 0
				for {
					if api != 0 {
						_ = c.Signal(bsock.MainPrompt)
					}
					p, err := c.Recv()
					if err != nil {
						return
					}
					cmd := string(p.Data)
					mu.Lock()
					cmds = append(cmds, cmd)
					mu.Unlock()
					switch cmd {
					case ".api 2", ".api json", ".api json compact=yes":
						api = 2
						_ = c.Signal(bsock.CmdOK)
						_ = c.Send([]byte(`{"jsonrpc":"2.0","id":null,"result":{"api":2}}`))
					case ".api 0":
						api = 0
						_ = c.Send([]byte("api: 0\n"))
					case "whoami":
						if api == 2 {
							_ = c.Send([]byte(`{"jsonrpc":"2.0","id":null,"result":{"whoami":"röot"}}`))
						} else {
							_ = c.Send([]byte("root\n"))
						}
					case "noline":
						_ = c.Send([]byte("no newline"))
					}
					if api == 0 {
						_ = c.Signal(bsock.EOD)
					}
				}
			}()
		}
	}()
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), cmds...)
	}
}

func runConsole(t *testing.T, args []string, input string, env map[string]string, interactive bool) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(input), &out, &errOut, func(k string) string { return env[k] }, interactive)
	return code, out.String(), errOut.String()
}

func TestScript(t *testing.T) {
	addr, received := miniDirector(t)
	input := "whoami\nnoline\n.api 2\nwhoami\n.api 0\nwhoami\r\nquit\nwhoami\n"
	code, out, errOut := runConsole(t, []string{"-addr", addr}, input,
		map[string]string{"UACONSOLED_PASSWORD": "pw"}, false)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	want := "root\n" +
		"no newline\n" +
		"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"api\": 2\n  }\n}\n" +
		"{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"whoami\": \"röot\"\n  }\n}\n" +
		"api: 0\n" +
		"root\n"
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("output (-want +got):\n%s", diff)
	}
	wantCmds := []string{"autodisplay off", "whoami", "noline", ".api 2", "whoami", ".api 0", "whoami"}
	if diff := cmp.Diff(wantCmds, received()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestInteractiveAndJSONFlag(t *testing.T) {
	addr, received := miniDirector(t)
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-password", "pw", "-json"}, "whoami\n", nil, true)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, s := range []string{
		"Connecting to Director " + addr + "\n",
		"1000 OK: mini-dir Version: 25.0.0 (21 August 2026)\n",
		"Mini\nYou are connected using the default console\n",
		"*{\n  \"jsonrpc\": \"2.0\",",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if !strings.HasSuffix(out, "}\n*\n") {
		t.Errorf("output does not end with a prompt at EOF:\n%q", out)
	}
	wantCmds := []string{".api json", ".api json compact=yes", "whoami"}
	if diff := cmp.Diff(wantCmds, received()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestLoginFailure(t *testing.T) {
	addr, _ := miniDirector(t)
	code, out, errOut := runConsole(t, []string{"-addr", addr}, "whoami\n", nil, false)
	if code != 1 || out != "" || !strings.Contains(errOut, "authentication failed") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-protocol", "5"}, {"extra"}, {"-nosuchflag"}} {
		if code, _, _ := runConsole(t, args, "", nil, false); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}
