package bsock

import (
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseHello(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Hello
	}{
		{"bconsole 25", "Hello *UserAgent* calling version 25.0.0~pre12.abc Version=\"25.0.0\"\n",
			Hello{Name: "*UserAgent*", Version: 2500, Protocol: Proto182}},
		{"bconsole named", "Hello admin calling version 23.1.2 Version=\"23.1.2\"\n",
			Hello{Name: "admin", Version: 2301, Protocol: Proto182}},
		{"python 18.2", "Hello *UserAgent* calling version 18.2.5\n",
			Hello{Name: "*UserAgent*", Version: 1802, Protocol: Proto182}},
		{"python 12.4", "Hello *UserAgent* calling\n",
			Hello{Name: "*UserAgent*", Protocol: Proto124}},
		{"python bashed name", "Hello my\x01console calling version 24.0.1\n",
			Hello{Name: "my console", Version: 2400, Protocol: Proto182}},
		{"php named", "Hello admin calling version 25.0.0\n",
			Hello{Name: "admin", Version: 2500, Protocol: Proto182}},
		{"php default", "Hello *UserAgent* calling\n",
			Hello{Name: "*UserAgent*", Protocol: Proto124}},
		{"bacula default", "Hello *UserAgent* calling 100\n",
			Hello{Name: "*UserAgent*", Protocol: Proto124}},
		{"bacula named", "Hello admin calling 100\n",
			Hello{Name: "admin", Protocol: Proto124}},
		{"old bareos 17.2", "Hello *UserAgent* calling version 17.2.7\n",
			Hello{Name: "*UserAgent*", Version: 1702, Protocol: Proto124}},
		{"version 18.1 is old", "Hello x calling version 18.1\n",
			Hello{Name: "x", Version: 1801, Protocol: Proto124}},
		{"no newline", "Hello *UserAgent* calling",
			Hello{Name: "*UserAgent*", Protocol: Proto124}},
		{"NUL cuts", "Hello *UserAgent* calling\x00version x\n",
			Hello{Name: "*UserAgent*", Protocol: Proto124}},
		{"empty version token", "Hello abcdef calling version  x\n",
			Hello{Name: "abcdef", Protocol: Proto124}},
		{"token 3 not checked", "Hello abc calling foo 19.4\n",
			Hello{Name: "abc", Version: 1904, Protocol: Proto182}},
		{"signed parts", "Hello abc calling v +19.4x\n",
			Hello{Name: "abc", Version: 1904, Protocol: Proto182}},
		// Console names that look like daemon Hellos are read from token 2
		// and carry no version, like the reference does it.
		{"name starting with Director", "Hello Directorate calling version 25.0.0\n",
			Hello{Name: "calling", Protocol: Proto124}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHello([]byte(tt.in))
			if err != nil {
				t.Fatalf("ParseHello(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseHello(%q) (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseHelloRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"too short", "Hello a calling"[:14]},
		{"too long", "Hello " + strings.Repeat("x", 140) + " calling\n"},
		{"no calling", "Hello *UserAgent* callin\n"},
		{"not hello", "Hallo *UserAgent* calling\n"},
		{"lowercase", "hello *UserAgent* calling\n"},
		{"version without dot", "Hello *UserAgent* calling version 25\n"},
		{"version not numeric", "Hello *UserAgent* calling version a.b\n"},
		{"version minor empty", "Hello *UserAgent* calling version 25.\n"},
		{"version leading dot", "Hello *UserAgent* calling version .25\n"},
		{"version overflow", "Hello x calling v 99999999999999999999.1\n"},
		{"name too long", "Hello " + strings.Repeat("n", 128) + " calling\n"},
		{"file daemon", "Hello Client fd-1 calling\n"},
		{"file daemon versioned", "Hello Client fd-1 FdProtocolVersion=4 calling\n"},
		{"empty name", "Hello  calling version 1.2\n"},
		{"NUL early", "Hello\x00*UserAgent* calling\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseHello([]byte(tt.in))
			if !errors.Is(err, ErrBadHello) {
				t.Errorf("ParseHello(%q) = %+v, %v; want ErrBadHello", tt.in, got, err)
			}
		})
	}
}

func TestParseHelloLengthLimits(t *testing.T) {
	// The shortest valid Hello has 15 bytes; padding after "calling" keeps
	// it valid up to the limit of 153 bytes.
	for _, tc := range []struct {
		n  int
		ok bool
	}{{15, true}, {16, true}, {153, true}, {154, false}, {1000, false}} {
		in := "Hello n calling"
		if tc.n > len(in) {
			in += strings.Repeat(" ", tc.n-len(in)-1) + "\n"
		}
		if len(in) != tc.n {
			t.Fatalf("test input has %d bytes, want %d", len(in), tc.n)
		}
		_, err := ParseHello([]byte(in))
		if (err == nil) != tc.ok {
			t.Errorf("length %d: err = %v, want ok=%v", tc.n, err, tc.ok)
		}
	}
}

func TestHelloText(t *testing.T) {
	tests := []struct {
		name    string
		proto   Protocol
		version string
		want    string
	}{
		{"", ProtoAuto, "18.2.5", "Hello *UserAgent* calling version 18.2.5\n"},
		{"", Proto124, "18.2.5", "Hello *UserAgent* calling\n"},
		{"my console", Proto182, "25.0.0", "Hello my\x01console calling version 25.0.0\n"},
	}
	for _, tt := range tests {
		if got := HelloText(tt.name, tt.proto, tt.version); got != tt.want {
			t.Errorf("HelloText(%q, %v, %q) = %q, want %q", tt.name, tt.proto, tt.version, got, tt.want)
		}
		h, err := ParseHello([]byte(HelloText(tt.name, tt.proto, tt.version)))
		if err != nil {
			t.Errorf("own Hello does not parse: %v", err)
		}
		wantName := tt.name
		if wantName == "" {
			wantName = DefaultConsoleName
		}
		if h.Name != wantName {
			t.Errorf("round trip name %q, want %q", h.Name, wantName)
		}
	}
}

func TestParseChallenge(t *testing.T) {
	tests := []struct {
		in   string
		want Challenge
	}{
		{"auth cram-md5 <1234567890.1700000000@*UserAgent*> ssl=0\n",
			Challenge{Text: "<1234567890.1700000000@*UserAgent*>", HasSSL: true}},
		{"auth cram-md5c <1.2@php-bsock> ssl=1\n",
			Challenge{Text: "<1.2@php-bsock>", Compatible: true, SSL: 1, HasSSL: true}},
		{"auth cram-md5 <1.2@bconsole> ssl=2 qualified-name=x\n",
			Challenge{Text: "<1.2@bconsole>", SSL: 2, HasSSL: true}},
		{"auth cram-md5 <1.2@x>\n", Challenge{Text: "<1.2@x>"}},
		{"auth cram-md5 <1.2@x>", Challenge{Text: "<1.2@x>"}},
		{"auth cram-md5 <1.2@x> ssl=0\x00junk", Challenge{Text: "<1.2@x>", HasSSL: true}},
	}
	for _, tt := range tests {
		got, err := ParseChallenge([]byte(tt.in))
		if err != nil {
			t.Errorf("ParseChallenge(%q): %v", tt.in, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseChallenge(%q) (-want +got):\n%s", tt.in, diff)
		}
	}
	for _, in := range []string{"", "auth md5 <1.2@x>", "Auth cram-md5 <1.2@x>", "auth cram-md4 <1.2@x>"} {
		if _, err := ParseChallenge([]byte(in)); !errors.Is(err, ErrBadChallenge) {
			t.Errorf("ParseChallenge(%q) = %v, want ErrBadChallenge", in, err)
		}
	}
}

func TestChallengeName(t *testing.T) {
	good := map[string]string{
		"<1234567890.1700000000@R_DIRECTOR::bareos-dir>":      "R_DIRECTOR::bareos-dir",
		"<9999999999.1700000000@php-bsock>":                   "php-bsock", // > 32 bits
		"<.@x>":                                               "x",         // empty digit runs
		"<123456789012345678901234567890.1@R_CONSOLE::admin>": "R_CONSOLE::admin",
	}
	for in, want := range good {
		got, err := ChallengeName(in)
		if err != nil || got != want {
			t.Errorf("ChallengeName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "1.2@x>", "<a.2@x>", "<1-2@x>", "<1.2x>", "<1.2@", "<1.2"} {
		if got, err := ChallengeName(in); !errors.Is(err, ErrBadChallenge) {
			t.Errorf("ChallengeName(%q) = %q, %v; want ErrBadChallenge", in, got, err)
		}
	}
	if err := checkNotOwn("<1.2@R_DIRECTOR::bareos\x01dir>", "R_DIRECTOR::bareos dir"); !errors.Is(err, ErrReplay) {
		t.Errorf("own challenge: %v, want ErrReplay", err)
	}
	if err := checkNotOwn("<1.2@R_CONSOLE::x>", "R_DIRECTOR::bareos-dir"); err != nil {
		t.Errorf("foreign challenge: %v", err)
	}
}

func TestCramVectors(t *testing.T) {
	// Spec §3.3, password "secret".
	key := PasswordKey("secret")
	if key != "5ebe2294ecd0e0f08eab7690d2a6ee69" {
		t.Fatalf("PasswordKey = %q", key)
	}
	tests := []struct{ chal, hexDigest, std, bareos string }{
		{"<1234567890.1700000000@R_DIRECTOR::bareos-dir>", "c06452e19309c10ed3d212dd6f13d648",
			"wGRS4ZMJwQ7T0hLdbxPWSA", "wGRS45MJwQ/T0h/dbx/WSA"},
		{"<1234567890.1700000000@*UserAgent*>", "3d350cd0d6c584549fedc1285441e5ff",
			"PTUM0NbFhFSf7cEoVEHl/w", "PTUM09/FhF+f78EoVE/l/D"},
	}
	for _, tt := range tests {
		d := cramDigest(key, tt.chal)
		if got := strings.ToLower(strings.TrimSpace(hexString(d))); got != tt.hexDigest {
			t.Errorf("HMAC(%q) = %s, want %s", tt.chal, got, tt.hexDigest)
		}
		std, bar := CramAnswers(key, tt.chal)
		if std != tt.std || bar != tt.bareos {
			t.Errorf("CramAnswers(%q) = %q, %q; want %q, %q", tt.chal, std, bar, tt.std, tt.bareos)
		}
	}
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestBase64(t *testing.T) {
	tests := []struct {
		in          []byte
		std, bareos string
	}{
		{nil, "", ""},
		{[]byte{0}, "AA", "AA"},
		{[]byte("f"), "Zg", "ZC"},
		{[]byte("fo"), "Zm8", "ZmP"},
		{[]byte("foo"), "Zm9v", "Zm9v"},
		{[]byte{0xff}, "/w", "/D"},
		{[]byte{0x01, 0x80}, "AYA", "A4A"},
	}
	for _, tt := range tests {
		if got := Base64Standard(tt.in); got != tt.std {
			t.Errorf("Base64Standard(%x) = %q, want %q", tt.in, got, tt.std)
		}
		if got := Base64Bareos(tt.in); got != tt.bareos {
			t.Errorf("Base64Bareos(%x) = %q, want %q", tt.in, got, tt.bareos)
		}
	}
	// The standard variant is RFC 4648 without padding, for any input.
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		b := make([]byte, r.IntN(40))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		if got, want := Base64Standard(b), base64.RawStdEncoding.EncodeToString(b); got != want {
			t.Fatalf("Base64Standard(%x) = %q, want %q", b, got, want)
		}
	}
}
