package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

// Consoles of the test daemon. "limited" may run the listing commands but
// sees one job, one client and one pool; "admin" sees everything. Both
// may log in without TLS (TLS Enable = no), as the raw-protocol tests do;
// the Go client logs in over TLS-PSK, which the daemon accepts whatever
// the policy, as the Director does.
const (
	rootPassword    = "secret"
	adminPassword   = "adminpw"
	limitedPassword = "limitedpw"
	consoleConfig   = `
Profile {
  Name = lister
  Command ACL = .jobs, .clients, .pools, .storages, .filesets, .schedule, .catalogs, .msgs
  Command ACL = list, llist, status, whoami, version, .api, .help, help, messages, .messages
  Command ACL = .bvfs_lsdirs, .bvfs_lsfiles, autodisplay, gui, quit, exit, .quit, "."
  Command ACL = show, .defaults, .bvfs_get_jobids, .bvfs_versions
}
Console {
  Name = limited
  Password = "limitedpw"
  TLS Enable = no
  Profile = lister
  Job ACL = BackupClient1
  Client ACL = bareos-fd
  Pool ACL = Full, Incremental
  Storage ACL = File
  FileSet ACL = SelfTest
  Schedule ACL = WeeklyCycle
  Catalog ACL = MyCatalog
}
Console {
  Name = admin
  Password = "adminpw"
  TLS Enable = no
  Command ACL = *all*
  Job ACL = *all*
  Client ACL = *all*
  Pool ACL = *all*
  Storage ACL = *all*
  FileSet ACL = *all*
  Schedule ACL = *all*
  Catalog ACL = *all*
}
`
)

// Timing of the test daemon: short, so that hostile peers are dealt with
// quickly, but not zero, so that the throttling is exercised.
const (
	authTimeout  = 400 * time.Millisecond
	failDelay    = 100 * time.Millisecond
	maxFailDelay = 2 * failDelay
	// wait bounds every wait of the tests for the daemon (it should take
	// milliseconds; this is generous for a loaded machine under -race).
	wait = 30 * time.Second
)

// daemon is a demo Director serving on a loopback port.
type daemon struct {
	addr string
}

// Source addresses of the tests (all on the loopback network): the
// well-behaved consoles connect from legit, hostile peers from their own
// addresses, so that the daemon's per-address defences (throttling,
// connection limits) are exercised as they would be by an attacker on
// another host.
const (
	legit    = "127.0.0.1"
	attacker = "127.0.0.2"
)

// startDaemon runs the demo Director with the daemon's default
// connection limits until the test ends.
func startDaemon(tb testing.TB) *daemon {
	return startDaemonWith(tb, func(*demo.Config) {})
}

// startDaemonAuth runs the demo Director with the given login timeout
// and without connection limits. The load tests log many consoles in at
// once, from one address, on a machine that may be busy, where the short
// timeout of the hostile-peer tests is too tight.
func startDaemonAuth(tb testing.TB, authTimeout time.Duration) *daemon {
	return startDaemonWith(tb, func(c *demo.Config) {
		c.AuthTimeout = authTimeout
		c.MaxUnauthenticated = -1
		c.MaxUnauthenticatedPerHost = -1
	})
}

// startDaemonWith runs the demo Director, configured for the tests and
// then by opt, until the test ends.
func startDaemonWith(tb testing.TB, opt func(*demo.Config)) *daemon {
	tb.Helper()
	cfg := demo.Config{
		Password:     rootPassword,
		ConfigText:   consoleConfig,
		FailDelay:    failDelay,
		MaxFailDelay: maxFailDelay,
		AuthTimeout:  authTimeout,
		// The load tests run more consoles at once than the
		// Director's default of 20.
		MaxConsoleConnections: -1,
	}
	opt(&cfg)
	srv, err := demo.NewServer(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		// The tests' consoles are closed by now (cleanups run last
		// first), so the graceful shutdown has nothing to wait for.
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			tb.Errorf("Shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, uacontext.ErrServerClosed) {
			tb.Errorf("Serve: %v", err)
		}
	})
	return &daemon{addr: ln.Addr().String()}
}

// dial logs a console in with the Go client.
func (d *daemon) dial(tb testing.TB, name, password string, json bool) *console.Client {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	c, err := console.Dial(ctx, d.addr, console.Options{
		Name: name, Password: password, JSON: json, NoReconnect: true, Timeout: wait,
	})
	if err != nil {
		tb.Fatalf("login as %q: %v", name, err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// raw opens a plain TCP connection to the daemon from the legit
// address, with a deadline.
func (d *daemon) raw(tb testing.TB) net.Conn { return d.rawFrom(tb, legit) }

// rawFrom is raw from the source address ip (on the loopback network).
func (d *daemon) rawFrom(tb testing.TB, ip string) net.Conn {
	tb.Helper()
	nc, err := dialFrom(ip, d.addr)
	if err != nil {
		tb.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(wait))
	tb.Cleanup(func() { nc.Close() })
	return nc
}

// dialFrom connects to addr from the source address ip.
func dialFrom(ip, addr string) (net.Conn, error) {
	dl := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: wait}
	return dl.Dial("tcp", addr)
}

// login performs the console side of the login on a raw connection.
func login(tb testing.TB, nc net.Conn, name, password string) *bsock.Conn {
	tb.Helper()
	c := bsock.NewConn(nc)
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Name: name, Password: password}); err != nil {
		tb.Fatalf("login as %q: %v", name, err)
	}
	return c
}

// drain reads packets until the daemon closes the connection and returns
// them with the error that ended the reading (nil for a clean end of
// file, or after BNET_TERMINATE).
func drain(c *bsock.Conn) ([]bsock.Packet, error) {
	var pkts []bsock.Packet
	for {
		p, err := c.Recv()
		if errors.Is(err, bsock.ErrTerminated) {
			pkts = append(pkts, p)
			// The daemon closes after TERMINATE: expect the end of file.
			if _, err := c.Recv(); !errors.Is(err, io.EOF) && !isReset(err) {
				return pkts, fmt.Errorf("after TERMINATE: %w", err)
			}
			return pkts, nil
		}
		if errors.Is(err, io.EOF) || isReset(err) {
			return pkts, nil
		}
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, p)
	}
}

// isReset reports a connection reset by the daemon, which closes
// connections that still hold unread input.
func isReset(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "connection reset") || errors.Is(err, net.ErrClosed))
}

// text joins the data of packets.
func text(pkts []bsock.Packet) string {
	var b strings.Builder
	for _, p := range pkts {
		b.Write(p.Data)
	}
	return b.String()
}

// signals lists the signals among packets.
func signals(pkts []bsock.Packet) []bsock.Signal {
	var s []bsock.Signal
	for _, p := range pkts {
		if p.IsSignal() {
			s = append(s, p.Signal)
		}
	}
	return s
}

// awaitGoroutines polls until the number of goroutines is back at base
// (or below), up to the generous bound wait, and reports the stacks if
// it is not.
func awaitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(wait)
	n := runtime.NumGoroutine()
	for n > base && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	if n > base {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		t.Errorf("%d goroutines, baseline %d; stacks:\n%s", n, base, buf)
	}
}
