package dircmd

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

func (c *cmds) list(ctx context.Context, ua *uacontext.UA) error {
	return c.doList(ctx, ua, horzList)
}

func (c *cmds) llist(ctx context.Context, ua *uacontext.UA) error {
	return c.doList(ctx, ua, vertList)
}

// listOptions are the flags and selections shared by the list keywords.
type listOptions struct {
	count, last, current, enabled, disabled bool
	statuses, levels, types                 []byte
}

func (o *listOptions) parse(ua *uacontext.UA) error {
	o.current = hasFlag(ua, "current")
	o.enabled = hasFlag(ua, "enabled")
	o.disabled = hasFlag(ua, "disabled")
	o.count = hasFlag(ua, "count")
	o.last = hasFlag(ua, "last")
	if v, ok := ua.ArgValue("jobstatus"); ok {
		var bad bool
		o.statuses, bad = parseStatuses(v)
		if bad {
			return uacontext.Errorf("invalid jobstatus parameter\n")
		}
	}
	v, ok := ua.ArgValue("joblevel")
	if !ok {
		v, ok = ua.ArgValue("level")
	}
	if ok {
		for _, item := range splitList(v) {
			switch {
			case len(item) == 1 && item[0] >= 'A' && item[0] <= 'z':
				o.levels = append(o.levels, item[0])
			case ascii.EqualFold(item, "Full"):
				o.levels = append(o.levels, LevelFull)
			case ascii.EqualFold(item, "Differential"):
				o.levels = append(o.levels, LevelDifferential)
			case ascii.EqualFold(item, "Incremental"):
				o.levels = append(o.levels, LevelIncremental)
			default:
				return uacontext.Errorf("invalid joblevel parameter\n")
			}
		}
	}
	if v, ok := ua.ArgValue("jobtype"); ok {
		items := []string{v}
		if strings.Contains(v, ",") {
			items = splitList(v)
		}
		for _, item := range items {
			t, ok := parseJobType(item)
			if !ok {
				ua.WarningMsg("Illegal jobtype %s\n", item)
				return uacontext.Errorf("invalid jobtype parameter\n")
			}
			o.types = append(o.types, t)
		}
	}
	return nil
}

// splitList splits at commas like std::getline: "a,,b" has an empty
// item, a trailing comma adds none.
func splitList(s string) []string {
	parts := strings.Split(s, ",")
	if len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

func parseStatuses(v string) (out []byte, bad bool) {
	if v == "" {
		return nil, true
	}
	for _, item := range splitList(v) {
		switch {
		case len(item) == 1 && item[0] >= 'A' && item[0] <= 'z':
			out = append(out, item[0])
		case ascii.EqualFold(item, "terminated"):
			out = append(out, JobStatusTerminated)
		case ascii.EqualFold(item, "warnings"):
			out = append(out, JobStatusWarnings)
		case ascii.EqualFold(item, "canceled"):
			out = append(out, JobStatusCanceled)
		case ascii.EqualFold(item, "running"):
			out = append(out, JobStatusRunning)
		case ascii.EqualFold(item, "error"):
			out = append(out, JobStatusError)
		case ascii.EqualFold(item, "fatal"):
			out = append(out, JobStatusFatal)
		default:
			return nil, true
		}
	}
	return out, false
}

// jobTypeNames are the Director's job type names (case-sensitive).
var jobTypeNames = []struct {
	name string
	t    byte
}{
	{"Backup", 'B'}, {"Admin", 'D'}, {"Archive", 'A'}, {"Verify", 'V'},
	{"Restore", 'R'}, {"Migrate", 'g'}, {"Copy", 'c'}, {"Consolidate", 'O'},
}

func parseJobType(s string) (byte, bool) {
	for _, jt := range jobTypeNames {
		if len(s) == 1 && s[0] == jt.t || len(s) != 1 && s == jt.name {
			return jt.t, true
		}
	}
	return 0, false
}

// queryRange is the Director's SetQueryRange: limit= (and offset=, only
// with a limit) become formatter range filters and the SQL range.
type queryRange struct {
	has           bool
	limit, offset uint64
}

func setQueryRange(ua *uacontext.UA) queryRange {
	var r queryRange
	v, ok := ua.ArgValue("limit")
	if !ok {
		return r
	}
	r.has = true
	r.limit, _ = stoull(v)
	ua.Formatter().AddLimitFilter(r.limit)
	if v, ok := ua.ArgValue("offset"); ok {
		r.offset, _ = stoull(v)
		ua.Formatter().AddOffsetFilter(r.offset)
	}
	return r
}

// sqlOK reports whether PostgreSQL accepts the range: LIMIT and OFFSET
// are bigints, larger values make the query fail.
func (r queryRange) sqlOK() bool {
	return !r.has || r.limit <= math.MaxInt64 && r.offset <= math.MaxInt64
}

// setACLFilter adds an ACL filter tuple if the console is restricted for
// that kind, as the Director does.
func setACLFilter(ua *uacontext.UA, col int, kind uacontext.ACLKind) {
	if !ua.ACLNoRestrictions(kind) {
		ua.AddACLFilter(col, kind)
	}
}

// listNeeds reports whether the catalog has the capabilities list
// keyword kw reads; a keyword of no table needs any catalog at all.
func (c *cmds) listNeeds(kw string) []bool {
	is := func(names ...string) bool {
		for _, n := range names {
			if ascii.EqualFold(kw, n) {
				return true
			}
		}
		return false
	}
	h := &c.has
	switch {
	case is("jobs", "job", "jobname", "jobid", "ujobid", "jobtotals", "backups", "joblog", "log",
		"jobstatistics", "jobstats", "fileset", "filesets"):
		return []bool{h.jobs}
	case is("files"):
		return []bool{h.jobs, h.files}
	case is("jobmedia"):
		return []bool{h.jobs, h.media}
	case is("pool", "pools", "poolid"):
		return []bool{h.pools}
	case is("client", "clients"):
		return []bool{h.clients}
	case is("storages"):
		return []bool{h.storages}
	case is("media", "volume", "volumes", "mediaid", "volumeid"):
		return []bool{h.media, h.pools}
	}
	return []bool{h.jobs || h.files || h.media || h.clients || h.pools || h.storages || h.bvfs}
}

func (c *cmds) doList(ctx context.Context, ua *uacontext.UA, mode listMode) error {
	// The Director opens the catalog before it looks at the keyword; if
	// it cannot, it says so and the command succeeds.
	if !c.openCatalog(ua, c.listNeeds(argKey(ua, 1))...) {
		return nil
	}
	if len(ua.Args) <= 1 {
		return uacontext.Errorf("%s command requires a keyword\n", argKey(ua, 0))
	}
	var opts listOptions
	if err := opts.parse(ua); err != nil {
		return err
	}
	kw := argKey(ua, 1)
	hasValue := ua.Args[1].HasValue
	switch {
	case ascii.EqualFold(kw, "jobs"), ascii.EqualFold(kw, "job"), ascii.EqualFold(kw, "jobname"),
		ascii.EqualFold(kw, "jobid"), ascii.EqualFold(kw, "ujobid"):
		return c.listJobs(ctx, ua, mode, &opts)
	}
	rng := setQueryRange(ua)
	switch {
	case ascii.EqualFold(kw, "jobtotals"):
		return c.listJobTotals(ctx, ua)
	case ascii.EqualFold(kw, "files"):
		return c.listFiles(ctx, ua)
	case ascii.EqualFold(kw, "jobmedia"):
		return c.listJobMedia(ctx, ua, mode)
	case ascii.EqualFold(kw, "fileset"):
		return c.listFileSets(ctx, ua, mode, &opts, rng, false)
	case ascii.EqualFold(kw, "filesets"):
		return c.listFileSets(ctx, ua, mode, &opts, rng, true)
	case ascii.EqualFold(kw, "joblog"):
		return c.listJobLog(ctx, ua, mode, &opts, rng)
	case ascii.EqualFold(kw, "log"):
		return c.listLog(ctx, ua, mode, rng)
	case ascii.EqualFold(kw, "pool"), ascii.EqualFold(kw, "pools"):
		name := ""
		if hasValue {
			name = ua.Args[1].Value
		}
		return c.listPools(ctx, ua, mode, &opts, name, 0)
	case ascii.EqualFold(kw, "poolid") && hasValue:
		return c.listPools(ctx, ua, mode, &opts, "", uint64(strToInt64(ua.Args[1].Value)))
	case ascii.EqualFold(kw, "clients"):
		return c.listClients(ctx, ua, mode, &opts, "", false)
	case ascii.EqualFold(kw, "client") && hasValue:
		return c.listClients(ctx, ua, mode, &opts, ua.Args[1].Value, true)
	case ascii.EqualFold(kw, "storages"):
		return c.listStorages(ctx, ua, mode, &opts)
	case ascii.EqualFold(kw, "media"), ascii.EqualFold(kw, "volume"), ascii.EqualFold(kw, "volumes"):
		return c.listMedia(ctx, ua, mode, &opts)
	case (ascii.EqualFold(kw, "mediaid") || ascii.EqualFold(kw, "volumeid")) && hasValue:
		q := MediaQuery{MediaID: uint64(strToInt64(ua.Args[1].Value)), HasLimit: rng.has, Limit: rng.limit, Offset: rng.offset}
		media, err := c.queryMedia(ctx, ua, q, rng)
		if err != nil {
			return err
		}
		ua.Formatter().ObjectStart("volume", null)
		if rng.sqlOK() {
			renderMedia(ua, mode, media)
		}
		ua.Formatter().ObjectEnd("volume", null)
		return nil
	}
	if ascii.EqualFold(kw, "backups") {
		if ok, err := c.listBackups(ctx, ua, mode, &opts, rng); ok || err != nil {
			return err
		}
	}
	if ascii.EqualFold(kw, "jobstatistics") || ascii.EqualFold(kw, "jobstats") {
		return c.listJobStats(ctx, ua, mode)
	}
	return uacontext.Errorf("Unknown list keyword: %s\n", kw)
}

// jobIDFromArgs is the Director's GetJobidFromCmdline: 0 if neither
// ujobid= nor jobid= is given, -1 if the job does not exist
// (ErrNotFound) or the console may not see it (its name or its client),
// else the JobId. Any other catalog failure is returned as an error.
func (c *cmds) jobIDFromArgs(ctx context.Context, ua *uacontext.UA) (int64, error) {
	var (
		j   Job
		err error
	)
	if v, ok := ua.ArgValue("ujobid"); ok {
		j, err = c.jobs.JobByUnique(ctx, v)
	} else if v, ok := ua.ArgValue("jobid"); ok {
		id := uint32(strToInt64(v)) // the catalog's JobId is 32 bits
		if id == 0 {
			return -1, nil
		}
		j, err = c.jobs.JobByID(ctx, uint64(id))
	} else {
		return 0, nil
	}
	if errors.Is(err, ErrNotFound) {
		return -1, nil
	}
	if err != nil {
		return 0, catalogError(ctx, err)
	}
	if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
		return -1, nil
	}
	if j.ClientID != 0 && !ua.ACLAccessOK(uacontext.ACLClient, j.Client) {
		return -1, nil
	}
	return int64(j.JobID), nil
}

// nameError is the Director's IsNameValid message for an invalid name.
func nameError(name string) string {
	if name == "" {
		return "Name must be at least one character long.\n"
	}
	if name[0] == ' ' {
		return "Name cannot start with space.\n"
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte(":.-_/ ", b) >= 0 {
			continue
		}
		return "Illegal character \"" + string([]byte{b}) + "\" in name.\n"
	}
	if len(name) >= uacontext.MaxNameLength {
		return "Name too long.\n"
	}
	if name[len(name)-1] == ' ' {
		return "Name cannot end with space.\n"
	}
	return ""
}

// clientArg is the Director's FindClientArgFromDatabase: the client=
// argument must be a valid name of a client in the catalog that the
// console may access. It returns the name ("" if none given), or the
// error that fails the command: the Director's message for an invalid or
// unknown name, ErrReported (no message) for a client the console may
// not access, a catalog failure.
func (c *cmds) clientArg(ctx context.Context, ua *uacontext.UA) (string, error) {
	i := ua.FindArgWithValue("client")
	if i < 0 {
		return "", nil
	}
	name := ua.Args[i].Value
	if msg := nameError(name); msg != "" {
		return "", uacontext.Errorf("%s argument: %s", ua.Args[i].Key, msg)
	}
	recs, err := c.clients.ClientRecords(ctx)
	if err != nil {
		return "", catalogError(ctx, err)
	}
	found := false
	for _, r := range recs {
		if r.Name == name {
			found = true
			break
		}
	}
	if !found {
		return "", &uacontext.CommandError{Msg: formatter.Sprintf("invalid %s argument: %s\n", ua.Args[i].Key, name), Err: ErrNotFound}
	}
	if !ua.ACLAccessOK(uacontext.ACLClient, name) {
		return "", uacontext.ErrReported
	}
	return name, nil
}

var (
	jobColumns = []column{
		numCol("jobid"), textCol("name"), textCol("client"), textCol("starttime"),
		textCol("duration"), textCol("type"), textCol("level"), numCol("jobfiles"),
		numCol("jobbytes"), textCol("jobstatus"),
	}
	jobLongColumns = []column{
		numCol("jobid"), textCol("job"), textCol("name"), numCol("purgedfiles"), textCol("type"),
		textCol("level"), numCol("clientid"), textCol("client"), textCol("jobstatus"),
		textCol("schedtime"), textCol("starttime"), textCol("endtime"), textCol("realendtime"),
		textCol("duration"), numCol("jobtdate"), numCol("volsessionid"), numCol("volsessiontime"),
		numCol("jobfiles"), numCol("jobbytes"), numCol("joberrors"), numCol("jobmissingfiles"),
		numCol("poolid"), textCol("poolname"), numCol("priorjobid"), numCol("filesetid"),
		textCol("fileset"),
	}
)

// duration is the catalog's Duration column: end - start, or now - start
// for jobs without (or before their) end time; NULL without start time.
func (c *cmds) duration(j Job) cell {
	if j.StartTime.IsZero() {
		return cell{null: true}
	}
	end := j.EndTime
	if end.IsZero() || end.Before(j.StartTime) {
		end = c.opts.Now().Truncate(time.Second)
	}
	return str(interval(end.Sub(j.StartTime)))
}

func (c *cmds) jobRow(j Job, mode listMode) []cell {
	if mode == horzList {
		return []cell{num(j.JobID), str(j.Name), nullable(j.Client), timestamp(j.StartTime),
			c.duration(j), char(j.Type), char(j.Level), num(j.JobFiles), num(j.JobBytes), char(j.JobStatus)}
	}
	return []cell{
		num(j.JobID), str(j.Job), str(j.Name), num(j.PurgedFiles), char(j.Type), char(j.Level),
		num(j.ClientID), nullable(j.Client), char(j.JobStatus), timestamp(j.SchedTime),
		timestamp(j.StartTime), timestamp(j.EndTime), timestamp(j.RealEndTime), c.duration(j),
		inum(j.JobTDate), num(j.VolSessionID), num(j.VolSessionTime), num(j.JobFiles), num(j.JobBytes),
		num(j.JobErrors), num(j.JobMissingFiles), num(j.PoolID), nullable(j.Pool), num(j.PriorJobID),
		num(j.FileSetID), nullable(j.FileSet),
	}
}

func (c *cmds) listJobs(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions) error {
	kw := argKey(ua, 1)
	if ascii.EqualFold(kw, "jobs") && ua.Args[1].HasValue {
		return uacontext.Errorf("'list jobs' does not allow an jobs parameter\n")
	}
	var q JobQuery
	if v, ok := ua.ArgValue("jobname"); ok {
		q.Name = v
	} else if v, ok := ua.ArgValue("job"); ok {
		q.Name = v
	} else if ascii.EqualFold(kw, "job") || ascii.EqualFold(kw, "jobname") {
		return uacontext.Errorf("Missing %s parameter\n", kw)
	}
	id, err := c.jobIDFromArgs(ctx, ua)
	if err != nil {
		return err
	}
	switch {
	case id > 0:
		q.JobID = uint64(id)
	case id < 0:
		// No such job, or one the console may not see: the Director
		// answers with an empty list.
		ua.Formatter().ObjectStart("jobs", null)
		ua.Formatter().ObjectEnd("jobs", null)
		return nil
	case ascii.EqualFold(kw, "jobid") || ascii.EqualFold(kw, "ujobid"):
		return uacontext.Errorf("Missing %s parameter\n", kw)
	}
	now := c.opts.Now()
	if v, ok := ua.ArgValue("days"); ok {
		q.Since = now.Add(-time.Duration(int32(strToInt64(v))) * 24 * time.Hour)
	}
	if v, ok := ua.ArgValue("hours"); ok {
		q.Since = now.Add(-time.Duration(int32(strToInt64(v))) * time.Hour)
	}
	client, err := c.clientArg(ctx, ua)
	if err != nil {
		return err
	}
	q.Client = client
	q.Volume, _ = ua.ArgValue("volume")
	q.Pool, _ = ua.ArgValue("pool")
	q.Statuses, q.Levels, q.Types = opts.statuses, opts.levels, opts.types
	q.Last = opts.last

	jobCol, clientCol := 1, 2
	if mode == vertList {
		jobCol, clientCol = 2, 7
	}
	if !opts.count {
		setACLFilter(ua, jobCol, uacontext.ACLJob)
		setACLFilter(ua, clientCol, uacontext.ACLClient)
		if mode == vertList {
			setACLFilter(ua, 22, uacontext.ACLPool)
			setACLFilter(ua, 25, uacontext.ACLFileSet)
		}
		if opts.current {
			ua.AddResourceFilter(jobCol, uacontext.ResJob)
			ua.AddResourceFilter(clientCol, uacontext.ResClient)
			if mode == vertList {
				ua.AddResourceFilter(22, uacontext.ResPool)
				ua.AddResourceFilter(25, uacontext.ResFileSet)
			}
		}
	}
	if opts.enabled {
		ua.AddEnabledFilter(jobCol, uacontext.ResJob)
	}
	if opts.disabled {
		ua.AddDisabledFilter(jobCol, uacontext.ResJob)
	}
	rng := setQueryRange(ua)
	q.Descending = hasFlag(ua, "reverse")
	if !rng.sqlOK() {
		return nil // the catalog rejects the range: nothing is listed
	}

	rs := &resultSet{}
	if opts.count {
		all, err := c.jobs.ListJobs(ctx, q)
		if err != nil {
			return catalogError(ctx, err)
		}
		// Deviation from the Director, which counts every job: only the
		// jobs the console may see are counted.
		n := 0
		for _, j := range all {
			if jobVisible(ua, j) {
				n++
			}
		}
		rs.cols = []column{numCol("count")}
		rows := [][]cell{{num(uint64(n))}}
		if rng.has {
			rows = page(rows, rng.limit, rng.offset)
		}
		rs.rows = rows
	} else {
		q.HasLimit, q.Limit, q.Offset = rng.has, rng.limit, rng.offset
		jobs, err := c.jobs.ListJobs(ctx, q)
		if err != nil {
			return catalogError(ctx, err)
		}
		rs.cols = jobColumns
		if mode == vertList {
			rs.cols = jobLongColumns
		}
		for _, j := range jobs {
			rs.rows = append(rs.rows, c.jobRow(j, mode))
		}
	}
	ua.Formatter().ArrayStart("jobs", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("jobs", null)
	return nil
}

// jobVisible reports whether the console may see the job: its Job ACL
// allows the job's name and its Client ACL the job's client, as the ACL
// filters of "list jobs" decide (a job without client passes that check).
func jobVisible(ua *uacontext.UA, j Job) bool {
	if !ua.ACLNoRestrictions(uacontext.ACLJob) && !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
		return false
	}
	return j.Client == "" || ua.ACLNoRestrictions(uacontext.ACLClient) || ua.ACLAccessOK(uacontext.ACLClient, j.Client)
}

// listJobTotals deviates from the Director, which applies no ACL here:
// jobs the console may not see are neither listed nor counted in the
// totals.
func (c *cmds) listJobTotals(ctx context.Context, ua *uacontext.UA) error {
	listed, err := c.jobs.ListJobs(ctx, JobQuery{Types: []byte{'B', 'A', 'a', 'C'}})
	if err != nil {
		return catalogError(ctx, err)
	}
	jobs := listed[:0:0]
	for _, j := range listed {
		if jobVisible(ua, j) {
			jobs = append(jobs, j)
		}
	}
	type total struct {
		n, files, bytes uint64
	}
	var names []string
	per := map[string]*total{}
	var all total
	for _, j := range jobs {
		t := per[j.Name]
		if t == nil {
			t = &total{}
			per[j.Name] = t
			names = append(names, j.Name)
		}
		t.n++
		t.files += j.JobFiles
		t.bytes += j.JobBytes
		all.n++
		all.files += j.JobFiles
		all.bytes += j.JobBytes
	}
	rs := &resultSet{cols: []column{numCol("jobs"), numCol("files"), numCol("bytes"), textCol("job")}}
	for _, n := range names {
		t := per[n]
		rs.rows = append(rs.rows, []cell{num(t.n), num(t.files), num(t.bytes), str(n)})
	}
	ua.Formatter().ArrayStart("jobs", null)
	render(ua.Formatter(), rs, horzList, ua.GUI)
	ua.Formatter().ArrayEnd("jobs", null)
	tot := &resultSet{cols: []column{numCol("jobs"), numCol("files"), numCol("bytes")}}
	if all.n == 0 {
		// SUM over no rows is NULL.
		tot.rows = [][]cell{{num(0), {null: true}, {null: true}}}
	} else {
		tot.rows = [][]cell{{num(all.n), num(all.files), num(all.bytes)}}
	}
	ua.Formatter().ObjectStart("jobtotals", null)
	render(ua.Formatter(), tot, horzList, ua.GUI)
	ua.Formatter().ObjectEnd("jobtotals", null)
	return nil
}

// errNoJob is the Director's message when jobid= or ujobid= names no job
// the console may see.
const errNoJob = "jobid not found in db, access to job or client denied by ACL, or client not found in db\n"

func (c *cmds) listFiles(ctx context.Context, ua *uacontext.UA) error {
	id, err := c.jobIDFromArgs(ctx, ua)
	if err != nil {
		return err
	}
	if id <= 0 {
		return &uacontext.CommandError{Msg: errNoJob, Err: ErrNotFound}
	}
	f := ua.Formatter()
	f.ArrayStart("filenames", null)
	err = c.files.JobFiles(ctx, uint64(id), func(name string) error {
		row := []string{name}
		if f.HasFilters() && !f.FilterRow(row) {
			return nil
		}
		f.ObjectStart(null, null)
		f.KVString("filename", null, name, " %s")
		f.Decoration("\n")
		f.ObjectEnd(null, null)
		return nil
	})
	if err != nil {
		// The query failed half-way: the rows sent so far stay, the
		// error follows them.
		return catalogError(ctx, err)
	}
	f.ArrayEnd("filenames", null)
	return nil
}

func (c *cmds) listJobMedia(ctx context.Context, ua *uacontext.UA, mode listMode) error {
	id, err := c.jobIDFromArgs(ctx, ua)
	if err != nil {
		return err
	}
	if id < 0 {
		return &uacontext.CommandError{Msg: errNoJob, Err: ErrNotFound}
	}
	var jms []JobMedia
	if id > 0 {
		if jms, err = c.media.JobMedia(ctx, uint64(id)); err != nil {
			return catalogError(ctx, err)
		}
	} else {
		jobs, err := c.jobs.ListJobs(ctx, JobQuery{})
		if err != nil {
			return catalogError(ctx, err)
		}
		for _, j := range jobs {
			if !jobVisible(ua, j) {
				continue // deviation: the Director lists every job's media
			}
			x, err := c.media.JobMedia(ctx, j.JobID)
			if err != nil {
				return catalogError(ctx, err)
			}
			jms = append(jms, x...)
		}
	}
	all, err := c.media.ListMedia(ctx, MediaQuery{})
	if err != nil {
		return catalogError(ctx, err)
	}
	media := make(map[uint64]Media, len(all))
	for _, m := range all {
		media[m.MediaID] = m
	}
	rs := &resultSet{}
	if mode == horzList {
		rs.cols = []column{numCol("jobid"), textCol("volumename"), numCol("firstindex"), numCol("lastindex")}
	} else {
		rs.cols = []column{numCol("jobmediaid"), numCol("jobid"), numCol("mediaid"), textCol("volumename"),
			numCol("firstindex"), numCol("lastindex"), numCol("startfile"), numCol("endfile"),
			numCol("startblock"), numCol("endblock")}
	}
	for _, jm := range jms {
		m := media[jm.MediaID]
		if mode == horzList {
			rs.rows = append(rs.rows, []cell{num(jm.JobID), str(jm.VolumeName), num(1), num(1)})
		} else {
			rs.rows = append(rs.rows, []cell{num(jm.JobMediaID), num(jm.JobID), num(jm.MediaID), str(jm.VolumeName),
				num(1), num(1), num(0), num(m.EndFile), num(0), num(m.EndBlock)})
		}
	}
	ua.Formatter().ArrayStart("jobmedia", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("jobmedia", null)
	return nil
}

// Pools.

var poolLongKeys = []string{
	"poolid", "name", "numvols", "maxvols", "useonce", "usecatalog", "acceptanyvolume",
	"volretention", "voluseduration", "maxvoljobs", "maxvolbytes", "autoprune", "recycle",
	"pooltype", "labelformat", "enabled", "scratchpoolid", "recyclepoolid", "labeltype",
}

func poolLongRow(p PoolRecord) []cell {
	return []cell{
		num(p.PoolID), str(p.Name), num(p.NumVols), num(p.MaxVols), boolNum(p.UseOnce),
		boolNum(p.UseCatalog), boolNum(p.AcceptAnyVolume), num(p.VolRetention), num(p.VolUseDuration),
		num(p.MaxVolJobs), num(p.MaxVolBytes), boolNum(p.AutoPrune), boolNum(p.Recycle), str(p.PoolType),
		nullable(p.LabelFormat), boolNum(p.Enabled), num(p.ScratchPoolID), num(p.RecyclePoolID),
		num(p.LabelType),
	}
}

func (c *cmds) selectPools(ctx context.Context, name string, id uint64) ([]PoolRecord, error) {
	all, err := c.pools.PoolRecords(ctx)
	if err != nil {
		return nil, catalogError(ctx, err)
	}
	var out []PoolRecord
	for _, p := range all {
		switch {
		case name != "":
			if p.Name != name {
				continue
			}
		case id > 0:
			if p.PoolID != id {
				continue
			}
		}
		out = append(out, p)
	}
	return out, nil
}

func (c *cmds) listPools(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions, name string, id uint64) error {
	setACLFilter(ua, 1, uacontext.ACLPool)
	if opts.current {
		ua.AddResourceFilter(1, uacontext.ResPool)
	}
	pools, err := c.selectPools(ctx, name, id)
	if err != nil {
		return err
	}
	f := ua.Formatter()
	if mode == vertList || (ua.Mode() == apimode.JSON && name != "") {
		f.ArrayStart("pools", null)
		for _, p := range pools {
			row := poolLongRow(p)
			if f.HasFilters() && !f.FilterRow(rowStrings(row)) {
				continue
			}
			f.ObjectStart(null, null)
			for i, k := range poolLongKeys {
				f.KVString(k, "%s: ", row[i].s, "%s\n")
			}
			for _, k := range []string{"prunablevolumes", "prunablejobs", "prunablebytes"} {
				f.KVString(k, "%s: ", "0", "%s\n")
			}
			if mode == horzList {
				// The prune report of "list pool=NAME" in JSON mode; the
				// sample catalog has nothing to prune.
				f.KVString("reason", null, "", "%s\n")
				f.ArrayStart("status_breakdown", null)
				f.ArrayEnd("status_breakdown", null)
				f.ArrayStart("volumes", null)
				f.ArrayEnd("volumes", null)
				f.ArrayStart("jobs", null)
				f.ArrayEnd("jobs", null)
			}
			f.ObjectEnd(null, null)
		}
		f.ArrayEnd("pools", null)
		return nil
	}
	rs := &resultSet{cols: []column{numCol("poolid"), textCol("name"), numCol("numvols"), numCol("maxvols"),
		textCol("pooltype"), textCol("labelformat")}}
	for _, p := range pools {
		rs.rows = append(rs.rows, []cell{num(p.PoolID), str(p.Name), num(p.NumVols), num(p.MaxVols),
			str(p.PoolType), nullable(p.LabelFormat)})
	}
	f.ArrayStart("pools", null)
	render(f, rs, mode, ua.GUI)
	f.ArrayEnd("pools", null)
	if name != "" && len(pools) > 0 {
		f.Decoration("\nPrune details:\n")
		f.Decoration("  Reason: %s\n", "")
		f.Decoration("  Prunable volumes: %s\n", "0")
		f.Decoration("  Prunable jobs: %s\n", "0")
		f.Decoration("  Prunable bytes: %s\n", "0 ")
		f.Decoration("  Affected statuses:\n")
		f.Decoration("    none\n")
		f.Decoration("  Prunable volumes:\n")
		f.Decoration("    none\n")
		f.Decoration("  Prunable jobs:\n")
		f.Decoration("    none\n")
	}
	return nil
}

func (c *cmds) listClients(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions, name string, byName bool) error {
	setACLFilter(ua, 1, uacontext.ACLClient)
	if opts.current {
		ua.AddResourceFilter(1, uacontext.ResClient)
	}
	if opts.enabled {
		ua.AddEnabledFilter(1, uacontext.ResClient)
	}
	if opts.disabled {
		ua.AddDisabledFilter(1, uacontext.ResClient)
	}
	recs, err := c.clients.ClientRecords(ctx)
	if err != nil {
		return catalogError(ctx, err)
	}
	rs := &resultSet{}
	if mode == horzList {
		rs.cols = []column{numCol("clientid"), textCol("name"), numCol("fileretention"), numCol("jobretention")}
	} else {
		rs.cols = []column{numCol("clientid"), textCol("name"), textCol("uname"), numCol("autoprune"),
			numCol("fileretention"), numCol("jobretention")}
	}
	for _, r := range recs {
		if byName && r.Name != name {
			continue
		}
		if mode == horzList {
			rs.rows = append(rs.rows, []cell{num(r.ClientID), str(r.Name), num(r.FileRetention), num(r.JobRetention)})
		} else {
			rs.rows = append(rs.rows, []cell{num(r.ClientID), str(r.Name), str(r.Uname), boolNum(r.AutoPrune),
				num(r.FileRetention), num(r.JobRetention)})
		}
	}
	ua.Formatter().ArrayStart("clients", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("clients", null)
	return nil
}

func (c *cmds) listStorages(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions) error {
	setACLFilter(ua, 1, uacontext.ACLStorage)
	if opts.current {
		ua.AddResourceFilter(1, uacontext.ResStorage)
	}
	if opts.enabled {
		ua.AddEnabledFilter(1, uacontext.ResStorage)
	}
	if opts.disabled {
		ua.AddDisabledFilter(1, uacontext.ResStorage)
	}
	recs, err := c.storages.StorageRecords(ctx)
	if err != nil {
		return catalogError(ctx, err)
	}
	rs := &resultSet{cols: []column{numCol("storageid"), textCol("name"), numCol("autochanger")}}
	for _, r := range recs {
		rs.rows = append(rs.rows, []cell{num(r.StorageID), str(r.Name), boolNum(r.AutoChanger)})
	}
	ua.Formatter().ArrayStart("storages", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("storages", null)
	return nil
}

// Media.

var (
	mediaColumns = []column{
		numCol("mediaid"), textCol("volumename"), textCol("volstatus"), numCol("enabled"),
		numCol("volbytes"), numCol("volfiles"), numCol("volretention"), numCol("recycle"),
		numCol("slot"), numCol("inchanger"), textCol("mediatype"), textCol("lastwritten"),
		textCol("storage"), numCol("hasencryptionkey"),
	}
	mediaLongColumns = []column{
		numCol("mediaid"), textCol("volumename"), numCol("slot"), numCol("poolid"), textCol("pool"),
		textCol("mediatype"), textCol("firstwritten"), textCol("lastwritten"), textCol("labeldate"),
		numCol("voljobs"), numCol("volfiles"), numCol("volblocks"), numCol("volmounts"),
		numCol("volbytes"), numCol("volerrors"), numCol("volwrites"), numCol("volcapacitybytes"),
		textCol("volstatus"), numCol("enabled"), numCol("recycle"), numCol("volretention"),
		numCol("voluseduration"), numCol("maxvoljobs"), numCol("maxvolfiles"), numCol("maxvolbytes"),
		numCol("inchanger"), numCol("endfile"), numCol("endblock"), numCol("labeltype"),
		numCol("storageid"), numCol("deviceid"), numCol("locationid"), numCol("recyclecount"),
		textCol("initialwrite"), numCol("scratchpoolid"), textCol("scratchpool"),
		numCol("recyclepoolid"), textCol("recyclepool"), textCol("comment"), textCol("storage"),
	}
)

func mediaRow(m Media, mode listMode) []cell {
	if mode == horzList {
		return []cell{num(m.MediaID), str(m.VolumeName), str(m.VolStatus), inum(m.Enabled),
			num(m.VolBytes), num(m.VolFiles), num(m.VolRetention), boolNum(m.Recycle), inum(m.Slot),
			boolNum(m.InChanger), str(m.MediaType), timestamp(m.LastWritten), nullable(m.Storage),
			boolNum(m.Encrypted)}
	}
	return []cell{
		num(m.MediaID), str(m.VolumeName), inum(m.Slot), num(m.PoolID), nullable(m.Pool), str(m.MediaType),
		timestamp(m.FirstWritten), timestamp(m.LastWritten), timestamp(m.LabelDate), num(m.VolJobs),
		num(m.VolFiles), num(m.VolBlocks), num(m.VolMounts), num(m.VolBytes), num(m.VolErrors),
		num(m.VolWrites), num(m.VolCapacityBytes), str(m.VolStatus), inum(m.Enabled), boolNum(m.Recycle),
		num(m.VolRetention), num(m.VolUseDuration), num(m.MaxVolJobs), num(m.MaxVolFiles),
		num(m.MaxVolBytes), boolNum(m.InChanger), num(m.EndFile), num(m.EndBlock), num(m.LabelType),
		num(m.StorageID), num(m.DeviceID), num(m.LocationID), num(m.RecycleCount),
		timestamp(m.InitialWrite), num(m.ScratchPoolID), nullable(m.ScratchPool), num(m.RecyclePoolID),
		nullable(m.RecyclePool), str(m.Comment), nullable(m.Storage),
	}
}

// renderMedia lists volumes as a result set.
func renderMedia(ua *uacontext.UA, mode listMode, media []Media) {
	rs := &resultSet{cols: mediaColumns}
	if mode == vertList {
		rs.cols = mediaLongColumns
	}
	for _, m := range media {
		rs.rows = append(rs.rows, mediaRow(m, mode))
	}
	render(ua.Formatter(), rs, mode, ua.GUI)
}

// queryMedia returns the volumes selected by q that are in pools the
// console may see, or none if the range is one the catalog rejects.
// (The Director does not check the pool of "list volume=NAME" and "list
// mediaid=N"; this package does, so no listing shows a forbidden pool's
// volume.)
func (c *cmds) queryMedia(ctx context.Context, ua *uacontext.UA, q MediaQuery, rng queryRange) ([]Media, error) {
	if !rng.sqlOK() {
		return nil, nil
	}
	media, err := c.media.ListMedia(ctx, q)
	if err != nil {
		return nil, catalogError(ctx, err)
	}
	if !ua.ACLNoRestrictions(uacontext.ACLPool) {
		media = slices.DeleteFunc(slices.Clone(media), func(m Media) bool {
			return m.Pool != "" && !ua.ACLAccessOK(uacontext.ACLPool, m.Pool)
		})
	}
	return media, nil
}

func (c *cmds) listMedia(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions) error {
	rng := setQueryRange(ua) // the Director registers the range a second time
	f := ua.Formatter()
	id, err := c.jobIDFromArgs(ctx, ua)
	if err != nil {
		return err
	}
	switch {
	case id < 0:
		return nil // no such job (or not the console's): nothing is listed
	case id > 0:
		jms, err := c.media.JobMedia(ctx, uint64(id))
		if err != nil {
			return catalogError(ctx, err)
		}
		rs := &resultSet{}
		if mode == horzList {
			rs.cols = []column{textCol("volumename")}
			seen := map[string]bool{}
			for _, jm := range jms {
				if !seen[jm.VolumeName] {
					seen[jm.VolumeName] = true
					rs.rows = append(rs.rows, []cell{str(jm.VolumeName)})
				}
			}
		} else {
			rs.cols = []column{numCol("jobmediaid"), numCol("jobid"), numCol("mediaid"), textCol("volumename")}
			for _, jm := range jms {
				rs.rows = append(rs.rows, []cell{num(jm.JobMediaID), num(jm.JobID), num(jm.MediaID), str(jm.VolumeName)})
			}
		}
		f.ArrayStart("volumes", null)
		render(f, rs, mode, ua.GUI)
		f.ArrayEnd("volumes", null)
		return nil
	}
	if ua.Args[1].HasValue {
		media, err := c.queryMedia(ctx, ua, MediaQuery{VolumeName: ua.Args[1].Value}, queryRange{})
		if err != nil {
			return err
		}
		f.ObjectStart("volume", null)
		renderMedia(ua, mode, media)
		f.ObjectEnd("volume", null)
		return nil
	}
	q := MediaQuery{HasLimit: rng.has, Limit: rng.limit, Offset: rng.offset}
	if name, ok := ua.ArgValue("pool"); ok {
		pools, err := c.selectPools(ctx, name, 0)
		if err != nil {
			return err
		}
		allowed := ua.ACLAccessOK(uacontext.ACLPool, name)
		if len(pools) == 0 || !allowed {
			// The Director's GetPoolDbr: the lookup fails (its error text
			// has no newline and an empty catalog error), is retried once
			// for an allowed name, and then it would prompt for a pool;
			// this package has no prompts, so the selection fails.
			ua.ErrorMsg("Could not find Pool \"%s\": ERR=%s", name, "")
			if allowed {
				ua.ErrorMsg("Could not find Pool \"%s\": ERR=%s", name, "")
			}
			ua.ErrorMsg("Pool %s doesn't exist.\n", name)
			return nil // sic: the Director reports success
		}
		q.PoolID = pools[0].PoolID
		media, err := c.queryMedia(ctx, ua, q, rng)
		if err != nil {
			return err
		}
		f.ArrayStart("volumes", null)
		if rng.sqlOK() {
			renderMedia(ua, mode, media)
		}
		f.ArrayEnd("volumes", null)
		return nil
	}
	if ua.FindArg("all") > 0 {
		if !ua.ACLNoRestrictions(uacontext.ACLPool) && mode != vertList {
			return uacontext.Errorf("Restricted permission. Use the commands 'list media' or 'llist media all' instead\n")
		}
		media, err := c.queryMedia(ctx, ua, q, rng)
		if err != nil {
			return err
		}
		f.ArrayStart("volumes", null)
		col := 4 // the pool name in the long listing
		setACLFilter(ua, col, uacontext.ACLPool)
		if opts.current {
			ua.AddResourceFilter(col, uacontext.ResPool)
		}
		if rng.sqlOK() {
			renderMedia(ua, mode, media)
		}
		f.ArrayEnd("volumes", null)
		return nil
	}
	pools, err := c.selectPools(ctx, "", 0)
	if err != nil {
		return err
	}
	if len(pools) == 0 {
		return nil
	}
	perPool := make([][]Media, len(pools))
	for i, p := range pools {
		if !ua.ACLAccessOK(uacontext.ACLPool, p.Name) {
			continue
		}
		q.PoolID = p.PoolID
		if perPool[i], err = c.queryMedia(ctx, ua, q, rng); err != nil {
			return err
		}
	}
	f.ObjectStart("volumes", null)
	for i, p := range pools {
		if !ua.ACLAccessOK(uacontext.ACLPool, p.Name) {
			continue
		}
		f.Decoration("Pool: %s\n", p.Name)
		f.ArrayStart(p.Name, null)
		if rng.sqlOK() {
			renderMedia(ua, mode, perPool[i])
		}
		f.ArrayEnd(p.Name, null)
	}
	f.ObjectEnd("volumes", null)
	return nil
}
