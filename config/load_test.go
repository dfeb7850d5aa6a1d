package config

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/uacontext"
)

// layoutFiles are the files of testdata/layout/etc/bareos/bareos-dir.d in
// the order the Director reads them: glob(3) sorts the matches of
// bareos-dir.d/*/*.conf and the lexer stacks them, so the last is read
// first. Hidden files and files not ending in .conf are not read.
var layoutFiles = []string{
	"user/alice.conf",
	"storage/File.conf",
	"schedule/WeeklyCycle.conf",
	"profile/webui-readonly.conf",
	"profile/webui-admin.conf",
	"profile/operator.conf",
	"pool/Incremental.conf",
	"pool/Full.conf",
	"messages/Standard.conf",
	"messages/Daemon.conf",
	"jobdefs/DefaultJob.conf",
	"job/RestoreFiles.conf",
	"job/BackupCatalog.conf",
	"fileset/Windows All Drives.conf",
	"fileset/LinuxAll.conf",
	"director/bareos-dir.conf",
	"console/operator.conf",
	"console/bareos-mon.conf",
	"console/admin.conf",
	"client/bareos-fd.conf",
	"catalog/MyCatalog.conf",
}

// TestLoadDirectoryLayout loads a tree in the layout of a packaged Bareos
// installation, once from the operating system and once through
// Options.FS.
func TestLoadDirectoryLayout(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		opts       Options
		prefix     string // of the file names
	}{
		{"os", "testdata/layout/etc/bareos", Options{}, "testdata/layout/etc/bareos/bareos-dir.d/"},
		{"os with Dir", "etc/bareos/", Options{Dir: "testdata/layout"}, "testdata/layout/etc/bareos/bareos-dir.d/"},
		{"fs", "/etc/bareos", Options{FS: os.DirFS("testdata/layout")}, "/etc/bareos/bareos-dir.d/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			tc.opts.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			cfg, err := Load(tc.path, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, f := range layoutFiles {
				want = append(want, tc.prefix+f)
			}
			if diff := cmp.Diff(want, cfg.Files); diff != "" {
				t.Errorf("files (-want +got):\n%s", diff)
			}

			d := cfg.Director
			if d == nil || d.Name != "bareos-dir" || d.Password.Raw != "dirsecret" || d.MaxConsoleConnections != 8 ||
				d.MaxConcurrentJobs != 10 || d.TLS.Enable || !d.TLS.Require || !d.Auditing || d.Messages != "Daemon" {
				t.Errorf("director = %+v", d)
			}
			if got := d.ListenAddresses(); !cmp.Equal(got, []string{"127.0.0.1:9101"}) {
				t.Errorf("ListenAddresses = %q", got)
			}
			if d.Pos != (Position{File: tc.prefix + "director/bareos-dir.conf", Line: 2}) {
				t.Errorf("director at %s", d.Pos)
			}
			var names []string
			for _, c := range cfg.Consoles {
				names = append(names, c.Name)
			}
			if want := []string{"op1", "bareos-mon", "admin"}; !cmp.Equal(names, want) {
				t.Errorf("consoles %q, want %q", names, want)
			}
			names = names[:0]
			for _, p := range cfg.Profiles {
				names = append(names, p.Name)
			}
			if want := []string{"webui-readonly", "webui-admin", "operator"}; !cmp.Equal(names, want) {
				t.Errorf("profiles %q, want %q", names, want)
			}
			if len(cfg.Users) != 1 || cfg.Users[0].Name != "alice" {
				t.Errorf("users %+v", cfg.Users)
			}

			// Every skipped resource is noticed with its file and line.
			skipped := map[string]bool{}
			for _, n := range cfg.Notices {
				if n.Level != slog.LevelDebug || !strings.HasSuffix(n.Msg, "resource skipped (not used by the console layer)") {
					t.Errorf("unexpected notice %s", n)
				}
				skipped[strings.TrimPrefix(n.Pos.File, tc.prefix)] = true
			}
			for _, f := range layoutFiles {
				typ := f[:strings.IndexByte(f, '/')]
				if want := typ != "console" && typ != "profile" && typ != "director" && typ != "user"; skipped[f] != want {
					t.Errorf("%s: skipped %v, want %v", f, skipped[f], want)
				}
			}
			if !strings.Contains(logs.String(), `msg="config: Messages resource skipped (not used by the console layer)" file=`+tc.prefix+"messages/Daemon.conf line=1") {
				t.Errorf("log does not name the skipped Messages resource:\n%s", logs.String())
			}

			admin, err := cfg.LookupConsole(context.Background(), "admin")
			if err != nil {
				t.Fatal(err)
			}
			if admin.Key != "21232f297a57a5a743894a0e4a801fc3" || admin.ACL.Allow(uacontext.ACLCommand, "delete") ||
				!admin.ACL.Allow(uacontext.ACLCommand, "list") || !admin.ACL.Allow(uacontext.ACLJob, "BackupCatalog") {
				t.Errorf("admin = %+v", admin)
			}
			op, err := cfg.LookupConsole(context.Background(), "op1")
			if err != nil {
				t.Fatal(err)
			}
			if op.ACL.Allow(uacontext.ACLJob, "BackupCatalog") || !op.ACL.Allow(uacontext.ACLJob, "RestoreFiles") {
				t.Errorf("op1 job ACL = %q", op.ACL[uacontext.ACLJob])
			}
		})
	}
}

// TestLoadClassic loads a directory with a bareos-dir.conf, which wins
// over bareos-dir.d/, and follows its @includes: inside a resource, a
// glob (read last match first), a quoted path, an unmatched wildcard.
func TestLoadClassic(t *testing.T) {
	cfg, err := Load("/etc/bareos", Options{FS: os.DirFS("testdata/classic")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/etc/bareos/bareos-dir.conf",
		"/etc/bareos/conf.d/director-extra.inc",
		"/etc/bareos/conf.d/b-console.conf",
		"/etc/bareos/conf.d/a-console.conf",
		"/etc/bareos/conf.d/with space.inc",
	}
	if diff := cmp.Diff(want, cfg.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	d := cfg.Director
	if d.Name != "classic-dir" || d.MaxConsoleConnections != 3 || d.Description != "from an include" || d.DirPort != 9191 {
		t.Errorf("director = %+v", d)
	}
	if len(cfg.Consoles) != 2 || cfg.Consoles[0].Name != "from-b" || cfg.Consoles[1].Name != "from-a" {
		t.Errorf("consoles = %+v", cfg.Consoles)
	}
	if cfg.Consoles[0].Pos != (Position{File: "/etc/bareos/conf.d/b-console.conf", Line: 1}) {
		t.Errorf("console position %s", cfg.Consoles[0].Pos)
	}
	if len(cfg.Profiles) != 1 || cfg.Profiles[0].Name != "spaced" {
		t.Errorf("profiles = %+v", cfg.Profiles)
	}
	if len(cfg.Notices) != 1 || cfg.Notices[0].Pos != (Position{File: "/etc/bareos/bareos-dir.conf", Line: 12}) ||
		!strings.Contains(cfg.Notices[0].Msg, "no file matches") {
		t.Errorf("notices = %v", cfg.Notices)
	}
	// The file itself can be given too.
	if cfg2, err := Load("/etc/bareos/bareos-dir.conf", Options{FS: os.DirFS("testdata/classic")}); err != nil || len(cfg2.Consoles) != 2 {
		t.Errorf("Load(file) = %v, %v", cfg2, err)
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("bad.conf", "Console {\n Name = a\n Oops = 1\n}\n")
	_, err := Load(bad, Options{})
	checkError(t, err, ErrUnknownDirective, bad, 3, `"Oops"`)

	if _, err := Load(filepath.Join(dir, "missing.conf"), Options{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(empty, Options{}); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "bareos-dir.d/*/*.conf") {
		t.Errorf("empty directory: %v", err)
	}
	// An error in an included file names that file.
	write("inc/sub.conf", "Profile {\n Name = p\n Job ACL = \"[x\"\n}\n")
	top := write("top.conf", "@"+filepath.Join(dir, "inc", "*.conf")+"\n")
	_, err = Load(top, Options{})
	checkError(t, err, ErrInvalidACL, filepath.Join(dir, "inc", "sub.conf"), 3, "regular expression")

	// A directory and a device are not configuration files.
	write("d/x.conf", "")
	if _, err := Parse("t.conf", []byte("@"+filepath.Join(dir, "d")+"\n"), Options{}); err != nil {
		t.Errorf("a directory reads as empty, got %v", err)
	}
	if _, err := os.Stat("/dev/null"); err == nil {
		_, err := Parse("t.conf", []byte("\n@/dev/null\n"), Options{})
		checkError(t, err, ErrInclude, "t.conf", 2, "not a regular file")
	}
}

// TestIncludes covers @include with an in-memory file system.
func TestIncludes(t *testing.T) {
	fsys := fstest.MapFS{
		"etc/bareos/items.inc":       {Data: []byte("Password = p\nJob ACL = a")}, // no final newline
		"etc/bareos/name.inc":        {Data: []byte("n1")},
		"etc/bareos/loop.conf":       {Data: []byte("@/etc/bareos/loop.conf\n")},
		"etc/bareos/c/1.conf":        {Data: []byte("Console { Name = c1; Password = p }\n")},
		"etc/bareos/c/2.conf":        {Data: []byte("Console { Name = c2; Password = p }\n")},
		"etc/bareos/c/.3.conf":       {Data: []byte("not read")},
		"etc/bareos/c/x.txt":         {Data: []byte("not read")},
		"etc/bareos/q/a b.conf":      {Data: []byte("Profile { Name = ab }\n")},
		"etc/bareos/rel/r.conf":      {Data: []byte("Profile { Name = rel }\n")},
		"etc/bareos/bad/broken.conf": {Data: []byte("Profile {\n")},
		"etc/bareos/big.conf":        {Data: make([]byte, MaxFileSize+1)},
	}
	tests := []struct {
		name     string
		src      string
		opts     Options
		consoles []string
		profiles []string
		err      error
		errPos   Position
	}{
		{name: "inside a resource", src: "Console {\n Name = x\n @/etc/bareos/items.inc\n}\n", consoles: []string{"x"}},
		{name: "as a value", src: "Console {\n Name = @/etc/bareos/name.inc\n Password = p\n}\n", consoles: []string{"n1"}},
		{name: "glob, last match first", src: "@/etc/bareos/c/*.conf\n", consoles: []string{"c2", "c1"}},
		{name: "bracket glob", src: "@/etc/bareos/c/[12].conf\n", consoles: []string{"c2", "c1"}},
		{name: "negated bracket glob", src: "@/etc/bareos/c/[!1].conf\n", consoles: []string{"c2"}},
		{name: "question mark glob", src: "@/etc/bareos/c/?.conf\n", consoles: []string{"c2", "c1"}},
		{name: "quoted with a blank", src: "@\"/etc/bareos/q/a b.conf\"\n", profiles: []string{"ab"}},
		{name: "quoted with an escape", src: "@\"/etc/bareos/q/a\\ b.conf\"\n", profiles: []string{"ab"}},
		{name: "after a brace", src: "Profile { Name = z; Job ACL = x }@/etc/bareos/rel/r.conf\n", profiles: []string{"z", "rel"}},
		{name: "brace after the path is read after the file", src: "Console {\n Name = x\n @/etc/bareos/items.inc}\n", consoles: []string{"x"}},
		{name: "relative to the root of FS", src: "@etc/bareos/rel/r.conf\n", profiles: []string{"rel"}},
		{name: "relative to Dir", src: "@rel/r.conf\n", opts: Options{Dir: "/etc/bareos"}, profiles: []string{"rel"}},
		{name: "unmatched wildcard", src: "@/etc/bareos/none/*.conf\nProfile { Name = after }\n", profiles: []string{"after"}},
		{name: "missing file", src: "\n@/etc/bareos/none.conf\n", err: ErrInclude, errPos: Position{"t.conf", 2}},
		{name: "unmatched bracket is not a wildcard", src: "@/etc/bareos/c/[9].conf\n", err: ErrInclude, errPos: Position{"t.conf", 1}},
		{name: "include loop", src: "@/etc/bareos/loop.conf\n", err: ErrTooLarge, errPos: Position{"/etc/bareos/loop.conf", 1}},
		{name: "error in an included file", src: "@/etc/bareos/bad/*.conf\n", err: ErrSyntax, errPos: Position{"/etc/bareos/bad/broken.conf", 1}},
		{name: "file too large", src: "@/etc/bareos/big.conf\n", err: ErrTooLarge, errPos: Position{"t.conf", 1}},
		{name: "command include", src: "@|/bin/echo Console\n", err: ErrInclude, errPos: Position{"t.conf", 1}},
		{name: "unterminated quoted path", src: "@\"/etc/bareos\n", err: ErrSyntax, errPos: Position{"t.conf", 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.FS = fsys
			cfg, err := Parse("t.conf", []byte(tt.src), tt.opts)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				var e *Error
				if !errors.As(err, &e) || e.Pos != tt.errPos {
					t.Errorf("err at %v, want %s (%v)", e, tt.errPos, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var cons, profs []string
			for _, c := range cfg.Consoles {
				cons = append(cons, c.Name)
			}
			for _, p := range cfg.Profiles {
				profs = append(profs, p.Name)
			}
			if !cmp.Equal(cons, tt.consoles) || !cmp.Equal(profs, tt.profiles) {
				t.Errorf("consoles %q profiles %q, want %q %q", cons, profs, tt.consoles, tt.profiles)
			}
		})
	}
}

// TestSkipResources checks that resources the package does not model
// are skipped whatever they hold, and that unknown types are noticed as
// warnings.
func TestSkipResources(t *testing.T) {
	src := `FileSet {
  Name = "fs"
  Include { Options { Signature = MD5; Wild = "*{*}*" } File = "/a}b" ; File = /x }
  Exclude {
    # a } in a comment
    File = /proc
  }
}
Schedule { Name = s; Run = Full 1st sat at 21:00 }
Storage {
  Name = st
  Password = "with \" quote and }"
}
FileDaemon {
  Name = not-a-director-resource
  Nested { Deeper { x = 1 } }
}
Console { Name = c; Password = p }
`
	var logs bytes.Buffer
	cfg, err := Parse("skip.conf", []byte(src), Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Consoles) != 1 || cfg.Consoles[0].Pos.Line != 18 {
		t.Fatalf("consoles = %+v", cfg.Consoles)
	}
	var got []string
	for _, n := range cfg.Notices {
		got = append(got, n.Level.String()+" "+n.String())
	}
	want := []string{
		"DEBUG skip.conf:1: FileSet resource skipped (not used by the console layer)",
		"DEBUG skip.conf:9: Schedule resource skipped (not used by the console layer)",
		"DEBUG skip.conf:10: Storage resource skipped (not used by the console layer)",
		`WARN skip.conf:14: unknown resource type "FileDaemon" skipped`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	// The logger at info level shows the warning only.
	if l := logs.String(); !strings.Contains(l, `level=WARN msg="config: unknown resource type \"FileDaemon\" skipped" file=skip.conf line=14`) ||
		strings.Contains(l, "FileSet") {
		t.Errorf("log:\n%s", l)
	}
}
