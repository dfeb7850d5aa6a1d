package config

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/uacontext"
)

func TestLookupConsole(t *testing.T) {
	cfg, err := Parse("c.conf", []byte(`
Profile { Name = reader; Command ACL = list, .jobs; Job ACL = *all* }
Console {
  Name = user1
  Password = "pw1"
  Command ACL = whoami
  Job ACL = !BackupCatalog
  Profile = reader
}
Console { Name = md5; Password = "[md5]0123456789ABCDEF0123456789ABCDEF" }
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	tests := []struct {
		name string
		want *uacontext.Console
	}{
		{"user1", &uacontext.Console{Name: "user1", Key: md5hex("pw1"), ACL: uacontext.ACLSet{
			uacontext.ACLCommand: {"whoami", "list", ".jobs"},
			uacontext.ACLJob:     {"!BackupCatalog", "*all*"},
		}, TLS: uacontext.TLSRequired}},
		{"md5", &uacontext.Console{Name: "md5", Key: "0123456789ABCDEF0123456789ABCDEF", TLS: uacontext.TLSRequired}},
		{"User1", nil},
		{"*UserAgent*", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got, err := cfg.LookupConsole(ctx, tt.name)
		if tt.want == nil {
			if !errors.Is(err, uacontext.ErrUnknownConsole) || got != nil {
				t.Errorf("LookupConsole(%q) = %+v, %v; want ErrUnknownConsole", tt.name, got, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("LookupConsole(%q): %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("LookupConsole(%q) (-want +got):\n%s", tt.name, diff)
		}
		// Built once: every login gets the same console.
		if again, _ := cfg.LookupConsole(ctx, tt.name); again != got {
			t.Errorf("LookupConsole(%q) builds a new console per call", tt.name)
		}
	}

	// The console's ACLs decide as the Director's would.
	u, _ := cfg.LookupConsole(ctx, "user1")
	for _, c := range []struct {
		kind uacontext.ACLKind
		item string
		want bool
	}{
		{uacontext.ACLCommand, "whoami", true},
		{uacontext.ACLCommand, "list", true},
		{uacontext.ACLCommand, "delete", false},
		{uacontext.ACLJob, "BackupCatalog", false},
		{uacontext.ACLJob, "BackupClient1", true},
		{uacontext.ACLPool, "Full", false},
	} {
		if got := u.ACL.Allow(c.kind, c.item); got != c.want {
			t.Errorf("user1 %s %q = %v, want %v", c.kind, c.item, got, c.want)
		}
	}

	// Concurrent logins (run with -race).
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				if _, err := cfg.LookupConsole(ctx, "user1"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()

	// A Config not made by Load or Parse has no logins.
	var empty Config
	if _, err := empty.LookupConsole(ctx, "user1"); !errors.Is(err, uacontext.ErrUnknownConsole) {
		t.Errorf("empty config: %v", err)
	}
}

// TestACLRegexpAgreesWithUacontext checks that the entries the
// configuration accepts are the ones uacontext can match, and that the
// ones it refuses would match nothing in a session.
func TestACLRegexpAgreesWithUacontext(t *testing.T) {
	tests := []struct {
		entry string
		item  string // matched by the entry, if valid
		valid bool
	}{
		{"Backup.*", "BackupClient1", true},
		{"backup.*", "BackupClient1", true},
		{"(Full|Diff)-.+", "Full-0001", true},
		{"[[:alpha:]]+[0-9]", "abc1", true},
		{"[[.a.]]b", "ab", true},
		{"[a-c]x", "bx", true},
		{"[]a]", "]", true},
		{"a+?b", "aab", true},
		{"x)", "x)", true},
		{"()x", "x", true},
		{"a|", "a", true},
		{"/tmp/bareos-restores.*", "/tmp/bareos-restores/x", true},
		{"*all*", "anything", true},
		{"*Backup*", "", false},
		{"+x", "", false},
		{"a|*b", "", false},
		{"(x", "", false},
		{"(?x)", "", false},
		{"[x", "", false},
		{"[z-a]", "", false},
		{"[[:nope:]]", "", false},
		{"[[.ab.]]", "", false},
		{"[[:alpha:]", "", false},
	}
	probes := []string{"", "x", "a", "b", "ab", "Backup", "xBackupx", "(x", "[x", "+x", "z", "za", "anything"}
	for _, tt := range tests {
		msg := aclProblem(tt.entry)
		if (msg == "") != tt.valid {
			t.Errorf("aclProblem(%q) = %q, want valid=%v", tt.entry, msg, tt.valid)
			continue
		}
		set := &uacontext.ACLSet{uacontext.ACLWhere: {tt.entry}}
		if tt.valid {
			if ok, _ := set.Match(uacontext.ACLWhere, tt.item); !ok {
				t.Errorf("uacontext does not match %q against %q", tt.entry, tt.item)
			}
			continue
		}
		for _, p := range probes {
			if strings.EqualFold(p, tt.entry) {
				continue // an entry always matches its own text, as in the Director
			}
			if _, decided := set.Match(uacontext.ACLWhere, p); decided {
				t.Errorf("uacontext matches the refused entry %q against %q", tt.entry, p)
			}
		}
	}
}

// TestLookupPAM checks what a PAM login needs from a configuration: the
// console's "Use Pam Authentication" and the User resources with their
// profiles' ACLs.
func TestLookupPAM(t *testing.T) {
	cfg, err := Parse("c.conf", []byte(`
Profile { Name = reader; Command ACL = list, whoami; Job ACL = *all* }
Console { Name = webui; Password = "w"; Use Pam Authentication = yes }
User { Name = alice; Profile = reader; Client ACL = fd1 }
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := cfg.LookupConsole(ctx, "webui")
	if err != nil || !c.UsePAM {
		t.Errorf("LookupConsole(webui) = %+v, %v; want UsePAM", c, err)
	}
	u, err := cfg.LookupUser(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	want := &uacontext.Console{Name: "alice", ACL: uacontext.ACLSet{
		uacontext.ACLCommand: {"list", "whoami"},
		uacontext.ACLJob:     {"*all*"},
		uacontext.ACLClient:  {"fd1"},
	}}
	if diff := cmp.Diff(want, u); diff != "" {
		t.Errorf("LookupUser(alice) (-want +got):\n%s", diff)
	}
	if _, err := cfg.LookupUser(ctx, "bob"); !errors.Is(err, uacontext.ErrUnknownUser) {
		t.Errorf("LookupUser(bob) = %v, want ErrUnknownUser", err)
	}
}
