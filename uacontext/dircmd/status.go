package dircmd

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
)

// jobTypeString is the Director's job_type_to_str.
func jobTypeString(t byte) string {
	switch t {
	case JobTypeBackup:
		return "Backup"
	case JobTypeMigratedJob:
		return "Migrated Job"
	case JobTypeVerify:
		return "Verify"
	case JobTypeRestore:
		return "Restore"
	case 'U':
		return "Console"
	case 'I':
		return "System or Console"
	case JobTypeAdmin:
		return "Admin"
	case JobTypeArchive:
		return "Archive"
	case JobTypeJobCopy:
		return "Job Copy"
	case JobTypeCopy:
		return "Copy"
	case JobTypeMigrate:
		return "Migrate"
	case 'S':
		return "Scan"
	case JobTypeConsolidate:
		return "Consolidate"
	}
	return "Unknown Type"
}

// levelString is the Director's JobLevelToString.
func levelString(l byte) string {
	switch l {
	case 'F':
		return "Full"
	case 'B':
		return "Base"
	case 'I':
		return "Incremental"
	case 'D':
		return "Differential"
	case 'S':
		return "Since"
	case 'f':
		return "VirtualFull"
	case 'C':
		return "Catalog"
	case 'V':
		return "InitCatalog"
	case 'O':
		return "VolumeToCatalog"
	case 'd':
		return "DiskToCatalog"
	case 'A':
		return "Data"
	case ' ':
		return " "
	}
	return fmt.Sprintf("%c (%d)", l, l)
}

// shortTime is the Director's bstrftime_nc: "01-May-24 21:10".
func shortTime(t time.Time) string { return t.Format("02-Jan-06 15:04") }

// withSuffix is the Director's edit_uint64_with_suffix: "1.234 M".
func withSuffix(v uint64) string {
	s := addCommas(strconv.FormatUint(v, 10))
	suffixes := []string{"", "K", "M", "G", "T", "P", "E", "Z", "Y", "FIX ME"}
	commas := strings.Count(s, ",")
	if commas > 0 {
		i := strings.IndexByte(s, ',')
		s = s[:i] + "." + strings.SplitN(s[i+1:], ",", 2)[0]
		if len(s) > 5 {
			s = s[:5]
		}
	}
	if commas >= len(suffixes) {
		commas = len(suffixes) - 1
	}
	return s + " " + suffixes[commas]
}

// directorStatus fetches everything from the catalog first, so that a
// failing catalog call fails the command before any output.
func (c *cmds) directorStatus(ctx context.Context, ua *uacontext.UA) error {
	st, err := c.status.Status(ctx)
	if err != nil {
		return catalogError(ctx, err)
	}
	days := int64(1)
	badDays := false
	if v, ok := ua.ArgValue("days"); ok {
		days = int64(int32(strToInt64(v)))
		if (days < 0 || days > 500) && ua.Mode() == apimode.Off {
			badDays = true
			days = 1
		}
	}
	runs, err := c.status.Scheduled(ctx, c.opts.Now(), int(max(0, min(days, 500))))
	if err != nil {
		return catalogError(ctx, err)
	}
	terminated, err := c.status.Terminated(ctx)
	if err != nil {
		return catalogError(ctx, err)
	}
	var running []RunningJob
	if jc, ok := c.cat.(JobController); ok {
		if running, err = jc.RunningJobs(ctx); err != nil {
			return catalogError(ctx, err)
		}
	}
	c.statusHeader(ua, st)
	if badDays {
		ua.SendMsg("Ignoring invalid value for days. Max is 500.\n")
	}
	c.statusScheduled(ua, runs)
	c.statusRunning(ua, running)
	c.statusTerminated(ua, terminated)
	c.statusClientConnections(ua)
	ua.SendMsg("====\n")
	return nil
}

func (c *cmds) statusHeader(ua *uacontext.UA, st DirectorStatus) {
	d := ua.Director
	started := shortTime(st.Started)
	if ua.Mode() == apimode.JSON {
		f := ua.Formatter()
		f.ObjectStart("header", null)
		f.KVString("director", null, d.Name, "%s\n")
		f.KVString("version", null, d.Version, "%s\n")
		f.KVString("release_date", null, d.Date, "%s\n")
		f.KVString("os", null, d.OSInfo, "%s\n")
		f.KVString("binary_info", null, st.BinaryInfo, "%s\n")
		f.KVString("daemon_started", null, started, "%s\n")
		f.KVUint("jobs_run", null, st.JobsRun, "%d\n")
		f.KVInt("jobs_running", null, st.Running, "%d\n")
		f.KVBool("config_warnings", null, st.Warnings, null)
		f.ObjectEnd("header", null)
		return
	}
	ua.SendMsg("%s Version: %s (%s) %s\n", d.Name, d.Version, d.Date, d.OSInfo)
	ua.SendMsg("Daemon started %s. Jobs: run=%d, running=%d db:postgresql, %s binary\n",
		started, st.JobsRun, st.Running, st.BinaryInfo)
	if st.Warnings {
		ua.SendMsg("\nThere are WARNINGS for the director configuration!\nSee 'status configuration' for details.\n\n")
	}
}

func (c *cmds) statusScheduled(ua *uacontext.UA, runs []ScheduledRun) {
	allowed := runs[:0:0]
	for _, r := range runs {
		if ua.ACLAccessOK(uacontext.ACLJob, r.Job) {
			allowed = append(allowed, r)
		}
	}
	if len(allowed) > 0 && ua.Mode() == apimode.Off {
		ua.SendMsg("\nScheduled Jobs:\n")
		ua.SendMsg("Level          Type     Pri  Scheduled          Name               Volume\n")
		ua.SendMsg("===================================================================================\n")
	}
	sort.SliceStable(allowed, func(a, b int) bool {
		if !allowed[a].Time.Equal(allowed[b].Time) {
			return allowed[a].Time.Before(allowed[b].Time)
		}
		return allowed[a].Priority < allowed[b].Priority
	})
	f := ua.Formatter()
	if ua.Mode() == apimode.JSON {
		f.ArrayStart("scheduled", null)
	}
	for _, r := range allowed {
		level := levelString(r.Level)
		switch r.Type {
		case JobTypeAdmin, JobTypeArchive, JobTypeRestore:
			level = " "
		}
		vol := r.Volume
		if vol == "" && r.Type == JobTypeBackup {
			vol = "*unknown*"
		}
		dt := shortTime(r.Time)
		switch ua.Mode() {
		case apimode.JSON:
			f.ObjectStart(null, null)
			f.KVString("name", null, r.Job, "%s\n")
			f.KVString("type", null, jobTypeString(r.Type), "%s\n")
			f.KVString("level", null, level, "%s\n")
			f.KVInt("priority", null, int64(r.Priority), "%d\n")
			f.KVString("scheduled", null, dt, "%s\n")
			f.KVString("volume", null, vol, "%s\n")
			if r.Pool != "" {
				f.KVString("pool", null, r.Pool, "%s\n")
			}
			if r.Storage != "" {
				f.KVString("storage", null, r.Storage, "%s\n")
			}
			f.ObjectEnd(null, null)
		case apimode.On:
			ua.SendMsg("%-14s\t%-8s\t%3d\t%-18s\t%-18s\t%s\n", level, jobTypeString(r.Type), r.Priority, dt, r.Job, vol)
		default:
			ua.SendMsg("%-14s %-8s %3d  %-18s %-18s %s\n", level, jobTypeString(r.Type), r.Priority, dt, r.Job, vol)
		}
	}
	if ua.Mode() == apimode.JSON {
		f.ArrayEnd("scheduled", null)
	}
	if ua.Mode() == apimode.Off {
		if len(allowed) == 0 {
			ua.SendMsg("No Scheduled Jobs.\n")
		}
		ua.SendMsg("====\n")
	}
}

func (c *cmds) statusTerminated(ua *uacontext.UA, jobs []TerminatedJob) {
	f := ua.Formatter()
	if len(jobs) == 0 {
		if ua.Mode() == apimode.Off {
			ua.SendMsg("No Terminated Jobs.\n")
		}
		if ua.Mode() == apimode.JSON {
			f.ArrayStart("terminated", null)
			f.ArrayEnd("terminated", null)
		}
		return
	}
	if ua.Mode() == apimode.Off {
		ua.SendMsg("\nTerminated Jobs:\n")
		ua.SendMsg(" JobId  Level    Files      Bytes   Status   Finished        Name \n")
		ua.SendMsg("====================================================================\n")
	}
	if ua.Mode() == apimode.JSON {
		f.ArrayStart("terminated", null)
	}
	for _, j := range jobs {
		name := j.Job
		for range 3 { // the unique name ends in three dotted parts
			if i := strings.LastIndexByte(name, '.'); i >= 0 {
				name = name[:i]
			}
		}
		if !ua.ACLAccessOK(uacontext.ACLJob, name) {
			continue
		}
		var level string
		switch j.Type {
		case JobTypeAdmin, JobTypeArchive, JobTypeRestore:
			level = "    "
		default:
			level = levelString(j.Level)
			if len(level) > 4 {
				level = level[:4]
			}
		}
		var term string
		switch j.Status {
		case JobStatusCreated:
			term = "Created"
		case JobStatusFatal, JobStatusError:
			term = "Error"
		case 'D':
			term = "Diffs"
		case JobStatusCanceled:
			term = "Cancel"
		case JobStatusTerminated:
			term = "OK"
		case JobStatusWarnings:
			term = "OK -- with warnings"
		default:
			term = "Other"
		}
		dt := shortTime(j.Finished)
		switch ua.Mode() {
		case apimode.JSON:
			f.ObjectStart(null, null)
			f.KVUint("jobid", null, j.JobID, "%d\n")
			f.KVString("name", null, name, "%s\n")
			f.KVString("level", null, level, "%s\n")
			f.KVString("type", null, jobTypeString(j.Type), "%s\n")
			f.KVString("status", null, term, "%s\n")
			f.KVUint("files", null, j.Files, "%d\n")
			f.KVUint("bytes", null, j.Bytes, "%d\n")
			f.KVString("finished", null, dt, "%s\n")
			f.ObjectEnd(null, null)
		case apimode.On:
			ua.SendMsg("%6d\t%-6s\t%8s\t%10s\t%-7s\t%-8s\t%s\n", j.JobID, level,
				addCommas(strconv.FormatUint(j.Files, 10)), withSuffix(j.Bytes), term, dt, name)
		default:
			ua.SendMsg("%6d  %-6s %8s %10s  %-7s  %-8s %s\n", j.JobID, level,
				addCommas(strconv.FormatUint(j.Files, 10)), withSuffix(j.Bytes), term, dt, name)
		}
	}
	if ua.Mode() == apimode.JSON {
		f.ArrayEnd("terminated", null)
	} else if ua.Mode() == apimode.Off {
		ua.SendMsg("\n")
	}
}

// statusClientConnections lists client-initiated connections; there are
// none.
func (c *cmds) statusClientConnections(ua *uacontext.UA) {
	f := ua.Formatter()
	sep := "===================="
	f.Decoration("\n")
	f.Decoration("Client Initiated Connections (waiting for jobs):\n")
	f.Decoration("%-20s%-20s%-20s%-40s\n", "Connect time", "Protocol", "Authenticated", "Name")
	f.Decoration("%-20s%-20s%-20s%-20s%-20s\n", sep, sep, sep, sep, sep)
	f.ArrayStart("client-connection", null)
	f.ArrayEnd("client-connection", null)
}
