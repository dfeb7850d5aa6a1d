package uacontext

import (
	"errors"
	"strings"
	"testing"
)

func TestACLAllow(t *testing.T) {
	tests := []struct {
		name    string
		entries []string
		kind    ACLKind
		item    string
		want    bool
	}{
		{"empty list denies", nil, ACLCommand, "list", false},
		{"exact", []string{"list"}, ACLCommand, "list", true},
		{"exact case-insensitive", []string{"LIST"}, ACLCommand, "list", true},
		{"other item", []string{"list"}, ACLCommand, "llist", false},
		{"all", []string{"*all*"}, ACLCommand, "anything", true},
		{"all case-insensitive", []string{"*ALL*"}, ACLCommand, "anything", true},
		{"deny then all", []string{"!delete", "*all*"}, ACLCommand, "delete", false},
		{"deny then all, other", []string{"!delete", "*all*"}, ACLCommand, "list", true},
		{"all then deny: first match wins", []string{"*all*", "!delete"}, ACLCommand, "delete", true},
		{"allow then deny", []string{"list", "!list"}, ACLCommand, "list", true},
		{"deny all", []string{"!*all*", "list"}, ACLCommand, "list", false},
		{"regex whole match", []string{"back.*"}, ACLJob, "backup-client1", true},
		{"regex must cover the whole item", []string{"back"}, ACLJob, "backup", false},
		{"regex partial is no match", []string{"ack.*"}, ACLJob, "backup", false},
		{"regex case-insensitive", []string{"BACK.*"}, ACLJob, "backup", true},
		{"regex alternation", []string{"a|b"}, ACLJob, "b", true},
		{"regex alternation not partial", []string{"a|b"}, ACLJob, "ab", false},
		{"regex anchors", []string{"^job[0-9]+$"}, ACLJob, "job42", true},
		{"regex bracket", []string{"job[12]"}, ACLJob, "job3", false},
		{"regex deny", []string{"!test.*", "*all*"}, ACLJob, "testjob", false},
		{"regex deny other", []string{"!test.*", "*all*"}, ACLJob, "prod", true},
		{"dot is a regex", []string{"a.c"}, ACLJob, "abc", true},
		{"invalid regex is no match", []string{"job[", "*all*"}, ACLJob, "job[", false},
		{"invalid regex skipped", []string{"(", "x"}, ACLJob, "x", true},
		{"star alone is invalid", []string{"*"}, ACLJob, "x", false},
		{"flag group is invalid", []string{"(?i)x"}, ACLJob, "x", false},
		{"posix class", []string{"[[:digit:]]+"}, ACLJob, "123", true},
		{"backslash literal in bracket", []string{`[\d]`}, ACLJob, "d", true},
		{"backslash literal in bracket 2", []string{`[\d]`}, ACLJob, "5", false},
		{"escaped dot", []string{`a\.c`}, ACLJob, "abc", false},
		{"nested repetition", []string{"a**"}, ACLJob, "aaa", true},
		{"plus question is not lazy", []string{"ab+?"}, ACLJob, "a", true},
		{"unmatched right paren literal", []string{"a)"}, ACLWhere, "a)", true},
		{"invalid name denied", []string{"*all*"}, ACLJob, "bad@name", false},
		{"name with space", []string{"*all*"}, ACLJob, "my job", true},
		{"leading space denied", []string{"*all*"}, ACLJob, " job", false},
		{"empty item denied", []string{"*all*"}, ACLJob, "", false},
		{"where skips name check", []string{"*all*"}, ACLWhere, "/tmp/a b@c", true},
		{"where regex", []string{"/tmp/.*"}, ACLWhere, "/tmp/x", true},
		{"plugin options", []string{"!.*secret.*", "*all*"}, ACLPluginOptions, "x=secret", false},
		{"undefined kind", []string{"*all*"}, ACLKind(42), "x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s ACLSet
			if tt.kind.Valid() {
				s[tt.kind] = tt.entries
			}
			if got := s.Allow(tt.kind, tt.item); got != tt.want {
				t.Errorf("Allow(%v, %q) with %q = %v, want %v", tt.kind, tt.item, tt.entries, got, tt.want)
			}
		})
	}
}

func TestACLOtherKindsIndependent(t *testing.T) {
	var s ACLSet
	s[ACLJob] = []string{"*all*"}
	if s.Allow(ACLClient, "c1") {
		t.Error("client allowed by job ACL")
	}
}

func TestACLDefaultConsole(t *testing.T) {
	var s *ACLSet
	if !s.Allow(ACLCommand, "delete") {
		t.Error("default console denied delete")
	}
	if s.Allow(ACLJob, "bad\nname") {
		t.Error("default console allowed an invalid name")
	}
	if !s.Allow(ACLWhere, "bad\nname") {
		t.Error("default console denied a where path")
	}
	if !s.Unrestricted(ACLJob) {
		t.Error("default console restricted")
	}
}

func TestACLMatchTriState(t *testing.T) {
	var s ACLSet
	s[ACLPool] = []string{"!scratch", "full.*"}
	for _, tt := range []struct {
		item             string
		allowed, decided bool
	}{
		{"scratch", false, true},
		{"full-1", true, true},
		{"incr", false, false},
	} {
		a, d := s.Match(ACLPool, tt.item)
		if a != tt.allowed || d != tt.decided {
			t.Errorf("Match(%q) = %v, %v; want %v, %v", tt.item, a, d, tt.allowed, tt.decided)
		}
	}
}

func TestACLUnrestricted(t *testing.T) {
	tests := []struct {
		entries []string
		want    bool
	}{
		{nil, false},
		{[]string{"*all*"}, true},
		{[]string{"*All*", "!x"}, true},
		{[]string{"!x", "*all*"}, false},
		{[]string{"list", "*all*"}, true},
		{[]string{"list"}, false},
	}
	for _, tt := range tests {
		var s ACLSet
		s[ACLCommand] = tt.entries
		if got := s.Unrestricted(ACLCommand); got != tt.want {
			t.Errorf("Unrestricted(%q) = %v, want %v", tt.entries, got, tt.want)
		}
	}
}

func TestIsNameValid(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"bareos-fd", true},
		{"a:b.c-d_e/f g", true},
		{"", false},
		{" a", false},
		{"a ", false},
		{"a@b", false},
		{"ä", false},
		{strings.Repeat("x", 127), true},
		{strings.Repeat("x", 128), false},
	}
	for _, tt := range tests {
		if got := IsNameValid(tt.name); got != tt.want {
			t.Errorf("IsNameValid(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func FuzzACLRegexp(f *testing.F) {
	for _, s := range []string{".*", "a|b", "[[:alpha:]]", "[]a]", `\`, "(", ")", "a{2,3}", "[=a=]", "[.-.]"} {
		f.Add(s, "abc")
	}
	f.Fuzz(func(t *testing.T, entry, item string) {
		var s ACLSet
		s[ACLWhere] = []string{entry}
		s.Allow(ACLWhere, item) // must not panic
	})
}

// TestCompiledACL checks that the compiled form decides like the lists it
// was compiled from, does not change with them afterwards, and decides
// without allocating (the row path of every ACL-filtered listing).
func TestCompiledACL(t *testing.T) {
	var s ACLSet
	s[ACLJob] = []string{"!backup-secret", "backup-.*", "Restore(Files|All)", "[invalid"}
	s[ACLClient] = []string{"*ALL*"}
	a := s.Compile()
	for _, item := range []string{"backup-web", "BACKUP-db", "backup-secret", "RestoreFiles", "restoreall", "Restore", "[invalid", "other"} {
		if got, want := a.Allow(ACLJob, item), s.Allow(ACLJob, item); got != want {
			t.Errorf("compiled Allow(%q) = %v, lists say %v", item, got, want)
		}
	}
	if !a.Allow(ACLJob, "backup-web") || a.Allow(ACLJob, "backup-secret") || !a.Unrestricted(ACLClient) || a.Unrestricted(ACLJob) {
		t.Error("compiled ACL decides wrongly")
	}
	s[ACLJob] = nil
	if !a.Allow(ACLJob, "backup-web") {
		t.Error("the compiled ACL changed with its lists")
	}
	var none *ACL
	if !none.Allow(ACLJob, "x") || none.Allow(ACLJob, "bad\nname") || !none.Unrestricted(ACLPool) {
		t.Error("nil ACL is not the default console's")
	}
	if (*ACLSet)(nil).Compile() != nil {
		t.Error("nil set does not compile to the nil ACL")
	}
	ua := NewUA(&recorder{}, Options{Console: &Console{Name: "c", ACL: ACLSet{ACLJob: {"!x", "backup-.*"}}}})
	if n := testing.AllocsPerRun(100, func() { ua.ACLAccessOK(ACLJob, "backup-web01") }); n != 0 {
		t.Errorf("an ACL check allocates %v times", n)
	}
}

// BenchmarkACLAllowParallel checks rows against a console's regular
// expressions from many sessions at once, as concurrent ACL-filtered
// listings do.
func BenchmarkACLAllowParallel(b *testing.B) {
	set := ACLSet{ACLJob: {"!backup-secret.*", "backup-(web|db|mail)[0-9]+", "Restore.*"}}
	b.RunParallel(func(pb *testing.PB) {
		ua := NewUA(&recorder{}, Options{Console: &Console{Name: "c", ACL: set}})
		i := 0
		for pb.Next() {
			ua.ACLAccessOK(ACLJob, [...]string{"backup-web01", "backup-secret1", "RestoreFiles", "other"}[i&3])
			i++
		}
	})
}

func TestCheckACLEntry(t *testing.T) {
	for _, tt := range []struct {
		entry string
		ok    bool
	}{
		{"BackupClient1", true},
		{"*all*", true},
		{"!*ALL*", true},
		{"Backup.*", true},
		{"!(a|b)[0-9]+", true},
		{"[[:alpha:]]x", true},
		{"a+?", true}, // a run of repetition operators acts as one
		{"*Backup*", false},
		{"(fd", false},
		{"Full[", false},
		{"(?i)x", false},
		{"[[=ab=]]", false},
	} {
		err := CheckACLEntry(tt.entry)
		if (err == nil) != tt.ok {
			t.Errorf("CheckACLEntry(%q) = %v, want ok=%v", tt.entry, err, tt.ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidACLEntry) {
			t.Errorf("CheckACLEntry(%q) = %v, not ErrInvalidACLEntry", tt.entry, err)
		}
		// An entry CheckACLEntry refuses matches nothing.
		if err != nil {
			set := ACLSet{ACLJob: {tt.entry, "*all*"}}
			if allowed, _ := set.Match(ACLJob, "Backup"); !allowed {
				t.Errorf("%q: the invalid entry decided", tt.entry)
			}
		}
	}
}
