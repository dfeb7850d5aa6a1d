package uacontext

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/tlspsk"
)

// FuzzClientHelloOffersPSK parses arbitrary handshake messages: no panic,
// and a message the parser cannot read counts as offering a PSK.
func FuzzClientHelloOffersPSK(f *testing.F) {
	f.Add([]byte{1, 0, 0, 4, 3, 3})
	f.Add(append([]byte{1, 0, 0, 0x40, 3, 3}, make([]byte, 60)...))
	f.Fuzz(func(t *testing.T, msg []byte) {
		if len(msg) < 4+2+32+1 && !clientHelloOffersPSK(msg) {
			t.Fatalf("%x: too short to parse, yet taken for a ClientHello without PSK", msg)
		}
	})
}

// FuzzConnStart sends arbitrary first bytes to a server that serves
// TLS-PSK and certificates (the ClientHello sniffing, the TLS-PSK and
// crypto/tls handshakes, the cleartext Hello peek): whatever they are,
// the connection ends once the client has left; nothing hangs, nothing
// panics.
func FuzzConnStart(f *testing.F) {
	cert, _ := selfSigned(f)
	srv := tlsTestServer()
	srv.AuthTimeout = 2 * time.Second
	srv.TLS = &TLSConfig{Certificates: &tls.Config{Certificates: []tls.Certificate{cert}}}
	f.Add([]byte("\x00\x00\x00\x1bHello *UserAgent* calling\n"))
	f.Add([]byte{0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00})
	f.Add([]byte("GET / HTTP/1.0\r\n\r\n"))
	f.Add(clientHello(f, func(c net.Conn) { tls.Client(c, &tls.Config{InsecureSkipVerify: true}).Handshake() }))
	f.Add(clientHello(f, func(c net.Conn) {
		tlspsk.Client(c, &tlspsk.Config{Identity: PSKIdentityPrefix + "restricted", Key: []byte(bsock.PasswordKey("pw"))}).Handshake()
	}))
	f.Fuzz(func(t *testing.T, first []byte) {
		a, b := net.Pipe()
		done := make(chan struct{})
		go func() {
			srv.ServeConn(context.Background(), a)
			close(done)
		}()
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			io.Copy(io.Discard, b)
		}()
		b.SetWriteDeadline(time.Now().Add(5 * time.Second))
		b.Write(first)
		b.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("the server still serves %x after the client left", first)
		}
		wg.Wait()
	})
}
