package workload_test

import (
	"fmt"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/workload"
)

// countSink only counts bytes, like the reference harness's send handler.
type countSink struct{ n int64 }

func (s *countSink) Send(p []byte) error { s.n += int64(len(p)); return nil }

// BenchmarkWorkload runs the pinned workload (build + FinalizeResult) with
// a fresh formatter per iteration, as one workload per reference process.
// ns/kv is the figure the targets are stated in.
func BenchmarkWorkload(b *testing.B) {
	for _, rows := range []uint64{1000, 100000} {
		for _, compact := range []bool{false, true} {
			style := "indented"
			if compact {
				style = "compact"
			}
			b.Run(fmt.Sprintf("rows=%d/%s", rows, style), func(b *testing.B) {
				var s countSink
				b.ReportAllocs()
				for b.Loop() {
					s.n = 0
					f := formatter.New(&s, formatter.Options{Mode: apimode.JSON, Compact: compact})
					workload.Build(f, rows)
					if err := f.FinalizeResult(true); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(s.n)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows*workload.KVPerRow), "ns/kv")
				b.ReportMetric(float64(b.N*int(rows))/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}
