package config

import (
	"errors"
	"testing"
	"testing/fstest"
)

// fuzzFS is the only file system the fuzz target can include from.
var fuzzFS = fstest.MapFS{
	"etc/bareos/a.conf":   {Data: []byte("Console { Name = a; Password = p }\n")},
	"etc/bareos/b.inc":    {Data: []byte("Job ACL = x, \"y\"")},
	"etc/bareos/self.inc": {Data: []byte("@/etc/bareos/self.inc\n")},
	"etc/bareos/d/x.conf": {Data: []byte("Profile { Name = px }\n")},
}

// FuzzParse checks that no input makes Parse panic, that every error is
// an *Error (or several joined), and that what parses also answers
// logins.
func FuzzParse(f *testing.F) {
	f.Add("Console { Name = a; Password = b; Job ACL = x, \"y\" }")
	f.Add("Console {\n Name = \"a\\\n")
	f.Add("X { { { } ")
	f.Add("\"\"\n\"")
	f.Add("Director { Name = d; Password = p; DirAddresses = { ip = { addr = ::1; port = 9101 } } }")
	f.Add("Console {\n Name = c\n @/etc/bareos/b.inc\n Password = p }\n@/etc/bareos/*.conf\n@/etc/bareos/self.inc\n")
	f.Add("Profile { Name = p; Command ACL = \"(a|b)+\", \"[[:alpha:]]\" }\nUser { Name = u; Profile = p }")
	f.Fuzz(func(t *testing.T, s string) {
		cfg, err := Parse("f", []byte(s), Options{FS: fuzzFS, Dir: "/etc/bareos"})
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T %v is not *Error", err, err)
			}
			if e.Err == nil || e.Msg == "" {
				t.Fatalf("error without sentinel or message: %#v", e)
			}
			return
		}
		for _, c := range cfg.Consoles {
			uc, err := cfg.LookupConsole(t.Context(), c.Name)
			if err != nil || uc.Name != c.Name || uc.Key != c.Password.Key() {
				t.Fatalf("LookupConsole(%q) = %+v, %v", c.Name, uc, err)
			}
		}
	})
}
