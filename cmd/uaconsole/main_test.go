package main

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/demo"
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
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-tls=false"}, input,
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
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-password", "pw", "-json", "-tls=false"}, "whoami\n", nil, true)
	if code != 0 || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, s := range []string{
		"Connecting to Director " + addr + "\n",
		" Encryption: None\n",
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
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-tls=false"}, "whoami\n", nil, false)
	if code != 1 || out != "" || !strings.Contains(errOut, "unknown console or wrong password") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-protocol", "5"}, {"extra"}, {"-nosuchflag"}, {"-D", "x"}} {
		if code, _, _ := runConsole(t, args, "", nil, false); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
}

// demoAddr serves the demo Director on loopback.
func demoAddr(t *testing.T) string {
	t.Helper()
	srv, err := demo.NewServer(demo.Config{Password: "pw", CatalogSize: 60, RunDuration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return ln.Addr().String()
}

func TestScriptedAnswers(t *testing.T) {
	addr := demoAddr(t)
	input := "run job=BackupClient1\nmod\n1\n1\nyes\nlist jobs jobid=61 \n"
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-password", "pw"}, input, nil, false)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, s := range []string{"OK to run? (yes/mod/no): ", "Select level (1-5): ", "Level:    Full\n", "Job queued. JobId=61\n", "| 61 | BackupClient1"} {
		if !strings.Contains(out, s) && !strings.Contains(strings.Join(strings.Fields(out), " "), strings.Join(strings.Fields(s), " ")) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	for _, s := range []string{
		`uaconsole: the Director waits for input: "OK to run? (yes/mod/no):"`,
		`uaconsole: answering "OK to run? (yes/mod/no):" with "mod"`,
		`uaconsole: answering "Select level (1-5):" with "1"`,
	} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
}

func TestAnswersFileAndCancelAtEOF(t *testing.T) {
	addr := demoAddr(t)
	file := filepath.Join(t.TempDir(), "answers")
	if err := os.WriteFile(file, []byte("mod\n8\n7\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The answers set the priority; the input ends at the next question,
	// which is canceled: the job does not run.
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-password", "pw", "-answers", file}, "run job=backup-web01\n", nil, false)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if !strings.Contains(out, "Priority: 7\n") || !strings.HasSuffix(out, "Job not run.\n") {
		t.Errorf("output:\n%s", out)
	}
	for _, s := range []string{`answering "Enter new Priority:" with "7" (from -answers)`, "end of input while the Director waits for input"} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
	if code, _, errOut := runConsole(t, []string{"-addr", addr, "-answers", filepath.Join(t.TempDir(), "none")}, "", nil, false); code != 2 || !strings.Contains(errOut, "no such file") {
		t.Errorf("missing answers file: exit %d, %q", code, errOut)
	}
}

func TestInteractivePrompt(t *testing.T) {
	addr := demoAddr(t)
	code, out, errOut := runConsole(t, []string{"-addr", addr, "-password", "pw"}, ".api 1\nrun job=BackupClient1\nmod\n.\n", nil, true)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	// Mode 1: the selection list is numbered, the question is shown
	// without a "*" prompt before the answer.
	for _, s := range []string{"OK to run? (yes/mod/no): Parameters to modify:\n1: Level\n2: Storage\n", "10: Plugin Options\nSelect parameter to modify (1-10): Selection aborted, nothing done.\nJob not run.\n*"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
}

// TestTLS logs in to the demo Director over TLS-PSK, as bconsole does by
// default, with the settings of a bconsole configuration.
func TestTLS(t *testing.T) {
	addr := demoAddr(t)
	host, port, _ := net.SplitHostPort(addr)
	dir := t.TempDir()
	conf := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	director := "Director {\n Name = bareos-dir\n Address = " + host + "\n DIRport = " + port + "\n Password = pw\n"
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"flags", []string{"-addr", addr, "-password", "pw"}, " Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3\n"},
		{"default configuration", []string{"-c", conf("default.conf", director+"}\n")}, " Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3\n"},
		{"TLS 1.2", []string{"-c", conf("tls12.conf", director+" TLS Protocol = \"-ALL,TLSv1.2\"\n}\n")}, " Encryption: ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2\n"},
		{"TLS 1.2 cipher list", []string{"-c", conf("list.conf", director+" TLS Protocol = \"-ALL,TLSv1.2\"; TLS Cipher List = PSK-AES256-GCM-SHA384\n}\n")}, " Encryption: PSK-AES256-GCM-SHA384 TLSv1.2\n"},
		{"md5 password", []string{"-c", conf("md5.conf", "Director {\n Name = bareos-dir\n Address = "+host+"\n DIRport = "+port+"\n Password = \"[md5]"+bsock.PasswordKey("pw")+"\"\n}\n")}, " Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3\n"},
		{"TLS Enable = no", []string{"-c", conf("clear.conf", director+" TLS Enable = no\n}\n")}, " Encryption: None\n"},
		{"-tls=false", []string{"-addr", addr, "-password", "pw", "-tls=false"}, " Encryption: None\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runConsole(t, tt.args, "whoami\n", nil, true)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			if !strings.Contains(out, tt.want) || !strings.Contains(out, "*root\n") {
				t.Errorf("output lacks %q and root:\n%s", tt.want, out)
			}
		})
	}
	t.Run("wrong password", func(t *testing.T) {
		code, _, errOut := runConsole(t, []string{"-addr", addr, "-password", "nope"}, "whoami\n", nil, false)
		if code != 1 || !strings.Contains(errOut, "the Director refused the TLS handshake for console \"*UserAgent*\" (wrong password") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
	t.Run("bad configuration", func(t *testing.T) {
		code, _, errOut := runConsole(t, []string{"-c", conf("bad.conf", director+" TLS Protocol = \"-ALL,TLSv1.1\"\n}\n")}, "", nil, false)
		if code != 1 || !strings.Contains(errOut, "bad.conf:1:") || !strings.Contains(errOut, "TLS Protocol") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
	})
}
