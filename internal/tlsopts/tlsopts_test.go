package tlsopts

import (
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/tlspsk"
)

func TestParseProtocol(t *testing.T) {
	for _, tt := range []struct {
		in     string
		lo, hi uint16
		err    bool
	}{
		{"", tlspsk.VersionTLS12, tlspsk.VersionTLS13, false},
		{"-ALL,TLSv1.2", tlspsk.VersionTLS12, tlspsk.VersionTLS12, false},
		{"-ALL, TLSv1.3", tlspsk.VersionTLS13, tlspsk.VersionTLS13, false},
		{"ALL,-TLSv1.3", tlspsk.VersionTLS12, tlspsk.VersionTLS12, false},
		{"-TLSv1.2", tlspsk.VersionTLS13, tlspsk.VersionTLS13, false},
		{"-TLSv1,-TLSv1.1", tlspsk.VersionTLS12, tlspsk.VersionTLS13, false},
		{"-all,+tlsv1.2,+TLSv1.3", tlspsk.VersionTLS12, tlspsk.VersionTLS13, false},
		{"-ALL,TLSv1.1", 0, 0, true},
		{"-TLSv1.2,-TLSv1.3", 0, 0, true},
		{"TLSv1.4", 0, 0, true},
		{"-ALL,TLSv1.2,DTLSv1.2", tlspsk.VersionTLS12, tlspsk.VersionTLS12, false},
	} {
		lo, hi, err := ParseProtocol(tt.in)
		if (err != nil) != tt.err || lo != tt.lo || hi != tt.hi {
			t.Errorf("ParseProtocol(%q) = %#x, %#x, %v", tt.in, lo, hi, err)
		}
		if err != nil && strings.Contains(tt.in, "TLSv1.1") && !errors.Is(err, ErrUnsupported) {
			t.Errorf("ParseProtocol(%q): %v does not wrap ErrUnsupported", tt.in, err)
		}
	}
}

func TestParseCipherSuites(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []uint16
		err  string
	}{
		{"TLS_AES_128_GCM_SHA256", []uint16{tlspsk.TLS_AES_128_GCM_SHA256}, ""},
		{"TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256",
			[]uint16{tlspsk.TLS_CHACHA20_POLY1305_SHA256, tlspsk.TLS_AES_128_GCM_SHA256}, ""},
		{"TLS_AES_256_GCM_SHA384", nil, "SHA-384"},
		{"TLS_AES_128_CCM_SHA256", nil, "CCM is not implemented"},
		{"TLS_AES_128_GCM_SHA256:NOPE", nil, `unknown TLS 1.3 cipher suite "NOPE"`},
	} {
		got, err := ParseCipherSuites(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseCipherSuites(%q) = %v, want an error with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !cmp.Equal(got, tt.want) {
			t.Errorf("ParseCipherSuites(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

// cipherLists are OpenSSL cipher strings; their results over the TLS 1.2
// PSK suites are checked against the openssl command when it is there.
var cipherLists = map[string][]string{
	"ALL":                   {"ECDHE-PSK-CHACHA20-POLY1305", "PSK-AES256-GCM-SHA384", "PSK-CHACHA20-POLY1305", "PSK-AES128-GCM-SHA256"},
	"PSK-AES128-GCM-SHA256": {"PSK-AES128-GCM-SHA256"},
	"PSK-AES128-GCM-SHA256:PSK-AES256-GCM-SHA384": {"PSK-AES128-GCM-SHA256", "PSK-AES256-GCM-SHA384"},
	"ALL:!aNULL:!EXP:!LOW:!MEDIUM:@STRENGTH":      {"ECDHE-PSK-CHACHA20-POLY1305", "PSK-AES256-GCM-SHA384", "PSK-CHACHA20-POLY1305", "PSK-AES128-GCM-SHA256"},
	"ALL:!ADH:!LOW:!EXP:!MD5:@STRENGTH":           {"ECDHE-PSK-CHACHA20-POLY1305", "PSK-AES256-GCM-SHA384", "PSK-CHACHA20-POLY1305", "PSK-AES128-GCM-SHA256"},
	"AES128:CHACHA20":                             {"PSK-AES128-GCM-SHA256", "ECDHE-PSK-CHACHA20-POLY1305", "PSK-CHACHA20-POLY1305"},
	"AES128:CHACHA20:@STRENGTH":                   {"ECDHE-PSK-CHACHA20-POLY1305", "PSK-CHACHA20-POLY1305", "PSK-AES128-GCM-SHA256"},
	"PSK:-kECDHEPSK":                              {"PSK-AES256-GCM-SHA384", "PSK-CHACHA20-POLY1305", "PSK-AES128-GCM-SHA256"},
	"PSK:!CHACHA20:CHACHA20":                      {"PSK-AES256-GCM-SHA384", "PSK-AES128-GCM-SHA256"},
	"PSK:-CHACHA20:CHACHA20":                      {"PSK-AES256-GCM-SHA384", "PSK-AES128-GCM-SHA256", "ECDHE-PSK-CHACHA20-POLY1305", "PSK-CHACHA20-POLY1305"},
	"PSK:+AES":                                    {"ECDHE-PSK-CHACHA20-POLY1305", "PSK-CHACHA20-POLY1305", "PSK-AES256-GCM-SHA384", "PSK-AES128-GCM-SHA256"},
	"kPSK+AESGCM":                                 {"PSK-AES256-GCM-SHA384", "PSK-AES128-GCM-SHA256"},
	"FIPS":                                        {"PSK-AES256-GCM-SHA384", "PSK-AES128-GCM-SHA256"},
	"ECDHE-RSA-AES128-GCM-SHA256:HIGH":            {"ECDHE-PSK-CHACHA20-POLY1305", "PSK-AES256-GCM-SHA384", "PSK-CHACHA20-POLY1305", "PSK-AES128-GCM-SHA256"},
	"ECDHE-RSA-AES128-GCM-SHA256":                 nil,
	"PSK-AES128-CBC-SHA256:SHA256":                nil,
	"ECDH:ECDHE:EECDH:MEDIUM":                     nil,
}

func TestParseCipherList(t *testing.T) {
	for in, want := range cipherLists {
		if diff := cmp.Diff(want, names(ParseCipherList(in)), cmp.Comparer(func(a, b []string) bool {
			return strings.Join(a, ":") == strings.Join(b, ":")
		})); diff != "" {
			t.Errorf("ParseCipherList(%q) (-want +got):\n%s", in, diff)
		}
	}
}

// TestParseCipherListOpenSSL compares with OpenSSL's own interpretation
// of the same strings, restricted to the suites implemented here.
func TestParseCipherListOpenSSL(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl command")
	}
	ours := map[string]bool{}
	for _, s := range suites12 {
		ours[s.name] = true
	}
	for in := range cipherLists {
		out, err := exec.Command("openssl", "ciphers", "-s", "-tls1_2", "-psk", in).Output()
		var want []string
		if err == nil {
			for _, n := range strings.Split(strings.TrimSpace(string(out)), ":") {
				if ours[n] {
					want = append(want, n)
				}
			}
		}
		if got := names(ParseCipherList(in)); strings.Join(got, ":") != strings.Join(want, ":") {
			t.Errorf("%q: ours %v, openssl %v", in, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		protocol, list, suites string
		want                   Settings
		err                    string
	}{
		{"", "", "", Settings{}, ""},
		{"-ALL,TLSv1.2", "", "", Settings{MinVersion: tlspsk.VersionTLS12, MaxVersion: tlspsk.VersionTLS12}, ""},
		{"", "PSK-AES128-GCM-SHA256", "", Settings{CipherSuites: []uint16{
			tlspsk.TLS_CHACHA20_POLY1305_SHA256, tlspsk.TLS_AES_128_GCM_SHA256, tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256}}, ""},
		// A certificate cipher list leaves TLS 1.2 without a PSK suite, as
		// in OpenSSL; TLS 1.3 still works.
		{"", "ECDHE-RSA-AES256-GCM-SHA384", "", Settings{CipherSuites: []uint16{
			tlspsk.TLS_CHACHA20_POLY1305_SHA256, tlspsk.TLS_AES_128_GCM_SHA256}}, ""},
		{"-ALL,TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384", "", Settings{}, "selects none of the TLS 1.2 PSK suites"},
		{"", "", "TLS_AES_256_GCM_SHA384", Settings{}, "SHA-384"},
		{"-ALL,TLSv1.2", "", "TLS_AES_128_GCM_SHA256", Settings{MinVersion: tlspsk.VersionTLS12, MaxVersion: tlspsk.VersionTLS12,
			CipherSuites: []uint16{tlspsk.TLS_AES_128_GCM_SHA256, tlspsk.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
				tlspsk.TLS_PSK_WITH_AES_256_GCM_SHA384, tlspsk.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256}}, ""},
		{"SSLv2", "", "", Settings{MinVersion: tlspsk.VersionTLS12, MaxVersion: tlspsk.VersionTLS13}, ""},
		{"bogus", "", "", Settings{}, "unknown protocol"},
	} {
		got, err := Parse(tt.protocol, tt.list, tt.suites)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Parse(%q, %q, %q) = %v, want an error with %q", tt.protocol, tt.list, tt.suites, err, tt.err)
			}
			continue
		}
		if err != nil || !cmp.Equal(got, tt.want) {
			t.Errorf("Parse(%q, %q, %q) = %+v, %v; want %+v", tt.protocol, tt.list, tt.suites, got, err, tt.want)
		}
	}
}
