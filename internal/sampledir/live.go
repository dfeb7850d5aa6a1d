package sampledir

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// DefaultRunDuration is how long (in real time) a job started by run
// runs in the sample Director when Options.RunDuration is zero.
const DefaultRunDuration = 20 * time.Second

// The sample Director's mutable state: the jobs started by run (and
// restore), canceled and deleted jobs, deleted volumes and pools, and
// resources enabled or disabled by the console. It lives in memory; a
// new Director starts from the generated state. Each change is one
// critical section, so a change is either made completely or not at all.
//
// The Director's own clock (Options.Now) is usually fixed, so jobs are
// timed by a second, real clock (Options.Clock): a job started by run
// runs for Options.RunDuration of real time and then terminates.

var (
	_ dircmd.JobRunner      = (*Director)(nil)
	_ dircmd.JobController  = (*Director)(nil)
	_ dircmd.CatalogEditor  = (*Director)(nil)
	_ dircmd.ResourceSwitch = (*Director)(nil)
)

// liveState is guarded by mu.
type liveState struct {
	mu        sync.RWMutex
	runs      []*liveJob      // jobs started by RunJob, by JobId
	deleted   map[uint64]bool // deleted JobIds (generated or run)
	delMedia  map[uint64]bool // deleted MediaIds
	delPools  map[uint64]bool // deleted PoolIds
	enabled   map[string]bool // "<type>/<name>" -> enabled override
	nextJobID uint64          // 0: not yet initialized
	started   uint64          // jobs started since the Director started
}

// liveJob is a job started by RunJob.
type liveJob struct {
	job      dircmd.Job
	storage  string
	priority int
	comment  string
	realEnd  time.Time // real time at which it terminates (zero: waits for its start time)
	canceled bool
}

func (d *Director) clock() time.Time {
	if d.opts.Clock != nil {
		return d.opts.Clock()
	}
	return time.Now()
}

func (d *Director) runDuration() time.Duration {
	if d.opts.RunDuration > 0 {
		return d.opts.RunDuration
	}
	return DefaultRunDuration
}

// settle brings run jobs up to date: a running job whose real end has
// passed terminates. Caller holds mu for writing.
func (d *Director) settle() {
	now := d.clock()
	for _, r := range d.live.runs {
		if r.job.JobStatus == dircmd.JobStatusRunning && !r.realEnd.After(now) {
			r.job.JobStatus = dircmd.JobStatusTerminated
			d.finish(r)
		}
	}
}

// finish fills in a terminated job's end and totals.
func (d *Director) finish(r *liveJob) {
	dur := d.runDuration()
	r.job.EndTime = r.job.StartTime.Add(dur)
	r.job.RealEndTime = r.job.EndTime
	r.job.JobTDate = r.job.EndTime.Unix()
	if r.job.JobStatus == dircmd.JobStatusCanceled {
		return
	}
	switch r.job.Type {
	case dircmd.JobTypeBackup:
		r.job.JobFiles = 1000 + hash64(r.job.JobID)%5000
		r.job.JobBytes = r.job.JobFiles * (20000 + hash64(r.job.JobID, 1)%400000)
	case dircmd.JobTypeRestore:
		r.job.JobFiles = max(r.job.JobFiles, 1)
		r.job.JobBytes = r.job.JobFiles * 40000
	}
}

// snapshot returns the settled run jobs.
func (d *Director) liveJobs() []dircmd.Job {
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	d.settle()
	out := make([]dircmd.Job, 0, len(d.live.runs))
	for _, r := range d.live.runs {
		if !d.live.deleted[r.job.JobID] {
			out = append(out, r.job)
		}
	}
	return out
}

// allJobs returns the catalog's jobs: the generated ones not deleted,
// then the run ones.
func (d *Director) allJobs() []dircmd.Job {
	live := d.liveJobs()
	d.live.mu.RLock()
	defer d.live.mu.RUnlock()
	if len(d.live.deleted) == 0 && len(live) == 0 {
		return d.jobs
	}
	out := make([]dircmd.Job, 0, len(d.jobs)+len(live))
	for _, j := range d.jobs {
		if !d.live.deleted[j.JobID] {
			out = append(out, j)
		}
	}
	return append(out, live...)
}

// isDeleted reports whether the JobId was deleted.
func (d *Director) isDeleted(id uint64) bool {
	d.live.mu.RLock()
	defer d.live.mu.RUnlock()
	return d.live.deleted[id]
}

// liveJob returns a run job by id.
func (d *Director) liveJobByID(id uint64) (dircmd.Job, bool) {
	for _, j := range d.liveJobs() {
		if j.JobID == id {
			return j, true
		}
	}
	return dircmd.Job{}, false
}

// RunJob implements dircmd.JobRunner: the job gets the next JobId and
// waits for its start time if that is after the Director's clock, or
// runs for Options.RunDuration.
func (d *Director) RunJob(ctx context.Context, req dircmd.RunRequest) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	var clientID, poolID, filesetID uint64
	for _, c := range d.clients {
		if c.Name == req.Client {
			clientID = c.ClientID
		}
	}
	for _, p := range d.poolSnapshot() {
		if p.Name == req.Pool {
			poolID = p.PoolID
		}
	}
	for i, f := range d.filesets {
		if f.Name == req.FileSet {
			filesetID = uint64(i + 1)
		}
	}
	now := d.Now().Truncate(time.Second)
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	d.settle()
	if d.live.nextJobID == 0 {
		d.live.nextJobID = uint64(len(d.jobs)) + 1
	}
	id := d.live.nextJobID
	d.live.nextJobID++
	sched := req.When
	if sched.IsZero() {
		sched = now
	}
	j := dircmd.Job{
		JobID: id, Name: req.Job, Type: req.Type, Level: req.Level,
		Job:      fmt.Sprintf("%s.%s_%02d", req.Job, now.Format("2006-01-02_15.04.05"), id%100),
		ClientID: clientID, Client: req.Client, SchedTime: sched,
		PoolID: poolID, Pool: req.Pool, FileSetID: filesetID, FileSet: req.FileSet,
		VolSessionID: id, VolSessionTime: uint64(d.started.Unix()),
		JobFiles: req.Files,
	}
	if j.Type == dircmd.JobTypeRestore {
		j.Pool, j.PoolID, j.FileSet, j.FileSetID = "", 0, "", 0
	}
	r := &liveJob{job: j, storage: req.Storage, priority: req.Priority, comment: req.Comment}
	if sched.After(now) {
		r.job.JobStatus = 't' // waiting for its start time
	} else {
		r.job.JobStatus = dircmd.JobStatusRunning
		r.job.StartTime = now
		r.realEnd = d.clock().Add(d.runDuration())
	}
	d.live.runs = append(d.live.runs, r)
	d.live.started++
	return id, nil
}

// RunningJobs implements dircmd.JobController.
func (d *Director) RunningJobs(ctx context.Context) ([]dircmd.RunningJob, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	d.settle()
	var out []dircmd.RunningJob
	for _, r := range d.live.runs {
		if s := r.job.JobStatus; s != dircmd.JobStatusRunning && s != 't' {
			continue
		}
		out = append(out, d.running(r))
	}
	return out, nil
}

func (d *Director) running(r *liveJob) dircmd.RunningJob {
	j := r.job
	rj := dircmd.RunningJob{
		JobID: j.JobID, Job: j.Job, Name: j.Name, Type: j.Type, Level: j.Level, Status: j.JobStatus,
		Client: j.Client, Storage: r.storage, SchedTime: j.SchedTime, StartTime: j.StartTime,
		Comment: r.comment, Connected: j.JobStatus == dircmd.JobStatusRunning,
	}
	if j.JobStatus == dircmd.JobStatusRunning {
		// Progress in proportion to the real time it has run.
		total := d.runDuration()
		left := max(r.realEnd.Sub(d.clock()), 0)
		done := float64(total-left) / float64(total)
		rj.Files = uint64(done * 3000)
		rj.Bytes = rj.Files * 100000
	}
	return rj
}

// CancelJob implements dircmd.JobController.
func (d *Director) CancelJob(ctx context.Context, jobID uint64) (dircmd.RunningJob, error) {
	if err := ctx.Err(); err != nil {
		return dircmd.RunningJob{}, err
	}
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	d.settle()
	for _, r := range d.live.runs {
		if r.job.JobID != jobID {
			continue
		}
		if s := r.job.JobStatus; s != dircmd.JobStatusRunning && s != 't' {
			break
		}
		old := d.running(r)
		if r.job.StartTime.IsZero() {
			r.job.StartTime = d.Now().Truncate(time.Second)
		}
		r.job.JobStatus = dircmd.JobStatusCanceled
		r.job.JobFiles, r.job.JobBytes = old.Files, old.Bytes
		d.finish(r)
		r.job.EndTime = r.job.StartTime
		r.job.RealEndTime = r.job.StartTime
		r.canceled = true
		return old, nil
	}
	return dircmd.RunningJob{}, fmt.Errorf("job %d is not running: %w", jobID, uacontext.ErrNotFound)
}

// DeleteJobs implements dircmd.CatalogEditor.
func (d *Director) DeleteJobs(ctx context.Context, ids []uint64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	if d.live.deleted == nil {
		d.live.deleted = map[uint64]bool{}
	}
	for _, id := range ids {
		d.live.deleted[id] = true
	}
	return nil
}

// DeleteVolume implements dircmd.CatalogEditor.
func (d *Director) DeleteVolume(ctx context.Context, mediaID uint64, purge bool) ([]uint64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	if d.live.delMedia[mediaID] || mediaID == 0 || mediaID > uint64(len(d.mediaSnapshot())) {
		return nil, fmt.Errorf("volume %d: %w", mediaID, uacontext.ErrNotFound)
	}
	var ids []uint64
	if purge {
		for _, jm := range d.jobMedia {
			if jm.MediaID == mediaID && !d.live.deleted[jm.JobID] && !slices.Contains(ids, jm.JobID) {
				ids = append(ids, jm.JobID)
			}
		}
		slices.Sort(ids)
		if d.live.deleted == nil {
			d.live.deleted = map[uint64]bool{}
		}
		for _, id := range ids {
			d.live.deleted[id] = true
		}
	}
	if d.live.delMedia == nil {
		d.live.delMedia = map[uint64]bool{}
	}
	d.live.delMedia[mediaID] = true
	return ids, nil
}

// DeletePool implements dircmd.CatalogEditor.
func (d *Director) DeletePool(ctx context.Context, poolID uint64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	if d.live.delPools == nil {
		d.live.delPools = map[uint64]bool{}
	}
	d.live.delPools[poolID] = true
	return nil
}

// SetEnabled implements dircmd.ResourceSwitch.
func (d *Director) SetEnabled(ctx context.Context, t uacontext.ResourceType, name string, enabled bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	switch t {
	case uacontext.ResJob, uacontext.ResClient, uacontext.ResSchedule:
	default:
		return fmt.Errorf("resource type %d cannot be enabled or disabled", t)
	}
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	if d.live.enabled == nil {
		d.live.enabled = map[string]bool{}
	}
	d.live.enabled[fmt.Sprint(int(t), "/", name)] = enabled
	return nil
}

// enabledOverride returns the console's setting for a resource, if any.
func (d *Director) enabledOverride(t uacontext.ResourceType, name string, def bool) bool {
	d.live.mu.RLock()
	defer d.live.mu.RUnlock()
	if v, ok := d.live.enabled[fmt.Sprint(int(t), "/", name)]; ok {
		return v
	}
	return def
}

// withEnabled returns res with the console's enabled settings applied.
func withEnabled[R any](d *Director, t uacontext.ResourceType, res []R, get func(*R) (string, *bool)) []R {
	d.live.mu.RLock()
	n := len(d.live.enabled)
	d.live.mu.RUnlock()
	if n == 0 {
		return res
	}
	out := slices.Clone(res)
	for i := range out {
		name, en := get(&out[i])
		*en = d.enabledOverride(t, name, *en)
	}
	return out
}

// liveMedia filters deleted volumes.
func (d *Director) mediaDeleted(id uint64) bool {
	d.live.mu.RLock()
	defer d.live.mu.RUnlock()
	return d.live.delMedia[id]
}

func (d *Director) livePools() []dircmd.PoolRecord {
	pools := d.poolSnapshot()
	d.live.mu.RLock()
	defer d.live.mu.RUnlock()
	if len(d.live.delPools) == 0 {
		return pools
	}
	var out []dircmd.PoolRecord
	for _, p := range pools {
		if !d.live.delPools[p.PoolID] {
			out = append(out, p)
		}
	}
	return out
}

// liveCounts returns the jobs started and running now.
func (d *Director) liveCounts() (started uint64, running int64) {
	d.live.mu.Lock()
	defer d.live.mu.Unlock()
	d.settle()
	for _, r := range d.live.runs {
		if s := r.job.JobStatus; s == dircmd.JobStatusRunning || s == 't' {
			running++
		}
	}
	return d.live.started, running
}
