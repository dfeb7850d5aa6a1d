package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/tlspsk"
)

// matrixRows is the size of the answer of the matrix test: 100,000 rows,
// or 10,000 under the race detector unless UAFORMAT_TLS_FULL=1.
func matrixRows() int {
	if raceEnabled && os.Getenv("UAFORMAT_TLS_FULL") != "1" {
		return 10000
	}
	return 100000
}

// transports are the ways our client reaches our daemon: TLS 1.3 with
// both suites, TLS 1.2 with each PSK suite, and cleartext.
var transports = []struct {
	name string
	tls  console.TLSOptions
	want string // Encryption
}{
	{"TLS 1.3 ChaCha20", console.TLSOptions{}, "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"},
	{"TLS 1.3 AES-128-GCM", console.TLSOptions{CipherSuites: []uint16{tlspsk.TLS_AES_128_GCM_SHA256}}, "TLS_AES_128_GCM_SHA256 TLSv1.3"},
	{"TLS 1.2 ECDHE-PSK-ChaCha20", console.TLSOptions{MaxVersion: tlspsk.VersionTLS12}, "ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2"},
	{"TLS 1.2 PSK-AES256-GCM", console.TLSOptions{MaxVersion: tlspsk.VersionTLS12,
		CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_AES_256_GCM_SHA384}}, "PSK-AES256-GCM-SHA384 TLSv1.2"},
	{"TLS 1.2 PSK-ChaCha20", console.TLSOptions{MaxVersion: tlspsk.VersionTLS12,
		CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256}}, "PSK-CHACHA20-POLY1305 TLSv1.2"},
	{"TLS 1.2 PSK-AES128-GCM", console.TLSOptions{MaxVersion: tlspsk.VersionTLS12,
		CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256}}, "PSK-AES128-GCM-SHA256 TLSv1.2"},
	{"cleartext", console.TLSOptions{Disable: true}, ""},
}

// TestTLSMatrix logs in with our client in every transport (CRAM-MD5
// inside the tunnel), as the default console and as a named one, and
// fetches the same 100,000-row answer (matrixRows) through each: it must
// arrive intact and identical.
func TestTLSMatrix(t *testing.T) {
	d := startDaemonAuth(t, wait)
	rows := matrixRows()
	listing := ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=" + strconv.Itoa(rows)
	var first [32]byte
	for i, tr := range transports {
		t.Run(tr.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*wait)
			defer cancel()
			for _, who := range []struct{ name, password, whoami string }{{"", rootPassword, "root"}, {"admin", adminPassword, "admin"}} {
				c, err := console.Dial(ctx, d.addr, console.Options{Name: who.name, Password: who.password, JSON: true, NoReconnect: true, TLS: tr.tls})
				if err != nil {
					t.Fatalf("login as %q: %v", who.whoami, err)
				}
				defer c.Close()
				if got := c.Encryption(); got != tr.want {
					t.Errorf("Encryption() = %q, want %q", got, tr.want)
				}
				if r, err := c.CallJSON(ctx, "whoami"); err != nil || r.Get("whoami").String() != who.whoami {
					t.Errorf("whoami = %s, %v", r.Raw, err)
				}
				if who.name != "admin" {
					continue
				}
				r, err := c.CallJSON(ctx, listing)
				if err != nil {
					t.Fatal(err)
				}
				if n := len(r.Get("files").Array()); n != rows {
					t.Fatalf("%d files, want %d", n, rows)
				}
				sum := sha256.Sum256([]byte(r.Raw))
				if i == 0 {
					first = sum
				} else if sum != first {
					t.Errorf("the answer differs from the one over %s", transports[0].name)
				}
			}
		})
	}
}

// TestTLSRefusalOverTCP checks the refusal of a wrong key on a real
// socket: the alert, BNET_TERMINATE outside TLS, and an orderly end.
func TestTLSRefusalOverTCP(t *testing.T) {
	d := startDaemon(t)
	for _, vers := range []uint16{tlspsk.VersionTLS13, tlspsk.VersionTLS12} {
		nc := d.raw(t)
		tap := &recordingConn{Conn: nc}
		tc := tlspsk.Client(tap, &tlspsk.Config{Identity: console.PSKIdentity("admin"), Key: []byte(bsock.PasswordKey("wrong")), MaxVersion: vers})
		var ae *tlspsk.AlertError
		if err := tc.Handshake(); !errors.As(err, &ae) || !ae.Remote {
			t.Fatalf("%s: handshake = %v, want the daemon's alert", tlspsk.VersionName(vers), err)
		}
		rest, err := io.ReadAll(nc)
		if err != nil && !isReset(err) {
			t.Fatal(err)
		}
		got := append(tap.got.Bytes(), rest...)
		if !bytes.HasSuffix(got, []byte{0x15, 3, 3, 0, 2, 2, byte(ae.Alert), 0xff, 0xff, 0xff, 0xfc}) {
			t.Errorf("%s: the daemon's last bytes %x, want the %v alert then ff ff ff fc", tlspsk.VersionName(vers), got[max(0, len(got)-16):], ae.Alert)
		}
	}
}

// recordingConn records what is read from a connection.
type recordingConn struct {
	net.Conn
	got bytes.Buffer
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.got.Write(p[:n])
	return n, err
}

// pipeConn is a net.Conn over a child process's standard output and
// input: a bsock.Conn through "openssl s_client".
type pipeConn struct {
	io.Reader
	io.WriteCloser
}

func (pipeConn) LocalAddr() net.Addr                { return &net.TCPAddr{} }
func (pipeConn) RemoteAddr() net.Addr               { return &net.TCPAddr{} }
func (pipeConn) SetDeadline(t time.Time) error      { return nil }
func (pipeConn) SetReadDeadline(t time.Time) error  { return nil }
func (pipeConn) SetWriteDeadline(t time.Time) error { return nil }

// TestOpenSSLClient logs in to the daemon through "openssl s_client" as a
// stand-in for bconsole (both are OpenSSL clients offering the same TLS
// 1.3 suites and PSK modes): the TLS-PSK handshake with the identity
// "R_CONSOLE" RS "*UserAgent*", then the Hello, CRAM-MD5 and a command
// inside the tunnel.
func TestOpenSSLClient(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("no openssl command")
	}
	d := startDaemon(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"},
		{[]string{"-tls1_2"}, "TLSv1.2"},
		{[]string{"-tls1_2", "-cipher", "PSK-AES128-GCM-SHA256"}, "PSK-AES128-GCM-SHA256 TLSv1.2"},
	} {
		t.Run(strings.Join(append([]string{"s_client"}, tt.args...), " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), wait)
			defer cancel()
			args := append([]string{"s_client", "-quiet", "-connect", d.addr,
				"-psk_identity", console.PSKIdentity(""),
				// -psk takes the key in hex: that of the 32 ASCII bytes.
				"-psk", hex.EncodeToString([]byte(bsock.PasswordKey(rootPassword)))}, tt.args...)
			cmd := exec.CommandContext(ctx, "openssl", args...)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Wait()
			defer cmd.Process.Kill()
			c := bsock.NewConn(pipeConn{stdout, stdin})
			if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{
				Password: rootPassword, Version: "26.0.0", TLSPolicy: bsock.TLSRequired, TLS: true,
			}); err != nil {
				t.Fatalf("login through openssl: %v (openssl: %s)", err, stderr.String())
			}
			if err := c.Send([]byte("whoami")); err != nil {
				t.Fatal(err)
			}
			p, err := c.Recv()
			if err != nil || string(p.Data) != "root\n" {
				t.Fatalf("whoami: %q, %v", p.Data, err)
			}
			// The daemon records the cipher OpenSSL negotiated.
			enc := statusEncryption(t, c)
			if !strings.HasSuffix(enc, tt.want) {
				t.Errorf("status director shows %q, want %q", enc, tt.want)
			}
		})
	}
}

// statusEncryption runs status director in mode 0 and returns the
// Encryption line of the last console listed.
func statusEncryption(t *testing.T, c *bsock.Conn) string {
	t.Helper()
	for { // the EOD of whoami
		p, err := c.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if p.Signal == bsock.EOD {
			break
		}
	}
	if err := c.Send([]byte("status director")); err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for {
		p, err := c.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if p.Signal == bsock.EOD {
			break
		}
		text.Write(p.Data)
	}
	enc := ""
	for _, line := range strings.Split(text.String(), "\n") {
		if s, ok := strings.CutPrefix(line, " Encryption: "); ok {
			enc = s
		}
	}
	return enc
}
