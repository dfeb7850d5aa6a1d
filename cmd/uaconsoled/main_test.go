package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/uaformat/uaformat/console"
)

const testConfig = `
# consoles of the smoke test
Profile {
  Name = reader
  Command ACL = .jobs, .clients, list, llist, whoami, .api
}
Console {
  Name = user1
  Password = "pw1"
  Profile = reader
  Job ACL = BackupClient1
  Client ACL = bareos-fd
  Pool ACL = Full
}
`

func TestParseFlags(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := parseFlags(nil, env(nil), io.Discard)
	if err != nil || cfg.listen != "127.0.0.1:9101" || cfg.password != "secret" || cfg.catalogSize != 250 ||
		cfg.listenSet || cfg.passwordSet || cfg.configPath != "" {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
	cfg, err = parseFlags(nil, env(map[string]string{"UACONSOLED_PASSWORD": "fromenv"}), io.Discard)
	if err != nil || cfg.password != "fromenv" || !cfg.passwordSet {
		t.Errorf("env password: %+v, %v", cfg, err)
	}
	cfg, err = parseFlags([]string{"-password", "x", "-catalog-size", "10", "-listen", "127.0.0.1:0"},
		env(map[string]string{"UACONSOLED_PASSWORD": "fromenv"}), io.Discard)
	if err != nil || cfg.password != "x" || cfg.catalogSize != 10 || cfg.listen != "127.0.0.1:0" || !cfg.listenSet || !cfg.passwordSet {
		t.Errorf("flags: %+v, %v", cfg, err)
	}
	if cfg, err := parseFlags([]string{"-max-console-connections", "5"}, env(nil), io.Discard); err != nil || cfg.maxConsoles != 5 || !cfg.maxSet {
		t.Errorf("-max-console-connections: %+v, %v", cfg, err)
	}
	for _, args := range [][]string{{"-c", "dir"}, {"-config", "dir"}, {"--c=dir"}} {
		if cfg, err := parseFlags(args, env(nil), io.Discard); err != nil || cfg.configPath != "dir" {
			t.Errorf("parseFlags(%q): %+v, %v", args, cfg, err)
		}
	}
	for _, bad := range [][]string{{"-catalog-size", "0"}, {"-password", ""}, {"-listen", ""}, {"extra"}, {"-nosuchflag"}} {
		if _, err := parseFlags(bad, env(nil), io.Discard); err == nil {
			t.Errorf("parseFlags(%q) succeeded", bad)
		}
	}
}

// safeBuffer is a bytes.Buffer for concurrent writers.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestSmoke(t *testing.T) {
	dir := t.TempDir()
	confPath := filepath.Join(dir, "consoles.conf")
	if err := os.WriteFile(confPath, []byte(testConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := parseFlags([]string{"-password", "pw-Zq7x", "-config", confPath, "-catalog-size", "30", "-fail-delay", "0"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var logs safeBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	d, err := newDaemon(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan os.Signal, 2)
	var stdout safeBuffer
	done := make(chan error, 1)
	go func() { done <- d.serve(stop, []net.Listener{ln}, &stdout) }()
	defer func() {
		stop <- syscall.SIGTERM
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	}()
	addr := ln.Addr().String()

	cctx, ccancel := context.WithTimeout(context.Background(), time.Minute)
	defer ccancel()

	// The default console, text mode.
	root, err := console.Dial(cctx, addr, console.Options{Password: "pw-Zq7x", NoReconnect: true})
	if err != nil {
		t.Fatalf("login as default console: %v", err)
	}
	defer root.Close()
	if out, err := root.Call(cctx, "whoami"); err != nil || out != "root\n" {
		t.Errorf("whoami = %q, %v", out, err)
	}
	out, err := root.Call(cctx, "list jobs limit=3")
	if err != nil || !strings.HasPrefix(out, "+-------+") || strings.Count(out, "\n") != 3+3+1 {
		t.Errorf("list jobs:\n%s(%v)", out, err)
	}

	// A named console in JSON mode sees only what its ACLs allow.
	user, err := console.Dial(cctx, addr, console.Options{Name: "user1", Password: "pw1", JSON: true, NoReconnect: true})
	if err != nil {
		t.Fatalf("login as user1: %v", err)
	}
	defer user.Close()
	res, err := user.CallJSON(cctx, ".jobs")
	if err != nil {
		t.Fatalf(".jobs: %v", err)
	}
	if got := res.Get("jobs.#.name").String(); got != `["BackupClient1"]` {
		t.Errorf(".jobs as user1 = %s", got)
	}
	res, err = user.CallJSON(cctx, "list jobs")
	if err != nil {
		t.Fatalf("list jobs: %v", err)
	}
	for _, n := range res.Get("jobs.#.name").Array() {
		if n.String() != "BackupClient1" {
			t.Errorf("user1 sees job %s", n.String())
		}
	}
	if _, err := user.CallJSON(cctx, "status dir"); err == nil {
		t.Error("status is not in user1's Command ACL")
	}

	// A wrong password is refused.
	if c, err := console.Dial(cctx, addr, console.Options{Name: "user1", Password: "wrong", NoReconnect: true, Protocol: 0}); err == nil {
		c.Close()
		t.Error("login with a wrong password succeeded")
	}

	if !strings.Contains(stdout.String(), "listening on "+addr) || !strings.Contains(stdout.String(), "password: the -password flag's") {
		t.Errorf("announcement: %q", stdout.String())
	}
	if strings.Contains(stdout.String()+logs.String(), "pw-Zq7x") {
		t.Errorf("the password is printed:\n%s%s", stdout.String(), logs.String())
	}
	if !strings.Contains(logs.String(), "console logged in") {
		t.Errorf("no login log record:\n%s", logs.String())
	}
}

func TestRunBadConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.conf")
	if err := os.WriteFile(p, []byte("Console {\n Name = a\n Bogus = 1\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := run(nil, nil, []string{"-config", p, "-listen", "127.0.0.1:0"}, func(string) string { return "" }, io.Discard, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "bad.conf:3") {
		t.Errorf("code %d, stderr %q", code, stderr.String())
	}
	if code := run(nil, nil, []string{"-catalog-size", "-1"}, func(string) string { return "" }, io.Discard, io.Discard); code != 2 {
		t.Errorf("bad flag: code %d", code)
	}
}

func TestRunShutdown(t *testing.T) {
	stop := make(chan os.Signal, 1)
	stop <- os.Interrupt // already stopped: run listens, serves nothing and returns
	var stdout bytes.Buffer
	if code := run(stop, nil, []string{"-listen", "127.0.0.1:0", "-catalog-size", "5"}, func(string) string { return "" }, &stdout, io.Discard); code != 0 {
		t.Errorf("code %d", code)
	}
}

// TestSIGTERM builds the daemon, runs it as its own process, and sends it
// SIGTERM while a console is connected: it must exit with status 0 and
// log its graceful stop.
func TestSIGTERM(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the daemon")
	}
	bin := buildDaemon(t)
	cmd := exec.Command(bin, "-listen", "127.0.0.1:0", "-password", "pw", "-catalog-size", "5", "-shutdown-grace", "10s")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr safeBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer cmd.Process.Kill()

	line, err := bufio.NewReader(stdout).ReadString('\n')
	_, addr, ok := strings.Cut(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("announcement %q: %v; stderr:\n%s", line, err, stderr.String())
	}
	go io.Copy(io.Discard, stdout)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := console.Dial(ctx, addr, console.Options{Password: "pw", NoReconnect: true})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if out, err := c.Call(ctx, "whoami"); err != nil || out != "root\n" {
		t.Fatalf("whoami = %q, %v", out, err)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the daemon did not exit within 30 s of SIGTERM; stderr:\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("no graceful stop in the log:\n%s", stderr.String())
	}
}
