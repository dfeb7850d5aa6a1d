package dircmd

import (
	"context"
	"iter"
	"time"

	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd/resource"
)

// capabilities are the catalog's capability interfaces, resolved once by
// Commands. A capability the catalog lacks is served by none, an empty
// catalog, and its flag in has is false.
type capabilities struct {
	jobs     JobRecords
	files    FileRecords
	media    MediaRecords
	clients  ClientRecords
	pools    PoolRecords
	storages StorageRecords
	bvfs     Bvfs
	status   StatusReporter

	has struct {
		jobs, files, media, clients, pools, storages, bvfs, status bool
	}
}

// capability returns cat as I, or none if cat does not implement I.
func capability[I any](cat Catalog) (I, bool) {
	if x, ok := cat.(I); ok {
		return x, true
	}
	var n any = none{}
	return n.(I), false
}

func resolve(cat Catalog) capabilities {
	var c capabilities
	c.jobs, c.has.jobs = capability[JobRecords](cat)
	c.files, c.has.files = capability[FileRecords](cat)
	c.media, c.has.media = capability[MediaRecords](cat)
	c.clients, c.has.clients = capability[ClientRecords](cat)
	c.pools, c.has.pools = capability[PoolRecords](cat)
	c.storages, c.has.storages = capability[StorageRecords](cat)
	c.bvfs, c.has.bvfs = capability[Bvfs](cat)
	c.status, c.has.status = capability[StatusReporter](cat)
	return c
}

// none is the empty catalog: no records, nothing found, nothing running.
type none struct{}

func (none) ListJobs(context.Context, JobQuery) ([]Job, error)          { return nil, nil }
func (none) JobByID(context.Context, uint64) (Job, error)               { return Job{}, ErrNotFound }
func (none) JobByUnique(context.Context, string) (Job, error)           { return Job{}, ErrNotFound }
func (none) JobFiles(context.Context, uint64, func(string) error) error { return nil }
func (none) ListMedia(context.Context, MediaQuery) ([]Media, error)     { return nil, nil }
func (none) JobMedia(context.Context, uint64) ([]JobMedia, error)       { return nil, nil }
func (none) ClientRecords(context.Context) ([]ClientRecord, error)      { return nil, nil }
func (none) PoolRecords(context.Context) ([]PoolRecord, error)          { return nil, nil }
func (none) StorageRecords(context.Context) ([]StorageRecord, error)    { return nil, nil }
func (none) BvfsPathID(context.Context, string) (uint64, error)         { return 0, ErrNotFound }
func (none) BvfsLsDirs(context.Context, BvfsQuery) iter.Seq2[BvfsEntry, error] {
	return func(func(BvfsEntry, error) bool) {}
}
func (none) BvfsLsFiles(context.Context, BvfsQuery) iter.Seq2[BvfsEntry, error] {
	return func(func(BvfsEntry, error) bool) {}
}
func (none) BvfsVersions(context.Context, BvfsVersionQuery) iter.Seq2[BvfsEntry, error] {
	return func(func(BvfsEntry, error) bool) {}
}
func (none) Status(context.Context) (DirectorStatus, error) { return DirectorStatus{}, nil }

// noStatus is the status of a catalog that is no StatusReporter: the
// Director started when its commands were made, nothing ran.
type noStatus struct {
	none
	started time.Time
}

func (s noStatus) Status(context.Context) (DirectorStatus, error) {
	return DirectorStatus{Started: s.started}, nil
}
func (none) Scheduled(context.Context, time.Time, int) ([]ScheduledRun, error) {
	return nil, nil
}
func (none) Terminated(context.Context) ([]TerminatedJob, error) { return nil, nil }

// openCatalog reports whether the catalog has every capability a command
// needs (ok); if not, it sends the Director's message for a catalog
// database it cannot open: "Could not open catalog database" with the
// database name of the first Catalog resource the console may access,
// or "Could not find a Catalog resource" if there is none.
func (c *cmds) openCatalog(ua *uacontext.UA, ok ...bool) bool {
	for _, has := range ok {
		if has {
			continue
		}
		for _, cat := range c.cat.Catalogs() {
			if !ua.ACLAccessOK(uacontext.ACLCatalog, cat.Name) {
				continue
			}
			db := cat.Name
			for _, r := range c.configResources(resource.Catalog) {
				if r.Name() == cat.Name && r.String("DbName") != "" {
					db = r.String("DbName")
				}
			}
			ua.ErrorMsg("Could not open catalog database \"%s\".\n", db)
			return false
		}
		ua.ErrorMsg("Could not find a Catalog resource\n")
		return false
	}
	return true
}
