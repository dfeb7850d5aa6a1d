package memcatalog

import (
	"cmp"
	"context"
	"slices"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

var _ dircmd.RestoreCatalog = (*Catalog)(nil)

// restoreJob is a job's files as they were when a restore listing
// started.
type restoreJob struct {
	job dircmd.Job
	all []fileRec
}

// restoreFile is the row of a job's i-th entry (FileIndex i+1).
func restoreFile(paths []string, j uint64, i int, f fileRec) dircmd.RestoreFile {
	return dircmd.RestoreFile{Path: paths[f.pathID-1], Name: f.name, JobID: j, FileIndex: int32(i + 1), LStat: f.lstat}
}

// RestoreFileList implements dircmd.RestoreCatalog: the newest version
// (by JobTDate, then JobId) of every entry of the jobs, deletions left
// out, by job (oldest first) and FileIndex (the order entries were
// added in). It holds no lock while fn runs.
func (c *Catalog) RestoreFileList(ctx context.Context, jobIDs []uint64, fn func(dircmd.RestoreFile) error) error {
	c.mu.RLock()
	var jobs []restoreJob
	for _, id := range jobIDs {
		i := c.jobIndex(id)
		jf := c.files[id]
		if i < 0 || jf == nil || slices.ContainsFunc(jobs, func(r restoreJob) bool { return r.job.JobID == id }) {
			continue
		}
		jobs = append(jobs, restoreJob{c.jobs[i], jf.all})
	}
	paths := c.paths
	c.mu.RUnlock()
	slices.SortFunc(jobs, func(a, b restoreJob) int {
		return cmp.Or(cmp.Compare(a.job.JobTDate, b.job.JobTDate), cmp.Compare(a.job.JobID, b.job.JobID))
	})
	// The newest job that has an entry gives its version.
	type key struct {
		path uint64
		name string
	}
	newest := map[key]int{} // index into jobs
	for k, j := range jobs {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, f := range j.all {
			newest[key{f.pathID, f.name}] = k
		}
	}
	for k, j := range jobs {
		for i, f := range j.all {
			if i%256 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if f.deleted || newest[key{f.pathID, f.name}] != k {
				continue
			}
			if err := fn(restoreFile(paths, j.job.JobID, i, f)); err != nil {
				return err
			}
		}
	}
	return nil
}

// RestoreDirFiles implements dircmd.RestoreCatalog: the job's entries in
// exactly directory dir (deletions left out), by FileIndex.
func (c *Catalog) RestoreDirFiles(ctx context.Context, jobID uint64, dir string, fn func(dircmd.RestoreFile) error) error {
	c.mu.RLock()
	pid, ok := c.pathIDs[dir]
	var all []fileRec
	var idx []int32
	var self int32 = -1
	if jf := c.files[jobID]; ok && jf != nil {
		all, idx = jf.all, jf.byDir[pid]
		if i, ok := jf.dirRec[pid]; ok {
			self = i
		}
	}
	paths := c.paths
	c.mu.RUnlock()
	rows := slices.Clone(idx) // by name; the rows go by FileIndex
	if self >= 0 {
		rows = append(rows, self)
	}
	slices.Sort(rows)
	for n, i := range rows {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if f := all[i]; !f.deleted {
			if err := fn(restoreFile(paths, jobID, int(i), f)); err != nil {
				return err
			}
		}
	}
	return nil
}
