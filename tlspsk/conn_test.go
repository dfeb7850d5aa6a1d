package tlspsk

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Bareos-shaped test credentials: identity R_CONSOLE RS name, key the 32
// ASCII bytes of the MD5 hex of "secret".
const (
	testIdentity = "R_CONSOLE\x1e*UserAgent*"
	testKeyText  = "5ebe2294ecd0e0f08eab7690d2a6ee69"
)

var testKey = []byte(testKeyText)

func testGetKey(keys map[string][]byte) func(context.Context, string) ([]byte, error) {
	return func(_ context.Context, id string) ([]byte, error) {
		if k, ok := keys[id]; ok {
			return k, nil
		}
		return nil, ErrUnknownIdentity
	}
}

func serverConfig() *Config {
	return &Config{GetKey: testGetKey(map[string][]byte{testIdentity: testKey}), HandshakeTimeout: 10 * time.Second}
}

func clientConfig() *Config {
	return &Config{Identity: testIdentity, Key: testKey, HandshakeTimeout: 10 * time.Second}
}

// tcpPair returns the two ends of a loopback TCP connection.
func tcpPair(t testing.TB) (client, server net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type res struct {
		c   net.Conn
		err error
	}
	ch := make(chan res, 1)
	go func() {
		c, err := ln.Accept()
		ch <- res{c, err}
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	r := <-ch
	if r.err != nil {
		t.Fatal(r.err)
	}
	t.Cleanup(func() { client.Close(); r.c.Close() })
	return client, r.c
}

// handshakePair runs both handshakes concurrently and returns their
// errors.
func handshakePair(t testing.TB, cc, sc *Config, tweak func(cli, srv *Conn)) (cli, srv *Conn, cerr, serr error) {
	t.Helper()
	c1, c2 := tcpPair(t)
	cli, srv = Client(c1, cc), Server(c2, sc)
	if tweak != nil {
		tweak(cli, srv)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serr = srv.Handshake()
		if serr != nil {
			srv.Close()
		}
	}()
	cerr = cli.Handshake()
	if cerr != nil {
		cli.Close()
	}
	wg.Wait()
	return
}

type combo struct {
	name    string
	version uint16
	suite   uint16
	curves  []CurveID // client's
	scurves []CurveID // server's
	hrr     bool
}

func allCombos() []combo {
	var out []combo
	for _, s := range suiteTable {
		switch {
		case s.version == VersionTLS13:
			out = append(out,
				combo{name: s.name + "/X25519", version: s.version, suite: s.id, curves: []CurveID{X25519}},
				combo{name: s.name + "/P-256", version: s.version, suite: s.id, curves: []CurveID{CurveP256}},
				combo{name: s.name + "/HRR", version: s.version, suite: s.id,
					curves: []CurveID{CurveP256, X25519}, scurves: []CurveID{X25519}, hrr: true})
		case s.ecdhe:
			out = append(out,
				combo{name: s.name + "/X25519", version: s.version, suite: s.id, curves: []CurveID{X25519}},
				combo{name: s.name + "/P-256", version: s.version, suite: s.id, curves: []CurveID{CurveP256}})
		default:
			out = append(out, combo{name: s.name, version: s.version, suite: s.id})
		}
	}
	return out
}

// TestSelfInterop runs our client against our server in every version,
// suite and group, and moves a large payload both ways.
func TestSelfInterop(t *testing.T) {
	for _, tc := range allCombos() {
		t.Run(tc.name, func(t *testing.T) {
			cc, sc := clientConfig(), serverConfig()
			cc.MinVersion, cc.MaxVersion = tc.version, tc.version
			cc.CipherSuites = []uint16{tc.suite}
			cc.CurvePreferences = tc.curves
			sc.CurvePreferences = tc.scurves
			cli, srv, cerr, serr := handshakePair(t, cc, sc, nil)
			if cerr != nil || serr != nil {
				t.Fatalf("handshake: client %v, server %v", cerr, serr)
			}
			defer cli.Close()
			defer srv.Close()
			for side, st := range map[string]ConnectionState{"client": cli.ConnectionState(), "server": srv.ConnectionState()} {
				want := ConnectionState{HandshakeComplete: true, Version: tc.version, CipherSuite: tc.suite, Identity: testIdentity, DidHelloRetryRequest: tc.hrr}
				if tc.version == VersionTLS13 || suiteByID(tc.suite).ecdhe {
					want.Curve = tc.curves[len(tc.curves)-1]
					if !tc.hrr {
						want.Curve = tc.curves[0]
					}
				}
				if st != want {
					t.Errorf("%s state %+v, want %+v", side, st, want)
				}
			}
			transfer(t, cli, srv, 3<<20+17)
		})
	}
}

// transfer sends n random bytes each way at once and checks them.
func transfer(t testing.TB, a, b *Conn, n int) {
	t.Helper()
	data := make([]byte, n)
	rand.Read(data)
	want := sha256.Sum256(data)
	errs := make(chan error, 4)
	send := func(c *Conn) {
		// Uneven write sizes exercise record splitting.
		rest := data
		for i := 1; len(rest) > 0; i++ {
			k := min(len(rest), (i*7919)%70000+1)
			if _, err := c.Write(rest[:k]); err != nil {
				errs <- err
				return
			}
			rest = rest[k:]
		}
		errs <- nil
	}
	recv := func(c *Conn) {
		h := sha256.New()
		if _, err := io.CopyN(h, c, int64(n)); err != nil {
			errs <- err
			return
		}
		if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
			errs <- errors.New("payload differs")
			return
		}
		errs <- nil
	}
	go send(a)
	go send(b)
	go recv(a)
	go recv(b)
	for i := 0; i < 4; i++ {
		select {
		case err := <-errs:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(60 * time.Second):
			t.Fatal("transfer timed out")
		}
	}
}

func TestCloseNotify(t *testing.T) {
	cli, srv, cerr, serr := handshakePair(t, clientConfig(), serverConfig(), nil)
	if cerr != nil || serr != nil {
		t.Fatalf("handshake: %v, %v", cerr, serr)
	}
	go func() {
		cli.Write([]byte("bye"))
		cli.Close()
	}()
	got, err := io.ReadAll(srv)
	if err != nil || string(got) != "bye" {
		t.Fatalf("ReadAll = %q, %v; want bye, nil", got, err)
	}
	srv.Close()
	if _, err := cli.Write([]byte("x")); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v", err)
	}
}

func TestMismatches(t *testing.T) {
	type side struct {
		alert  Alert
		remote bool
	}
	tests := []struct {
		name     string
		cc, sc   func(*Config)
		cli, srv side
	}{
		{"wrong key 1.3", func(c *Config) { c.Key = []byte("wrong") }, nil,
			side{AlertDecryptError, true}, side{AlertDecryptError, false}},
		{"wrong key 1.2", func(c *Config) { c.Key = []byte("wrong"); c.MaxVersion = VersionTLS12 }, nil,
			side{AlertBadRecordMAC, true}, side{AlertBadRecordMAC, false}},
		{"wrong identity 1.3", func(c *Config) { c.Identity = "R_CONSOLE\x1eadmin" }, nil,
			side{AlertUnknownPSKIdentity, true}, side{AlertUnknownPSKIdentity, false}},
		{"wrong identity 1.2", func(c *Config) { c.Identity = "R_CONSOLE\x1eadmin"; c.MaxVersion = VersionTLS12 }, nil,
			side{AlertUnknownPSKIdentity, true}, side{AlertUnknownPSKIdentity, false}},
		{"version 1.3 vs 1.2", func(c *Config) { c.MinVersion = VersionTLS13 }, func(c *Config) { c.MaxVersion = VersionTLS12 },
			side{AlertProtocolVersion, true}, side{AlertProtocolVersion, false}},
		{"version 1.2 vs 1.3", func(c *Config) { c.MaxVersion = VersionTLS12 }, func(c *Config) { c.MinVersion = VersionTLS13 },
			side{AlertProtocolVersion, true}, side{AlertProtocolVersion, false}},
		{"suite 1.3", func(c *Config) { c.CipherSuites = []uint16{TLS_AES_128_GCM_SHA256} }, func(c *Config) {
			c.CipherSuites = []uint16{TLS_CHACHA20_POLY1305_SHA256, TLS_PSK_WITH_AES_128_GCM_SHA256}
		}, side{AlertHandshakeFailure, true}, side{AlertHandshakeFailure, false}},
		{"suite 1.2", func(c *Config) { c.CipherSuites = []uint16{TLS_PSK_WITH_AES_128_GCM_SHA256} }, func(c *Config) {
			c.CipherSuites = []uint16{TLS_PSK_WITH_AES_256_GCM_SHA384}
		}, side{AlertHandshakeFailure, true}, side{AlertHandshakeFailure, false}},
		{"no group", func(c *Config) { c.CurvePreferences = []CurveID{CurveP256}; c.MinVersion = VersionTLS13 },
			func(c *Config) { c.CurvePreferences = []CurveID{X25519} },
			side{AlertHandshakeFailure, true}, side{AlertHandshakeFailure, false}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cc, sc := clientConfig(), serverConfig()
			if tc.cc != nil {
				tc.cc(cc)
			}
			if tc.sc != nil {
				tc.sc(sc)
			}
			_, _, cerr, serr := handshakePair(t, cc, sc, nil)
			for _, x := range []struct {
				name string
				err  error
				want side
			}{{"client", cerr, tc.cli}, {"server", serr, tc.srv}} {
				var ae *AlertError
				if !errors.As(x.err, &ae) || ae.Alert != x.want.alert || ae.Remote != x.want.remote {
					t.Errorf("%s: error %v, want alert %q (remote %v)", x.name, x.err, x.want.alert, x.want.remote)
				}
			}
		})
	}
}

func TestUnknownIdentityError(t *testing.T) {
	sc := serverConfig()
	lookupErr := errors.New("console store offline")
	sc.GetKey = func(context.Context, string) ([]byte, error) { return nil, lookupErr }
	_, _, _, serr := handshakePair(t, clientConfig(), sc, nil)
	if !errors.Is(serr, lookupErr) {
		t.Fatalf("server error %v does not wrap the GetKey error", serr)
	}
	if !strings.Contains(serr.Error(), `"R_CONSOLE\x1e*UserAgent*"`) {
		t.Errorf("server error %q does not name the identity", serr)
	}
}

func TestHandshakeTimeout(t *testing.T) {
	c1, _ := tcpPair(t) // the peer never answers
	sc := serverConfig()
	sc.HandshakeTimeout = 200 * time.Millisecond
	srv := Server(c1, sc)
	start := time.Now()
	err := srv.Handshake()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Handshake = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("Handshake took %v", d)
	}
	// The deadline is cleared: the caller can still write its own bytes.
	if _, err := srv.NetConn().Write([]byte{0xff, 0xff, 0xff, 0xfc}); err != nil {
		t.Fatalf("raw write after timeout: %v", err)
	}
}

func TestHandshakeContextCancel(t *testing.T) {
	c1, _ := tcpPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	err := Server(c1, serverConfig()).HandshakeContext(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("HandshakeContext = %v, want context.Canceled", err)
	}
}

func TestPrefixConn(t *testing.T) {
	c1, c2 := tcpPair(t)
	cli := Client(c1, clientConfig())
	errc := make(chan error, 1)
	go func() {
		errc <- cli.Handshake()
		fmt.Fprint(cli, "hello")
	}()
	// The server peeks like the Director does, then hands over.
	peek := make([]byte, 10)
	if _, err := io.ReadFull(c2, peek); err != nil {
		t.Fatal(err)
	}
	if peek[0] != 0x16 {
		t.Fatalf("first byte %#x is not a TLS handshake record", peek[0])
	}
	srv := Server(PrefixConn(c2, peek), serverConfig())
	buf := make([]byte, 5)
	if _, err := io.ReadFull(srv, buf); err != nil || string(buf) != "hello" {
		t.Fatalf("read %q, %v", buf, err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}

// trafficSecrets returns copies of the current TLS 1.3 traffic secrets.
func (c *Conn) trafficSecrets() (read, write []byte) {
	c.in.Lock()
	read = bytes.Clone(c.in.secret)
	c.in.Unlock()
	c.out.Lock()
	write = bytes.Clone(c.out.secret)
	c.out.Unlock()
	return read, write
}

// TestReadBufferGrows sends 8 MiB in large writes: the reader's buffer
// grows from one record to maxRawBuffer (several records per read), the
// data arrives intact, and a connection with little traffic keeps its
// one-record buffer.
func TestReadBufferGrows(t *testing.T) {
	cli, srv, cerr, serr := handshakePair(t, clientConfig(), serverConfig(), nil)
	if cerr != nil || serr != nil {
		t.Fatal(cerr, serr)
	}
	defer cli.Close()
	defer srv.Close()
	// A little traffic first: one small message each way.
	go srv.Write([]byte("hello"))
	small := make([]byte, 5)
	if _, err := io.ReadFull(cli, small); err != nil {
		t.Fatal(err)
	}
	if got, want := cap(cli.raw), recordHeaderLen+maxCiphertext12; got != want {
		t.Errorf("read buffer after a small message: %d bytes, want %d", got, want)
	}
	data := make([]byte, 8<<20)
	for i := range data {
		data[i] = byte(i * 7 / 5)
	}
	errc := make(chan error, 1)
	queued := make(chan struct{}) // 1 MB waits to be read: the first reads fill the buffer
	go func() {
		var err error
		for off := 0; off < len(data) && err == nil; off += 200_000 {
			_, err = srv.Write(data[off:min(off+200_000, len(data))])
			if off == 1_000_000 {
				close(queued)
			}
		}
		if err != nil {
			select {
			case <-queued:
			default:
				close(queued) // a write failed early: let the reader see it
			}
		}
		errc <- err
	}()
	<-queued
	got := make([]byte, len(data))
	if _, err := io.ReadFull(cli, got); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) {
		t.Fatal("the data arrived changed")
	}
	if cap(cli.raw) != maxRawBuffer {
		t.Errorf("read buffer after 8 MiB: %d bytes, want %d", cap(cli.raw), maxRawBuffer)
	}
}
