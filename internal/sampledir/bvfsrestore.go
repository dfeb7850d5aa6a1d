package sampledir

import (
	"context"
	"slices"
	"strings"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

var _ dircmd.BvfsSelection = (*Director)(nil)

// The File rows of a job are numbered from its fileBase: per directory
// of its tree (in path order) its included files, then the directory
// itself. FileIndex is the row's number within the job (from 1).

// fileRow describes the row at FileIndex idx of job ji: its directory
// and the position of the file in it (pos == the directory's file count
// for the directory's own row).
func (d *Director) fileRow(ji int, idx uint64) (t *tree, di, pos int, ok bool) {
	c := &d.jobFiles[ji]
	t = d.trees[c.tree]
	if t == nil || idx == 0 {
		return nil, 0, 0, false
	}
	rel := idx - 1
	for di := range t.dirs {
		n := uint64(c.dirFileCount(t, di))
		if rel >= c.offsets[di] && rel <= c.offsets[di]+n {
			return t, di, int(rel - c.offsets[di]), true
		}
	}
	return nil, 0, 0, false
}

// bvfsFile returns the selection entry of a File row.
func (d *Director) bvfsFile(ji int, idx uint64) (dircmd.BvfsFile, bool) {
	t, di, pos, ok := d.fileRow(ji, idx)
	if !ok {
		return dircmd.BvfsFile{}, false
	}
	c := &d.jobFiles[ji]
	dir := t.dirs[di]
	rf := dircmd.BvfsFile{JobID: d.jobs[ji].JobID, FileIndex: idx, PathID: dir.pathID, Path: dir.path}
	switch {
	case pos == c.dirFileCount(t, di):
		rf.Name = "" // the directory's own row
	case dir.big:
		rf.Name = bigName(pos)
	case c.incl[di] == nil:
		rf.Name = dir.files[pos].name
	default:
		rf.Name = dir.files[c.incl[di][pos]].name
	}
	return rf, true
}

// BvfsSelect implements dircmd.BvfsSelection.
func (d *Director) BvfsSelect(ctx context.Context, jobIDs, fileIDs, dirIDs []uint64, hardlinks [][2]uint64) ([]dircmd.BvfsFile, error) {
	var out []dircmd.BvfsFile
	// FileId: the job whose rows hold it.
	for _, id := range fileIDs {
		for ji := range d.jobFiles {
			c := &d.jobFiles[ji]
			t := d.trees[c.tree]
			if t == nil || id <= c.fileBase || id > c.fileBase+c.count(t) {
				continue
			}
			if rf, ok := d.bvfsFile(ji, id-c.fileBase); ok {
				out = append(out, rf)
			}
			break
		}
	}
	// PathId: every row at or below the directory in the jobs.
	for _, pid := range dirIDs {
		if pid == 0 || pid > uint64(len(d.paths)) {
			continue
		}
		prefix := d.paths[pid-1]
		for _, jid := range jobIDs {
			ji := d.jobIndex(jid)
			if ji < 0 {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			c := &d.jobFiles[ji]
			t := d.trees[c.tree]
			if t == nil {
				continue
			}
			for di, dir := range t.dirs {
				if !strings.HasPrefix(dir.path, prefix) {
					continue
				}
				n := c.dirFileCount(t, di)
				for pos := 0; pos <= n; pos++ {
					if rf, ok := d.bvfsFile(ji, c.offsets[di]+uint64(pos)+1); ok {
						out = append(out, rf)
					}
				}
			}
		}
	}
	// (JobId, FileIndex) pairs.
	for _, p := range hardlinks {
		if ji := d.jobIndex(p[0]); ji >= 0 {
			if rf, ok := d.bvfsFile(ji, p[1]); ok {
				out = append(out, rf)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b dircmd.BvfsFile) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out, nil
}
