package dircmd_test

import (
	"context"
	"iter"
	"testing"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// discard is a connection that drops what it is sent.
type discard struct{ bytes int }

func (d *discard) Send(p []byte) error         { d.bytes += len(p); return nil }
func (d *discard) Signal(s bsock.Signal) error { return nil }

// collected is the sample with bvfs listings gathered into a slice before
// the first entry is yielded: the design the iterators replace.
type collected struct{ *sampledir.Director }

func (c collected) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	var all []dircmd.BvfsEntry
	for e, err := range c.Director.BvfsLsFiles(ctx, q) {
		if err != nil {
			return func(yield func(dircmd.BvfsEntry, error) bool) { yield(dircmd.BvfsEntry{}, err) }
		}
		all = append(all, e)
	}
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		for _, e := range all {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// BenchmarkBvfsLsFiles runs `.bvfs_lsfiles` of 100,000 files in API mode
// 2 (compact) on a session whose connection discards the answer: rows
// streamed from the catalog into the formatter, against the same rows
// collected into a slice first. Compare B/op and ns/row of the two.
func BenchmarkBvfsLsFiles(b *testing.B) {
	const rows = 100000
	dir := sampledir.New(sampledir.Options{Size: 20, BigDirFiles: rows, Now: func() time.Time { return testNow }})
	for _, bc := range []struct {
		name string
		cat  dircmd.Catalog
	}{{"stream", dir}, {"collected", collected{dir}}} {
		b.Run(bc.name, func(b *testing.B) {
			conn := &discard{}
			ua := uacontext.NewUA(conn, uacontext.Options{Table: newTable(bc.cat)})
			ua.SetMode(apimode.JSON)
			ua.Formatter().SetCompact(true)
			ctx := context.Background()
			b.ReportAllocs()
			for b.Loop() {
				conn.bytes = 0
				if err := ua.Execute(ctx, ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000"); err != nil {
					b.Fatal(err)
				}
				if conn.bytes < rows*300 {
					b.Fatalf("%d bytes sent for %d rows", conn.bytes, rows)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
		})
	}
}
