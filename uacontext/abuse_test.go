package uacontext

// Load and abuse tests of a Server with its default settings, from the
// loopback network (attackers on their own 127.x addresses). Each stops
// by itself within seconds; UAFORMAT_HOSTILE_FULL=1 runs the sizes of
// issue 9 (longer, more connections; the silent-connection test then
// holds its connections in child processes, since one process may not
// have 24,000 descriptors).

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
)

// fullSize reports whether the full-size versions run.
func fullSize() bool { return os.Getenv("UAFORMAT_HOSTILE_FULL") != "" }

// abuseServer is a Server with the default settings (throttling, limits,
// budget), a default console and a named console "admin".
func abuseServer() *Server {
	return &Server{
		Director:   testDirector,
		DefaultKey: bsock.PasswordKey(rootPassword),
		Consoles: ConsoleList(
			Console{Name: "admin", Key: bsock.PasswordKey("adminpw"), ACL: ACLSet{ACLCommand: {"*all*"}}},
			Console{Name: "restricted", Key: bsock.PasswordKey("pw"), ACL: ACLSet{ACLCommand: {"whoami", "list", ".api"}}},
		),
	}
}

// serveAbuse serves srv on 127.0.0.1 until the test ends.
func serveAbuse(t *testing.T, srv *Server) string {
	t.Helper()
	srv.init()
	ln := listen(t)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return ln.Addr().String()
}

// dialFrom connects to addr from the loopback address ip.
func dialFrom(ip, addr string) (net.Conn, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	return d.Dial("tcp", addr)
}

// timedLogin logs in from ip and runs whoami; it returns how long the
// login took.
func timedLogin(ip, addr, name, password string) (time.Duration, error) {
	start := time.Now()
	nc, err := dialFrom(ip, addr)
	if err != nil {
		return 0, err
	}
	defer nc.Close()
	nc.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
	c := bsock.NewConn(nc)
	if _, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Name: name, Password: password}); err != nil {
		return time.Since(start), err
	}
	took := time.Since(start)
	if err := c.Send([]byte("whoami")); err != nil {
		return took, err
	}
	p, err := c.Recv()
	if err != nil || !strings.HasSuffix(string(p.Data), "\n") {
		return took, fmt.Errorf("whoami: %q, %v", p.Data, err)
	}
	return took, nil
}

// guess runs password guesses as name from the addresses ips until ctx
// ends, with conc connections at a time; it returns the number of
// attempts made.
func guess(ctx context.Context, addr, name string, ips []string, conc int) int64 {
	var attempts atomic.Int64
	var wg sync.WaitGroup
	for i := range conc {
		wg.Go(func() {
			ip := ips[i%len(ips)]
			for n := 0; ctx.Err() == nil; n++ {
				nc, err := dialFrom(ip, addr)
				if err != nil {
					continue
				}
				stop := context.AfterFunc(ctx, func() { nc.Close() })
				bsock.ClientHandshake(ctx, bsock.NewConn(nc), bsock.ClientConfig{Name: name, Password: "guess" + strconv.Itoa(n)})
				stop()
				nc.Close()
				attempts.Add(1)
			}
		})
	}
	wg.Wait()
	return attempts.Load()
}

// TestAbuseGuessRate: a guesser from one address, however many
// connections it opens at once, gets at most one password check per
// second; a console on another address logs in meanwhile in under a
// second.
func TestAbuseGuessRate(t *testing.T) {
	dur, conc := 3*time.Second, 16
	if fullSize() {
		dur, conc = 30*time.Second, 64
	}
	srv := abuseServer()
	srv.init()
	var checks atomic.Int64
	srv.throttle.checked = func(kind, host, name string, ok bool) {
		if host == "127.0.0.2" {
			checks.Add(1)
		}
	}
	addr := serveAbuse(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	attempts := make(chan int64, 1)
	go func() { attempts <- guess(ctx, addr, "admin", []string{"127.0.0.2"}, conc) }()

	time.Sleep(dur / 3)
	for range 3 {
		took, err := timedLogin("127.0.0.1", addr, "admin", "adminpw")
		if err != nil || took > time.Second {
			t.Errorf("login from another address during the guessing: %v, %v", took, err)
		}
	}
	n := <-attempts
	rate := float64(checks.Load()) / dur.Seconds()
	t.Logf("%d connections of the guesser in %v (%d at a time): %d passwords checked, %.2f guesses/s",
		n, dur, conc, checks.Load(), rate)
	if rate > 1 {
		t.Errorf("%.2f guesses/s from one address, want at most 1", rate)
	}
	if n < int64(conc) {
		t.Errorf("the guesser made only %d attempts", n)
	}
}

// TestAbuseGuessRateByName: guessers on many addresses, all after one
// console's password, get one free check per address and then share one
// check per FailDelay; the console's owner, from the address it logged
// in from before, is not held up.
func TestAbuseGuessRateByName(t *testing.T) {
	dur, hosts := 3*time.Second, 12
	if fullSize() {
		dur, hosts = 30*time.Second, 48
	}
	srv := abuseServer()
	srv.init()
	var checks atomic.Int64
	srv.throttle.checked = func(kind, host, name string, ok bool) {
		if host != "127.0.0.1" {
			checks.Add(1)
		}
	}
	addr := serveAbuse(t, srv)
	if took, err := timedLogin("127.0.0.1", addr, "admin", "adminpw"); err != nil {
		t.Fatalf("first login: %v (%v)", err, took)
	}
	var ips []string
	for i := range hosts {
		ips = append(ips, fmt.Sprintf("127.0.1.%d", i+1))
	}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	done := make(chan int64, 1)
	go func() { done <- guess(ctx, addr, "admin", ips, 2*hosts) }()
	time.Sleep(dur / 3)
	for range 3 {
		took, err := timedLogin("127.0.0.1", addr, "admin", "adminpw")
		if err != nil || took > time.Second {
			t.Errorf("the owner's login during the attack: %v, %v", took, err)
		}
	}
	n := <-done
	limit := int64(hosts) + int64(dur/bsock.DefaultFailDelay) + 1
	t.Logf("%d attempts from %d addresses in %v: %d passwords checked (limit %d)", n, hosts, dur, checks.Load(), limit)
	if checks.Load() > limit {
		t.Errorf("%d passwords checked, want at most %d", checks.Load(), limit)
	}
}

// raiseFDLimit raises the soft limit of open files to the hard limit and
// returns it.
func raiseFDLimit(t *testing.T) uint64 {
	t.Helper()
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		t.Fatal(err)
	}
	if lim.Cur < lim.Max {
		old := lim.Cur
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			t.Logf("cannot raise the open-file limit from %d: %v", old, err)
			lim.Cur = old
		}
	}
	return lim.Cur
}

// attackerIP returns the i-th of the attackers' addresses, 127.2.x.y.
func attackerIP(i int) string { return fmt.Sprintf("127.2.%d.%d", i/250, i%250+1) }

// holdConns opens n silent connections to addr from spread addresses
// (10 per address, starting at the address number first).
func holdConns(addr string, n, first int) ([]net.Conn, error) {
	conns := make([]net.Conn, 0, n)
	for i := range n {
		nc, err := dialFrom(attackerIP(first+i/10), addr)
		if err != nil {
			for _, c := range conns {
				c.Close()
			}
			return nil, fmt.Errorf("connection %d: %w", i, err)
		}
		conns = append(conns, nc)
	}
	return conns, nil
}

// TestAbuseHoldHelper is not a test: run as a child process of
// TestAbuseSilentConnections, it holds silent connections (so that the
// full size does not need 24,000 descriptors in one process).
func TestAbuseHoldHelper(t *testing.T) {
	addr := os.Getenv("UAFORMAT_HOLD_ADDR")
	if addr == "" {
		t.Skip("helper process only")
	}
	raiseFDLimit(t)
	n, _ := strconv.Atoi(os.Getenv("UAFORMAT_HOLD_N"))
	first, _ := strconv.Atoi(os.Getenv("UAFORMAT_HOLD_FIRST"))
	conns, err := holdConns(addr, n, first)
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("ready", len(conns))
	io.Copy(io.Discard, os.Stdin) // until the parent closes it
	for _, c := range conns {
		c.Close()
	}
}

// TestAbuseSilentConnections: while thousands of connections that never
// log in are open against the server (24,000 in the full size, from a
// thousand addresses, with more arriving all the time), the server holds
// at most DefaultMaxUnauthenticated of them and a console on another
// address logs in in under a second.
func TestAbuseSilentConnections(t *testing.T) {
	limit := raiseFDLimit(t)
	srv := abuseServer()
	addr := serveAbuse(t, srv)
	total := 4000
	if fullSize() {
		total = 24000
	}
	if !fullSize() && uint64(total)+1000 > limit {
		total = int(limit) - 1000
		t.Logf("open-file limit %d: %d connections", limit, total)
	}
	var conns []net.Conn
	t.Cleanup(func() {
		for _, c := range conns {
			c.Close()
		}
	})
	start := time.Now()
	if fullSize() {
		// Two child processes of 12,000 each.
		for i := range 2 {
			cmd := exec.Command(os.Args[0], "-test.run=^TestAbuseHoldHelper$")
			cmd.Env = append(os.Environ(), "UAFORMAT_HOLD_ADDR="+addr,
				"UAFORMAT_HOLD_N="+strconv.Itoa(total/2), "UAFORMAT_HOLD_FIRST="+strconv.Itoa(i*total/20))
			stdin, _ := cmd.StdinPipe()
			stdout, _ := cmd.StdoutPipe()
			cmd.Stderr = os.Stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { stdin.Close(); cmd.Wait() })
			line, _ := bufio.NewReader(stdout).ReadString('\n')
			if !strings.HasPrefix(line, "ready") {
				t.Fatalf("helper %d: %q", i, line)
			}
		}
	} else {
		// One host with many, and many hosts with a few.
		for range 1000 {
			nc, err := dialFrom("127.0.0.2", addr)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, nc)
		}
		more, err := holdConns(addr, total-1000, 0)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, more...)
	}
	t.Logf("%d silent connections opened in %v", total, time.Since(start))

	// More keep coming while the console logs in (a thousand a second,
	// from addresses the server has not seen yet).
	ctx, cancel := context.WithCancel(context.Background())
	var churn sync.WaitGroup
	churn.Go(func() {
		var more []net.Conn
		defer func() {
			for _, c := range more {
				c.Close()
			}
		}()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for i := 0; ctx.Err() == nil; i++ {
			<-tick.C
			if nc, err := dialFrom(attackerIP(3000+i/10), addr); err == nil {
				more = append(more, nc)
			}
		}
	})
	var worst time.Duration
	for range 5 {
		took, err := timedLogin("127.0.0.1", addr, "admin", "adminpw")
		if err != nil {
			t.Errorf("login during the flood: %v (after %v)", err, took)
		}
		worst = max(worst, took)
		time.Sleep(100 * time.Millisecond)
	}
	held, conns2 := srv.pending.count(), srv.numConns()
	cancel()
	churn.Wait()
	runtime.KeepAlive(conns)
	t.Logf("slowest of 5 logins: %v; the server holds %d connections that have not logged in (%d in all)", worst, held, conns2)
	if worst > time.Second {
		t.Errorf("a login took %v during the flood, want under 1s", worst)
	}
	if held > DefaultMaxUnauthenticated || conns2 > DefaultMaxUnauthenticated+5 {
		t.Errorf("the server holds %d pending connections (%d in all), limit %d", held, conns2, DefaultMaxUnauthenticated)
	}
}

// countingWriter counts the bytes written to it.
type countingWriter struct{ n atomic.Int64 }

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return len(p), nil
}

// TestAbuseLogGrowth: consoles sending 1 MB junk command lines at full
// speed (unknown commands, commands their ACL denies, arguments that name
// nothing) grow the log by less than 10 KB/s.
func TestAbuseLogGrowth(t *testing.T) {
	dur := 2 * time.Second
	if fullSize() {
		dur = 20 * time.Second
	}
	srv := abuseServer()
	var logBytes countingWriter
	srv.Log = slog.New(slog.NewTextHandler(&logBytes, nil)) // info, as the daemon logs
	srv.Table = DefaultTable()
	srv.Table.Add(Command{Name: "list", Audit: true, Handler: func(ctx context.Context, ua *UA) error {
		if len(ua.Args) > 1 {
			return NotFound("Client", ua.Args[1].Value)
		}
		return nil
	}})
	addr := serveAbuse(t, srv)
	junk := strings.Repeat("j", 1<<20-64)
	lines := []string{
		junk,                        // an unknown command
		"list client=" + junk,       // names nothing: an error of the command
		"status " + junk,            // denied by the restricted console's ACL
		".api 2 " + junk,            // then the same in JSON mode
		"list client=" + junk[:1e5], // a shorter one
		"\xff\xfe" + junk,           // not UTF-8
	}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var sent atomic.Int64
	var wg sync.WaitGroup
	for _, who := range []struct{ name, pw string }{{"", rootPassword}, {"restricted", "pw"}, {"admin", "adminpw"}} {
		nc, err := dialFrom("127.0.0.3", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		c := bsock.NewConn(nc)
		if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Name: who.name, Password: who.pw}); err != nil {
			t.Fatal(err)
		}
		go io.Copy(io.Discard, nc) // read every answer
		wg.Go(func() {
			for i := 0; ctx.Err() == nil; i++ {
				if err := c.SendContext(ctx, []byte(lines[i%len(lines)])); err != nil {
					return
				}
				sent.Add(1)
			}
		})
	}
	start := time.Now()
	wg.Wait()
	el := time.Since(start)
	rate := float64(logBytes.n.Load()) / el.Seconds()
	t.Logf("%d junk command lines of up to 1 MB in %v: the log grew by %d bytes (%.0f bytes/s)", sent.Load(), el.Round(time.Millisecond), logBytes.n.Load(), rate)
	if sent.Load() < 20 {
		t.Errorf("only %d junk lines sent", sent.Load())
	}
	if rate >= 10_000 {
		t.Errorf("the log grew by %.0f bytes/s, want under 10 KB/s", rate)
	}
}

// bigTable has a command producing a large mode-2 answer: rows of 19
// key/values like .bvfs_lsfiles (about 200 bytes of tokens per row).
func bigTable(rows int) *Table {
	var keys [19]string
	for k := range keys {
		keys[k] = "key" + strconv.Itoa(k)
	}
	t := DefaultTable()
	t.Add(Command{Name: "big", Handler: func(ctx context.Context, ua *UA) error {
		f := ua.Formatter()
		f.ArrayStart("files", null)
		for i := range rows {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			f.ObjectStart(null, null)
			for k := range 19 {
				f.KVString(keys[k], null, strconv.Itoa(i), null)
			}
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("files", null)
		return nil
	}})
	return t
}

// TestAbuseMemoryBudget: consoles that ask for large JSON answers and
// never read pin no more than the output budget: the server ends the
// sessions of the slowest readers (with a log record saying why), the
// memory in use stays near the budget, and another console keeps
// working.
func TestAbuseMemoryBudget(t *testing.T) {
	consoles, rows, budget := 8, 100_000, int64(48<<20)
	if fullSize() {
		consoles, budget = 40, DefaultOutputMemory
	}
	srv := abuseServer()
	srv.OutputMemory = budget
	srv.Table = bigTable(rows)
	logs := &syncBuffer{}
	srv.Log = slog.New(slog.NewTextHandler(logs, nil))
	srv.MaxConsoleConnections = -1
	addr := serveAbuse(t, srv)

	// As the daemon does (uaconsoled), the runtime's soft memory limit is
	// the budget plus room for the rest, so that garbage is collected
	// before the heap grows far beyond what is in use.
	memLimit := budget + 96<<20
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(memLimit))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peakHeap atomic.Uint64
	var peakBudget atomic.Int64
	stop := make(chan struct{})
	var sampler sync.WaitGroup
	sampler.Go(func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peakHeap.Load() {
				peakHeap.Store(ms.HeapInuse)
			}
			if u := srv.budget.inUse(); u > peakBudget.Load() {
				peakBudget.Store(u)
			}
		}
	})

	dealt := func() (ended, discarded int) {
		l := logs.String()
		return strings.Count(l, "ending the session of a console that does not read"),
			strings.Count(l, "answer discarded: the output memory budget is exhausted")
	}
	// The consoles that never read: a small receive buffer so that the
	// server blocks early. In the default size they come one after the
	// other (each once the one before is blocked on its console, or dealt
	// with); in the full size all at once.
	var stuck []net.Conn
	for i := range consoles {
		if !fullSize() && i > 0 {
			for wait := time.Now().Add(20 * time.Second); time.Now().Before(wait); time.Sleep(10 * time.Millisecond) {
				ended, discarded := dealt()
				if srv.budget.blocked()+ended+discarded >= i {
					break
				}
			}
		}
		nc, err := dialFrom("127.0.0.4", addr)
		if err != nil {
			t.Fatal(err)
		}
		nc.(*net.TCPConn).SetReadBuffer(4096)
		stuck = append(stuck, nc)
		c := bsock.NewConn(nc)
		if _, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Password: rootPassword}); err != nil {
			t.Fatal(err)
		}
		c.Send([]byte(".api 2"))
		c.Send([]byte("big"))
	}
	defer func() {
		for _, nc := range stuck {
			nc.Close()
		}
	}()
	// Every stuck console is dealt with: its session ended, or its
	// answer discarded, or its answer within the budget (blocked in a
	// write). Meanwhile another console works.
	var slowest time.Duration
	deadline := time.Now().Add(30 * time.Second)
	if fullSize() {
		deadline = time.Now().Add(120 * time.Second)
	}
	for time.Now().Before(deadline) {
		ended, discarded := dealt()
		if srv.budget.blocked()+ended+discarded >= consoles {
			break
		}
		took, err := timedLogin("127.0.0.1", addr, "admin", "adminpw")
		if err != nil {
			t.Errorf("another console: %v (after %v)", err, took)
		}
		slowest = max(slowest, took)
		time.Sleep(100 * time.Millisecond)
	}
	if took, err := timedLogin("127.0.0.1", addr, "admin", "adminpw"); err != nil || took > time.Second {
		t.Errorf("another console at the end: %v, %v", took, err)
	}
	// While the answers are built (CPU-bound, on a small machine), a
	// login waits for the scheduler; it must never fail.
	if !fullSize() && slowest > time.Second {
		t.Errorf("another console's login took %v while the answers were built", slowest)
	}
	close(stop)
	sampler.Wait()
	grew := int64(peakHeap.Load()) - int64(base)
	ended, discarded := dealt()
	t.Logf("%d consoles asked for %d rows each and never read: budget %d MiB, peak accounted %.1f MiB, heap grew by at most %.1f MiB (soft limit %d MiB); %d sessions ended, %d answers discarded; slowest login of another console %v",
		consoles, rows, budget>>20, float64(peakBudget.Load())/(1<<20), float64(grew)/(1<<20), memLimit>>20, ended, discarded, slowest.Round(time.Millisecond))
	if ended == 0 {
		t.Errorf("no session of a console that does not read was ended; log:\n%.3000s", logs.String())
	}
	// The packets being written are accounted but never refused (one
	// per session, up to 1 MB), and a session ended to make room frees
	// its memory a moment later.
	if slack := int64(consoles) << 20; peakBudget.Load() > budget+slack+budget/4 {
		t.Errorf("peak accounted %d bytes, budget %d", peakBudget.Load(), budget)
	}
	if grew > memLimit+32<<20 {
		t.Errorf("the heap grew by %d bytes with a budget of %d (soft memory limit %d)", grew, budget, memLimit)
	}
}

// TestOutputBudgetRefusesWithoutStalledReader checks the other branch of
// the budget: when nobody is stuck on a console that does not read, an
// answer that does not fit is discarded and the console gets the error
// instead, and the session goes on.
func TestOutputBudgetRefusesWithoutStalledReader(t *testing.T) {
	srv := testServer()
	srv.OutputMemory = 1 << 20
	srv.Table = bigTable(20_000)
	cl := login(t, srv, "", rootPassword)
	cl.run([]step{{".api 2 compact=yes", []string{OK, compactResult(`{"api":2}`), MP}}})
	got := cl.do("big")
	if len(got) != 4 || got[1] != FAIL || !strings.Contains(got[2], `"messages":{"error":["The answer was discarded`) {
		t.Errorf("answer over the budget: %.300q", got)
	}
	cl.run([]step{{"whoami", []string{CB, OK, compactResult(`{"whoami":"root"}`), MP}}})
	if u := srv.budget.inUse(); u != 0 {
		t.Errorf("%d bytes still accounted", u)
	}
}
