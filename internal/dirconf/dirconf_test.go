package dirconf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const keySecret = "5ebe2294ecd0e0f08eab7690d2a6ee69" // md5("secret")

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
				Name: "user1", Key: keySecret, Line: 1,
				ACL: ACLs{CommandACL: {"whoami", "list", ".jobs"}, JobACL: {"BackupClient1"}},
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
				Name: "op", Key: keySecret, Description: "an operator", Line: 2,
				ACL: ACLs{
					CommandACL:       {"*all*", "!delete"},
					ClientACL:        {"bareos-fd", "!other-fd"},
					PoolACL:          {"Full"},
					StorageACL:       {"File"},
					FileSetACL:       {"LinuxAll"},
					CatalogACL:       {"MyCatalog"},
					ScheduleACL:      {"WeeklyCycle"},
					WhereACL:         {"/tmp/bareos-restores"},
					PluginOptionsACL: {"*all*"},
				},
			}}},
		},
		{
			name: "several consoles, other resources skipped, profiles",
			src: `Director
{
  Name = bareos-dir
  Messages = Daemon
  Nested { A = b }
}
Profile {
  Name
    = operator
  Command ACL = status, .status
  Job ACL = *all*
}
Console { Name = a; Password = x; Profile = operator }
Console {
  Name = b
  Password = y
  Job ACL = "Backup.*"
  Job ACL = RestoreFiles
}
`,
			want: &Config{
				Consoles: []*Console{
					{Name: "a", Key: md5hex("x"), Profiles: []string{"operator"}, Line: 13},
					{Name: "b", Key: md5hex("y"), Line: 14, ACL: ACLs{JobACL: {"Backup.*", "RestoreFiles"}}},
				},
				Profiles: []*Profile{{Name: "operator", Line: 7, ACL: ACLs{
					CommandACL: {"status", ".status"}, JobACL: {"*all*"},
				}}},
			},
		},
		{
			name: "quoted string escapes and continuation",
			src:  "Console {\n Name = \"x\\\"y\"\n Password = \"ab\"\n   \"cd\"\n Description = \"one\" \"two\"\n}\n",
			want: &Config{Consoles: []*Console{{Name: `x"y`, Key: md5hex("abcd"), Description: "onetwo", Line: 1}}},
		},
		{
			name: "blanks inside an unquoted identifier value are dropped",
			src:  "Console {\n Name = admin user\n Password = p\n Job ACL = Backup Client1\n}\n",
			want: &Config{Consoles: []*Console{{Name: "adminuser", Key: md5hex("p"), Line: 1, ACL: ACLs{JobACL: {"BackupClient1"}}}}},
		},
		{
			name: "empty file",
			src:  "",
			want: &Config{},
		},
		{
			name: "byte order mark and CRLF",
			src:  "\xef\xbb\xbfConsole {\r\n Name = w\r\n Password = p\r\n}\r\n",
			want: &Config{Consoles: []*Console{{Name: "w", Key: md5hex("p"), Line: 1}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("test.conf", []byte(tt.src))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func md5hex(s string) string {
	k, err := PasswordKey(s)
	if err != nil {
		panic(err)
	}
	return k
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		sentinel error
		line     int
		msg      string // substring of the message
	}{
		{"unknown keyword", "Console {\n Name = a\n Colour = red\n}", ErrUnknownKeyword, 3, `"Colour"`},
		{"missing equals", "Console {\n Name , a\n}", ErrSyntax, 2, `expected "="`},
		{"missing brace", "Console {\n Name = a\n Password = b\n", ErrSyntax, 1, "not closed"},
		{"missing open brace", "Console\n Name = a\n", ErrSyntax, 2, `expected "{"`},
		{"missing open brace same line", "Console Name = a\n", ErrSyntax, 1, `expected "{"`},
		{"unterminated quote", "Console {\n Name = \"abc\n}\n", ErrSyntax, 2, "unterminated"},
		{"no name", "Console {\n Password = a\n}", ErrMissing, 1, "no Name"},
		{"no password", "Console {\n Name = a\n}", ErrMissing, 1, "no Password"},
		{"duplicate", "Console { Name = a; Password = b }\nConsole { Name = a; Password = c }", ErrDuplicate, 2, "already defined at line 1"},
		{"bad acl char", "Console {\n Name = a; Password = b\n Job ACL = \"a b\"\n}", ErrInvalidValue, 3, "illegal character"},
		{"empty acl", "Console {\n Name = a; Password = b\n Job ACL = \"\"\n}", ErrInvalidValue, 3, "at least one character"},
		{"long acl", "Console {\n Name = a; Password = b\n Job ACL = " + strings.Repeat("x", 128) + "\n}", ErrInvalidValue, 3, "longer than"},
		{"bad md5", "Console {\n Name = a\n Password = \"[md5]xyz\"\n}", ErrInvalidValue, 3, "32 hex"},
		{"bad md5 hex", "Console {\n Name = a\n Password = \"[md5]" + strings.Repeat("g", 32) + "\"\n}", ErrInvalidValue, 3, "hexadecimal"},
		{"long name", "Console {\n Name = " + strings.Repeat("n", 128) + "\n}", ErrInvalidValue, 2, "longer than"},
		{"trailing junk", "Console {\n Name = a1 b\n}", ErrSyntax, 2, "unexpected"},
		{"missing value", "Console {\n Name =\n}", ErrSyntax, 2, "expected a value"},
		{"dangling comma", "Console {\n Name = a; Password = b\n Job ACL = x,\n}", ErrSyntax, 3, "expected a value"},
		{"unknown profile", "Console {\n Name = a; Password = b; Profile = nope\n}", ErrUnknownProfile, 1, `"nope"`},
		{"bad bool", "Console {\n Name = a; Password = b\n Use Pam Authentication = maybe\n}", ErrInvalidValue, 3, "yes or no"},
		{"stray value", "= x", ErrSyntax, 1, "resource type"},
		{"include", "@/etc/x.conf", ErrSyntax, 1, "include"},
		{"stray closing brace", "}\n", ErrSyntax, 1, "resource type"},
		{"unknown in profile", "Profile {\n Name = p\n Password = x\n}", ErrUnknownKeyword, 3, "Profile"},
		{"unclosed other resource", "Job {\n Name = j\n", ErrSyntax, 1, "not closed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("bad.conf", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", cfg)
			}
			if !errors.Is(err, tt.sentinel) {
				t.Errorf("error %v does not wrap %v", err, tt.sentinel)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error", err)
			}
			if e.File != "bad.conf" || e.Line != tt.line {
				t.Errorf("place = %s:%d, want bad.conf:%d (%v)", e.File, e.Line, tt.line, err)
			}
			if !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("message %q does not contain %q", e.Msg, tt.msg)
			}
			if !strings.HasPrefix(err.Error(), "bad.conf:") {
				t.Errorf("Error() = %q, want file prefix", err.Error())
			}
		})
	}
}

func TestEffectiveACL(t *testing.T) {
	cfg, err := Parse("", []byte(`
Profile { Name = p1; Job ACL = A; Command ACL = list }
Profile { Name = p2; Job ACL = B }
Console { Name = c; Password = x; Job ACL = "!C"; Profile = p2, p1 }
`))
	if err != nil {
		t.Fatal(err)
	}
	c, ok := cfg.Console("c")
	if !ok {
		t.Fatal("console c not found")
	}
	got := cfg.EffectiveACL(c)
	want := ACLs{JobACL: {"!C", "B", "A"}, CommandACL: {"list"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EffectiveACL (-want +got):\n%s", diff)
	}
	if _, ok := cfg.Console("C"); ok {
		t.Error("console lookup must be case-sensitive")
	}
}

func TestPasswordKey(t *testing.T) {
	if k, _ := PasswordKey("secret"); k != keySecret {
		t.Errorf("PasswordKey(secret) = %s", k)
	}
	if k, _ := PasswordKey("[md5]" + strings.ToUpper(keySecret)); k != keySecret {
		t.Errorf("PasswordKey([md5]..) = %s", k)
	}
}

func TestParseFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "c.conf")
	if err := os.WriteFile(p, []byte("Console {\n Name = a\n Oops = 1\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := ParseFile(p)
	var e *Error
	if !errors.As(err, &e) || e.File != p || e.Line != 3 {
		t.Fatalf("ParseFile error = %v, want %s:3", err, p)
	}
	if _, err := ParseFile(filepath.Join(dir, "missing.conf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

// FuzzParse checks that no input makes Parse panic and that every error is
// an *Error.
func FuzzParse(f *testing.F) {
	f.Add("Console { Name = a; Password = b; Job ACL = x, \"y\" }")
	f.Add("Console {\n Name = \"a\\\n")
	f.Add("X { { { } ")
	f.Add("\"\"\n\"")
	f.Fuzz(func(t *testing.T, s string) {
		_, err := Parse("f", []byte(s))
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
		}
	})
}

func ExampleParse() {
	cfg, err := Parse("bareos-dir.conf", []byte(`
Console {
  Name = user1
  Password = "secret"
  Command ACL = whoami, list, .jobs
  Job ACL = BackupClient1
}
`))
	if err != nil {
		panic(err)
	}
	c := cfg.Consoles[0]
	fmt.Println(c.Name, c.Key)
	fmt.Println(strings.Join(c.ACL[CommandACL], " "), "|", strings.Join(c.ACL[JobACL], " "))
	// Output:
	// user1 5ebe2294ecd0e0f08eab7690d2a6ee69
	// whoami list .jobs | BackupClient1
}
