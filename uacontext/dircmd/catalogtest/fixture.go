package catalogtest

import (
	"fmt"
	"time"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Fixture is the known content that Run seeds into a catalog. The
// catalog under test must hold exactly this: the resources in their
// order, the jobs with their JobIds and unique names, the files of each
// job in backup order (their FileIds ascend in that order), the volumes
// with their MediaIds and the volumes each job wrote.
type Fixture struct {
	JobResources      []dircmd.JobResource
	ClientResources   []dircmd.ClientResource
	PoolResources     []dircmd.PoolResource
	StorageResources  []dircmd.StorageResource
	FileSetResources  []dircmd.NamedResource
	ScheduleResources []dircmd.ScheduleResource
	CatalogResources  []dircmd.NamedResource
	MessageResources  []dircmd.NamedResource

	Jobs     []dircmd.Job
	Files    []File
	Media    []dircmd.Media
	JobMedia []JobMedia
}

// File is an entry of a job's backup.
type File struct {
	JobID uint64
	// Name is the full path; a directory's own entry ends in "/".
	Name    string
	LStat   string
	MD5     string
	Deleted bool // a deletion recorded by an incremental backup
}

// JobMedia records that a job wrote to a volume.
type JobMedia struct {
	JobID  uint64
	Volume string
}

// Sizes of the fixture.
const (
	// BigDir is the directory of the fixture with BigDirFiles files, for
	// paging, streaming and cancellation.
	BigDir      = "/var/lib/big/"
	BigDirFiles = 5000
)

var t0 = time.Date(2024, 5, 1, 21, 0, 0, 0, time.UTC)

// bigName is the name of the i-th file of BigDir (sorted by i).
func bigName(i int) string { return fmt.Sprintf("f-%05d.dat", i) }

func lstat(ino, size int64, mtime time.Time, dir bool) string {
	mode := int64(0100644)
	if dir {
		mode = 040755
	}
	return dircmd.Stat{Dev: 2049, Ino: ino, Mode: mode, Nlink: 1, Size: size, Blksize: 4096,
		Blocks: (size + 511) / 512, Atime: mtime.Unix(), Mtime: mtime.Unix(), Ctime: mtime.Unix()}.Encode()
}

// newFixture builds the fixture: two clients, alpha-fd with a Full (1),
// two Incrementals (3, 4: 4 failed and has no files) and a copy of the
// Full (5); beta-fd with a Full (2); a restore job (6) without files.
func newFixture() Fixture {
	f := Fixture{
		JobResources: []dircmd.JobResource{
			{Name: "BackupAlpha", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: true, Client: "alpha-fd", Pool: "Incremental", Storage: "File", FileSet: "LinuxAll", Schedule: "WeeklyCycle", Messages: "Standard", Priority: 10},
			{Name: "BackupBeta", Type: dircmd.JobTypeBackup, Level: dircmd.LevelIncremental, Enabled: false, Client: "beta-fd", Pool: "Incremental", Storage: "File", FileSet: "LinuxAll", Messages: "Standard", Priority: 10},
			{Name: "RestoreFiles", Type: dircmd.JobTypeRestore, Level: dircmd.LevelFull, Enabled: true, Client: "alpha-fd", Pool: "Incremental", Storage: "File", FileSet: "LinuxAll", Messages: "Standard", Priority: 10},
		},
		ClientResources: []dircmd.ClientResource{
			{Name: "alpha-fd", Address: "alpha.example.com", Port: 9102, Enabled: true},
			{Name: "beta-fd", Address: "beta.example.com", Port: 9102, Enabled: false},
		},
		PoolResources:     []dircmd.PoolResource{{Name: "Full", PoolType: "Backup"}, {Name: "Incremental", PoolType: "Backup"}, {Name: "Scratch", PoolType: "Scratch"}},
		StorageResources:  []dircmd.StorageResource{{Name: "File", Address: "sd.example.com", Port: 9103, MediaType: "File", Enabled: true}},
		FileSetResources:  []dircmd.NamedResource{{Name: "LinuxAll"}},
		ScheduleResources: []dircmd.ScheduleResource{{Name: "WeeklyCycle", Enabled: true}},
		CatalogResources:  []dircmd.NamedResource{{Name: "MyCatalog"}},
		MessageResources:  []dircmd.NamedResource{{Name: "Standard"}},
	}
	job := func(id uint64, name, client string, typ, level, status byte, start time.Time, files uint64, pool string) dircmd.Job {
		return dircmd.Job{JobID: id, Job: fmt.Sprintf("%s.%s_%02d", name, start.Format("2006-01-02_15.04.05"), id),
			Name: name, Type: typ, Level: level, Client: client, JobStatus: status,
			SchedTime: start, StartTime: start, EndTime: start.Add(10 * time.Minute), RealEndTime: start.Add(10 * time.Minute),
			JobTDate: start.Add(10 * time.Minute).Unix(), VolSessionID: id, VolSessionTime: uint64(t0.Unix()),
			JobFiles: files, JobBytes: files * 4096, Pool: pool, FileSet: "LinuxAll"}
	}
	f.Jobs = []dircmd.Job{
		job(1, "BackupAlpha", "alpha-fd", dircmd.JobTypeBackup, dircmd.LevelFull, dircmd.JobStatusTerminated, t0, 13+BigDirFiles, "Full"),
		job(2, "BackupBeta", "beta-fd", dircmd.JobTypeBackup, dircmd.LevelFull, dircmd.JobStatusTerminated, t0.Add(time.Hour), 3, "Full"),
		job(3, "BackupAlpha", "alpha-fd", dircmd.JobTypeBackup, dircmd.LevelIncremental, dircmd.JobStatusTerminated, t0.Add(24*time.Hour), 4, "Incremental"),
		job(4, "BackupAlpha", "alpha-fd", dircmd.JobTypeBackup, dircmd.LevelIncremental, dircmd.JobStatusError, t0.Add(48*time.Hour), 0, "Incremental"),
		job(5, "BackupAlpha", "alpha-fd", dircmd.JobTypeJobCopy, dircmd.LevelFull, dircmd.JobStatusTerminated, t0.Add(72*time.Hour), 1, "Full"),
		job(6, "RestoreFiles", "alpha-fd", dircmd.JobTypeRestore, dircmd.LevelFull, dircmd.JobStatusTerminated, t0.Add(96*time.Hour), 0, ""),
	}
	f.Jobs[4].PriorJobID = 1
	f.Jobs[5].Pool = ""

	ino := int64(100)
	add := func(jobID uint64, name string, at time.Time, deleted bool) {
		ino++
		e := File{JobID: jobID, Name: name, Deleted: deleted}
		if !deleted {
			dir := name[len(name)-1] == '/'
			e.LStat = lstat(ino, 1000+ino, at, dir)
			if !dir {
				e.MD5 = fmt.Sprintf("md5-%d-%d", jobID, ino)
			}
		}
		f.Files = append(f.Files, e)
	}
	for _, n := range []string{"/etc/hosts", "/etc/passwd", "/etc/", "/etc/ssh/sshd_config", "/etc/ssh/",
		"/home/alice/notes.txt", "/home/alice/", "/home/", "/", BigDir} {
		add(1, n, t0, false)
	}
	for i := range BigDirFiles {
		add(1, BigDir+bigName(i), t0, false)
	}
	add(1, "/var/lib/", t0, false)
	add(1, "/var/", t0, false)
	add(1, "/etc/motd", t0, false)
	for _, n := range []string{"/data/a.txt", "/data/", "/"} {
		add(2, n, t0.Add(time.Hour), false)
	}
	add(3, "/etc/hosts", t0.Add(24*time.Hour), false)
	add(3, "/etc/group", t0.Add(24*time.Hour), false)
	add(3, "/etc/passwd", t0.Add(24*time.Hour), true)
	add(3, "/srv/new/file.txt", t0.Add(24*time.Hour), false) // no directory entries: /srv/ has no attributes
	add(5, "/etc/hosts", t0, false)

	f.Media = []dircmd.Media{
		{MediaID: 1, VolumeName: "Full-0001", Pool: "Full", MediaType: "File", Storage: "File", VolStatus: "Full", Enabled: 1, Recycle: true, VolJobs: 2, VolBytes: 1 << 30, FirstWritten: t0, LastWritten: t0.Add(time.Hour), LabelDate: t0},
		{MediaID: 2, VolumeName: "Incr-0001", Pool: "Incremental", MediaType: "File", Storage: "File", VolStatus: "Append", Enabled: 1, Recycle: true, VolJobs: 1, VolBytes: 1 << 20, FirstWritten: t0.Add(24 * time.Hour), LastWritten: t0.Add(24 * time.Hour), LabelDate: t0},
		{MediaID: 3, VolumeName: "Full-0002", Pool: "Full", MediaType: "File", Storage: "File", VolStatus: "Append", Enabled: 1, Recycle: true, InChanger: true, Slot: 2, VolJobs: 1, VolBytes: 1 << 29, FirstWritten: t0.Add(72 * time.Hour), LastWritten: t0.Add(72 * time.Hour), LabelDate: t0},
	}
	f.JobMedia = []JobMedia{{1, "Full-0001"}, {2, "Full-0001"}, {3, "Incr-0001"}, {5, "Full-0002"}}
	return f
}
