package e2e

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
)

// loadFullEnv selects the full-size load test (200 consoles x 1,000
// commands); by default it runs 50 x 100, which keeps go test -race short
// on a small machine.
const loadFullEnv = "UAFORMAT_LOAD_FULL"

// loadCommands is the mix of commands the load consoles run. Their
// answers are deterministic (the sample catalog is), so each answer can
// be compared with the one a single console got before the load.
var loadCommands = []string{
	"whoami", "version", ".", ".jobs", ".clients", ".pools", ".storages", ".filesets",
	"list jobs limit=20", "llist jobid=3", "list clients", "list pools", "list volumes limit=10",
	"list files jobid=2", ".bvfs_lsdirs jobid=1 path=/", ".bvfs_lsfiles jobid=1 path=/etc/ limit=50",
	"help", "list nosuchthing", "llist jobs limit=5 offset=3",
}

// apiCommands switch the API mode; they are part of the mix.
var apiCommands = []string{".api 0", ".api 1", ".api 2", ".api 2 compact=yes", ".api 2 compact=no", ".api"}

// session state that decides the form of an answer.
type apiState struct {
	mode    int
	compact bool
}

func (s apiState) after(cmd string) apiState {
	switch cmd {
	case ".api 0":
		s.mode = 0
	case ".api 1", ".api":
		s.mode = 1
	case ".api 2":
		s.mode = 2
	case ".api 2 compact=yes":
		s.mode, s.compact = 2, true
	case ".api 2 compact=no":
		s.mode, s.compact = 2, false
	}
	return s
}

// enter returns the commands that take a session from any state to s.
func (s apiState) enter() []string {
	c := ".api 2 compact=no"
	if s.compact {
		c = ".api 2 compact=yes"
	}
	return []string{c, fmt.Sprintf(".api %d", s.mode)}
}

// answerKey identifies an expected answer.
type answerKey struct {
	console string
	state   apiState
	cmd     string
}

// loadConsole is a console identity used by the load.
type loadConsole struct{ name, password string }

var loadConsoles = []loadConsole{{"", rootPassword}, {"admin", adminPassword}, {"limited", limitedPassword}}

// encodeAnswer renders an answer's packets for comparison.
func encodeAnswer(pkts []bsock.Packet) string {
	var b strings.Builder
	for _, p := range pkts {
		if p.IsSignal() {
			fmt.Fprintf(&b, "<%v>", p.Signal)
		} else {
			fmt.Fprintf(&b, "[%d]%s", len(p.Data), p.Data)
		}
	}
	return b.String()
}

// checkAnswer checks that an answer is well formed for the state it was
// given in: in mode 0 it ends with BNET_EOD, in the API modes with
// BNET_MAIN_PROMPT, and in mode 2 its data is one JSON-RPC 2.0 object.
func checkAnswer(st apiState, cmd string, pkts []bsock.Packet) error {
	if len(pkts) == 0 {
		return fmt.Errorf("%q: empty answer", cmd)
	}
	last := pkts[len(pkts)-1].Signal
	next := st.after(cmd)
	want := bsock.EOD
	if next.mode != 0 {
		want = bsock.MainPrompt
	}
	if last != want {
		return fmt.Errorf("%q in mode %d: answer ends with %v, want %v", cmd, st.mode, last, want)
	}
	if st.mode == 2 && next.mode == 2 && !strings.HasPrefix(cmd, ".api") {
		var data []byte
		for _, p := range pkts {
			data = append(data, p.Data...)
		}
		if !gjson.ValidBytes(data) || gjson.GetBytes(data, "jsonrpc").String() != "2.0" ||
			gjson.GetBytes(data, "id").Type != gjson.Null ||
			gjson.GetBytes(data, "result").Exists() == gjson.GetBytes(data, "error").Exists() {
			return fmt.Errorf("%q: not one JSON-RPC response: %.200q", cmd, data)
		}
		if st.compact != !bytes.Contains(data, []byte("\n")) {
			return fmt.Errorf("%q: compact=%t, but the answer is %.80q", cmd, st.compact, data)
		}
	}
	return nil
}

// expectedAnswers runs every command in every state as every console, on
// one connection at a time, and returns the answers by key. Answers are
// checked for well-formedness, and each is taken twice to make sure it is
// deterministic.
func expectedAnswers(tb testing.TB, d *daemon) map[answerKey]string {
	tb.Helper()
	ctx := context.Background()
	want := map[answerKey]string{}
	states := []apiState{{0, false}, {0, true}, {1, false}, {1, true}, {2, false}, {2, true}}
	cmds := append(slices.Clone(loadCommands), apiCommands...)
	for _, lc := range loadConsoles {
		c := d.dial(tb, lc.name, lc.password, false)
		for _, st := range states {
			for _, cmd := range cmds {
				var got [2]string
				for i := range got {
					for _, e := range st.enter() {
						if _, err := c.CallPackets(ctx, e); err != nil {
							tb.Fatal(err)
						}
					}
					pkts, err := c.CallPackets(ctx, cmd)
					if err != nil {
						tb.Fatalf("%q as %q: %v", cmd, lc.name, err)
					}
					if err := checkAnswer(st, cmd, pkts); err != nil {
						tb.Fatalf("as %q: %v", lc.name, err)
					}
					got[i] = encodeAnswer(pkts)
				}
				if got[0] != got[1] {
					tb.Fatalf("%q as %q in %+v is not deterministic:\n%.300s\n%.300s", cmd, lc.name, st, got[0], got[1])
				}
				want[answerKey{lc.name, st, cmd}] = got[0]
			}
		}
		c.Close()
	}
	return want
}

// loadStats collects the outcome of a load run.
type loadStats struct {
	mu        sync.Mutex
	latencies []time.Duration
	errors    atomic.Int64
	firstErr  atomic.Value
}

func (s *loadStats) fail(err error) {
	if s.errors.Add(1) == 1 {
		s.firstErr.Store(err)
	}
}

// runLoad runs n consoles concurrently; console i runs perConsole
// commands drawn from the mix (a seeded random sequence, about one in six
// a mode switch), in the mode its login chose (JSON for odd i), and
// compares every answer with want.
// The consoles log in first; onStart, if not nil, is called just before
// they start their commands, and runLoad returns the time from then until
// the last console is done.
func runLoad(d *daemon, want map[answerKey]string, n, perConsole int, stats *loadStats, onStart func()) time.Duration {
	var wg sync.WaitGroup
	var ready sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		ready.Add(1)
		go func() {
			defer wg.Done()
			lc := loadConsoles[i%len(loadConsoles)]
			json := i%2 == 1
			ctx := context.Background()
			c, err := console.Dial(ctx, d.addr, console.Options{
				Name: lc.name, Password: lc.password, JSON: json, NoReconnect: true, Timeout: 5 * time.Minute,
			})
			ready.Done()
			if err != nil {
				stats.fail(fmt.Errorf("console %d: login: %w", i, err))
				return
			}
			defer c.Close()
			<-start
			st := apiState{}
			if json {
				st = apiState{2, true}
			}
			rng := rand.New(rand.NewPCG(uint64(i), 42))
			lat := make([]time.Duration, 0, perConsole)
			for range perConsole {
				var cmd string
				if rng.IntN(6) == 0 {
					cmd = apiCommands[rng.IntN(len(apiCommands))]
				} else {
					cmd = loadCommands[rng.IntN(len(loadCommands))]
				}
				t0 := time.Now()
				pkts, err := c.CallPackets(ctx, cmd)
				lat = append(lat, time.Since(t0))
				if err != nil {
					stats.fail(fmt.Errorf("console %d: %q: %w", i, cmd, err))
					return
				}
				if got, exp := encodeAnswer(pkts), want[answerKey{lc.name, st, cmd}]; got != exp {
					stats.fail(fmt.Errorf("console %d (%q, %+v): %q answered\n%.300s\nwant\n%.300s", i, lc.name, st, cmd, got, exp))
				}
				st = st.after(cmd)
			}
			stats.mu.Lock()
			stats.latencies = append(stats.latencies, lat...)
			stats.mu.Unlock()
		}()
	}
	ready.Wait()
	if onStart != nil {
		onStart()
	}
	t0 := time.Now()
	close(start)
	wg.Wait()
	return time.Since(t0)
}

// TestLoad runs many consoles at once, each a long mixed sequence of
// commands and API mode switches, and requires every answer to be exactly
// the answer a lone console gets: no error, no interleaving, no answer in
// the wrong mode. UAFORMAT_LOAD_FULL=1 runs 200 consoles x 1,000 commands.
func TestLoad(t *testing.T) {
	n, per := 50, 100
	if os.Getenv(loadFullEnv) != "" {
		n, per = 200, 1000
	}
	if testing.Short() {
		n, per = 10, 20
	}
	d := startDaemonAuth(t, wait)
	want := expectedAnswers(t, d)
	var stats loadStats
	el := runLoad(d, want, n, per, &stats, nil)
	if e := stats.errors.Load(); e > 0 {
		t.Fatalf("%d errors; first: %v", e, stats.firstErr.Load())
	}
	if got := len(stats.latencies); got != n*per {
		t.Fatalf("%d answers, want %d", got, n*per)
	}
	t.Logf("%d consoles x %d commands in %v (%.0f commands/s, p99 %v)",
		n, per, el.Round(time.Millisecond), float64(n*per)/el.Seconds(), p99(stats.latencies))
}

func p99(l []time.Duration) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[len(s)*99/100]
}

// BenchmarkLoad measures the daemon under concurrent consoles running the
// command mix of TestLoad (answers checked the same way). b.N is the
// total number of commands over all consoles. It reports commands per
// second and the p99 latency of one command.
func BenchmarkLoad(b *testing.B) {
	d := startDaemonAuth(b, wait)
	want := expectedAnswers(b, d)
	for _, n := range []int{1, 50, 200} {
		b.Run(fmt.Sprintf("consoles=%d", n), func(b *testing.B) {
			per := max(1, b.N/n)
			var stats loadStats
			b.StopTimer()
			el := runLoad(d, want, n, per, &stats, b.StartTimer)
			b.StopTimer()
			if e := stats.errors.Load(); e > 0 {
				b.Fatalf("%d errors; first: %v", e, stats.firstErr.Load())
			}
			total := len(stats.latencies)
			b.ReportMetric(float64(total)/el.Seconds(), "cmds/s")
			b.ReportMetric(float64(p99(stats.latencies).Microseconds()), "p99-µs")
		})
	}
}
