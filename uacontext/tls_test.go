package uacontext

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/tlspsk"
)

// tlsTestServer is testServer with the Director's default TLS policies
// and a console with an "[md5]" key in upper case, used as written.
func tlsTestServer() *Server {
	srv := testServer()
	srv.DefaultTLSPolicy = TLSRequired
	srv.Consoles = ConsoleSourceFunc(func(_ context.Context, name string) (*Console, error) {
		switch name {
		case "restricted":
			return &Console{Name: name, Key: bsock.PasswordKey("pw"), TLS: TLSRequired,
				ACL: ACLSet{ACLCommand: {"version", ".api"}}}, nil
		case "open":
			return &Console{Name: name, Key: bsock.PasswordKey("pw"), TLS: TLSNone}, nil
		case "enabled":
			return &Console{Name: name, Key: bsock.PasswordKey("pw"), TLS: TLSEnabled}, nil
		}
		return nil, ErrUnknownConsole
	})
	return srv
}

// tapConn records every byte read from a connection.
type tapConn struct {
	net.Conn
	mu  sync.Mutex
	got []byte
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.got = append(c.got, p[:n]...)
	c.mu.Unlock()
	return n, err
}

func (c *tapConn) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.got)
}

// servePipe runs srv.ServeConn on one end of a pipe and returns the other.
func servePipe(t *testing.T, srv *Server) net.Conn {
	t.Helper()
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeConn(ctx, a)
	}()
	t.Cleanup(func() {
		b.Close()
		cancel()
		<-done
	})
	b.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
	return b
}

// serveTCP runs srv.Serve on a loopback listener and returns a
// connection to it; the test's end closes both.
func serveTCP(t *testing.T, srv *Server) net.Conn {
	t.Helper()
	ln := listen(t)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	nc.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
	return nc
}

// tlsLogin logs in over TLS-PSK as bconsole does: the identity of the
// console, its key, then the Hello of hello (default: the console's
// name) and CRAM-MD5 inside the tunnel, announcing ssl=2.
func tlsLogin(t *testing.T, nc net.Conn, cfg tlspsk.Config, name, password string, proto bsock.Protocol) (*client, *tlspsk.Conn, bsock.ServerInfo, error) {
	t.Helper()
	login := name
	if login == "" {
		login = bsock.DefaultConsoleName
	}
	if cfg.Identity == "" {
		cfg.Identity = PSKIdentityPrefix + login
	}
	if cfg.Key == nil {
		cfg.Key = []byte(bsock.PasswordKey(password))
	}
	tc := tlspsk.Client(nc, &cfg)
	c := bsock.NewConn(tc)
	info, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{
		Name: name, Password: password, Protocol: proto, TLSPolicy: bsock.TLSRequired, TLS: true,
	})
	return &client{t: t, c: c}, tc, info, err
}

// TestTLSLogin logs in over TLS-PSK with every version and suite, as the
// default and as a named console whose TLS policy forbids cleartext, and
// checks what the session records and shows.
func TestTLSLogin(t *testing.T) {
	cases := []struct {
		name   string
		cfg    tlspsk.Config
		cipher string
	}{
		{"default", tlspsk.Config{}, "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"},
		{"TLS 1.3 AES", tlspsk.Config{CipherSuites: []uint16{tlspsk.TLS_AES_128_GCM_SHA256}}, "TLS_AES_128_GCM_SHA256 TLSv1.3"},
		{"TLS 1.3 P-256", tlspsk.Config{CurvePreferences: []tlspsk.CurveID{tlspsk.CurveP256}}, "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"},
		{"TLS 1.2 PSK-AES128", tlspsk.Config{MaxVersion: tlspsk.VersionTLS12, CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256}}, "PSK-AES128-GCM-SHA256 TLSv1.2"},
		{"TLS 1.2 PSK-AES256", tlspsk.Config{MaxVersion: tlspsk.VersionTLS12, CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_AES_256_GCM_SHA384}}, "PSK-AES256-GCM-SHA384 TLSv1.2"},
		{"TLS 1.2 PSK-CHACHA20", tlspsk.Config{MaxVersion: tlspsk.VersionTLS12, CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256}}, "PSK-CHACHA20-POLY1305 TLSv1.2"},
		{"TLS 1.2 ECDHE-PSK", tlspsk.Config{MaxVersion: tlspsk.VersionTLS12, CipherSuites: []uint16{tlspsk.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256}}, "ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2"},
	}
	for _, tc := range cases {
		for _, who := range []struct{ name, password, whoami string }{{"", rootPassword, "root"}, {"restricted", "pw", "restricted"}} {
			t.Run(tc.name+"/"+who.whoami, func(t *testing.T) {
				srv := tlsTestServer()
				cl, conn, info, err := tlsLogin(t, servePipe(t, srv), tc.cfg, who.name, who.password, bsock.Proto182)
				if err != nil {
					t.Fatalf("login: %v", err)
				}
				if got := tlspsk.CipherSuiteName(conn.ConnectionState().CipherSuite) + " " + tlspsk.VersionName(conn.ConnectionState().Version); got != tc.cipher {
					t.Errorf("negotiated %s, want %s", got, tc.cipher)
				}
				if info.Protocol != bsock.Proto182 {
					t.Errorf("protocol %v", info.Protocol)
				}
				cl.run([]step{{"whoami", []string{who.whoami + "\n", EOD}}})
				sessions := srv.Sessions()
				if len(sessions) != 1 || sessions[0].Encryption != tc.cipher {
					t.Errorf("sessions = %+v, want one with Encryption %q", sessions, tc.cipher)
				}
			})
		}
	}
}

// TestTLSLogin124 logs in over TLS with the Hello of the 12.4 protocol:
// the 1000 line names the cipher instead of None.
func TestTLSLogin124(t *testing.T) {
	srv := tlsTestServer()
	cl, _, info, err := tlsLogin(t, servePipe(t, srv), tlspsk.Config{}, "", rootPassword, bsock.Proto124)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if want := "OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3\n"; info.Message != want {
		t.Errorf("1000 line %q, want %q", info.Message, want)
	}
	cl.run([]step{{"whoami", []string{"root\n", EOD}}})
}

// TestTLSChallengePolicy checks the policy announced inside TLS and that
// a console announcing ssl=2 is accepted there whatever its own policy.
func TestTLSChallengePolicy(t *testing.T) {
	for _, tt := range []struct {
		name string
		ssl  string
	}{{"", "ssl=2"}, {"open", "ssl=0"}, {"enabled", "ssl=1"}} {
		t.Run(tt.ssl, func(t *testing.T) {
			login := tt.name
			if login == "" {
				login = bsock.DefaultConsoleName
			}
			pw := "pw"
			if tt.name == "" {
				pw = rootPassword
			}
			tc := tlspsk.Client(servePipe(t, tlsTestServer()), &tlspsk.Config{Identity: PSKIdentityPrefix + login, Key: []byte(bsock.PasswordKey(pw))})
			c := bsock.NewConn(tc)
			if err := c.Send([]byte(bsock.HelloText(login, bsock.Proto182, "26.0.0"))); err != nil {
				t.Fatal(err)
			}
			p, err := c.Recv()
			if err != nil || !strings.HasSuffix(string(p.Data), "> "+tt.ssl+"\n") {
				t.Fatalf("challenge %q, %v; want %s", p.Data, err, tt.ssl)
			}
		})
	}
	// The client side: ClientHandshake with ssl=2 inside TLS logs in as
	// console "open" (policy none).
	if _, _, _, err := tlsLogin(t, servePipe(t, tlsTestServer()), tlspsk.Config{}, "open", "pw", bsock.Proto182); err != nil {
		t.Errorf("ssl=2 inside TLS, console policy none: %v", err)
	}
}

// splitRefusal splits what a client read after a failed handshake into
// the TLS records and the bytes after them.
func splitRefusal(b []byte) (records [][]byte, rest []byte) {
	for len(b) >= 5 && b[0] >= 20 && b[0] <= 23 && b[1] == 3 {
		n := 5 + (int(b[3])<<8 | int(b[4]))
		if len(b) < n {
			break
		}
		records, b = append(records, b[:n]), b[n:]
	}
	return records, b
}

// TestTLSWrongKey checks the Director's refusal of a failed handshake:
// the TLS alert, then BNET_TERMINATE outside TLS, then the end of the
// connection, for a wrong password, an unknown console and an identity
// that is not a console's, in both versions.
func TestTLSWrongKey(t *testing.T) {
	for _, tt := range []struct {
		name     string
		identity string
		password string
		alert    tlspsk.Alert
	}{
		{"wrong password", PSKIdentityPrefix + "restricted", "wrong", tlspsk.AlertDecryptError},
		{"unknown console", PSKIdentityPrefix + "ghost", "pw", tlspsk.AlertUnknownPSKIdentity},
		{"client identity", "R_CLIENT\x1ebareos-fd", "pw", tlspsk.AlertUnknownPSKIdentity},
		{"no separator", "restricted", "pw", tlspsk.AlertUnknownPSKIdentity},
	} {
		for _, vers := range []uint16{tlspsk.VersionTLS13, tlspsk.VersionTLS12} {
			t.Run(fmt.Sprintf("%s/%s", tt.name, tlspsk.VersionName(vers)), func(t *testing.T) {
				tap := &tapConn{Conn: servePipe(t, tlsTestServer())}
				tc := tlspsk.Client(tap, &tlspsk.Config{Identity: tt.identity, Key: []byte(bsock.PasswordKey(tt.password)), MaxVersion: vers})
				err := tc.Handshake()
				var ae *tlspsk.AlertError
				if !errors.As(err, &ae) || !ae.Remote {
					t.Fatalf("handshake error %v, want a remote alert", err)
				}
				if vers == tlspsk.VersionTLS12 && tt.name == "wrong password" {
					// TLS 1.2: the server detects the wrong key in the
					// client's Finished.
					if ae.Alert != tlspsk.AlertDecryptError && ae.Alert != tlspsk.AlertBadRecordMAC {
						t.Errorf("alert %v", ae.Alert)
					}
				} else if ae.Alert != tt.alert {
					t.Errorf("alert %v, want %v", ae.Alert, tt.alert)
				}
				io.Copy(io.Discard, tap)
				recs, rest := splitRefusal(tap.bytes())
				if len(recs) == 0 || recs[len(recs)-1][0] != 21 {
					t.Errorf("no alert record before the end: %x", tap.bytes())
				}
				if !bytes.Equal(rest, terminateBytes) {
					t.Errorf("after the TLS records: %x, want ff ff ff fc", rest)
				}
			})
		}
	}
}

// TestTLSIdentityMismatch logs in with the key of one console and a
// Hello naming another: after the fail delay the Director sends
// BNET_TERMINATE (inside TLS) and closes.
func TestTLSIdentityMismatch(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := tlsTestServer()
		srv.FailDelay = 3 * time.Second
		tc := tlspsk.Client(servePipe(t, srv), &tlspsk.Config{Identity: PSKIdentityPrefix + "open", Key: []byte(bsock.PasswordKey("pw"))})
		c := bsock.NewConn(tc)
		start := time.Now()
		if err := c.Send([]byte(bsock.HelloText(bsock.DefaultConsoleName, bsock.Proto182, "26.0.0"))); err != nil {
			t.Fatal(err)
		}
		p, err := c.Recv()
		if !errors.Is(err, bsock.ErrTerminated) {
			t.Fatalf("answer to the Hello: %v %v, want BNET_TERMINATE", p, err)
		}
		if el := time.Since(start); el != 3*time.Second {
			t.Errorf("refused after %v, want the fail delay", el)
		}
		if _, err := c.Recv(); !errors.Is(err, io.EOF) {
			t.Errorf("after TERMINATE: %v, want EOF", err)
		}
	})
}

// TestCleartextPolicy checks what the TLS policies let in without TLS:
// a console of the 18.2 protocol only with policy none (others get
// BNET_TERMINATE right after the Hello, without delay); an older console
// with policy none or enabled (required fails after CRAM-MD5 with the
// 12.4 refusal).
func TestCleartextPolicy(t *testing.T) {
	for _, tt := range []struct {
		console string
		proto   bsock.Protocol
		want    string // "ok", "terminate", "refused"
	}{
		{"", bsock.Proto182, "terminate"},
		{"", bsock.Proto124, "refused"},
		{"restricted", bsock.Proto182, "terminate"},
		{"restricted", bsock.Proto124, "refused"},
		{"enabled", bsock.Proto182, "terminate"},
		{"enabled", bsock.Proto124, "ok"},
		{"open", bsock.Proto182, "ok"},
		{"open", bsock.Proto124, "ok"},
		{"ghost", bsock.Proto182, "terminate"},
	} {
		t.Run(fmt.Sprintf("%s/%v", tt.console, tt.proto), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := tlsTestServer()
				srv.FailDelay = 5 * time.Second
				c := bsock.NewConn(servePipe(t, srv))
				pw := "pw"
				if tt.console == "" {
					pw = rootPassword
				}
				start := time.Now()
				_, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Name: tt.console, Password: pw, Protocol: tt.proto})
				switch tt.want {
				case "ok":
					if err != nil {
						t.Fatalf("login: %v", err)
					}
					(&client{t: t, c: c}).run([]step{{"whoami", []string{tt.console + "\n", EOD}}})
				case "terminate":
					if !errors.Is(err, bsock.ErrTerminated) {
						t.Errorf("login: %v, want BNET_TERMINATE before the challenge", err)
					}
					if el := time.Since(start); el != 0 {
						t.Errorf("refused after %v, want at once", el)
					}
				case "refused":
					if !errors.Is(err, bsock.ErrTLSRequired) {
						t.Errorf("login: %v, want ErrTLSRequired", err)
					}
				}
			})
		})
	}
}

// TestCleartextRefusalOnTheWire checks the server's side of a refused
// 12.4 login without TLS for a console that requires it: CRAM-MD5
// succeeds, then "1999 You are not authorized." and the end.
func TestCleartextRefusalOnTheWire(t *testing.T) {
	c := bsock.NewConn(servePipe(t, tlsTestServer()))
	key := bsock.PasswordKey(rootPassword)
	send := func(s string) {
		if err := c.Send([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	recv := func() string {
		p, err := c.Recv()
		if err != nil {
			return "error: " + err.Error()
		}
		return string(p.Data)
	}
	send("Hello *UserAgent* calling\n")
	chal := recv()
	if !strings.HasSuffix(chal, " ssl=2\n") {
		t.Fatalf("challenge %q, want ssl=2", chal)
	}
	ch, err := bsock.ParseChallenge([]byte(chal))
	if err != nil {
		t.Fatal(err)
	}
	_, bar := bsock.CramAnswers(key, ch.Text)
	send(bar)
	if got := recv(); got != "1000 OK auth\n" {
		t.Fatalf("verdict %q", got)
	}
	own := "<1.2@python>"
	send("auth cram-md5 " + own + " ssl=0\n")
	_, answer := bsock.CramAnswers(key, own)
	if got := recv(); got != answer+"\x00" {
		t.Fatalf("answer %q", got)
	}
	send("1000 OK auth\n")
	if got := recv(); got != "1999 You are not authorized.\n" {
		t.Errorf("after the CRAM-MD5 exchange: %q", got)
	}
	if _, err := c.Recv(); !errors.Is(err, io.EOF) {
		t.Errorf("then %v, want EOF", err)
	}
}

// TestTLSOverTCP runs a TLS-PSK login over a loopback TCP connection with
// Serve, reads a long answer and quits: the server ends the session with
// close_notify.
func TestTLSOverTCP(t *testing.T) {
	nc := serveTCP(t, tlsTestServer())
	cl, _, _, err := tlsLogin(t, nc, tlspsk.Config{}, "", rootPassword, bsock.Proto182)
	if err != nil {
		t.Fatal(err)
	}
	got := cl.do(".help")
	if len(got) < 10 || got[len(got)-1] != EOD {
		t.Errorf(".help: %d packets", len(got))
	}
	if err := cl.c.Send([]byte("quit")); err != nil {
		t.Fatal(err)
	}
	if p, err := cl.c.Recv(); !errors.Is(err, io.EOF) {
		t.Errorf("after quit: %v %v, want EOF (close_notify)", p, err)
	}
}

// selfSigned returns a certificate for "console.example" and its pool.
func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "console.example"},
		DNSNames: []string{"console.example"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}

// TestCertificateTLS logs in with TLS through certificates (a ClientHello
// without PSK) and, on the same server, with TLS-PSK.
func TestCertificateTLS(t *testing.T) {
	cert, pool := selfSigned(t)
	srv := tlsTestServer()
	srv.TLS = &TLSConfig{Certificates: &tls.Config{
		Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.RequireAndVerifyClientCert,
	}}
	for _, vers := range []uint16{tls.VersionTLS13, tls.VersionTLS12} {
		t.Run(tls.VersionName(vers), func(t *testing.T) {
			tc := tls.Client(servePipe(t, srv), &tls.Config{
				ServerName: "console.example", RootCAs: pool, Certificates: []tls.Certificate{cert}, MaxVersion: vers,
			})
			c := bsock.NewConn(tc)
			if _, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Password: rootPassword, TLSPolicy: bsock.TLSRequired, TLS: true}); err != nil {
				t.Fatalf("login: %v", err)
			}
			(&client{t: t, c: c}).run([]step{{"whoami", []string{"root\n", EOD}}})
			want := "TLS_AES_128_GCM_SHA256 TLSv1.3"
			if vers == tls.VersionTLS12 {
				want = "ECDHE-ECDSA-AES128-GCM-SHA256 TLSv1.2"
			}
			if s := srv.Sessions(); len(s) != 1 || s[0].Encryption != want {
				t.Errorf("sessions %+v, want Encryption %q", s, want)
			}
		})
	}
	t.Run("PSK", func(t *testing.T) {
		if _, _, _, err := tlsLogin(t, servePipe(t, srv), tlspsk.Config{}, "", rootPassword, bsock.Proto182); err != nil {
			t.Errorf("TLS-PSK next to certificates: %v", err)
		}
	})
	t.Run("no client certificate", func(t *testing.T) {
		// Over TCP: the server's alert crosses the client's first data
		// record, which net.Pipe (without buffers) cannot carry.
		tc := tls.Client(serveTCP(t, srv), &tls.Config{ServerName: "console.example", RootCAs: pool})
		c := bsock.NewConn(tc)
		if _, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Password: rootPassword, TLS: true}); err == nil {
			t.Error("login without the client certificate the server requires succeeded")
		}
	})
}

// clientHello returns the first flight of a client.
func clientHello(t testing.TB, start func(net.Conn)) []byte {
	t.Helper()
	a, b := net.Pipe()
	go start(a)
	b.SetReadDeadline(time.Now().Add(10 * time.Second))
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(b, hdr); err != nil {
		t.Fatal(err)
	}
	body := make([]byte, int(hdr[3])<<8|int(hdr[4]))
	if _, err := io.ReadFull(b, body); err != nil {
		t.Fatal(err)
	}
	b.Close()
	a.Close()
	return body
}

func TestClientHelloOffersPSK(t *testing.T) {
	cryptoTLS := clientHello(t, func(c net.Conn) { tls.Client(c, &tls.Config{InsecureSkipVerify: true}).Handshake() })
	psk13 := clientHello(t, func(c net.Conn) {
		tlspsk.Client(c, &tlspsk.Config{Identity: "x", Key: []byte("k")}).Handshake()
	})
	psk12 := clientHello(t, func(c net.Conn) {
		tlspsk.Client(c, &tlspsk.Config{Identity: "x", Key: []byte("k"), MaxVersion: tlspsk.VersionTLS12}).Handshake()
	})
	for _, tt := range []struct {
		name string
		msg  []byte
		want bool
	}{
		{"crypto/tls", cryptoTLS, false},
		{"tlspsk TLS 1.3", psk13, true},
		{"tlspsk TLS 1.2", psk12, true},
		{"cut in the extensions", cryptoTLS[:len(cryptoTLS)-3], true},
		{"cut in the suites", cryptoTLS[:45], true},
		{"not a ClientHello", append([]byte{2}, cryptoTLS[1:]...), true},
		{"empty", nil, true},
	} {
		if got := clientHelloOffersPSK(tt.msg); got != tt.want {
			t.Errorf("%s: clientHelloOffersPSK = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestTLSPolicyOf(t *testing.T) {
	got := []TLSPolicy{TLSPolicyOf(false, false), TLSPolicyOf(false, true), TLSPolicyOf(true, false), TLSPolicyOf(true, true)}
	if diff := cmp.Diff([]TLSPolicy{TLSNone, TLSNone, TLSEnabled, TLSRequired}, got); diff != "" {
		t.Error(diff)
	}
	if TLSRequired.String() != "required" || TLSPolicy(7).String() != "TLSPolicy(7)" {
		t.Error("String")
	}
}

func TestOpenSSLCipherName(t *testing.T) {
	for id, want := range map[uint16]string{
		tls.TLS_CHACHA20_POLY1305_SHA256:                   "TLS_CHACHA20_POLY1305_SHA256",
		tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:          "ECDHE-RSA-AES256-GCM-SHA384",
		tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256:             "PSK-AES128-GCM-SHA256",
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256:        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
		tlspsk.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-PSK-CHACHA20-POLY1305",
	} {
		if got := OpenSSLCipherName(id); got != want {
			t.Errorf("OpenSSLCipherName(%#04x) = %q, want %q", id, got, want)
		}
	}
}
