package tlspsk

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func TestConfigCheck(t *testing.T) {
	tests := []struct {
		name   string
		client bool
		mod    func(*Config)
	}{
		{"nil GetKey", false, func(c *Config) { c.GetKey = nil }},
		{"no identity", true, func(c *Config) { c.Identity = "" }},
		{"long identity", true, func(c *Config) { c.Identity = strings.Repeat("x", maxIdentityLen+1) }},
		{"no key", true, func(c *Config) { c.Key = nil }},
		{"TLS 1.1", false, func(c *Config) { c.MinVersion = 0x0302 }},
		{"min above max", false, func(c *Config) { c.MinVersion, c.MaxVersion = VersionTLS13, VersionTLS12 }},
		{"unknown suite", false, func(c *Config) { c.CipherSuites = []uint16{0x1302} }},
		{"no suite for the versions", false, func(c *Config) {
			c.MaxVersion, c.CipherSuites = VersionTLS12, []uint16{TLS_AES_128_GCM_SHA256}
		}},
		{"empty suites", false, func(c *Config) { c.CipherSuites = []uint16{} }},
		{"unknown group", false, func(c *Config) { c.CurvePreferences = []CurveID{24} }},
		{"empty groups", false, func(c *Config) { c.CurvePreferences = []CurveID{} }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := serverConfig()
			if tc.client {
				cfg = clientConfig()
			}
			tc.mod(cfg)
			a, _ := net.Pipe()
			defer a.Close()
			c := Server(a, cfg)
			if tc.client {
				c = Client(a, cfg)
			}
			if err := c.Handshake(); !errors.Is(err, ErrConfig) {
				t.Fatalf("Handshake = %v, want ErrConfig", err)
			}
		})
	}
	if err := Server(nil, nil).Handshake(); !errors.Is(err, ErrConfig) {
		t.Errorf("nil config: %v", err)
	}
}

// TestCloseWrite: after the client's CloseWrite the server reads EOF and
// can still answer.
func TestCloseWrite(t *testing.T) {
	for _, v := range []uint16{VersionTLS12, VersionTLS13} {
		cc := clientConfig()
		cc.MaxVersion = v
		cli, srv, cerr, serr := handshakePair(t, cc, serverConfig(), nil)
		if cerr != nil || serr != nil {
			t.Fatalf("handshake: %v, %v", cerr, serr)
		}
		io.WriteString(cli, "request")
		if err := cli.CloseWrite(); err != nil {
			t.Fatal(err)
		}
		if _, err := cli.Write([]byte("x")); err == nil {
			t.Error("Write after CloseWrite succeeded")
		}
		got, err := io.ReadAll(srv)
		if err != nil || string(got) != "request" {
			t.Fatalf("server read %q, %v", got, err)
		}
		io.WriteString(srv, "answer")
		srv.Close()
		got, err = io.ReadAll(cli)
		if err != nil || string(got) != "answer" {
			t.Fatalf("client read %q, %v", got, err)
		}
		cli.Close()
	}
}

// TestCleartextHello: a cleartext console Hello given to the server is
// refused at once with an alert.
func TestCleartextHello(t *testing.T) {
	c1, c2 := tcpPair(t)
	hello := "Hello *UserAgent* calling version 18.2.5\n"
	go func() {
		c1.Write(append([]byte{0, 0, 0, byte(len(hello))}, hello...))
	}()
	err := Server(c2, serverConfig()).Handshake()
	var ae *AlertError
	if !errors.As(err, &ae) || ae.Remote {
		t.Fatalf("Handshake = %v, want an alert sent", err)
	}
	c1.SetReadDeadline(time.Now().Add(5 * time.Second))
	rec, err := readRawRecord(c1)
	if err != nil || rec[0] != byte(recordAlert) || len(rec) != 7 || rec[5] != 2 {
		t.Fatalf("peer got %x, %v; want a fatal alert record", rec, err)
	}
}

// TestFallbackSCSV: a client that retries with TLS 1.2 and says so
// (TLS_FALLBACK_SCSV) is refused by a TLS 1.3 server.
func TestFallbackSCSV(t *testing.T) {
	c1, c2 := tcpPair(t)
	ch := &clientHello{
		vers: VersionTLS12, random: make([]byte, 32), sessionID: []byte{},
		cipherSuites:         []uint16{TLS_PSK_WITH_AES_128_GCM_SHA256, scsvFallback},
		compressionMethods:   []byte{0},
		extendedMasterSecret: true,
	}
	msg := ch.marshal()
	go c1.Write(append([]byte{22, 3, 1, byte(len(msg) >> 8), byte(len(msg))}, msg...))
	err := Server(c2, serverConfig()).Handshake()
	var ae *AlertError
	if !errors.As(err, &ae) || ae.Alert != AlertInappropriateFallback {
		t.Fatalf("Handshake = %v, want inappropriate_fallback", err)
	}
}

// TestDowngradeDetected: a man in the middle that removes TLS 1.3 from the
// client's supported_versions gets a TLS 1.2 ServerHello with the
// downgrade sentinel, which the client refuses.
func TestDowngradeDetected(t *testing.T) {
	cli, srv := mitmPair(t, clientConfig(), serverConfig(), func(d direction, i int, rec []byte) []byte {
		if d == toServer && i == 0 {
			// supported_versions: 1.3, 1.2 -> 1.2, 1.2
			return bytes.Replace(rec, []byte{0, 43, 0, 5, 4, 3, 4, 3, 3}, []byte{0, 43, 0, 5, 4, 3, 3, 3, 3}, 1)
		}
		return rec
	})
	cerr, serr := runPair(cli, srv)
	var ae *AlertError
	if !errors.As(cerr, &ae) || ae.Alert != AlertIllegalParameter || !strings.Contains(cerr.Error(), "downgrade") {
		t.Fatalf("client: %v, want the downgrade refused", cerr)
	}
	if serr == nil {
		t.Fatal("server completed")
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{VersionName(VersionTLS13), "TLSv1.3"},
		{VersionName(VersionTLS12), "TLSv1.2"},
		{CipherSuiteName(TLS_CHACHA20_POLY1305_SHA256), "TLS_CHACHA20_POLY1305_SHA256"},
		{CipherSuiteName(TLS_PSK_WITH_AES_128_GCM_SHA256), "PSK-AES128-GCM-SHA256"},
		{CipherSuiteName(0x1302), "unknown(0x1302)"},
		{AlertUnknownPSKIdentity.String(), "unknown psk identity"},
		{Alert(200).String(), "alert(200)"},
		{X25519.String(), "X25519"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	if got := CipherSuites(); len(got) != len(suiteTable) || got[0] != TLS_CHACHA20_POLY1305_SHA256 {
		t.Errorf("CipherSuites() = %#04x", got)
	}
}

var _ net.Conn = (*Conn)(nil)

// TestCloseWipes: Close zeroes the traffic secrets and the buffers that
// held plaintext.
func TestCloseWipes(t *testing.T) {
	for _, v := range []uint16{VersionTLS12, VersionTLS13} {
		cc := clientConfig()
		cc.MaxVersion = v
		cli, srv, cerr, serr := handshakePair(t, cc, serverConfig(), nil)
		if cerr != nil || serr != nil {
			t.Fatalf("handshake: %v, %v", cerr, serr)
		}
		transfer(t, cli, srv, 50000)
		secrets := [][]byte{cli.in.secret, cli.out.secret}
		raw, out := cli.raw[:cap(cli.raw)], cli.outBuf[:cap(cli.outBuf)]
		cli.Close()
		srv.Close()
		for i, s := range append(secrets, raw, out) {
			if !bytes.Equal(s, make([]byte, len(s))) {
				t.Errorf("%s: buffer %d not wiped", VersionName(v), i)
			}
		}
		if cli.in.aead != nil || cli.out.aead != nil || cli.in.iv != [12]byte{} || cli.out.iv != [12]byte{} {
			t.Errorf("%s: keys left after Close", VersionName(v))
		}
		if v == VersionTLS13 && (len(secrets[0]) == 0 || len(secrets[1]) == 0) {
			t.Errorf("no TLS 1.3 secrets to check")
		}
	}
}

// TestLookupKey: the first identity GetKey knows wins; at most
// maxPSKIdentities are tried; bad keys are refused.
func TestLookupKey(t *testing.T) {
	c := &Conn{config: &Config{GetKey: testGetKey(map[string][]byte{
		"known": []byte("k"), "empty": {}, "huge": make([]byte, maxKeyLen+1),
	})}}
	ctx := t.Context()
	key, idx, err := c.lookupKey(ctx, [][]byte{[]byte("a"), []byte("empty"), []byte("known")})
	if err != nil || idx != 2 || string(key) != "k" {
		t.Errorf("lookupKey = %q, %d, %v", key, idx, err)
	}
	many := make([][]byte, maxPSKIdentities, maxPSKIdentities+1)
	for i := range many {
		many[i] = []byte("nobody")
	}
	_, _, err = c.lookupKey(ctx, append(many, []byte("known")))
	var ae *AlertError
	if !errors.As(err, &ae) || ae.Alert != AlertUnknownPSKIdentity || !errors.Is(err, ErrUnknownIdentity) {
		t.Errorf("17th identity: %v", err)
	}
	if _, _, err = c.lookupKey(ctx, [][]byte{[]byte("huge")}); err == nil {
		t.Error("oversized key accepted")
	}
}
