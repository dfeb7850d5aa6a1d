package e2e

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/console"
)

// vmHWM returns the peak resident set size of a process (pid 0: this
// one) in bytes, from /proc.
func vmHWM(pid int) (int64, error) {
	path := "/proc/self/status"
	if pid != 0 {
		path = fmt.Sprintf("/proc/%d/status", pid)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("%s: no VmHWM", path)
}

// TestBvfs1M measures a 1,000,000-row `.bvfs_lsfiles ... limit=1000000`
// answer in API mode 2, from the demo daemon (its own process, the sample
// with -bigdir-files 1000000) to the Go client (this process), parsed:
// the time of each answer and the peak RSS of both processes, while four
// other consoles keep sending `list jobs limit=5` and `whoami` (their
// slowest answer is reported). It logs the figures and asserts only the
// answers. Set UAFORMAT_BVFS_1M=1 to run it (about a minute with the
// build).
func TestBvfs1M(t *testing.T) {
	if os.Getenv("UAFORMAT_BVFS_1M") == "" {
		t.Skip("set UAFORMAT_BVFS_1M=1 to measure the 1,000,000-row bvfs answer")
	}
	const rows = 1000000
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "uaconsoled")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/uaconsoled")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	daemon, _ := startProcess(ctx, t, addr, console.Options{Password: "secret", JSON: true, Timeout: 2 * time.Minute},
		bin, "-listen", addr, "-password", "secret", "-bigdir-files", strconv.Itoa(rows), "-fail-delay", "0", "-log-level", "error",
		"-output-memory-mib", "1024") // the default 128 MiB budget refuses a 1M-row JSON answer
	idleDaemon, _ := vmHWM(daemon.Process.Pid)

	// Other consoles, all the while.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var lat []time.Duration
	for i := range 4 {
		oc, err := console.Dial(ctx, addr, console.Options{Password: "secret", JSON: i%2 == 0, Timeout: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		defer oc.Close()
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				cmd := "list jobs limit=5"
				if n%2 == 1 {
					cmd = "whoami"
				}
				start := time.Now()
				if _, err := oc.Call(ctx, cmd); err != nil {
					t.Errorf("other console: %s: %v", cmd, err)
					return
				}
				d := time.Since(start)
				mu.Lock()
				lat = append(lat, d)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		})
	}

	// Each answer goes to a client process of its own (this test binary,
	// run as TestBvfs1MClient), so that its peak RSS is the client's.
	type figures struct {
		times           []time.Duration
		clientPeak, cpu []string
	}
	results := map[string]*figures{}
	for _, how := range []string{"whole", "stream", "whole", "stream", "whole", "stream"} {
		cl := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestBvfs1MClient$", "-test.v")
		cl.Env = append(os.Environ(), "UAFORMAT_BVFS_1M_CLIENT="+addr, "UAFORMAT_BVFS_1M_HOW="+how)
		out, err := cl.CombinedOutput()
		if err != nil {
			t.Fatalf("client (%s): %v\n%s", how, err, out)
		}
		var ms int64
		var peak, cpu string
		for _, line := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "bvfs1m:"); ok {
				f := strings.Fields(v)
				ms, _ = strconv.ParseInt(f[0], 10, 64)
				peak, cpu = f[1], f[2]
			}
		}
		if peak == "" {
			t.Fatalf("client printed no figures:\n%s", out)
		}
		r := results[how]
		if r == nil {
			r = &figures{}
			results[how] = r
		}
		r.times = append(r.times, time.Duration(ms)*time.Millisecond)
		r.clientPeak, r.cpu = append(r.clientPeak, peak), append(r.cpu, cpu)
	}
	close(stop)
	wg.Wait()
	peakDaemon, err := vmHWM(daemon.Process.Pid)
	if err != nil {
		t.Fatal(err)
	}
	daemonCPU, _ := cpuTime(daemon.Process.Pid)
	slices.Sort(lat)
	if len(lat) == 0 {
		t.Fatal("the other consoles got no answer")
	}
	for _, how := range []string{"whole", "stream"} {
		r := results[how]
		slices.Sort(r.times)
		t.Logf("%d rows, %s (%s): answer times %v, median %v; client peak RSS MiB %v, CPU %v",
			rows, how, map[string]string{"whole": "CallJSON, then counted", "stream": "CallArray, each row parsed as it arrives"}[how],
			r.times, r.times[1], r.clientPeak, r.cpu)
	}
	t.Logf("daemon: peak RSS %d MiB (idle %d MiB), CPU %v for 6 answers and the other consoles",
		peakDaemon>>20, idleDaemon>>20, daemonCPU)
	t.Logf("other consoles: %d answers meanwhile, median %v, p99 %v, slowest %v",
		len(lat), lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
}

// cpuTime returns the user and system CPU time of a process so far.
func cpuTime(pid int) (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	_, rest, _ := strings.Cut(string(data), ") ")
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %q", pid, data)
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond, nil // USER_HZ 100
}

// TestBvfs1MClient is the client process of TestBvfs1M: one answer,
// parsed and checked, then its time, peak RSS and CPU time. With
// UAFORMAT_BVFS_1M_HOW=whole the answer is parsed whole (CallJSON), with
// stream row by row as it arrives (CallArray).
func TestBvfs1MClient(t *testing.T) {
	addr := os.Getenv("UAFORMAT_BVFS_1M_CLIENT")
	if addr == "" {
		t.Skip("run by TestBvfs1M")
	}
	ctx := context.Background()
	c, err := console.Dial(ctx, addr, console.Options{Password: "secret", JSON: true, Timeout: 2 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	const cmd = ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=1000000"
	start := time.Now()
	var n int64
	var last string
	switch how := os.Getenv("UAFORMAT_BVFS_1M_HOW"); how {
	case "whole":
		res, err := c.CallJSON(ctx, cmd)
		if err != nil {
			t.Fatal(err)
		}
		n = res.Get("files.#").Int()
		last = res.Get("files.999999.name").String()
	case "stream":
		for row, err := range c.CallArray(ctx, cmd, "files") {
			if err != nil {
				t.Fatal(err)
			}
			n++
			last = row.Get("name").String()
		}
	default:
		t.Fatalf("UAFORMAT_BVFS_1M_HOW=%q: want whole or stream", how)
	}
	elapsed := time.Since(start)
	if n != 1000000 || last != "data-1000000.bin" {
		t.Fatalf("%d rows, last %q; want 1000000, data-1000000.bin", n, last)
	}
	peak, _ := vmHWM(0)
	cpu, _ := cpuTime(os.Getpid())
	fmt.Printf("bvfs1m: %d %d %v\n", elapsed.Milliseconds(), peak>>20, cpu)
}
