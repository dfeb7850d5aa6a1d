// Package tlsopts reads the OpenSSL settings of the Bareos TLS directives
// (TLS Protocol, TLS Cipher List, TLS Cipher Suites) and narrows them to
// what package tlspsk implements: TLS 1.2 and 1.3, the TLS 1.2 PSK suites
// with AEAD protection and the TLS 1.3 suites usable with a PSK bound to
// SHA-256. A setting that selects nothing this implementation can honour
// is an error that says so.
package tlsopts

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/uaformat/uaformat/tlspsk"
)

// ErrUnsupported is wrapped by the errors of settings that cannot be
// honoured here.
var ErrUnsupported = errors.New("not supported by this implementation")

// Settings are the TLS-PSK parameters of the directives, in the form of
// tlspsk.Config.
type Settings struct {
	// MinVersion and MaxVersion: tlspsk.VersionTLS12 or VersionTLS13.
	MinVersion, MaxVersion uint16
	// CipherSuites: the TLS 1.3 suites, then the TLS 1.2 suites, in order
	// of preference; nil means every suite tlspsk implements.
	CipherSuites []uint16
}

// Parse reads the three directives (an empty one keeps its default) and
// checks that the result leaves a usable suite for an enabled version.
func Parse(protocol, cipherList, cipherSuites string) (Settings, error) {
	var s Settings
	var err error
	if s.MinVersion, s.MaxVersion, err = ParseProtocol(protocol); err != nil {
		return Settings{}, err
	}
	if protocol == "" {
		s.MinVersion, s.MaxVersion = 0, 0
	}
	if cipherList == "" && cipherSuites == "" {
		return s, nil
	}
	tls13 := suitesOf(tlspsk.VersionTLS13)
	if cipherSuites != "" {
		if tls13, err = ParseCipherSuites(cipherSuites); err != nil {
			return Settings{}, err
		}
	}
	tls12 := suitesOf(tlspsk.VersionTLS12)
	if cipherList != "" {
		tls12 = ParseCipherList(cipherList)
	}
	lo, hi := s.MinVersion, s.MaxVersion
	if lo == 0 {
		lo, hi = tlspsk.VersionTLS12, tlspsk.VersionTLS13
	}
	usable13 := hi >= tlspsk.VersionTLS13 && len(tls13) > 0
	usable12 := lo <= tlspsk.VersionTLS12 && len(tls12) > 0
	if !usable13 && !usable12 {
		var why []string
		if hi >= tlspsk.VersionTLS13 {
			why = append(why, fmt.Sprintf("TLS Cipher Suites %q leaves no TLS 1.3 suite", cipherSuites))
		}
		if lo <= tlspsk.VersionTLS12 {
			why = append(why, fmt.Sprintf("TLS Cipher List %q selects none of the TLS 1.2 PSK suites %s",
				cipherList, strings.Join(names(suitesOf(tlspsk.VersionTLS12)), ", ")))
		}
		return Settings{}, fmt.Errorf("%w: no TLS-PSK cipher suite is left for the enabled versions: %s",
			ErrUnsupported, strings.Join(why, "; "))
	}
	s.CipherSuites = append(tls13, tls12...)
	return s, nil
}

// ParseProtocol reads an OpenSSL "Protocol" setting ("TLSv1.2",
// "-ALL,TLSv1.3", "ALL,-TLSv1.3", ...): names separated by commas (or
// blanks), each enabling a version, or disabling it with a "-" prefix,
// starting from the versions OpenSSL enables by default (TLSv1 to
// TLSv1.3). It returns the range of TLS 1.2 and 1.3 left; TLSv1 and
// TLSv1.1 are accepted and ignored (they have no AEAD suites). An empty
// setting is both versions.
func ParseProtocol(s string) (lo, hi uint16, err error) {
	enabled := map[string]bool{"TLSv1": true, "TLSv1.1": true, "TLSv1.2": true, "TLSv1.3": true}
	all := []string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		on := true
		switch tok[0] {
		case '-':
			on, tok = false, tok[1:]
		case '+':
			tok = tok[1:]
		}
		var set []string
		switch strings.ToLower(tok) {
		case "all":
			set = all
		case "sslv2", "sslv3":
			set = []string{"SSLv3"}
		case "tlsv1", "tlsv1.0":
			set = []string{"TLSv1"}
		case "tlsv1.1":
			set = []string{"TLSv1.1"}
		case "tlsv1.2":
			set = []string{"TLSv1.2"}
		case "tlsv1.3":
			set = []string{"TLSv1.3"}
		case "dtlsv1", "dtlsv1.2":
			continue // DTLS settings do not apply to TLS
		default:
			return 0, 0, fmt.Errorf("TLS Protocol %q: unknown protocol %q (known: ALL, SSLv3, TLSv1, TLSv1.1, TLSv1.2, TLSv1.3, each with an optional - or +)", s, tok)
		}
		for _, v := range set {
			enabled[v] = on
		}
	}
	switch {
	case enabled["TLSv1.2"] && enabled["TLSv1.3"]:
		return tlspsk.VersionTLS12, tlspsk.VersionTLS13, nil
	case enabled["TLSv1.2"]:
		return tlspsk.VersionTLS12, tlspsk.VersionTLS12, nil
	case enabled["TLSv1.3"]:
		return tlspsk.VersionTLS13, tlspsk.VersionTLS13, nil
	}
	return 0, 0, fmt.Errorf("TLS Protocol %q: %w: it enables neither TLSv1.2 nor TLSv1.3, the only versions implemented (older ones have no AEAD cipher suites)", s, ErrUnsupported)
}

// TLS 1.3 suite names (RFC 8446) and why some are left out.
var tls13Names = map[string]uint16{
	"TLS_AES_128_GCM_SHA256":       tlspsk.TLS_AES_128_GCM_SHA256,
	"TLS_CHACHA20_POLY1305_SHA256": tlspsk.TLS_CHACHA20_POLY1305_SHA256,
}

var tls13Unusable = map[string]string{
	"TLS_AES_256_GCM_SHA384":   "its hash is SHA-384, and the PSKs of Bareos are bound to SHA-256 (the Director cannot use it for consoles either)",
	"TLS_AES_128_CCM_SHA256":   "CCM is not implemented",
	"TLS_AES_128_CCM_8_SHA256": "CCM is not implemented",
}

// ParseCipherSuites reads an OpenSSL TLS 1.3 suite list (names separated
// by colons) and returns the suites tlspsk can use with a Bareos PSK, in
// the order given. Suites that cannot be used are left out; an unknown
// name, or a list that leaves nothing, is an error.
func ParseCipherSuites(s string) ([]uint16, error) {
	var out []uint16
	var dropped []string
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == ',' || r == ' ' }) {
		if id, ok := tls13Names[tok]; ok {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
			continue
		}
		if why, ok := tls13Unusable[tok]; ok {
			dropped = append(dropped, tok+": "+why)
			continue
		}
		return nil, fmt.Errorf("TLS Cipher Suites %q: unknown TLS 1.3 cipher suite %q", s, tok)
	}
	if len(out) == 0 {
		why := ""
		if len(dropped) > 0 {
			why = "; " + strings.Join(dropped, "; ")
		}
		return nil, fmt.Errorf("TLS Cipher Suites %q: %w: no TLS 1.3 suite usable with a Bareos PSK is left (usable: TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256)%s", s, ErrUnsupported, why)
	}
	return out, nil
}

// A TLS 1.2 PSK suite and the OpenSSL cipher-string aliases it matches.
type suite12 struct {
	id       uint16
	name     string // OpenSSL name
	strength int    // bits
	aliases  []string
}

// suites12 are the TLS 1.2 suites of tlspsk in its order of preference,
// with the aliases of OpenSSL's cipher strings (ssl_ciph.c) that match
// them. AEAD suites match no MAC alias (SHA256, SHA1, ...).
var suites12 = []suite12{
	{tlspsk.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, "ECDHE-PSK-CHACHA20-POLY1305", 256,
		[]string{"kECDHEPSK", "CHACHA20"}},
	{tlspsk.TLS_PSK_WITH_AES_256_GCM_SHA384, "PSK-AES256-GCM-SHA384", 256,
		[]string{"kPSK", "AES", "AESGCM", "AES256", "FIPS"}},
	{tlspsk.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, "PSK-CHACHA20-POLY1305", 256,
		[]string{"kPSK", "CHACHA20"}},
	{tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256, "PSK-AES128-GCM-SHA256", 128,
		[]string{"kPSK", "AES", "AESGCM", "AES128", "FIPS"}},
}

// commonAliases match every TLS 1.2 suite of tlspsk.
var commonAliases = []string{"ALL", "DEFAULT", "HIGH", "aPSK", "PSK", "TLSv1.2"}

func (s suite12) matches(alias string) bool {
	if alias == s.name || slices.Contains(commonAliases, alias) || slices.Contains(s.aliases, alias) {
		return true
	}
	return false
}

// ParseCipherList reads an OpenSSL cipher list (the TLS Cipher List of
// TLS 1.2 and lower) with OpenSSL's rules — elements separated by colons
// (or commas, blanks); "!X" removes for good, "-X" removes, "+X" moves to
// the end, "X" adds; "A+B" matches what both match; "@STRENGTH" sorts by
// key length; "@SECLEVEL=n" is accepted — over the TLS 1.2 suites of
// tlspsk. Names and aliases that match none of them (certificate suites,
// CBC, CCM, DHE-PSK and RSA-PSK suites, unknown names) select nothing, as
// OpenSSL ignores unknown names. The result may be empty: then TLS 1.2
// has no suite, as with OpenSSL when the list names no PSK suite.
func ParseCipherList(s string) []uint16 {
	var active []int // indices into suites12
	killed := make([]bool, len(suites12))
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool { return r == ':' || r == ',' || r == ' ' || r == ';' }) {
		op := byte(0)
		switch tok[0] {
		case '!', '-', '+':
			op, tok = tok[0], tok[1:]
		}
		if strings.HasPrefix(tok, "@") {
			if strings.EqualFold(tok, "@STRENGTH") {
				slices.SortStableFunc(active, func(a, b int) int { return suites12[b].strength - suites12[a].strength })
			}
			continue
		}
		parts := strings.Split(tok, "+")
		match := func(i int) bool {
			for _, p := range parts {
				if !suites12[i].matches(p) {
					return false
				}
			}
			return true
		}
		switch op {
		case '!':
			for i := range suites12 {
				if match(i) {
					killed[i] = true
				}
			}
			active = slices.DeleteFunc(active, func(i int) bool { return killed[i] })
		case '-':
			active = slices.DeleteFunc(active, match)
		case '+':
			var moved []int
			active = slices.DeleteFunc(active, func(i int) bool {
				if match(i) {
					moved = append(moved, i)
					return true
				}
				return false
			})
			active = append(active, moved...)
		default:
			for i := range suites12 {
				if match(i) && !killed[i] && !slices.Contains(active, i) {
					active = append(active, i)
				}
			}
		}
	}
	out := make([]uint16, len(active))
	for k, i := range active {
		out[k] = suites12[i].id
	}
	return out
}

// suitesOf returns tlspsk's suites of one version in its default order.
func suitesOf(v uint16) []uint16 {
	var out []uint16
	for _, id := range tlspsk.CipherSuites() {
		if is13(id) == (v == tlspsk.VersionTLS13) {
			out = append(out, id)
		}
	}
	return out
}

func is13(id uint16) bool { return id>>8 == 0x13 }

func names(ids []uint16) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = tlspsk.CipherSuiteName(id)
	}
	return out
}
