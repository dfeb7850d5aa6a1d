// Package dircmd implements Bareos Director console commands that read
// the configuration and the catalog: the resource dot commands (.jobs,
// .clients, .pools, .storages, .filesets, .schedule, .catalogs, .msgs),
// list and llist (jobs, files, pools, clients, storages, media/volumes,
// logs, ...), the bvfs commands (.bvfs_lsdirs, .bvfs_lsfiles,
// .bvfs_versions, ...), status and show. Their output is shaped exactly
// like the Director's in all three API modes: the same formatter calls,
// so text tables, API-mode text and JSON results match.
//
// An embedder implements Catalog (the configuration resources) plus the
// capability interfaces it can serve (JobRecords, MediaRecords, Bvfs,
// StatusReporter, ...; see Catalog) and adds Commands(cat, opts) to a
// uacontext.Table. Package memcatalog is a complete in-memory Catalog to
// start from, and package catalogtest checks an implementation.
//
// # Missing capabilities
//
// A command that needs a capability the catalog lacks answers like a
// Director that cannot open its catalog database: the error message
// `Could not open catalog database "<DbName>".` (the first Catalog
// resource the console may use; "Could not find a Catalog resource" if
// there is none), and then what the Director does after that failure:
//
//   - list, llist: nothing more, the command succeeds (needs: JobRecords
//     for the job keywords, logs and filesets; also FileRecords for
//     files, MediaRecords for jobmedia; MediaRecords and PoolRecords for
//     media/volumes; PoolRecords, ClientRecords, StorageRecords for
//     pools, clients, storages);
//   - .bvfs_get_jobids: nothing more, success (needs: JobRecords);
//   - .bvfs_lsdirs: "Can't find jobid, pathid or path argument", success;
//     .bvfs_lsfiles, .bvfs_versions: the same message, the command fails
//     (needs: JobRecords and Bvfs; .bvfs_versions only Bvfs);
//   - status director, which does not read the catalog database, shows a
//     Director started when Commands was called, with no jobs run,
//     scheduled or terminated, when the catalog is no StatusReporter.
//
// The web UI's capabilities (JobLogs, JobStatistics, FileSetRecords,
// BvfsCache, BvfsSelection, MediaUpdater, FileDaemons, StorageDaemons,
// Configuration) answer as an empty table, a cache with nothing to do,
// no restore list, an unreachable daemon or no resources to show (see
// each interface). show, .defaults, use and configure export print the
// Configuration's resources (package resource) as the Director's
// resource printer does.
//
// ErrNotFound from a lookup is a missing record, answered as the Director
// answers one (an empty list, its message for the missing item); every
// other error fails the command with "Query failed: <error>".
//
// # ACLs
//
// Listings honour the console's ACLs the way the Director does: the
// resource dot commands skip entries the console may not access, and
// catalog listings register ACL filters with the formatter, which the
// session's filter callback (uacontext.UA.Filter) applies to every row.
// The ResourceFilter adapter answers the resource and enabled/disabled
// filters from the Catalog's resources; Commands installs it on sessions
// that have none. Where the Director applies no ACL (list jobtotals, the
// count of list jobs, list jobmedia without a job, volumes named
// directly, the jobs of .bvfs_versions), these commands confine the
// console all the same.
//
// # Restore
//
// Commands also holds restore, the Director's restore command: the job
// selection menu and its keywords (jobid=, client=, fileset=, before=,
// select, current, all, done, file=, directory=, pool=, where=,
// replace=, yes, ...), the file selection mode with its "$" prompt (cd,
// ls, dir, mark, unmark, lsmark, estimate, count, find, pwd, help, done,
// quit, ...) over an in-memory tree of the jobs' files, and the restore
// job, which it hands to the run command ("OK to run? (yes/mod/no):").
// It needs the RestoreCatalog capability for the file lists (without
// it, as for jobs whose files were pruned, it offers to restore
// everything) and JobRunner to queue the job.
package dircmd

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
)

// null is the formatter's C NULL.
const null = formatter.Null

// Options configure Commands. Zero fields take defaults.
type Options struct {
	// Now is the Director's clock (status, durations of running jobs,
	// list jobs days=/hours=). Default time.Now.
	Now func() time.Time
	// UserName and GroupName turn the numeric owner of a file into the
	// names .bvfs_lsfiles reports in "stat"; the Director looks them up in
	// its own user database. Default: 0 is "root", others their number.
	UserName  func(uid uint32) string
	GroupName func(gid uint32) string
	// Restore configures the restore command.
	Restore RestoreOptions
	// Poll is how often the wait command looks at the running jobs;
	// zero means DefaultPoll.
	Poll time.Duration
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.UserName == nil {
		o.UserName = defaultIDName
	}
	if o.GroupName == nil {
		o.GroupName = defaultIDName
	}
	o.Restore = o.Restore.withDefaults()
	return o
}

func defaultIDName(id uint32) string {
	if id == 0 {
		return "root"
	}
	return strconv.FormatUint(uint64(id), 10)
}

// cmds holds the state shared by the command handlers.
type cmds struct {
	cat Catalog
	capabilities
	opts Options
	res  uacontext.ResourceLookup
	conf Configuration // nil: no configuration resources

	lists restoreLists // .bvfs_restore's lists
	// bsrSeq numbers the bootstrap files of restore, as the Director's
	// counter does for its process.
	bsrSeq atomic.Uint32
}

// Commands returns the commands of this package for cat, with the names,
// descriptions and usage strings of the Director's command table. Add
// them to a uacontext.Table (together with uacontext.Builtins).
func Commands(cat Catalog, opts Options) []uacontext.Command {
	c := &cmds{cat: cat, capabilities: resolve(cat), opts: opts.withDefaults(), res: ResourceFilter(cat)}
	if !c.has.status {
		c.status = noStatus{started: c.opts.Now()}
	}
	c.conf, _ = cat.(Configuration)
	handlers := []struct {
		name string
		h    uacontext.HandlerFunc
	}{
		{".jobs", c.dotJobs},
		{".clients", c.dotClients},
		{".pools", c.dotPools},
		{".storages", c.dotStorages},
		{".filesets", c.dotFileSets},
		{".schedule", c.dotSchedule},
		{".catalogs", c.dotCatalogs},
		{".msgs", c.dotMsgs},
		{".bvfs_lsdirs", c.bvfsLsDirs},
		{".bvfs_lsfiles", c.bvfsLsFiles},
		{".bvfs_versions", c.bvfsVersions},
		{"list", c.list},
		{"llist", c.llist},
		{"status", c.statusDispatch},
		{"show", c.show},
		{".defaults", c.dotDefaults},
		{".bvfs_update", c.dotBvfsUpdate},
		{".bvfs_clear_cache", c.dotBvfsClearCache},
		{".bvfs_cleanup", c.dotBvfsCleanup},
		{".bvfs_get_jobids", c.dotBvfsGetJobids},
		{".bvfs_restore", c.dotBvfsRestore},
		{"mount", c.mountCmd("mount")},
		{"unmount", c.mountCmd("unmount")},
		{"umount", c.mountCmd("unmount")},
		{"release", c.mountCmd("release")},
		{"import", c.moveOp("import")},
		{"export", c.moveOp("export")},
		{"move", c.moveOp("move")},
		{"update", c.updateCmd},
		{"label", c.labelCmd},
		{"use", c.useCmd},
		{"configure", c.configureCmd},
		{"restore", c.restore},
	}
	out := make([]uacontext.Command, 0, len(handlers))
	for _, h := range handlers {
		cmd, ok := uacontext.Reference(h.name)
		if !ok {
			cmd = uacontext.Command{Name: h.name, Help: null, Usage: null}
		}
		cmd.Handler = c.wrap(h.h)
		out = append(out, cmd)
	}
	return out
}

// wrap installs the resource filter adapter on sessions without one.
func (c *cmds) wrap(h uacontext.HandlerFunc) uacontext.HandlerFunc {
	return func(ctx context.Context, ua *uacontext.UA) error {
		if ua.Resources == nil {
			ua.Resources = c.res
		}
		return h(ctx, ua)
	}
}

// catalogError is the error a command returns when a catalog call
// failed: the console sees "Query failed: <cause>". An error that ends
// the command's context is passed on as it is, so that the dispatcher
// sees an abandoned command.
func catalogError(ctx context.Context, err error) error {
	if ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return err
	}
	return &uacontext.CommandError{Msg: "Query failed: " + err.Error() + "\n", Err: err}
}

// ResourceFilter adapts the resources of r to uacontext.ResourceLookup, which
// the session's output filter uses for the resource ("current") and
// enabled/disabled filters of catalog listings.
func ResourceFilter(r Resources) uacontext.ResourceLookup { return resourceFilter{r} }

type resourceFilter struct{ r Resources }

func (rf resourceFilter) Resource(t uacontext.ResourceType, name string) (found, enabled bool) {
	r := rf.r
	switch t {
	case uacontext.ResJob:
		return lookup(r.Jobs(), name, func(x JobResource) (string, bool) { return x.Name, x.Enabled })
	case uacontext.ResClient:
		return lookup(r.Clients(), name, func(x ClientResource) (string, bool) { return x.Name, x.Enabled })
	case uacontext.ResStorage:
		return lookup(r.Storages(), name, func(x StorageResource) (string, bool) { return x.Name, x.Enabled })
	case uacontext.ResSchedule:
		return lookup(r.Schedules(), name, func(x ScheduleResource) (string, bool) { return x.Name, x.Enabled })
	case uacontext.ResPool:
		return lookup(r.Pools(), name, func(x PoolResource) (string, bool) { return x.Name, true })
	case uacontext.ResFileSet:
		return lookup(r.FileSets(), name, namedEnabled)
	case uacontext.ResCatalog:
		return lookup(r.Catalogs(), name, namedEnabled)
	case uacontext.ResMsgs:
		return lookup(r.MessageResources(), name, namedEnabled)
	}
	return false, false
}

// lookup finds the resource called name; resources without an enabled
// flag count as enabled.
func lookup[R any](res []R, name string, get func(R) (string, bool)) (found, enabled bool) {
	for _, x := range res {
		if n, on := get(x); n == name {
			return true, on
		}
	}
	return false, false
}

func namedEnabled(x NamedResource) (string, bool) { return x.Name, true }

// argKey returns the keyword of argument i ("" if absent).
func argKey(ua *uacontext.UA, i int) string {
	if i < 0 || i >= len(ua.Args) {
		return ""
	}
	return ua.Args[i].Key
}

// hasFlag reports whether a keyword appears among the arguments.
func hasFlag(ua *uacontext.UA, kw string) bool { return ua.FindArg(kw) >= 0 }

// strToInt64 converts like the Director's str_to_int64: leading blanks,
// an optional sign, then digits; anything else ends the number.
func strToInt64(s string) int64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	var v uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		v = v*10 + uint64(s[i]-'0')
	}
	if neg {
		return -int64(v)
	}
	return int64(v)
}

func isCSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

// stoull converts like C++ std::stoull, reporting false where it throws:
// leading blanks, an optional sign (a '-' negates modulo 2^64), digits;
// no digits or overflow fail.
func stoull(s string) (uint64, bool) {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		d := uint64(s[i] - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if i == start {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// isANumber is the Director's Is_a_number: optional sign, digits, an
// optional fraction and exponent.
func isANumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := false
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		digits = true
		i++
	}
	if digits && i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if digits && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '-' || s[j] == '+') {
			j++
		}
		if j < len(s) && s[j] >= '0' && s[j] <= '9' {
			i = j
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
		}
	}
	return digits && i == len(s)
}

// isANumberList is the Director's Is_a_number_list: digits separated by
// single commas (a trailing comma is allowed).
func isANumberList(s string) bool {
	prevDigit, digit := false, false
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] >= '0' && s[i] <= '9':
			prevDigit, digit = true, true
		case s[i] == ',' && prevDigit:
			prevDigit = false
		default:
			return false
		}
	}
	return digit
}
