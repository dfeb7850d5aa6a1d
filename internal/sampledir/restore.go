package sampledir

import (
	"cmp"
	"context"
	"slices"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

var (
	_ dircmd.RestoreCatalog = (*Director)(nil)
	_ dircmd.StorageDevices = (*Director)(nil)
)

// row is one File row of a job: a file (pos >= 0) or the row of the
// directory itself (pos -1).
type row struct {
	di        int
	pos       int // position among the job's files of the directory; -1: the directory
	tmpl      int // index of the file in the tree's directory (BigDir: its number)
	f         fileTmpl
	fileIndex int32
}

// eachRow calls fn for the File rows of job ji in FileIndex order: each
// directory's files, then the directory.
func (d *Director) eachRow(ctx context.Context, ji int, fn func(r row) error) error {
	c := &d.jobFiles[ji]
	t := d.trees[c.tree]
	if t == nil {
		return nil
	}
	n := 0
	for di, dn := range t.dirs {
		if err := ctx.Err(); err != nil {
			return err
		}
		base := int32(c.offsets[di])
		if dn.big {
			for k := range c.bigFiles {
				if err := fn(row{di: di, pos: k, tmpl: k, f: bigFile(k), fileIndex: base + int32(k) + 1}); err != nil {
					return err
				}
				if n++; n%4096 == 0 {
					if err := ctx.Err(); err != nil {
						return err
					}
				}
			}
		} else {
			var err error
			c.eachFile(t, di, func(pos int, f fileTmpl) {
				if err == nil {
					tmpl := pos
					if c.incl[di] != nil {
						tmpl = int(c.incl[di][pos])
					}
					err = fn(row{di: di, pos: pos, tmpl: tmpl, f: f, fileIndex: base + int32(pos) + 1})
				}
			})
			if err != nil {
				return err
			}
		}
		count := int32(c.dirFileCount(t, di))
		if err := fn(row{di: di, pos: -1, tmpl: -1, fileIndex: base + count + 1}); err != nil {
			return err
		}
	}
	return nil
}

// restoreFile renders row r of job ji.
func (d *Director) restoreFile(ji int, r row) dircmd.RestoreFile {
	c := &d.jobFiles[ji]
	t := d.trees[c.tree]
	dn := &t.dirs[r.di]
	out := dircmd.RestoreFile{Path: dn.path, JobID: d.jobs[ji].JobID, FileIndex: r.fileIndex}
	if r.pos < 0 {
		out.LStat = d.dirStat(ji, r.di).encode(0)
		return out
	}
	out.Name = r.f.name
	out.LStat = d.fileEntry(ji, t, r.di, r.pos, r.f).LStat
	return out
}

// dirStat is the attributes job ji saved for directory di of its tree.
func (d *Director) dirStat(ji, di int) stat {
	t := d.trees[d.jobFiles[ji].tree]
	n := t.dirs[di]
	j := d.jobs[ji]
	st := stat{dev: 2049, ino: n.ino, mode: 040755, nlink: 2, uid: n.uid, gid: n.uid,
		size: 4096, blksize: 4096, blocks: 8,
		atime: j.StartTime.Unix(), mtime: j.StartTime.Unix() - int64(hash64(n.pathID, 3)%(30*86400)),
	}
	st.ctime = st.mtime
	return st
}

// rowKey identifies a file across jobs of different trees: its
// directory and name (BigDir files by their number, -1 for the
// directory's own row).
type rowKey struct {
	pathID uint64
	name   string
	big    int
}

// seenSet records which files of a restore's jobs were taken already.
// Jobs of one client share a tree: a flag per file of the tree then
// does; jobs of several clients need a map by path and name.
type seenSet struct {
	tree  *tree
	flags [][]bool // per directory: files, then the directory's row
	keys  map[rowKey]struct{}
}

func (d *Director) newSeenSet(jobs []int) *seenSet {
	t := d.trees[d.jobFiles[jobs[0]].tree]
	for _, ji := range jobs[1:] {
		if d.trees[d.jobFiles[ji].tree] != t {
			return &seenSet{keys: map[rowKey]struct{}{}}
		}
	}
	s := &seenSet{tree: t, flags: make([][]bool, len(t.dirs))}
	for di, dn := range t.dirs {
		n := len(dn.files)
		if dn.big {
			for _, ji := range jobs {
				n = max(n, d.jobFiles[ji].bigFiles)
			}
		}
		s.flags[di] = make([]bool, n+1)
	}
	return s
}

// add records the file of row r of a job of tree t and reports whether
// it was new.
func (s *seenSet) add(t *tree, r row) bool {
	if s.flags != nil {
		fl := s.flags[r.di]
		i := r.tmpl
		if i < 0 {
			i = len(fl) - 1
		}
		if fl[i] {
			return false
		}
		fl[i] = true
		return true
	}
	k := rowKey{pathID: t.dirs[r.di].pathID, big: -1}
	switch {
	case r.pos < 0:
	case t.dirs[r.di].big:
		k.big = r.pos
	default:
		k.name = r.f.name
	}
	if _, dup := s.keys[k]; dup {
		return false
	}
	s.keys[k] = struct{}{}
	return true
}

// RestoreFileList implements dircmd.RestoreCatalog: the newest version
// of every file of the jobs, by job (oldest first) and FileIndex.
func (d *Director) RestoreFileList(ctx context.Context, jobIDs []uint64, fn func(dircmd.RestoreFile) error) error {
	var jobs []int
	for _, id := range jobIDs {
		ji := d.jobIndex(id)
		if ji < 0 || slices.Contains(jobs, ji) || d.trees[d.jobFiles[ji].tree] == nil {
			continue
		}
		jobs = append(jobs, ji)
	}
	slices.SortFunc(jobs, func(a, b int) int {
		return cmp.Or(cmp.Compare(d.jobs[a].JobTDate, d.jobs[b].JobTDate), cmp.Compare(a, b))
	})
	// With several jobs, a file comes from the newest job that has it.
	var keep map[int][]bool
	if len(jobs) > 1 {
		keep = make(map[int][]bool, len(jobs))
		seen := d.newSeenSet(jobs)
		for i := len(jobs) - 1; i >= 0; i-- {
			ji := jobs[i]
			t := d.trees[d.jobFiles[ji].tree]
			bits := make([]bool, d.jobFiles[ji].count(t)+1)
			err := d.eachRow(ctx, ji, func(r row) error {
				if seen.add(t, r) {
					bits[r.fileIndex] = true
				}
				return nil
			})
			if err != nil {
				return err
			}
			keep[ji] = bits
		}
	}
	for _, ji := range jobs {
		bits := keep[ji]
		err := d.eachRow(ctx, ji, func(r row) error {
			if bits != nil && !bits[r.fileIndex] {
				return nil
			}
			return fn(d.restoreFile(ji, r))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// RestoreDirFiles implements dircmd.RestoreCatalog.
func (d *Director) RestoreDirFiles(ctx context.Context, jobID uint64, dir string, fn func(dircmd.RestoreFile) error) error {
	ji := d.jobIndex(jobID)
	if ji < 0 {
		return nil
	}
	c := &d.jobFiles[ji]
	t := d.trees[c.tree]
	pathID, ok := d.pathIDs[dir]
	if t == nil || !ok {
		return nil
	}
	di, ok := t.idx[pathID]
	if !ok {
		return nil
	}
	base := int32(c.offsets[di])
	dn := &t.dirs[di]
	if dn.big {
		for k := range c.bigFiles {
			if k%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if err := fn(d.restoreFile(ji, row{di: di, pos: k, f: bigFile(k), fileIndex: base + int32(k) + 1})); err != nil {
				return err
			}
		}
	} else {
		var err error
		c.eachFile(t, di, func(pos int, f fileTmpl) {
			if err == nil {
				err = fn(d.restoreFile(ji, row{di: di, pos: pos, f: f, fileIndex: base + int32(pos) + 1}))
			}
		})
		if err != nil {
			return err
		}
	}
	return fn(d.restoreFile(ji, row{di: di, pos: -1, fileIndex: base + int32(c.dirFileCount(t, di)) + 1}))
}

// StorageDevice implements dircmd.StorageDevices: the sample's storage
// daemon has a disk device and a tape library.
func (d *Director) StorageDevice(storage string) (string, bool) {
	switch storage {
	case "File":
		return "FileStorage", true
	case "Tape":
		return "TapeLibrary", true
	}
	return "", false
}
