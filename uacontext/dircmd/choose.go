package dircmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// The selection helpers of the Director (ua_select.cc): each offers the
// resources or catalog records the console's ACLs allow as a numbered
// list (uacontext.UA.DoPrompt) and returns the user's choice; the
// Get* variants first look for a keyword on the command line (client=,
// pool=, ...) and only prompt without one. They fail with the error of
// the prompt (which matches uacontext.ErrReported: the console has been
// told, or the Director stays silent), or with an error wrapping
// ErrNothingSelected after the Director's message when nothing could be
// selected.

// ErrNothingSelected is wrapped by the errors of the selection helpers
// when there was nothing to select (the console got the Director's
// message). It matches uacontext.ErrReported.
var ErrNothingSelected error = nothingSelected{}

type nothingSelected struct{}

func (nothingSelected) Error() string        { return "dircmd: nothing to select" }
func (nothingSelected) Is(target error) bool { return target == uacontext.ErrReported }
func reportedf(format string, a ...any) error {
	return fmt.Errorf(format+": %w", append(a, ErrNothingSelected)...)
}

// sortFold sorts names as the Director's SortCaseInsensitive does
// (ASCII-lower-cased byte order).
func sortFold(names []string) {
	slices.SortStableFunc(names, func(a, b string) int {
		return strings.Compare(lowerASCII(a), lowerASCII(b))
	})
}

func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// choose offers names (sorted case-insensitively unless keep) under
// header and returns the chosen one.
func choose(ctx context.Context, ua *uacontext.UA, header string, names []string, sorted bool, automsg, msg string) (string, error) {
	if sorted {
		sortFold(names)
	}
	ua.StartPrompt(header)
	for _, n := range names {
		ua.AddPrompt(n)
	}
	_, name, err := ua.DoPrompt(ctx, automsg, msg)
	return name, err
}

// resNames returns the names of the resources the ACL kind allows and
// keep accepts.
func resNames[R any](ua *uacontext.UA, kind uacontext.ACLKind, res []R, name func(R) string, keep func(R) bool) []string {
	var out []string
	for _, r := range res {
		if ua.ACLAccessOK(kind, name(r)) && (keep == nil || keep(r)) {
			out = append(out, name(r))
		}
	}
	return out
}

// findRes is the Director's GetResWithName: the resource called exactly
// name, if the console's ACL of kind allows it.
func findRes[R any](ua *uacontext.UA, kind uacontext.ACLKind, res []R, name func(R) string, want string) (R, bool) {
	var zero R
	if !ua.ACLAccessOK(kind, want) {
		return zero, false
	}
	for _, r := range res {
		if name(r) == want {
			return r, true
		}
	}
	return zero, false
}

func jobName(j JobResource) string         { return j.Name }
func clientName(c ClientResource) string   { return c.Name }
func poolName(p PoolResource) string       { return p.Name }
func storageName(s StorageResource) string { return s.Name }
func namedName(n NamedResource) string     { return n.Name }
func schedName(s ScheduleResource) string  { return s.Name }

// FindJobResource returns the Job resource called name if the console
// may use it (the Director's GetJobResWithName).
func FindJobResource(ua *uacontext.UA, r Resources, name string) (JobResource, bool) {
	return findRes(ua, uacontext.ACLJob, r.Jobs(), jobName, name)
}

// FindClientResource returns the Client resource called name if the
// console may use it.
func FindClientResource(ua *uacontext.UA, r Resources, name string) (ClientResource, bool) {
	return findRes(ua, uacontext.ACLClient, r.Clients(), clientName, name)
}

// FindPoolResource returns the Pool resource called name if the console
// may use it.
func FindPoolResource(ua *uacontext.UA, r Resources, name string) (PoolResource, bool) {
	return findRes(ua, uacontext.ACLPool, r.Pools(), poolName, name)
}

// FindStorageResource returns the Storage resource called name if the
// console may use it.
func FindStorageResource(ua *uacontext.UA, r Resources, name string) (StorageResource, bool) {
	return findRes(ua, uacontext.ACLStorage, r.Storages(), storageName, name)
}

// FindFileSetResource returns the FileSet resource called name if the
// console may use it.
func FindFileSetResource(ua *uacontext.UA, r Resources, name string) (NamedResource, bool) {
	return findRes(ua, uacontext.ACLFileSet, r.FileSets(), namedName, name)
}

// FindScheduleResource returns the Schedule resource called name if the
// console may use it.
func FindScheduleResource(ua *uacontext.UA, r Resources, name string) (ScheduleResource, bool) {
	return findRes(ua, uacontext.ACLSchedule, r.Schedules(), schedName, name)
}

// FindCatalogResource returns the Catalog resource called name if the
// console may use it.
func FindCatalogResource(ua *uacontext.UA, r Resources, name string) (NamedResource, bool) {
	return findRes(ua, uacontext.ACLCatalog, r.Catalogs(), namedName, name)
}

// SelectJobResource offers the Job resources (select_job_resource).
func SelectJobResource(ctx context.Context, ua *uacontext.UA, r Resources) (JobResource, error) {
	names := resNames(ua, uacontext.ACLJob, r.Jobs(), jobName, nil)
	name, err := choose(ctx, ua, "The defined Job resources are:\n", names, true, "Job", "Select Job resource")
	if err != nil {
		return JobResource{}, err
	}
	j, _ := FindJobResource(ua, r, name)
	return j, nil
}

// SelectRestoreJobResource offers the restore jobs
// (select_restore_job_resource).
func SelectRestoreJobResource(ctx context.Context, ua *uacontext.UA, r Resources) (JobResource, error) {
	names := resNames(ua, uacontext.ACLJob, r.Jobs(), jobName, func(j JobResource) bool { return j.Type == JobTypeRestore })
	name, err := choose(ctx, ua, "The defined Restore Job resources are:\n", names, true, "Job", "Select Restore Job")
	if err != nil {
		return JobResource{}, err
	}
	j, _ := FindJobResource(ua, r, name)
	return j, nil
}

// GetRestoreJob takes the restore job from restorejob=<name>, or offers
// the restore jobs (get_restore_job).
func GetRestoreJob(ctx context.Context, ua *uacontext.UA, r Resources) (JobResource, error) {
	if name, ok := ua.ArgValue("restorejob"); ok {
		if j, ok := FindJobResource(ua, r, name); ok && j.Type == JobTypeRestore {
			return j, nil
		}
		ua.ErrorMsg("Error: Restore Job resource \"%s\" does not exist.\n", name)
	}
	return SelectRestoreJobResource(ctx, ua, r)
}

// SelectClientResource offers the Client resources
// (select_client_resource).
func SelectClientResource(ctx context.Context, ua *uacontext.UA, r Resources) (ClientResource, error) {
	names := resNames(ua, uacontext.ACLClient, r.Clients(), clientName, nil)
	name, err := choose(ctx, ua, "The defined Client resources are:\n", names, true, "Client", "Select Client (File daemon) resource")
	if err != nil {
		return ClientResource{}, err
	}
	c, _ := FindClientResource(ua, r, name)
	return c, nil
}

// GetClientResource takes the client from client=<name> or fd=<name>, or
// offers the Client resources (get_client_resource).
func GetClientResource(ctx context.Context, ua *uacontext.UA, r Resources) (ClientResource, error) {
	for _, a := range ua.Args[1:] {
		if (ascii.EqualFold(a.Key, "client") || ascii.EqualFold(a.Key, "fd")) && a.HasValue {
			if c, ok := FindClientResource(ua, r, a.Value); ok {
				return c, nil
			}
			ua.ErrorMsg("Error: Client resource %s does not exist.\n", a.Value)
			break
		}
	}
	return SelectClientResource(ctx, ua, r)
}

// SelectPoolResource offers the Pool resources (select_pool_resource).
func SelectPoolResource(ctx context.Context, ua *uacontext.UA, r Resources) (PoolResource, error) {
	names := resNames(ua, uacontext.ACLPool, r.Pools(), poolName, nil)
	name, err := choose(ctx, ua, "The defined Pool resources are:\n", names, true, "Pool", "Select Pool resource")
	if err != nil {
		return PoolResource{}, err
	}
	p, _ := FindPoolResource(ua, r, name)
	return p, nil
}

// GetPoolResource takes the pool from pool=<name>, or offers the Pool
// resources (get_pool_resource).
func GetPoolResource(ctx context.Context, ua *uacontext.UA, r Resources) (PoolResource, error) {
	if name, ok := ua.ArgValue("pool"); ok && ua.ACLAccessOK(uacontext.ACLPool, name) {
		if p, ok := FindPoolResource(ua, r, name); ok {
			return p, nil
		}
		ua.ErrorMsg("Error: Pool resource \"%s\" does not exist.\n", name)
	}
	return SelectPoolResource(ctx, ua, r)
}

// SelectStorageResource offers the Storage resources
// (select_storage_resource).
func SelectStorageResource(ctx context.Context, ua *uacontext.UA, r Resources) (StorageResource, error) {
	names := resNames(ua, uacontext.ACLStorage, r.Storages(), storageName, nil)
	name, err := choose(ctx, ua, "The defined Storage resources are:\n", names, true, "Storage", "Select Storage resource")
	if err != nil {
		return StorageResource{}, err
	}
	s, _ := FindStorageResource(ua, r, name)
	return s, nil
}

// SelectFileSetResource offers the FileSet resources
// (select_fileset_resource).
func SelectFileSetResource(ctx context.Context, ua *uacontext.UA, r Resources) (NamedResource, error) {
	names := resNames(ua, uacontext.ACLFileSet, r.FileSets(), namedName, nil)
	name, err := choose(ctx, ua, "The defined FileSet resources are:\n", names, true, "FileSet", "Select FileSet resource")
	if err != nil {
		return NamedResource{}, err
	}
	fs, _ := FindFileSetResource(ua, r, name)
	return fs, nil
}

// GetCatalogResource takes the catalog from catalog=<name>; in gui mode
// it takes the first Catalog resource; otherwise it offers the Catalog
// resources (get_catalog_resource).
func GetCatalogResource(ctx context.Context, ua *uacontext.UA, r Resources) (NamedResource, error) {
	for _, a := range ua.Args[1:] {
		if ascii.EqualFold(a.Key, "catalog") && a.HasValue {
			if c, ok := FindCatalogResource(ua, r, a.Value); ok {
				return c, nil
			}
		}
	}
	cats := r.Catalogs()
	if ua.GUI {
		if len(cats) == 0 {
			ua.ErrorMsg("Could not find a Catalog resource\n")
			return NamedResource{}, reportedf("dircmd: no catalog")
		}
		if !ua.ACLAccessOK(uacontext.ACLCatalog, cats[0].Name) {
			ua.ErrorMsg("You must specify a \"use <catalog-name>\" command before continuing.\n")
			return NamedResource{}, reportedf("dircmd: catalog %q not allowed", cats[0].Name)
		}
		return cats[0], nil
	}
	names := resNames(ua, uacontext.ACLCatalog, cats, namedName, nil)
	name, err := choose(ctx, ua, "The defined Catalog resources are:\n", names, false, "Catalog", "Select Catalog resource")
	if err != nil {
		return NamedResource{}, err
	}
	c, _ := FindCatalogResource(ua, r, name)
	return c, nil
}

// SelectEnableDisableJob offers the jobs that enable (true) or disable
// (false) would change (select_enable_disable_job_resource).
func SelectEnableDisableJob(ctx context.Context, ua *uacontext.UA, r Resources, enable bool) (JobResource, error) {
	names := resNames(ua, uacontext.ACLJob, r.Jobs(), jobName, func(j JobResource) bool { return j.Enabled != enable })
	name, err := choose(ctx, ua, "The defined Job resources are:\n", names, true, "Job", "Select Job resource")
	if err != nil {
		return JobResource{}, err
	}
	j, _ := FindJobResource(ua, r, name)
	return j, nil
}

// SelectEnableDisableClient offers the clients that enable or disable
// would change (select_enable_disable_client_resource).
func SelectEnableDisableClient(ctx context.Context, ua *uacontext.UA, r Resources, enable bool) (ClientResource, error) {
	names := resNames(ua, uacontext.ACLClient, r.Clients(), clientName, func(c ClientResource) bool { return c.Enabled != enable })
	name, err := choose(ctx, ua, "The defined Client resources are:\n", names, true, "Client", "Select Client resource")
	if err != nil {
		return ClientResource{}, err
	}
	c, _ := FindClientResource(ua, r, name)
	return c, nil
}

// SelectEnableDisableSchedule offers the schedules that enable or
// disable would change (select_enable_disable_schedule_resource).
func SelectEnableDisableSchedule(ctx context.Context, ua *uacontext.UA, r Resources, enable bool) (ScheduleResource, error) {
	names := resNames(ua, uacontext.ACLSchedule, r.Schedules(), schedName, func(s ScheduleResource) bool { return s.Enabled != enable })
	name, err := choose(ctx, ua, "The defined Schedule resources are:\n", names, true, "Schedule", "Select Schedule resource")
	if err != nil {
		return ScheduleResource{}, err
	}
	s, _ := FindScheduleResource(ua, r, name)
	return s, nil
}

// GetStorageResource finds the storage the command line names, the
// Director's get_storage_resource: storage=<name> or sd=<name>; with
// useDefault, the first keyword without a value ("?" asks); jobid=,
// job= or ujobid= of a running job take its storage (jobs may be nil).
// Without any, or when the name is unknown or not allowed, it offers the
// Storage resources.
func GetStorageResource(ctx context.Context, ua *uacontext.UA, r Resources, jobs JobController, useDefault bool) (StorageResource, error) {
	return getStorageResource(ctx, ua, r, jobs, useDefault, nil)
}

// getStorageResource is GetStorageResource whose selection list, when it
// comes to one, offers only the storages autochangers accepts (the
// Director's autochangers_only); nil offers all.
func getStorageResource(ctx context.Context, ua *uacontext.UA, r Resources, jobs JobController, useDefault bool, autochangers func(string) bool) (StorageResource, error) {
	var storeName string
	haveName := false
	var store StorageResource
	found := false
	running := func() ([]RunningJob, error) {
		if jobs == nil {
			return nil, nil
		}
		return jobs.RunningJobs(ctx)
	}
	for _, a := range ua.Args[1:] {
		if a.Key == "" {
			continue
		}
		if useDefault && !a.HasValue {
			switch lowerASCII(a.Key) {
			case "barcode", "barcodes", "encrypt", "scan", "slots", "alldrives":
				continue
			}
			if haveName {
				ua.ErrorMsg("Storage name given twice.\n")
				return StorageResource{}, reportedf("dircmd: storage given twice")
			}
			storeName, haveName = a.Key, true
			if storeName[0] == '?' {
				storeName = ""
				break
			}
			continue
		}
		switch k := lowerASCII(a.Key); k {
		case "storage", "sd":
			storeName, haveName = a.Value, true
		case "jobid":
			id := strToInt64(a.Value)
			if id <= 0 {
				ua.ErrorMsg("Expecting jobid=nn command, got: %s\n", a.Key)
				return StorageResource{}, reportedf("dircmd: bad jobid")
			}
			rj, err := running()
			if err != nil {
				return StorageResource{}, catalogError(ctx, err)
			}
			i := slices.IndexFunc(rj, func(j RunningJob) bool { return j.JobID == uint64(id) })
			if i < 0 {
				ua.ErrorMsg("JobId %s is not running.\n", strconv.FormatInt(id, 10))
				return StorageResource{}, reportedf("dircmd: job %d not running", id)
			}
			store, found = lookupStorage(r, rj[i].Storage)
		case "job", "jobname", "ujobid":
			if !a.HasValue {
				ua.ErrorMsg("Expecting %s=xxx, got: %s.\n", map[bool]string{true: "ujobid", false: "job"}[k == "ujobid"], a.Key)
				return StorageResource{}, reportedf("dircmd: %s without value", k)
			}
			rj, err := running()
			if err != nil {
				return StorageResource{}, catalogError(ctx, err)
			}
			i := slices.IndexFunc(rj, func(j RunningJob) bool {
				if k == "ujobid" {
					return j.Job == a.Value
				}
				return strings.HasPrefix(j.Job, a.Value)
			})
			if i < 0 {
				ua.ErrorMsg("Job \"%s\" is not running.\n", a.Value)
				return StorageResource{}, reportedf("dircmd: job %q not running", a.Value)
			}
			store, found = lookupStorage(r, rj[i].Storage)
		default:
			continue
		}
		break
	}
	if found && !ua.ACLAccessOK(uacontext.ACLStorage, store.Name) {
		found = false
	}
	if !found && haveName && storeName != "" {
		store, found = FindStorageResource(ua, r, storeName)
		if !found {
			ua.ErrorMsg("Storage resource \"%s\": not found\n", storeName)
		}
	}
	if found {
		return store, nil
	}
	if autochangers != nil {
		names := resNames(ua, uacontext.ACLStorage, r.Storages(), storageName, func(s StorageResource) bool { return autochangers(s.Name) })
		name, err := choose(ctx, ua, "The defined Autochanger Storage resources are:\n", names, true, "Storage", "Select Storage resource")
		if err != nil {
			return StorageResource{}, err
		}
		s, _ := FindStorageResource(ua, r, name)
		return s, nil
	}
	return SelectStorageResource(ctx, ua, r)
}

func lookupStorage(r Resources, name string) (StorageResource, bool) {
	for _, s := range r.Storages() {
		if s.Name == name {
			return s, true
		}
	}
	return StorageResource{}, false
}

// SelectClientRecord offers the clients of the catalog the console may
// see (SelectClientDbr).
func SelectClientRecord(ctx context.Context, ua *uacontext.UA, cat Catalog) (ClientRecord, error) {
	clients, _ := capability[ClientRecords](cat)
	recs, err := clients.ClientRecords(ctx)
	if err != nil {
		ua.ErrorMsg("Error obtaining client ids. ERR=%s\n", err.Error())
		return ClientRecord{}, reportedf("dircmd: client ids: %v", err)
	}
	if len(recs) == 0 {
		ua.ErrorMsg("No clients defined. You must run a job before using this command.\n")
		return ClientRecord{}, reportedf("dircmd: no clients")
	}
	var names []string
	for _, c := range recs {
		if ua.ACLAccessOK(uacontext.ACLClient, c.Name) {
			names = append(names, c.Name)
		}
	}
	name, err := choose(ctx, ua, "Defined Clients:\n", names, false, "Client", "Select the Client")
	if err != nil {
		return ClientRecord{}, err
	}
	for _, c := range recs {
		if c.Name == name {
			return c, nil
		}
	}
	ua.ErrorMsg("Could not find Client \"%s\": ERR=%s", name, "Client record not found in Catalog.\n")
	return ClientRecord{}, reportedf("dircmd: client %q vanished", name)
}

// GetClientRecord takes the client from client=<name> or fd=<name> in
// the catalog, or offers the catalog's clients (GetClientDbr).
func GetClientRecord(ctx context.Context, ua *uacontext.UA, cat Catalog) (ClientRecord, error) {
	for _, a := range ua.Args[1:] {
		if (ascii.EqualFold(a.Key, "client") || ascii.EqualFold(a.Key, "fd")) && a.HasValue {
			if !ua.ACLAccessOK(uacontext.ACLClient, a.Value) {
				break
			}
			clients, _ := capability[ClientRecords](cat)
			recs, err := clients.ClientRecords(ctx)
			if err != nil {
				return ClientRecord{}, catalogError(ctx, err)
			}
			for _, c := range recs {
				if c.Name == a.Value {
					return c, nil
				}
			}
			ua.ErrorMsg("Could not find Client \"%s\": ERR=%s", a.Value, "Client record not found in Catalog.\n")
			break
		}
	}
	return SelectClientRecord(ctx, ua, cat)
}

// SelectPoolRecord takes the pool from <argk>=<name> (argk is "pool",
// "recyclepool", ...) or offers the catalog's pools the console may see
// (SelectPoolDbr). For "recyclepool" the list starts with "*None*",
// which selects the zero PoolRecord named "*None*".
func SelectPoolRecord(ctx context.Context, ua *uacontext.UA, cat Catalog, argk string) (PoolRecord, error) {
	pools, _ := capability[PoolRecords](cat)
	recs, err := pools.PoolRecords(ctx)
	if err != nil {
		ua.ErrorMsg("Error obtaining pool ids. ERR=%s\n", err.Error())
		return PoolRecord{}, reportedf("dircmd: pool ids: %v", err)
	}
	byName := func(name string) (PoolRecord, bool) {
		for _, p := range recs {
			if p.Name == name {
				return p, true
			}
		}
		return PoolRecord{}, false
	}
	for _, a := range ua.Args[1:] {
		if ascii.EqualFold(a.Key, argk) && a.HasValue && ua.ACLAccessOK(uacontext.ACLPool, a.Value) {
			if p, ok := byName(a.Value); ok {
				return p, nil
			}
			ua.ErrorMsg("Could not find Pool \"%s\": ERR=%s", a.Value, "Pool record not found in Catalog.\n")
			break
		}
	}
	if len(recs) == 0 {
		ua.ErrorMsg("No pools defined. Use the \"create\" command to create one.\n")
		return PoolRecord{}, reportedf("dircmd: no pools")
	}
	var names []string
	if argk == "recyclepool" {
		names = append(names, "*None*")
	}
	for _, p := range recs {
		if ua.ACLAccessOK(uacontext.ACLPool, p.Name) {
			names = append(names, p.Name)
		}
	}
	name, err := choose(ctx, ua, "Defined Pools:\n", names, false, "Pool", "Select the Pool")
	if err != nil {
		return PoolRecord{}, err
	}
	if name == "*None*" {
		return PoolRecord{Name: name}, nil
	}
	if p, ok := byName(name); ok {
		return p, nil
	}
	ua.ErrorMsg("Could not find Pool \"%s\": ERR=%s", name, "Pool record not found in Catalog.\n")
	return PoolRecord{}, reportedf("dircmd: pool %q vanished", name)
}

// GetPoolRecord is SelectPoolRecord for pool=<name> (GetPoolDbr without
// a preset name).
func GetPoolRecord(ctx context.Context, ua *uacontext.UA, cat Catalog) (PoolRecord, error) {
	return SelectPoolRecord(ctx, ua, cat, "pool")
}

// SelectMediaRecord finds the volume of volume=<name>, or lists the
// volumes of a pool (GetPoolRecord) and asks for a volume name or
// "*<MediaId>" (SelectMediaDbr). A name that is not a valid resource
// name fails without a message, as in the Director.
func SelectMediaRecord(ctx context.Context, ua *uacontext.UA, cat Catalog) (Media, error) {
	mr, _ := capability[MediaRecords](cat)
	var q MediaQuery
	if name, ok := ua.ArgValue("volume"); ok {
		if !uacontext.IsNameValid(name) {
			return Media{}, reportedf("dircmd: bad volume name")
		}
		q.VolumeName = name
	} else {
		pool, err := GetPoolRecord(ctx, ua, cat)
		if err != nil {
			return Media{}, err
		}
		media, err := mr.ListMedia(ctx, MediaQuery{PoolID: pool.PoolID})
		if err != nil {
			return Media{}, catalogError(ctx, err)
		}
		ua.Formatter().ArrayStart("volumes", null)
		renderMedia(ua, horzList, media)
		ua.Formatter().ArrayEnd("volumes", null)
		ua.SendMsg("Enter the volume name or MediaId of the volume prefixed with an asterisk (*).\n")
		answer, err := ua.GetCmd(ctx, "E.g. \"full-0001\" or \"*42\": ")
		if err != nil {
			return Media{}, err
		}
		switch {
		case strings.HasPrefix(answer, "*") && uacontext.IsNumber(answer[1:]):
			q.MediaID = uint64(strToInt64(answer[1:]))
		case uacontext.IsNameValid(answer):
			q.VolumeName = answer
		default:
			return Media{}, reportedf("dircmd: bad volume name")
		}
	}
	media, err := mr.ListMedia(ctx, q)
	if err != nil {
		return Media{}, catalogError(ctx, err)
	}
	if len(media) == 0 {
		if q.VolumeName != "" {
			ua.ErrorMsg("Media record for Volume \"%s\" not found.\n", q.VolumeName)
		} else {
			ua.ErrorMsg("Media record MediaId=%s not found.\n", strconv.FormatUint(q.MediaID, 10))
		}
		return Media{}, reportedf("dircmd: no such volume")
	}
	return media[0], nil
}

// SelectRunningJobs picks running jobs for reason ("cancel", ...), the
// Director's select_jobs: jobid=, job= (a prefix of the unique name) and
// ujobid= name jobs directly; otherwise "all" or state=<created|blocked|
// waiting|running> select by state (confirmed with "Confirm cancel
// (yes/no): " unless "yes" is given), or the running jobs are offered
// as a list. It returns nil (and no error) when nothing was selected
// after the Director's message ("No Jobs running.", ...).
func SelectRunningJobs(ctx context.Context, ua *uacontext.UA, jobs JobController, reason string) ([]RunningJob, error) {
	running, err := jobs.RunningJobs(ctx)
	if err != nil {
		return nil, catalogError(ctx, err)
	}
	var selected []RunningJob
	add := func(j RunningJob) bool {
		if slices.ContainsFunc(selected, func(s RunningJob) bool { return s.JobID == j.JobID }) {
			return false
		}
		selected = append(selected, j)
		return true
	}
	// As in the Director, only a command line whose first job keyword is
	// jobid= or ujobid= selects directly: with job= first, the list is
	// offered.
	if ua.FindArgKeyword("job", "jobid", "ujobid") > 0 {
		for _, a := range ua.Args[1:] {
			var j RunningJob
			ok := false
			switch {
			case ascii.EqualFold(a.Key, "jobid"):
				id := strToInt64(a.Value)
				if id == 0 {
					continue
				}
				i := slices.IndexFunc(running, func(j RunningJob) bool { return j.JobID == uint64(id) })
				if i < 0 {
					ua.ErrorMsg("JobId %s is not running. Use Job name to %s inactive jobs.\n", a.Value, reason)
					continue
				}
				j, ok = running[i], true
			case ascii.EqualFold(a.Key, "job"), ascii.EqualFold(a.Key, "ujobid"):
				if !a.HasValue {
					continue
				}
				exact := ascii.EqualFold(a.Key, "ujobid")
				i := slices.IndexFunc(running, func(j RunningJob) bool {
					if exact {
						return j.Job == a.Value
					}
					return strings.HasPrefix(j.Job, a.Value)
				})
				if i < 0 {
					ua.WarningMsg("Warning Job %s is not running. Continuing anyway ...\n", a.Value)
					continue
				}
				j, ok = running[i], true
			}
			if !ok {
				continue
			}
			if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
				ua.ErrorMsg("Unauthorized command from this console.\n")
				return nil, reportedf("dircmd: job %q not allowed", j.Name)
			}
			add(j)
		}
	}
	if len(selected) > 0 {
		return selected, nil
	}

	var allowed []RunningJob
	for _, j := range running {
		if ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			allowed = append(allowed, j)
		}
	}
	if len(allowed) == 0 {
		if len(running) == 0 {
			ua.SendMsg("No Jobs running.\n")
		} else {
			ua.SendMsg("None of your jobs are running.\n")
		}
		return nil, nil
	}
	state, byState := "", false
	if i := ua.FindArgWithValue("state"); i > 0 {
		state, byState = ua.Args[i].Value, true
	}
	if ua.FindArg("all") > 0 || byState {
		match := func(RunningJob) bool { return true }
		if ua.FindArg("all") <= 0 {
			switch {
			case ascii.EqualFold(state, "created"):
				match = func(j RunningJob) bool { return j.Status == JobStatusCreated }
			case ascii.EqualFold(state, "blocked"):
				match = func(j RunningJob) bool { return j.Status == 'B' && !j.StartTime.IsZero() }
			case ascii.EqualFold(state, "waiting"):
				match = func(j RunningJob) bool { return !j.StartTime.IsZero() && strings.IndexByte("FSmMsjcdp", j.Status) >= 0 }
			case ascii.EqualFold(state, "running"):
				match = func(j RunningJob) bool { return j.Status == JobStatusRunning && !j.StartTime.IsZero() }
			default:
				ua.ErrorMsg("Illegal state either created, blocked, waiting or running\n")
				return nil, reportedf("dircmd: bad state")
			}
		}
		for _, j := range allowed {
			if match(j) {
				add(j)
				ua.SendMsg("Selected Job %d for cancelling\n", j.JobID)
			}
		}
		if len(selected) == 0 {
			ua.SendMsg("No Jobs selected.\n")
			return nil, nil
		}
		if !ua.Batch && ua.FindArg("yes") == -1 {
			yes, err := ua.GetYesno(ctx, "Confirm cancel (yes/no): ")
			if err != nil {
				return nil, err
			}
			if !yes {
				return nil, nil
			}
		}
		return selected, nil
	}

	items := make([]string, 0, len(allowed))
	for _, j := range allowed {
		items = append(items, "JobId="+strconv.FormatUint(j.JobID, 10)+" Job="+j.Job)
	}
	choice, err := choose(ctx, ua, "Select Job:\n", items, false, "Job", "Choose Job to "+reason)
	if err != nil {
		return nil, err
	}
	if reason == "cancel" && len(allowed) == 1 {
		prompt := "Confirm cancel (yes/no): "
		if ua.Mode() != 0 {
			prompt = "Cancel: " + choice + "\n\nConfirm cancel?"
		}
		yes, err := ua.GetYesno(ctx, prompt)
		if err != nil {
			return nil, err
		}
		if !yes {
			return nil, nil
		}
	}
	for _, j := range allowed {
		if "JobId="+strconv.FormatUint(j.JobID, 10)+" Job="+j.Job == choice {
			return []RunningJob{j}, nil
		}
	}
	return nil, nil
}

// SelectJobRecord lists the jobs of the catalog (of the job resource
// name, if not empty) and asks for a JobId (SelectJobDbr). A JobId the
// catalog does not know gives the catalog's message.
func SelectJobRecord(ctx context.Context, ua *uacontext.UA, cat Catalog, name string) (Job, error) {
	jobs, err := resolve(cat).jobs.ListJobs(ctx, JobQuery{Name: name})
	if err != nil {
		return Job{}, catalogError(ctx, err)
	}
	c := &cmds{cat: cat, capabilities: resolve(cat), opts: Options{}.withDefaults()}
	rs := &resultSet{cols: jobColumns}
	for _, j := range jobs {
		rs.rows = append(rs.rows, c.jobRow(j, horzList))
	}
	setACLFilter(ua, 1, uacontext.ACLJob)
	setACLFilter(ua, 2, uacontext.ACLClient)
	render(ua.Formatter(), rs, horzList, ua.GUI)
	ua.Formatter().ClearFilters()
	id, err := ua.GetPint(ctx, "Enter the JobId to select: ")
	if err != nil {
		return Job{}, err
	}
	j, err := resolve(cat).jobs.JobByID(ctx, uint64(id))
	if err != nil {
		if errors.Is(err, uacontext.ErrNotFound) {
			ua.ErrorMsg("No Job found for JobId %s\n", strconv.FormatInt(id, 10))
			return Job{}, reportedf("dircmd: job %d not found", id)
		}
		return Job{}, catalogError(ctx, err)
	}
	if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
		ua.ErrorMsg("No Job found for JobId %s\n", strconv.FormatInt(id, 10))
		return Job{}, reportedf("dircmd: job %d not allowed", id)
	}
	return j, nil
}

// GetJobRecord takes the job from ujobid=<unique name> or jobid=<id>
// on the command line, or lists the jobs (of job=<name> or
// jobname=<name>, if given) and asks for one (GetJobDbr).
func GetJobRecord(ctx context.Context, ua *uacontext.UA, cat Catalog) (Job, error) {
	jobs := resolve(cat).jobs
	for _, a := range ua.Args[1:] {
		var j Job
		var err error
		switch {
		case ascii.EqualFold(a.Key, "ujobid") && a.HasValue:
			j, err = jobs.JobByUnique(ctx, a.Value)
		case ascii.EqualFold(a.Key, "jobid") && a.HasValue:
			j, err = jobs.JobByID(ctx, uint64(strToInt64(a.Value)))
		default:
			continue
		}
		if err == nil && ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			return j, nil
		}
		if err != nil && !errors.Is(err, uacontext.ErrNotFound) {
			return Job{}, catalogError(ctx, err)
		}
		cause := "No Job found for JobId " + a.Value + "\n"
		if ascii.EqualFold(a.Key, "ujobid") {
			cause = "No Job found for JobName '" + a.Value + "'\n"
		}
		ua.ErrorMsg("Could not find Job \"%s\": ERR=%s", a.Value, cause)
		break
	}
	name := ""
	for _, a := range ua.Args[1:] {
		if (ascii.EqualFold(a.Key, "jobname") || ascii.EqualFold(a.Key, "job")) && a.HasValue {
			name = a.Value
			break
		}
	}
	return SelectJobRecord(ctx, ua, cat, name)
}

// SelectStorageRecord takes the storage from <argk>=<name> or offers the
// catalog's storages the console may see (SelectStorageDbr); for
// "recyclestorage" the list starts with "*None*".
func SelectStorageRecord(ctx context.Context, ua *uacontext.UA, cat Catalog, argk string) (StorageRecord, error) {
	recs, err := resolve(cat).storages.StorageRecords(ctx)
	if err != nil {
		ua.ErrorMsg("Error obtaining storage ids. ERR=%s\n", err.Error())
		return StorageRecord{}, reportedf("dircmd: storage ids: %v", err)
	}
	byName := func(name string) (StorageRecord, bool) {
		for _, r := range recs {
			if r.Name == name {
				return r, true
			}
		}
		return StorageRecord{}, false
	}
	for _, a := range ua.Args[1:] {
		if ascii.EqualFold(a.Key, argk) && a.HasValue && ua.ACLAccessOK(uacontext.ACLStorage, a.Value) {
			if r, ok := byName(a.Value); ok {
				return r, nil
			}
			ua.ErrorMsg("Could not find Storage \"%s\": ERR=%s", a.Value, "")
			break
		}
	}
	if len(recs) == 0 {
		ua.ErrorMsg("No storages defined.\n")
		return StorageRecord{}, reportedf("dircmd: no storages")
	}
	var names []string
	if argk == "recyclestorage" {
		names = append(names, "*None*")
	}
	for _, r := range recs {
		if ua.ACLAccessOK(uacontext.ACLStorage, r.Name) {
			names = append(names, r.Name)
		}
	}
	name, err := choose(ctx, ua, "Defined Storages:\n", names, false, "Storage", "Select the Storage")
	if err != nil {
		return StorageRecord{}, err
	}
	if name == "*None*" {
		return StorageRecord{Name: name}, nil
	}
	if r, ok := byName(name); ok {
		return r, nil
	}
	ua.ErrorMsg("Could not find Storage \"%s\": ERR=%s", name, "")
	return StorageRecord{}, reportedf("dircmd: storage %q vanished", name)
}
