package dircmd

import (
	"context"
	"time"

	"github.com/uaformat/uaformat/uacontext"
)

// The interactive commands (run, cancel, delete, enable, disable, wait;
// see InteractiveCommands) change the Director's state. An embedder
// grants each kind of change by implementing one of the small interfaces
// below next to its Catalog; a command whose interface is missing is not
// offered.
//
// Every change is a single call made after all of a command's prompts
// were answered, so a console that disconnects, cancels or times out
// mid-prompt leaves the state as it was. Implementations must apply each
// call atomically and be safe for concurrent use.

// RunRequest is a job the run command (or restore) asks the Director to
// start, with every choice already resolved against the configuration.
type RunRequest struct {
	Job      string    // Job resource name
	Type     byte      // JobTypeBackup, JobTypeRestore, ...
	Level    byte      // LevelFull, ...; ' ' for types without a level
	Client   string    // Client resource ("Restore Client" for restores)
	FileSet  string    // FileSet resource
	Pool     string    // Pool resource
	Storage  string    // Storage resource ("" for none)
	When     time.Time // scheduled start time (SchedTime)
	Priority int
	Comment  string

	// Restore parameters (Type JobTypeRestore).
	BackupClient  string   // the client whose backup is restored
	Where         string   // restore location prefix
	RegexWhere    string   // file relocation (used instead of Where when set)
	Replace       string   // "Always", "IfNewer", "IfOlder", "Never"
	RestoreJobIDs []uint64 // the jobs whose files are restored
	Files         uint64   // number of files selected for restore
	Bootstrap     string   // bootstrap file, if any
	PluginOptions string
}

// JobRunner starts jobs (run, restore).
type JobRunner interface {
	// RunJob queues the job and returns its new JobId. The job must then
	// appear in the catalog (list jobs) and, until it ends, among the
	// running jobs.
	RunJob(ctx context.Context, req RunRequest) (jobID uint64, err error)
}

// RunningJob is a job the Director has queued or is running (its job
// control record).
type RunningJob struct {
	JobID     uint64
	Job       string // unique job name
	Name      string // Job resource name
	Type      byte
	Level     byte
	Status    byte // JobStatusCreated (waiting for its start time), JobStatusRunning, ...
	Client    string
	Storage   string
	SchedTime time.Time
	StartTime time.Time // zero until it starts
	Files     uint64
	Bytes     uint64
	Comment   string
	// Connected reports whether daemons work on the job (a running job
	// that has connected to its File and Storage daemons): canceling it
	// is then confirmed by the daemons.
	Connected bool
}

// JobController lists and cancels the jobs the Director runs (cancel,
// wait, status director).
type JobController interface {
	// RunningJobs returns the queued and running jobs in JobId order.
	RunningJobs(ctx context.Context) ([]RunningJob, error)
	// CancelJob cancels a queued or running job and returns it as it was
	// before; ErrNotFound (uacontext.ErrNotFound) if it is not running.
	CancelJob(ctx context.Context, jobID uint64) (RunningJob, error)
}

// CatalogEditor deletes catalog records (delete).
type CatalogEditor interface {
	// DeleteJobs removes the jobs and their file, job-media and log
	// records. Ids without a job are ignored.
	DeleteJobs(ctx context.Context, ids []uint64) error
	// DeleteVolume removes the volume; unless purge is false, also the
	// jobs on it, whose ids it returns.
	DeleteVolume(ctx context.Context, mediaID uint64, purge bool) (jobIDs []uint64, err error)
	// DeletePool removes the pool record.
	DeletePool(ctx context.Context, poolID uint64) error
}

// ResourceSwitch enables and disables resources until the next reload
// (enable, disable). The change must show in the Resources (Enabled
// fields) at once.
type ResourceSwitch interface {
	// SetEnabled enables or disables the Job, Client or Schedule
	// resource (uacontext.ResJob, ResClient, ResSchedule) called name.
	SetEnabled(ctx context.Context, t uacontext.ResourceType, name string, enabled bool) error
}
