package dircmd

import "context"

// RestoreFile is one row of a job's file list: a file, or with an empty
// Name the row of the directory Path itself. Path is a directory with
// its trailing slash ("/etc/"); LStat is the file's encoded attributes
// (see DecodeStat).
type RestoreFile struct {
	Path      string
	Name      string
	JobID     uint64
	FileIndex int32
	LStat     string
	// DeltaSeq numbers the parts of a file saved as deltas (0: a whole
	// file).
	DeltaSeq int32
}

// RestoreCatalog is the catalog capability of the restore command: the
// file lists its tree is built from. A Catalog without it has no file
// records, as if the retention policy had pruned them all: restore then
// offers only to restore everything.
type RestoreCatalog interface {
	// RestoreFileList calls fn for the newest version (by the jobs'
	// JobTDate) of every file and directory of the jobs, deleted files
	// left out, ordered by the JobTDate of their job and then by
	// FileIndex (the Director's GetFileList), until fn returns an error,
	// which it returns.
	RestoreFileList(ctx context.Context, jobIDs []uint64, fn func(RestoreFile) error) error
	// RestoreDirFiles calls fn for every row a job has in exactly the
	// directory dir (its files and the directory's own row), in
	// FileIndex order, until fn returns an error, which it returns. An
	// unknown job or directory has no rows.
	RestoreDirFiles(ctx context.Context, jobID uint64, dir string, fn func(RestoreFile) error) error
}

// StorageDevices is an optional capability: the name of the first
// storage daemon device of a Storage resource, which restore shows in
// its list of required volumes. Without it the column stays empty.
type StorageDevices interface {
	StorageDevice(storage string) (device string, ok bool)
}

// RestoreOptions configure the restore command. Zero fields take the
// defaults of a Director installed from packages.
type RestoreOptions struct {
	// WorkingDirectory is where the Director writes bootstrap files
	// (their names are shown); default "/var/lib/bareos".
	WorkingDirectory string
	// ConfigPath names the configuration in the message about a missing
	// Restore Job resource; default "/etc/bareos/bareos-dir.d".
	ConfigPath string
	// MaxTreeFiles bounds the files and directories of a restore tree
	// (about 150 bytes each); zero means 4,000,000.
	MaxTreeFiles int
}

func (o RestoreOptions) withDefaults() RestoreOptions {
	if o.WorkingDirectory == "" {
		o.WorkingDirectory = "/var/lib/bareos"
	}
	if o.ConfigPath == "" {
		o.ConfigPath = "/etc/bareos/bareos-dir.d"
	}
	return o
}
