package dircmd

import (
	"context"
	"errors"
	"math"
	"slices"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
)

// LogEntry is a row of the catalog's Log table: one message of a job's
// log.
type LogEntry struct {
	LogID uint64
	JobID uint64
	Time  time.Time
	Text  string // as the Director stored it, usually ending in a newline
}

// LogQuery selects log entries for "list log".
type LogQuery struct {
	Client string // only entries of jobs of this client ("" = all)
	// Limit and Offset page the newest-first order (LIMIT/OFFSET).
	Limit, Offset uint64
}

// JobLogs is the capability behind "list joblog" and "list log": the
// catalog's job logs. Without it both list nothing ("No results to
// list."), like a Director whose Log table is empty.
type JobLogs interface {
	// JobLog returns the log of a job ordered by LogId.
	JobLog(ctx context.Context, jobID uint64) ([]LogEntry, error)
	// Logs returns log entries of jobs that exist and are not copies
	// made by a copy job (type 'C'), newest first (LogId descending),
	// selected and paged by q.
	Logs(ctx context.Context, q LogQuery) ([]LogEntry, error)
}

// JobStat is a row of the catalog's JobStats table: a sample of a job's
// progress taken while it ran.
type JobStat struct {
	DeviceID   uint64
	SampleTime time.Time
	JobID      uint64
	JobFiles   uint64
	JobBytes   uint64
}

// JobStatistics is the capability behind "list jobstatistics": the
// progress samples of jobs. Without it the list is empty.
type JobStatistics interface {
	// JobStats returns the samples of a job ordered by SampleTime.
	JobStats(ctx context.Context, jobID uint64) ([]JobStat, error)
}

// FileSetRecord is a row of the catalog's FileSet table: a version of a
// FileSet resource that a job used.
type FileSetRecord struct {
	FileSetID   uint64
	FileSet     string
	MD5         string
	CreateTime  time.Time
	FileSetText string // the resource as configured when the record was made
}

// FileSetRecords is the capability behind "list filesets" and "list
// fileset": the catalog's FileSet table. Without it the lists are empty.
type FileSetRecords interface {
	// FileSetRecords returns the FileSet table ordered by FileSetId.
	FileSetRecords(ctx context.Context) ([]FileSetRecord, error)
}

// listJobLog is "list joblog jobid=|ujobid= [count]".
func (c *cmds) listJobLog(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions, rng queryRange) error {
	id, err := c.jobIDFromArgs(ctx, ua)
	if err != nil {
		return err
	}
	if id < 0 {
		return uacontext.Errorf("jobid not found in db, access to job or client denied by ACL, or client not found in db\n")
	}
	if id == 0 {
		return nil // the Director lists nothing for JobId 0
	}
	var entries []LogEntry
	if jl, ok := c.cat.(JobLogs); ok {
		if entries, err = jl.JobLog(ctx, uint64(id)); err != nil {
			return catalogError(ctx, err)
		}
	}
	rs := &resultSet{}
	if opts.count {
		rs.cols = []column{numCol("count")}
		rs.rows = [][]cell{{num(uint64(len(entries)))}}
	} else {
		if !rng.sqlOK() {
			return nil
		}
		if rng.has {
			entries = page(entries, rng.limit, rng.offset)
		}
		rs.cols = []column{textCol("time"), textCol("logtext")}
		for _, e := range entries {
			rs.rows = append(rs.rows, []cell{timestamp(e.Time), str(e.Text)})
		}
		if mode != vertList {
			mode = rawList
		}
	}
	ua.Formatter().ArrayStart("joblog", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("joblog", null)
	return nil
}

// listLog is "list log [client=<name>] [reverse] [limit= [offset=]]":
// the newest log entries of all jobs (5 without a limit), oldest first
// unless reverse. In the text modes the LogId, job, client and time
// columns are hidden: the texts carry them.
func (c *cmds) listLog(ctx context.Context, ua *uacontext.UA, mode listMode, rng queryRange) error {
	client, err := c.clientArg(ctx, ua)
	if err != nil {
		return err
	}
	reverse := hasFlag(ua, "reverse")
	limit, offset := uint64(5), uint64(0)
	if rng.has {
		limit, offset = rng.limit, rng.offset
	}
	if ua.Mode() != apimode.JSON {
		ua.Formatter().AddHiddenColumn(0)
		ua.Formatter().AddHiddenColumn(1)
		setACLFilter(ua, 1, uacontext.ACLJob)
		ua.Formatter().AddHiddenColumn(2)
		setACLFilter(ua, 2, uacontext.ACLClient)
		ua.Formatter().AddHiddenColumn(3)
	} else {
		setACLFilter(ua, 1, uacontext.ACLJob)
		setACLFilter(ua, 2, uacontext.ACLClient)
	}
	if !rng.sqlOK() {
		return nil
	}
	var entries []LogEntry
	if jl, ok := c.cat.(JobLogs); ok {
		if entries, err = jl.Logs(ctx, LogQuery{Client: client, Limit: limit, Offset: offset}); err != nil {
			return catalogError(ctx, err)
		}
	}
	type logRow struct {
		e           LogEntry
		job, client string
		nullClient  bool
	}
	rows := make([]logRow, 0, len(entries))
	jobs := map[uint64]Job{}
	for _, e := range entries {
		j, ok := jobs[e.JobID]
		if !ok {
			if j, err = c.jobs.JobByID(ctx, e.JobID); err != nil && !errors.Is(err, ErrNotFound) {
				return catalogError(ctx, err)
			}
			jobs[e.JobID] = j
		}
		rows = append(rows, logRow{e: e, job: j.Name, client: j.Client, nullClient: j.ClientID == 0})
	}
	if !reverse {
		slices.Reverse(rows)
	}
	rs := &resultSet{cols: []column{numCol("logid"), textCol("jobname"), textCol("clientname"),
		textCol("time"), textCol("logtext")}}
	for _, r := range rows {
		cl := str(r.client)
		if r.nullClient {
			cl = cell{null: true}
		}
		rs.rows = append(rs.rows, []cell{num(r.e.LogID), str(r.job), cl, timestamp(r.e.Time), str(r.e.Text)})
	}
	if mode != vertList {
		mode = rawList
	}
	ua.Formatter().ArrayStart("log", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("log", null)
	return nil
}

// listJobStats is "list jobstatistics jobid=|ujobid=".
func (c *cmds) listJobStats(ctx context.Context, ua *uacontext.UA, mode listMode) error {
	id, err := c.jobIDFromArgs(ctx, ua)
	if err != nil {
		return err
	}
	if id <= 0 {
		return uacontext.Errorf("no jobid given\n")
	}
	var stats []JobStat
	if js, ok := c.cat.(JobStatistics); ok {
		if stats, err = js.JobStats(ctx, uint64(id)); err != nil {
			return catalogError(ctx, err)
		}
	}
	rs := &resultSet{cols: []column{numCol("deviceid"), textCol("sampletime"), numCol("jobid"),
		numCol("jobfiles"), numCol("jobbytes")}}
	for _, s := range stats {
		rs.rows = append(rs.rows, []cell{num(s.DeviceID), timestamp(s.SampleTime), num(s.JobID),
			num(s.JobFiles), num(s.JobBytes)})
	}
	ua.Formatter().ArrayStart("jobstats", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("jobstats", null)
	return nil
}

// listFileSets is "list filesets" (all == true) and "list fileset
// filesetid=|jobid=|ujobid=".
func (c *cmds) listFileSets(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions, rng queryRange, all bool) error {
	var filesetID, jobID uint64
	if !all {
		if v, ok := ua.ArgValue("filesetid"); ok {
			filesetID = uint64(int32(strToInt64(v)))
		}
		id, err := c.jobIDFromArgs(ctx, ua)
		if err != nil {
			return err
		}
		if id <= 0 && int32(filesetID) <= 0 {
			return uacontext.Errorf("jobid not found in db, access to job or client denied by ACL, or client not found in db or missing filesetid\n")
		}
		switch {
		case id > 0:
			jobID = uint64(id)
		case id < 0:
			// The Director queries the JobId -1 and finds nothing.
			jobID = math.MaxUint32
		}
	}
	setACLFilter(ua, 1, uacontext.ACLFileSet)
	if opts.current {
		ua.AddResourceFilter(1, uacontext.ResFileSet)
	}
	var recs []FileSetRecord
	if fr, ok := c.cat.(FileSetRecords); ok {
		var err error
		if recs, err = fr.FileSetRecords(ctx); err != nil {
			return catalogError(ctx, err)
		}
	}
	switch {
	case jobID > 0:
		var fsID uint64
		if j, err := c.jobs.JobByID(ctx, jobID); err == nil {
			fsID = j.FileSetID
		} else if !errors.Is(err, ErrNotFound) {
			return catalogError(ctx, err)
		}
		recs = slices.DeleteFunc(slices.Clone(recs), func(r FileSetRecord) bool { return fsID == 0 || r.FileSetID != fsID })
	case filesetID > 0:
		recs = slices.DeleteFunc(slices.Clone(recs), func(r FileSetRecord) bool { return r.FileSetID != filesetID })
		rng = queryRange{} // the Director's query by FileSetId has no range
	}
	if !rng.sqlOK() {
		return nil
	}
	if rng.has {
		recs = page(recs, rng.limit, rng.offset)
	}
	rs := &resultSet{cols: []column{numCol("filesetid"), textCol("fileset"), textCol("md5"),
		textCol("createtime"), textCol("filesettext")}}
	for _, r := range recs {
		rs.rows = append(rs.rows, []cell{num(r.FileSetID), str(r.FileSet), str(r.MD5),
			timestamp(r.CreateTime), str(r.FileSetText)})
	}
	ua.Formatter().ArrayStart("filesets", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("filesets", null)
	return nil
}
