package config

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/uaformat/uaformat/tlspsk"
)

const bconsoleConf = `
Director {
  Name = bareos-dir
  DIRport = 9101
  address = localhost
  Password = "secret"
  TLS Protocol = "-ALL,TLSv1.2"
}
Director {
  Name = other-dir
  Address = 10.0.0.1
  Port = 9102
}
Console {
  Name = admin
  Password = "[md5]5EBE2294ECD0E0F08EAB7690D2A6EE69"
  Director = other-dir
  TLS Enable = no
  History Length = 50
}
Console {
  Name = roamer
  Password = pw
}
`

func TestConsoleConfig(t *testing.T) {
	cc, err := ParseConsoleConfig("bconsole.conf", []byte(bconsoleConf), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cc.Directors) != 2 || len(cc.Consoles) != 2 {
		t.Fatalf("%d directors, %d consoles", len(cc.Directors), len(cc.Consoles))
	}
	d, c, err := cc.Select("bareos-dir")
	if err != nil || d.Addr() != "localhost:9101" || c == nil || c.Name != "roamer" {
		t.Errorf("Select(bareos-dir) = %+v, %+v, %v; want the Console without Director", d, c, err)
	}
	psk, err := d.TLS.PSK()
	if err != nil || psk.MaxVersion != tlspsk.VersionTLS12 {
		t.Errorf("bareos-dir PSK = %+v, %v", psk, err)
	}
	d, c, err = cc.Select("other-dir")
	if err != nil || d.Addr() != "10.0.0.1:9102" || c == nil || c.Name != "admin" || c.TLS.Enable || c.HistoryLength != 50 {
		t.Errorf("Select(other-dir) = %+v, %+v, %v; want admin", d, c, err)
	}
	if c.Password.Key() != "5EBE2294ECD0E0F08EAB7690D2A6EE69" {
		t.Errorf("md5 key %q, want it as written", c.Password.Key())
	}
	if _, _, err := cc.Select(""); !errors.Is(err, ErrNoDirector) {
		t.Errorf("Select(\"\") with two Directors = %v", err)
	}
	if _, _, err := cc.Select("nope"); !errors.Is(err, ErrNoDirector) {
		t.Errorf("Select(nope) = %v", err)
	}

	// One Director, no Console: the default console with the Director's
	// password.
	cc, err = ParseConsoleConfig("b.conf", []byte("Director { Name = d; Address = h; Password = p }\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if d, c, err := cc.Select(""); err != nil || d.Name != "d" || c != nil || d.Port != DefaultDirPort {
		t.Errorf("Select = %+v, %+v, %v", d, c, err)
	}
}

func TestConsoleConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want error
	}{
		{"Console { Name = a; Password = p }\n", ErrMissing}, // no Director
		{"Director { Name = d }\n", ErrMissing},              // no Address
		{"Director { Name = d; Address = h; Query File = x }\n", ErrUnknownDirective},
		{"Director { Name = d; Address = h; TLS Cipher Suites = TLS_AES_256_GCM_SHA384 }\n", ErrUnsupportedTLS},
		{"Director { Name = d; Address = h }\nConsole { Name = a }\n", ErrMissing},
	} {
		if _, err := ParseConsoleConfig("b.conf", []byte(tt.src), Options{}); !errors.Is(err, tt.want) {
			t.Errorf("ParseConsoleConfig(%q) = %v, want %v", tt.src, err, tt.want)
		}
	}
	cc, err := ParseConsoleConfig("b.conf", []byte("Director { Name = d; Address = h }\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := cc.Select(""); !errors.Is(err, ErrMissing) {
		t.Errorf("no password anywhere: Select = %v", err)
	}
}

func TestLoadConsoleConfigLayouts(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "bconsole.d", "director")
	if err := os.MkdirAll(sub, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(sub, "d.conf"), []byte("Director { Name = d; Address = h; Password = p }\n"), 0o600)
	cc, err := LoadConsoleConfig(dir, Options{})
	if err != nil || len(cc.Directors) != 1 {
		t.Fatalf("bconsole.d layout: %+v, %v", cc, err)
	}
	os.WriteFile(filepath.Join(dir, "bconsole.conf"), []byte("Director { Name = e; Address = h; Password = p }\n"), 0o600)
	cc, err = LoadConsoleConfig(dir, Options{})
	if err != nil || len(cc.Directors) != 1 || cc.Directors[0].Name != "e" {
		t.Fatalf("bconsole.conf first: %+v, %v", cc, err)
	}
}
