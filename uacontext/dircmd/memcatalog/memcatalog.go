// Package memcatalog is a complete in-memory dircmd.Catalog: the
// configuration resources of a Director plus a catalog of jobs, their
// backed-up files, volumes and run-time state, with every capability the
// commands of package dircmd read (JobRecords, FileRecords, MediaRecords,
// ClientRecords, PoolRecords, StorageRecords, Bvfs, StatusReporter) and
// the file lists of restore (RestoreCatalog).
//
// It is the starting point for an embedder: fill it with New and the Add
// methods, serve it with dircmd.Commands, and replace what your daemon
// keeps elsewhere by embedding *Catalog in your own type and overriding
// its methods (a method set is a capability; see dircmd.Catalog).
//
// A Catalog is safe for concurrent use. Listings are consistent
// snapshots: a bvfs listing streams the files that were in the catalog
// when it started, without holding a lock while the console reads.
package memcatalog

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// Resources are the configuration resources of the Director, each kind
// in configuration order.
type Resources struct {
	Jobs      []dircmd.JobResource
	Clients   []dircmd.ClientResource
	Pools     []dircmd.PoolResource
	Storages  []dircmd.StorageResource
	FileSets  []dircmd.NamedResource
	Schedules []dircmd.ScheduleResource
	Catalogs  []dircmd.NamedResource
	Messages  []dircmd.NamedResource
}

// File is an entry of a job's backup: a file, or a directory itself.
type File struct {
	// Name is the full path: "/etc/hosts" for a file, "/etc/" (with the
	// trailing slash) for the directory itself. Windows paths use
	// slashes too ("C:/Users/").
	Name string
	// Stat are the attributes; LStat, if not empty, is used as it is
	// instead (the encoded form the file daemon sent).
	Stat  dircmd.Stat
	LStat string
	// MD5 is the file's digest as the catalog stores it (base64).
	MD5 string
	// Deleted marks a file that was deleted since the previous backup
	// (Bareos's FileIndex 0): bvfs hides it and the older versions.
	Deleted bool
}

// Catalog is an in-memory catalog. The zero value is not usable; call New.
type Catalog struct {
	mu      sync.RWMutex
	res     Resources
	started time.Time

	jobs     []dircmd.Job // ordered by JobID
	byUnique map[string]int
	files    map[uint64]*jobFiles // by JobID

	ids map[string]map[string]uint64 // record kind -> name -> id

	// bvfs paths: pathIDs[p] is the PathId of directory p; paths[id-1]
	// is p, parents[id-1] the PathId of its parent (0: none), children
	// the PathIds of its sub-directories.
	paths    []string
	pathIDs  map[string]uint64
	parents  []uint64
	children [][]uint64

	media     []dircmd.Media // ordered by MediaID
	jobMedia  []dircmd.JobMedia
	scheduled []dircmd.ScheduledRun

	nextFileID uint64
}

// fileRec is a File of a job as stored.
type fileRec struct {
	pathID  uint64
	name    string // "" for the directory's own entry
	fileID  uint64
	lstat   string
	md5     string
	deleted bool
}

// jobFiles are a job's files. all is append-only (a reader's copy of the
// slice header stays valid); byDir slices are replaced, never changed.
type jobFiles struct {
	all     []fileRec
	byDir   map[uint64][]int32 // PathId -> indices into all of its files, sorted by name
	dirRec  map[uint64]int32   // PathId -> index of the directory's own entry
	visible map[uint64]bool    // PathIds with entries in or below them
}

// New returns a catalog holding the resources and no records. The
// catalog's Client, Pool and Storage records start as the resources.
func New(res Resources) *Catalog {
	c := &Catalog{
		started:  time.Now(),
		byUnique: map[string]int{},
		files:    map[uint64]*jobFiles{},
		ids:      map[string]map[string]uint64{},
		pathIDs:  map[string]uint64{},
	}
	c.SetResources(res)
	return c
}

// SetResources replaces the configuration resources (a reload). Records
// of resources that are gone stay in the catalog, as in the Director's.
func (c *Catalog) SetResources(res Resources) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.res = Resources{
		Jobs: slices.Clone(res.Jobs), Clients: slices.Clone(res.Clients), Pools: slices.Clone(res.Pools),
		Storages: slices.Clone(res.Storages), FileSets: slices.Clone(res.FileSets),
		Schedules: slices.Clone(res.Schedules), Catalogs: slices.Clone(res.Catalogs),
		Messages: slices.Clone(res.Messages),
	}
	for _, r := range res.Clients {
		c.id("client", r.Name)
	}
	for _, r := range res.Pools {
		c.id("pool", r.Name)
	}
	for _, r := range res.Storages {
		c.id("storage", r.Name)
	}
	for _, r := range res.FileSets {
		c.id("fileset", r.Name)
	}
}

// id returns the record id of name of a kind, creating the record if
// needed (0 for ""). The caller holds the write lock.
func (c *Catalog) id(kind, name string) uint64 {
	if name == "" {
		return 0
	}
	m := c.ids[kind]
	if m == nil {
		m = map[string]uint64{}
		c.ids[kind] = m
	}
	if id, ok := m[name]; ok {
		return id
	}
	id := uint64(len(m) + 1)
	m[name] = id
	return id
}

// records returns the names of a kind ordered by id.
func (c *Catalog) records(kind string) []string {
	m := c.ids[kind]
	out := make([]string, len(m))
	for name, id := range m {
		out[id-1] = name
	}
	return out
}

// Jobs implements dircmd.Resources.
func (c *Catalog) Jobs() []dircmd.JobResource { c.mu.RLock(); defer c.mu.RUnlock(); return c.res.Jobs }

// Clients implements dircmd.Resources.
func (c *Catalog) Clients() []dircmd.ClientResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.Clients
}

// Pools implements dircmd.Resources.
func (c *Catalog) Pools() []dircmd.PoolResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.Pools
}

// Storages implements dircmd.Resources.
func (c *Catalog) Storages() []dircmd.StorageResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.Storages
}

// FileSets implements dircmd.Resources.
func (c *Catalog) FileSets() []dircmd.NamedResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.FileSets
}

// Schedules implements dircmd.Resources.
func (c *Catalog) Schedules() []dircmd.ScheduleResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.Schedules
}

// Catalogs implements dircmd.Resources.
func (c *Catalog) Catalogs() []dircmd.NamedResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.Catalogs
}

// MessageResources implements dircmd.Resources.
func (c *Catalog) MessageResources() []dircmd.NamedResource {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.res.Messages
}

// AddJob adds a job record and returns it as stored: a zero JobID
// becomes the next free one, an empty unique Job name is made from the
// job name and start time as the Director makes it, and ClientID,
// PoolID and FileSetID are those of the named records (created if
// needed). A JobID or unique name that exists already is an error.
func (c *Catalog) AddJob(j dircmd.Job) (dircmd.Job, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if j.JobID == 0 {
		j.JobID = 1
		if n := len(c.jobs); n > 0 {
			j.JobID = c.jobs[n-1].JobID + 1
		}
	}
	i, found := slices.BinarySearchFunc(c.jobs, j.JobID, func(x dircmd.Job, id uint64) int { return cmp.Compare(x.JobID, id) })
	if found {
		return dircmd.Job{}, fmt.Errorf("memcatalog: JobId %d exists", j.JobID)
	}
	if j.Job == "" {
		t := j.SchedTime
		if t.IsZero() {
			t = j.StartTime
		}
		j.Job = fmt.Sprintf("%s.%s_%02d", j.Name, t.Format("2006-01-02_15.04.05"), j.JobID%100)
	}
	if _, dup := c.byUnique[j.Job]; dup {
		return dircmd.Job{}, fmt.Errorf("memcatalog: job %q exists", j.Job)
	}
	j.ClientID = c.id("client", j.Client)
	j.PoolID = c.id("pool", j.Pool)
	j.FileSetID = c.id("fileset", j.FileSet)
	c.jobs = slices.Insert(c.jobs, i, j)
	for k := i; k < len(c.jobs); k++ {
		c.byUnique[c.jobs[k].Job] = k
	}
	return j, nil
}

// UpdateJob replaces the record of job j.JobID (a job that ends, say);
// the unique name and the record ids are kept.
func (c *Catalog) UpdateJob(j dircmd.Job) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	i := c.jobIndex(j.JobID)
	if i < 0 {
		return fmt.Errorf("memcatalog: job %d: %w", j.JobID, dircmd.ErrNotFound)
	}
	old := c.jobs[i]
	j.Job = old.Job
	j.ClientID = c.id("client", j.Client)
	j.PoolID = c.id("pool", j.Pool)
	j.FileSetID = c.id("fileset", j.FileSet)
	c.jobs[i] = j
	return nil
}

// jobIndex is the index of job id in c.jobs, or -1.
func (c *Catalog) jobIndex(id uint64) int {
	i, found := slices.BinarySearchFunc(c.jobs, id, func(x dircmd.Job, id uint64) int { return cmp.Compare(x.JobID, id) })
	if !found {
		return -1
	}
	return i
}

// AddFiles adds entries to the backup of a job, in the order given
// (their FileIds). Adding is linear in the size of the directories it
// touches: add a job's files in few large calls rather than one by one.
// A name that is not an absolute path ("/..." or "X:/...") is an error
// and nothing is added.
func (c *Catalog) AddFiles(jobID uint64, files []File) error {
	for _, f := range files {
		if !absolute(f.Name) {
			return fmt.Errorf("memcatalog: file %q: not an absolute path", f.Name)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.jobIndex(jobID) < 0 {
		return fmt.Errorf("memcatalog: job %d: %w", jobID, dircmd.ErrNotFound)
	}
	jf := c.files[jobID]
	if jf == nil {
		jf = &jobFiles{byDir: map[uint64][]int32{}, dirRec: map[uint64]int32{}, visible: map[uint64]bool{}}
		c.files[jobID] = jf
	}
	added := map[uint64][]int32{}
	for _, f := range files {
		dir, name := splitPath(f.Name)
		pid := c.pathID(dir)
		lstat := f.LStat
		if lstat == "" {
			lstat = f.Stat.Encode()
		}
		c.nextFileID++
		idx := int32(len(jf.all))
		jf.all = append(jf.all, fileRec{pathID: pid, name: name, fileID: c.nextFileID, lstat: lstat, md5: f.MD5, deleted: f.Deleted})
		if name == "" {
			jf.dirRec[pid] = idx
		} else {
			added[pid] = append(added[pid], idx)
		}
		for p := pid; p != 0 && !jf.visible[p]; p = c.parents[p-1] {
			jf.visible[p] = true
		}
	}
	for pid, idx := range added {
		byName := func(a, b int32) int { return strings.Compare(jf.all[a].name, jf.all[b].name) }
		slices.SortStableFunc(idx, byName)
		old := jf.byDir[pid]
		merged := make([]int32, 0, len(old)+len(idx))
		i, k := 0, 0
		for i < len(old) || k < len(idx) {
			switch {
			case k == len(idx) || i < len(old) && byName(old[i], idx[k]) <= 0:
				merged = append(merged, old[i])
				i++
			default:
				merged = append(merged, idx[k])
				k++
			}
		}
		jf.byDir[pid] = merged
	}
	return nil
}

func absolute(p string) bool {
	return strings.HasPrefix(p, "/") || len(p) >= 3 && p[1] == ':' && p[2] == '/'
}

// splitPath splits a full name into its directory (with the trailing
// slash) and the file name ("" for a directory itself).
func splitPath(p string) (dir, name string) {
	if strings.HasSuffix(p, "/") {
		return p, ""
	}
	i := strings.LastIndexByte(p, '/')
	return p[:i+1], p[i+1:]
}

// parentDir is the directory above dir: "/etc/" -> "/", "/" -> "",
// "C:/" -> "".
func parentDir(dir string) string {
	d := strings.TrimSuffix(dir, "/")
	i := strings.LastIndexByte(d, '/')
	if i < 0 {
		return ""
	}
	return d[:i+1]
}

// pathID returns the PathId of dir, adding it and its ancestors up to
// the root "" if needed. The caller holds the write lock.
func (c *Catalog) pathID(dir string) uint64 {
	if id, ok := c.pathIDs[dir]; ok {
		return id
	}
	var parent uint64
	if dir != "" {
		parent = c.pathID(parentDir(dir))
	}
	c.paths = append(c.paths, dir)
	c.parents = append(c.parents, parent)
	c.children = append(c.children, nil)
	id := uint64(len(c.paths))
	c.pathIDs[dir] = id
	if parent != 0 {
		c.children[parent-1] = append(c.children[parent-1], id)
	}
	return id
}

// AddMedia adds a volume record and returns it as stored: a zero MediaID
// becomes the next free one, PoolID, StorageID, ScratchPoolID and
// RecyclePoolID are those of the named records. A volume name that
// exists already is an error.
func (c *Catalog) AddMedia(m dircmd.Media) (dircmd.Media, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range c.media {
		if x.VolumeName == m.VolumeName {
			return dircmd.Media{}, fmt.Errorf("memcatalog: volume %q exists", m.VolumeName)
		}
		if m.MediaID != 0 && x.MediaID == m.MediaID {
			return dircmd.Media{}, fmt.Errorf("memcatalog: MediaId %d exists", m.MediaID)
		}
	}
	if m.MediaID == 0 {
		for _, x := range c.media {
			m.MediaID = max(m.MediaID, x.MediaID)
		}
		m.MediaID++
	}
	m.PoolID = c.id("pool", m.Pool)
	m.StorageID = c.id("storage", m.Storage)
	m.ScratchPoolID = c.id("pool", m.ScratchPool)
	m.RecyclePoolID = c.id("pool", m.RecyclePool)
	i, _ := slices.BinarySearchFunc(c.media, m.MediaID, func(x dircmd.Media, id uint64) int { return cmp.Compare(x.MediaID, id) })
	c.media = slices.Insert(c.media, i, m)
	return m, nil
}

// AddJobMedia records that a job wrote to a volume.
func (c *Catalog) AddJobMedia(jobID uint64, volume string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.jobIndex(jobID) < 0 {
		return fmt.Errorf("memcatalog: job %d: %w", jobID, dircmd.ErrNotFound)
	}
	for _, m := range c.media {
		if m.VolumeName == volume {
			c.jobMedia = append(c.jobMedia, dircmd.JobMedia{
				JobMediaID: uint64(len(c.jobMedia) + 1), JobID: jobID, MediaID: m.MediaID, VolumeName: volume,
			})
			return nil
		}
	}
	return fmt.Errorf("memcatalog: volume %q: %w", volume, dircmd.ErrNotFound)
}

// SetScheduled sets the runs the scheduler will start (status director
// shows those within its window).
func (c *Catalog) SetScheduled(runs []dircmd.ScheduledRun) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scheduled = slices.Clone(runs)
	slices.SortStableFunc(c.scheduled, func(a, b dircmd.ScheduledRun) int { return a.Time.Compare(b.Time) })
}
