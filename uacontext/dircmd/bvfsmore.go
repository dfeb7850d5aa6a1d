package dircmd

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
)

// BvfsCache is the optional capability behind .bvfs_update and
// .bvfs_clear_cache: a catalog that keeps the Director's bvfs path
// hierarchy cache. Catalogs without one have nothing to update or clear,
// and the commands succeed.
type BvfsCache interface {
	// BvfsUpdate fills the cache for the jobs (nil: every job).
	BvfsUpdate(ctx context.Context, jobIDs []uint64) error
	// BvfsClearCache empties the cache.
	BvfsClearCache(ctx context.Context) error
}

// dotBvfsUpdate is ".bvfs_update [jobid=<list>]".
func (c *cmds) dotBvfsUpdate(ctx context.Context, ua *uacontext.UA) error {
	bc, ok := c.cat.(BvfsCache)
	i := ua.FindArgWithValue("jobid")
	if i >= 0 && isANumberList(ua.Args[i].Value) {
		if !ok {
			return nil
		}
		var ids []uint64
		for _, s := range splitList(ua.Args[i].Value) {
			n, _ := strconv.ParseUint(s, 10, 64)
			ids = append(ids, n)
		}
		if err := bc.BvfsUpdate(ctx, ids); err != nil {
			ua.ErrorMsg("ERROR: BVFS reported a problem for %s\n", ua.Args[i].Value)
		}
		return nil
	}
	if ok {
		if err := bc.BvfsUpdate(ctx, nil); err != nil && ctx.Err() != nil {
			return err
		}
	}
	return nil
}

// dotBvfsClearCache is ".bvfs_clear_cache yes".
func (c *cmds) dotBvfsClearCache(ctx context.Context, ua *uacontext.UA) error {
	if ua.FindArg("yes") < 0 {
		ua.ErrorMsg("Can't find 'yes' argument\n")
		return nil
	}
	if bc, ok := c.cat.(BvfsCache); ok {
		if err := bc.BvfsClearCache(ctx); err != nil {
			return catalogError(ctx, err)
		}
	}
	ua.InfoMsg("OK\n")
	return nil
}

// isRestoreTable is the Director's check of a restore list name: "b2"
// followed by an integer.
func isRestoreTable(name string) bool {
	if !strings.HasPrefix(name, "b2") {
		return false
	}
	rest := name[2:]
	if rest != "" && (rest[0] == '-' || rest[0] == '+') {
		rest = rest[1:]
	}
	return isDigits(rest)
}

// restoreLists holds the restore lists .bvfs_restore computes (the
// Director's "b2<number>" tables), until .bvfs_cleanup drops them.
type restoreLists struct {
	mu    sync.Mutex
	lists map[string][]BvfsFile
}

// BvfsFile is an entry of a bvfs restore list: the newest version of
// a selected file among the selected jobs.
type BvfsFile struct {
	JobID     uint64
	FileIndex uint64
	PathID    uint64
	Path      string
	Name      string
}

func (r *restoreLists) put(name string, files []BvfsFile) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lists == nil {
		r.lists = map[string][]BvfsFile{}
	}
	r.lists[name] = files
}

func (r *restoreLists) get(name string) ([]BvfsFile, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	l, ok := r.lists[name]
	return l, ok
}

func (r *restoreLists) drop(name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.lists, name)
}

// dotBvfsCleanup is ".bvfs_cleanup path=b2<number>": drop a restore
// list.
func (c *cmds) dotBvfsCleanup(_ context.Context, ua *uacontext.UA) error {
	name, ok := ua.ArgValue("path")
	if !ok {
		return uacontext.Errorf("Can't find path argument\n")
	}
	if isRestoreTable(name) {
		c.lists.drop(name)
	}
	return nil
}

// dotBvfsGetJobids is ".bvfs_get_jobids jobid=|ujobid= [all]": the jobs
// a restore of the given job needs (its Full, the newest Differential
// after it and the Incrementals after those), for its FileSet or, with
// all, for every FileSet the client used.
func (c *cmds) dotBvfsGetJobids(ctx context.Context, ua *uacontext.UA) error {
	if !c.openCatalog(ua, c.has.jobs) {
		return nil // the Director succeeds when it cannot open the catalog
	}
	var (
		ref Job
		err error
		arg string
	)
	switch {
	case ua.FindArgWithValue("ujobid") >= 0:
		arg, _ = ua.ArgValue("ujobid")
		ref, err = c.jobs.JobByUnique(ctx, arg)
		if errors.Is(err, ErrNotFound) {
			return uacontext.Errorf("Unable to get Job record for JobId=%s: ERR=%s\n", arg, "No Job found for JobName '"+arg+"'\n")
		}
	case ua.FindArgWithValue("jobid") >= 0:
		arg, _ = ua.ArgValue("jobid")
		id := uint32(strToInt64(arg))
		if id == 0 {
			// The Director looks up the job by its empty unique name.
			return uacontext.Errorf("Unable to get Job record for JobId=%s: ERR=%s\n", arg, "No Job found for JobName ''\n")
		}
		ref, err = c.jobs.JobByID(ctx, uint64(id))
		if errors.Is(err, ErrNotFound) {
			return uacontext.Errorf("Unable to get Job record for JobId=%s: ERR=%s\n", arg, "No Job found for JobId "+strconv.FormatUint(uint64(id), 10)+"\n")
		}
	default:
		return uacontext.Errorf("Can't find ujobid or jobid argument\n")
	}
	if err != nil {
		return catalogError(ctx, err)
	}
	var ids []uint64
	if ref.Level == 'B' {
		ids = []uint64{ref.JobID}
	} else {
		jobs, err := c.jobs.ListJobs(ctx, JobQuery{Client: ref.Client})
		if err != nil {
			return catalogError(ctx, err)
		}
		filesets := []uint64{ref.FileSetID}
		if ua.FindArg("all") > 0 {
			filesets = clientFileSets(jobs, ref.ClientID)
		}
		names := c.fileSetNames(ctx)
		for _, fs := range filesets {
			name, ok := names[fs]
			if !ok || !ua.ACLAccessOK(uacontext.ACLFileSet, name) {
				continue
			}
			ids = append(ids, accurateJobIDs(jobs, ref, fs, names)...)
		}
	}
	var allowed []string
	for _, id := range ids {
		j, err := c.jobs.JobByID(ctx, id)
		if err != nil || !ua.ACLAccessOK(uacontext.ACLJob, j.Name) ||
			j.ClientID != 0 && !ua.ACLAccessOK(uacontext.ACLClient, j.Client) {
			continue
		}
		allowed = append(allowed, strconv.FormatUint(id, 10))
	}
	if ua.Mode() == apimode.JSON {
		f := ua.Formatter()
		f.ArrayStart("jobids", null)
		for _, id := range allowed {
			f.ObjectStart(null, null)
			f.KVString("id", null, id, "%s\n")
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("jobids", null)
		return nil
	}
	ua.SendMsg("%s\n", strings.Join(allowed, ","))
	return nil
}

// fileSetNames maps FileSetIds to FileSet names, from the catalog's
// FileSet table if it has one, else from the jobs.
func (c *cmds) fileSetNames(ctx context.Context) map[uint64]string {
	names := map[uint64]string{}
	if fr, ok := c.cat.(FileSetRecords); ok {
		if recs, err := fr.FileSetRecords(ctx); err == nil {
			for _, r := range recs {
				names[r.FileSetID] = r.FileSet
			}
			return names
		}
	}
	if jobs, err := c.jobs.ListJobs(ctx, JobQuery{}); err == nil {
		for _, j := range jobs {
			if j.FileSetID != 0 {
				names[j.FileSetID] = j.FileSet
			}
		}
	}
	return names
}

// clientFileSets is the Director's uar_sel_filesetid: per FileSet name
// the highest FileSetId the client's jobs used.
func clientFileSets(jobs []Job, clientID uint64) []uint64 {
	best := map[string]uint64{}
	var order []string
	for _, j := range jobs {
		if j.ClientID != clientID || j.FileSetID == 0 {
			continue
		}
		if _, ok := best[j.FileSet]; !ok {
			order = append(order, j.FileSet)
		}
		best[j.FileSet] = max(best[j.FileSet], j.FileSetID)
	}
	out := make([]uint64, 0, len(order))
	for _, n := range order {
		out = append(out, best[n])
	}
	return out
}

// accurateJobIDs is the Director's AccurateGetJobids for a restore of
// ref's client and the FileSet fs: the newest good Full started before
// ref ended its start second, the newest Differential with files after
// that Full, and the Incrementals after the newer of the two, in JobTDate
// order.
func accurateJobIDs(jobs []Job, ref Job, fs uint64, names map[uint64]string) []uint64 {
	limit := ref.StartTime.Unix() + 1
	good := func(j Job, level byte) bool {
		return j.ClientID == ref.ClientID && j.Level == level && j.Type == JobTypeBackup &&
			(j.JobStatus == JobStatusTerminated || j.JobStatus == JobStatusWarnings) &&
			!j.StartTime.IsZero() && j.StartTime.Unix() < limit
	}
	var full *Job
	for i := range jobs {
		j := &jobs[i]
		if good(*j, LevelFull) && j.FileSetID == fs && (full == nil || j.JobID > full.JobID) {
			full = j
		}
	}
	if full == nil {
		return nil
	}
	sel := []Job{*full}
	after := full.EndTime
	name := names[fs]
	sameSet := func(j Job) bool { return names[j.FileSetID] == name }
	var diff *Job
	for i := range jobs {
		j := &jobs[i]
		if good(*j, LevelDifferential) && sameSet(*j) && j.JobFiles > 0 && j.StartTime.After(after) &&
			(diff == nil || j.JobTDate > diff.JobTDate) {
			diff = j
		}
	}
	if diff != nil {
		sel = append(sel, *diff)
	}
	latest := after
	for _, j := range sel {
		if j.EndTime.After(latest) {
			latest = j.EndTime
		}
	}
	for _, j := range jobs {
		if good(j, LevelIncremental) && sameSet(j) && j.StartTime.After(latest) {
			sel = append(sel, j)
		}
	}
	slices.SortStableFunc(sel, func(a, b Job) int {
		switch {
		case a.JobTDate < b.JobTDate:
			return -1
		case a.JobTDate > b.JobTDate:
			return 1
		}
		return 0
	})
	out := make([]uint64, len(sel))
	for i, j := range sel {
		out[i] = j.JobID
	}
	return out
}

// BvfsSelection is the capability behind .bvfs_restore: the catalog's
// File table as the restore selection reads it. Without it no restore
// list can be made.
type BvfsSelection interface {
	// BvfsSelect returns every file version the selection names: the
	// files with the given FileIds (in any job), the files in the
	// directories with the given PathIds and below them in the given jobs,
	// and the files of the given (JobId, FileIndex) pairs.
	BvfsSelect(ctx context.Context, jobIDs, fileIDs, dirIDs []uint64, hardlinks [][2]uint64) ([]BvfsFile, error)
}

// parseIDs parses a number list ("1,2,3"); "" is none.
func parseIDs(s string) []uint64 {
	var out []uint64
	for _, f := range splitList(s) {
		n, _ := strconv.ParseUint(f, 10, 64)
		out = append(out, n)
	}
	return out
}

// dotBvfsRestore is ".bvfs_restore path=b2<number> jobid=<list>
// [fileid=<list>] [dirid=<list>] [hardlink=<jobid,fileindex,...>]": the
// newest version of every selected file among the jobs becomes the
// restore list named by path, which "restore file=?<path>" restores and
// .bvfs_cleanup drops.
func (c *cmds) dotBvfsRestore(ctx context.Context, ua *uacontext.UA) error {
	a, ok := parseBvfsArgs(ua)
	if !ok {
		return uacontext.Errorf("Can't find jobid, pathid or path argument\n")
	}
	ids, err := c.allowedJobIDs(ctx, ua, a.jobIDs)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return uacontext.Errorf("Unauthorized command from this console.\n")
	}
	fileID, _ := ua.ArgValue("fileid")
	dirID, _ := ua.ArgValue("dirid")
	hardlink, _ := ua.ArgValue("hardlink")
	valid := (fileID == "" || isANumberList(fileID)) && (dirID == "" || isANumberList(dirID)) &&
		(hardlink == "" || isANumberList(hardlink)) && (fileID != "" || dirID != "" || hardlink != "")
	hl := parseIDs(hardlink)
	var pairs [][2]uint64
	for i := 0; i+1 < len(hl); i += 2 {
		pairs = append(pairs, [2]uint64{hl[i], hl[i+1]})
	}
	sel, hasSel := c.cat.(BvfsSelection)
	if !valid || len(hl)%2 != 0 || !isRestoreTable(a.path) || !hasSel {
		ua.ErrorMsg("Can't create restore list\n")
		return nil
	}
	files, err := sel.BvfsSelect(ctx, ids, parseIDs(fileID), parseIDs(dirID), pairs)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		ua.ErrorMsg("Can't create restore list\n")
		return nil
	}
	// The newest version (highest JobTDate) of each file.
	tdate := map[uint64]int64{}
	type key struct {
		path uint64
		name string
	}
	best := map[key]BvfsFile{}
	var order []key
	for _, f := range files {
		if _, ok := tdate[f.JobID]; !ok {
			if j, err := c.jobs.JobByID(ctx, f.JobID); err == nil {
				tdate[f.JobID] = j.JobTDate
			}
		}
		k := key{f.PathID, f.Name}
		old, seen := best[k]
		if !seen {
			order = append(order, k)
		}
		if !seen || tdate[f.JobID] > tdate[old.JobID] {
			best[k] = f
		}
	}
	list := make([]BvfsFile, 0, len(order))
	for _, k := range order {
		list = append(list, best[k])
	}
	c.lists.put(a.path, list)
	ua.SendMsg("OK\n")
	return nil
}

// RestoreList returns the restore list .bvfs_restore made under name (a
// "b2<number>" handle), for the restore command's file=?<name>.
func (c *cmds) RestoreList(name string) ([]BvfsFile, bool) { return c.lists.get(name) }
