package main

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	dirconfig "github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/uacontext"
)

// exampleConfig is the configuration directory the README starts the
// demo with.
const exampleConfig = "../../examples/config"

func noEnv(string) string { return "" }

// TestExampleConfig loads the shipped example configuration: the
// Director resource supplies name, password and address, and user1 logs
// in with the ACLs of its console and its profile.
func TestExampleConfig(t *testing.T) {
	cfg, err := parseFlags([]string{"-c", exampleConfig, "-fail-delay", "0", "-catalog-size", "30"}, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDaemon(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(d.addrs, " "); got != "127.0.0.1:9101" {
		t.Errorf("addresses %q, want the Director resource's", got)
	}
	if d.srv.Director.Name != "bareos-dir" || d.srv.DefaultKey != bsock.PasswordKey("secret") {
		t.Errorf("director %q key %q", d.srv.Director.Name, d.srv.DefaultKey)
	}
	if d.srv.MaxConsoleConnections != 20 {
		t.Errorf("MaxConsoleConnections = %d, want the Director resource's 20", d.srv.MaxConsoleConnections)
	}
	user1, err := d.srv.Consoles.LookupConsole(context.Background(), "user1")
	if err != nil {
		t.Fatal(err)
	}
	acl := user1.ACL
	if !acl.Allow(uacontext.ACLFileSet, "LinuxAll") || !acl.Allow(uacontext.ACLCommand, ".jobs") || acl.Allow(uacontext.ACLCommand, "status") {
		t.Errorf("user1 ACLs %q", acl)
	}

	addr := startDaemon(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	user, err := console.Dial(ctx, addr, console.Options{Name: "user1", Password: "pw1", JSON: true, NoReconnect: true})
	if err != nil {
		t.Fatalf("login as user1: %v", err)
	}
	defer user.Close()
	res, err := user.CallJSON(ctx, ".jobs")
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Get("jobs.#.name").String(); got != `["BackupClient1","backup-web01"]` {
		t.Errorf(".jobs as user1 = %s", got)
	}
	root, err := console.Dial(ctx, addr, console.Options{Password: "secret", NoReconnect: true})
	if err != nil {
		t.Fatalf("login as the default console: %v", err)
	}
	defer root.Close()
	if out, err := root.Call(ctx, "whoami"); err != nil || out != "root\n" {
		t.Errorf("whoami = %q, %v", out, err)
	}
}

// startDaemon serves d on a loopback port until the test ends.
func startDaemon(t *testing.T, d *daemon) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := make(chan os.Signal, 2)
	done := make(chan error, 1)
	go func() { done <- d.serve(stop, []net.Listener{ln}, io.Discard) }()
	t.Cleanup(func() {
		stop <- os.Interrupt
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// writeConfig writes files (relative names) under dir.
func writeConfig(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDirectorSettings checks what the Director resource supplies and
// that flags and the environment override it.
func TestDirectorSettings(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, map[string]string{"bareos-dir.d/director/d.conf": `Director {
  Name = mydir
  Password = "[md5]5EBE2294ECD0E0F08EAB7690D2A6EE69"
  DirAddresses = {
    ip = { addr = 127.0.0.1; port = 9111 }
    ipv6 = { addr = ::1; port = 9112 }
  }
}
`})
	tests := []struct {
		name  string
		args  []string
		env   map[string]string
		key   string
		addrs string
	}{
		{"from the Director resource", nil, nil, "5EBE2294ECD0E0F08EAB7690D2A6EE69", "127.0.0.1:9111 [::1]:9112"},
		{"flags win", []string{"-password", "pw", "-listen", "127.0.0.1:7"}, nil, bsock.PasswordKey("pw"), "127.0.0.1:7"},
		{"environment wins", nil, map[string]string{"UACONSOLED_PASSWORD": "envpw"}, bsock.PasswordKey("envpw"), "127.0.0.1:9111 [::1]:9112"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := parseFlags(append([]string{"-config", dir}, tt.args...), func(k string) string { return tt.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			d, err := newDaemon(cfg, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			if d.srv.Director.Name != "mydir" || d.srv.DefaultKey != tt.key || strings.Join(d.addrs, " ") != tt.addrs {
				t.Errorf("name %q key %q addrs %q; want key %q addrs %q", d.srv.Director.Name, d.srv.DefaultKey, d.addrs, tt.key, tt.addrs)
			}
		})
	}

	// Several listeners: a console logs in on each.
	cfg, err := parseFlags([]string{"-config", dir, "-fail-delay", "0", "-catalog-size", "5", "-password", "pw"}, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDaemon(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var lns []net.Listener
	for range 2 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	stop := make(chan os.Signal, 2)
	var stdout safeBuffer
	done := make(chan error, 1)
	go func() { done <- d.serve(stop, lns, &stdout) }()
	for _, ln := range lns {
		c, err := console.Dial(ctx, ln.Addr().String(), console.Options{Password: "pw", NoReconnect: true, Timeout: time.Minute})
		if err != nil {
			t.Fatalf("login on %s: %v", ln.Addr(), err)
		}
		c.Close()
	}
	stop <- os.Interrupt
	if err := <-done; err != nil {
		t.Errorf("serve: %v", err)
	}
	if strings.Count(stdout.String(), `Director "mydir" listening on`) != 2 {
		t.Errorf("announcement %q", stdout.String())
	}
}

// TestReload runs the daemon, changes its configuration and reloads it
// as SIGHUP does: a broken configuration is refused with its file and
// line and the old one stays; a valid one applies to new logins while a
// running session keeps its console.
func TestReload(t *testing.T) {
	dir := t.TempDir()
	consoleFile := filepath.Join(dir, "bareos-dir.d", "console", "c.conf")
	writeConfig(t, dir, map[string]string{
		"bareos-dir.d/director/d.conf": "Director { Name = bareos-dir; Password = root }\n",
		"bareos-dir.d/console/c.conf":  "Console {\n  Name = user1\n  Password = old\n  Command ACL = whoami, list, .api\n  Job ACL = *all*\n}\n",
	})
	var stdout, logs safeBuffer
	reload := make(chan os.Signal, 1)
	stop := make(chan os.Signal, 2)
	done := make(chan int, 1)
	go func() {
		done <- run(stop, reload, []string{"-c", dir, "-listen", "127.0.0.1:0", "-fail-delay", "0", "-catalog-size", "10"}, noEnv, &stdout, &logs)
	}()
	stopped := false
	stopDaemon := func() {
		if !stopped {
			stopped = true
			stop <- os.Interrupt
			if code := <-done; code != 0 {
				t.Errorf("run exited with %d\n%s", code, logs.String())
			}
		}
	}
	defer stopDaemon()
	addr := waitFor(t, &stdout, regexp.MustCompile(`listening on (\S+)`))

	cctx, ccancel := context.WithTimeout(context.Background(), time.Minute)
	defer ccancel()
	login := func(name, password string) (*console.Client, error) {
		return console.Dial(cctx, addr, console.Options{Name: name, Password: password, NoReconnect: true})
	}
	sessionA, err := login("user1", "old")
	if err != nil {
		t.Fatalf("login before reload: %v", err)
	}
	defer sessionA.Close()

	// A broken configuration is refused; the old one stays.
	writeConfig(t, dir, map[string]string{"bareos-dir.d/console/c.conf": "Console {\n  Name = user1\n  Pasword = new\n}\n"})
	reload <- syscallHUP
	waitFor(t, &logs, regexp.MustCompile(`configuration reload failed; keeping the previous configuration.*`+regexp.QuoteMeta(consoleFile)+`:3: directive \\"Pasword\\" is not permitted`))
	if c, err := login("user1", "old"); err != nil {
		t.Errorf("old password refused after a failed reload: %v", err)
	} else {
		c.Close()
	}

	// A valid one applies to new logins.
	writeConfig(t, dir, map[string]string{
		"bareos-dir.d/console/c.conf":  "Console {\n  Name = user1\n  Password = new\n  Command ACL = whoami\n}\n",
		"bareos-dir.d/console/c2.conf": "Console { Name = user2; Password = two; Command ACL = whoami }\n",
	})
	reload <- syscallHUP
	waitFor(t, &logs, regexp.MustCompile(`configuration reloaded.* consoles=2`))
	for _, l := range []struct {
		name, password string
		ok             bool
	}{{"user1", "new", true}, {"user1", "old", false}, {"user2", "two", true}} {
		c, err := login(l.name, l.password)
		if (err == nil) != l.ok {
			t.Errorf("login %s/%s after reload: %v, want ok=%v", l.name, l.password, err, l.ok)
		}
		if err == nil {
			if out, err := c.Call(cctx, "whoami"); err != nil || out != l.name+"\n" {
				t.Errorf("whoami as %s = %q, %v", l.name, out, err)
			}
			c.Close()
		}
	}
	// The running session keeps its console and its ACLs.
	if out, err := sessionA.Call(cctx, "list jobs limit=1"); err != nil || !strings.Contains(out, "jobid") {
		t.Errorf("session before the reload lost its console: %q, %v", out, err)
	}

	// Stopping the daemon ends the sessions of every configuration.
	stopDaemon()
	if out, err := sessionA.Call(cctx, "whoami"); err == nil {
		t.Errorf("session of the first configuration survived the stop: %q", out)
	}
}

// syscallHUP stands for SIGHUP on the reload channel.
var syscallHUP os.Signal = hupSignal{}

type hupSignal struct{}

func (hupSignal) String() string { return "hangup" }
func (hupSignal) Signal()        {}

// waitFor waits until re matches the text of b and returns its first
// group (or the match).
func waitFor(t *testing.T, b *safeBuffer, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m[len(m)-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s in:\n%s", re, b.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestConsolesSwitch checks the ConsoleSource over the current
// configuration and the warning about Director changes.
func TestConsolesSwitch(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "c.conf")
	writeConfig(t, dir, map[string]string{"c.conf": "Director { Name = d; Password = p }\nConsole { Name = a; Password = x }\n"})
	first, err := dirconfig.Load(conf, dirconfig.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs safeBuffer
	c := newConsoles(first, conf, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	if got, err := c.LookupConsole(ctx, "a"); err != nil || got.Name != "a" || c.count() != 1 {
		t.Fatalf("LookupConsole(a) = %+v, %v", got, err)
	}
	writeConfig(t, dir, map[string]string{"c.conf": "Director { Name = d; Password = changed }\nConsole { Name = b; Password = x }\n"})
	if err := c.reload(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LookupConsole(ctx, "a"); !errors.Is(err, uacontext.ErrUnknownConsole) {
		t.Errorf("a after reload: %v", err)
	}
	if got, err := c.LookupConsole(ctx, "b"); err != nil || got.Name != "b" {
		t.Errorf("LookupConsole(b) = %+v, %v", got, err)
	}
	if !strings.Contains(logs.String(), "the Director resource changed") {
		t.Errorf("no warning about the changed Director:\n%s", logs.String())
	}
	none := newConsoles(nil, "", slog.New(slog.DiscardHandler))
	if _, err := none.LookupConsole(ctx, "a"); !errors.Is(err, uacontext.ErrUnknownConsole) || none.count() != 0 {
		t.Errorf("without a configuration: %v", err)
	}
	if err := none.reload(); err != nil {
		t.Errorf("reload without a configuration: %v", err)
	}
}

// TestMaxConsoleConnections checks the Director's limit: beyond Maximum
// Console Connections named consoles are refused, the default console is
// admitted, and a closed connection makes room again.
func TestMaxConsoleConnections(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, map[string]string{"bareos-dir.conf": `Director {
  Name = bareos-dir; Password = root
  Maximum Console Connections = 2
}
Console { Name = user1; Password = pw1; Command ACL = whoami }
`})
	cfg, err := parseFlags([]string{"-c", dir, "-listen", "127.0.0.1:0", "-fail-delay", "0", "-catalog-size", "5"}, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var logs safeBuffer
	d, err := newDaemon(cfg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	addr := startDaemon(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	login := func(name, password string) (*console.Client, error) {
		return console.Dial(ctx, addr, console.Options{Name: name, Password: password, NoReconnect: true})
	}
	first, err := login("user1", "pw1")
	if err != nil {
		t.Fatal(err)
	}
	second, err := login("", "root")
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	if c, err := login("user1", "pw1"); err == nil {
		c.Close()
		t.Error("a third connection logged in as a named console beyond the maximum of 2")
	}
	third, err := login("", "root")
	if err != nil {
		t.Fatalf("the default console is refused beyond the maximum: %v", err)
	}
	defer third.Close()
	if out, err := third.Call(ctx, "whoami"); err != nil || out != "root\n" {
		t.Errorf("whoami = %q, %v", out, err)
	}
	if !strings.Contains(logs.String(), "number of console connections exceeded") {
		t.Errorf("the refusal is not logged:\n%s", logs.String())
	}

	// Closing two connections makes room for a named console again.
	first.Close()
	third.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := login("user1", "pw1")
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("user1 still refused after connections closed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestMaxConsoleConnectionsZero: with Maximum Console Connections = 0 the
// Director refuses every named console and admits the default console.
func TestMaxConsoleConnectionsZero(t *testing.T) {
	dir := t.TempDir()
	writeConfig(t, dir, map[string]string{"bareos-dir.conf": `Director {
  Name = bareos-dir; Password = root
  Maximum Console Connections = 0
}
Console { Name = user1; Password = pw1; Command ACL = whoami }
`})
	cfg, err := parseFlags([]string{"-c", dir, "-fail-delay", "0", "-catalog-size", "5"}, noEnv, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	d, err := newDaemon(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	addr := startDaemon(t, d)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if c, err := console.Dial(ctx, addr, console.Options{Name: "user1", Password: "pw1", NoReconnect: true}); err == nil {
		c.Close()
		t.Error("a named console logged in with Maximum Console Connections = 0")
	}
	root, err := console.Dial(ctx, addr, console.Options{Password: "root", NoReconnect: true})
	if err != nil {
		t.Fatalf("the default console is refused: %v", err)
	}
	root.Close()

	// The flag overrides the Director resource.
	cfg.maxConsoles, cfg.maxSet = 5, true
	d, err = newDaemon(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if d.srv.MaxConsoleConnections != 5 || d.cons.refuseNamed {
		t.Errorf("with -max-console-connections 5: %d, refuse named %v", d.srv.MaxConsoleConnections, d.cons.refuseNamed)
	}
}
