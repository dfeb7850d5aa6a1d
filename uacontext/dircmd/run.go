package dircmd

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// errJobNotRun fails a run after "Job not run." was sent.
var errJobNotRun = errors.New("dircmd: job not run")

// notRun is the run command's failure after its own message: it matches
// uacontext.ErrReported.
type notRun struct{ err error }

func (e notRun) Error() string        { return e.err.Error() }
func (e notRun) Unwrap() error        { return e.err }
func (notRun) Is(target error) bool   { return target == uacontext.ErrReported }
func failed(err error) error          { return notRun{err} }
func failedf(msg string) error        { return notRun{errors.New("dircmd: " + msg)} }
func isStop(ctx context.Context) bool { return ctx.Err() != nil }

// runKeywords are the run command's keywords in the Director's order.
var runKeywords = []string{
	"job", "jobid", "client", "fd", "fileset", "level", "storage", "sd",
	"regexwhere", "where", "bootstrap", "replace", "when", "priority", "yes",
	"verifyjob", "files", "catalog", "since", "cloned", "migrationjob", "pool",
	"nextpool", "backupclient", "restoreclient", "pluginoptions", "spooldata",
	"comment", "ignoreduplicatecheck", "accurate", "backupformat", "consolidatejob",
}

// replaceOptions are the Director's Replace values in order.
var replaceOptions = []string{"Always", "IfNewer", "IfOlder", "Never"}

// runContext is the Director's RunContext: what the command line (and
// "mod <args>") asked for.
type runContext struct {
	job                           JobResource
	haveJob                       bool
	jobName                       *string
	pool, nextPool                *PoolResource
	poolName, nextPoolName        *string
	store                         *StorageResource
	storeSource                   string
	storeName                     *string
	client                        *ClientResource
	clientName, restoreClientName *string
	fileset                       *NamedResource
	filesetName                   *string
	catalog                       *NamedResource
	catalogName                   *string
	levelName                     *string
	when                          *string
	since                         *string
	where, regexWhere             *string
	bootstrap                     *string
	replace                       *string
	jid                           *string
	priority                      int
	comment                       *string
	pluginOptions                 *string
	backupFormat                  *string
	verifyJobName                 *string
	previousJobName               *string
	consolidateJobName            *string
	files                         uint64
	mod                           bool
	levelOverride, poolOverride   bool
	spoolSet, accurateSet, dupSet bool
}

// runJob is the state of the job being prepared (the Director's JCR).
type runJob struct {
	job          JobResource
	level        byte
	pool         PoolResource
	poolSource   string
	store        *StorageResource
	storeSource  string
	client       ClientResource
	fileset      NamedResource
	catalog      string
	when         time.Time
	priority     int
	backupFormat string
	plugin       *string
	where        *string
	regexWhere   *string
	bootstrap    *string
	replace      string
	restoreJobID uint64
	comment      string
	files        uint64
	presetIDs    bool // the calling command selected the jobs to restore
}

// Run is the Director's run command on ua's command line (run
// job=<name> level=... yes): it resolves the job and its overrides
// (prompting for what is missing or unknown), shows the parameters and
// asks "OK to run? (yes/mod/no):" until the answer is yes, no, mod (the
// parameter menu) or "mod <keyword=value ...>"; "yes" on the command
// line, or batch mode, skips the question. The job is started with
// runner only after every question was answered. preset carries what a
// calling command (restore) selected: its RestoreJobIDs, Files and
// BackupClient are passed on to the RunRequest.
//
// On success the result is {"run": {"jobid": "<id>"}} ("Job queued.
// JobId=<id>" in the text modes). A refused or canceled run says "Job
// not run." and fails with an error that matches uacontext.ErrReported.
func Run(ctx context.Context, ua *uacontext.UA, cat Catalog, runner JobRunner, opts Options, preset RunRequest) error {
	c := &cmds{cat: cat, capabilities: resolve(cat), opts: opts.withDefaults()}
	return c.doRun(ctx, ua, runner, preset)
}

func (c *cmds) doRun(ctx context.Context, ua *uacontext.UA, runner JobRunner, preset RunRequest) error {
	rc := &runContext{}
	if err := c.scanRunArgs(ctx, ua, rc); err != nil {
		return err
	}
	j := c.newRunJob(rc.job)
	j.files = preset.Files
	j.presetIDs = len(preset.RestoreJobIDs) > 0
	doPoolOverrides := true
	for {
		if err := c.resetRunJob(ctx, ua, rc, j); err != nil {
			return c.notRun(ua, err)
		}
		if ua.Batch || ua.FindArg("yes") > 0 {
			return c.startJob(ctx, ua, runner, rc, j, preset)
		}
		if doPoolOverrides {
			// The sample configuration has no level pools: nothing to
			// override.
			doPoolOverrides = false
		}
		if err := c.displayJob(ctx, ua, rc, j); err != nil {
			return c.notRun(ua, err)
		}
		var answer string
		for {
			a, err := ua.GetCmd(ctx, "OK to run? (yes/mod/no): ")
			if err != nil {
				return c.notRun(ua, err)
			}
			n := len(a)
			if a == "" || strncaseEq(a, ".mod ", min(n, 5)) || strncaseEq(a, "mod ", min(n, 4)) ||
				strncaseEq("yes", a, n) || strncaseEq("no", a, n) {
				answer = a
				break
			}
			ua.WarningMsg("Illegal response %s\n", a)
		}
		if strncaseEq(answer, ".mod ", 5) || strncaseEq(answer, "mod ", 4) && len(answer) > 6 {
			// As in the Director, the answer's arguments replace the
			// command line's for the rest of the command.
			ua.Args = uacontext.ParseArgs(answer)
			rc.mod = true
			if err := c.scanRunArgs(ctx, ua, rc); err != nil {
				return err
			}
			continue
		}
		status, err := c.modifyJob(ctx, ua, rc, j, answer)
		if err != nil && !uacontext.IsInputFailure(err) {
			return c.notRun(ua, err) // the session or its context ended
		}
		switch status {
		case 0:
			continue
		case -1:
			return c.notRun(ua, err)
		}
		n := len(answer)
		if answer == "" || strncaseEq("yes", answer, n) {
			return c.startJob(ctx, ua, runner, rc, j, preset)
		}
		return c.notRun(ua, errJobNotRun)
	}
}

// notRun sends "Job not run." and returns the failure (ending the
// session's context or the session passes through).
func (c *cmds) notRun(ua *uacontext.UA, err error) error {
	ua.SendMsg("Job not run.\n")
	if err == nil {
		err = errJobNotRun
	}
	if errors.Is(err, uacontext.ErrReported) {
		return err
	}
	var ce *uacontext.CommandError
	if errors.As(err, &ce) {
		return err
	}
	return failed(err)
}

// strncaseEq is C strncasecmp(a, b, n) == 0: at most n bytes compared
// ASCII-case-insensitively, stopping after a NUL (end of string).
func strncaseEq(a, b string, n int) bool {
	for i := 0; i < n; i++ {
		var ca, cb byte
		if i < len(a) {
			ca = asciiLower(a[i])
		}
		if i < len(b) {
			cb = asciiLower(b[i])
		}
		if ca != cb {
			return false
		}
		if ca == 0 {
			return true
		}
	}
	return true
}

func asciiLower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scanRunArgs is the Director's ScanCommandLineArguments.
func (c *cmds) scanRunArgs(ctx context.Context, ua *uacontext.UA, rc *runContext) error {
	rc.catalogName, rc.jobName, rc.poolName, rc.nextPoolName = nil, nil, nil, nil
	rc.storeName, rc.clientName, rc.restoreClientName, rc.filesetName = nil, nil, nil, nil
	rc.verifyJobName, rc.previousJobName = nil, nil
	rc.accurateSet, rc.spoolSet, rc.comment, rc.backupFormat = false, false, nil, nil
	rc.consolidateJobName = nil
	fail := func(format string, a ...any) error {
		ua.SendMsg(format, a...)
		return failedf("bad run arguments")
	}
	for i := 1; i < len(ua.Args); i++ {
		arg := ua.Args[i]
		val := arg.Value
		kw := -1
		for j, k := range runKeywords {
			if ascii.EqualFold(arg.Key, k) {
				kw = j
				break
			}
		}
		if kw >= 0 && !arg.HasValue && kw != 14 {
			return fail("Value missing for keyword %s\n", arg.Key)
		}
		twice := func(p **string, what string, allowMod bool) error {
			if *p != nil && !(allowMod && rc.mod) {
				return fail("%s specified twice.\n", what)
			}
			v := val
			*p = &v
			return nil
		}
		var err error
		switch kw {
		case 0:
			err = twice(&rc.jobName, "Job name", false)
		case 1:
			if rc.jid != nil && !rc.mod {
				return fail("JobId specified twice.\n")
			}
			v := val
			rc.jid = &v
			for _, id := range strings.Split(val, ",") {
				if !c.jobExists(ctx, id) {
					return fail("JobId %s not found in catalog. \n", id)
				}
			}
		case 2, 3, 23:
			err = twice(&rc.clientName, "Client", false)
		case 4:
			err = twice(&rc.filesetName, "FileSet", false)
		case 5:
			err = twice(&rc.levelName, "Level", false)
		case 6, 7:
			err = twice(&rc.storeName, "Storage", false)
		case 8, 9:
			if (rc.regexWhere != nil || rc.where != nil) && !rc.mod {
				return fail("RegexWhere or Where specified twice.\n")
			}
			v := val
			what := "where"
			if kw == 8 {
				rc.regexWhere, what = &v, "regexwhere"
			} else {
				rc.where = &v
			}
			if !ua.ACLAccessOK(uacontext.ACLWhere, v) {
				return fail("No authorization for \"%s\" specification.\n", what)
			}
		case 10:
			err = twice(&rc.bootstrap, "Bootstrap", true)
		case 11:
			err = twice(&rc.replace, "Replace", true)
		case 12:
			err = twice(&rc.when, "When", true)
		case 13:
			if rc.priority != 0 && !rc.mod {
				return fail("Priority specified twice.\n")
			}
			rc.priority = int(int32(strToInt64(val)))
			if rc.priority <= 0 {
				ua.SendMsg("Priority must be positive nonzero setting it to 10.\n")
				rc.priority = 10
			}
		case 14: // yes
		case 15:
			err = twice(&rc.verifyJobName, "Verify Job", false)
		case 16:
			rc.files = uint64(int32(strToInt64(val)))
		case 17:
			v := val
			rc.catalogName = &v
		case 18:
			v := val
			rc.since = &v
		case 19: // cloned
		case 20:
			err = twice(&rc.previousJobName, "Migration Job", false)
		case 21:
			err = twice(&rc.poolName, "Pool", false)
		case 22:
			err = twice(&rc.nextPoolName, "NextPool", false)
		case 24:
			err = twice(&rc.restoreClientName, "Restore Client", true)
		case 25:
			if err = twice(&rc.pluginOptions, "Plugin Options", false); err == nil && !ua.ACLAccessOK(uacontext.ACLPluginOptions, val) {
				return fail("No authorization for \"PluginOptions\" specification.\n")
			}
		case 26, 28, 29:
			set := map[int]*bool{26: &rc.spoolSet, 28: &rc.dupSet, 29: &rc.accurateSet}[kw]
			name := map[int]string{26: "Spool", 28: "IgnoreDuplicateCheck", 29: "Accurate"}[kw]
			if *set {
				return fail("%s flag specified twice.\n", name)
			}
			if _, ok := uacontext.ParseYesNo(val); !ok {
				ua.SendMsg("Invalid %s flag.\n", map[int]string{26: "spooldata", 28: "ignoreduplicatecheck", 29: "accurate"}[kw])
				kw = -2 // not accepted: falls through to the job-name rule
			} else {
				*set = true
			}
		case 27:
			v := val
			rc.comment = &v
		case 30:
			err = twice(&rc.backupFormat, "Backup Format", true)
		case 31:
			err = twice(&rc.consolidateJobName, "Consolidate Job", false)
		}
		if err != nil {
			return err
		}
		if kw < 0 {
			// A keyword without value that is no keyword names the job.
			if rc.jobName == nil && !arg.HasValue {
				v := arg.Key
				rc.jobName = &v
			} else {
				return fail("Invalid keyword: %s\n", arg.Key)
			}
		}
	}
	if rc.comment != nil && !commentLegal(ua, *rc.comment) {
		return failedf("bad comment")
	}
	if rc.catalogName != nil {
		cat, ok := FindCatalogResource(ua, c.cat, *rc.catalogName)
		if !ok {
			ua.ErrorMsg("Catalog \"%s\" not found\n", *rc.catalogName)
			return failedf("no such catalog")
		}
		rc.catalog = &cat
	}
	switch {
	case rc.jobName != nil:
		if j, ok := FindJobResource(ua, c.cat, *rc.jobName); ok {
			rc.job, rc.haveJob = j, true
		} else {
			if *rc.jobName != "" {
				ua.SendMsg("Job \"%s\" not found\n", *rc.jobName)
			}
			j, err := SelectJobResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.job, rc.haveJob = j, true
		}
	case !rc.haveJob:
		ua.SendMsg("A job name must be specified.\n")
		j, err := SelectJobResource(ctx, ua, c.cat)
		if err != nil {
			return err
		}
		rc.job, rc.haveJob = j, true
	}

	switch {
	case rc.poolName != nil:
		if p, ok := FindPoolResource(ua, c.cat, *rc.poolName); ok {
			rc.pool = &p
		} else {
			if *rc.poolName != "" {
				ua.WarningMsg("Pool \"%s\" not found.\n", *rc.poolName)
			}
			p, err := SelectPoolResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.pool = &p
		}
	case rc.pool == nil:
		p, ok := lookupPool(c.cat, rc.job.Pool)
		if !ok {
			return failedf("job has no pool")
		}
		rc.pool = &p
	}
	if rc.nextPoolName != nil {
		if p, ok := FindPoolResource(ua, c.cat, *rc.nextPoolName); ok {
			rc.nextPool = &p
		} else {
			if *rc.nextPoolName != "" {
				ua.WarningMsg("Pool \"%s\" not found.\n", *rc.nextPoolName)
			}
			p, err := SelectPoolResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.nextPool = &p
		}
	}

	switch {
	case rc.storeName != nil:
		rc.storeSource = "command line"
		if s, ok := FindStorageResource(ua, c.cat, *rc.storeName); ok {
			rc.store = &s
		} else {
			if *rc.storeName != "" {
				ua.WarningMsg("Storage \"%s\" not found.\n", *rc.storeName)
			}
			s, err := SelectStorageResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.store, rc.storeSource = &s, "user selection"
		}
	case rc.store == nil:
		if s, ok := lookupStorage(c.cat, rc.job.Storage); ok {
			rc.store, rc.storeSource = &s, "Job resource"
		}
	}
	switch rc.job.Type {
	case JobTypeCopy, JobTypeMigrate:
	default:
		if rc.store == nil {
			ua.ErrorMsg("No storage specified.\n")
			return failedf("no storage")
		}
		if !ua.ACLAccessOK(uacontext.ACLStorage, rc.store.Name) {
			ua.ErrorMsg("No authorization. Storage \"%s\".\n", rc.store.Name)
			return failedf("storage not allowed")
		}
	}

	switch {
	case rc.clientName != nil:
		if cl, ok := FindClientResource(ua, c.cat, *rc.clientName); ok {
			rc.client = &cl
		} else if rc.job.Type == JobTypeRestore {
			if !c.clientInCatalog(ctx, ua, *rc.clientName) {
				ua.ErrorMsg("Client \"%s\" not found.\n", *rc.clientName)
				return failedf("no such client")
			}
		} else {
			if *rc.clientName != "" {
				ua.WarningMsg("Client \"%s\" not found.\n", *rc.clientName)
			}
			cl, err := SelectClientResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.client = &cl
		}
	case rc.client == nil:
		if cl, ok := lookupClient(c.cat, rc.job.Client); ok {
			rc.client = &cl
		}
	}
	if rc.client != nil && !ua.ACLAccessOK(uacontext.ACLClient, rc.client.Name) {
		ua.ErrorMsg("No authorization. Client \"%s\".\n", rc.client.Name)
		return failedf("client not allowed")
	}
	switch {
	case rc.restoreClientName != nil:
		if cl, ok := FindClientResource(ua, c.cat, *rc.restoreClientName); ok {
			rc.client = &cl
		} else {
			if *rc.restoreClientName != "" {
				ua.WarningMsg("Restore Client \"%s\" not found.\n", *rc.restoreClientName)
			}
			cl, err := SelectClientResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.client = &cl
		}
	case rc.client == nil:
		if cl, ok := lookupClient(c.cat, rc.job.Client); ok {
			rc.client = &cl
		}
	}
	if rc.client != nil && !ua.ACLAccessOK(uacontext.ACLClient, rc.client.Name) {
		ua.ErrorMsg("No authorization. Client \"%s\".\n", rc.client.Name)
		return failedf("client not allowed")
	}

	switch {
	case rc.filesetName != nil:
		if fs, ok := FindFileSetResource(ua, c.cat, *rc.filesetName); ok {
			rc.fileset = &fs
		} else {
			ua.SendMsg("FileSet \"%s\" not found.\n", *rc.filesetName)
			fs, err := SelectFileSetResource(ctx, ua, c.cat)
			if err != nil {
				return err
			}
			rc.fileset = &fs
		}
	case rc.fileset == nil:
		for _, fs := range c.cat.FileSets() {
			if fs.Name == rc.job.FileSet {
				fs := fs
				rc.fileset = &fs
			}
		}
	}
	for _, p := range []struct {
		name *string
		what string
	}{{rc.verifyJobName, "Verify Job"}, {rc.previousJobName, "Migration Job"}, {rc.consolidateJobName, "Consolidate Job"}} {
		if p.name == nil {
			continue
		}
		j, ok := FindJobResource(ua, c.cat, *p.name)
		if !ok {
			ua.SendMsg("%s \"%s\" not found.\n", p.what, *p.name)
			var err error
			if j, err = SelectJobResource(ctx, ua, c.cat); err != nil && !uacontext.IsInputFailure(err) {
				return err
			}
		}
		if p.what == "Consolidate Job" && j.Name != "" && j.Type != JobTypeConsolidate {
			ua.ErrorMsg("Invalid Consolidate Job \"%s\". Job type is \"%c\" but expected \"%c\".\n", j.Name, rune(j.Type), rune(JobTypeConsolidate))
			return failedf("bad consolidate job")
		}
	}
	return nil
}

// commentLegal is the Director's IsCommentLegal.
func commentLegal(ua *uacontext.UA, s string) bool {
	if i := strings.IndexAny(s, "'<>&\\\""); i >= 0 {
		ua.ErrorMsg("Illegal character \"%c\" in a comment.\n", rune(s[i]))
		return false
	}
	if len(s) >= 128 {
		ua.ErrorMsg("Comment too long.\n")
		return false
	}
	if s == "" {
		ua.ErrorMsg("Comment must be at least one character long.\n")
		return false
	}
	return true
}

func (c *cmds) jobExists(ctx context.Context, id string) bool {
	n := strToInt64(id)
	if n <= 0 {
		return false
	}
	_, err := c.jobs.JobByID(ctx, uint64(n))
	return err == nil
}

func (c *cmds) clientInCatalog(ctx context.Context, ua *uacontext.UA, name string) bool {
	recs, err := c.clients.ClientRecords(ctx)
	if err != nil || !ua.ACLAccessOK(uacontext.ACLClient, name) {
		return false
	}
	for _, r := range recs {
		if r.Name == name {
			return true
		}
	}
	return false
}

func lookupPool(r Resources, name string) (PoolResource, bool) {
	for _, p := range r.Pools() {
		if p.Name == name {
			return p, true
		}
	}
	return PoolResource{}, false
}

func lookupClient(r Resources, name string) (ClientResource, bool) {
	for _, cl := range r.Clients() {
		if cl.Name == name {
			return cl, true
		}
	}
	return ClientResource{}, false
}

// newRunJob is the Director's new JCR with SetJcrDefaults.
func (c *cmds) newRunJob(job JobResource) *runJob {
	j := &runJob{when: c.opts.Now().Truncate(time.Second)}
	c.setJobDefaults(j, job)
	return j
}

func (c *cmds) setJobDefaults(j *runJob, job JobResource) {
	j.job = job
	switch job.Type {
	case JobTypeRestore, JobTypeAdmin, JobTypeArchive, JobTypeConsolidate:
		j.level = ' '
	default:
		j.level = job.Level
	}
	j.priority = job.Priority
	j.backupFormat = "Native"
	if cats := c.cat.Catalogs(); len(cats) > 0 {
		j.catalog = cats[0].Name
	}
	if j.level == 0 {
		switch job.Type {
		case JobTypeVerify:
			j.level = 'C'
		case JobTypeBackup:
			j.level = LevelIncremental
		default:
			j.level = LevelFull
		}
	}
}

// resetRunJob is the Director's ResetRestoreContext: it applies the run
// context to the job.
func (c *cmds) resetRunJob(ctx context.Context, ua *uacontext.UA, rc *runContext, j *runJob) error {
	if rc.pool != nil {
		j.pool = *rc.pool
	}
	switch {
	case rc.poolName != nil:
		j.poolSource = "command line"
	case !rc.levelOverride && j.pool.Name != j.job.Pool:
		j.poolSource = "user input"
	case j.poolSource == "":
		j.poolSource = "Job resource"
	}
	j.store, j.storeSource = rc.store, rc.storeSource
	if rc.client != nil {
		j.client = *rc.client
	}
	if rc.fileset != nil {
		j.fileset = *rc.fileset
	}
	j.files = max(j.files, rc.files)
	if rc.catalog != nil {
		j.catalog = rc.catalog.Name
	}
	if rc.comment != nil {
		j.comment = *rc.comment
	}
	if rc.where != nil {
		j.where, rc.where = rc.where, nil
	}
	if rc.regexWhere != nil {
		j.regexWhere, rc.regexWhere = rc.regexWhere, nil
	}
	if rc.when != nil {
		t, ok := strToUtime(*rc.when, c.opts.Now().Location())
		if !ok {
			ua.SendMsg("Invalid time specification in when; expected: \"YYYY-MM-DD HH:MM:SS\"\n")
			return failedf("bad when")
		}
		j.when, rc.when = t, nil
	}
	if rc.bootstrap != nil {
		j.bootstrap, rc.bootstrap = rc.bootstrap, nil
	}
	if rc.pluginOptions != nil {
		j.plugin, rc.pluginOptions = rc.pluginOptions, nil
	}
	if rc.replace != nil {
		j.replace = ""
		for _, r := range replaceOptions {
			if ascii.EqualFold(*rc.replace, r) {
				j.replace = r
			}
		}
		if j.replace == "" {
			ua.SendMsg("Invalid replace option: %s\n", *rc.replace)
			return failedf("bad replace")
		}
		rc.replace = nil
	} else if j.replace == "" {
		j.replace = "Always"
	}
	if rc.priority != 0 {
		j.priority, rc.priority = rc.priority, 0
	}
	if rc.since != nil {
		if _, ok := strToUtime(*rc.since, c.opts.Now().Location()); !ok {
			ua.SendMsg("Since option expects string in format \"yyyy-mm-dd hh:mm:ss\", but is: %s\n", *rc.since)
			return failedf("bad since")
		}
		rc.since = nil
	}
	if rc.levelName != nil {
		l, ok := levelFromName(*rc.levelName)
		if !ok {
			ua.SendMsg("Level \"%s\" not valid.\n", *rc.levelName)
			return failedf("bad level")
		}
		j.level, rc.levelName = l, nil
	}
	if rc.jid != nil {
		j.restoreJobID, rc.jid = uint64(strToInt64(*rc.jid)), nil
	}
	if rc.backupFormat != nil {
		j.backupFormat, rc.backupFormat = *rc.backupFormat, nil
	}
	if rc.consolidateJobName != nil && j.level != 'f' {
		ua.SendMsg("Consolidate Job option is only valid for virtual full jobs.\n")
		return failedf("consolidate job without virtual full")
	}
	return nil
}

// jobLevels is the Director's level table (name, level, job type).
var jobLevels = []struct {
	name  string
	level byte
	typ   byte
}{
	{"Full", 'F', JobTypeBackup}, {"Base", 'B', JobTypeBackup}, {"Incremental", 'I', JobTypeBackup},
	{"Differential", 'D', JobTypeBackup}, {"Since", 'S', JobTypeBackup}, {"VirtualFull", 'f', JobTypeBackup},
	{"Catalog", 'C', JobTypeVerify}, {"InitCatalog", 'V', JobTypeVerify}, {"VolumeToCatalog", 'O', JobTypeVerify},
	{"DiskToCatalog", 'd', JobTypeVerify}, {"Data", 'A', JobTypeVerify},
	{"Full", 'F', JobTypeCopy}, {"Incremental", 'I', JobTypeCopy}, {"Differential", 'D', JobTypeCopy},
	{"Full", 'F', JobTypeMigrate}, {"Incremental", 'I', JobTypeMigrate}, {"Differential", 'D', JobTypeMigrate},
	{" ", ' ', JobTypeAdmin}, {" ", ' ', JobTypeArchive}, {" ", ' ', JobTypeRestore}, {" ", ' ', JobTypeConsolidate},
}

// jobTypes is the Director's job type table.
var jobTypes = []struct {
	name string
	typ  byte
}{
	{"Backup", JobTypeBackup}, {"Admin", JobTypeAdmin}, {"Archive", JobTypeArchive}, {"Verify", JobTypeVerify},
	{"Restore", JobTypeRestore}, {"Migrate", JobTypeMigrate}, {"Copy", JobTypeCopy}, {"Consolidate", JobTypeConsolidate},
}

// levelFromName is the Director's GetLevelFromName.
func levelFromName(name string) (byte, bool) {
	for _, l := range jobLevels {
		if ascii.EqualFold(name, l.name) {
			return l.level, true
		}
	}
	return 0, false
}

// strToUtime is the Director's StrToUtime: "YYYY-MM-DD HH:MM:SS" (each
// number any count of digits, blanks after the dashes' date allowed
// where the Director's scanner eats them) in the Director's time zone.
func strToUtime(s string, loc *time.Location) (time.Time, bool) {
	var v [6]int
	p := 0
	num := func() int {
		n := 0
		for p < len(s) && '0' <= s[p] && s[p] <= '9' {
			if n < 1<<30 {
				n = n*10 + int(s[p]-'0')
			}
			p++
		}
		return n
	}
	lit := func(c byte) bool {
		if p < len(s) && s[p] == c {
			p++
			return true
		}
		return false
	}
	if s == "" {
		return time.Time{}, false
	}
	v[0] = num()
	if !lit('-') {
		return time.Time{}, false
	}
	v[1] = num()
	if !lit('-') {
		return time.Time{}, false
	}
	v[2] = num()
	for p < len(s) && isCSpace(s[p]) {
		p++
	}
	v[3] = num()
	if !lit(':') {
		return time.Time{}, false
	}
	v[4] = num()
	if !lit(':') {
		return time.Time{}, false
	}
	v[5] = num()
	if p < len(s) && !isCSpace(s[p]) {
		return time.Time{}, false // trailing garbage
	}
	year, mon, day, h, m, sec := v[0], v[1], v[2], v[3], v[4], v[5]
	if year <= 1900 || mon < 1 || mon > 12 || day <= 0 || h > 23 || m > 59 || sec > 59 {
		return time.Time{}, false
	}
	if day > time.Date(year, time.Month(mon)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(mon), day, h, m, sec, 0, loc), true
}

// bstrutime formats a time as the Director's bstrutime.
func bstrutime(t time.Time) string { return t.Format("2006-01-02 15:04:05") }

// nprt is the Director's NPRT: "*None*" for an unset string.
func nprt(s *string) string {
	if s == nil {
		return "*None*"
	}
	return *s
}

func (j *runJob) storeName() string {
	if j.store == nil {
		return "*None*"
	}
	return j.store.Name
}

// displayJob is the Director's DisplayJobParameters.
func (c *cmds) displayJob(ctx context.Context, ua *uacontext.UA, rc *runContext, j *runJob) error {
	api := ua.Mode() != apimode.Off
	when := bstrutime(j.when)
	runCmd := func() {
		if api {
			ua.Signal(bsock.RunCmd)
		}
	}
	switch j.job.Type {
	case JobTypeAdmin, JobTypeArchive, JobTypeConsolidate:
		name := map[byte]string{JobTypeAdmin: "Admin", JobTypeArchive: "Archive", JobTypeConsolidate: "Consolidate"}[j.job.Type]
		runCmd()
		head := "Run " + name + " Job\n"
		if api {
			head = "Type: " + name + "\nTitle: Run " + name + " Job\n"
		}
		ua.SendMsg("%sJobName:  %s\nFileSet:  %s\nClient:   %s\nStorage:  %s\nWhen:     %s\nPriority: %d\n",
			head, j.job.Name, j.fileset.Name, j.client.Name, j.storeName(), when, j.priority)
		j.level = LevelFull
	case JobTypeBackup:
		plugin := ""
		if j.plugin != nil {
			plugin = "Plugin Options: " + *j.plugin + "\n"
		}
		next := ""
		if j.level == 'f' {
			np := "*None*"
			if rc.nextPool != nil {
				np = rc.nextPool.Name
			}
			next = "NextPool: " + np
			if !api {
				next += " (From " + map[bool]string{true: "command line", false: "Job resource"}[rc.nextPoolName != nil] + ")"
			}
			next += "\n"
		}
		if api {
			runCmd()
			ua.SendMsg("Type: Backup\nTitle: Run Backup Job\nJobName:  %s\nLevel:    %s\nClient:   %s\nFormat:   %s\nFileSet:  %s\nPool:     %s\n%sStorage:  %s\nWhen:     %s\nPriority: %d\n%s",
				j.job.Name, levelString(j.level), j.client.Name, j.backupFormat, j.fileset.Name, j.pool.Name,
				next, j.storeName(), when, j.priority, plugin)
		} else {
			ua.SendMsg("Run Backup job\nJobName:  %s\nLevel:    %s\nClient:   %s\nFormat:   %s\nFileSet:  %s\nPool:     %s (From %s)\n%sStorage:  %s (From %s)\nWhen:     %s\nPriority: %d\n%s",
				j.job.Name, levelString(j.level), j.client.Name, j.backupFormat, j.fileset.Name, j.pool.Name, j.poolSource,
				next, j.storeName(), j.storeSource, when, j.priority, plugin)
		}
	case JobTypeVerify:
		name := ""
		if rc.verifyJobName != nil {
			name = *rc.verifyJobName
		} else if j.restoreJobID != 0 {
			jr, err := c.jobs.JobByID(ctx, j.restoreJobID)
			if err != nil {
				ua.ErrorMsg("Could not get job record for selected JobId. ERR=%s", err.Error())
				return failedf("verify job record")
			}
			name = jr.Job
		}
		head := "Run Verify Job\n"
		if api {
			runCmd()
			head = "Type: Verify\nTitle: Run Verify Job\n"
		}
		ua.SendMsg("%sJobName:     %s\nLevel:       %s\nClient:      %s\nFileSet:     %s\nPool:        %s (From %s)\nStorage:     %s (From %s)\nVerify Job:  %s\nWhen:        %s\nPriority:    %d\n",
			head, j.job.Name, levelString(j.level), j.client.Name, j.fileset.Name, j.pool.Name, j.poolSource,
			j.storeName(), j.storeSource, name, when, j.priority)
	case JobTypeRestore:
		if j.restoreJobID == 0 && j.bootstrap == nil && !j.presetIDs {
			id, err := ua.GetPint(ctx, "Please enter a JobId for restore: ")
			if err != nil {
				return err
			}
			if _, err := c.jobs.JobByID(ctx, uint64(id)); err != nil {
				ua.SendMsg("JobId %s not found in catalog. \n", strconv.FormatInt(id, 10))
				return failedf("restore jobid not found")
			}
			j.restoreJobID = uint64(id)
		}
		j.level = LevelFull
		where := j.job.Where
		whereSet := where != ""
		if j.where != nil {
			where, whereSet = *j.where, true
		}
		whereText := where
		if !whereSet {
			whereText = "*None*"
		}
		plugin := nprt(j.plugin)
		if j.restoreJobID == 0 {
			backupClient := j.client.Name
			if rc.clientName != nil {
				backupClient = *rc.clientName
			}
			label, value := "Where:           ", whereText
			title := "Run Restore job"
			if j.regexWhere != nil {
				label, value = "RegexWhere:      ", *j.regexWhere
				title = "Run Restore Job"
			}
			head := "Run Restore job\n"
			if api {
				runCmd()
				head = "Type: Restore\nTitle: " + title + "\n"
			}
			ua.SendMsg("%sJobName:         %s\nBootstrap:       %s\n%s%s\nReplace:         %s\nFileSet:         %s\nBackup Client:   %s\nRestore Client:  %s\nFormat:          %s\nStorage:         %s\nWhen:            %s\nCatalog:         %s\nPriority:        %d\nPlugin Options:  %s\n",
				head, j.job.Name, nprt(j.bootstrap), label, value, j.replace, j.fileset.Name, backupClient,
				j.client.Name, j.backupFormat, j.storeName(), when, j.catalog, j.priority, plugin)
		} else {
			runCmd()
			ua.SendMsg("Run Restore job\nJobName:         %s\nBootstrap:       %s\n", j.job.Name, nprt(j.bootstrap))
			if j.regexWhere != nil {
				ua.SendMsg("RegexWhere:      %s\n", *j.regexWhere)
			} else {
				ua.SendMsg("Where:           %s\n", whereText)
			}
			ua.SendMsg("Replace:         %s\nClient:          %s\nFormat:          %s\nStorage:         %s\nJobId:           %s\nWhen:            %s\nCatalog:         %s\nPriority:        %d\nPlugin Options:  %s\n",
				j.replace, j.client.Name, j.backupFormat, j.storeName(), strconv.FormatUint(j.restoreJobID, 10),
				when, j.catalog, j.priority, plugin)
		}
	case JobTypeCopy, JobTypeMigrate:
		j.level = LevelFull
		np := "*None*"
		if rc.nextPool != nil {
			np = rc.nextPool.Name
		}
		mig := "*None*"
		if j.restoreJobID != 0 {
			mig = strconv.FormatUint(j.restoreJobID, 10)
		}
		kind := map[byte]string{JobTypeCopy: "Copy", JobTypeMigrate: "Migration"}[j.job.Type]
		if api {
			runCmd()
			ua.SendMsg("Type: %s\nTitle: Run %s Job\nJobName:       %s\nBootstrap:     %s\nRead Storage:  %s\nPool:          %s\nWrite Storage: %s\nNextPool:      %s\nJobId:         %s\nWhen:          %s\nCatalog:       %s\nPriority:      %d\n",
				kind, kind, j.job.Name, nprt(j.bootstrap), j.storeName(), j.pool.Name, "*None*", np, mig, when, j.catalog, j.priority)
		} else {
			ua.SendMsg("Run %s job\nJobName:       %s\nBootstrap:     %s\nRead Storage:  %s (From %s)\nPool:          %s (From %s)\nWrite Storage: %s (From %s)\nNextPool:      %s (From %s)\nJobId:         %s\nWhen:          %s\nCatalog:       %s\nPriority:      %d\n",
				kind, j.job.Name, nprt(j.bootstrap), j.storeName(), j.storeSource, j.pool.Name, j.poolSource,
				"*None*", "Job resource", np, "Job resource", mig, when, j.catalog, j.priority)
		}
	default:
		ua.ErrorMsg("Unknown Job Type=%d\n", int(j.job.Type))
		return failedf("unknown job type")
	}
	return nil
}

// modifyJob is the Director's ModifyJobParameters: for an answer that
// starts "mod" it offers the parameter menu. It returns 0 to show the
// parameters again, 1 to go on, -1 to give up (with the error of a
// failed prompt, if any).
func (c *cmds) modifyJob(ctx context.Context, ua *uacontext.UA, rc *runContext, j *runJob, answer string) (int, error) {
	if answer == "" || !strncaseEq(answer, "mod", len(answer)) {
		return 1, nil
	}
	typ := j.job.Type
	ua.StartPrompt("Parameters to modify:\n")
	for _, p := range []string{"Level", "Storage", "Job", "FileSet"} {
		ua.AddPrompt(p)
	}
	if typ == JobTypeRestore {
		ua.AddPrompt("Restore Client")
	} else {
		ua.AddPrompt("Client")
	}
	ua.AddPrompt("Backup Format")
	ua.AddPrompt("When")
	ua.AddPrompt("Priority")
	poolTypes := typ == JobTypeBackup || typ == JobTypeCopy || typ == JobTypeMigrate || typ == JobTypeVerify
	virtual := typ == JobTypeMigrate || typ == JobTypeCopy || typ == JobTypeBackup && j.level == 'f'
	switch {
	case poolTypes:
		ua.AddPrompt("Pool")
		switch {
		case virtual:
			ua.AddPrompt("NextPool")
			if typ == JobTypeBackup {
				ua.AddPrompt("Plugin Options")
			}
		case typ == JobTypeVerify:
			ua.AddPrompt("Verify Job")
		case typ == JobTypeBackup:
			ua.AddPrompt("Plugin Options")
		}
	case typ == JobTypeRestore:
		for _, p := range []string{"Bootstrap", "Where", "File Relocation", "Replace", "JobId", "Plugin Options"} {
			ua.AddPrompt(p)
		}
	}
	choice, _, err := ua.DoPrompt(ctx, "", "Select parameter to modify")
	switch choice {
	case 0: // Level
		c.selectJobLevel(ctx, ua, j)
		if typ == JobTypeBackup && !rc.poolOverride && j.level != 'f' {
			p := j.pool
			rc.pool, rc.levelOverride = &p, true
		}
		return 0, nil
	case 1: // Storage
		s, err := SelectStorageResource(ctx, ua, c.cat)
		if err != nil {
			return -1, err
		}
		rc.store, rc.storeSource = &s, "user selection"
		return 0, nil
	case 2: // Job
		job, err := SelectJobResource(ctx, ua, c.cat)
		if err != nil {
			return -1, err
		}
		rc.job = job
		c.setJobDefaults(j, job)
		return 0, nil
	case 3: // FileSet
		fs, err := SelectFileSetResource(ctx, ua, c.cat)
		if err != nil {
			return -1, err
		}
		rc.fileset = &fs
		return 0, nil
	case 4: // Client
		cl, err := SelectClientResource(ctx, ua, c.cat)
		if err != nil {
			return -1, err
		}
		rc.client = &cl
		return 0, nil
	case 5: // Backup Format
		f, err := ua.GetCmd(ctx, "Please enter Backup Format: ")
		if err != nil {
			return -1, err
		}
		j.backupFormat = f
		return 0, nil
	case 6: // When
		for {
			a, err := ua.GetCmd(ctx, "Please enter desired start time as YYYY-MM-DD HH:MM:SS (return for now): ")
			if err != nil {
				return -1, err
			}
			if a == "" {
				j.when = c.opts.Now().Truncate(time.Second)
				return 0, nil
			}
			t, ok := strToUtime(a, c.opts.Now().Location())
			if !ok {
				ua.SendMsg("Invalid time specification.\n")
				continue
			}
			j.when = t
			return 0, nil
		}
	case 7: // Priority
		p, err := ua.GetPint(ctx, "Enter new Priority: ")
		if err != nil {
			return -1, err
		}
		if uint32(p) == 0 {
			ua.SendMsg("Priority must be a positive integer.\n")
		} else {
			j.priority = int(int32(uint32(p)))
		}
		return 0, nil
	case 8:
		if poolTypes {
			p, err := SelectPoolResource(ctx, ua, c.cat)
			if err != nil {
				return -1, err
			}
			rc.pool, rc.levelOverride, rc.poolOverride = &p, false, true
			return 0, nil
		}
		b, err := ua.GetCmd(ctx, "Please enter the Bootstrap file name: ")
		if err != nil {
			return -1, err
		}
		j.bootstrap = nil
		if b != "" {
			// The sample Director has no bootstrap files to open.
			ua.SendMsg("Warning cannot open %s: ERR=%s\n", b, "No such file or directory")
		}
		return 0, nil
	case 9:
		switch {
		case virtual:
			p, err := SelectPoolResource(ctx, ua, c.cat)
			if err != nil {
				return -1, err
			}
			rc.nextPool = &p
			return 0, nil
		case typ == JobTypeVerify:
			if vj, err := SelectJobResource(ctx, ua, c.cat); err == nil {
				name := vj.Name
				rc.verifyJobName = &name
			} else if !uacontext.IsInputFailure(err) {
				return -1, err
			}
			return 0, nil
		case typ == JobTypeRestore:
			w, err := ua.GetCmd(ctx, "Please enter the full path prefix for restore (/ for none): ")
			if err != nil {
				return -1, err
			}
			if !ua.ACLAccessOK(uacontext.ACLWhere, w) {
				ua.SendMsg("No authorization for \"where\" specification.\n")
			} else {
				if w == "/" {
					w = ""
				}
				j.regexWhere, j.where = nil, &w
			}
			return 0, nil
		default:
			return 0, c.pluginOptions(ctx, ua, j)
		}
	case 10:
		if typ == JobTypeBackup {
			return 0, c.pluginOptions(ctx, ua, j)
		}
		if typ == JobTypeRestore {
			// File relocation (strip/add prefix, regexp) is not offered
			// by this package: the choice shows the parameters again.
			return 0, nil
		}
		return -1, nil
	case 11: // Replace
		ua.StartPrompt("Replace:\n")
		for _, r := range replaceOptions {
			ua.AddPrompt(r)
		}
		if i, _, err := ua.DoPrompt(ctx, "", "Select replace option"); err == nil {
			j.replace = replaceOptions[i]
		}
		return 0, nil
	case 12: // JobId
		j.restoreJobID = 0
		if j.bootstrap != nil {
			ua.SendMsg("You must set the bootstrap file to NULL to be able to specify a JobId.\n")
		}
		return 0, nil
	case 13:
		return 0, c.pluginOptions(ctx, ua, j)
	case -1:
		return -1, err
	}
	return 0, nil
}

func (c *cmds) pluginOptions(ctx context.Context, ua *uacontext.UA, j *runJob) error {
	o, err := ua.GetCmd(ctx, "Please enter Plugin Options string: ")
	if err != nil {
		if uacontext.IsInputFailure(err) {
			return nil
		}
		return err
	}
	if !ua.ACLAccessOK(uacontext.ACLPluginOptions, o) {
		ua.SendMsg("No authorization for \"PluginOptions\" specification.\n")
		return nil
	}
	j.plugin = &o
	return nil
}

// selectJobLevel is the Director's SelectJobLevel.
func (c *cmds) selectJobLevel(ctx context.Context, ua *uacontext.UA, j *runJob) {
	var names []string
	var levels []byte
	switch j.job.Type {
	case JobTypeBackup:
		names = []string{"Full", "Incremental", "Differential", "Since", "VirtualFull"}
		levels = []byte{'F', 'I', 'D', 'S', 'f'}
	case JobTypeVerify:
		names = []string{"Initialize Catalog", "Verify Catalog", "Verify Volume to Catalog", "Verify Disk to Catalog", "Verify Volume Data (not yet implemented)"}
		levels = []byte{'V', 'C', 'O', 'd', 'A'}
	default:
		ua.WarningMsg("Level not appropriate for this Job. Cannot be changed.\n")
		return
	}
	ua.StartPrompt("Levels:\n")
	for _, n := range names {
		ua.AddPrompt(n)
	}
	if i, _, err := ua.DoPrompt(ctx, "", "Select level"); err == nil {
		j.level = levels[i]
	}
}

// startJob queues the job and reports its JobId.
func (c *cmds) startJob(ctx context.Context, ua *uacontext.UA, runner JobRunner, rc *runContext, j *runJob, preset RunRequest) error {
	req := RunRequest{
		Job: j.job.Name, Type: j.job.Type, Level: j.level, Client: j.client.Name,
		FileSet: j.fileset.Name, Pool: j.pool.Name, When: j.when, Priority: j.priority,
		Comment: j.comment, Replace: j.replace, Files: j.files,
		BackupClient: preset.BackupClient, RestoreJobIDs: preset.RestoreJobIDs,
	}
	if j.store != nil {
		req.Storage = j.store.Name
	}
	if j.where != nil {
		req.Where = *j.where
	} else if j.job.Type == JobTypeRestore {
		req.Where = j.job.Where
	}
	if j.regexWhere != nil {
		req.RegexWhere = *j.regexWhere
	}
	if j.bootstrap != nil {
		req.Bootstrap = *j.bootstrap
	}
	if j.plugin != nil {
		req.PluginOptions = *j.plugin
	}
	if j.restoreJobID != 0 && len(req.RestoreJobIDs) == 0 {
		req.RestoreJobIDs = []uint64{j.restoreJobID}
	}
	if req.BackupClient == "" && rc.clientName != nil && j.job.Type == JobTypeRestore {
		req.BackupClient = *rc.clientName
	}
	if req.Files == 0 {
		req.Files = preset.Files
	}
	id, err := runner.RunJob(ctx, req)
	if err != nil {
		if isStop(ctx) {
			return err
		}
		ua.Log.Error("run: starting the job failed", "job", req.Job, "err", err)
		return &uacontext.CommandError{Msg: "Job failed.\n", Err: err}
	}
	ua.Log.Info("Job queued.", "jobid", id, "job", req.Job)
	f := ua.Formatter()
	f.ObjectStart("run", null)
	f.KVString("jobid", null, strconv.FormatUint(id, 10), "Job queued. JobId=%s\n")
	f.ObjectEnd("run", null)
	return nil
}
