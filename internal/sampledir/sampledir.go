// Package sampledir is a deterministic sample Bareos Director: a set of
// configuration resources (clients, jobs, pools, storages, filesets,
// schedules, a catalog and message resources) and a generated catalog of
// jobs, volumes and backed-up files, built from a seed. It implements
// dircmd.Catalog, so the Director commands of package dircmd can serve it
// to real Bareos consoles.
//
// The same Options always produce the same Director. Size controls the
// number of jobs; the file tree of the client "bareos-fd" has a directory
// /var/lib/bigdir/ whose number of files (BigDirFiles) can be made very
// large for performance tests: its entries are computed on demand, not
// stored.
package sampledir

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Options configure New. Zero fields take defaults.
type Options struct {
	// Seed selects the generated catalog (default 1).
	Seed uint64
	// Size is the number of jobs in the catalog (default 250).
	Size int
	// BigDirFiles is the number of files in /var/lib/bigdir/ of the
	// client bareos-fd, backed up by its Full jobs (default 400 per job
	// of Size, i.e. 100,000 for the default size; negative: none).
	BigDirFiles int
	// Start is the time of the first job (default 2024-01-01 21:00 UTC).
	Start time.Time
	// Now is the clock of the Director (default: the time after the last
	// job); it decides "status director" and the durations of running
	// jobs.
	Now func() time.Time
	// Password is the Director's password, which show prints in its
	// Director resource and the default console (default "secret").
	Password string
	// Clock is the real clock that times the jobs started by run
	// (default time.Now), and RunDuration how long they run (default
	// DefaultRunDuration).
	Clock       func() time.Time
	RunDuration time.Duration
}

// Name is the sample Director's name.
const Name = "bareos-dir"

// Director is the sample Director. Its generated configuration and
// catalog are immutable after New; what consoles change (jobs run,
// canceled and deleted, volumes and pools deleted, resources enabled or
// disabled) is kept in memory on top (see live.go). It is safe for
// concurrent use.
type Director struct {
	opts    Options
	started time.Time
	live    liveState

	jobRes    []dircmd.JobResource
	clientRes []dircmd.ClientResource
	poolRes   []dircmd.PoolResource
	storeRes  []dircmd.StorageResource
	filesets  []dircmd.NamedResource
	schedules []dircmd.ScheduleResource
	catalogs  []dircmd.NamedResource
	messages  []dircmd.NamedResource
	cfg       config

	// mu guards media and pools, which the storage commands change
	// (copy on write: readers take the slices under the read lock).
	mu      sync.RWMutex
	changer *changer // the tape library of storage Tape (guarded by mu)

	logOnce sync.Once
	logIDs  []uint64 // logIDs[i]: the LogId before the first entry of job i

	clients  []dircmd.ClientRecord
	pools    []dircmd.PoolRecord
	storages []dircmd.StorageRecord
	jobs     []dircmd.Job
	media    []dircmd.Media
	jobMedia []dircmd.JobMedia

	// bvfs
	paths    []string          // paths[id-1] is the path of PathId id
	pathIDs  map[string]uint64 // path -> PathId
	parents  []uint64          // parents[id-1]: PathId of the parent (0: none)
	children [][]uint64        // children[id-1]: PathIds of the sub-directories
	trees    map[string]*tree  // per client: backed-up tree
	jobFiles []jobContent      // per job (index JobID-1)
}

// The sample has every capability of a Director's catalog.
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
	dircmd.JobLogs
	dircmd.JobStatistics
	dircmd.FileSetRecords
	dircmd.MediaUpdater
	dircmd.FileDaemons
	dircmd.StorageDaemons
	dircmd.Configuration
} = (*Director)(nil)

// New builds the sample Director.
func New(opts Options) *Director {
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Size <= 0 {
		opts.Size = 250
	}
	if opts.BigDirFiles == 0 {
		opts.BigDirFiles = 400 * opts.Size
	}
	if opts.BigDirFiles < 0 {
		opts.BigDirFiles = 0
	}
	if opts.Start.IsZero() {
		opts.Start = time.Date(2024, 1, 1, 21, 0, 0, 0, time.UTC)
	}
	if opts.Password == "" {
		opts.Password = "secret"
	}
	d := &Director{opts: opts}
	cfg, err := buildConfig(opts.Password)
	if err != nil {
		// The configuration is static; TestConfiguration keeps it valid.
		panic(err)
	}
	d.cfg = cfg
	d.changer = newChanger()
	d.resources()
	d.buildTrees()
	d.generate()
	if d.opts.Now == nil {
		end := d.opts.Start
		for _, j := range d.jobs {
			if j.EndTime.After(end) {
				end = j.EndTime
			}
		}
		now := end.Add(30 * time.Minute)
		d.opts.Now = func() time.Time { return now }
	}
	d.started = d.opts.Now().Add(-36 * time.Hour).Truncate(time.Minute)
	return d
}

// Now returns the Director's clock.
func (d *Director) Now() time.Time { return d.opts.Now() }

type clientSpec struct {
	name, addr, uname string
	enabled           bool
	job               string // its backup job
	fileset           string
	kind              string // tree template
}

var clientSpecs = []clientSpec{
	{"bareos-fd", "localhost", "25.0.0 (21Aug26) Debian GNU/Linux 12 (bookworm),debian", true, "BackupClient1", "SelfTest", "server"},
	{"web01-fd", "web01.example.com", "24.0.1 (03Mar25) Debian GNU/Linux 12 (bookworm),debian", true, "backup-web01", "LinuxAll", "web"},
	{"db01-fd", "db01.example.com", "24.0.1 (03Mar25) Rocky Linux 9.4 (Blue Onyx),redhat", true, "backup-db01", "LinuxAll", "db"},
	{"mail-fd", "mail.example.com", "23.1.2 (28Oct24) Ubuntu 22.04.4 LTS,ubuntu", true, "backup-mail", "LinuxAll", "mail"},
	{"fileserver-fd", "files.example.com", "25.0.0 (21Aug26) Debian GNU/Linux 12 (bookworm),debian", true, "backup-fileserver", "LinuxAll", "files"},
	{"laptop-fd", "laptop.example.com", "22.1.6 (12Nov23) Microsoft Windows 10 Professional,windows", false, "backup-laptop", "Windows All Drives", "files"},
}

func (d *Director) resources() {
	for _, c := range clientSpecs {
		d.clientRes = append(d.clientRes, dircmd.ClientResource{Name: c.name, Address: c.addr, Port: 9102, Enabled: c.enabled})
	}
	d.jobRes = []dircmd.JobResource{
		{Name: "BackupClient1", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: true, Client: "bareos-fd", Pool: "Incremental", Storage: "File", FileSet: "SelfTest", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
		{Name: "BackupCatalog", Type: dircmd.JobTypeBackup, Level: dircmd.LevelFull, Enabled: true, Client: "bareos-fd", Pool: "Full", Storage: "File", FileSet: "Catalog", Schedule: "WeeklyCycleAfterBackup", Messages: "Standard", Priority: 11},
		{Name: "RestoreFiles", Type: dircmd.JobTypeRestore, Level: dircmd.LevelFull, Enabled: true, Client: "bareos-fd", Pool: "Incremental", Storage: "File", FileSet: "LinuxAll", Messages: "Standard", Priority: 10, Where: "/tmp/bareos-restores"},
		{Name: "backup-web01", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: true, Client: "web01-fd", Pool: "Incremental", Storage: "File", FileSet: "LinuxAll", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
		{Name: "backup-db01", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: true, Client: "db01-fd", Pool: "Incremental", Storage: "File", FileSet: "LinuxAll", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
		{Name: "backup-mail", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: true, Client: "mail-fd", Pool: "Incremental", Storage: "Tape", FileSet: "LinuxAll", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
		{Name: "backup-fileserver", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: true, Client: "fileserver-fd", Pool: "Incremental", Storage: "Tape", FileSet: "LinuxAll", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
		{Name: "backup-laptop", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: false, Client: "laptop-fd", Pool: "Incremental", Storage: "File", FileSet: "Windows All Drives", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
		{Name: "VerifyClient1", Type: dircmd.JobTypeVerify, Level: 'V', Enabled: true, Client: "bareos-fd", Pool: "Incremental", Storage: "File", FileSet: "SelfTest", Messages: "Standard", Priority: 10},
	}
	d.poolRes = []dircmd.PoolResource{
		{Name: "Full", PoolType: "Backup"},
		{Name: "Differential", PoolType: "Backup"},
		{Name: "Incremental", PoolType: "Backup"},
		{Name: "Scratch", PoolType: "Scratch"},
	}
	d.storeRes = []dircmd.StorageResource{
		{Name: "File", Address: "bareos-sd.example.com", Port: 9103, MediaType: "File", Enabled: true},
		{Name: "Tape", Address: "bareos-sd.example.com", Port: 9103, MediaType: "LTO-6", Enabled: true},
	}
	d.filesets = []dircmd.NamedResource{{Name: "Catalog"}, {Name: "LinuxAll"}, {Name: "SelfTest"}, {Name: "Windows All Drives"}, {Name: "PostgreSQL"}}
	d.schedules = []dircmd.ScheduleResource{
		{Name: "WeeklyCycle", Enabled: true},
		{Name: "WeeklyCycleAfterBackup", Enabled: true},
		{Name: "MonthlyArchive", Enabled: false},
	}
	d.catalogs = []dircmd.NamedResource{{Name: "MyCatalog"}}
	d.messages = []dircmd.NamedResource{{Name: "Standard"}, {Name: "Daemon"}}

	for i, c := range clientSpecs {
		d.clients = append(d.clients, dircmd.ClientRecord{
			ClientID: uint64(i + 1), Name: c.name, Uname: c.uname, AutoPrune: true,
			FileRetention: 5184000, JobRetention: 15552000,
		})
	}
	d.pools = []dircmd.PoolRecord{
		poolRecord(1, "Full", "Backup", "Full-", 100, 31536000, 50<<30),
		poolRecord(2, "Differential", "Backup", "Differential-", 100, 7776000, 20<<30),
		poolRecord(3, "Incremental", "Backup", "Incremental-", 100, 2592000, 5<<30),
		poolRecord(4, "Scratch", "Scratch", "", 0, 31536000, 0),
	}
	d.storages = []dircmd.StorageRecord{{StorageID: 1, Name: "File"}, {StorageID: 2, Name: "Tape", AutoChanger: true}}
}

func poolRecord(id uint64, name, typ, label string, maxVols, retention, maxBytes uint64) dircmd.PoolRecord {
	return dircmd.PoolRecord{
		PoolID: id, Name: name, MaxVols: maxVols, UseCatalog: true, VolRetention: retention,
		MaxVolBytes: maxBytes, AutoPrune: true, Recycle: true, PoolType: typ, LabelFormat: label,
		Enabled: true,
	}
}

// Jobs returns the Job resources.
func (d *Director) Jobs() []dircmd.JobResource {
	return withEnabled(d, uacontext.ResJob, d.jobRes, func(j *dircmd.JobResource) (string, *bool) { return j.Name, &j.Enabled })
}

// Clients returns the Client resources.
func (d *Director) Clients() []dircmd.ClientResource {
	return withEnabled(d, uacontext.ResClient, d.clientRes, func(c *dircmd.ClientResource) (string, *bool) { return c.Name, &c.Enabled })
}

// Pools returns the Pool resources.
func (d *Director) Pools() []dircmd.PoolResource { return d.poolRes }

// Storages returns the Storage resources.
func (d *Director) Storages() []dircmd.StorageResource { return d.storeRes }

// FileSets returns the FileSet resources.
func (d *Director) FileSets() []dircmd.NamedResource { return d.filesets }

// Schedules returns the Schedule resources.
func (d *Director) Schedules() []dircmd.ScheduleResource {
	return withEnabled(d, uacontext.ResSchedule, d.schedules, func(s *dircmd.ScheduleResource) (string, *bool) { return s.Name, &s.Enabled })
}

// Catalogs returns the Catalog resources.
func (d *Director) Catalogs() []dircmd.NamedResource { return d.catalogs }

// MessageResources returns the Messages resources.
func (d *Director) MessageResources() []dircmd.NamedResource { return d.messages }

// hash64 mixes values into a deterministic pseudo-random number.
func hash64(vals ...uint64) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, v := range vals {
		for i := range 8 {
			b[i] = byte(v >> (8 * i))
		}
		h.Write(b[:])
	}
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

// generate creates the job history, volumes and job media.
func (d *Director) generate() {
	rng := rand.New(rand.NewPCG(d.opts.Seed, d.opts.Seed^0x9e3779b97f4a7c15))
	type volState struct {
		idx  int // index into d.media
		free uint64
	}
	current := map[string]*volState{}
	volCount := map[string]int{}
	newVolume := func(pool string, when time.Time) *volState {
		var pr dircmd.PoolRecord
		for _, p := range d.pools {
			if p.Name == pool {
				pr = p
			}
		}
		volCount[pool]++
		m := dircmd.Media{
			MediaID:    uint64(len(d.media) + 1),
			VolumeName: fmt.Sprintf("%s%04d", pr.LabelFormat, volCount[pool]),
			PoolID:     pr.PoolID, Pool: pr.Name, MediaType: "File",
			FirstWritten: when, LabelDate: when.Add(-time.Minute), VolStatus: "Append", Enabled: 1,
			Recycle: true, VolRetention: pr.VolRetention, MaxVolBytes: pr.MaxVolBytes,
			StorageID: 1, Storage: "File", InitialWrite: when, VolCapacityBytes: 0,
		}
		d.media = append(d.media, m)
		d.pools[pr.PoolID-1].NumVols++
		return &volState{idx: len(d.media) - 1, free: pr.MaxVolBytes}
	}
	// Some scratch tapes in the library.
	for i := range 6 {
		d.media = append(d.media, dircmd.Media{
			MediaID: uint64(len(d.media) + 1), VolumeName: fmt.Sprintf("ABC%03dL6", i+1),
			Slot: int64(i + 1), PoolID: 4, Pool: "Scratch", MediaType: "LTO-6",
			LabelDate: d.opts.Start.Add(-72 * time.Hour), VolStatus: "Append", Enabled: 1,
			Recycle: true, VolRetention: 31536000, InChanger: true, StorageID: 2, Storage: "Tape",
			VolCapacityBytes: 2500000000000,
		})
		d.pools[3].NumVols++
	}
	write := func(j *dircmd.Job, when time.Time) {
		remaining := j.JobBytes
		for {
			vs := current[j.Pool]
			if vs == nil || vs.free == 0 {
				if vs != nil {
					m := &d.media[vs.idx]
					m.VolStatus = "Full"
				}
				vs = newVolume(j.Pool, when)
				current[j.Pool] = vs
			}
			n := min(remaining, vs.free)
			vs.free -= n
			m := &d.media[vs.idx]
			m.VolBytes += n
			m.VolJobs++
			m.VolFiles += 1 + n/(1<<30)
			m.VolBlocks += n / 64512
			m.VolWrites += n/64512 + 1
			m.VolMounts = 1
			m.LastWritten = j.EndTime
			m.EndFile = m.VolFiles
			d.jobMedia = append(d.jobMedia, dircmd.JobMedia{
				JobMediaID: uint64(len(d.jobMedia) + 1), JobID: j.JobID, MediaID: m.MediaID, VolumeName: m.VolumeName,
			})
			remaining -= n
			if remaining == 0 {
				break
			}
		}
	}

	jobID := uint64(0)
	var fileID uint64
	add := func(res string, typ, level, status byte, start time.Time, dur time.Duration, files, bytes uint64, client, pool, fileset string) *dircmd.Job {
		jobID++
		var clientID, poolID, filesetID uint64
		for _, c := range d.clients {
			if c.Name == client {
				clientID = c.ClientID
			}
		}
		for _, p := range d.pools {
			if p.Name == pool {
				poolID = p.PoolID
			}
		}
		for i, f := range d.filesets {
			if f.Name == fileset {
				filesetID = uint64(i + 1)
			}
		}
		sched := start.Add(-time.Duration(rng.IntN(3)) * time.Second)
		j := dircmd.Job{
			JobID: jobID, Name: res, Type: typ, Level: level, JobStatus: status,
			Job:      fmt.Sprintf("%s.%s_%02d", res, sched.Format("2006-01-02_15.04.05"), jobID%100),
			ClientID: clientID, Client: client, SchedTime: sched, StartTime: start,
			EndTime: start.Add(dur), RealEndTime: start.Add(dur), JobTDate: start.Add(dur).Unix(),
			VolSessionID: jobID, VolSessionTime: uint64(d.opts.Start.Unix()) - 3600,
			JobFiles: files, JobBytes: bytes, PoolID: poolID, Pool: pool,
			FileSetID: filesetID, FileSet: fileset,
		}
		if status == dircmd.JobStatusError || status == dircmd.JobStatusFatal {
			j.JobErrors = 1 + uint64(rng.IntN(3))
		}
		d.jobs = append(d.jobs, j)
		return &d.jobs[len(d.jobs)-1]
	}

	backupClients := []int{0, 1, 2, 3, 4, 5}
	for day := 0; len(d.jobs) < d.opts.Size; day++ {
		date := d.opts.Start.AddDate(0, 0, day)
		wd := date.Weekday()
		level := byte(dircmd.LevelIncremental)
		if wd == time.Saturday {
			level = dircmd.LevelDifferential
			if date.Day() <= 7 {
				level = dircmd.LevelFull
			}
		}
		if day == 0 {
			level = dircmd.LevelFull
		}
		offset := time.Duration(0)
		for _, ci := range backupClients {
			if len(d.jobs) >= d.opts.Size {
				break
			}
			spec := clientSpecs[ci]
			if !spec.enabled && day > 20 {
				continue // the laptop stopped being backed up
			}
			tr := d.trees[spec.name]
			lv := level
			pool := map[byte]string{dircmd.LevelFull: "Full", dircmd.LevelDifferential: "Differential", dircmd.LevelIncremental: "Incremental"}[lv]
			start := date.Add(offset + time.Duration(rng.IntN(50))*time.Second)
			offset += 2 * time.Minute
			content := tr.content(uint64(len(d.jobs)+1), lv, d.opts.BigDirFiles)
			files := content.count(tr)
			bytes := content.bytes(tr)
			status := byte(dircmd.JobStatusTerminated)
			switch r := rng.IntN(100); {
			case r < 4:
				status = dircmd.JobStatusWarnings
			case r < 6:
				status = dircmd.JobStatusError
			case r < 7:
				status = dircmd.JobStatusFatal
			case r < 8:
				status = dircmd.JobStatusCanceled
			}
			dur := time.Duration(5+bytes/(80<<20)) * time.Second
			if status == dircmd.JobStatusFatal || status == dircmd.JobStatusCanceled {
				files, bytes = files/3, bytes/3
				content.partial = true
			}
			j := add(spec.job, dircmd.JobTypeBackup, lv, status, start, dur, files, bytes, spec.name, pool, spec.fileset)
			content.fileBase = fileID
			fileID += content.count(tr) + 1
			d.jobFiles = append(d.jobFiles, content)
			if bytes > 0 {
				write(j, j.EndTime)
			}
		}
		if len(d.jobs) < d.opts.Size {
			start := date.Add(offset + 10*time.Minute)
			tr := d.trees["catalog"]
			content := tr.content(uint64(len(d.jobs)+1), dircmd.LevelFull, 0)
			bytes := content.bytes(tr)
			j := add("BackupCatalog", dircmd.JobTypeBackup, dircmd.LevelFull, dircmd.JobStatusTerminated, start,
				time.Duration(3+bytes/(60<<20))*time.Second, content.count(tr), bytes, "bareos-fd", "Full", "Catalog")
			content.fileBase = fileID
			fileID += content.count(tr) + 1
			d.jobFiles = append(d.jobFiles, content)
			write(j, j.EndTime)
		}
		if day%9 == 4 && len(d.jobs) < d.opts.Size {
			start := date.Add(-8 * time.Hour)
			files := uint64(3 + rng.IntN(40))
			add("RestoreFiles", dircmd.JobTypeRestore, dircmd.LevelFull, dircmd.JobStatusTerminated, start,
				time.Duration(4+rng.IntN(30))*time.Second, files, files*uint64(20000+rng.IntN(900000)), "bareos-fd", "", "")
			d.jobFiles = append(d.jobFiles, jobContent{})
		}
	}
}

// index of the job in d.jobs, or -1.
func (d *Director) jobIndex(id uint64) int {
	if id == 0 || id > uint64(len(d.jobs)) || d.isDeleted(id) {
		return -1
	}
	return int(id - 1)
}

// ListJobs implements dircmd.JobRecords.
func (d *Director) ListJobs(ctx context.Context, q dircmd.JobQuery) ([]dircmd.Job, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return dircmd.SelectJobs(d.allJobs(), q, d.wroteVolume), nil
}

func (d *Director) wroteVolume(jobID uint64, volume string) bool {
	for _, jm := range d.jobMedia {
		if jm.JobID == jobID && jm.VolumeName == volume {
			return true
		}
	}
	return false
}

// JobByID implements dircmd.JobRecords.
func (d *Director) JobByID(_ context.Context, id uint64) (dircmd.Job, error) {
	i := d.jobIndex(id)
	if i < 0 {
		if j, ok := d.liveJobByID(id); ok {
			return j, nil
		}
		return dircmd.Job{}, fmt.Errorf("job %d: %w", id, dircmd.ErrNotFound)
	}
	return d.jobs[i], nil
}

// JobByUnique implements dircmd.JobRecords.
func (d *Director) JobByUnique(_ context.Context, job string) (dircmd.Job, error) {
	for _, j := range d.allJobs() {
		if j.Job == job {
			return j, nil
		}
	}
	return dircmd.Job{}, fmt.Errorf("job %q: %w", job, dircmd.ErrNotFound)
}

// ClientRecords implements dircmd.ClientRecords.
func (d *Director) ClientRecords(context.Context) ([]dircmd.ClientRecord, error) {
	return d.clients, nil
}

// PoolRecords implements dircmd.PoolRecords.
func (d *Director) PoolRecords(context.Context) ([]dircmd.PoolRecord, error) {
	return d.livePools(), nil
}

// StorageRecords implements dircmd.StorageRecords.
func (d *Director) StorageRecords(context.Context) ([]dircmd.StorageRecord, error) {
	return d.storages, nil
}

// ListMedia implements dircmd.MediaRecords.
func (d *Director) ListMedia(ctx context.Context, q dircmd.MediaQuery) ([]dircmd.Media, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []dircmd.Media
	for _, m := range d.mediaSnapshot() {
		if d.mediaDeleted(m.MediaID) {
			continue
		}
		switch {
		case q.VolumeName != "":
			if m.VolumeName != q.VolumeName {
				continue
			}
		case q.PoolID != 0:
			if m.PoolID != q.PoolID {
				continue
			}
		case q.MediaID != 0:
			if m.MediaID != q.MediaID {
				continue
			}
		}
		out = append(out, m)
	}
	if q.HasLimit && q.VolumeName == "" {
		out = dircmd.Page(out, q.Limit, q.Offset)
	}
	return out, nil
}

// JobMedia implements dircmd.MediaRecords.
func (d *Director) JobMedia(_ context.Context, jobID uint64) ([]dircmd.JobMedia, error) {
	var out []dircmd.JobMedia
	if d.isDeleted(jobID) {
		return nil, nil
	}
	for _, jm := range d.jobMedia {
		if jm.JobID == jobID && !d.mediaDeleted(jm.MediaID) {
			out = append(out, jm)
		}
	}
	return out, nil
}

// Status implements dircmd.StatusReporter.
func (d *Director) Status(context.Context) (dircmd.DirectorStatus, error) {
	started, running := d.liveCounts()
	return dircmd.DirectorStatus{
		BinaryInfo: "self-compiled",
		Started:    d.started,
		JobsRun:    uint64(min(len(d.jobs), 12)) + started,
		Running:    running,
	}, nil
}

// Scheduled implements dircmd.StatusReporter: the jobs with schedule WeeklyCycle
// run at 21:00 (Full on the first Saturday of the month, Differential on
// the other Saturdays, Incremental otherwise), BackupCatalog
// (WeeklyCycleAfterBackup) at 21:10 as Full.
func (d *Director) Scheduled(_ context.Context, now time.Time, days int) ([]dircmd.ScheduledRun, error) {
	if days < 0 {
		days = 0
	}
	days = min(days, 500)
	var out []dircmd.ScheduledRun
	enabledClient := map[string]bool{}
	for _, c := range d.Clients() {
		enabledClient[c.Name] = c.Enabled
	}
	end := now.Add(time.Duration(days) * 24 * time.Hour)
	if days == 0 {
		end = now.Add(24 * time.Hour)
	}
	for day := 0; day <= days+1; day++ {
		date := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()).AddDate(0, 0, day)
		for _, j := range d.Jobs() {
			if !j.Enabled || !enabledClient[j.Client] {
				continue
			}
			var run dircmd.ScheduledRun
			switch j.Schedule {
			case "WeeklyCycle":
				lv := byte(dircmd.LevelIncremental)
				pool := "Incremental"
				if date.Weekday() == time.Saturday {
					lv, pool = dircmd.LevelDifferential, "Differential"
					if date.Day() <= 7 {
						lv, pool = dircmd.LevelFull, "Full"
					}
				}
				run = dircmd.ScheduledRun{Job: j.Name, Type: j.Type, Level: lv, Priority: j.Priority,
					Time: date.Add(21 * time.Hour), Pool: pool, Storage: j.Storage}
			case "WeeklyCycleAfterBackup":
				run = dircmd.ScheduledRun{Job: j.Name, Type: j.Type, Level: dircmd.LevelFull, Priority: j.Priority,
					Time: date.Add(21*time.Hour + 10*time.Minute), Pool: "Full", Storage: j.Storage}
			default:
				continue
			}
			if run.Time.Before(now) || run.Time.After(end) {
				continue
			}
			run.Volume = d.appendableVolume(run.Pool)
			out = append(out, run)
		}
	}
	return out, nil
}

func (d *Director) appendableVolume(pool string) string {
	for _, m := range d.mediaSnapshot() {
		if m.Pool == pool && m.VolStatus == "Append" {
			return m.VolumeName
		}
	}
	return ""
}

// Terminated implements dircmd.StatusReporter: the last ten jobs.
func (d *Director) Terminated(context.Context) ([]dircmd.TerminatedJob, error) {
	var out []dircmd.TerminatedJob
	var done []dircmd.Job
	for _, j := range d.allJobs() {
		if j.JobStatus != dircmd.JobStatusRunning && j.JobStatus != 't' {
			done = append(done, j)
		}
	}
	for _, j := range done[max(0, len(done)-10):] {
		out = append(out, dircmd.TerminatedJob{
			JobID: j.JobID, Job: j.Job, Type: j.Type, Level: j.Level, Status: j.JobStatus,
			Files: j.JobFiles, Bytes: j.JobBytes, Finished: j.EndTime,
		})
	}
	return out, nil
}
