package memcatalog_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/catalogtest"
	"github.com/uaformat/uaformat/uacontext/dircmd/memcatalog"
)

var t0 = time.Date(2025, 1, 1, 20, 0, 0, 0, time.UTC)

func TestAddErrors(t *testing.T) {
	ctx := context.Background()
	c := memcatalog.New(memcatalog.Resources{Pools: []dircmd.PoolResource{{Name: "Full"}}})
	j, err := c.AddJob(dircmd.Job{Name: "Backup", Client: "a-fd", StartTime: t0, SchedTime: t0})
	if err != nil || j.JobID != 1 || j.Job != "Backup.2025-01-01_20.00.00_01" || j.ClientID == 0 {
		t.Fatalf("AddJob = %+v, %v", j, err)
	}
	if j2, err := c.AddJob(dircmd.Job{Name: "Backup", StartTime: t0.Add(time.Hour)}); err != nil || j2.JobID != 2 {
		t.Errorf("second AddJob = %+v, %v", j2, err)
	}
	for _, bad := range []dircmd.Job{{JobID: 1, Name: "x"}, {Job: j.Job, Name: "x"}} {
		if _, err := c.AddJob(bad); err == nil {
			t.Errorf("AddJob(%+v) of an existing job: no error", bad)
		}
	}
	if err := c.UpdateJob(dircmd.Job{JobID: 9}); !errors.Is(err, dircmd.ErrNotFound) {
		t.Errorf("UpdateJob of a missing job: %v", err)
	}
	j.JobStatus = dircmd.JobStatusTerminated
	j.Job = "ignored"
	if err := c.UpdateJob(j); err != nil {
		t.Fatal(err)
	}
	if got, _ := c.JobByID(ctx, 1); got.JobStatus != dircmd.JobStatusTerminated || got.Job != "Backup.2025-01-01_20.00.00_01" {
		t.Errorf("after UpdateJob: %+v", got)
	}

	if err := c.AddFiles(9, []memcatalog.File{{Name: "/a"}}); !errors.Is(err, dircmd.ErrNotFound) {
		t.Errorf("AddFiles to a missing job: %v", err)
	}
	if err := c.AddFiles(1, []memcatalog.File{{Name: "/ok"}, {Name: "relative/x"}}); err == nil {
		t.Error("AddFiles with a relative name: no error")
	}
	var n int
	c.JobFiles(ctx, 1, func(string) error { n++; return nil })
	if n != 0 {
		t.Errorf("a failed AddFiles added %d files", n)
	}

	m, err := c.AddMedia(dircmd.Media{VolumeName: "Full-1", Pool: "Full"})
	if err != nil || m.MediaID != 1 || m.PoolID == 0 {
		t.Fatalf("AddMedia = %+v, %v", m, err)
	}
	if _, err := c.AddMedia(dircmd.Media{VolumeName: "Full-1"}); err == nil {
		t.Error("AddMedia of an existing volume: no error")
	}
	if _, err := c.AddMedia(dircmd.Media{MediaID: 1, VolumeName: "Other"}); err == nil {
		t.Error("AddMedia of an existing MediaId: no error")
	}
	if err := c.AddJobMedia(1, "nope"); !errors.Is(err, dircmd.ErrNotFound) {
		t.Errorf("AddJobMedia of a missing volume: %v", err)
	}
	if err := c.AddJobMedia(9, "Full-1"); !errors.Is(err, dircmd.ErrNotFound) {
		t.Errorf("AddJobMedia of a missing job: %v", err)
	}
}

func TestWindowsPathsAndStat(t *testing.T) {
	ctx := context.Background()
	c := memcatalog.New(memcatalog.Resources{})
	j, _ := c.AddJob(dircmd.Job{Name: "Win", Client: "win-fd", StartTime: t0})
	st := dircmd.Stat{Ino: 7, Mode: 0100644, Size: 12345, Mtime: t0.Unix()}
	if err := c.AddFiles(j.JobID, []memcatalog.File{{Name: "C:/Users/bob/notes.txt", Stat: st}}); err != nil {
		t.Fatal(err)
	}
	root, _ := c.BvfsPathID(ctx, "")
	top, _ := catalogtest.Collect(c.BvfsLsDirs(ctx, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: root, Limit: 10}))
	if len(top) != 2 || top[1].Name != "C:/" {
		t.Errorf("root of a Windows client: %+v", top)
	}
	dir, err := c.BvfsPathID(ctx, "C:/Users/bob/")
	if err != nil {
		t.Fatal(err)
	}
	fs, _ := catalogtest.Collect(c.BvfsLsFiles(ctx, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: dir, Limit: 10}))
	if len(fs) != 1 || dircmd.DecodeStat(fs[0].LStat) != st {
		t.Errorf("file with Stat: %+v (decoded %+v, want %+v)", fs, dircmd.DecodeStat(fs[0].LStat), st)
	}
}

// TestSnapshot lists a directory while files are added to it: the
// listing holds no lock and sees the files of its start.
func TestSnapshot(t *testing.T) {
	ctx := context.Background()
	c := memcatalog.New(memcatalog.Resources{})
	j, _ := c.AddJob(dircmd.Job{Name: "Big", Client: "a-fd", StartTime: t0})
	batch := func(from, n int) []memcatalog.File {
		fs := make([]memcatalog.File, n)
		for i := range fs {
			fs[i] = memcatalog.File{Name: fmt.Sprintf("/big/f%06d", from+i)}
		}
		return fs
	}
	if err := c.AddFiles(j.JobID, batch(0, 3000)); err != nil {
		t.Fatal(err)
	}
	dir, _ := c.BvfsPathID(ctx, "/big/")
	q := dircmd.BvfsQuery{JobIDs: []uint64{j.JobID}, PathID: dir, Limit: 1 << 20}
	var wg sync.WaitGroup
	seen := 0
	for e, err := range c.BvfsLsFiles(ctx, q) {
		if err != nil {
			t.Fatal(err)
		}
		if seen == 10 {
			wg.Go(func() {
				// Writers are not blocked by the running listing.
				if err := c.AddFiles(j.JobID, batch(3000, 500)); err != nil {
					t.Error(err)
				}
			})
			wg.Wait()
		}
		if !strings.HasPrefix(e.Name, "f") {
			t.Fatalf("entry %+v", e)
		}
		seen++
	}
	if seen != 3000 {
		t.Errorf("listing started with 3000 files saw %d", seen)
	}
	all, _ := catalogtest.Collect(c.BvfsLsFiles(ctx, q))
	if len(all) != 3500 {
		t.Errorf("after adding: %d files, want 3500", len(all))
	}
}

// BenchmarkBvfsLsFiles streams a directory of 100,000 files of two jobs
// (the merge of both): the cost per entry, and no allocation per entry.
func BenchmarkBvfsLsFiles(b *testing.B) {
	ctx := context.Background()
	c := memcatalog.New(memcatalog.Resources{})
	const n = 100000
	for k := range 2 {
		j, _ := c.AddJob(dircmd.Job{Name: "Big", Client: "a-fd", StartTime: t0.Add(time.Duration(k) * time.Hour)})
		fs := make([]memcatalog.File, 0, n)
		for i := k; i < n; i += 1 + k { // the second job has every other file
			fs = append(fs, memcatalog.File{Name: fmt.Sprintf("/big/f%06d", i), Stat: dircmd.Stat{Ino: int64(i), Size: 4096}})
		}
		c.AddFiles(j.JobID, fs)
	}
	dir, _ := c.BvfsPathID(ctx, "/big/")
	q := dircmd.BvfsQuery{JobIDs: []uint64{1, 2}, PathID: dir, Limit: 1 << 30}
	b.ReportAllocs()
	for b.Loop() {
		count := 0
		for _, err := range c.BvfsLsFiles(ctx, q) {
			if err != nil {
				b.Fatal(err)
			}
			count++
		}
		if count != n {
			b.Fatalf("%d entries", count)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
}
