package memcatalog

import (
	"context"
	"fmt"
	"iter"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// BvfsPathID implements dircmd.Bvfs.
func (c *Catalog) BvfsPathID(ctx context.Context, path string) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if id, ok := c.pathIDs[path]; ok {
		return id, nil
	}
	return 0, fmt.Errorf("path %q: %w", path, dircmd.ErrNotFound)
}

// bvfsJob is a job of a bvfs listing with its files as they were when
// the listing started.
type bvfsJob struct {
	id  uint64
	all []fileRec
	jf  *jobFiles
}

// bvfsJobs returns the jobs of ids that have files, newest (by start
// time, then JobId) first. The caller holds the read lock.
func (c *Catalog) bvfsJobs(ids []uint64) []bvfsJob {
	var jobs []dircmd.Job
	for _, id := range ids {
		i := c.jobIndex(id)
		if i < 0 || c.files[id] == nil || slices.ContainsFunc(jobs, func(j dircmd.Job) bool { return j.JobID == id }) {
			continue
		}
		jobs = append(jobs, c.jobs[i])
	}
	slices.SortStableFunc(jobs, func(a, b dircmd.Job) int {
		if c := b.StartTime.Compare(a.StartTime); c != 0 {
			return c
		}
		return compareDesc(a.JobID, b.JobID)
	})
	out := make([]bvfsJob, len(jobs))
	for i, j := range jobs {
		jf := c.files[j.JobID]
		out[i] = bvfsJob{id: j.JobID, all: jf.all, jf: jf}
	}
	return out
}

func compareDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}

// dirEntry is the bvfs entry of directory pathID: the attributes of its
// own entry in the newest job that has one. The caller holds the read
// lock.
func (c *Catalog) dirEntry(jobs []bvfsJob, pathID uint64) dircmd.BvfsEntry {
	e := dircmd.BvfsEntry{Type: 'D', PathID: pathID, Name: c.paths[pathID-1]}
	for _, j := range jobs {
		if i, ok := j.jf.dirRec[pathID]; ok && !j.all[i].deleted {
			f := j.all[i]
			e.HasAttr, e.JobID, e.FileID, e.LStat = true, j.id, f.fileID, f.lstat
			break
		}
	}
	return e
}

// BvfsLsDirs implements dircmd.Bvfs: ".", "..", and the sub-directories
// that hold entries of the jobs (in them or below), sorted by path. The
// entries are collected under the read lock (a directory's
// sub-directories are few), then yielded.
func (c *Catalog) BvfsLsDirs(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(dircmd.BvfsEntry{}, err)
			return
		}
		if q.Limit < 0 || q.Offset < 0 {
			return
		}
		c.mu.RLock()
		if q.PathID == 0 || q.PathID > uint64(len(c.paths)) {
			c.mu.RUnlock()
			return
		}
		jobs := c.bvfsJobs(q.JobIDs)
		dot := c.dirEntry(jobs, q.PathID)
		dot.Name = "."
		out := []dircmd.BvfsEntry{dot}
		if parent := c.parents[q.PathID-1]; parent != 0 {
			dd := c.dirEntry(jobs, parent)
			dd.Name = ".."
			out = append(out, dd)
		}
		var subs []dircmd.BvfsEntry
		for _, id := range c.children[q.PathID-1] {
			if slices.ContainsFunc(jobs, func(j bvfsJob) bool { return j.jf.visible[id] }) {
				subs = append(subs, c.dirEntry(jobs, id))
			}
		}
		c.mu.RUnlock()
		sort.Slice(subs, func(a, b int) bool { return subs[a].Name < subs[b].Name })
		out = append(out, subs...)
		for _, e := range dircmd.Page(out, uint64(q.Limit), uint64(q.Offset)) {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// BvfsLsFiles implements dircmd.Bvfs: for every file name in the
// directory the newest version among the jobs, unless it is a deletion,
// sorted by name. It merges the jobs' sorted file lists as it yields,
// without holding the lock and without collecting the listing: memory
// does not grow with the size of the directory or the limit.
func (c *Catalog) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(dircmd.BvfsEntry{}, err)
			return
		}
		if q.Limit < 0 || q.Offset < 0 {
			return
		}
		var re *regexp.Regexp
		if q.Pattern != "" {
			var err error
			if re, err = regexp.Compile(q.Pattern); err != nil {
				return // the Director's query fails and lists nothing
			}
		}
		type cursor struct {
			job bvfsJob
			idx []int32 // the rest of the job's files in the directory
		}
		c.mu.RLock()
		var curs []cursor
		for _, j := range c.bvfsJobs(q.JobIDs) {
			if idx := j.jf.byDir[q.PathID]; len(idx) > 0 {
				curs = append(curs, cursor{j, idx})
			}
		}
		c.mu.RUnlock()

		limit, skip := uint64(q.Limit), uint64(q.Offset)
		for n := 0; limit > 0; n++ {
			if n%256 == 0 {
				if err := ctx.Err(); err != nil {
					yield(dircmd.BvfsEntry{}, err)
					return
				}
			}
			// The smallest name among the cursors; the first cursor
			// (newest job) that has it gives the version.
			best := -1
			for i := range curs {
				if len(curs[i].idx) == 0 {
					continue
				}
				if best < 0 || curs[i].job.all[curs[i].idx[0]].name < curs[best].job.all[curs[best].idx[0]].name {
					best = i
				}
			}
			if best < 0 {
				return
			}
			j := curs[best].job
			f := j.all[curs[best].idx[0]]
			for i := range curs {
				for len(curs[i].idx) > 0 && curs[i].job.all[curs[i].idx[0]].name == f.name {
					curs[i].idx = curs[i].idx[1:]
				}
			}
			if f.deleted || re != nil && !re.MatchString(f.name) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			limit--
			e := dircmd.BvfsEntry{Type: 'F', PathID: f.pathID, Name: f.name, HasAttr: true, JobID: j.id, FileID: f.fileID, LStat: f.lstat}
			if !yield(e, nil) {
				return
			}
		}
	}
}

// BvfsVersions implements dircmd.Bvfs: the file in every backup
// (archive; with q.Copies also copy) job of the client that has it and
// wrote to a volume (the first one it wrote is shown), by FileId.
func (c *Catalog) BvfsVersions(ctx context.Context, q dircmd.BvfsVersionQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(dircmd.BvfsEntry{}, err)
			return
		}
		if q.Limit < 0 || q.Offset < 0 {
			return
		}
		types := "BAa"
		if q.Copies {
			types += "C"
		}
		var out []dircmd.BvfsEntry
		c.mu.RLock()
		for _, j := range c.jobs {
			jf := c.files[j.JobID]
			if jf == nil || j.Client != q.Client || !strings.ContainsRune(types, rune(j.Type)) ||
				q.JobIDs != nil && !slices.Contains(q.JobIDs, j.JobID) {
				continue
			}
			idx := jf.byDir[q.PathID]
			k, found := sort.Find(len(idx), func(i int) int { return strings.Compare(q.Name, jf.all[idx[i]].name) })
			if !found {
				continue
			}
			vol, inChanger, ok := c.firstVolume(j.JobID)
			if !ok {
				continue
			}
			for ; k < len(idx) && jf.all[idx[k]].name == q.Name; k++ {
				f := jf.all[idx[k]]
				out = append(out, dircmd.BvfsEntry{Type: 'V', PathID: f.pathID, Name: f.name, HasAttr: true,
					JobID: j.JobID, FileID: f.fileID, LStat: f.lstat, MD5: f.md5, VolumeName: vol, VolumeInChanger: inChanger})
			}
		}
		c.mu.RUnlock()
		slices.SortFunc(out, func(a, b dircmd.BvfsEntry) int { return compareDesc(b.FileID, a.FileID) })
		for _, e := range dircmd.Page(out, uint64(q.Limit), uint64(q.Offset)) {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// firstVolume is the first volume job wrote. The caller holds the read lock.
func (c *Catalog) firstVolume(jobID uint64) (name string, inChanger, ok bool) {
	for _, jm := range c.jobMedia {
		if jm.JobID != jobID {
			continue
		}
		for _, m := range c.media {
			if m.MediaID == jm.MediaID {
				return m.VolumeName, m.InChanger, true
			}
		}
	}
	return "", false, false
}
