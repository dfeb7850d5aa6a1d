package dircmd

import (
	"context"
	"iter"
	"time"

	"github.com/uaformat/uaformat/uacontext"
)

// Job types and levels are the one-letter codes of the Bareos catalog.
const (
	JobTypeBackup      = 'B'
	JobTypeRestore     = 'R'
	JobTypeVerify      = 'V'
	JobTypeAdmin       = 'D'
	JobTypeArchive     = 'A'
	JobTypeCopy        = 'c' // a copy job
	JobTypeJobCopy     = 'C' // a job copied by a copy job
	JobTypeMigrate     = 'g' // a migration job
	JobTypeMigratedJob = 'M' // a job migrated by a migration job
	JobTypeConsolidate = 'O'

	LevelFull         = 'F'
	LevelIncremental  = 'I'
	LevelDifferential = 'D'

	JobStatusTerminated = 'T'
	JobStatusWarnings   = 'W'
	JobStatusError      = 'E'
	JobStatusFatal      = 'f'
	JobStatusCanceled   = 'A'
	JobStatusRunning    = 'R'
	JobStatusCreated    = 'C'
)

// ErrNotFound is returned (possibly wrapped) by Catalog lookups of records
// that do not exist. The commands treat it as "no such record" (as the
// Director treats a lookup that finds nothing: an empty listing, or its
// message for the missing item), not as a failure of the catalog; every
// other error of a Catalog method fails the command and reaches the
// console as "Query failed: <error>". It is uacontext.ErrNotFound.
var ErrNotFound = uacontext.ErrNotFound

// JobResource is a Job resource of the Director configuration.
type JobResource struct {
	Name     string
	Type     byte // JobTypeBackup ...
	Level    byte // default level
	Enabled  bool
	Client   string
	Pool     string
	Storage  string
	FileSet  string
	Schedule string
	Messages string
	Priority int
	// Where is the restore location of restore jobs (the Where
	// directive); "" is unset.
	Where string
}

// ClientResource is a Client resource.
type ClientResource struct {
	Name    string
	Address string
	Port    int
	Enabled bool
}

// PoolResource is a Pool resource.
type PoolResource struct {
	Name     string
	PoolType string // "Backup", "Scratch", ...
}

// StorageResource is a Storage resource.
type StorageResource struct {
	Name      string
	Address   string
	Port      int
	MediaType string
	Enabled   bool
}

// ScheduleResource is a Schedule resource.
type ScheduleResource struct {
	Name    string
	Enabled bool
}

// NamedResource is a resource of which only the name is listed (FileSet,
// Catalog, Messages).
type NamedResource struct {
	Name string
}

// Resources is the configuration side of a Director: its resources in
// configuration order. Implementations must be safe for concurrent use;
// the returned slices must not be modified by the caller.
type Resources interface {
	Jobs() []JobResource
	Clients() []ClientResource
	Pools() []PoolResource
	Storages() []StorageResource
	FileSets() []NamedResource
	Schedules() []ScheduleResource
	Catalogs() []NamedResource
	MessageResources() []NamedResource
}

// Job is a row of the catalog's Job table (joined with Client, Pool and
// FileSet names). A zero time is NULL.
type Job struct {
	JobID           uint64
	Job             string // unique job name, e.g. "BackupClient1.2024-05-01_21.10.00_03"
	Name            string // job resource name
	Type            byte
	Level           byte
	ClientID        uint64
	Client          string // "" if the job has no client
	JobStatus       byte
	SchedTime       time.Time
	StartTime       time.Time
	EndTime         time.Time
	RealEndTime     time.Time
	JobTDate        int64
	VolSessionID    uint64
	VolSessionTime  uint64
	JobFiles        uint64
	JobBytes        uint64
	JobErrors       uint64
	JobMissingFiles uint64
	PurgedFiles     uint64
	PoolID          uint64
	Pool            string // "" if none
	PriorJobID      uint64
	FileSetID       uint64
	FileSet         string // "" if none
}

// JobQuery selects jobs for "list jobs". Zero fields do not filter.
type JobQuery struct {
	JobID    uint64
	Name     string
	Client   string
	Statuses []byte // JobStatus IN
	Levels   []byte // Level IN
	Types    []byte // Type IN
	Volume   string // jobs that wrote to this volume
	Pool     string // jobs of this pool
	Since    time.Time
	// Last keeps only the newest job (highest JobID) of each job name
	// among the selected ones.
	Last bool
	// Descending sorts by StartTime descending instead of ascending (jobs
	// without a start time come last when ascending, first when
	// descending).
	Descending bool
	// Range: when HasLimit, at most Limit jobs after skipping Offset.
	HasLimit bool
	Limit    uint64
	Offset   uint64
}

// ClientRecord is a row of the catalog's Client table.
type ClientRecord struct {
	ClientID      uint64
	Name          string
	Uname         string
	AutoPrune     bool
	FileRetention uint64
	JobRetention  uint64
}

// PoolRecord is a row of the catalog's Pool table.
type PoolRecord struct {
	PoolID          uint64
	Name            string
	NumVols         uint64
	MaxVols         uint64
	UseOnce         bool
	UseCatalog      bool
	AcceptAnyVolume bool
	VolRetention    uint64
	VolUseDuration  uint64
	MaxVolJobs      uint64
	MaxVolBytes     uint64
	AutoPrune       bool
	Recycle         bool
	PoolType        string
	LabelFormat     string
	Enabled         bool
	ScratchPoolID   uint64
	RecyclePoolID   uint64
	LabelType       uint64
}

// Media is a row of the catalog's Media table (a volume).
type Media struct {
	MediaID          uint64
	VolumeName       string
	Slot             int64
	PoolID           uint64
	Pool             string
	MediaType        string
	FirstWritten     time.Time
	LastWritten      time.Time
	LabelDate        time.Time
	VolJobs          uint64
	VolFiles         uint64
	VolBlocks        uint64
	VolMounts        uint64
	VolBytes         uint64
	VolErrors        uint64
	VolWrites        uint64
	VolCapacityBytes uint64
	VolStatus        string // "Append", "Full", "Used", "Recycle", "Purged", "Error"
	Enabled          int64  // 1 enabled, 0 disabled, 2 archived
	Recycle          bool
	VolRetention     uint64
	VolUseDuration   uint64
	MaxVolJobs       uint64
	MaxVolFiles      uint64
	MaxVolBytes      uint64
	InChanger        bool
	EndFile          uint64
	EndBlock         uint64
	LabelType        uint64
	StorageID        uint64
	Storage          string // "" if none
	DeviceID         uint64
	LocationID       uint64
	RecycleCount     uint64
	InitialWrite     time.Time
	ScratchPoolID    uint64
	ScratchPool      string
	RecyclePoolID    uint64
	RecyclePool      string
	Comment          string
	Encrypted        bool // has an encryption key
}

// MediaQuery selects volumes. Zero fields do not filter.
type MediaQuery struct {
	VolumeName string
	MediaID    uint64
	PoolID     uint64
	HasLimit   bool
	Limit      uint64
	Offset     uint64
}

// JobMedia links a job to a volume it wrote.
type JobMedia struct {
	JobMediaID uint64
	JobID      uint64
	MediaID    uint64
	VolumeName string
}

// StorageRecord is a row of the catalog's Storage table.
type StorageRecord struct {
	StorageID   uint64
	Name        string
	AutoChanger bool
}

// BvfsEntry is one row of a bvfs listing. For directories (Type 'D')
// Name is the full path ("/etc/", or "." and ".." for the special
// entries); for files (Type 'F') it is the file name; for file versions
// (Type 'V', from BvfsVersions) it is the file name too and MD5,
// VolumeName and VolumeInChanger describe the version. Entries without
// attributes (a directory that was not backed up itself) have HasAttr
// false; their JobID, FileID and LStat are then ignored.
type BvfsEntry struct {
	Type    byte
	PathID  uint64
	Name    string
	HasAttr bool
	JobID   uint64
	FileID  uint64
	LStat   string

	// Versions only.
	MD5             string
	VolumeName      string
	VolumeInChanger bool
}

// BvfsQuery selects a bvfs listing: the entries of directory PathID as
// seen by the given jobs, sorted as the Director sorts them, then paged.
// Limit and Offset come from the console and may be hostile: an
// implementation must never allocate according to them.
type BvfsQuery struct {
	JobIDs  []uint64
	PathID  uint64
	Pattern string // files only: regular expression on the name ("" = all)
	Limit   int64  // negative: no entries
	Offset  int64
}

// BvfsVersionQuery selects the versions of one file of a client for
// .bvfs_versions: every version of file Name in directory PathID backed
// up by the client's backup and archive jobs (with Copies also by copy
// jobs, Type 'C') that wrote to a volume, ordered by FileId, then paged
// like BvfsQuery.
type BvfsVersionQuery struct {
	Client string
	// JobIDs, if not nil, keeps only the versions of these jobs (the
	// jobs of the client the console may see).
	JobIDs []uint64
	PathID uint64
	Name   string
	Copies bool // include the versions of copy jobs
	Limit  int64
	Offset int64
}

// ScheduledRun is a job run the scheduler will start.
type ScheduledRun struct {
	Job      string
	Type     byte
	Level    byte
	Priority int
	Time     time.Time
	Pool     string
	Storage  string
	Volume   string // "" is shown as "*unknown*"
}

// TerminatedJob is an entry of the Director's list of recently finished
// jobs (shown by "status director").
type TerminatedJob struct {
	JobID    uint64
	Job      string // unique job name
	Type     byte
	Level    byte
	Status   byte
	Files    uint64
	Bytes    uint64
	Finished time.Time
}

// DirectorStatus is the run-time part of the "status director" header
// (name and version come from the session's uacontext.DirectorInfo).
type DirectorStatus struct {
	BinaryInfo string    // e.g. "self-compiled"
	Started    time.Time // daemon start
	JobsRun    uint64    // jobs run since the start
	Running    int64     // jobs running now
	Warnings   bool      // the configuration has warnings
}

// Catalog is what Commands serves: the configuration resources, which
// every Director has (an empty Resources is valid), plus any of the
// capability interfaces of this package, which Commands discovers with
// type assertions once, when it builds the commands:
//
//   - JobRecords: list jobs, list jobtotals, list backups, jobid=
//     arguments everywhere, the job validation of the bvfs commands;
//   - FileRecords: list files;
//   - MediaRecords: list volumes/media, list jobmedia, volume names;
//   - ClientRecords, PoolRecords, StorageRecords: list clients, pools,
//     storages, and the client= argument of list;
//   - Bvfs: .bvfs_lsdirs, .bvfs_lsfiles, .bvfs_versions;
//   - StatusReporter: the run-time part of status director;
//   - JobLogs, JobStatistics, FileSetRecords, BvfsCache, BvfsSelection,
//     MediaUpdater, FileDaemons, StorageDaemons, Configuration: the web
//     UI's commands (list joblog, list jobstatistics, list filesets,
//     .bvfs_update, .bvfs_restore, label, status client/storage, show,
//     ...);
//   - JobRunner, JobController, CatalogEditor, ResourceSwitch,
//     ExtraResources: the interactive commands (run, cancel, delete,
//     enable, disable, wait; see InteractiveCommands);
//   - RestoreCatalog, StorageDevices: restore's file lists and the
//     devices of its volume list.
//
// A command whose capability the catalog lacks answers like a Director
// that cannot open its catalog database (see the package documentation
// for each command). Implementations must be safe for concurrent use.
// Package memcatalog is a complete in-memory implementation to start
// from; package catalogtest checks an implementation.
type Catalog interface {
	Resources
}

// JobRecords is the catalog's Job table.
type JobRecords interface {
	// ListJobs returns the jobs selected by q, sorted by StartTime and
	// paged by q's range. SelectJobs implements the selection for an
	// in-memory job table.
	ListJobs(ctx context.Context, q JobQuery) ([]Job, error)
	// JobByID returns the job with the given JobId, or ErrNotFound.
	JobByID(ctx context.Context, id uint64) (Job, error)
	// JobByUnique returns the job with the given unique name, or ErrNotFound.
	JobByUnique(ctx context.Context, job string) (Job, error)
}

// FileRecords is the catalog's File table as "list files" reads it.
type FileRecords interface {
	// JobFiles calls fn with the full name of every file of a job, in
	// catalog order, until fn returns an error (which is returned). A
	// job without files (or that does not exist) calls fn never.
	JobFiles(ctx context.Context, jobID uint64, fn func(filename string) error) error
}

// MediaRecords is the catalog's Media and JobMedia tables.
type MediaRecords interface {
	// ListMedia returns the volumes selected by q ordered by MediaId.
	ListMedia(ctx context.Context, q MediaQuery) ([]Media, error)
	// JobMedia returns the volumes a job wrote (none for a job that
	// does not exist).
	JobMedia(ctx context.Context, jobID uint64) ([]JobMedia, error)
}

// ClientRecords is the catalog's Client table.
type ClientRecords interface {
	// ClientRecords returns the Client table ordered by ClientId.
	ClientRecords(ctx context.Context) ([]ClientRecord, error)
}

// PoolRecords is the catalog's Pool table.
type PoolRecords interface {
	// PoolRecords returns the Pool table ordered by PoolId.
	PoolRecords(ctx context.Context) ([]PoolRecord, error)
}

// StorageRecords is the catalog's Storage table.
type StorageRecords interface {
	// StorageRecords returns the Storage table ordered by StorageId.
	StorageRecords(ctx context.Context) ([]StorageRecord, error)
}

// Bvfs is the Director's backup virtual file system: the directory tree
// of the backed-up files that the restore browser walks. Listings are
// iterators: the commands send each entry to the console as it comes,
// so a listing of a million files is never held in memory. An iterator
// yields entries with a nil error; on failure it yields one non-nil
// error (the entry is then ignored) and stops. It must stop when the
// consumer stops (yield returns false) and should stop with ctx's error
// when ctx ends.
type Bvfs interface {
	// BvfsPathID returns the PathId of a directory path ("" is the root
	// of the tree, "/" its only child on Unix clients), or ErrNotFound.
	BvfsPathID(ctx context.Context, path string) (uint64, error)
	// BvfsLsDirs lists the directory: "." (the directory itself), ".."
	// (its parent, if any) and its sub-directories visible in the jobs,
	// each with the attributes of the newest job that has them, sorted by
	// Name (byte order) and paged.
	BvfsLsDirs(ctx context.Context, q BvfsQuery) iter.Seq2[BvfsEntry, error]
	// BvfsLsFiles lists the files of the directory: for every file name
	// the newest version among the jobs (deleted files left out), sorted
	// by name (byte order) and paged.
	BvfsLsFiles(ctx context.Context, q BvfsQuery) iter.Seq2[BvfsEntry, error]
	// BvfsVersions lists the versions (Type 'V') of one file with the
	// volume each was written to, ordered by FileId and paged.
	BvfsVersions(ctx context.Context, q BvfsVersionQuery) iter.Seq2[BvfsEntry, error]
}

// StatusReporter is the Director's run-time state that status director
// shows. Without it the Director started when Commands was called, no
// job ran, nothing is scheduled and no job terminated.
type StatusReporter interface {
	// Status returns the header data of "status director".
	Status(ctx context.Context) (DirectorStatus, error)
	// Scheduled returns the runs due within the given number of days
	// after now.
	Scheduled(ctx context.Context, now time.Time, days int) ([]ScheduledRun, error)
	// Terminated returns the recently finished jobs, oldest first.
	Terminated(ctx context.Context) ([]TerminatedJob, error)
}
