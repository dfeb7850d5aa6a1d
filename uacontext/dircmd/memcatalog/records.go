package memcatalog

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Every capability of a Director's catalog database.
var _ interface {
	dircmd.Catalog
	dircmd.JobRecords
	dircmd.FileRecords
	dircmd.MediaRecords
	dircmd.ClientRecords
	dircmd.PoolRecords
	dircmd.StorageRecords
	dircmd.Bvfs
	dircmd.StatusReporter
} = (*Catalog)(nil)

// ListJobs implements dircmd.JobRecords with dircmd.SelectJobs.
func (c *Catalog) ListJobs(ctx context.Context, q dircmd.JobQuery) ([]dircmd.Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return dircmd.SelectJobs(c.jobs, q, c.wroteVolume), nil
}

func (c *Catalog) wroteVolume(jobID uint64, volume string) bool {
	for _, jm := range c.jobMedia {
		if jm.JobID == jobID && jm.VolumeName == volume {
			return true
		}
	}
	return false
}

// JobByID implements dircmd.JobRecords.
func (c *Catalog) JobByID(ctx context.Context, id uint64) (dircmd.Job, error) {
	if err := ctx.Err(); err != nil {
		return dircmd.Job{}, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i := c.jobIndex(id); i >= 0 {
		return c.jobs[i], nil
	}
	return dircmd.Job{}, fmt.Errorf("job %d: %w", id, dircmd.ErrNotFound)
}

// JobByUnique implements dircmd.JobRecords.
func (c *Catalog) JobByUnique(ctx context.Context, job string) (dircmd.Job, error) {
	if err := ctx.Err(); err != nil {
		return dircmd.Job{}, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if i, ok := c.byUnique[job]; ok {
		return c.jobs[i], nil
	}
	return dircmd.Job{}, fmt.Errorf("job %q: %w", job, dircmd.ErrNotFound)
}

// JobFiles implements dircmd.FileRecords: every entry of the job that is
// not a deletion, in FileId order, without holding the catalog's lock
// while fn runs.
func (c *Catalog) JobFiles(ctx context.Context, jobID uint64, fn func(string) error) error {
	c.mu.RLock()
	var all []fileRec
	if jf := c.files[jobID]; jf != nil {
		all = jf.all
	}
	paths := c.paths
	c.mu.RUnlock()
	for i, f := range all {
		if i%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if f.deleted {
			continue
		}
		if err := fn(paths[f.pathID-1] + f.name); err != nil {
			return err
		}
	}
	return nil
}

// ListMedia implements dircmd.MediaRecords.
func (c *Catalog) ListMedia(ctx context.Context, q dircmd.MediaQuery) ([]dircmd.Media, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []dircmd.Media
	for _, m := range c.media {
		switch {
		case q.VolumeName != "" && m.VolumeName != q.VolumeName,
			q.MediaID != 0 && m.MediaID != q.MediaID,
			q.PoolID != 0 && m.PoolID != q.PoolID:
			continue
		}
		out = append(out, m)
	}
	if q.HasLimit {
		out = dircmd.Page(out, q.Limit, q.Offset)
	}
	return out, nil
}

// JobMedia implements dircmd.MediaRecords.
func (c *Catalog) JobMedia(ctx context.Context, jobID uint64) ([]dircmd.JobMedia, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []dircmd.JobMedia
	for _, jm := range c.jobMedia {
		if jm.JobID == jobID {
			out = append(out, jm)
		}
	}
	return out, nil
}

// Record defaults of the Director for resources that do not say.
const (
	day                  = 24 * 60 * 60
	defaultFileRetention = 60 * day
	defaultJobRetention  = 180 * day
	defaultVolRetention  = 365 * day
)

// ClientRecords implements dircmd.ClientRecords: a record for every
// client of the resources and of the jobs, with the Director's default
// retentions.
func (c *Catalog) ClientRecords(ctx context.Context) ([]dircmd.ClientRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []dircmd.ClientRecord
	for i, name := range c.records("client") {
		out = append(out, dircmd.ClientRecord{ClientID: uint64(i + 1), Name: name,
			FileRetention: defaultFileRetention, JobRetention: defaultJobRetention})
	}
	return out, nil
}

// PoolRecords implements dircmd.PoolRecords: a record for every pool of
// the resources, jobs and volumes, with its number of volumes and the
// Director's pool defaults.
func (c *Catalog) PoolRecords(ctx context.Context) ([]dircmd.PoolRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []dircmd.PoolRecord
	for i, name := range c.records("pool") {
		r := dircmd.PoolRecord{PoolID: uint64(i + 1), Name: name, PoolType: "Backup", UseCatalog: true,
			VolRetention: defaultVolRetention, AutoPrune: true, Recycle: true, Enabled: true}
		for _, p := range c.res.Pools {
			if p.Name == name && p.PoolType != "" {
				r.PoolType = p.PoolType
			}
		}
		for _, m := range c.media {
			if m.PoolID == r.PoolID {
				r.NumVols++
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// StorageRecords implements dircmd.StorageRecords.
func (c *Catalog) StorageRecords(ctx context.Context) ([]dircmd.StorageRecord, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	var out []dircmd.StorageRecord
	for i, name := range c.records("storage") {
		out = append(out, dircmd.StorageRecord{StorageID: uint64(i + 1), Name: name})
	}
	return out, nil
}

// Status implements dircmd.StatusReporter: started when New was called,
// the jobs of the catalog that ended since then, the running ones.
func (c *Catalog) Status(ctx context.Context) (dircmd.DirectorStatus, error) {
	if err := ctx.Err(); err != nil {
		return dircmd.DirectorStatus{}, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	st := dircmd.DirectorStatus{Started: c.started}
	for _, j := range c.jobs {
		switch {
		case j.JobStatus == dircmd.JobStatusRunning:
			st.Running++
		case !j.EndTime.IsZero() && !j.EndTime.Before(c.started):
			st.JobsRun++
		}
	}
	return st, nil
}

// Scheduled implements dircmd.StatusReporter with the runs of
// SetScheduled due within days after now.
func (c *Catalog) Scheduled(ctx context.Context, now time.Time, days int) ([]dircmd.ScheduledRun, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	end := now.Add(time.Duration(days) * 24 * time.Hour)
	var out []dircmd.ScheduledRun
	for _, r := range c.scheduled {
		if !r.Time.Before(now) && r.Time.Before(end) {
			out = append(out, r)
		}
	}
	return out, nil
}

// terminatedKept is how many finished jobs status director shows, as the
// Director's list of recently terminated jobs.
const terminatedKept = 10

// Terminated implements dircmd.StatusReporter: the last ten jobs that
// ended, oldest first.
func (c *Catalog) Terminated(ctx context.Context) ([]dircmd.TerminatedJob, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.RLock()
	var ended []dircmd.Job
	for _, j := range c.jobs {
		if !j.EndTime.IsZero() && j.JobStatus != dircmd.JobStatusRunning && j.JobStatus != dircmd.JobStatusCreated {
			ended = append(ended, j)
		}
	}
	c.mu.RUnlock()
	slices.SortStableFunc(ended, func(a, b dircmd.Job) int { return a.EndTime.Compare(b.EndTime) })
	ended = ended[max(0, len(ended)-terminatedKept):]
	out := make([]dircmd.TerminatedJob, len(ended))
	for i, j := range ended {
		out[i] = dircmd.TerminatedJob{JobID: j.JobID, Job: j.Job, Type: j.Type, Level: j.Level,
			Status: j.JobStatus, Files: j.JobFiles, Bytes: j.JobBytes, Finished: j.EndTime}
	}
	return out, nil
}
