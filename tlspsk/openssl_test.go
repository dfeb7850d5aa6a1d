package tlspsk

import (
	"bufio"
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Interoperability with the openssl command (OpenSSL 3): our server
// against s_client, our client against s_server, in every suite this
// package claims, and the failures (wrong key, wrong identity, version and
// suite mismatch) ending in the right alert on both sides, without a hang.
//
// OpenSSL's -psk takes the key in hex: Bareos's key is the 32 ASCII
// characters of the MD5 hex, so the argument is the hex of those bytes.

const opensslTimeout = 20 * time.Second

func opensslBinary(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl command not installed (Debian package openssl; .ci/run installs it): ", err)
	}
	return path
}

// opensslProc is a running openssl command with its output collected.
type opensslProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	out    *lockedBuffer // stdout and stderr
	done   chan struct{}
	cancel context.CancelFunc
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func startOpenSSL(t *testing.T, args ...string) *opensslProc {
	t.Helper()
	bin := opensslBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), opensslTimeout)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = time.Second
	p := &opensslProc{cmd: cmd, out: &lockedBuffer{}, done: make(chan struct{}), cancel: cancel}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	var err error
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.stdin.Close()
		cancel()
		<-p.done
	})
	return p
}

// wait waits for the process to end and returns its output.
func (p *opensslProc) wait(t *testing.T) string {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(opensslTimeout + 5*time.Second):
		t.Fatal("openssl did not end")
	}
	return p.out.String()
}

// waitFor waits until the output matches re.
func (p *opensslProc) waitFor(t *testing.T, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(opensslTimeout)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.out.String()); m != nil {
			return m
		}
		select {
		case <-p.done:
			if m := re.FindStringSubmatch(p.out.String()); m != nil {
				return m
			}
			t.Fatalf("openssl ended without %q:\n%s", re, p.out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no %q from openssl:\n%s", re, p.out.String())
	return nil
}

func hexKey(k []byte) string { return hex.EncodeToString(k) }

// opensslVersionArgs selects a version (0: both) and a suite in openssl's
// terms.
func opensslVersionArgs(version, suite uint16) []string {
	if version == 0 {
		return nil
	}
	if version == VersionTLS13 {
		args := []string{"-tls1_3"}
		if suite != 0 {
			args = append(args, "-ciphersuites", CipherSuiteName(suite))
		}
		return args
	}
	args := []string{"-tls1_2"}
	if suite != 0 {
		args = append(args, "-cipher", CipherSuiteName(suite))
	}
	return args
}

// serveOnce accepts one connection and runs fn on our server side of it.
func serveOnce(t *testing.T, sc *Config, fn func(*Conn) error) (addr string, result <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	res := make(chan error, 1)
	go func() {
		defer ln.Close()
		c, err := ln.Accept()
		if err != nil {
			res <- err
			return
		}
		srv := Server(c, sc)
		defer srv.Close()
		srv.SetDeadline(time.Now().Add(opensslTimeout))
		res <- fn(srv)
	}()
	return ln.Addr().String(), res
}

func recvResult(t *testing.T, res <-chan error) error {
	t.Helper()
	select {
	case err := <-res:
		return err
	case <-time.After(opensslTimeout + 5*time.Second):
		t.Fatal("our side did not end")
		return nil
	}
}

// echoServer handshakes, answers one line with "pong: " + the line and
// closes with close_notify.
func echoServer(state *ConnectionState) func(*Conn) error {
	return func(srv *Conn) error {
		if err := srv.Handshake(); err != nil {
			return err
		}
		*state = srv.ConnectionState()
		line, err := bufio.NewReader(srv).ReadString('\n')
		if err != nil {
			return fmt.Errorf("read: %w", err)
		}
		_, err = fmt.Fprintf(srv, "pong: %s", line)
		return err
	}
}

var (
	reProtocol = regexp.MustCompile(`Protocol version: (\S+)`)
	reSuite    = regexp.MustCompile(`Ciphersuite: (\S+)`)
)

func TestOpenSSLClientToOurServer(t *testing.T) {
	opensslBinary(t)
	tests := []struct {
		name      string
		version   uint16
		suite     uint16   // restricts s_client; 0: its default set
		want      uint16   // the suite we must pick
		extra     []string // more s_client arguments
		wantCurve CurveID
		wantHRR   bool
	}{
		{"both versions (like bconsole)", 0, 0, TLS_CHACHA20_POLY1305_SHA256, nil, X25519, false},
		{"1.3 default", VersionTLS13, 0, TLS_CHACHA20_POLY1305_SHA256, nil, X25519, false},
		{"1.3 AES128", VersionTLS13, TLS_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256, nil, X25519, false},
		{"1.3 ChaCha20", VersionTLS13, TLS_CHACHA20_POLY1305_SHA256, TLS_CHACHA20_POLY1305_SHA256, nil, X25519, false},
		{"1.3 P-256", VersionTLS13, 0, TLS_CHACHA20_POLY1305_SHA256, []string{"-groups", "P-256"}, CurveP256, false},
		{"1.3 HelloRetryRequest", VersionTLS13, 0, TLS_CHACHA20_POLY1305_SHA256, []string{"-groups", "P-384:X25519"}, X25519, true},
		{"1.2 default", VersionTLS12, 0, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, nil, X25519, false},
		{"1.2 PSK-AES128-GCM", VersionTLS12, TLS_PSK_WITH_AES_128_GCM_SHA256, TLS_PSK_WITH_AES_128_GCM_SHA256, nil, 0, false},
		{"1.2 PSK-AES256-GCM", VersionTLS12, TLS_PSK_WITH_AES_256_GCM_SHA384, TLS_PSK_WITH_AES_256_GCM_SHA384, nil, 0, false},
		{"1.2 PSK-CHACHA20", VersionTLS12, TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, nil, 0, false},
		{"1.2 ECDHE-PSK-CHACHA20", VersionTLS12, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, nil, X25519, false},
		{"1.2 ECDHE-PSK-CHACHA20 P-256", VersionTLS12, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, []string{"-groups", "P-256"}, CurveP256, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var st ConnectionState
			addr, res := serveOnce(t, serverConfig(), echoServer(&st))
			args := append([]string{"s_client", "-connect", addr, "-psk", hexKey(testKey), "-psk_identity", testIdentity,
				"-brief", "-ign_eof"}, opensslVersionArgs(tc.version, tc.suite)...)
			p := startOpenSSL(t, append(args, tc.extra...)...)
			io.WriteString(p.stdin, "ping\n")
			p.stdin.Close()
			out := p.wait(t)
			if err := recvResult(t, res); err != nil {
				t.Fatalf("our server: %v\nopenssl:\n%s", err, out)
			}
			if !strings.Contains(out, "pong: ping") {
				t.Errorf("no answer in openssl's output:\n%s", out)
			}
			want := ConnectionState{HandshakeComplete: true, Version: suiteByID(tc.want).version, CipherSuite: tc.want,
				Identity: testIdentity, Curve: tc.wantCurve, DidHelloRetryRequest: tc.wantHRR}
			if st != want {
				t.Errorf("state %+v, want %+v", st, want)
			}
			// OpenSSL's names for what it negotiated are ours.
			if m := reProtocol.FindStringSubmatch(out); m == nil || m[1] != VersionName(st.Version) {
				t.Errorf("openssl reports version %q, we %q", m, VersionName(st.Version))
			}
			if m := reSuite.FindStringSubmatch(out); m == nil || m[1] != CipherSuiteName(st.CipherSuite) {
				t.Errorf("openssl reports suite %q, we %q", m, CipherSuiteName(st.CipherSuite))
			}
		})
	}
}

func TestOurClientToOpenSSLServer(t *testing.T) {
	opensslBinary(t)
	tests := []struct {
		name    string
		version uint16 // our client's only version
		suite   uint16 // our client's only suite; 0: all
		sargs   []string
		want    uint16
	}{
		{"1.3 default", VersionTLS13, 0, nil, TLS_CHACHA20_POLY1305_SHA256},
		{"1.3 AES128", VersionTLS13, TLS_AES_128_GCM_SHA256, nil, TLS_AES_128_GCM_SHA256},
		{"1.3 ChaCha20", VersionTLS13, TLS_CHACHA20_POLY1305_SHA256, nil, TLS_CHACHA20_POLY1305_SHA256},
		{"1.3 HelloRetryRequest", VersionTLS13, 0, []string{"-groups", "P-256"}, TLS_CHACHA20_POLY1305_SHA256},
		{"both versions", 0, 0, nil, TLS_CHACHA20_POLY1305_SHA256},
		{"1.2 default", VersionTLS12, 0, nil, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256},
		{"1.2 only server", 0, 0, []string{"-tls1_2"}, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256},
		{"1.2 PSK-AES128-GCM", VersionTLS12, TLS_PSK_WITH_AES_128_GCM_SHA256, nil, TLS_PSK_WITH_AES_128_GCM_SHA256},
		{"1.2 PSK-AES256-GCM", VersionTLS12, TLS_PSK_WITH_AES_256_GCM_SHA384, nil, TLS_PSK_WITH_AES_256_GCM_SHA384},
		{"1.2 PSK-CHACHA20", VersionTLS12, TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, nil, TLS_PSK_WITH_CHACHA20_POLY1305_SHA256},
		{"1.2 ECDHE-PSK-CHACHA20", VersionTLS12, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, nil, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256},
		{"1.2 ECDHE-PSK P-256", VersionTLS12, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, []string{"-groups", "P-256"}, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256},
		{"1.2 server preference", 0, 0, []string{"-tls1_2", "-serverpref", "-cipher", "PSK-AES128-GCM-SHA256:ECDHE-PSK-CHACHA20-POLY1305"}, TLS_PSK_WITH_AES_128_GCM_SHA256},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := startOpenSSL(t, append([]string{"s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-nocert",
				"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-rev"}, tc.sargs...)...)
			addr := p.waitFor(t, regexp.MustCompile(`ACCEPT (\S+:\d+)`))[1]
			cc := clientConfig()
			cc.MinVersion, cc.MaxVersion = tc.version, tc.version
			if tc.suite != 0 {
				cc.CipherSuites = []uint16{tc.suite}
			}
			raw, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			cli := Client(raw, cc)
			defer cli.Close()
			cli.SetDeadline(time.Now().Add(opensslTimeout))
			if err := cli.Handshake(); err != nil {
				t.Fatalf("handshake: %v\nopenssl:\n%s", err, p.out.String())
			}
			st := cli.ConnectionState()
			if st.CipherSuite != tc.want {
				t.Errorf("suite %s, want %s", CipherSuiteName(st.CipherSuite), CipherSuiteName(tc.want))
			}
			if _, err := io.WriteString(cli, "hello world\n"); err != nil {
				t.Fatal(err)
			}
			line, err := bufio.NewReader(cli).ReadString('\n')
			if err != nil || line != "dlrow olleh\n" {
				t.Fatalf("answer %q, %v\nopenssl:\n%s", line, err, p.out.String())
			}
		})
	}
}

// opensslAlert finds the alert openssl reports receiving.
var reOpenSSLAlert = regexp.MustCompile(`alert number (\d+)`)

func TestOpenSSLFailures(t *testing.T) {
	opensslBinary(t)
	wrongKey := []byte("00000000000000000000000000000000")
	t.Run("server", func(t *testing.T) {
		tests := []struct {
			name  string
			sc    func(*Config)
			args  []string
			alert Alert
		}{
			{"wrong key 1.3", nil, []string{"-psk", hexKey(wrongKey), "-psk_identity", testIdentity, "-tls1_3"}, AlertDecryptError},
			{"wrong key 1.2", nil, []string{"-psk", hexKey(wrongKey), "-psk_identity", testIdentity, "-tls1_2"}, AlertBadRecordMAC},
			{"wrong identity 1.3", nil, []string{"-psk", hexKey(testKey), "-psk_identity", "R_CONSOLE\x1eadmin", "-tls1_3"}, AlertUnknownPSKIdentity},
			{"wrong identity 1.2", nil, []string{"-psk", hexKey(testKey), "-psk_identity", "R_CONSOLE\x1eadmin", "-tls1_2"}, AlertUnknownPSKIdentity},
			{"version", func(c *Config) { c.MaxVersion = VersionTLS12 }, []string{"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_3"}, AlertProtocolVersion},
			{"suite 1.3 (SHA-384 only)", nil, []string{"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384"}, AlertHandshakeFailure},
			{"suite 1.2", func(c *Config) { c.CipherSuites = []uint16{TLS_PSK_WITH_AES_128_GCM_SHA256} },
				[]string{"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_2", "-cipher", "PSK-AES256-GCM-SHA384"}, AlertHandshakeFailure},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				sc := serverConfig()
				if tc.sc != nil {
					tc.sc(sc)
				}
				addr, res := serveOnce(t, sc, func(srv *Conn) error { return srv.Handshake() })
				p := startOpenSSL(t, append([]string{"s_client", "-connect", addr, "-brief"}, tc.args...)...)
				err := recvResult(t, res)
				out := p.wait(t)
				var ae *AlertError
				if !errors.As(err, &ae) || ae.Remote || ae.Alert != tc.alert {
					t.Errorf("our server: %v, want to send %q", err, tc.alert)
				}
				if m := reOpenSSLAlert.FindStringSubmatch(out); m == nil || m[1] != fmt.Sprint(uint8(tc.alert)) {
					t.Errorf("openssl did not report alert %d:\n%s", tc.alert, out)
				}
			})
		}
	})
	t.Run("client", func(t *testing.T) {
		tests := []struct {
			name  string
			cc    func(*Config)
			sargs []string
			alert Alert // what our client ends with
			sent  bool  // our client sent it (else received)
		}{
			// OpenSSL answers a binder that does not verify with
			// illegal_parameter (RFC 8446 asks for decrypt_error).
			{"wrong key 1.3", func(c *Config) { c.Key = wrongKey }, []string{"-tls1_3"}, AlertIllegalParameter, false},
			{"wrong key 1.2", func(c *Config) { c.Key = wrongKey }, []string{"-tls1_2"}, AlertBadRecordMAC, false},
			// Without a PSK for the identity OpenSSL falls back to
			// certificates and misses signature_algorithms, which a
			// PSK-only client does not send. (s_server's TLS 1.2 PSK
			// callback only warns about an unexpected identity and goes
			// on with its key, so there is no TLS 1.2 case.)
			{"wrong identity 1.3", func(c *Config) { c.Identity = "R_CONSOLE\x1eadmin" }, []string{"-tls1_3"}, AlertMissingExtension, false},
			{"version", func(c *Config) { c.MinVersion = VersionTLS13 }, []string{"-tls1_2"}, AlertProtocolVersion, false},
			{"suite 1.3", nil, []string{"-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384"}, AlertHandshakeFailure, false},
			{"suite 1.2", func(c *Config) {
				c.MaxVersion = VersionTLS12
				c.CipherSuites = []uint16{TLS_PSK_WITH_AES_128_GCM_SHA256}
			},
				[]string{"-tls1_2", "-cipher", "PSK-AES256-GCM-SHA384"}, AlertHandshakeFailure, false},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				p := startOpenSSL(t, append([]string{"s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-nocert",
					"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-rev"}, tc.sargs...)...)
				addr := p.waitFor(t, regexp.MustCompile(`ACCEPT (\S+:\d+)`))[1]
				cc := clientConfig()
				if tc.cc != nil {
					tc.cc(cc)
				}
				raw, err := net.Dial("tcp", addr)
				if err != nil {
					t.Fatal(err)
				}
				cli := Client(raw, cc)
				defer cli.Close()
				cli.SetDeadline(time.Now().Add(opensslTimeout))
				err = cli.Handshake()
				var ae *AlertError
				if !errors.As(err, &ae) || ae.Remote == tc.sent || ae.Alert != tc.alert {
					t.Errorf("our client: %v, want alert %q (sent by us: %v)\nopenssl:\n%s", err, tc.alert, tc.sent, p.out.String())
				}
			})
		}
	})
}

// TestOpenSSLKeyUpdate: each side asks the other for a key update (s_client
// and s_server send KeyUpdate with update_requested on a "K" line); data
// flows under the new keys in both directions afterwards.
func TestOpenSSLKeyUpdate(t *testing.T) {
	opensslBinary(t)
	t.Run("our server", func(t *testing.T) {
		addr, res := serveOnce(t, serverConfig(), func(srv *Conn) error {
			r := bufio.NewReader(srv)
			var read, write []byte
			for i := 0; i < 2; i++ {
				line, err := r.ReadString('\n')
				if err != nil {
					return fmt.Errorf("read: %w", err)
				}
				if _, err := fmt.Fprintf(srv, "pong: %s", line); err != nil {
					return err
				}
				if i == 0 {
					read, write = srv.trafficSecrets()
				}
			}
			if r2, w2 := srv.trafficSecrets(); bytes.Equal(r2, read) || bytes.Equal(w2, write) {
				return errors.New("keys not updated in both directions")
			}
			return nil
		})
		// Commands work without -ign_eof only: stdin stays open until
		// the end.
		p := startOpenSSL(t, "s_client", "-connect", addr, "-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_3")
		io.WriteString(p.stdin, "one\n")
		p.waitFor(t, regexp.MustCompile(`pong: one`))
		io.WriteString(p.stdin, "K\n")
		p.waitFor(t, regexp.MustCompile(`KEYUPDATE`))
		io.WriteString(p.stdin, "two\n")
		p.waitFor(t, regexp.MustCompile(`pong: two`))
		if err := recvResult(t, res); err != nil {
			t.Fatalf("our server: %v\nopenssl:\n%s", err, p.out.String())
		}
	})
	t.Run("our client", func(t *testing.T) {
		p := startOpenSSL(t, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-nocert",
			"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_3")
		addr := p.waitFor(t, regexp.MustCompile(`ACCEPT (\S+:\d+)`))[1]
		raw, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		cli := Client(raw, clientConfig())
		defer cli.Close()
		cli.SetDeadline(time.Now().Add(opensslTimeout))
		r := bufio.NewReader(cli)
		if _, err := io.WriteString(cli, "one\n"); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, regexp.MustCompile(`(?m)^one$`))
		readSecret, writeSecret := cli.trafficSecrets()
		// s_server takes a whole read of its stdin as one command: the
		// pause keeps the two lines apart.
		io.WriteString(p.stdin, "K\n")
		time.Sleep(300 * time.Millisecond)
		io.WriteString(p.stdin, "from server\n")
		line, err := r.ReadString('\n')
		if err != nil || line != "from server\n" {
			t.Fatalf("read %q, %v\nopenssl:\n%s", line, err, p.out.String())
		}
		r2, w2 := cli.trafficSecrets()
		if bytes.Equal(r2, readSecret) || bytes.Equal(w2, writeSecret) {
			t.Errorf("keys not updated in both directions")
		}
		if _, err := io.WriteString(cli, "two\n"); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, regexp.MustCompile(`(?m)^two$`))
	})
}

// TestOpenSSLRenegotiation: TLS 1.2 renegotiation is refused with a
// no_renegotiation warning, on both sides, and the peer's reaction ends
// the connection cleanly.
func TestOpenSSLRenegotiation(t *testing.T) {
	opensslBinary(t)
	t.Run("our server", func(t *testing.T) {
		addr, res := serveOnce(t, serverConfig(), func(srv *Conn) error {
			if err := srv.Handshake(); err != nil {
				return err
			}
			_, err := io.Copy(io.Discard, srv)
			return err
		})
		p := startOpenSSL(t, "s_client", "-connect", addr, "-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_2")
		p.waitFor(t, regexp.MustCompile(`Verify return code`))
		io.WriteString(p.stdin, "R\n")
		err := recvResult(t, res)
		p.stdin.Close()
		out := p.wait(t)
		var ae *AlertError
		if !errors.As(err, &ae) || !ae.Remote {
			t.Fatalf("our server: %v, want the client's alert after our refusal\nopenssl:\n%s", err, out)
		}
		if !strings.Contains(out, "no renegotiation") && !reOpenSSLAlert.MatchString(out) {
			t.Errorf("openssl does not report our refusal:\n%s", out)
		}
	})
	t.Run("our client", func(t *testing.T) {
		p := startOpenSSL(t, "s_server", "-accept", "127.0.0.1:0", "-naccept", "1", "-nocert",
			"-psk", hexKey(testKey), "-psk_identity", testIdentity, "-tls1_2")
		addr := p.waitFor(t, regexp.MustCompile(`ACCEPT (\S+:\d+)`))[1]
		raw, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		cli := Client(raw, clientConfig())
		defer cli.Close()
		cli.SetDeadline(time.Now().Add(opensslTimeout))
		if err := cli.Handshake(); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, regexp.MustCompile(`CIPHER is`))
		io.WriteString(p.stdin, "R\n")
		_, err = io.Copy(io.Discard, cli)
		var ae *AlertError
		if !errors.As(err, &ae) || !ae.Remote {
			t.Fatalf("our client: %v, want the server's alert after our refusal\nopenssl:\n%s", err, p.out.String())
		}
	})
}
