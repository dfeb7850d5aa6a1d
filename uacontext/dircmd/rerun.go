package dircmd

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/uacontext"
)

// rerunArgs are the arguments of rerun: jobid=<id,id,...>, or the
// failed jobs since_jobid=<id> [until_jobid=<id>], or those scheduled in
// the last days=<n> and/or hours=<n>.
type rerunArgs struct {
	jobIDs            []uint64
	since, until      int64
	days, hours       int64
	yes, selectFailed bool
}

// parseRerunArgs is the Director's GetRerunCmdlineArguments; a parsing
// error has been reported with SendMsg.
func parseRerunArgs(ua *uacontext.UA) (rerunArgs, bool) {
	var a rerunArgs
	if v, ok := ua.ArgValue("since_jobid"); ok {
		a.since = strToInt64(v)
	}
	if v, ok := ua.ArgValue("until_jobid"); ok {
		a.until = strToInt64(v)
	}
	if v, ok := ua.ArgValue("days"); ok {
		a.days = strToInt64(v)
	}
	if v, ok := ua.ArgValue("hours"); ok {
		a.hours = strToInt64(v)
	}
	a.yes = ua.FindArg("yes") > 0
	jobid, hasJobID := ua.ArgValue("jobid")
	if !hasJobID && a.days == 0 && a.hours == 0 && a.since == 0 {
		ua.SendMsg("Please specify jobid, since_jobid, hours or days\n")
		return a, false
	}
	if hasJobID {
		// std::getline splitting: no part after a trailing comma.
		parts := strings.Split(jobid, ",")
		if n := len(parts); n > 0 && parts[n-1] == "" {
			parts = parts[:n-1]
		}
		for _, p := range parts {
			if !uacontext.IsNumber(p) {
				ua.SendMsg("Specified jobid \"%s\" is not valid\n", p)
				return rerunArgs{}, false
			}
			a.jobIDs = append(a.jobIDs, uint64(strToInt64(p)))
		}
		if a.since != 0 {
			ua.SendMsg("Please specify either jobid or since_jobid (and optionally until_jobid)\n")
			return a, false
		}
		if a.days != 0 || a.hours != 0 {
			ua.SendMsg("Please specify either jobid or a timeframe\n")
			return a, false
		}
	}
	a.selectFailed = a.days != 0 || a.hours != 0 || a.since != 0
	return a, true
}

// rerun is the Director's rerun command: it runs jobs again with the
// job name, level, client, pool and fileset of their catalog records
// ("rerunning jobid <id>", then the run command with when=<now>, which
// asks "OK to run?" unless yes is given). Without jobid= it selects the
// failed jobs (JobStatus 'f') from since_jobid= (up to until_jobid=) or
// scheduled in the last days=/hours=, lists them and asks "rerun these
// jobids? (yes/no): " unless yes is given. Only backup, copy and
// migration jobs are rerun; the first failing run stops the command.
func (c *cmds) rerun(ctx context.Context, ua *uacontext.UA, runner JobRunner) error {
	if !c.openCatalog(ua, c.has.jobs) {
		return nil
	}
	a, ok := parseRerunArgs(ua)
	if !ok {
		return reportedf("dircmd: rerun arguments")
	}
	now := c.opts.Now()
	ids := a.jobIDs
	if a.selectFailed {
		failed, err := c.failedJobs(ctx, a, now)
		if err != nil {
			return err
		}
		if len(failed) == 0 {
			ua.SendMsg("No jobids with the specified options were found.\n")
			return nil
		}
		ua.SendMsg("The following ids were selected for rerun:\n")
		for i, id := range failed {
			if i > 0 {
				ua.SendMsg(",%s", strconv.FormatUint(id, 10))
			} else {
				ua.SendMsg("%s", strconv.FormatUint(id, 10))
			}
		}
		ua.SendMsg("\n")
		if !a.yes {
			yes, err := ua.GetYesno(ctx, "rerun these jobids? (yes/no): ")
			if err != nil {
				return err
			}
			if !yes {
				return reportedf("dircmd: rerun declined")
			}
		}
		ids = append(ids, failed...)
	}
	for _, id := range ids {
		if err := c.rerunJob(ctx, ua, runner, id, a.yes, now); err != nil {
			return err
		}
	}
	return nil
}

// failedJobs are the JobIds of rerun's selection, in JobId order.
func (c *cmds) failedJobs(ctx context.Context, a rerunArgs, now time.Time) ([]uint64, error) {
	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Statuses: []byte{JobStatusFatal}})
	if err != nil {
		return nil, catalogError(ctx, err)
	}
	// SchedTime > the time days and hours ago, compared at one-second
	// resolution as the SQL query compares the formatted times.
	after := now.Add(-time.Duration(a.days*86400+a.hours*3600) * time.Second).Truncate(time.Second)
	var ids []uint64
	for _, j := range jobs {
		switch {
		case a.since != 0:
			if int64(j.JobID) < a.since || a.until != 0 && int64(j.JobID) > a.until {
				continue
			}
		case !j.SchedTime.Truncate(time.Second).After(after):
			continue
		}
		ids = append(ids, j.JobID)
	}
	slices.Sort(ids)
	return ids, nil
}

// rerunJob is the Director's reRunJob for one JobId.
func (c *cmds) rerunJob(ctx context.Context, ua *uacontext.UA, runner JobRunner, id uint64, yes bool, now time.Time) error {
	ua.SendMsg("rerunning jobid %s\n", strconv.FormatUint(id, 10))
	j, err := c.jobs.JobByID(ctx, id)
	if err != nil {
		if !isNotFound(err) {
			return catalogError(ctx, err)
		}
		// The Director reports this as a job message of the console,
		// queued for the messages command.
		ua.Messages.Post(now.Format("02-Jan 15:04") + " " + c.directorName(ua) + " JobId 0: Warning: Error getting Job record for Job rerun: ERR=No Job found for JobId " + strconv.FormatUint(id, 10) + "\n\n")
		return reportedf("dircmd: rerun: no job %d", id)
	}
	switch j.Type {
	case JobTypeBackup, JobTypeCopy, JobTypeMigrate:
	default:
		return nil
	}
	var b strings.Builder
	b.WriteString(`run job="` + j.Name + `"`)
	if j.Level != ' ' && j.Level != 0 {
		b.WriteString(` level="` + levelString(j.Level) + `"`)
	}
	if j.Client != "" {
		b.WriteString(` client="` + j.Client + `"`)
	}
	if j.Pool != "" {
		// Copy, migration and virtual full jobs read from the pool of
		// their Job resource and write to the job's pool.
		source := j.Pool
		next := j.Type != JobTypeBackup || j.Level == 'f'
		if next {
			source = ""
			for _, r := range c.cat.Jobs() {
				if r.Name == j.Name {
					source = r.Pool
				}
			}
		}
		if source != "" {
			b.WriteString(` pool="` + source + `"`)
		}
		if next {
			b.WriteString(` nextpool="` + j.Pool + `"`)
		}
	}
	if j.FileSet != "" {
		b.WriteString(` fileset="` + j.FileSet + `"`)
	}
	b.WriteString(` when="` + bstrutime(now) + `"`)
	if yes {
		b.WriteString(" yes")
	}
	ua.Cmd = b.String()
	ua.Args = uacontext.ParseArgs(ua.Cmd)
	return c.doRun(ctx, ua, runner, RunRequest{})
}

// directorName is the Director's name as the session knows it.
func (c *cmds) directorName(ua *uacontext.UA) string {
	if n := ua.Director.Name; n != "" {
		return n
	}
	return uacontext.DefaultDirectorInfo.Name
}
