package catalogtest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// fixtureRow is an entry of the fixture as restore sees it.
type fixtureRow struct {
	job       uint64
	full      string
	fileIndex int32
}

func rowOf(r dircmd.RestoreFile) fixtureRow { return fixtureRow{r.JobID, r.Path + r.Name, r.FileIndex} }

// jobRows returns the entries of a job with their FileIndex (their
// position in the job's backup, from 1).
func jobRows(f Fixture, jobID uint64) []fixtureRow {
	var out []fixtureRow
	n := int32(0)
	for _, e := range f.Files {
		if e.JobID == jobID {
			n++
			out = append(out, fixtureRow{jobID, e.Name, n})
		}
	}
	return out
}

func testRestore(t *testing.T, rc dircmd.RestoreCatalog, f Fixture) {
	ctx := context.Background()
	type key struct {
		job  uint64
		name string
	}
	entry := map[key]File{}
	for _, e := range f.Files {
		entry[key{e.JobID, e.Name}] = e
	}
	deleted := func(r fixtureRow) bool { return entry[key{r.job, r.full}].Deleted }
	list := func(ids ...uint64) []fixtureRow {
		t.Helper()
		var out []fixtureRow
		err := rc.RestoreFileList(ctx, ids, func(r dircmd.RestoreFile) error {
			if r.LStat != entry[key{r.JobID, r.Path + r.Name}].LStat || !strings.HasSuffix(r.Path, "/") || strings.Contains(r.Name, "/") {
				t.Errorf("RestoreFileList row %+v", r)
			}
			out = append(out, rowOf(r))
			return nil
		})
		if err != nil {
			t.Errorf("RestoreFileList(%v): %v", ids, err)
		}
		return out
	}
	// The expected list: jobs by JobTDate, each entry from the newest job
	// that has it, deletions left out.
	tdate := map[uint64]int64{}
	for _, j := range f.Jobs {
		tdate[j.JobID] = j.JobTDate
	}
	want := func(ids ...uint64) []fixtureRow {
		ids = slices.Clone(ids)
		slices.SortFunc(ids, func(a, b uint64) int { return int(tdate[a] - tdate[b]) })
		newest := map[string]uint64{} // entry -> the newest job that has it
		for _, id := range ids {
			for _, r := range jobRows(f, id) {
				newest[r.full] = id
			}
		}
		var out []fixtureRow
		for _, id := range ids {
			for _, r := range jobRows(f, id) {
				if newest[r.full] == id && !deleted(r) {
					out = append(out, r)
				}
			}
		}
		return out
	}
	for _, ids := range [][]uint64{{1}, {3, 1}, {1, 2, 3}, {2}, {4, 6}, {99}, {1, 1}} {
		got, exp := list(ids...), want(slices.Compact(slices.Clone(ids))...)
		if !slices.Equal(got, exp) {
			t.Errorf("RestoreFileList(%v): %d rows, want %d; first difference at %d", ids, len(got), len(exp), firstDiff(got, exp))
		}
	}

	dir := func(id uint64, path string) []fixtureRow {
		t.Helper()
		var out []fixtureRow
		err := rc.RestoreDirFiles(ctx, id, path, func(r dircmd.RestoreFile) error {
			if r.Path != path || r.JobID != id {
				t.Errorf("RestoreDirFiles(%d, %q) row %+v", id, path, r)
			}
			out = append(out, rowOf(r))
			return nil
		})
		if err != nil {
			t.Errorf("RestoreDirFiles(%d, %q): %v", id, path, err)
		}
		return out
	}
	for _, c := range []struct {
		id   uint64
		path string
	}{{1, "/etc/"}, {3, "/etc/"}, {1, "/"}, {1, BigDir}, {2, "/etc/"}, {99, "/etc/"}, {1, "/nope/"}} {
		var exp []fixtureRow
		for _, r := range jobRows(f, c.id) {
			rest, in := strings.CutPrefix(r.full, c.path)
			if in && !strings.Contains(rest, "/") && !deleted(r) { // a file of the directory, or its own row
				exp = append(exp, r)
			}
		}
		if got := dir(c.id, c.path); !slices.Equal(got, exp) {
			t.Errorf("RestoreDirFiles(%d, %q): %d rows, want %d; first difference at %d", c.id, c.path, len(got), len(exp), firstDiff(got, exp))
		}
	}

	stop := errors.New("stop")
	calls := 0
	if err := rc.RestoreFileList(ctx, []uint64{1}, func(dircmd.RestoreFile) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("RestoreFileList with fn failing: %v after %d calls", err, calls)
	}
	calls = 0
	if err := rc.RestoreDirFiles(ctx, 1, BigDir, func(dircmd.RestoreFile) error { calls++; return stop }); !errors.Is(err, stop) || calls != 1 {
		t.Errorf("RestoreDirFiles with fn failing: %v after %d calls", err, calls)
	}
	ended, cancel := context.WithCancel(ctx)
	cancel()
	if err := rc.RestoreFileList(ended, []uint64{1}, func(dircmd.RestoreFile) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("RestoreFileList on an ended context: %v", err)
	}
}

func firstDiff(a, b []fixtureRow) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
