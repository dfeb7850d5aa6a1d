package config

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/uaformat/uaformat/uacontext"
)

const keySecret = "5ebe2294ecd0e0f08eab7690d2a6ee69" // md5("secret")

// at is a position in the file "test.conf".
func at(line int) Position { return Position{File: "test.conf", Line: line} }

func pw(s string) Password { return Password{Raw: s} }

// tlsOn is the default TLS setting.
var tlsOn = TLSConfig{Enable: true, Require: true}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want *Config
	}{
		{
			name: "basic",
			src: `Console {
  Name = user1; Password = "secret"
  Command ACL = whoami, list, .jobs
  Job ACL = BackupClient1
}
`,
			want: &Config{Consoles: []*Console{{
				Name: "user1", Password: pw("secret"), Pos: at(1), TLS: tlsOn,
				ACL: uacontext.ACLSet{uacontext.ACLCommand: {"whoami", "list", ".jobs"}, uacontext.ACLJob: {"BackupClient1"}},
			}}},
		},
		{
			name: "keywords case and blanks, comments, appending, negation, md5",
			src: `# leading comment
console{
  NAME = "op"   # trailing comment
  password = "[md5]5EBE2294ECD0E0F08EAB7690D2A6EE69"
  commandacl = *all*, "!delete"
  Client  ACL = bareos-fd
  client acl = "!other-fd"
  Pool ACL = Full; Storage ACL = File
  FileSet ACL = "LinuxAll"
  Catalog ACL = MyCatalog
  Schedule ACL = WeeklyCycle
  Where ACL = /tmp/bareos-restores
  Plugin Options ACL = *all*
  Description = "an operator"
  Use Pam Authentication = no
  TLS Enable = no
}`,
			want: &Config{Consoles: []*Console{{
				Name: "op", Password: pw("[md5]5EBE2294ECD0E0F08EAB7690D2A6EE69"), Description: "an operator", Pos: at(2),
				TLS: TLSConfig{Require: true},
				ACL: uacontext.ACLSet{
					uacontext.ACLCommand:       {"*all*", "!delete"},
					uacontext.ACLClient:        {"bareos-fd", "!other-fd"},
					uacontext.ACLPool:          {"Full"},
					uacontext.ACLStorage:       {"File"},
					uacontext.ACLFileSet:       {"LinuxAll"},
					uacontext.ACLCatalog:       {"MyCatalog"},
					uacontext.ACLSchedule:      {"WeeklyCycle"},
					uacontext.ACLWhere:         {"/tmp/bareos-restores"},
					uacontext.ACLPluginOptions: {"*all*"},
				},
			}}},
		},
		{
			name: "profiles and several consoles",
			src: `Director { Name = bareos-dir; Password = "secret" }
Job { Name = j; Client = c }

Profile {
  Name = operator
  Command ACL = status, .status
  Job ACL = *all*
}
Console { Name = a; Password = x; Profile = operator }
Console { Name = b; Password = y
  Job ACL = Backup.*, RestoreFiles }
`,
			want: &Config{
				Director: &Director{Name: "bareos-dir", Password: pw("secret"), DirPort: 9101,
					MaxConsoleConnections: 20, MaxConcurrentJobs: 1, TLS: tlsOn, Pos: at(1)},
				Consoles: []*Console{
					{Name: "a", Password: pw("x"), Profiles: []string{"operator"}, Pos: at(9), TLS: tlsOn},
					{Name: "b", Password: pw("y"), Pos: at(10), TLS: tlsOn,
						ACL: uacontext.ACLSet{uacontext.ACLJob: {"Backup.*", "RestoreFiles"}}},
				},
				Profiles: []*Profile{{Name: "operator", Pos: at(4), ACL: uacontext.ACLSet{
					uacontext.ACLCommand: {"status", ".status"}, uacontext.ACLJob: {"*all*"},
				}}},
				Notices: []Notice{{Pos: at(2), Level: slog.LevelDebug, Msg: "Job resource skipped (not used by the console layer)"}},
			},
		},
		{
			name: "user resources",
			src:  "Profile { Name = p }\nUser {\n Name = alice\n Description = \"PAM user\"\n Profile = p\n Job ACL = *all*\n}\n",
			want: &Config{
				Profiles: []*Profile{{Name: "p", Pos: at(1)}},
				Users: []*User{{Name: "alice", Description: "PAM user", Profiles: []string{"p"}, Pos: at(2),
					ACL: uacontext.ACLSet{uacontext.ACLJob: {"*all*"}}}},
			},
		},
		{
			name: "quoted string escapes and continuation",
			src:  "Console {\n Name = \"x.y\"\n Password = \"a\\\"b\"\n   \"cd\"\n Description = \"one\" \"two\"\n}\n",
			want: &Config{Consoles: []*Console{{Name: "x.y", Password: pw(`a"bcd`), Description: "onetwo", Pos: at(1), TLS: tlsOn}}},
		},
		{
			name: "blanks inside an unquoted identifier value are dropped",
			src:  "Console {\n Name = admin user\n Password = p\n Job ACL = Backup Client1\n}\n",
			want: &Config{Consoles: []*Console{{Name: "adminuser", Password: pw("p"), Pos: at(1), TLS: tlsOn,
				ACL: uacontext.ACLSet{uacontext.ACLJob: {"BackupClient1"}}}}},
		},
		{
			name: "resource brace on the next line, closing brace after a list",
			src:  "Console\n{\n Name = c; Password = p; Job ACL = a, b }\n",
			want: &Config{Consoles: []*Console{{Name: "c", Password: pw("p"), Pos: at(1), TLS: tlsOn,
				ACL: uacontext.ACLSet{uacontext.ACLJob: {"a", "b"}}}}},
		},
		{
			name: "empty file",
			src:  "",
			want: &Config{},
		},
		{
			name: "byte order mark and CRLF",
			src:  "\xef\xbb\xbfConsole {\r\n Name = w\r\n Password = p\r\n}\r\n",
			want: &Config{Consoles: []*Console{{Name: "w", Password: pw("p"), Pos: at(1), TLS: tlsOn}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("test.conf", []byte(tt.src), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.want.Files = []string{"test.conf"}
			if diff := cmp.Diff(tt.want, got, cmpopts.IgnoreUnexported(Config{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		sentinel error
		line     int
		msg      string // substring of the message
	}{
		// Syntax.
		{"unknown directive", "Console {\n Name = a\n Colour = red\n}", ErrUnknownDirective, 3, `"Colour"`},
		{"unknown directive in director", "Director {\n Name = d\n Password = p\n Query = x\n}", ErrUnknownDirective, 4, "Director resource"},
		{"unknown directive in profile", "Profile {\n Name = p\n Password = x\n}", ErrUnknownDirective, 3, "Profile"},
		{"unknown directive in user", "User {\n Name = u\n UsePamAuthentication = yes\n}", ErrUnknownDirective, 3, "User"},
		{"missing equals", "Console {\n Name , a\n}", ErrSyntax, 2, `expected "="`},
		{"missing brace", "Console {\n Name = a\n Password = b\n", ErrSyntax, 1, "not closed"},
		{"missing open brace", "Console\n Name = a\n", ErrSyntax, 2, `expected "{"`},
		{"missing open brace same line", "Console Name = a\n", ErrSyntax, 1, `expected "{"`},
		{"unterminated quote", "Console {\n Name = \"abc\n}\n", ErrSyntax, 2, "unterminated"},
		{"trailing junk", "Console {\n Name = a1 b\n}", ErrSyntax, 2, "unexpected"},
		{"missing value", "Console {\n Name =\n}", ErrSyntax, 2, "expected a value"},
		{"dangling comma", "Console {\n Name = a; Password = b\n Job ACL = x,\n}", ErrSyntax, 3, "expected a value"},
		{"stray value", "= x", ErrSyntax, 1, "resource type"},
		{"stray closing brace", "}\n", ErrSyntax, 1, "resource type"},
		{"nested block in console", "Console {\n Name = a\n {\n}", ErrSyntax, 3, `"{"`},
		{"unclosed other resource", "Job {\n Name = j\n", ErrSyntax, 1, "not closed"},
		{"NUL byte", "Console {\n Name = a\x00\n}", ErrSyntax, 2, "NUL"},
		{"UTF-16", "\xff\xfeC\x00", ErrSyntax, 1, "UTF-16"},
		{"command include", "Console {\n @|cat /etc/passwd\n}", ErrInclude, 2, "not executed"},
		{"missing include", "@/nonexistent/uaformat/x.conf\n", ErrInclude, 1, "no such file"},
		{"empty include", "@ \n", ErrInclude, 1, "without a file name"},
		{"deep skipped nesting", "Job {" + strings.Repeat("{", 200), ErrTooLarge, 1, "nest deeper"},
		{"long token", "Console {\n Name = " + strings.Repeat("x", MaxTokenLength+1) + "\n}", ErrSyntax, 2, "longer than"},
		{"address block without family", "Director {\n Name = d; Password = p\n Addresses = { addr = 1.2.3.4 }\n}", ErrSyntax, 3, "ip, ipv4 or ipv6"},
		{"empty address block", "Director {\n Name = d; Password = p\n Addresses = {\n }\n}", ErrSyntax, 4, "empty address block"},
		{"two ports in address block", "Director {\n Name = d; Password = p\n Addresses = { ip = { port = 1; port = 2 } }\n}", ErrSyntax, 3, "only one port"},

		// Values.
		{"bad md5", "Console {\n Name = a\n Password = \"[md5]xyz\"\n}", ErrInvalidValue, 3, "32 hex"},
		{"bad md5 hex", "Console {\n Name = a\n Password = \"[md5]" + strings.Repeat("g", 32) + "\"\n}", ErrInvalidValue, 3, "hexadecimal"},
		{"bad bool", "Console {\n Name = a; Password = b\n Use Pam Authentication = maybe\n}", ErrInvalidValue, 3, "yes or no"},
		{"bad number", "Director {\n Name = d; Password = p\n Maximum Console Connections = -1\n}", ErrInvalidValue, 3, "positive integer"},
		{"bad duration", "Director {\n Name = d; Password = p\n Heartbeat Interval = 1 fortnight\n}", ErrInvalidValue, 3, "time unit"},
		{"bad port", "Director {\n Name = d; Password = p\n DirPort = 70000\n}", ErrInvalidValue, 3, "out of range"},
		{"mixed address styles", "Director {\n Name = d; Password = p\n DirPort = 9102\n DirAddresses = { ip = { addr = 127.0.0.1 } }\n}", ErrInvalidValue, 4, "cannot be mixed"},
		{"mixed address styles reversed", "Director {\n Name = d; Password = p\n DirAddresses = { ip = { addr = 127.0.0.1 } }\n DirAddress = ::1\n}", ErrInvalidValue, 4, "cannot be mixed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("bad.conf", []byte(tt.src), Options{})
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", cfg)
			}
			checkError(t, err, tt.sentinel, "bad.conf", tt.line, tt.msg)
		})
	}
}

// checkError checks that err is (or joins, first) an *Error wrapping
// sentinel at file:line whose message contains msg.
func checkError(t *testing.T, err, sentinel error, file string, line int, msg string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Errorf("error %v does not wrap %v", err, sentinel)
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %T %v is not *Error", err, err)
	}
	if e.Pos.File != file || e.Pos.Line != line {
		t.Errorf("place = %s, want %s:%d (%v)", e.Pos, file, line, err)
	}
	if !strings.Contains(e.Msg, msg) {
		t.Errorf("message %q does not contain %q", e.Msg, msg)
	}
	if want := file + ":"; file != "" && !strings.HasPrefix(err.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", err.Error(), want)
	}
}

// TestValidation covers the mistakes that used to pass silently: each is
// an error naming the file and the line.
func TestValidation(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		sentinel error
		line     int
		msg      string
	}{
		{"console named *UserAgent*", "Console {\n Name = *UserAgent*\n Password = p\n}", ErrInvalidName, 2, "reserved for the default console"},
		{"name with semicolon", "Console {\n Name = \"a;b\"\n Password = p\n}", ErrInvalidName, 2, `illegal character ';'`},
		{"name with brace", "Console {\n Name = \"a{b\"\n Password = p\n}", ErrInvalidName, 2, `illegal character '{'`},
		{"name with closing brace", "Profile {\n Name = \"a}\"\n}", ErrInvalidName, 2, `illegal character '}'`},
		{"name with quote", "Console {\n Name = \"a\\\"b\"\n Password = p\n}", ErrInvalidName, 2, `illegal character '"'`},
		{"name with leading blank", "User {\n Name = \" u\"\n}", ErrInvalidName, 2, "starts with a space"},
		{"name with trailing blank", "Director {\n Name = \"d \"\n Password = p\n}", ErrInvalidName, 2, "ends with a space"},
		{"empty name", "Console {\n Name = \"\"\n Password = p\n}", ErrInvalidName, 2, "empty"},
		{"long name", "Console {\n Name = " + strings.Repeat("n", 128) + "\n Password = p\n}", ErrInvalidName, 2, "longer than 127"},
		{"non-ASCII name", "Console {\n Name = \"caf\xc3\xa9\"\n Password = p\n}", ErrInvalidName, 2, "illegal character"},
		{"name twice", "Console {\n Name = a\n Name = b\n Password = p\n}", ErrDuplicate, 3, "redefine Name"},
		{"empty console password", "Console {\n Name = a\n Password = \"\"\n}", ErrEmptyPassword, 3, "empty"},
		{"empty director password", "Director {\n Name = d\n Password = \"\"\n}", ErrEmptyPassword, 3, "empty"},
		{"md5 of the empty password", "Console {\n Name = a\n Password = \"[md5]d41d8cd98f00b204e9800998ecf8427e\"\n}", ErrEmptyPassword, 3, "empty"},
		{"invalid ACL regexp", "Console {\n Name = a; Password = b\n\n Job ACL = \"*Backup*\"\n}", ErrInvalidACL, 4, "not a valid regular expression"},
		{"unbalanced ACL group", "Profile {\n Name = p\n Client ACL = ok, \"(fd\"\n}", ErrInvalidACL, 3, "not a valid regular expression"},
		{"unterminated ACL bracket", "User {\n Name = u\n Pool ACL = \"Full[\"\n}", ErrInvalidACL, 3, "not a valid regular expression"},
		{"bad ACL char", "Console {\n Name = a; Password = b\n Job ACL = \"a b\"\n}", ErrInvalidACL, 3, "illegal character"},
		{"empty ACL", "Console {\n Name = a; Password = b\n Job ACL = \"\"\n}", ErrInvalidACL, 3, "at least one character"},
		{"bare negation", "Console {\n Name = a; Password = b\n Job ACL = \"!\"\n}", ErrInvalidACL, 3, "denies nothing"},
		{"long ACL", "Console {\n Name = a; Password = b\n Job ACL = " + strings.Repeat("x", 128) + "\n}", ErrInvalidACL, 3, "longer than"},
		{"duplicate console", "Console { Name = a; Password = b }\nConsole { Name = a; Password = c }", ErrDuplicate, 2, "already defined at bad.conf:1"},
		{"duplicate profile", "Profile { Name = p }\n\nProfile { Name = p }", ErrDuplicate, 3, "already defined at bad.conf:1"},
		{"duplicate user", "User { Name = u }\nUser { Name = u }", ErrDuplicate, 2, "already defined"},
		{"second director", "Director { Name = a; Password = p }\nDirector { Name = b; Password = p }", ErrDuplicate, 2, "only one Director"},
		{"console without name", "Console {\n Password = a\n}", ErrMissing, 1, "no Name"},
		{"console without password", "Console {\n Name = a\n}", ErrMissing, 1, "no Password"},
		{"director without name", "\nDirector {\n Password = a\n}", ErrMissing, 2, "no Name"},
		{"director without password", "Director {\n Name = d\n}", ErrMissing, 1, "no Password"},
		{"profile without name", "Profile {\n Job ACL = a\n}", ErrMissing, 1, "no Name"},
		{"user without name", "User {\n}", ErrMissing, 1, "no Name"},
		{"unknown profile", "Console {\n Name = a; Password = b; Profile = nope\n}", ErrUnknownProfile, 1, `"nope"`},
		{"unknown profile of a user", "Profile { Name = p }\nUser {\n Name = u; Profile = p, q\n}", ErrUnknownProfile, 2, `"q"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("bad.conf", []byte(tt.src), Options{})
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", cfg)
			}
			checkError(t, err, tt.sentinel, "bad.conf", tt.line, tt.msg)
		})
	}
}

// TestValidationReportsEveryMistake checks that validation goes on after
// a mistake, so one run names them all.
func TestValidationReportsEveryMistake(t *testing.T) {
	src := `Console {
  Name = *UserAgent*
  Password = p
}
Console {
  Name = ok
  Password = ""
  Job ACL = "(x"
}
Console { Name = ok; Password = q }
Console { Name = r; Password = q; Profile = missing }
`
	_, err := Parse("many.conf", []byte(src), Options{})
	if err == nil {
		t.Fatal("Parse succeeded")
	}
	type place struct {
		line     int
		sentinel error
	}
	want := []place{{2, ErrInvalidName}, {7, ErrEmptyPassword}, {8, ErrInvalidACL}, {10, ErrDuplicate}, {11, ErrUnknownProfile}}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("error %T is not a joined error: %v", err, err)
	}
	errs := joined.Unwrap()
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, e := range errs {
		var ce *Error
		if !errors.As(e, &ce) || ce.Pos.Line != want[i].line || !errors.Is(e, want[i].sentinel) {
			t.Errorf("error %d = %v, want line %d wrapping %v", i, e, want[i].line, want[i].sentinel)
		}
	}
	if lines := strings.Count("\n"+err.Error(), "\nmany.conf:"); lines != len(want) {
		t.Errorf("message names %d places:\n%v", lines, err)
	}
}

func TestDirector(t *testing.T) {
	src := `Director {                            # define myself
  Name = bareos-dir
  Description = "the Director"
  QueryFile = "/usr/lib/bareos/scripts/query.sql"
  Working Directory = /var/lib/bareos
  Maximum Concurrent Jobs = 10
  Password = "[md5]0123456789ABCDEF0123456789abcdef"         # Console password
  Messages = Daemon
  Auditing = yes
  Audit Events = label, "update volume"
  Subscriptions = 100
  Heartbeat Interval = 1 min 30 sec
  FD Connect Timeout = 3 minutes
  Plugin Directory = "/usr/lib/bareos/plugins"
  Plugin Names = "python3"
  Maximum Console Connections = 5
  DirPort = 9102
  DirAddress = 127.0.0.1
  Dir Source Address = 10.0.0.1
  Statistics Retention = 5 years
  Optimize For Speed = yes
  Enable kTLS = no
  TLS Enable = yes
  TLS Require = no
  TLS Verify Peer = yes
  TLS Cipher List = "HIGH:!aNULL"
  TLS Cipher Suites = TLS_AES_128_GCM_SHA256
  TLS Protocol = "-SSLv3"
  TLS DH File = /etc/bareos/dh.pem
  TLS CA Certificate File = /etc/bareos/ca.pem
  TLS CA Certificate Dir = /etc/bareos/ca
  TLS Certificate Revocation List = /etc/bareos/crl.pem
  TLS Certificate = /etc/bareos/dir.pem
  TLS Key = /etc/bareos/dir.key
  TLS Allowed CN = "console.example.com", admin
  TLS Authenticate = false
}
`
	cfg, err := Parse("test.conf", []byte(src), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := &Director{
		Name: "bareos-dir", Description: "the Director",
		Password: pw("[md5]0123456789ABCDEF0123456789abcdef"),
		DirPort:  9102, DirAddress: "127.0.0.1", DirSourceAddress: "10.0.0.1",
		QueryFile: "/usr/lib/bareos/scripts/query.sql", WorkingDirectory: "/var/lib/bareos",
		MaxConcurrentJobs: 10, MaxConsoleConnections: 5, Messages: "Daemon",
		Auditing: true, AuditEvents: []string{"label", "update volume"},
		HeartbeatInterval: 90 * time.Second,
		TLS: TLSConfig{
			Enable: true, VerifyPeer: true, CipherList: "HIGH:!aNULL", CipherSuites: "TLS_AES_128_GCM_SHA256",
			Protocol: "-SSLv3", DHFile: "/etc/bareos/dh.pem", CACertificateFile: "/etc/bareos/ca.pem",
			CACertificateDir: "/etc/bareos/ca", CertificateRevocationList: "/etc/bareos/crl.pem",
			Certificate: "/etc/bareos/dir.pem", Key: "/etc/bareos/dir.key",
			AllowedCN: []string{"console.example.com", "admin"},
		},
		Other: []Directive{
			{Name: "Subscriptions", Values: []string{"100"}, Pos: at(11)},
			{Name: "FdConnectTimeout", Values: []string{"3", "minutes"}, Pos: at(13)},
			{Name: "PluginDirectory", Values: []string{"/usr/lib/bareos/plugins"}, Pos: at(14)},
			{Name: "PluginNames", Values: []string{"python3"}, Pos: at(15)},
			{Name: "StatisticsRetention", Values: []string{"5", "years"}, Pos: at(20)},
			{Name: "OptimizeForSpeed", Values: []string{"yes"}, Pos: at(21)},
			{Name: "EnableKtls", Values: []string{"no"}, Pos: at(22)},
		},
		Pos: at(1),
	}
	if diff := cmp.Diff(want, cfg.Director); diff != "" {
		t.Errorf("Director (-want +got):\n%s", diff)
	}
	if got := cfg.Director.Password.Key(); got != "0123456789ABCDEF0123456789abcdef" {
		t.Errorf("md5 key %q, want the digits as written", got)
	}
	if got := cfg.Director.ListenAddresses(); !cmp.Equal(got, []string{"127.0.0.1:9102"}) {
		t.Errorf("ListenAddresses = %q", got)
	}
	var notes []string
	for _, n := range cfg.Notices {
		notes = append(notes, n.String())
	}
	wantNotes := []string{
		"test.conf:20: StatisticsRetention: deprecated since Bareos 22",
		"test.conf:21: OptimizeForSpeed: obsolete since Bareos 24; ignored",
		"test.conf:36: TlsAuthenticate: deprecated since Bareos 26 (TLS only to authenticate)",
		`test.conf:36: TLSAuthenticate: setting a boolean with "false" is deprecated; use yes or no`,
		`test.conf:1: Director "bareos-dir": TLS DH File is ignored (finite-field Diffie-Hellman is not implemented; the key exchange is ECDHE)`,
	}
	if diff := cmp.Diff(wantNotes, notes); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

func TestDirectorAddresses(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"defaults", "", []string{":9101"}},
		{"port only", "Port = 9200", []string{":9200"}},
		{"address only", "Address = ::1", []string{"[::1]:9101"}},
		{"port on the next line", "DirPort =\n 9300", []string{":9300"}},
		{"service name", "DirPort = bacula-dir", []string{":9101"}},
		{"block", `DirAddresses = {
    ip = { addr = 127.0.0.1; port = 9201 }
    ipv6 = {
      addr = ::1
      port = 9202
    }
    ipv4 = { port = 9203 }
    ip = { addr = localhost }
  }`, []string{"127.0.0.1:9201", "[::1]:9202", "0.0.0.0:9203", "localhost:9101"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.name == "service name" {
				if _, err := parsePort("bacula-dir"); err != nil {
					t.Skip("no bacula-dir entry in the services database")
				}
			}
			cfg, err := Parse("test.conf", []byte("Director {\n Name = d; Password = p\n "+tt.body+"\n}\n"), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.Director.ListenAddresses(); !cmp.Equal(got, tt.want) {
				t.Errorf("ListenAddresses = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestConsoleTLSAndObsolete(t *testing.T) {
	cfg, err := Parse("test.conf", []byte(`Console {
  Name = admin
  Password = "admin"
  Profile = webui-admin
  TLS Enable = No
  TLS Require = no
  Run ACL = *all*
}
Profile { Name = webui-admin; Command ACL = !.bvfs_clear_cache, !.exit, !.sql, !configure, *all* }
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := cfg.Consoles[0]
	if c.TLS.Enable || c.TLS.Require {
		t.Errorf("TLS = %+v", c.TLS)
	}
	if diff := cmp.Diff([]Directive{{Name: "RunAcl", Values: []string{"*all*"}, Pos: at(7)}}, c.Other); diff != "" {
		t.Errorf("Other (-want +got):\n%s", diff)
	}
	if len(cfg.Notices) != 1 || cfg.Notices[0].Level != slog.LevelWarn || !strings.Contains(cfg.Notices[0].Msg, "RunAcl: obsolete") {
		t.Errorf("notices = %v", cfg.Notices)
	}
}

func TestEffectiveACL(t *testing.T) {
	cfg, err := Parse("", []byte(`
Profile { Name = p1; Job ACL = A; Command ACL = list }
Profile { Name = p2; Job ACL = B }
Console { Name = c; Password = x; Job ACL = "!C"; Profile = p2, p1 }
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.Console("c")
	if !ok {
		t.Fatal("console c not found")
	}
	got := cfg.EffectiveACL(c)
	want := uacontext.ACLSet{uacontext.ACLJob: {"!C", "B", "A"}, uacontext.ACLCommand: {"list"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EffectiveACL (-want +got):\n%s", diff)
	}
	if _, ok := cfg.Console("C"); ok {
		t.Error("console lookup must be case-sensitive")
	}
	if _, ok := cfg.Profile("p2"); !ok {
		t.Error("profile p2 not found")
	}
	if _, ok := cfg.User("c"); ok {
		t.Error("user c found")
	}
}

func TestPasswordKey(t *testing.T) {
	tests := []struct {
		raw, key string
		md5      bool
	}{
		{"secret", keySecret, false},
		{"[md5]" + strings.ToUpper(keySecret), strings.ToUpper(keySecret), true},
		{"[md5]" + keySecret, keySecret, true},
		{"[MD5]x", md5hex("[MD5]x"), false}, // only "[md5]" is a prefix
		{"", md5hex(""), false},
	}
	for _, tt := range tests {
		p := Password{Raw: tt.raw}
		if got := p.Key(); got != tt.key {
			t.Errorf("Key(%q) = %q, want %q", tt.raw, got, tt.key)
		}
		if got := p.IsMD5(); got != tt.md5 {
			t.Errorf("IsMD5(%q) = %v", tt.raw, got)
		}
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"60", time.Minute, true},
		{"1 min", time.Minute, true},
		{"1 m", 30 * 24 * time.Hour, true}, // m is months, as in the Director
		{"2 n", 2 * time.Minute, true},
		{"1h30mi", 90 * time.Minute, true},
		{"1 day 2 hours", 26 * time.Hour, true},
		{"1 week", 7 * 24 * time.Hour, true},
		{"1 quarter", 91 * 24 * time.Hour, true},
		{"1 year", 365 * 24 * time.Hour, true},
		{"1.5 hours", 90 * time.Minute, true},
		{"30 s", 30 * time.Second, true},
		{"30 secs", 0, false}, // not a prefix of "seconds"
		{"", 0, false},
		{"min", 0, false},
		{"99999999999999999 years", 0, false},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestPositionString(t *testing.T) {
	for _, tt := range []struct {
		p    Position
		want string
	}{{Position{"f", 3}, "f:3"}, {Position{"f", 0}, "f"}, {Position{"", 3}, "3"}, {Position{}, ""}} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
	e := &Error{Msg: "m", Err: ErrSyntax}
	if e.Error() != "m" || !errors.Is(e, ErrSyntax) {
		t.Errorf("Error without position: %q", e.Error())
	}
}

func md5hex(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}
