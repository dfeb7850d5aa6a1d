package demo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

func TestNewServerErrors(t *testing.T) {
	if _, err := demo.NewServer(demo.Config{}); err == nil {
		t.Error("NewServer without a password succeeded")
	}
	_, err := demo.NewServer(demo.Config{Password: "x", ConfigText: "Console {\n  Name = a\n  Pasword = b\n}\n"})
	var cerr *config.Error
	if !errors.As(err, &cerr) || cerr.Pos.Line != 3 || !errors.Is(err, config.ErrUnknownDirective) {
		t.Errorf("bad config: err = %v, want a *config.Error on line 3", err)
	}
	src := uacontext.ConsoleSourceFunc(func(context.Context, string) (*uacontext.Console, error) { return nil, uacontext.ErrUnknownConsole })
	if _, err := demo.NewServer(demo.Config{Password: "x", Consoles: src, ConfigText: "Console { Name = a; Password = b }"}); err == nil {
		t.Error("Consoles together with ConfigText accepted")
	}
	if _, err := demo.NewServer(demo.Config{Password: "x", ConfigFile: "/nonexistent/uaformat.conf"}); err == nil {
		t.Error("missing config file accepted")
	}
}

// TestDemoConsoles logs in as the default and as a named console and
// checks that the named console's ACLs apply.
func TestDemoConsoles(t *testing.T) {
	srv, err := demo.NewServer(demo.Config{Password: "secret", ConfigText: `
Console { Name = user1; Password = "pw1"; Command ACL = whoami, .jobs, .api; Job ACL = BackupClient1 }`})
	if err != nil {
		t.Fatal(err)
	}
	if c, err := srv.Consoles.LookupConsole(context.Background(), "user1"); err != nil || c.Name != "user1" {
		t.Fatalf("console user1 = %+v, %v", c, err)
	}
	if _, err := srv.Consoles.LookupConsole(context.Background(), "nobody"); !errors.Is(err, uacontext.ErrUnknownConsole) {
		t.Errorf("unknown console: %v", err)
	}
	addr := startServer(t, srv)
	root := dial(t, addr, true)
	all, err := root.CallJSON(context.Background(), ".jobs")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(all.Get("jobs").Array()); n < 2 {
		t.Fatalf("root sees %d jobs", n)
	}
	user := dialAs(t, addr, "user1", "pw1")
	jobs, err := user.CallJSON(context.Background(), ".jobs")
	if err != nil {
		t.Fatal(err)
	}
	if got := jobs.Get("jobs.#.name").String(); got != `["BackupClient1"]` {
		t.Errorf("user1 sees jobs %s, want only BackupClient1", got)
	}
}

// TestShowConfiguration checks that show prints the configuration's
// Director, Console and Profile resources next to the sample's, and that
// a console that may not configure sees neither them nor passwords.
func TestShowConfiguration(t *testing.T) {
	srv, err := demo.NewServer(demo.Config{Password: "secret", ConfigText: `
Director { Name = test-dir; Password = "[md5]0123456789abcdef0123456789abcdef"; Maximum Concurrent Jobs = 3 }
Profile { Name = reader; Description = "reads"; Command ACL = show, .api; Client ACL = *all* }
Console { Name = user1; Password = "pw1"; Profile = reader; Job ACL = BackupClient1; TLS Enable = no }`})
	if err != nil {
		t.Fatal(err)
	}
	addr := startServer(t, srv)
	ctx := context.Background()
	root := dial(t, addr, true)
	res, err := root.CallJSON(ctx, "show all")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"directors.test-dir.password":              "[md5]0123456789abcdef0123456789abcdef",
		"directors.test-dir.maximumconcurrentjobs": "3",
		"profiles.reader.description":              "reads",
		"profiles.reader.commandacl":               `["show",".api"]`,
		"consoles.user1.password":                  "pw1",
		"consoles.user1.profile":                   `["reader"]`,
		"consoles.user1.tlsenable":                 "false",
		"clients.bareos-fd.address":                "localhost",
	} {
		if got := res.Get(strings.ReplaceAll(path, "-", "\\-")).String(); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
	verbose, err := root.CallJSON(ctx, "show consoles verbose")
	if err != nil {
		t.Fatal(err)
	}
	if got := verbose.Get(`consoles.\*UserAgent\*.password`).String(); got != "[md5]0123456789abcdef0123456789abcdef" {
		t.Errorf("*UserAgent* password %q", got)
	}
	user := dialAs(t, addr, "user1", "pw1")
	if _, err := user.Call(ctx, ".api 2"); err != nil {
		t.Fatal(err)
	}
	res, err = user.CallJSON(ctx, "show all")
	if err != nil {
		t.Fatal(err)
	}
	for _, group := range []string{"directors", "consoles", "profiles", "messages", "pools"} {
		if res.Get(group).Exists() {
			t.Errorf("user1 sees %s: %s", group, res.Get(group).Raw)
		}
	}
	if got := res.Get(`clients.bareos\-fd.password`).String(); got != "****************" {
		t.Errorf("user1 sees the password %q", got)
	}
	if got := res.Get("jobs.@keys").String(); got != `["BackupClient1"]` {
		t.Errorf("user1 sees jobs %s", got)
	}
}

// TestShowEnabled: enable and disable change the running configuration
// that show prints, as in the Director.
func TestShowEnabled(t *testing.T) {
	srv, err := demo.NewServer(demo.Config{Password: "secret", CatalogSize: 10})
	if err != nil {
		t.Fatal(err)
	}
	addr := startServer(t, srv)
	ctx := context.Background()
	c := dial(t, addr, true)
	enabled := func(line, path string) string {
		t.Helper()
		res, err := c.CallJSON(ctx, line)
		if err != nil {
			t.Fatal(err)
		}
		return res.Get(path).Raw
	}
	if got := enabled("show job=backup-web01", `jobs.backup\-web01.enabled`); got != "" {
		t.Fatalf("an enabled job shows Enabled = %s", got)
	}
	if got := enabled("show disabled", `disabled.clients.#(=="laptop-fd")`); got != `"laptop-fd"` {
		t.Fatalf("laptop-fd is not disabled in the sample: %s", got)
	}
	for _, line := range []string{"disable job=backup-web01 yes", "disable client=web01-fd yes", "enable client=laptop-fd yes"} {
		if _, err := c.Call(ctx, line); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
	}
	for _, tc := range []struct{ line, path, want string }{
		{"show job=backup-web01", `jobs.backup\-web01.enabled`, "false"},
		{"show client=web01-fd", `clients.web01\-fd.enabled`, "false"},
		{"show client=laptop-fd", `clients.laptop\-fd.enabled`, ""}, // Enabled = yes is the default
		{"show disabled", `disabled.jobs.#(=="backup-web01")`, `"backup-web01"`},
		{"show disabled", `disabled.clients.#(=="laptop-fd")`, ""},
		{"show disabled", `disabled.clients.#(=="web01-fd")`, `"web01-fd"`},
	} {
		if got := enabled(tc.line, tc.path); got != tc.want {
			t.Errorf("%s: %s = %q, want %q", tc.line, tc.path, got, tc.want)
		}
	}
}
