package uacontext

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/bsock"
)

// helloOnly connects, sends a console Hello and returns the first packet
// the server answers with (a signal, or the start of the CRAM-MD5
// challenge).
func helloOnly(t *testing.T, addr, name string) bsock.Packet {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
	c := bsock.NewConn(nc)
	if err := c.Send([]byte(bsock.HelloText(name, bsock.Proto182, "25.0.0"))); err != nil {
		t.Fatal(err)
	}
	p, err := c.Recv()
	if err != nil && !errors.Is(err, bsock.ErrTerminated) {
		t.Fatalf("answer to the Hello of %q: %v", name, err)
	}
	return p
}

// TestMaxConsoleConnections fills the limit with named consoles: a
// further named console is refused right after its Hello as the Director
// refuses it (BNET_TERMINATE, close), the default console is let in
// anyway, and a named console gets in again once a connection ended.
func TestMaxConsoleConnections(t *testing.T) {
	srv := testServer()
	srv.MaxConsoleConnections = 2
	logs := &syncBuffer{}
	srv.Log = slog.New(slog.NewTextHandler(logs, nil))
	ln := listen(t)
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()

	first := dialTCP(t, addr, "restricted", "pw")
	second := dialTCP(t, addr, "restricted", "pw")
	first.run([]step{{"version", []string{versionLine, EOD}}})
	second.run([]step{{"version", []string{versionLine, EOD}}})

	if p := helloOnly(t, addr, "restricted"); p.Signal != bsock.Terminate {
		t.Errorf("third named console: got %v %q, want BNET_TERMINATE", p.Signal, p.Data)
	}
	if !strings.Contains(logs.String(), "number of console connections exceeded; console refused") {
		t.Errorf("refusal not logged:\n%s", logs.String())
	}
	// The Director lets the default console in beyond the limit.
	root := dialTCP(t, addr, "", rootPassword)
	root.run([]step{{"whoami", []string{"root\n", EOD}}})

	// Once a named console left (and the root one), there is room again.
	first.c.Close()
	root.c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for srv.leases.Load() > 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	again := dialTCP(t, addr, "restricted", "pw")
	again.run([]step{{"version", []string{versionLine, EOD}}})
}

// TestMaxConsoleConnectionsDefault checks the Director's default of 20:
// the 21st named console is refused.
func TestMaxConsoleConnectionsDefault(t *testing.T) {
	srv := testServer()
	ln := listen(t)
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()
	for range DefaultMaxConsoleConnections {
		dialTCP(t, addr, "restricted", "pw")
	}
	if p := helloOnly(t, addr, "restricted"); p.Signal != bsock.Terminate {
		t.Errorf("console %d: got %v %q, want BNET_TERMINATE", DefaultMaxConsoleConnections+1, p.Signal, p.Data)
	}
}

// TestConsoleSourcePerLogin swaps the console source between logins: the
// next login sees the new source, a running session keeps the console it
// logged in with, and a failing source refuses the login.
func TestConsoleSourcePerLogin(t *testing.T) {
	var cur atomic.Pointer[ConsoleSource]
	set := func(src ConsoleSource) { cur.Store(&src) }
	set(ConsoleList(Console{Name: "op", Key: bsock.PasswordKey("old"), ACL: ACLSet{ACLCommand: {"whoami", "version"}}}))
	var lookups atomic.Int32
	srv := testServer()
	logs := &syncBuffer{}
	srv.Log = slog.New(slog.NewTextHandler(logs, nil))
	srv.Consoles = ConsoleSourceFunc(func(ctx context.Context, name string) (*Console, error) {
		lookups.Add(1)
		return (*cur.Load()).LookupConsole(ctx, name)
	})
	ln := listen(t)
	go srv.Serve(ln)
	defer srv.Close()
	addr := ln.Addr().String()

	old := dialTCP(t, addr, "op", "old")
	old.run([]step{{"version", []string{versionLine, EOD}}})

	// A reload: new password, fewer commands.
	set(ConsoleList(Console{Name: "op", Key: bsock.PasswordKey("new"), ACL: ACLSet{ACLCommand: {"whoami"}}}))
	if _, err := dial(t, srv, "op", "old"); err == nil {
		t.Error("login with the password of the previous source succeeded")
	}
	fresh := dialTCP(t, addr, "op", "new")
	fresh.run([]step{{"version", []string{"version: is an invalid command.\n", EOD}}})
	// The session that logged in before the reload keeps its console.
	old.run([]step{{"version", []string{versionLine, EOD}}})
	if n := lookups.Load(); n != 3 {
		t.Errorf("source consulted %d times for 3 logins", n)
	}

	// A source that fails refuses the login and logs why.
	set(ConsoleSourceFunc(func(context.Context, string) (*Console, error) {
		return nil, errors.New("secret store unreachable")
	}))
	if p := helloOnly(t, addr, "op"); p.Signal != bsock.Terminate {
		t.Errorf("failing source: got %v %q, want BNET_TERMINATE", p.Signal, p.Data)
	}
	if !strings.Contains(logs.String(), "secret store unreachable") {
		t.Errorf("source failure not logged:\n%s", logs.String())
	}
}

func TestConsoleList(t *testing.T) {
	cs := []Console{
		{Name: "a", Key: "ABC"},
		{Name: "a", Key: "second"},
		{Name: "", Key: "x"},
		{Name: bsock.DefaultConsoleName, Key: "x"},
	}
	src := ConsoleList(cs...)
	cs[0].Key = "changed"
	ctx := context.Background()
	c, err := src.LookupConsole(ctx, "a")
	if err != nil || c.Key != "ABC" {
		t.Errorf("a = %+v, %v; want the first, copied, key as written", c, err)
	}
	for _, name := range []string{"", bsock.DefaultConsoleName, "A", "b"} {
		if _, err := src.LookupConsole(ctx, name); !errors.Is(err, ErrUnknownConsole) {
			t.Errorf("LookupConsole(%q) = %v, want ErrUnknownConsole", name, err)
		}
	}
}

// graceful is how long the server's graceful close of a refused
// connection waits for the console to close its side (bsock.Conn's
// CloseGracefully: what has arrived, then the peer's end of file).
const graceful = 300 * time.Millisecond

// TestFailDelayDefault checks, on a fake clock, the failed-login
// throttle of a server with a zero FailDelay (the Director's 5 s as the
// base), a negative one (off) and a set one: a wrong password is answered
// at once and the connection closed, not held; the next check from the
// same address waits the delay, the one after twice the delay.
func TestFailDelayDefault(t *testing.T) {
	for _, tt := range []struct {
		failDelay time.Duration
		want      time.Duration
	}{
		{0, bsock.DefaultFailDelay},
		{-1, 0},
		{time.Second, time.Second},
	} {
		synctest.Test(t, func(t *testing.T) {
			srv := &Server{DefaultKey: bsock.PasswordKey(rootPassword), FailDelay: tt.failDelay}
			var last time.Time // the previous verdict
			for i, want := range []time.Duration{0, tt.want, 2 * tt.want} {
				a, b := net.Pipe()
				go srv.ServeConn(context.Background(), a)
				c := bsock.NewConn(b)
				_, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Password: "wrong"})
				if !errors.Is(err, bsock.ErrAuthFailed) {
					t.Fatalf("attempt %d: %v, want ErrAuthFailed", i, err)
				}
				answered := time.Now()
				if i > 0 {
					// The wait counts from the previous failure.
					if got := answered.Sub(last); got != max(want, graceful) {
						t.Errorf("FailDelay %v, attempt %d: answered %v after the previous failure, want %v", tt.failDelay, i, got, max(want, graceful))
					}
				}
				last = answered
				io.Copy(io.Discard, b) // the rest of the refusal, then EOF
				if got := time.Since(answered); got > graceful {
					t.Errorf("FailDelay %v, attempt %d: closed %v after the verdict, want at most %v (no hold)", tt.failDelay, i, got, graceful)
				}
				c.Close()
			}
		})
	}
	if d := (&Server{}).failDelay(); !cmp.Equal(d, bsock.DefaultFailDelay) {
		t.Errorf("zero Server's fail delay = %v", d)
	}
}

// TestMD5KeyAsWritten checks that a console key from an "[md5]HEX"
// password is used exactly as configured, letter case included, as the
// Director uses it: a client holding the same key logs in, a client
// deriving the (lower-case) key from the cleartext password does not.
func TestMD5KeyAsWritten(t *testing.T) {
	upper := strings.ToUpper(bsock.PasswordKey("pw"))
	srv := testServer()
	srv.Consoles = ConsoleList(Console{Name: "upper", Key: upper, ACL: ACLSet{ACLCommand: {"*all*"}}})
	srv.DefaultKey = strings.ToUpper(bsock.PasswordKey(rootPassword))
	for _, name := range []string{"upper", bsock.DefaultConsoleName} {
		key := upper
		if name == bsock.DefaultConsoleName {
			key = srv.DefaultKey
		}
		a, b := net.Pipe()
		go srv.ServeConn(context.Background(), a)
		c := bsock.NewConn(b)
		c.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
		if _, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Name: name, Key: key}); err != nil {
			t.Errorf("%s: login with the key as written: %v", name, err)
		}
		c.Close()
	}
	password := map[string]string{"upper": "pw", bsock.DefaultConsoleName: rootPassword}
	for name, pw := range password {
		if _, err := dial(t, srv, name, pw); !errors.Is(err, bsock.ErrAuthFailed) {
			t.Errorf("%s: login with the lower-case key of the password: %v, want ErrAuthFailed", name, err)
		}
	}
}
