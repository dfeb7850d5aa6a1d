package tlspsk

import (
	"bytes"
	"errors"
	"io"
	mrand "math/rand/v2"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Fuzz targets: every parser (ClientHello, ServerHello, the other
// handshake messages, records), and stateful targets that feed a server
// or a client handshake arbitrary bytes, or a connection after its
// handshake arbitrary (validly protected) records. The seeds are complete
// exchanges recorded here between our client and server with fixed
// randomness, so the fuzzer starts from real flights.

// fuzzConn is a net.Conn that reads a fixed input and swallows writes.
type fuzzConn struct {
	r       *bytes.Reader
	written int
}

func newFuzzConn(in []byte) *fuzzConn { return &fuzzConn{r: bytes.NewReader(in)} }

func (f *fuzzConn) Read(b []byte) (int, error)       { return f.r.Read(b) }
func (f *fuzzConn) Write(b []byte) (int, error)      { f.written += len(b); return len(b), nil }
func (f *fuzzConn) Close() error                     { return nil }
func (f *fuzzConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (f *fuzzConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (f *fuzzConn) SetDeadline(time.Time) error      { return nil }
func (f *fuzzConn) SetReadDeadline(time.Time) error  { return nil }
func (f *fuzzConn) SetWriteDeadline(time.Time) error { return nil }

// detRand is a deterministic randomness source for reproducible flights.
func detRand(seed byte) io.Reader { return mrand.NewChaCha8([32]byte{seed}) }

// allocated returns the bytes f allocates. (ReadMemStats, not the
// cheaper runtime/metrics counter, which counts whole spans when an
// allocation cache refills and so overstates small amounts.)
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The memory a handshake may use whatever the input: the record buffer,
// a handshake message, the transcript, parsing, keys; plus a share
// proportional to the input (parsed lists, copies).
func allocLimit(input []byte) uint64 { return 512<<10 + 32*uint64(len(input)) }

// recorder tees what is read from a conn.
type recorder struct {
	net.Conn
	mu  sync.Mutex
	got []byte
}

func (r *recorder) Read(b []byte) (int, error) {
	n, err := r.Conn.Read(b)
	r.mu.Lock()
	r.got = append(r.got, b[:n]...)
	r.mu.Unlock()
	return n, err
}

// flightConfigs are the client configurations the seeds are recorded
// with.
var flightConfigs = []struct {
	name          string
	cc            func(*Config)
	serverCurves  []CurveID
	noCompat      bool
	withEarlyData bool
}{
	{name: "tls13"},
	{name: "tls13-aes", cc: func(c *Config) { c.CipherSuites = []uint16{TLS_AES_128_GCM_SHA256} }},
	{name: "tls13-hrr", cc: func(c *Config) { c.CurvePreferences = []CurveID{CurveP256, X25519} }, serverCurves: []CurveID{X25519}},
	{name: "tls13-nocompat", noCompat: true},
	{name: "tls13-early", withEarlyData: true},
	{name: "tls12-ecdhe", cc: func(c *Config) { c.MaxVersion = VersionTLS12 }},
	{name: "tls12-psk-aes256", cc: func(c *Config) {
		c.MaxVersion = VersionTLS12
		c.CipherSuites = []uint16{TLS_PSK_WITH_AES_256_GCM_SHA384}
	}},
	{name: "tls12-psk-chacha", cc: func(c *Config) {
		c.MaxVersion = VersionTLS12
		c.CipherSuites = []uint16{TLS_PSK_WITH_CHACHA20_POLY1305_SHA256}
	}},
}

// recordFlights runs a handshake with fixed randomness over a pipe and
// returns what the server read and what the client read.
func recordFlights(tb testing.TB, key []byte, i int) (toServer, toClient []byte) {
	tb.Helper()
	fc := flightConfigs[i]
	cc, sc := clientConfig(), serverConfig()
	cc.Key, cc.Rand, sc.Rand = key, detRand(1), detRand(2)
	if fc.cc != nil {
		fc.cc(cc)
	}
	sc.CurvePreferences = fc.serverCurves
	c1, c2 := net.Pipe()
	defer c1.Close()
	defer c2.Close()
	rc, rs := &recorder{Conn: c1}, &recorder{Conn: c2}
	cli, srv := Client(rc, cc), Server(rs, sc)
	cli.testNoCompat = fc.noCompat
	if fc.withEarlyData {
		cli.testEarlyData = [][]byte{[]byte("early data")}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if srv.Handshake() != nil {
			c2.Close()
		}
	}()
	if cli.Handshake() != nil {
		c1.Close()
	}
	<-done
	rs.mu.Lock()
	defer rs.mu.Unlock()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return bytes.Clone(rs.got), bytes.Clone(rc.got)
}

// firstMessage extracts the first handshake message body of a flight.
func firstMessage(flight []byte) []byte {
	if len(flight) < 9 {
		return nil
	}
	body := flight[5:]
	n := int(body[1])<<16 | int(body[2])<<8 | int(body[3])
	if len(body) < 4+n {
		return nil
	}
	return body[4 : 4+n]
}

var helloCmp = []cmp.Option{
	cmp.AllowUnexported(clientHello{}, serverHello{}, keyShare{}, pskIdentity{}, extension{}),
	cmpopts.IgnoreFields(clientHello{}, "raw", "truncLen"),
	cmpopts.IgnoreFields(serverHello{}, "raw"),
	cmpopts.EquateEmpty(),
}

func withHeader(typ uint8, body []byte) []byte {
	if len(body) >= 1<<24 {
		return nil
	}
	return simpleMessage(typ, body)
}

func FuzzParseClientHello(f *testing.F) {
	for i := range flightConfigs {
		toServer, _ := recordFlights(f, testKey, i)
		f.Add(firstMessage(toServer))
	}
	v := loadVectors(f)
	f.Add(v["s3.client_hello"][4:])
	f.Add(v["s4.client_hello"][4:])
	f.Fuzz(func(t *testing.T, body []byte) {
		raw := withHeader(typeClientHello, body)
		if raw == nil {
			return
		}
		var m *clientHello
		var err error
		if n := allocated(func() { m, err = parseClientHello(raw) }); n > allocLimit(raw) {
			t.Fatalf("parsing %d bytes allocated %d", len(raw), n)
		}
		if err != nil {
			var ae *AlertError
			if !errors.As(err, &ae) || ae.Alert != AlertDecodeError && ae.Alert != AlertIllegalParameter {
				t.Fatalf("error %v is not a decode_error or illegal_parameter alert", err)
			}
			return
		}
		if m.pskIdentities != nil && (m.truncLen <= 0 || m.truncLen > len(raw)) {
			t.Fatalf("truncLen %d of %d", m.truncLen, len(raw))
		}
		// Re-encoding gives the same fields; the binders stay at the end.
		cp := *m
		m2, err := parseClientHello(cp.marshal())
		if err != nil {
			t.Fatalf("re-encoded ClientHello does not parse: %v", err)
		}
		cp2 := *m2
		if !bytes.Equal(cp.raw, cp2.marshal()) {
			t.Fatalf("re-encoded ClientHello differs:\n%s", cmp.Diff(m, m2, helloCmp...))
		}
		if m.pskIdentities != nil && len(m2.raw)-m2.truncLen != len(m.raw)-m.truncLen {
			t.Fatalf("binders of %d bytes, re-encoded %d", len(m.raw)-m.truncLen, len(m2.raw)-m2.truncLen)
		}
	})
}

func FuzzParseServerHello(f *testing.F) {
	for i := range flightConfigs {
		_, toClient := recordFlights(f, testKey, i)
		f.Add(firstMessage(toClient))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		raw := withHeader(typeServerHello, body)
		if raw == nil {
			return
		}
		var m *serverHello
		var err error
		if n := allocated(func() { m, err = parseServerHello(raw) }); n > allocLimit(raw) {
			t.Fatalf("parsing %d bytes allocated %d", len(raw), n)
		}
		if err != nil {
			var ae *AlertError
			if !errors.As(err, &ae) || ae.Alert != AlertDecodeError && ae.Alert != AlertIllegalParameter {
				t.Fatalf("error %v is not a decode_error or illegal_parameter alert", err)
			}
			return
		}
		cp := *m
		m2, err := parseServerHello(cp.marshal())
		if err != nil {
			t.Fatalf("re-encoded ServerHello does not parse: %v", err)
		}
		cp2 := *m2
		if !bytes.Equal(cp.raw, cp2.marshal()) {
			t.Fatalf("re-encoded ServerHello differs:\n%s", cmp.Diff(m, m2, helloCmp...))
		}
	})
}

// FuzzParseMessages covers the other handshake messages: EncryptedExtensions,
// NewSessionTicket, and the PSK key exchanges (with re-encoding).
func FuzzParseMessages(f *testing.F) {
	f.Add(uint8(0), []byte{0, 0})
	f.Add(uint8(0), []byte{0, 6, 0, 10, 0, 2, 0, 29})
	f.Add(uint8(1), []byte{0, 0, 0, 30, 0, 0, 0, 1, 2, 0, 0, 0, 3, 1, 2, 3, 0, 0})
	f.Add(uint8(2), (&pskServerKeyExchange{group: X25519, point: make([]byte, 32)}).marshal(true)[4:])
	f.Add(uint8(3), (&pskServerKeyExchange{hint: []byte("hint")}).marshal(false)[4:])
	f.Add(uint8(4), (&pskClientKeyExchange{identity: []byte(testIdentity), point: make([]byte, 32)}).marshal(true)[4:])
	f.Add(uint8(5), (&pskClientKeyExchange{identity: []byte(testIdentity)}).marshal(false)[4:])
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		var err error
		n := allocated(func() {
			switch which % 6 {
			case 0:
				err = parseEncryptedExtensions(body)
			case 1:
				if !parseNewSessionTicket(body) {
					err = errors.New("malformed")
				}
			case 2, 3:
				var m *pskServerKeyExchange
				ecdhe := which%6 == 2
				if m, err = parseServerKeyExchange(body, ecdhe); err == nil {
					if got := m.marshal(ecdhe)[4:]; !bytes.Equal(got, body) {
						t.Fatalf("ServerKeyExchange re-encoded as %x, was %x", got, body)
					}
				}
			case 4, 5:
				var m *pskClientKeyExchange
				ecdhe := which%6 == 4
				if m, err = parseClientKeyExchange(body, ecdhe); err == nil {
					if got := m.marshal(ecdhe)[4:]; !bytes.Equal(got, body) {
						t.Fatalf("ClientKeyExchange re-encoded as %x, was %x", got, body)
					}
				}
			}
		})
		if n > allocLimit(body) {
			t.Fatalf("parsing %d bytes allocated %d", len(body), n)
		}
		var ae *AlertError
		if err != nil && which%6 != 1 && !errors.As(err, &ae) {
			t.Fatalf("error %v is not an alert", err)
		}
	})
}

// fuzzHalfConn returns a record protection state for suite i (mod the
// table) with fixed keys.
func fuzzHalfConn(i uint8, seq uint64) *halfConn {
	s := suiteTable[int(i)%len(suiteTable)]
	hc := &halfConn{}
	if s.version == VersionTLS13 {
		hc.setTrafficSecret13(s, bytes.Repeat([]byte{7}, s.hashLen))
	} else {
		hc.setKey(VersionTLS12, s, bytes.Repeat([]byte{7}, s.keyLen), bytes.Repeat([]byte{9}, s.ivLen))
	}
	hc.seq = seq
	return hc
}

// FuzzRecordRoundTrip: whatever a record carries, protecting and opening
// it gives it back, and any change to the protected record is refused.
func FuzzRecordRoundTrip(f *testing.F) {
	for i := range suiteTable {
		f.Add(uint8(i), uint8(recordApplicationData), uint64(0), []byte("hello"), uint16(7))
		f.Add(uint8(i), uint8(recordHandshake), uint64(1<<40), []byte{}, uint16(0))
	}
	f.Fuzz(func(t *testing.T, suite, typ uint8, seq uint64, payload []byte, flip uint16) {
		if len(payload) > maxPlaintext || seq == ^uint64(0) {
			return
		}
		rt := recordType(20 + typ%4)
		rec, err := fuzzHalfConn(suite, seq).appendRecord(nil, rt, payload, VersionTLS12)
		if err != nil {
			t.Fatal(err)
		}
		gt, got, err := fuzzHalfConn(suite, seq).open(rec[:5], bytes.Clone(rec[5:]))
		if err != nil || gt != rt || !bytes.Equal(got, payload) {
			t.Fatalf("open: %v, type %d, %x; want %d, %x", err, gt, got, rt, payload)
		}
		bad := bytes.Clone(rec)
		at := int(flip) % len(bad)
		if (at == 3 || at == 4) && suiteTable[int(suite)%len(suiteTable)].version == VersionTLS12 {
			return // TLS 1.2 authenticates the length through the framing, not the header bytes
		}
		bad[at] ^= 1 << (flip % 8)
		if _, _, err := fuzzHalfConn(suite, seq).open(bad[:5], bad[5:]); err == nil {
			t.Fatalf("changed record opened")
		}
	})
}

// FuzzRecordOpen: arbitrary records never open by chance, and the errors
// are the record layer's alerts.
func FuzzRecordOpen(f *testing.F) {
	for i := range suiteTable {
		rec, _ := fuzzHalfConn(uint8(i), 3).appendRecord(nil, recordApplicationData, []byte("data"), VersionTLS12)
		f.Add(uint8(i), uint64(3), rec)
	}
	f.Fuzz(func(t *testing.T, suite uint8, seq uint64, rec []byte) {
		if len(rec) < 5 || seq == ^uint64(0) {
			return
		}
		hc := fuzzHalfConn(suite, seq)
		_, pt, err := hc.open(rec[:5], bytes.Clone(rec[5:]))
		if err != nil {
			var ae *AlertError
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an alert", err)
			}
			switch ae.Alert {
			case AlertBadRecordMAC, AlertUnexpectedMessage, AlertRecordOverflow:
			default:
				t.Fatalf("unexpected alert %v", err)
			}
			return
		}
		// It opened: then it is exactly what sealing that plaintext
		// gives (up to TLS 1.3 padding and TLS 1.2's explicit nonce).
		if len(pt) > maxPlaintext {
			t.Fatalf("plaintext of %d bytes", len(pt))
		}
	})
}

// handshakeFuzz runs one side's handshake on input and checks that it ends
// (an error, or success only where allowed) within the memory bound.
func handshakeFuzz(t *testing.T, c *Conn, input []byte, mayComplete bool) {
	var err error
	if n := allocated(func() { err = c.Handshake() }); n > allocLimit(input) {
		t.Fatalf("handshake on %d input bytes allocated %d", len(input), n)
	}
	if err == nil && !mayComplete {
		t.Fatalf("handshake completed without the key (state %+v)", c.ConnectionState())
	}
	if err != nil && errors.Is(err, ErrConfig) {
		t.Fatal(err)
	}
}

var otherKey = []byte("a key the fuzz input cannot know")

// FuzzServerHandshake feeds a server arbitrary bytes as the client's side
// of the handshake; the server's key is one no input was recorded with, so
// a handshake must never complete.
func FuzzServerHandshake(f *testing.F) {
	for i := range flightConfigs {
		toServer, _ := recordFlights(f, testKey, i)
		f.Add(toServer)
	}
	f.Fuzz(func(t *testing.T, input []byte) {
		sc := serverConfig()
		sc.GetKey = testGetKey(map[string][]byte{testIdentity: otherKey, "R_CONSOLE\x1eadmin": otherKey})
		sc.HandshakeTimeout = -1
		handshakeFuzz(t, Server(newFuzzConn(input), sc), input, false)
	})
}

// FuzzServerHandshakeKnownKey: the same with the key the seeds were
// recorded with and the server's recorded randomness, so the unchanged
// seeds complete and the fuzzer reaches every state of the server.
func FuzzServerHandshakeKnownKey(f *testing.F) {
	for i := range flightConfigs {
		toServer, _ := recordFlights(f, testKey, i)
		f.Add(uint8(i), toServer)
	}
	f.Fuzz(func(t *testing.T, cfg uint8, input []byte) {
		sc := serverConfig()
		sc.Rand = detRand(2)
		sc.CurvePreferences = flightConfigs[int(cfg)%len(flightConfigs)].serverCurves
		sc.HandshakeTimeout = -1
		srv := Server(newFuzzConn(input), sc)
		handshakeFuzz(t, srv, input, true)
		if st := srv.ConnectionState(); st.HandshakeComplete && st.Identity != testIdentity {
			t.Fatalf("completed for identity %q", st.Identity)
		}
	})
}

// FuzzClientHandshake feeds a client arbitrary bytes as the server's side;
// the client's key is not the one the seeds were recorded with.
func FuzzClientHandshake(f *testing.F) {
	for i := range flightConfigs {
		_, toClient := recordFlights(f, testKey, i)
		f.Add(uint8(i), toClient)
	}
	f.Fuzz(func(t *testing.T, cfg uint8, input []byte) {
		fc := flightConfigs[int(cfg)%len(flightConfigs)]
		cc := clientConfig()
		cc.Key, cc.Rand, cc.HandshakeTimeout = otherKey, detRand(1), -1
		if fc.cc != nil {
			fc.cc(cc)
		}
		cli := Client(newFuzzConn(input), cc)
		cli.testNoCompat = fc.noCompat
		handshakeFuzz(t, cli, input, false)
	})
}

// FuzzPostHandshake runs a real handshake, then feeds the client records
// made of the input (type, payload), protected with the server's keys:
// application data, alerts, post-handshake messages (a KeyUpdate the
// input sends also updates the sender's keys). What Read returns must be
// a prefix of the application data sent, within the memory bound.
func FuzzPostHandshake(f *testing.F) {
	f.Add(uint8(0), []byte("\x17\x00\x05hello\x16\x00\x05\x18\x00\x00\x01\x01\x17\x00\x03bye\x15\x00\x02\x01\x00"))
	f.Add(uint8(1), []byte("\x17\x00\x05hello\x16\x00\x04\x00\x00\x00\x00\x17\x00\x03bye"))
	f.Add(uint8(0), []byte("\x16\x00\x0a\x04\x00\x00\x06\x00\x00\x00\x01\x00\x00\x17\x00\x01x"))
	f.Add(uint8(2), []byte("\x15\x00\x02\x02\x28"))
	f.Fuzz(func(t *testing.T, cfg uint8, input []byte) {
		cc := clientConfig()
		switch cfg % 4 {
		case 1:
			cc.MaxVersion = VersionTLS12
		case 2:
			cc.MaxVersion, cc.CipherSuites = VersionTLS12, []uint16{TLS_PSK_WITH_AES_256_GCM_SHA384}
		case 3:
			cc.CipherSuites = []uint16{TLS_AES_128_GCM_SHA256}
		}
		c1, c2 := net.Pipe()
		cli, srv := Client(c1, cc), Server(c2, serverConfig())
		done := make(chan error, 1)
		go func() { done <- srv.Handshake() }()
		if err := cli.Handshake(); err != nil {
			t.Fatal(err)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		c1.Close()
		c2.Close()

		// The client now reads records the input describes.
		var stream, sent []byte
		out := &srv.out
		for r := reader(input); !r.empty(); {
			var typ uint8
			var payload []byte
			if !r.u8(&typ) || !r.vec16(&payload) || len(payload) > maxPlaintext {
				break
			}
			rt := recordType(20 + typ%4)
			var err error
			if stream, err = out.appendRecord(stream, rt, payload, VersionTLS12); err != nil {
				t.Fatal(err)
			}
			if rt == recordApplicationData {
				sent = append(sent, payload...)
			}
			if rt == recordHandshake && out.version == VersionTLS13 && len(payload) == 5 &&
				bytes.Equal(payload[:4], []byte{typeKeyUpdate, 0, 0, 1}) && payload[4] < 2 {
				out.setTrafficSecret13(out.suite, nextTrafficSecret(out.suite, out.secret))
			}
		}
		cli.conn = newFuzzConn(stream)
		var got []byte
		var err error
		n := allocated(func() {
			buf := make([]byte, 4096)
			for err == nil {
				var k int
				k, err = cli.Read(buf)
				got = append(got, buf[:k]...)
			}
		})
		if n > allocLimit(stream)+uint64(len(got)) {
			t.Fatalf("reading %d bytes allocated %d", len(stream), n)
		}
		if !bytes.HasPrefix(sent, got) {
			t.Fatalf("read %q, not a prefix of the data sent %q", got, sent)
		}
		var ae *AlertError
		if errors.As(err, &ae) && ae.Alert == AlertInternalError && !ae.Remote {
			t.Fatalf("internal error: %v", err)
		}
	})
}

// TestRecordedFlightsReplay: the recorded flights are deterministic, so
// replaying one side's input against a fresh endpoint with the same
// randomness completes the handshake (the fuzz seeds reach the end).
func TestRecordedFlightsReplay(t *testing.T) {
	for i, fc := range flightConfigs {
		t.Run(fc.name, func(t *testing.T) {
			toServer, toClient := recordFlights(t, testKey, i)
			sc := serverConfig()
			sc.Rand, sc.CurvePreferences, sc.HandshakeTimeout = detRand(2), fc.serverCurves, -1
			if err := Server(newFuzzConn(toServer), sc).Handshake(); err != nil {
				t.Errorf("server replay: %v", err)
			}
			cc := clientConfig()
			cc.Rand, cc.HandshakeTimeout = detRand(1), -1
			if fc.cc != nil {
				fc.cc(cc)
			}
			cli := Client(newFuzzConn(toClient), cc)
			cli.testNoCompat = fc.noCompat
			if fc.withEarlyData {
				cli.testEarlyData = [][]byte{[]byte("early data")}
			}
			if err := cli.Handshake(); err != nil {
				t.Errorf("client replay: %v", err)
			}
		})
	}
}
