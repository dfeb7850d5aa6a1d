package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"hash"
	"io"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/workload"
)

// The -bench action runs the pinned performance workload of
// shared/perf/README.md exactly once in this process, so that its peak RSS
// can be read with /usr/bin/time -v, the way the reference was measured:
//
//	/usr/bin/time -v go run ./cmd/uafmt -bench 1000000 [-compact]
//
// (build first with go build for a clean RSS figure). It prints one line:
// rows=N bytes=B sha256=H total_ms=T ns_per_kv=K. The sha256 of the
// output proves the bytes; the time spent hashing is not counted.
func init() {
	flagHooks = append(flagHooks, func(fs *flag.FlagSet) action {
		rows := fs.Uint64("bench", 0, "run the performance workload with `N` rows once and print its figures")
		compact := fs.Bool("compact", false, "with -bench: compact JSON")
		return func(args []string, _ io.Reader, stdout, stderr io.Writer) (int, bool) {
			if *rows == 0 {
				return 0, false
			}
			if len(args) > 0 {
				fmt.Fprintln(stderr, "uafmt: -bench takes no script")
				return exitUsage, true
			}
			line, err := bench(*rows, *compact)
			if err != nil {
				fmt.Fprintf(stderr, "uafmt: bench: %v\n", err)
				return exitError, true
			}
			fmt.Fprintln(stdout, line)
			return exitOK, true
		}
	})
}

// hashingSink counts what the formatter sends, as the reference
// harness's handler did, and hashes it for the sha256 proof. The time
// spent hashing is measured and left out of the figures: the reference's
// handler only counted bytes.
type hashingSink struct {
	n       int64
	h       hash.Hash
	hashing time.Duration
}

func (s *hashingSink) Send(p []byte) error {
	s.n += int64(len(p))
	t := time.Now()
	s.h.Write(p)
	s.hashing += time.Since(t)
	return nil
}

// bench runs the workload once: from just before ArrayStart until
// FinalizeResult returns, generating the row strings included.
func bench(rows uint64, compact bool) (string, error) {
	s := &hashingSink{h: sha256.New()}
	f := formatter.New(s, formatter.Options{Mode: apimode.JSON, Compact: compact})
	start := time.Now()
	workload.Build(f, rows)
	if err := f.FinalizeResult(true); err != nil {
		return "", err
	}
	total := time.Since(start) - s.hashing
	kv := float64(total.Nanoseconds()) / float64(rows*workload.KVPerRow)
	return fmt.Sprintf("rows=%d bytes=%d sha256=%s total_ms=%.0f ns_per_kv=%.1f",
		rows, s.n, hex.EncodeToString(s.h.Sum(nil)), float64(total.Microseconds())/1000, kv), nil
}
