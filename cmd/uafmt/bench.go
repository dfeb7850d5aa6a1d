package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/workload"
)

// The -bench action runs the pinned performance workload of
// shared/perf/README.md once in this process, timed the way the reference
// was: from just before ArrayStart until FinalizeResult returns, row
// strings generated on the way, with a send handler that only counts
// bytes. Build the command first (go build) for clean figures:
//
//	uafmt -bench 1000000 [-compact] [-mode 2|0|1] [-floor] [-verify=false]
//
// It prints one line of name=value figures:
//
//	rows, bytes, packets   the output
//	total_ms, ns_per_kv    the timed run (19 key/values per row)
//	build_ms, finalize_ms  mode 2: up to ArrayEnd, and FinalizeResult
//	peak_rss_mib           the process's peak RSS after the timed run
//	rss_per_output         that peak over the output size
//	sha256                 of the output, from a second, untimed run with a
//	                       hashing sink (-verify, on by default): hashing
//	                       inside the timed run would take CPU from the
//	                       formatter's serializer workers
//	floor_cold_ms          with -floor: filling a fresh buffer of the
//	floor_warm_ms          output's size with 64-byte copies, first pass
//	x_floor                (page faults included) and second; x_floor is
//	                       total_ms over floor_cold_ms
//
// -mode 0 and -mode 1 run the text-mode workload (workload.BuildText, one
// packet per row) instead of the JSON one. The peak RSS is read before the
// verification run and the floor, which touches a buffer of the output's
// size: /usr/bin/time -v reports the whole process, so run it without
// -floor to compare.
func init() {
	flagHooks = append(flagHooks, func(fs *flag.FlagSet) action {
		rows := fs.Uint64("bench", 0, "run the performance workload with `N` rows once and print its figures")
		compact := fs.Bool("compact", false, "with -bench: compact JSON")
		mode := fs.String("mode", "2", "with -bench: API `mode` of the workload (2 or json; 0, 1, off or on: text)")
		floor := fs.Bool("floor", false, "with -bench: also measure the memcpy floor of the output size")
		verify := fs.Bool("verify", true, "with -bench: hash the output in a second, untimed run")
		return func(args []string, _ io.Reader, stdout, stderr io.Writer) (int, bool) {
			if *rows == 0 {
				return 0, false
			}
			if len(args) > 0 {
				fmt.Fprintln(stderr, "uafmt: -bench takes no script")
				return exitUsage, true
			}
			m, err := apimode.ParseMode(*mode)
			if err != nil {
				fmt.Fprintf(stderr, "uafmt: -mode: %v\n", err)
				return exitUsage, true
			}
			line, err := bench(benchOptions{rows: *rows, compact: *compact, mode: m, floor: *floor, verify: *verify})
			if err != nil {
				fmt.Fprintf(stderr, "uafmt: bench: %v\n", err)
				return exitError, true
			}
			fmt.Fprintln(stdout, line)
			return exitOK, true
		}
	})
}

type benchOptions struct {
	rows    uint64
	compact bool
	mode    apimode.Mode
	floor   bool
	verify  bool
}

// countingSink counts what the formatter sends, as the reference
// harness's handler did.
type countingSink struct {
	n       int64
	packets int
	hash    io.Writer // nil in the timed run
}

func (s *countingSink) Send(p []byte) error {
	s.n += int64(len(p))
	s.packets++
	if s.hash != nil {
		s.hash.Write(p)
	}
	return nil
}

// run builds and finalizes the workload once on a fresh formatter; it
// returns the time up to ArrayEnd (mode 2 only) and the total.
func (o benchOptions) run(s *countingSink) (build, total time.Duration, err error) {
	f := formatter.New(s, formatter.Options{Mode: o.mode, Compact: o.compact})
	start := time.Now()
	if o.mode == apimode.JSON {
		workload.Build(f, o.rows)
		build = time.Since(start)
	} else {
		workload.BuildText(f, o.rows)
	}
	err = f.FinalizeResult(true)
	return build, time.Since(start), err
}

func bench(o benchOptions) (string, error) {
	var s countingSink
	build, total, err := o.run(&s)
	if err != nil {
		return "", err
	}
	rss := peakRSS()
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	var line strings.Builder
	fmt.Fprintf(&line, "rows=%d bytes=%d packets=%d total_ms=%s ns_per_kv=%.1f", o.rows, s.n, s.packets,
		ms(total), float64(total.Nanoseconds())/float64(o.rows*workload.KVPerRow))
	if o.mode == apimode.JSON {
		fmt.Fprintf(&line, " build_ms=%s finalize_ms=%s", ms(build), ms(total-build))
	}
	if rss > 0 {
		fmt.Fprintf(&line, " peak_rss_mib=%.1f rss_per_output=%.3f", float64(rss)/(1<<20), float64(rss)/float64(s.n))
	}
	if o.verify {
		runtime.GC()
		debug.FreeOSMemory()
		h := sha256.New()
		v := countingSink{hash: h}
		if _, _, err := o.run(&v); err != nil {
			return "", err
		}
		if v.n != s.n || v.packets != s.packets {
			return "", fmt.Errorf("verification run sent %d bytes in %d packets, the timed one %d in %d", v.n, v.packets, s.n, s.packets)
		}
		fmt.Fprintf(&line, " sha256=%s", hex.EncodeToString(h.Sum(nil)))
	}
	if o.floor {
		runtime.GC()
		debug.FreeOSMemory()
		cold, warm, err := memcpyFloor(int(s.n))
		if err != nil {
			return "", err
		}
		fmt.Fprintf(&line, " floor_cold_ms=%s floor_warm_ms=%s x_floor=%.2f", ms(cold), ms(warm),
			float64(total)/float64(cold))
	}
	return line.String(), nil
}

// memcpyFloor fills a fresh buffer of n bytes with 64-byte copies twice
// and times each pass: the first includes the page faults of first touch.
func memcpyFloor(n int) (cold, warm time.Duration, err error) {
	buf, release, err := freshBuffer(n)
	if err != nil {
		return 0, 0, err
	}
	defer release()
	var src [64]byte
	for i := range src {
		src[i] = byte('a' + i%26)
	}
	fill := func() time.Duration {
		start := time.Now()
		i := 0
		for ; i+64 <= len(buf); i += 64 {
			*(*[64]byte)(buf[i:]) = src
		}
		copy(buf[i:], src[:])
		return time.Since(start)
	}
	cold = fill()
	src[0]++
	warm = fill()
	return cold, warm, nil
}
