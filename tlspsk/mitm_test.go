package tlspsk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A man in the middle between our client and our server that sees every
// record and may rewrite the stream: fragmenting, tampering, replaying,
// dropping.

type direction int

const (
	toServer direction = iota
	toClient
)

// recordHook gets each record (header included) and its index in its
// direction, and returns what to forward instead (nil: drop).
type recordHook func(dir direction, i int, rec []byte) []byte

// readRawRecord reads one record from r.
func readRawRecord(r io.Reader) ([]byte, error) {
	hdr := make([]byte, 5)
	if _, err := io.ReadFull(r, hdr); err != nil {
		return nil, err
	}
	n := int(hdr[3])<<8 | int(hdr[4])
	rec := make([]byte, 5+n)
	copy(rec, hdr)
	if _, err := io.ReadFull(r, rec[5:]); err != nil {
		return nil, err
	}
	return rec, nil
}

// mitmPair connects a client and a server through the hook.
func mitmPair(t *testing.T, cc, sc *Config, hook recordHook) (cli, srv *Conn) {
	t.Helper()
	cRaw, mClient := tcpPair(t)
	mServer, sRaw := tcpPair(t)
	var wg sync.WaitGroup
	relay := func(dir direction, from, to net.Conn) {
		defer wg.Done()
		for i := 0; ; i++ {
			rec, err := readRawRecord(from)
			if err != nil {
				if tc, ok := to.(*net.TCPConn); ok {
					tc.CloseWrite()
				}
				return
			}
			if out := hook(dir, i, rec); out != nil {
				if _, err := to.Write(out); err != nil {
					return
				}
			}
		}
	}
	wg.Add(2)
	go relay(toServer, mClient, mServer)
	go relay(toClient, mServer, mClient)
	t.Cleanup(func() {
		mClient.Close()
		mServer.Close()
		wg.Wait()
	})
	return Client(cRaw, cc), Server(sRaw, sc)
}

func runPair(cli, srv *Conn) (cerr, serr error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		serr = srv.Handshake()
	}()
	cerr = cli.Handshake()
	if cerr != nil {
		cli.Close() // the server may still wait for the client's flight
	}
	wg.Wait()
	return
}

// splitRecord re-frames a plaintext record into records of at most n
// bytes of payload.
func splitRecord(rec []byte, n int) []byte {
	var out []byte
	body := rec[5:]
	for len(body) > 0 {
		k := min(n, len(body))
		out = append(out, rec[0], rec[1], rec[2], byte(k>>8), byte(k))
		out = append(out, body[:k]...)
		body = body[k:]
	}
	return out
}

// TestFragmentedHandshake: the unprotected handshake records (ClientHello,
// ServerHello and, in TLS 1.2, the rest of the server's flight) arrive
// one byte per record.
func TestFragmentedHandshake(t *testing.T) {
	for _, v := range []uint16{VersionTLS12, VersionTLS13} {
		t.Run(VersionName(v), func(t *testing.T) {
			cc := clientConfig()
			cc.MaxVersion = v
			cli, srv := mitmPair(t, cc, serverConfig(), func(dir direction, i int, rec []byte) []byte {
				if i == 0 && rec[0] == byte(recordHandshake) {
					return splitRecord(rec, 1)
				}
				return rec
			})
			if cerr, serr := runPair(cli, srv); cerr != nil || serr != nil {
				t.Fatalf("handshake: %v, %v", cerr, serr)
			}
			transfer(t, cli, srv, 100000)
			cli.Close()
			srv.Close()
		})
	}
}

// TestTampering flips one bit in each record of each direction in turn
// (its type, its first or its last byte): the handshake or the data
// exchange after it must fail, on both sides with an alert, never accept
// and never hang.
func TestTampering(t *testing.T) {
	for _, v := range []uint16{VersionTLS12, VersionTLS13} {
		for _, dir := range []direction{toServer, toClient} {
			for idx := 0; idx < 6; idx++ {
				for _, pos := range []int{0, 5, -1} {
					// A tampered length may leave a handshake message
					// incomplete: both sides then wait, within the
					// handshake timeout.
					cc, sc := clientConfig(), serverConfig()
					cc.MaxVersion = v
					cc.HandshakeTimeout, sc.HandshakeTimeout = time.Second, time.Second
					var tampered, closing atomic.Bool
					cli, srv := mitmPair(t, cc, sc, func(d direction, i int, rec []byte) []byte {
						if d == dir && i == idx && !closing.Load() {
							p := pos
							if p < 0 {
								p = len(rec) - 1
							}
							rec = bytes.Clone(rec)
							rec[p] ^= 0x10
							tampered.Store(true)
						}
						return rec
					})
					cerr, serr := runPair(cli, srv)
					if cerr == nil && serr == nil {
						cli.SetDeadline(time.Now().Add(5 * time.Second))
						srv.SetDeadline(time.Now().Add(5 * time.Second))
						// The tampered record may come after the
						// handshake: a ping and a pong.
						cdone := make(chan error, 1)
						go func() {
							_, err := cli.Write([]byte("ping"))
							if err == nil {
								_, err = io.ReadFull(cli, make([]byte, 4))
							}
							cdone <- err
						}()
						buf := make([]byte, 4)
						_, serr = io.ReadFull(srv, buf)
						if serr == nil {
							_, serr = srv.Write(buf)
						} else {
							cli.Close() // the client may wait for a pong that never comes
						}
						cerr = <-cdone
					}
					closing.Store(true)
					cli.Close()
					srv.Close()
					name := fmt.Sprintf("%s dir %d record %d byte %d", VersionName(v), dir, idx, pos)
					if !tampered.Load() {
						continue // fewer records than idx before closing
					}
					if serr == nil && cerr == nil {
						t.Errorf("%s: tampering went unnoticed", name)
					}
					for _, err := range []error{cerr, serr} {
						var ae *AlertError
						if errors.As(err, &ae) && ae.Alert == AlertInternalError {
							t.Errorf("%s: internal error: %v", name, err)
						}
						if isTimeout(err) && !errors.Is(err, context.DeadlineExceeded) {
							t.Errorf("%s: timeout after the handshake: %v", name, err)
						}
					}
				}
			}
		}
	}
}

// TestReplayAndDrop: a replayed or dropped data record is a MAC failure
// (the sequence number is in the nonce).
func TestReplayAndDrop(t *testing.T) {
	for _, v := range []uint16{VersionTLS12, VersionTLS13} {
		for _, mode := range []string{"replay", "drop"} {
			t.Run(VersionName(v)+"/"+mode, func(t *testing.T) {
				cc := clientConfig()
				cc.MaxVersion = v
				var mu sync.Mutex
				var seen int
				cli, srv := mitmPair(t, cc, serverConfig(), func(d direction, i int, rec []byte) []byte {
					if d != toServer || rec[0] != byte(recordApplicationData) {
						return rec
					}
					mu.Lock()
					defer mu.Unlock()
					seen++
					// The TLS 1.3 client Finished is an application_data
					// record too; the data records follow it.
					first := 1
					if v == VersionTLS12 {
						first = 0
					}
					if seen-1 == first {
						if mode == "replay" {
							return append(bytes.Clone(rec), rec...)
						}
						return []byte{}
					}
					return rec
				})
				if cerr, serr := runPair(cli, srv); cerr != nil || serr != nil {
					t.Fatalf("handshake: %v, %v", cerr, serr)
				}
				defer cli.Close()
				defer srv.Close()
				go func() {
					cli.Write([]byte("one"))
					cli.Write([]byte("two"))
				}()
				srv.SetReadDeadline(time.Now().Add(10 * time.Second))
				got, err := io.ReadAll(srv)
				var ae *AlertError
				if !errors.As(err, &ae) || ae.Alert != AlertBadRecordMAC || ae.Remote {
					t.Fatalf("read %q, %v; want a bad_record_mac", got, err)
				}
				if mode == "replay" && string(got) != "one" {
					t.Errorf("read %q before the replay, want one", got)
				}
			})
		}
	}
}

// TestEarlyDataSkipped: a ClientHello with early_data and 0-RTT records
// behind it; the server rejects the early data by skipping the records it
// cannot decrypt (within a budget), with or without a HelloRetryRequest.
func TestEarlyDataSkipped(t *testing.T) {
	for _, tc := range []struct {
		name    string
		records [][]byte
		hrr     bool
		ok      bool
	}{
		{"small", [][]byte{[]byte("early 1"), bytes.Repeat([]byte("x"), 1000)}, false, true},
		{"small after HRR", [][]byte{[]byte("early 1"), bytes.Repeat([]byte("x"), 1000)}, true, true},
		{"over budget", [][]byte{make([]byte, maxPlaintext), make([]byte, maxPlaintext), make([]byte, maxPlaintext)}, false, false},
		{"over budget after HRR", [][]byte{make([]byte, maxPlaintext), make([]byte, maxPlaintext), make([]byte, maxPlaintext)}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cc, sc := clientConfig(), serverConfig()
			cc.MinVersion = VersionTLS13
			if tc.hrr {
				cc.CurvePreferences = []CurveID{CurveP256, X25519}
				sc.CurvePreferences = []CurveID{X25519}
			}
			cli, srv, cerr, serr := handshakePair(t, cc, sc, func(cli, srv *Conn) { cli.testEarlyData = tc.records })
			if tc.ok != (cerr == nil && serr == nil) {
				t.Fatalf("handshake: %v, %v", cerr, serr)
			}
			if !tc.ok {
				var ae *AlertError
				if !errors.As(serr, &ae) || ae.Alert != AlertBadRecordMAC {
					t.Errorf("server: %v, want bad_record_mac", serr)
				}
				return
			}
			if srv.ConnectionState().DidHelloRetryRequest != tc.hrr {
				t.Errorf("HelloRetryRequest: %v", srv.ConnectionState().DidHelloRetryRequest)
			}
			transfer(t, cli, srv, 1000)
			cli.Close()
			srv.Close()
		})
	}
}

// TestNoCompatSessionID: a TLS 1.3 client without the middlebox
// compatibility mode (no session ID, no ChangeCipherSpec).
func TestNoCompatSessionID(t *testing.T) {
	var sawCCS atomic.Bool
	cli, srv := mitmPair(t, clientConfig(), serverConfig(), func(d direction, i int, rec []byte) []byte {
		if rec[0] == byte(recordChangeCipherSpec) {
			sawCCS.Store(true)
		}
		return rec
	})
	cli.testNoCompat = true
	if cerr, serr := runPair(cli, srv); cerr != nil || serr != nil {
		t.Fatalf("handshake: %v, %v", cerr, serr)
	}
	if sawCCS.Load() {
		t.Error("ChangeCipherSpec sent without the compatibility mode")
	}
	transfer(t, cli, srv, 1000)
	cli.Close()
	srv.Close()
}

// TestKeyUpdateSelf: with a low limit, both sides replace their write keys
// many times during a transfer.
func TestKeyUpdateSelf(t *testing.T) {
	defer func(n uint64) { keyUpdateAfterRecords = n }(keyUpdateAfterRecords)
	keyUpdateAfterRecords = 3
	cli, srv, cerr, serr := handshakePair(t, clientConfig(), serverConfig(), nil)
	if cerr != nil || serr != nil {
		t.Fatalf("handshake: %v, %v", cerr, serr)
	}
	r0, w0 := cli.trafficSecrets()
	transfer(t, cli, srv, 1<<20)
	r1, w1 := cli.trafficSecrets()
	if bytes.Equal(r0, r1) || bytes.Equal(w0, w1) {
		t.Error("keys were not updated")
	}
	cli.Close()
	srv.Close()
}

// TestCloseBreaksStalledWrite: Close ends a Write blocked on a peer that
// does not read, without waiting to send close_notify.
func TestCloseBreaksStalledWrite(t *testing.T) {
	cli, srv, cerr, serr := handshakePair(t, clientConfig(), serverConfig(), nil)
	if cerr != nil || serr != nil {
		t.Fatalf("handshake: %v, %v", cerr, serr)
	}
	defer srv.Close()
	done := make(chan error, 1)
	go func() {
		_, err := cli.Write(make([]byte, 64<<20))
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	cli.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("Write succeeded")
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("Write still blocked %v after Close", time.Since(start))
	}
}

// TestReadTimeoutRetry: a read deadline interrupts Read; a later Read
// goes on with the same stream.
func TestReadTimeoutRetry(t *testing.T) {
	cli, srv, cerr, serr := handshakePair(t, clientConfig(), serverConfig(), nil)
	if cerr != nil || serr != nil {
		t.Fatalf("handshake: %v, %v", cerr, serr)
	}
	defer cli.Close()
	defer srv.Close()
	srv.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := srv.Read(make([]byte, 10)); !errors.Is(err, context.DeadlineExceeded) && !isTimeout(err) {
		t.Fatalf("Read = %v, want a timeout", err)
	}
	srv.SetReadDeadline(time.Time{})
	go cli.Write([]byte("later"))
	buf := make([]byte, 5)
	if _, err := io.ReadFull(srv, buf); err != nil || string(buf) != "later" {
		t.Fatalf("read %q, %v", buf, err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
