package sampledir

import (
	"context"
	"errors"
	"iter"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/catalogtest"
)

var bg = context.Background()

func TestDeterministic(t *testing.T) {
	a := New(Options{Size: 80, BigDirFiles: 10})
	b := New(Options{Size: 80, BigDirFiles: 10})
	ja, _ := a.ListJobs(bg, dircmd.JobQuery{})
	jb, _ := b.ListJobs(bg, dircmd.JobQuery{})
	if diff := cmp.Diff(ja, jb); diff != "" {
		t.Errorf("same options, different jobs:\n%s", diff)
	}
	ma, _ := a.ListMedia(bg, dircmd.MediaQuery{})
	mb, _ := b.ListMedia(bg, dircmd.MediaQuery{})
	if !cmp.Equal(ma, mb) {
		t.Error("same options, different media")
	}
	c := New(Options{Size: 80, BigDirFiles: 10, Seed: 2})
	jc, _ := c.ListJobs(bg, dircmd.JobQuery{})
	if cmp.Equal(ja, jc) {
		t.Error("different seeds, same jobs")
	}
}

func TestCatalogShape(t *testing.T) {
	d := New(Options{Size: 250, BigDirFiles: -1})
	jobs, err := d.ListJobs(bg, dircmd.JobQuery{})
	if err != nil || len(jobs) != 250 {
		t.Fatalf("%d jobs, %v", len(jobs), err)
	}
	ids := map[uint64]bool{}
	names := map[string]bool{}
	for _, j := range jobs {
		if ids[j.JobID] || names[j.Job] {
			t.Errorf("duplicate job %d %s", j.JobID, j.Job)
		}
		ids[j.JobID], names[j.Job] = true, true
		if j.EndTime.Before(j.StartTime) || j.StartTime.IsZero() {
			t.Errorf("job %d: bad times", j.JobID)
		}
		if j.Type == dircmd.JobTypeBackup && j.JobBytes > 0 {
			jm, _ := d.JobMedia(bg, j.JobID)
			if len(jm) == 0 {
				t.Errorf("backup job %d wrote no volume", j.JobID)
			}
		}
	}
	// Every job resource name used in the catalog is configured.
	res := map[string]bool{}
	for _, j := range d.Jobs() {
		res[j.Name] = true
	}
	for _, j := range jobs {
		if !res[j.Name] {
			t.Errorf("job %d has unconfigured name %q", j.JobID, j.Name)
		}
	}
	// Volume byte counts add up to the job bytes written.
	var written, stored uint64
	for _, j := range jobs {
		if j.Type == dircmd.JobTypeBackup {
			written += j.JobBytes
		}
	}
	media, _ := d.ListMedia(bg, dircmd.MediaQuery{})
	for _, m := range media {
		stored += m.VolBytes
	}
	if written != stored {
		t.Errorf("jobs wrote %d bytes, volumes hold %d", written, stored)
	}
	if len(media) < 10 {
		t.Errorf("only %d volumes", len(media))
	}
}

func TestJobLookup(t *testing.T) {
	d := New(Options{Size: 20, BigDirFiles: -1})
	j, err := d.JobByID(bg, 3)
	if err != nil || j.JobID != 3 {
		t.Fatalf("JobByID(3) = %+v, %v", j, err)
	}
	if u, err := d.JobByUnique(bg, j.Job); err != nil || u.JobID != 3 {
		t.Errorf("JobByUnique(%q) = %v, %v", j.Job, u.JobID, err)
	}
	for _, id := range []uint64{0, 21, 1 << 40} {
		if _, err := d.JobByID(bg, id); !errors.Is(err, dircmd.ErrNotFound) {
			t.Errorf("JobByID(%d): %v", id, err)
		}
	}
	if _, err := d.JobByUnique(bg, "nope"); !errors.Is(err, dircmd.ErrNotFound) {
		t.Errorf("JobByUnique(nope): %v", err)
	}
}

func TestBvfs(t *testing.T) {
	const big = 100000
	d := New(Options{Size: 12, BigDirFiles: big})
	root, err := d.BvfsPathID(bg, "")
	if err != nil {
		t.Fatal(err)
	}
	slash, _ := d.BvfsPathID(bg, "/")
	top, _ := collect(d.BvfsLsDirs(bg, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: root, Limit: 100}))
	if len(top) != 2 || top[0].Name != "." || top[1].Name != "/" || top[1].PathID != slash {
		t.Errorf("root listing: %+v", top)
	}
	dirs, _ := collect(d.BvfsLsDirs(bg, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: slash, Limit: 100}))
	var names []string
	for _, e := range dirs {
		names = append(names, e.Name)
	}
	if names[0] != "." || names[1] != ".." || !sort.StringsAreSorted(names) {
		t.Errorf("/ listing not sorted: %v", names)
	}
	if !slices.Contains(names, "/etc/") || !slices.Contains(names, "/var/") {
		t.Errorf("/ listing: %v", names)
	}

	// The big directory of bareos-fd, backed up by its first (Full) job.
	bigID, err := d.BvfsPathID(bg, BigDir)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := collect(d.BvfsLsFiles(bg, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: bigID, Limit: 1 << 30}))
	if len(all) != big {
		t.Fatalf("big dir has %d files, want %d", len(all), big)
	}
	page, _ := collect(d.BvfsLsFiles(bg, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: bigID, Limit: 3, Offset: big - 2}))
	if len(page) != 2 || page[1].Name != all[big-1].Name || page[0].FileID != all[big-2].FileID {
		t.Errorf("last page: %+v", page)
	}
	fileIDs := map[uint64]bool{}
	for i, e := range all {
		if i > 0 && all[i-1].Name >= e.Name {
			t.Fatalf("not sorted at %d: %q >= %q", i, all[i-1].Name, e.Name)
		}
		if fileIDs[e.FileID] {
			t.Fatalf("duplicate FileId %d", e.FileID)
		}
		fileIDs[e.FileID] = true
	}
	// A huge hostile limit does not allocate accordingly, negative ranges give nothing.
	if got, _ := collect(d.BvfsLsFiles(bg, dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: bigID, Limit: -1})); got != nil {
		t.Errorf("negative limit: %d entries", len(got))
	}
	// Newest version wins among several jobs of the same client.
	etc, _ := d.BvfsPathID(bg, "/etc/")
	var jobsOfClient []uint64
	js, _ := d.ListJobs(bg, dircmd.JobQuery{Name: "BackupClient1"})
	for _, j := range js {
		jobsOfClient = append(jobsOfClient, j.JobID)
	}
	files, _ := collect(d.BvfsLsFiles(bg, dircmd.BvfsQuery{JobIDs: jobsOfClient, PathID: etc, Limit: 1000}))
	if len(files) == 0 {
		t.Fatal("no files in /etc/")
	}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] {
			t.Errorf("file %s listed twice", f.Name)
		}
		seen[f.Name] = true
		st := dircmd.DecodeStat(f.LStat)
		if st.Mode&0170000 != 0100000 || st.Dev != 2049 {
			t.Errorf("%s: stat %+v", f.Name, st)
		}
	}
	// JobFiles lists every file row of the job, big directory included.
	n := 0
	d.JobFiles(bg, 1, func(string) error { n++; return nil })
	j1, _ := d.JobByID(bg, 1)
	if uint64(n) != j1.JobFiles {
		t.Errorf("JobFiles gave %d names, job has %d files", n, j1.JobFiles)
	}
}

func TestScheduledAndStatus(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC) // a Saturday
	d := New(Options{Size: 10, BigDirFiles: -1, Now: func() time.Time { return now }})
	runs, _ := d.Scheduled(bg, now, 1)
	if len(runs) == 0 {
		t.Fatal("nothing scheduled")
	}
	for _, r := range runs {
		if r.Time.Before(now) || r.Time.After(now.Add(24*time.Hour)) {
			t.Errorf("run %+v outside the window", r)
		}
		if r.Job == "backup-laptop" {
			t.Error("disabled job scheduled")
		}
		if r.Job == "BackupClient1" && r.Level != dircmd.LevelFull {
			t.Errorf("first Saturday should be Full: %+v", r)
		}
	}
	term, _ := d.Terminated(bg)
	if len(term) != 10 || term[9].JobID != 10 {
		t.Errorf("terminated: %+v", term)
	}
	st, _ := d.Status(bg)
	if !st.Started.Before(now) {
		t.Errorf("started %v", st.Started)
	}
}

// collect gathers a bvfs listing.
func collect(seq iter.Seq2[dircmd.BvfsEntry, error]) ([]dircmd.BvfsEntry, error) {
	var out []dircmd.BvfsEntry
	for e, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

// TestCatalogInvariants runs the conformance invariants on the sample.
func TestCatalogInvariants(t *testing.T) {
	catalogtest.Check(t, New(Options{Size: 40, BigDirFiles: 3000}))
}
