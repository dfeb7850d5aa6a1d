package e2e

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

// header returns a packet length header.
func header(n int32) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }

// frame returns a data packet.
func frame(s string) []byte { return append(header(int32(len(s))), s...) }

// write writes raw bytes to the daemon.
func write(t *testing.T, nc net.Conn, parts ...[]byte) {
	t.Helper()
	for _, p := range parts {
		if _, err := nc.Write(p); err != nil {
			t.Fatalf("write: %v", err)
		}
	}
}

// closeWrite half-closes a TCP connection: the daemon reads end of file.
func closeWrite(t *testing.T, nc net.Conn) {
	t.Helper()
	if err := nc.(*net.TCPConn).CloseWrite(); err != nil {
		t.Fatal(err)
	}
}

// allocatedDuring returns the bytes the whole process allocated while fn
// ran (the daemon runs in this process).
func allocatedDuring(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// expectRefused requires the daemon to end the connection with
// BNET_TERMINATE (terminate true) or without it, and to send no data.
func expectRefused(t *testing.T, nc net.Conn, terminate bool) {
	t.Helper()
	pkts, err := drain(bsock.NewConn(nc))
	if err != nil {
		t.Fatalf("reading the refusal: %v (packets %v)", err, pkts)
	}
	if d := text(pkts); d != "" {
		t.Errorf("daemon sent data to a refused peer: %.200q", d)
	}
	want := []bsock.Signal(nil)
	if terminate {
		want = []bsock.Signal{bsock.Terminate}
	}
	if got := signals(pkts); len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
		t.Errorf("signals %v, want %v", got, want)
	}
}

// expectTLSRefusal requires the daemon to treat what it got as a failed
// TLS handshake, as the Director does with anything that does not start
// with a cleartext Hello: a TLS alert record, then BNET_TERMINATE outside
// TLS, then the end of the connection.
func expectTLSRefusal(t *testing.T, nc net.Conn) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(wait))
	got, err := io.ReadAll(nc)
	if err != nil && !isReset(err) {
		t.Fatalf("reading the refusal: %v (got %x)", err, got)
	}
	rest, ok := bytes.CutSuffix(got, []byte{0xff, 0xff, 0xff, 0xfc})
	if !ok {
		t.Fatalf("refusal %x does not end with BNET_TERMINATE", got)
	}
	if len(rest) != 7 || rest[0] != 0x15 || rest[3] != 0 || rest[4] != 2 || rest[5] != 2 {
		t.Errorf("refusal %x does not start with one fatal TLS alert record", got)
	}
}

// badLogin logs in with a wrong password on a raw connection from the
// attacker's address and waits for the daemon to close it; unknown
// consoles are refused at once.
func badLogin(d *daemon, name string) error {
	nc, err := dialFrom(attacker, d.addr)
	if err != nil {
		return err
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(wait))
	c := bsock.NewConn(nc)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Name: name, Password: "wrong"}); !errors.Is(err, bsock.ErrAuthFailed) {
		return fmt.Errorf("login as %q with a wrong password: %v, want ErrAuthFailed", name, err)
	}
	if _, err := drain(c); err != nil {
		return fmt.Errorf("after the failed login as %q: %w", name, err)
	}
	return nil
}

// TestHostile throws misbehaving peers at the daemon, then checks that it
// still serves a well-behaved console and that all its connection
// goroutines ended. The subtests share the daemon and run in order.
func TestHostile(t *testing.T) {
	d := startDaemon(t)
	base := runtime.NumGoroutine()

	t.Run("garbage before Hello", func(t *testing.T) {
		for _, tc := range []struct {
			name  string
			bytes []byte
		}{
			{"short Hello", frame("Hello x\n")},
			{"file daemon Hello", frame("Hello Client fd calling\n")},
		} {
			t.Run(tc.name, func(t *testing.T) {
				nc := d.rawFrom(t, attacker)
				write(t, nc, tc.bytes)
				// Refused at once: no password was checked, so there is
				// nothing to throttle, and the connection is not held.
				expectRefused(t, nc, true)
			})
		}
		// Anything else is taken for a TLS handshake, as by the Director:
		// it fails at once with an alert, then BNET_TERMINATE.
		for _, tc := range []struct {
			name  string
			bytes []byte
		}{
			{"http", []byte("GET / HTTP/1.0\r\n\r\n")},
			{"framed non-Hello", frame("this is no hello at all\n")},
			{"garbage then Hello", append(frame("garbage garbage garbage"), frame("Hello *UserAgent* calling\n")...)},
			{"binary", []byte{0, 0, 0, 20, 0xff, 0xfe, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}},
			{"TLS ClientHello", []byte{0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				nc := d.raw(t)
				write(t, nc, tc.bytes)
				expectTLSRefusal(t, nc)
			})
		}
	})

	t.Run("length 2^31-1", func(t *testing.T) {
		huge := append(header(1<<31-1), strings.Repeat("x", 1000)...)
		t.Run("before Hello", func(t *testing.T) {
			alloc := allocatedDuring(func() {
				nc := d.raw(t)
				write(t, nc, huge)
				expectTLSRefusal(t, nc) // no "Hello " at offset 4: TLS
			})
			t.Logf("allocated %d bytes", alloc)
			if alloc > 16<<20 {
				t.Errorf("refusing one hostile header allocated %d bytes", alloc)
			}
		})
		t.Run("after login", func(t *testing.T) {
			alloc := allocatedDuring(func() {
				nc := d.raw(t)
				c := login(t, nc, "", rootPassword)
				write(t, nc, huge)
				pkts, err := drain(c)
				if err != nil {
					t.Fatalf("session did not end cleanly: %v", err)
				}
				if s := text(pkts); s != "" {
					t.Errorf("answer to a hostile header: %.200q", s)
				}
			})
			t.Logf("allocated %d bytes", alloc)
			if alloc > 16<<20 {
				t.Errorf("one hostile header allocated %d bytes", alloc)
			}
		})
		t.Run("largest legal header, body never sent", func(t *testing.T) {
			// 16 sessions each announce a full 1,000,000-byte packet and
			// send 10 bytes of it: buffers must grow with what arrives.
			const n = 16
			alloc := allocatedDuring(func() {
				for range n {
					nc := d.raw(t)
					c := login(t, nc, "", rootPassword)
					write(t, nc, header(bsock.MaxPacket), []byte("0123456789"))
					closeWrite(t, nc)
					if _, err := drain(c); err != nil {
						t.Fatalf("session did not end cleanly: %v", err)
					}
				}
			})
			t.Logf("allocated %d bytes", alloc)
			if alloc > n*bsock.MaxPacket/2 {
				t.Errorf("%d truncated maximal packets allocated %d bytes", n, alloc)
			}
		})
	})

	t.Run("truncated packets", func(t *testing.T) {
		hello := frame("Hello *UserAgent* calling\n")
		for _, tc := range []struct {
			name      string
			bytes     []byte
			afterAuth bool
		}{
			{"half a header", []byte{0, 0}, false},
			{"half a Hello", hello[:12], false},
			{"header only", hello[:4], false},
			{"half a command", append(header(100), "list jobs"...), true},
			{"half a header after login", []byte{0, 0, 0}, true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				nc := d.raw(t)
				var c *bsock.Conn
				if tc.afterAuth {
					c = login(t, nc, "", rootPassword)
				} else {
					c = bsock.NewConn(nc)
				}
				write(t, nc, tc.bytes)
				closeWrite(t, nc)
				pkts, err := drain(c)
				if err != nil {
					t.Fatalf("connection did not end cleanly: %v", err)
				}
				if s := text(pkts); s != "" {
					t.Errorf("answer to a truncated packet: %.200q", s)
				}
			})
		}
	})

	t.Run("silent client", func(t *testing.T) {
		t.Run("sends nothing", func(t *testing.T) {
			start := time.Now()
			nc := d.raw(t)
			expectRefused(t, nc, false)
			if el := time.Since(start); el < authTimeout {
				t.Errorf("closed after %v, before the auth timeout %v", el, authTimeout)
			}
		})
		t.Run("stops after Hello", func(t *testing.T) {
			start := time.Now()
			nc := d.raw(t)
			write(t, nc, frame(bsock.HelloText("", bsock.Proto182, "25.0.0")))
			pkts, err := drain(bsock.NewConn(nc))
			if err != nil {
				t.Fatal(err)
			}
			if s := text(pkts); !strings.HasPrefix(s, "auth cram-md5 ") {
				t.Errorf("got %.200q, want the challenge only", s)
			}
			if el := time.Since(start); el < authTimeout {
				t.Errorf("closed after %v, before the auth timeout %v", el, authTimeout)
			}
		})
	})

	t.Run("many silent clients", func(t *testing.T) {
		// A burst of connections from one host that never log in: the
		// daemon keeps DefaultMaxUnauthenticatedPerHost of them until the
		// auth timeout and refuses the others at once (BNET_TERMINATE); a
		// console on another host logs in meanwhile.
		conns := make([]net.Conn, 100)
		start := time.Now()
		for i := range conns {
			conns[i] = d.rawFrom(t, attacker)
		}
		opening := time.Since(start)
		c := d.dial(t, "", rootPassword, false)
		if out, err := c.Call(context.Background(), "whoami"); err != nil || out != "root\n" {
			t.Errorf("whoami during the burst = %q, %v", out, err)
		}
		held := 0
		for _, nc := range conns {
			pkts, err := drain(bsock.NewConn(nc))
			if err != nil || text(pkts) != "" {
				t.Fatalf("silent client: %v %v", pkts, err)
			}
			if len(signals(pkts)) == 0 {
				held++
			}
		}
		// At most DefaultMaxUnauthenticatedPerHost at a time: more only if
		// opening them took longer than the auth timeout.
		most := uacontext.DefaultMaxUnauthenticatedPerHost * (1 + int(opening/authTimeout))
		if held < uacontext.DefaultMaxUnauthenticatedPerHost || held > most {
			t.Errorf("%d silent connections of one host held (opened in %v), want %d to %d",
				held, opening, uacontext.DefaultMaxUnauthenticatedPerHost, most)
		}
	})

	t.Run("slow Hello", func(t *testing.T) {
		// A Hello that trickles in one byte at a time never completes: the
		// auth timeout bounds the whole login, not each read.
		nc := d.raw(t)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := nc.Write(append(header(bsock.MaxHelloLen), "Hello "...)); err != nil {
				return
			}
			for {
				select {
				case <-stop:
					return
				case <-time.After(20 * time.Millisecond):
				}
				if _, err := nc.Write([]byte("H")); err != nil {
					return
				}
			}
		}()
		pkts, err := drain(bsock.NewConn(nc))
		close(stop)
		wg.Wait()
		if err != nil && !isReset(err) {
			t.Fatalf("slow Hello: %v", err)
		}
		if s := text(pkts); s != "" {
			t.Errorf("answer to a slow Hello: %.200q", s)
		}
	})

	t.Run("wrong passwords", func(t *testing.T) {
		t.Run("throttled", func(t *testing.T) {
			// From a fresh address: the first guess is checked at once,
			// each later one only after the delay of the failures before
			// it; every verdict is sent at once and the connection closed
			// (not held for the delay).
			const from = "127.0.0.3"
			var last time.Time // of the previous verdict
			for i, minWait := range []time.Duration{0, failDelay, maxFailDelay} {
				nc := d.rawFrom(t, from)
				start := time.Now()
				c := bsock.NewConn(nc)
				ctx, cancel := context.WithTimeout(context.Background(), wait)
				_, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Name: "admin", Password: "wrong"})
				cancel()
				answered := time.Since(start)
				sincePrev := time.Since(last)
				last = time.Now()
				if !errors.Is(err, bsock.ErrAuthFailed) {
					t.Fatalf("login with a wrong password: %v, want ErrAuthFailed", err)
				}
				pkts, err := drain(c)
				if err != nil {
					t.Fatal(err)
				}
				if s := text(pkts); strings.Trim(strings.ReplaceAll(s, "1999 Authorization failed.\n", ""), "") != "" {
					t.Errorf("after the failed login: %.200q", s)
				}
				// (Client-side times: allow for a little latency.)
				if i > 0 && sincePrev < minWait-10*time.Millisecond {
					t.Errorf("guess %d answered %v after the previous one, before the throttle's %v", i+1, sincePrev, minWait)
				}
				if held := time.Since(start) - answered; held > failDelay {
					t.Errorf("guess %d: connection held %v after the verdict", i+1, held)
				}
			}
		})
		t.Run("no lockout", func(t *testing.T) {
			// Brute force from several connections at once from the
			// attacker's address, throttled there, while the right
			// consoles log in and work from another address.
			var inFlight, attempts atomic.Int32
			var wg sync.WaitGroup
			for i := range 6 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					name := []string{"admin", "limited", "", "nobody"}[i%4]
					for range 4 {
						inFlight.Add(1)
						err := badLogin(d, name)
						inFlight.Add(-1)
						attempts.Add(1)
						if err != nil {
							t.Error(err)
							return
						}
					}
				}()
			}
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			goods := []struct{ name, pw, whoami string }{
				{"admin", adminPassword, "admin\n"}, {"limited", limitedPassword, "limited\n"}, {"", rootPassword, "root\n"},
			}
			overlapped := 0
		loop:
			for i := 0; ; i++ {
				if i == 50 { // enough: wait for the brute force to end
					<-done
				}
				select {
				case <-done:
					break loop
				default:
				}
				good := goods[i%len(goods)]
				c := d.dial(t, good.name, good.pw, i%2 == 0)
				out, err := c.Call(context.Background(), "whoami")
				if err != nil || !strings.Contains(out, strings.TrimSuffix(good.whoami, "\n")) {
					t.Errorf("whoami as %q during brute force = %q, %v", good.name, out, err)
				}
				c.Close()
				if inFlight.Load() > 0 {
					overlapped++
				}
			}
			t.Logf("%d failed attempts; %d good logins overlapped them", attempts.Load(), overlapped)
			if overlapped == 0 {
				t.Error("no good login overlapped a failed one")
			}
			// And after it, the attacked console logs in.
			c := d.dial(t, "admin", adminPassword, true)
			if r, err := c.CallJSON(context.Background(), "whoami"); err != nil || r.Get("whoami").String() != "admin" {
				t.Errorf("whoami after brute force = %s, %v", r.Raw, err)
			}
		})
	})

	t.Run("commands before auth", func(t *testing.T) {
		for _, cmd := range []string{"list jobs", ".api 2", "status director", "quit"} {
			t.Run("as Hello "+cmd, func(t *testing.T) {
				nc := d.raw(t)
				write(t, nc, frame(cmd))
				if len(cmd) < bsock.MinHelloLen {
					expectRefused(t, nc, true) // too short for a Hello
				} else {
					expectTLSRefusal(t, nc) // no "Hello " at offset 4: TLS
				}
			})
			t.Run("as answer "+cmd, func(t *testing.T) {
				nc := d.rawFrom(t, attacker)
				c := bsock.NewConn(nc)
				write(t, nc, frame(bsock.HelloText("", bsock.Proto182, "25.0.0")))
				p, err := c.Recv()
				if err != nil || !strings.HasPrefix(string(p.Data), "auth cram-md5 ") {
					t.Fatalf("challenge: %q, %v", p.Data, err)
				}
				write(t, nc, frame(cmd), frame(cmd), frame(cmd))
				pkts, err := drain(c)
				if err != nil {
					t.Fatal(err)
				}
				if s := strings.ReplaceAll(text(pkts), "1999 Authorization failed.\n", ""); s != "" {
					t.Errorf("answer to %q before auth: %.200q", cmd, s)
				}
			})
		}
	})

	t.Run("signals", func(t *testing.T) {
		// Undefined and unexpected signals do not end or confuse a session.
		nc := d.raw(t)
		c := login(t, nc, "", rootPassword)
		for _, s := range []int32{-100, -1 << 31, int32(bsock.EOD), int32(bsock.Heartbeat), int32(bsock.Poll), int32(bsock.Status), -29} {
			write(t, nc, header(s))
		}
		write(t, nc, frame("whoami"))
		deadline := time.Now().Add(wait)
		var got string
		for time.Now().Before(deadline) && !strings.Contains(got, "root\n") {
			p, err := c.Recv()
			if err != nil {
				t.Fatalf("session ended after signals: %v (so far %q)", err, got)
			}
			got += string(p.Data)
		}
		if got != "root\n" {
			t.Errorf("after signals, whoami = %q", got)
		}
	})

	t.Run("dropped in a large answer", func(t *testing.T) {
		const bigCmd = ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000"
		for _, tc := range []struct {
			name  string
			api   string
			reset bool
		}{
			{"text", "", false}, {"json", ".api 2 compact=yes", false}, {"text reset", "", true}, {"json reset", ".api 2", true},
		} {
			t.Run(tc.name, func(t *testing.T) {
				nc := d.raw(t)
				c := login(t, nc, "", rootPassword)
				if tc.api != "" {
					write(t, nc, frame(tc.api))
					for {
						p, err := c.Recv()
						if err != nil {
							t.Fatal(err)
						}
						if p.Signal == bsock.MainPrompt {
							break
						}
					}
				}
				write(t, nc, frame(bigCmd))
				got := 0
				for got < 64<<10 {
					p, err := c.Recv()
					if err != nil {
						t.Fatalf("after %d bytes: %v", got, err)
					}
					got += len(p.Data)
				}
				if tc.reset {
					_ = nc.(*net.TCPConn).SetLinger(0)
				}
				nc.Close()
			})
		}
		// The daemon is not stuck on the abandoned answers.
		c := d.dial(t, "", rootPassword, true)
		r, err := c.CallJSON(context.Background(), ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=1000")
		if err != nil || len(r.Get("files").Array()) != 1000 {
			t.Errorf("large answer after the dropped ones: %d files, %v", len(r.Get("files").Array()), err)
		}
	})

	// After all of it, the daemon serves a well-behaved console in every
	// mode, and every connection's goroutines are gone.
	for _, json := range []bool{false, true} {
		c := d.dial(t, "", rootPassword, json)
		out, err := c.Call(context.Background(), "whoami")
		if err != nil || !strings.Contains(out, "root") {
			t.Errorf("whoami (json %t) after the hostile peers = %q, %v", json, out, err)
		}
		c.Close()
	}
	awaitGoroutines(t, base)
}

// TestShutdownStalledReader starts a large answer for a console that then
// stops reading (without closing), and shuts the daemon down gracefully
// with a short grace. The session is blocked writing into a full socket;
// when the grace ends Shutdown must close it (package rule: goroutines
// and connections end when their context ends) and return. The wait is
// bounded; the connection is closed afterwards in any case, so a failure
// does not hang.
func TestShutdownStalledReader(t *testing.T) {
	srv, err := demo.NewServer(demo.Config{Password: rootPassword, AuthTimeout: authTimeout})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := runtime.NumGoroutine()
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	d := &daemon{addr: ln.Addr().String()}

	nc := d.raw(t)
	c := login(t, nc, "", rootPassword)
	write(t, nc, frame(".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000"))
	// Read the first packet, so the answer is under way, then stall.
	if p, err := c.Recv(); err != nil || len(p.Data) == 0 {
		t.Fatalf("first packet of the answer: %v", err)
	}
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		shut <- srv.Shutdown(ctx)
	}()
	select {
	case err := <-shut:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Shutdown = %v, want its context's deadline (the stalled session had to be closed)", err)
		}
	case <-time.After(wait):
		t.Errorf("Shutdown did not return within %v: a session blocked writing to a console that stopped reading outlives the grace", wait)
		nc.Close()
		<-shut
	}
	if err := <-done; !errors.Is(err, uacontext.ErrServerClosed) {
		t.Errorf("Serve = %v", err)
	}
	nc.Close()
	awaitGoroutines(t, base)
}

// TestStalledReaderTimeout starts a large answer for a console that then
// stops reading without closing: the daemon's write timeout ends the
// session on its own (no shutdown), its goroutines end, and the console
// finds the connection closed once it reads again.
func TestStalledReaderTimeout(t *testing.T) {
	ended := make(chan struct{}, 16)
	log := slog.New(sessionEndHandler{ended})
	srv, err := demo.NewServer(demo.Config{Password: rootPassword, AuthTimeout: authTimeout, WriteTimeout: 300 * time.Millisecond, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	defer func() {
		srv.Close()
		<-done
	}()
	base := runtime.NumGoroutine()
	d := &daemon{addr: ln.Addr().String()}

	nc := d.raw(t)
	c := login(t, nc, "", rootPassword)
	write(t, nc, frame(".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000"))
	if p, err := c.Recv(); err != nil || len(p.Data) == 0 {
		t.Fatalf("first packet of the answer: %v", err)
	}
	// Stall: the session must end by itself (the server logs its end),
	// and its goroutines with it.
	select {
	case <-ended:
	case <-time.After(wait):
		t.Fatalf("the session of a console that stopped reading did not end within %v", wait)
	}
	awaitGoroutines(t, base)
	// The write that timed out may have left a packet cut off: after a
	// write timeout the stream is out of step and the daemon just closes,
	// so the console may see a truncated last packet.
	pkts, err := drain(c)
	if err != nil && !errors.Is(err, bsock.ErrTruncated) {
		t.Fatalf("reading after the stall: %v", err)
	}
	if n := len(text(pkts)); n >= 20<<20 {
		t.Errorf("got %d more bytes: the answer was not cut off", n)
	}
	// The daemon still serves.
	cl := d.dial(t, "", rootPassword, false)
	if out, err := cl.Call(context.Background(), "whoami"); err != nil || out != "root\n" {
		t.Errorf("whoami after the stalled reader = %q, %v", out, err)
	}
}

// sessionEndHandler signals every "console session ended" log record.
type sessionEndHandler struct{ ended chan<- struct{} }

func (h sessionEndHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h sessionEndHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Message == "console session ended" {
		select {
		case h.ended <- struct{}{}:
		default:
		}
	}
	return nil
}

func (h sessionEndHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h sessionEndHandler) WithGroup(string) slog.Handler      { return h }
