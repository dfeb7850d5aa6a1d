package catalogtest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// maxWalk bounds the directories Check lists.
const maxWalk = 200

// Check verifies the invariants of whatever cat holds, for each
// capability it has: jobs ordered by start time and found by JobId and
// unique name, paging that agrees with the full listing, ErrNotFound for
// what does not exist, volumes ordered by MediaId, record ids unique, and
// a walk of the bvfs tree of the first backup jobs: listings sorted,
// PathIds that BvfsPathID confirms, pages that are slices of the full
// listing, early stop and cancellation of the largest listing.
func Check(t *testing.T, cat dircmd.Catalog) {
	t.Helper()
	ctx := context.Background()
	var backups []uint64
	if jr, ok := cat.(dircmd.JobRecords); ok {
		t.Run("JobRecords", func(t *testing.T) { backups = checkJobs(t, ctx, jr) })
	}
	if mr, ok := cat.(dircmd.MediaRecords); ok {
		t.Run("MediaRecords", func(t *testing.T) { checkMedia(t, ctx, mr) })
	}
	if b, ok := cat.(dircmd.Bvfs); ok {
		t.Run("Bvfs", func(t *testing.T) { checkBvfs(t, ctx, b, backups) })
	}
}

func checkJobs(t *testing.T, ctx context.Context, jr dircmd.JobRecords) (backups []uint64) {
	all, err := jr.ListJobs(ctx, dircmd.JobQuery{})
	if err != nil {
		t.Fatalf("ListJobs: %v", err)
	}
	maxID := uint64(0)
	for i, j := range all {
		maxID = max(maxID, j.JobID)
		if i > 0 {
			p := all[i-1]
			switch {
			case p.StartTime.IsZero() && !j.StartTime.IsZero(),
				!j.StartTime.IsZero() && p.StartTime.After(j.StartTime),
				p.StartTime.Equal(j.StartTime) && p.JobID > j.JobID:
				t.Errorf("ListJobs not by start time at %d: job %d (%v) before job %d (%v)", i, p.JobID, p.StartTime, j.JobID, j.StartTime)
			}
		}
		if i < 50 {
			got, err := jr.JobByID(ctx, j.JobID)
			if err != nil || got.Job != j.Job {
				t.Errorf("JobByID(%d) = %q, %v; want %q", j.JobID, got.Job, err, j.Job)
			}
			got, err = jr.JobByUnique(ctx, j.Job)
			if err != nil || got.JobID != j.JobID {
				t.Errorf("JobByUnique(%q) = %d, %v; want %d", j.Job, got.JobID, err, j.JobID)
			}
		}
		if j.Type == dircmd.JobTypeBackup && len(backups) < 5 {
			backups = append(backups, j.JobID)
		}
	}
	for _, r := range [][2]uint64{{3, 2}, {1, 0}, {0, 0}, {10, uint64(len(all)) - 1}, {5, uint64(len(all)) + 5}} {
		got, err := jr.ListJobs(ctx, dircmd.JobQuery{HasLimit: true, Limit: r[0], Offset: r[1]})
		if want := dircmd.Page(all, r[0], r[1]); err != nil || !slices.Equal(jobIDs(got), jobIDs(want)) {
			t.Errorf("ListJobs limit %d offset %d = %v, %v; want %v", r[0], r[1], jobIDs(got), err, jobIDs(want))
		}
	}
	checkNotFound(t, fmt.Sprintf("JobByID(%d)", maxID+1), func() error { _, err := jr.JobByID(ctx, maxID+1); return err })
	checkNotFound(t, "JobByUnique", func() error { _, err := jr.JobByUnique(ctx, "no such job.2000-01-01_00.00.00_00"); return err })
	return backups
}

func checkMedia(t *testing.T, ctx context.Context, mr dircmd.MediaRecords) {
	all, err := mr.ListMedia(ctx, dircmd.MediaQuery{})
	if err != nil {
		t.Fatalf("ListMedia: %v", err)
	}
	for i, m := range all {
		if i > 0 && all[i-1].MediaID >= m.MediaID {
			t.Errorf("ListMedia not by MediaId at %d", i)
		}
		if i < 20 {
			got, err := mr.ListMedia(ctx, dircmd.MediaQuery{VolumeName: m.VolumeName})
			if err != nil || len(got) != 1 || got[0].MediaID != m.MediaID {
				t.Errorf("ListMedia(volume %q) = %d volumes, %v", m.VolumeName, len(got), err)
			}
		}
	}
	got, err := mr.ListMedia(ctx, dircmd.MediaQuery{HasLimit: true, Limit: 2, Offset: 1})
	if want := dircmd.Page(all, 2, 1); err != nil || len(got) != len(want) {
		t.Errorf("ListMedia limit 2 offset 1: %d volumes, %v; want %d", len(got), err, len(want))
	}
}

func checkBvfs(t *testing.T, ctx context.Context, b dircmd.Bvfs, jobs []uint64) {
	checkNotFound(t, "BvfsPathID of a path that does not exist", func() error {
		_, err := b.BvfsPathID(ctx, "/no such directory/at all/")
		return err
	})
	root, err := b.BvfsPathID(ctx, "")
	if err != nil {
		t.Skipf("no bvfs tree (BvfsPathID of the root: %v)", err)
	}
	if len(jobs) == 0 {
		t.Skip("no backup jobs to browse")
	}
	largest, largestDir := 0, uint64(0)
	queue := []uint64{root}
	for walked := 0; len(queue) > 0 && walked < maxWalk; walked++ {
		dir := queue[0]
		queue = queue[1:]
		q := dircmd.BvfsQuery{JobIDs: jobs, PathID: dir, Limit: 1 << 30}
		ds, err := Collect(b.BvfsLsDirs(ctx, q))
		if err != nil {
			t.Fatalf("BvfsLsDirs(%d): %v", dir, err)
		}
		if len(ds) == 0 || ds[0].Name != "." || ds[0].PathID != dir {
			t.Fatalf("BvfsLsDirs(%d) does not start with the directory itself: %+v", dir, ds)
		}
		subs := ds[1:]
		if len(subs) > 0 && subs[0].Name == ".." {
			subs = subs[1:]
		}
		for i, e := range subs {
			if i > 0 && subs[i-1].Name >= e.Name {
				t.Errorf("BvfsLsDirs(%d) not sorted: %q before %q", dir, subs[i-1].Name, e.Name)
			}
			if id, err := b.BvfsPathID(ctx, e.Name); err != nil || id != e.PathID {
				t.Errorf("BvfsPathID(%q) = %d, %v; the listing says %d", e.Name, id, err, e.PathID)
			}
			queue = append(queue, e.PathID)
		}
		checkPages(t, "BvfsLsDirs", ds, func(limit, offset int64) ([]dircmd.BvfsEntry, error) {
			return Collect(b.BvfsLsDirs(ctx, dircmd.BvfsQuery{JobIDs: jobs, PathID: dir, Limit: limit, Offset: offset}))
		})

		fs, err := Collect(b.BvfsLsFiles(ctx, q))
		if err != nil {
			t.Fatalf("BvfsLsFiles(%d): %v", dir, err)
		}
		for i, e := range fs {
			if i > 0 && fs[i-1].Name >= e.Name {
				t.Fatalf("BvfsLsFiles(%d) not sorted or not unique: %q before %q", dir, fs[i-1].Name, e.Name)
			}
			if e.Type != 'F' || e.PathID != dir || !slices.Contains(jobs, e.JobID) {
				t.Fatalf("BvfsLsFiles(%d): entry %+v", dir, e)
			}
		}
		checkPages(t, "BvfsLsFiles", fs, func(limit, offset int64) ([]dircmd.BvfsEntry, error) {
			return Collect(b.BvfsLsFiles(ctx, dircmd.BvfsQuery{JobIDs: jobs, PathID: dir, Limit: limit, Offset: offset}))
		})
		if len(fs) > largest {
			largest, largestDir = len(fs), dir
		}
	}
	if largest > 1000 {
		testStreaming(t, b, largestDir)
	}
}

// checkPages compares pages of a listing with the full listing.
func checkPages(t *testing.T, what string, all []dircmd.BvfsEntry, list func(limit, offset int64) ([]dircmd.BvfsEntry, error)) {
	t.Helper()
	n := int64(len(all))
	for _, r := range [][2]int64{{2, 1}, {1, 0}, {0, 0}, {3, n - 1}, {5, n + 3}, {-1, 0}, {5, -1}} {
		got, err := list(r[0], r[1])
		var want []dircmd.BvfsEntry
		if r[0] >= 0 && r[1] >= 0 {
			want = dircmd.Page(all, uint64(r[0]), uint64(r[1]))
		}
		if err != nil || !slices.Equal(names(got), names(want)) {
			t.Errorf("%s limit %d offset %d = %q, %v; want %q", what, r[0], r[1], names(got), err, names(want))
		}
	}
}
