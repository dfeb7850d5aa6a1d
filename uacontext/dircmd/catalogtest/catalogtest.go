// Package catalogtest checks implementations of dircmd.Catalog, in the
// manner of testing/slogtest: Run seeds a known Fixture into a new
// catalog through a function the implementation provides and checks
// every capability the catalog has (ordering, paging, filters,
// not-found, bvfs semantics, streaming, cancellation, concurrent use);
// Check verifies the invariants that hold for any content, for a catalog
// that cannot be seeded.
//
// The checks are about the catalog alone: no console, no ACLs (the
// commands of dircmd apply those). A capability the catalog does not
// implement is skipped: dircmd answers for it as for an unavailable
// catalog.
package catalogtest

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Run seeds the fixture into the catalog newCatalog returns and checks
// it, each capability in a subtest.
func Run(t *testing.T, newCatalog func(t *testing.T, f Fixture) dircmd.Catalog) {
	t.Helper()
	f := newFixture()
	cat := newCatalog(t, f)
	if cat == nil {
		t.Fatal("newCatalog returned nil")
	}
	t.Run("Resources", func(t *testing.T) { testResources(t, cat, f) })
	t.Run("JobRecords", func(t *testing.T) { testJobRecords(t, need[dircmd.JobRecords](t, cat), f) })
	t.Run("FileRecords", func(t *testing.T) { testFileRecords(t, need[dircmd.FileRecords](t, cat), f) })
	t.Run("MediaRecords", func(t *testing.T) { testMediaRecords(t, need[dircmd.MediaRecords](t, cat)) })
	t.Run("Records", func(t *testing.T) { testRecords(t, cat, f) })
	t.Run("Bvfs", func(t *testing.T) { testBvfs(t, need[dircmd.Bvfs](t, cat), f) })
	t.Run("BvfsVersions", func(t *testing.T) { testVersions(t, need[dircmd.Bvfs](t, cat), f) })
	t.Run("StatusReporter", func(t *testing.T) { testStatus(t, need[dircmd.StatusReporter](t, cat), f) })
	t.Run("RestoreCatalog", func(t *testing.T) { testRestore(t, need[dircmd.RestoreCatalog](t, cat), f) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrent(t, cat) })
	t.Run("Invariants", func(t *testing.T) { Check(t, cat) })
}

// need returns cat as capability I, or skips the test.
func need[I any](t *testing.T, cat dircmd.Catalog) I {
	t.Helper()
	x, ok := cat.(I)
	if !ok {
		var zero *I
		t.Skipf("the catalog has no %T capability", zero)
	}
	return x
}

// Collect gathers a bvfs listing: its entries, and the error that ended
// it.
func Collect(seq iter.Seq2[dircmd.BvfsEntry, error]) ([]dircmd.BvfsEntry, error) {
	var out []dircmd.BvfsEntry
	for e, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

func names(es []dircmd.BvfsEntry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

func jobIDs(js []dircmd.Job) []uint64 {
	out := make([]uint64, len(js))
	for i, j := range js {
		out[i] = j.JobID
	}
	return out
}

func testResources(t *testing.T, cat dircmd.Catalog, f Fixture) {
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"Jobs", cat.Jobs(), f.JobResources},
		{"Clients", cat.Clients(), f.ClientResources},
		{"Pools", cat.Pools(), f.PoolResources},
		{"Storages", cat.Storages(), f.StorageResources},
		{"FileSets", cat.FileSets(), f.FileSetResources},
		{"Schedules", cat.Schedules(), f.ScheduleResources},
		{"Catalogs", cat.Catalogs(), f.CatalogResources},
		{"MessageResources", cat.MessageResources(), f.MessageResources},
	} {
		if d := cmp.Diff(c.want, c.got); d != "" {
			t.Errorf("%s() (-want +got):\n%s", c.name, d)
		}
	}
}

// jobView is what the fixture determines of a job (the record ids are
// the catalog's).
type jobView struct {
	JobID, PriorJobID, JobFiles, JobBytes uint64
	Job, Name, Client, Pool, FileSet      string
	Type, Level, JobStatus                byte
	Start, End                            int64
}

func viewJob(j dircmd.Job) jobView {
	return jobView{j.JobID, j.PriorJobID, j.JobFiles, j.JobBytes, j.Job, j.Name, j.Client, j.Pool, j.FileSet,
		j.Type, j.Level, j.JobStatus, j.StartTime.Unix(), j.EndTime.Unix()}
}

func testJobRecords(t *testing.T, jr dircmd.JobRecords, f Fixture) {
	ctx := context.Background()
	all, err := jr.ListJobs(ctx, dircmd.JobQuery{})
	if err != nil {
		t.Fatalf("ListJobs: %v", err)
	}
	var want, got []jobView
	for _, j := range f.Jobs {
		want = append(want, viewJob(j))
	}
	for _, j := range all {
		got = append(got, viewJob(j))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("ListJobs(all) (-want +got):\n%s", d)
	}
	t0 := f.Jobs[0].StartTime
	for _, c := range []struct {
		name string
		q    dircmd.JobQuery
		want []uint64
	}{
		{"descending", dircmd.JobQuery{Descending: true}, []uint64{6, 5, 4, 3, 2, 1}},
		{"page", dircmd.JobQuery{HasLimit: true, Limit: 2, Offset: 1}, []uint64{2, 3}},
		{"page past the end", dircmd.JobQuery{HasLimit: true, Limit: 5, Offset: 6}, nil},
		{"limit 0", dircmd.JobQuery{HasLimit: true, Limit: 0}, nil},
		{"huge limit", dircmd.JobQuery{HasLimit: true, Limit: 1 << 62, Offset: 4}, []uint64{5, 6}},
		{"jobid", dircmd.JobQuery{JobID: 3}, []uint64{3}},
		{"no such jobid", dircmd.JobQuery{JobID: 99}, nil},
		{"name", dircmd.JobQuery{Name: "BackupAlpha"}, []uint64{1, 3, 4, 5}},
		{"client", dircmd.JobQuery{Client: "beta-fd"}, []uint64{2}},
		{"status", dircmd.JobQuery{Statuses: []byte{dircmd.JobStatusError}}, []uint64{4}},
		{"level", dircmd.JobQuery{Levels: []byte{dircmd.LevelIncremental}}, []uint64{3, 4}},
		{"type", dircmd.JobQuery{Types: []byte{dircmd.JobTypeRestore, dircmd.JobTypeJobCopy}}, []uint64{5, 6}},
		{"pool", dircmd.JobQuery{Pool: "Incremental"}, []uint64{3, 4}},
		{"volume", dircmd.JobQuery{Volume: "Full-0001"}, []uint64{1, 2}},
		{"since", dircmd.JobQuery{Since: t0.Add(30 * 3600e9)}, []uint64{4, 5, 6}},
		{"last", dircmd.JobQuery{Name: "BackupAlpha", Last: true}, []uint64{5}},
	} {
		js, err := jr.ListJobs(ctx, c.q)
		if err != nil {
			t.Errorf("ListJobs(%s): %v", c.name, err)
			continue
		}
		if d := cmp.Diff(c.want, jobIDs(js), cmp.Comparer(func(a, b []uint64) bool { return slices.Equal(a, b) })); d != "" {
			t.Errorf("ListJobs(%s) JobIds (-want +got):\n%s", c.name, d)
		}
	}
	for _, j := range f.Jobs {
		got, err := jr.JobByID(ctx, j.JobID)
		if err != nil || viewJob(got) != viewJob(j) {
			t.Errorf("JobByID(%d) = %+v, %v", j.JobID, got, err)
		}
		got, err = jr.JobByUnique(ctx, j.Job)
		if err != nil || got.JobID != j.JobID {
			t.Errorf("JobByUnique(%q) = JobId %d, %v", j.Job, got.JobID, err)
		}
	}
	// The jobs of one client share its record.
	if all[0].ClientID == 0 || all[0].ClientID != all[2].ClientID || all[0].ClientID == all[1].ClientID {
		t.Errorf("ClientIds of jobs 1, 2, 3: %d, %d, %d", all[0].ClientID, all[1].ClientID, all[2].ClientID)
	}
	checkNotFound(t, "JobByID(99)", func() error { _, err := jr.JobByID(ctx, 99); return err })
	checkNotFound(t, "JobByID(0)", func() error { _, err := jr.JobByID(ctx, 0); return err })
	checkNotFound(t, `JobByUnique("nope")`, func() error { _, err := jr.JobByUnique(ctx, "nope"); return err })
}

// checkNotFound requires an error that is (or wraps) dircmd.ErrNotFound.
func checkNotFound(t *testing.T, what string, call func() error) {
	t.Helper()
	if err := call(); !errors.Is(err, dircmd.ErrNotFound) {
		t.Errorf("%s: error %v, want one wrapping dircmd.ErrNotFound", what, err)
	}
}

func testFileRecords(t *testing.T, fr dircmd.FileRecords, f Fixture) {
	ctx := context.Background()
	for _, id := range []uint64{1, 2, 3, 4, 99} {
		var want []string
		for _, e := range f.Files {
			if e.JobID == id && !e.Deleted {
				want = append(want, e.Name)
			}
		}
		var got []string
		if err := fr.JobFiles(ctx, id, func(name string) error { got = append(got, name); return nil }); err != nil {
			t.Errorf("JobFiles(%d): %v", id, err)
		}
		if !slices.Equal(want, got) {
			t.Errorf("JobFiles(%d): %d names %.5q..., want %d %.5q...", id, len(got), got, len(want), want)
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := fr.JobFiles(ctx, 1, func(string) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("JobFiles with fn failing: %v after %d calls, want fn's error after 1", err, calls)
	}
}

func testMediaRecords(t *testing.T, mr dircmd.MediaRecords) {
	ctx := context.Background()
	vols := func(q dircmd.MediaQuery) []string {
		t.Helper()
		ms, err := mr.ListMedia(ctx, q)
		if err != nil {
			t.Errorf("ListMedia(%+v): %v", q, err)
		}
		var out []string
		for _, m := range ms {
			out = append(out, m.VolumeName)
		}
		return out
	}
	all, _ := mr.ListMedia(ctx, dircmd.MediaQuery{})
	if len(all) != 3 || !slices.IsSortedFunc(all, func(a, b dircmd.Media) int { return int(a.MediaID) - int(b.MediaID) }) {
		t.Fatalf("ListMedia(all) = %+v, want 3 volumes by MediaId", all)
	}
	full := all[0].PoolID
	for _, c := range []struct {
		name string
		q    dircmd.MediaQuery
		want []string
	}{
		{"all", dircmd.MediaQuery{}, []string{"Full-0001", "Incr-0001", "Full-0002"}},
		{"volume", dircmd.MediaQuery{VolumeName: "Incr-0001"}, []string{"Incr-0001"}},
		{"no such volume", dircmd.MediaQuery{VolumeName: "nope"}, nil},
		{"mediaid", dircmd.MediaQuery{MediaID: 3}, []string{"Full-0002"}},
		{"pool", dircmd.MediaQuery{PoolID: full}, []string{"Full-0001", "Full-0002"}},
		{"page", dircmd.MediaQuery{HasLimit: true, Limit: 1, Offset: 1}, []string{"Incr-0001"}},
	} {
		if got := vols(c.q); !slices.Equal(got, c.want) {
			t.Errorf("ListMedia(%s) = %q, want %q", c.name, got, c.want)
		}
	}
	if all[2].Pool != "Full" || !all[2].InChanger || all[2].Slot != 2 || all[2].Storage != "File" {
		t.Errorf("Full-0002 = %+v", all[2])
	}
	for id, want := range map[uint64][]string{1: {"Full-0001"}, 3: {"Incr-0001"}, 4: nil, 99: nil} {
		jms, err := mr.JobMedia(ctx, id)
		var got []string
		for _, jm := range jms {
			got = append(got, jm.VolumeName)
			if jm.JobID != id || jm.MediaID == 0 {
				t.Errorf("JobMedia(%d): %+v", id, jm)
			}
		}
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("JobMedia(%d) = %q, %v; want %q", id, got, err, want)
		}
	}
}

func testRecords(t *testing.T, cat dircmd.Catalog, f Fixture) {
	ctx := context.Background()
	check := func(kind string, ids []uint64, got []string, want []string) {
		t.Helper()
		if !slices.IsSorted(ids) || slices.Contains(ids, 0) || len(slices.Compact(slices.Clone(ids))) != len(ids) {
			t.Errorf("%s records: ids %v, want unique, positive, ascending", kind, ids)
		}
		for _, w := range want {
			if !slices.Contains(got, w) {
				t.Errorf("%s records %q lack %q", kind, got, w)
			}
		}
	}
	ran := false
	if cr, ok := cat.(dircmd.ClientRecords); ok {
		ran = true
		recs, err := cr.ClientRecords(ctx)
		if err != nil {
			t.Errorf("ClientRecords: %v", err)
		}
		var ids []uint64
		var ns []string
		for _, r := range recs {
			ids, ns = append(ids, r.ClientID), append(ns, r.Name)
		}
		check("Client", ids, ns, []string{"alpha-fd", "beta-fd"})
		if jr, ok := cat.(dircmd.JobRecords); ok {
			j, _ := jr.JobByID(ctx, 2)
			if i := slices.Index(ns, "beta-fd"); i >= 0 && ids[i] != j.ClientID {
				t.Errorf("job 2 has ClientId %d, the record of beta-fd %d", j.ClientID, ids[i])
			}
		}
	}
	if pr, ok := cat.(dircmd.PoolRecords); ok {
		ran = true
		recs, err := pr.PoolRecords(ctx)
		if err != nil {
			t.Errorf("PoolRecords: %v", err)
		}
		var ids []uint64
		var ns []string
		for _, r := range recs {
			ids, ns = append(ids, r.PoolID), append(ns, r.Name)
			if r.Name == "Full" && r.NumVols != 2 {
				t.Errorf("pool Full: NumVols %d, want 2", r.NumVols)
			}
		}
		check("Pool", ids, ns, []string{"Full", "Incremental", "Scratch"})
	}
	if sr, ok := cat.(dircmd.StorageRecords); ok {
		ran = true
		recs, err := sr.StorageRecords(ctx)
		if err != nil {
			t.Errorf("StorageRecords: %v", err)
		}
		var ids []uint64
		var ns []string
		for _, r := range recs {
			ids, ns = append(ids, r.StorageID), append(ns, r.Name)
		}
		check("Storage", ids, ns, []string{"File"})
	}
	if !ran {
		t.Skip("the catalog has no Client, Pool or Storage records")
	}
}

func testStatus(t *testing.T, sr dircmd.StatusReporter, f Fixture) {
	ctx := context.Background()
	if _, err := sr.Status(ctx); err != nil {
		t.Errorf("Status: %v", err)
	}
	if _, err := sr.Scheduled(ctx, f.Jobs[0].StartTime, 7); err != nil {
		t.Errorf("Scheduled: %v", err)
	}
	term, err := sr.Terminated(ctx)
	if err != nil {
		t.Fatalf("Terminated: %v", err)
	}
	for i, j := range term {
		if i > 0 && j.Finished.Before(term[i-1].Finished) {
			t.Errorf("Terminated not oldest first at %d: %v", i, term)
		}
	}
}

// testConcurrent runs listings from several goroutines at once (the race
// detector checks the rest).
func testConcurrent(t *testing.T, cat dircmd.Catalog) {
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if jr, ok := cat.(dircmd.JobRecords); ok {
				if _, err := jr.ListJobs(ctx, dircmd.JobQuery{}); err != nil {
					t.Errorf("ListJobs: %v", err)
				}
			}
			if b, ok := cat.(dircmd.Bvfs); ok {
				id, err := b.BvfsPathID(ctx, BigDir)
				if err != nil {
					return
				}
				es, err := Collect(b.BvfsLsFiles(ctx, dircmd.BvfsQuery{JobIDs: []uint64{1, 3}, PathID: id, Limit: 1 << 20}))
				if err != nil || len(es) != BigDirFiles {
					t.Errorf("concurrent BvfsLsFiles: %d entries, %v", len(es), err)
				}
			}
			cat.Jobs()
			cat.Clients()
		})
	}
	wg.Wait()
}
