package catalogtest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// pathID returns the PathId of dir or fails the test.
func pathID(t *testing.T, b dircmd.Bvfs, dir string) uint64 {
	t.Helper()
	id, err := b.BvfsPathID(context.Background(), dir)
	if err != nil || id == 0 {
		t.Fatalf("BvfsPathID(%q) = %d, %v", dir, id, err)
	}
	return id
}

func testBvfs(t *testing.T, b dircmd.Bvfs, f Fixture) {
	ctx := context.Background()
	root, slash, etc, big := pathID(t, b, ""), pathID(t, b, "/"), pathID(t, b, "/etc/"), pathID(t, b, BigDir)
	for _, p := range []string{"/nope/", "/etc/hosts", "/etc"} {
		checkNotFound(t, "BvfsPathID("+p+")", func() error { _, err := b.BvfsPathID(ctx, p); return err })
	}

	dirs := func(q dircmd.BvfsQuery) []dircmd.BvfsEntry {
		t.Helper()
		es, err := Collect(b.BvfsLsDirs(ctx, q))
		if err != nil {
			t.Errorf("BvfsLsDirs(%+v): %v", q, err)
		}
		return es
	}
	files := func(q dircmd.BvfsQuery) []dircmd.BvfsEntry {
		t.Helper()
		es, err := Collect(b.BvfsLsFiles(ctx, q))
		if err != nil {
			t.Errorf("BvfsLsFiles(%+v): %v", q, err)
		}
		return es
	}
	eq := func(what string, got []dircmd.BvfsEntry, want ...string) {
		t.Helper()
		if !slices.Equal(names(got), want) {
			t.Errorf("%s: %q, want %q", what, names(got), want)
		}
	}
	alpha := []uint64{1, 3}

	top := dirs(dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: root, Limit: 100})
	eq("lsdirs of the root", top, ".", "/")
	if len(top) == 2 && (top[0].PathID != root || top[1].PathID != slash || top[0].Type != 'D') {
		t.Errorf("lsdirs of the root: %+v", top)
	}
	ls := dirs(dircmd.BvfsQuery{JobIDs: alpha, PathID: slash, Limit: 100})
	eq("lsdirs / of jobs 1,3", ls, ".", "..", "/etc/", "/home/", "/srv/", "/var/")
	for _, e := range ls {
		switch e.Name {
		case "..":
			if e.PathID != root {
				t.Errorf("..: PathId %d, want the root's %d", e.PathID, root)
			}
		case "/etc/":
			if e.PathID != etc || !e.HasAttr || e.JobID != 1 || e.FileID == 0 || e.LStat != fixtureLStat(f, 1, "/etc/") {
				t.Errorf("/etc/ in lsdirs: %+v", e)
			}
		case "/srv/":
			if e.HasAttr {
				t.Errorf("/srv/ has no directory entry in any job, but attributes: %+v", e)
			}
		}
		if e.Type != 'D' {
			t.Errorf("lsdirs entry of type %q: %+v", e.Type, e)
		}
		if e.Name[0] == '/' && e.PathID != pathID(t, b, e.Name) {
			t.Errorf("%s: PathId %d, BvfsPathID says %d", e.Name, e.PathID, pathID(t, b, e.Name))
		}
	}
	eq("lsdirs / of job 2", dirs(dircmd.BvfsQuery{JobIDs: []uint64{2}, PathID: slash, Limit: 100}), ".", "..", "/data/")
	if d := dirs(dircmd.BvfsQuery{JobIDs: []uint64{2}, PathID: slash, Limit: 1}); len(d) != 1 || !d[0].HasAttr || d[0].JobID != 2 {
		t.Errorf(". of / in job 2: %+v", d)
	}
	eq("lsdirs / paged", dirs(dircmd.BvfsQuery{JobIDs: alpha, PathID: slash, Limit: 2, Offset: 1}), "..", "/etc/")
	eq("lsdirs /etc/", dirs(dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: etc, Limit: 100}), ".", "..", "/etc/ssh/")
	eq("lsdirs limit -1", dirs(dircmd.BvfsQuery{JobIDs: alpha, PathID: slash, Limit: -1}))
	eq("lsdirs offset -1", dirs(dircmd.BvfsQuery{JobIDs: alpha, PathID: slash, Limit: 10, Offset: -1}))
	eq("lsdirs no such PathId", dirs(dircmd.BvfsQuery{JobIDs: alpha, PathID: 1 << 40, Limit: 10}))
	eq("lsdirs no jobs", dirs(dircmd.BvfsQuery{JobIDs: []uint64{99}, PathID: slash, Limit: 10}), ".", "..")

	// Files: the newest version of each name; a deletion hides the file.
	one := files(dircmd.BvfsQuery{JobIDs: []uint64{1}, PathID: etc, Limit: 100})
	eq("lsfiles /etc/ of job 1", one, "hosts", "motd", "passwd")
	both := files(dircmd.BvfsQuery{JobIDs: []uint64{3, 1}, PathID: etc, Limit: 100})
	eq("lsfiles /etc/ of jobs 3,1", both, "group", "hosts", "motd")
	for _, e := range both {
		want := map[string]uint64{"group": 3, "hosts": 3, "motd": 1}[e.Name]
		if e.JobID != want || e.Type != 'F' || !e.HasAttr || e.PathID != etc || e.LStat != fixtureLStat(f, want, "/etc/"+e.Name) {
			t.Errorf("lsfiles /etc/ of jobs 3,1: %+v, want the version of job %d", e, want)
		}
	}
	eq("lsfiles with pattern", files(dircmd.BvfsQuery{JobIDs: alpha, PathID: etc, Pattern: "^h", Limit: 100}), "hosts")
	eq("lsfiles of the copy and the full", files(dircmd.BvfsQuery{JobIDs: []uint64{1, 5}, PathID: etc, Limit: 100}), "hosts", "motd", "passwd")
	eq("lsfiles limit 0", files(dircmd.BvfsQuery{JobIDs: alpha, PathID: etc, Limit: 0}))
	eq("lsfiles limit -1", files(dircmd.BvfsQuery{JobIDs: alpha, PathID: etc, Limit: -1}))
	eq("lsfiles offset -1", files(dircmd.BvfsQuery{JobIDs: alpha, PathID: etc, Limit: 10, Offset: -1}))
	eq("lsfiles no such PathId", files(dircmd.BvfsQuery{JobIDs: alpha, PathID: 1 << 40, Limit: 10}))
	eq("lsfiles of a directory without files", files(dircmd.BvfsQuery{JobIDs: alpha, PathID: slash, Limit: 10}))

	// The big directory: order, paging, streaming.
	all := files(dircmd.BvfsQuery{JobIDs: alpha, PathID: big, Limit: 1 << 30})
	if len(all) != BigDirFiles {
		t.Fatalf("lsfiles %s: %d entries, want %d", BigDir, len(all), BigDirFiles)
	}
	seen := map[uint64]bool{}
	for i, e := range all {
		if e.Name != bigName(i) || seen[e.FileID] || e.FileID == 0 {
			t.Fatalf("lsfiles %s entry %d: %+v", BigDir, i, e)
		}
		seen[e.FileID] = true
	}
	page := files(dircmd.BvfsQuery{JobIDs: alpha, PathID: big, Limit: 10, Offset: BigDirFiles - 5})
	if !slices.Equal(names(page), names(all[BigDirFiles-5:])) {
		t.Errorf("last page: %q", names(page))
	}
	page = files(dircmd.BvfsQuery{JobIDs: alpha, PathID: big, Limit: 3, Offset: 100})
	if !slices.Equal(names(page), names(all[100:103])) {
		t.Errorf("page at 100: %q", names(page))
	}
	testStreaming(t, b, big)
}

// testStreaming checks that a consumer can stop a listing early and that
// a listing ends with ctx's error when ctx ends.
func testStreaming(t *testing.T, b dircmd.Bvfs, dir uint64) {
	q := dircmd.BvfsQuery{JobIDs: []uint64{1, 3}, PathID: dir, Limit: 1 << 30}
	n := 0
	for _, err := range b.BvfsLsFiles(context.Background(), q) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break // the iterator must not call yield again
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n = 0
	var end error
	for _, err := range b.BvfsLsFiles(ctx, q) {
		if err != nil {
			end = err
			break
		}
		if n++; n == 10 {
			cancel()
		}
	}
	if !errors.Is(end, context.Canceled) || n >= BigDirFiles {
		t.Errorf("listing canceled after 10 entries: %d entries, then %v; want ctx's error before the end", n, end)
	}

	for name, seq := range map[string]func(context.Context) ([]dircmd.BvfsEntry, error){
		"BvfsLsFiles": func(ctx context.Context) ([]dircmd.BvfsEntry, error) { return Collect(b.BvfsLsFiles(ctx, q)) },
		"BvfsLsDirs":  func(ctx context.Context) ([]dircmd.BvfsEntry, error) { return Collect(b.BvfsLsDirs(ctx, q)) },
		"BvfsVersions": func(ctx context.Context) ([]dircmd.BvfsEntry, error) {
			return Collect(b.BvfsVersions(ctx, dircmd.BvfsVersionQuery{Client: "alpha-fd", PathID: dir, Name: bigName(0), Limit: 10}))
		},
	} {
		es, err := seq(ctx) // ended
		if len(es) != 0 || !errors.Is(err, context.Canceled) {
			t.Errorf("%s on an ended context: %d entries, %v; want none and ctx's error", name, len(es), err)
		}
	}
}

// fixtureLStat is the lstat of a job's entry in the fixture.
func fixtureLStat(f Fixture, jobID uint64, name string) string {
	for _, e := range f.Files {
		if e.JobID == jobID && e.Name == name {
			return e.LStat
		}
	}
	return ""
}

func fixtureMD5(f Fixture, jobID uint64, name string) string {
	for _, e := range f.Files {
		if e.JobID == jobID && e.Name == name {
			return e.MD5
		}
	}
	return ""
}

func testVersions(t *testing.T, b dircmd.Bvfs, f Fixture) {
	ctx := context.Background()
	etc := pathID(t, b, "/etc/")
	versions := func(q dircmd.BvfsVersionQuery) []dircmd.BvfsEntry {
		t.Helper()
		es, err := Collect(b.BvfsVersions(ctx, q))
		if err != nil {
			t.Errorf("BvfsVersions(%+v): %v", q, err)
		}
		return es
	}
	type v struct {
		job    uint64
		volume string
		in     bool
	}
	check := func(what string, got []dircmd.BvfsEntry, want ...v) {
		t.Helper()
		var g []v
		for i, e := range got {
			g = append(g, v{e.JobID, e.VolumeName, e.VolumeInChanger})
			if e.Type != 'V' || e.PathID != etc || !e.HasAttr || e.MD5 != fixtureMD5(f, e.JobID, "/etc/hosts") ||
				e.LStat != fixtureLStat(f, e.JobID, "/etc/hosts") || i > 0 && e.FileID <= got[i-1].FileID {
				t.Errorf("%s: version %+v", what, e)
			}
		}
		if !slices.Equal(g, want) {
			t.Errorf("%s: %+v, want %+v", what, g, want)
		}
	}
	q := dircmd.BvfsVersionQuery{Client: "alpha-fd", PathID: etc, Name: "hosts", Limit: 100}
	check("versions of /etc/hosts", versions(q), v{1, "Full-0001", false}, v{3, "Incr-0001", false})
	qc := q
	qc.Copies = true
	check("versions with copies", versions(qc), v{1, "Full-0001", false}, v{3, "Incr-0001", false}, v{5, "Full-0002", true})
	qp := qc
	qp.Limit, qp.Offset = 1, 1
	check("versions paged", versions(qp), v{3, "Incr-0001", false})
	qj := qc
	qj.JobIDs = []uint64{5, 3}
	check("versions of some jobs", versions(qj), v{3, "Incr-0001", false}, v{5, "Full-0002", true})
	qj.JobIDs = []uint64{}
	check("versions of no jobs", versions(qj))
	for what, q := range map[string]dircmd.BvfsVersionQuery{
		"another client": {Client: "beta-fd", PathID: etc, Name: "hosts", Limit: 100},
		"no such file":   {Client: "alpha-fd", PathID: etc, Name: "nope", Limit: 100},
		"limit -1":       {Client: "alpha-fd", PathID: etc, Name: "hosts", Limit: -1},
		"no such path":   {Client: "alpha-fd", PathID: 1 << 40, Name: "hosts", Limit: 100},
	} {
		check(what, versions(q))
	}
}
