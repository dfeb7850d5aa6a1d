package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
)

var (
	daemonOnce sync.Once
	daemonBin  string
	daemonErr  error
	daemonDir  string
)

// TestMain removes the daemon binary the tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if daemonDir != "" {
		os.RemoveAll(daemonDir)
	}
	os.Exit(code)
}

// buildDaemon builds the daemon once for the tests that run it as its
// own process.
func buildDaemon(t *testing.T) string {
	t.Helper()
	daemonOnce.Do(func() {
		daemonDir, daemonErr = os.MkdirTemp("", "uaconsoled-test")
		if daemonErr != nil {
			return
		}
		daemonBin = filepath.Join(daemonDir, "uaconsoled")
		if out, err := exec.Command("go", "build", "-o", daemonBin, ".").CombinedOutput(); err != nil {
			daemonErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if daemonErr != nil {
		t.Fatal(daemonErr)
	}
	return daemonBin
}

// startDaemonProcess runs the daemon binary with args (and defaults
// otherwise) and returns its process and address; it is killed when the
// test ends. stderr receives its log.
func startDaemonProcess(t *testing.T, stderr io.Writer, args ...string) (*os.Process, string) {
	t.Helper()
	cmd := exec.Command(buildDaemon(t), append([]string{"-listen", "127.0.0.1:0", "-password", "pw"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	_, addr, ok := strings.Cut(strings.TrimSpace(line), "listening on ")
	if err != nil || !ok {
		t.Fatalf("announcement %q: %v", line, err)
	}
	go io.Copy(io.Discard, stdout)
	return cmd.Process, addr
}

// peakRSS returns the peak resident set size (VmHWM) of a process.
func peakRSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// TestDaemonMemoryWithNonReaders runs the daemon with its default flags
// (as its own process) against consoles that ask for 100,000-row
// .bvfs_lsfiles answers in JSON mode and never read: its peak RSS stays
// under 256 MiB (the output budget of 128 MiB, the runtime's soft memory
// limit above it, and the rest of the daemon), and another console keeps
// working meanwhile. 10 such consoles by default; 40 with
// UAFORMAT_HOSTILE_FULL=1.
func TestDaemonMemoryWithNonReaders(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the daemon")
	}
	n, window := 10, 8*time.Second
	if os.Getenv("UAFORMAT_HOSTILE_FULL") != "" {
		n, window = 40, 60*time.Second
	}
	var logs safeBuffer
	proc, addr := startDaemonProcess(t, &logs)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stuck []net.Conn
	defer func() {
		for _, nc := range stuck {
			nc.Close()
		}
	}()
	for range n {
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		nc.(*net.TCPConn).SetReadBuffer(4096)
		stuck = append(stuck, nc)
		c := bsock.NewConn(nc)
		if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Password: "pw"}); err != nil {
			t.Fatal(err)
		}
		c.Send([]byte(".api 2 compact=yes"))
		c.Send([]byte(".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000"))
	}
	// Another console works while the daemon deals with them (each is
	// blocked on its console, ended, or its answer discarded).
	other, err := console.Dial(ctx, addr, console.Options{Password: "pw", JSON: true, Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var slowest time.Duration
	for deadline := time.Now().Add(window); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		start := time.Now()
		r, err := other.CallJSON(ctx, "list jobs limit=5")
		if err != nil || len(r.Get("jobs").Array()) != 5 {
			t.Fatalf("another console: %s, %v", r.Raw, err)
		}
		slowest = max(slowest, time.Since(start))
	}
	rss, err := peakRSS(proc.Pid)
	if err != nil {
		t.Fatal(err)
	}
	l := logs.String()
	ended := strings.Count(l, "ending the session of a console that does not read")
	discarded := strings.Count(l, "answer discarded")
	t.Logf("%d consoles asking for 100,000 rows and never reading: peak RSS %.1f MiB; %d sessions ended, %d answers discarded; slowest round trip of another console %v",
		n, float64(rss)/(1<<20), ended, discarded, slowest.Round(time.Millisecond))
	if rss >= 256<<20 {
		t.Errorf("peak RSS %d MiB, want under 256 MiB", rss>>20)
	}
	if ended+discarded == 0 {
		t.Errorf("the daemon dealt with none of the consoles that do not read; log:\n%.3000s", l)
	}
}
