package formatter_test

import (
	"fmt"
	"os"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/workload"
)

// The benchmark suite of the pinned performance workload
// (shared/perf/README.md and internal/workload): building the result,
// serializing it, and both together, for 1,000 / 100,000 / 1,000,000 rows
// (1,000,000 only with UAFORMAT_BENCH_1M=1), indented and compact, and the
// text-mode workload in modes 0 and 1. ns/kv is per key/value call (19 per
// row); the sink only counts bytes, like the reference harness's.

// benchRows returns the row counts to measure.
func benchRows() []uint64 {
	if os.Getenv("UAFORMAT_BENCH_1M") == "1" {
		return []uint64{1000, 100000, 1000000}
	}
	return []uint64{1000, 100000}
}

var jsonStyles = []struct {
	name    string
	compact bool
}{{"indented", false}, {"compact", true}}

// report adds the per-key/value time and the output rate.
func report(b *testing.B, rows uint64, bytes int64) {
	ns := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(ns/float64(rows*workload.KVPerRow), "ns/kv")
	if bytes > 0 {
		b.SetBytes(bytes)
	}
}

// BenchmarkWorkloadBuild measures the calls up to ArrayEnd; the result is
// then dropped unsent.
func BenchmarkWorkloadBuild(b *testing.B) {
	for _, rows := range benchRows() {
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) {
			f := formatter.New(&discard{}, formatter.Options{Mode: apimode.JSON})
			b.ReportAllocs()
			for b.Loop() {
				workload.Build(f, rows)
				formatter.DiscardResult(f)
			}
			report(b, rows, 0)
		})
	}
}

// BenchmarkWorkloadSerialize measures FinalizeResult's serialization and
// sending of one built result, again and again.
func BenchmarkWorkloadSerialize(b *testing.B) {
	for _, rows := range benchRows() {
		for _, st := range jsonStyles {
			b.Run(fmt.Sprintf("rows=%d/%s", rows, st.name), func(b *testing.B) {
				var d discard
				f := formatter.New(&d, formatter.Options{Mode: apimode.JSON, Compact: st.compact})
				workload.Build(f, rows)
				b.ReportAllocs()
				for b.Loop() {
					d.n = 0
					if err := formatter.SerializeResult(f); err != nil {
						b.Fatal(err)
					}
				}
				report(b, rows, int64(d.n))
			})
		}
	}
}

// BenchmarkWorkload measures the whole workload, build and FinalizeResult,
// on a fresh formatter per result as one workload per reference process.
func BenchmarkWorkload(b *testing.B) {
	for _, rows := range benchRows() {
		for _, st := range jsonStyles {
			b.Run(fmt.Sprintf("rows=%d/%s", rows, st.name), func(b *testing.B) {
				var d discard
				b.ReportAllocs()
				for b.Loop() {
					d.n = 0
					f := formatter.New(&d, formatter.Options{Mode: apimode.JSON, Compact: st.compact})
					workload.Build(f, rows)
					if err := f.FinalizeResult(true); err != nil {
						b.Fatal(err)
					}
				}
				report(b, rows, int64(d.n))
			})
		}
	}
}

// BenchmarkWorkloadText measures the text-mode workload (one packet per
// row) in modes 0 and 1, on a fresh formatter per result.
func BenchmarkWorkloadText(b *testing.B) {
	for _, rows := range benchRows() {
		for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
			b.Run(fmt.Sprintf("rows=%d/mode=%d", rows, mode), func(b *testing.B) {
				var d discard
				b.ReportAllocs()
				for b.Loop() {
					d.n = 0
					f := formatter.New(&d, formatter.Options{Mode: mode})
					workload.BuildText(f, rows)
					if err := f.FinalizeResult(true); err != nil {
						b.Fatal(err)
					}
				}
				report(b, rows, int64(d.n))
			})
		}
	}
}
