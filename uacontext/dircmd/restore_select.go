package dircmd

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// What the job selection produced (the Director's return values of
// UserSelectJobidsOrFiles).
const (
	selectedJobs  = 1 // JobIds: build the tree
	selectedFiles = 2 // file indexes of named files or directories
	selectedRegex = 3 // fileregex only: all files of the jobs
)

// restoreMenu is the Director's list of ways to select the jobs.
var restoreMenu = []string{
	"List last 20 Jobs run",
	"List Jobs where a given File is saved",
	"Enter list of comma separated JobIds to select",
	"Enter SQL list command",
	"Select the most recent backup for a client",
	"Select backup for a client before a specified time",
	"Enter a list of files to restore",
	"Enter a list of files to restore before a specified time",
	"Find the JobIds of the most recent backup for a client",
	"Find the JobIds for a backup for a client before a specified time",
	"Enter a list of directories to restore for found JobIds",
	"Select full restore to a specified Job date",
	"Cancel",
}

const dateLayout = "2006-01-02 15:04:05"

// location is the Director's time zone (that of its clock).
func (c *cmds) location() *time.Location { return c.opts.Now().Location() }

// strToUtime is the Director's StrToUtime: "YYYY-MM-DD HH:MM:SS" (as
// its own sscanf reads it), a valid date after 1900, in the Director's
// time zone. ok is false otherwise.
func (c *cmds) strToUtime(s string) (time.Time, bool) {
	v, garbage, n := bsscanf(s, "%u-%u-%u %u:%u:%u%15s")
	if n != 7 || garbage != "" {
		return time.Time{}, false
	}
	y, mo, d, h, mi, sec := v[0], v[1], v[2], v[3], v[4], v[5]
	if y <= 1900 || y > 1<<30 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	if d > uint64(daysIn(time.Month(mo), int(y))) {
		return time.Time{}, false
	}
	return time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), int(sec), 0, c.location()), true
}

func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func isCSpaceByte(b byte) bool { return b == ' ' || b >= '\t' && b <= '\r' }

// bsscanf is the Director's own sscanf for the conversions its date
// parsing uses: %u reads the digits there are (none is 0), %s and %<n>s
// read the non-blank bytes there are (none is ""), a blank in the format
// skips any white space, any other byte must match. It returns the
// numbers, the string and the count of conversions, or -1 when a byte
// did not match.
func bsscanf(buf, format string) (vals []uint64, str string, count int) {
	for f := 0; f < len(format); {
		switch c := format[f]; {
		case c == '%':
			f++
			maxLen := -1
			if f < len(format) && format[f] >= '0' && format[f] <= '9' {
				maxLen = 0
				for f < len(format) && format[f] >= '0' && format[f] <= '9' {
					maxLen = maxLen*10 + int(format[f]-'0')
					f++
				}
			}
			if f >= len(format) {
				return vals, str, -1
			}
			switch format[f] {
			case 'u':
				var v uint64
				for buf != "" && buf[0] >= '0' && buf[0] <= '9' {
					v = v*10 + uint64(buf[0]-'0')
					buf = buf[1:]
				}
				vals = append(vals, uint64(uint32(v)))
			case 's':
				i := 0
				for i < len(buf) && !isCSpaceByte(buf[i]) && (maxLen < 0 || i < maxLen) {
					i++
				}
				str, buf = buf[:i], buf[i:]
			default:
				return vals, str, -1
			}
			f++
			count++
		case isCSpaceByte(c):
			f++
			for buf != "" && isCSpaceByte(buf[0]) {
				buf = buf[1:]
			}
		default:
			if buf == "" || buf[0] != c {
				return vals, str, -1
			}
			buf, f = buf[1:], f+1
		}
	}
	return vals, str, count
}

// compensateShortDate is the Director's CompensateShortDate: "2024",
// "2024-03", "2024-03-01 12" ... become full dates; anything else is
// returned as it is.
func compensateShortDate(s string) string {
	formats := []struct {
		f string
		n int
	}{
		{"%u-%u-%u %u:%u:%u%15s", 7},
		{"%u-%u-%u %u:%u%15s", 6},
		{"%u-%u-%u %u%15s", 5},
		{"%u-%u-%u%15s", 4},
		{"%u-%u%15s", 3},
		{"%u%s", 2},
	}
	var tm [6]uint64
	for _, f := range formats {
		v, garbage, n := bsscanf(s, f.f)
		copy(tm[:], v) // fields read stay set, as in the shared struct tm
		if n != f.n {
			continue
		}
		if garbage != "" {
			return s
		}
		if tm[1] == 0 {
			tm[1] = 1
		}
		if tm[2] == 0 {
			tm[2] = 1
		}
		if int32(uint32(tm[0])) < 1900 {
			return s
		}
		return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d", tm[0], tm[1], tm[2], tm[3], tm[4], tm[5])
	}
	return s
}

// fmtArg renders an argument as the Director's FMTARG does.
func fmtArg(a uacontext.Arg) string {
	if a.HasValue {
		return a.Key + "=" + a.Value
	}
	return a.Key
}

// selectJobIDsOrFiles is the Director's UserSelectJobidsOrFiles.
func (c *cmds) selectJobIDsOrFiles(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) (int, error) {
	now := c.opts.Now()
	date := now.Add(time.Second).Format(dateLayout)
	done := false
	var files, dirs []string
	useSelect, useFileRegex := false, false
	dateIndex, jobIndex := -1, -1
	for i := 1; i < len(ua.Args); i++ {
		a := ua.Args[i]
		j := slices.IndexFunc(restoreKeywords, func(kw string) bool { return ascii.EqualFold(kw, a.Key) })
		if j < 0 {
			ua.ErrorMsg("Unknown keyword: %s\n", a.Key)
			return 0, errFailed
		}
		needValue := func() bool {
			if !a.HasValue {
				ua.ErrorMsg("Missing value for keyword: %s\n", a.Key)
			}
			return a.HasValue
		}
		switch j {
		case 0: // jobid
			if !needValue() {
				return 0, errFailed
			}
			if rx.jobIDs != "" {
				rx.jobIDs += ","
			}
			if dateIndex >= 0 {
				ua.ErrorMsg("A date was already chosen via '%s' which is incompatible with choosing a job explicitly via '%s'\n",
					fmtArg(ua.Args[dateIndex]), fmtArg(a))
				return 0, errFailed
			}
			if jobIndex < 0 {
				jobIndex = i
			}
			rx.jobIDs += a.Value
			rx.lastJobID = a.Value
			done = true
		case 1, 2: // current, before
			if j == 2 && !needValue() {
				return 0, errFailed
			}
			if jobIndex >= 0 {
				ua.ErrorMsg("A job was already explicitly chosen via '%s' which is incompatible with choosing a job by date '%s'\n",
					fmtArg(ua.Args[jobIndex]), fmtArg(a))
				return 0, errFailed
			}
			if dateIndex >= 0 {
				ua.ErrorMsg("A date was already chosen via '%s'. Cannot choose another one via '%s'\n",
					fmtArg(ua.Args[dateIndex]), fmtArg(a))
				return 0, errFailed
			}
			if j == 2 {
				d := compensateShortDate(a.Value)
				if _, ok := c.strToUtime(d); !ok {
					ua.ErrorMsg("Improper date format: %s\n", d)
					return 0, errFailed
				}
				date = d
			}
			dateIndex = i
		case 3: // file
			if !needValue() {
				return 0, errFailed
			}
			files = append(files, a.Value)
		case 4: // directory
			if !needValue() {
				return 0, errFailed
			}
			dirs = append(dirs, a.Value)
		case 5:
			useSelect = true
		case 6: // pool
			if !needValue() {
				return 0, errFailed
			}
			if !slices.ContainsFunc(c.cat.Pools(), func(p PoolResource) bool { return p.Name == a.Value }) ||
				!ua.ACLAccessOK(uacontext.ACLPool, a.Value) {
				ua.ErrorMsg("Error: Pool resource \"%s\" does not exist.\n", a.Value)
				return 0, errFailed
			}
			rx.pool = a.Value
		case 7:
			rx.all = true
		case 8:
			useFileRegex = true
		}
	}

	if len(files)+len(dirs) > 0 || useFileRegex {
		if err := c.getClientName(ctx, ua, rx); err != nil {
			return 0, err
		}
		for _, f := range files {
			if err := c.insertOneFileOrDir(ctx, ua, rx, f, date, false); err != nil {
				return 0, err
			}
		}
		for _, d := range dirs {
			if err := c.insertOneFileOrDir(ctx, ua, rx, d, date, true); err != nil {
				return 0, err
			}
		}
		if len(files)+len(dirs) == 0 {
			if rx.jobIDs == "" {
				if err := c.selectBackupsBeforeDate(ctx, ua, rx, date); err != nil {
					return 0, err
				}
			}
			return selectedRegex, nil
		}
		return selectedFiles, nil
	}

	if useSelect {
		if jobIndex >= 0 {
			ids, err := c.findJobDependencies(ctx, ua, rx.jobIDs)
			if err != nil {
				return 0, err
			}
			rx.jobIDs = ids
		} else if err := c.selectBackupsBeforeDate(ctx, ua, rx, date); err != nil {
			return 0, err
		}
		done = true
	}

	if !done {
		ua.SendMsg("\nFirst you select one or more JobIds that contain files\n" +
			"to be restored. You will be presented several methods\n" +
			"of specifying the JobIds. Then you will be allowed to\n" +
			"select which files from those JobIds are to be restored.\n\n")
	}
	for !done {
		ua.StartPrompt("To select the JobIds, you have the following choices:\n")
		for _, m := range restoreMenu {
			ua.AddPrompt(m)
		}
		done = true
		choice, _, err := ua.DoPrompt(ctx, "", "Select item: ")
		if err != nil {
			return 0, err
		}
		switch choice {
		case 0: // list last 20 jobs
			if !ua.ACLAccessOK(uacontext.ACLCommand, "sqlquery") {
				ua.ErrorMsg("SQL query not authorized.\n")
				return 0, errFailed
			}
			if err := c.listLastJobs(ctx, ua, rx); err != nil {
				return 0, err
			}
			done = false
		case 1: // jobs where a file is saved
			if err := c.getClientName(ctx, ua, rx); err != nil {
				return 0, err
			}
			name, err := ua.GetCmd(ctx, "Enter Filename (no path):")
			if err != nil {
				return 0, err
			}
			if err := c.listFileJobs(ctx, ua, rx.client, name); err != nil {
				return 0, err
			}
			done = false
		case 2: // JobIds
			ids, err := ua.GetCmd(ctx, "Enter JobId(s), comma separated, to restore: ")
			if err != nil {
				return 0, err
			}
			rx.jobIDs = ids
		case 3: // SQL
			if !ua.ACLAccessOK(uacontext.ACLCommand, "sqlquery") {
				ua.ErrorMsg("SQL query not authorized.\n")
				return 0, errFailed
			}
			if _, err := ua.GetCmd(ctx, "Enter SQL list command: "); err != nil {
				return 0, err
			}
			// This Director has no SQL database: the query fails as
			// an SQL error does.
			ua.Formatter().Decoration("Query failed: %s\n", "SQL queries are not supported by this catalog")
			done = false
		case 4, 8: // most recent backup; 8: only find the JobIds
			if err := c.selectBackupsBeforeDate(ctx, ua, rx, now.Add(time.Second).Format(dateLayout)); err != nil {
				return 0, err
			}
			done = choice == 4
		case 5, 9: // backup before a time
			d, err := c.getDate(ctx, ua)
			if err != nil {
				return 0, err
			}
			if err := c.selectBackupsBeforeDate(ctx, ua, rx, d); err != nil {
				return 0, err
			}
			done = choice == 5
		case 6, 7: // files
			d := date
			if choice == 7 {
				if d, err = c.getDate(ctx, ua); err != nil {
					return 0, err
				}
			}
			if err := c.getClientName(ctx, ua, rx); err != nil {
				return 0, err
			}
			ua.SendMsg("Enter file names with paths, or < to enter a filename\n" +
				"containing a list of file names with paths, and Terminate\n" +
				"them with a blank line.\n")
			for {
				f, err := ua.GetCmd(ctx, "Enter full filename: ")
				if err != nil {
					return 0, err
				}
				if f == "" {
					break
				}
				if err := c.insertOneFileOrDir(ctx, ua, rx, f, d, false); err != nil {
					return 0, err
				}
			}
			return selectedFiles, nil
		case 10: // directories
			if rx.jobIDs != "" {
				ua.SendMsg("You have already selected the following JobIds: %s\n", rx.jobIDs)
			} else if ids, err := ua.GetCmd(ctx, "Enter JobId(s), comma separated, to restore: "); err == nil {
				rx.lastJobID = ids
				rx.jobIDs += ids
			} else if !uacontext.IsInputFailure(err) {
				return 0, err
			}
			if rx.jobIDs == "" || rx.jobIDs[0] == '.' {
				rx.jobIDs = ""
				return 0, errFailed
			}
			if err := c.getClientName(ctx, ua, rx); err != nil {
				return 0, err
			}
			ua.SendMsg("Enter full directory names or start the name\n" +
				"with a < to indicate it is a filename containing a list\n" +
				"of directories and Terminate them with a blank line.\n")
			for {
				d, err := ua.GetCmd(ctx, "Enter directory name: ")
				if err != nil {
					return 0, err
				}
				if d == "" {
					break
				}
				if d[0] != '<' && d[len(d)-1] != '/' {
					d += "/"
				}
				if err := c.insertOneFileOrDir(ctx, ua, rx, d, date, true); err != nil {
					return 0, err
				}
			}
			return selectedFiles, nil
		case 11: // full restore to a job's date
			id, err := ua.GetCmd(ctx, "Enter JobId to get the state to restore: ")
			if err != nil {
				return 0, err
			}
			if !isAnInteger(id) {
				return 0, errFailed
			}
			ids, err := c.findJobDependencies(ctx, ua, id)
			if err != nil {
				return 0, err
			}
			rx.jobIDs = ids
		default: // cancel
			return 0, errFailed
		}
	}
	return c.checkJobIDs(ctx, ua, rx)
}

// checkJobIDs keeps the selected jobs the console may access, counts
// their files and says which were selected.
func (c *cmds) checkJobIDs(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) (int, error) {
	var kept []string
	rx.totalFiles = 0
	var last uint32
	for p := rx.jobIDs; ; {
		id, rest, st := nextJobID(p)
		if st < 0 {
			ua.ErrorMsg("Invalid JobId in list.\n")
			return 0, errFailed
		}
		if st == 0 {
			break
		}
		p = rest
		if id == last {
			continue
		}
		last = id
		j, err := c.jobs.JobByID(ctx, uint64(id))
		if err != nil {
			if !isNotFound(err) {
				return 0, catalogError(ctx, err)
			}
			ua.ErrorMsg("Unable to get Job record for JobId=%d: ERR=No Job found for JobId %d\n\n", id, id)
			return 0, errFailed
		}
		// The Director checks the Job ACL only; a job of a client the
		// console may not access is refused the same way.
		if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) || j.ClientID != 0 && !ua.ACLAccessOK(uacontext.ACLClient, j.Client) {
			ua.ErrorMsg("Access to JobId=%d (Job \"%s\") not authorized. Not selected.\n", id, j.Name)
			continue
		}
		kept = append(kept, strconv.FormatUint(uint64(id), 10))
		rx.totalFiles += j.JobFiles
	}
	rx.jobIDs = strings.Join(kept, ",")
	if rx.jobIDs == "" {
		ua.WarningMsg("No Jobs selected.\n")
		return 0, errFailed
	}
	if len(kept) > 1 {
		ua.InfoMsg("You have selected the following JobIds: %s\n", rx.jobIDs)
	} else {
		ua.InfoMsg("You have selected the following JobId: %s\n", rx.jobIDs)
	}
	return selectedJobs, nil
}

// nextJobID is the Director's GetNextJobidFromList: the next number of
// a comma-separated list (at most 30 bytes each). st is 1 for a JobId, 0
// at the end of the list, -1 for something that is not a JobId.
func nextJobID(p string) (id uint32, rest string, st int) {
	n := 0
	for n < len(p) && n < 30 && p[n] != ',' {
		n++
	}
	tok := p[:n]
	rest = p[n:]
	if n < 30 && rest != "" && rest[0] == ',' {
		rest = rest[1:]
	}
	if tok == "" {
		return 0, p, 0
	}
	if !isANumber(tok) {
		return 0, p, -1
	}
	v := strToInt64(tok)
	if v <= 0 || v > 1<<32-1 {
		return 0, p, -1
	}
	return uint32(v), rest, 1
}

// parseJobIDs returns the JobIds of a valid list, in order.
func parseJobIDs(list string) []uint64 {
	var out []uint64
	for p := list; ; {
		id, rest, st := nextJobID(p)
		if st <= 0 {
			return out
		}
		out = append(out, uint64(id))
		p = rest
	}
}

func isAnInteger(s string) bool { return s != "" && isDigits(s) }

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// getDate is the Director's get_date.
func (c *cmds) getDate(ctx context.Context, ua *uacontext.UA) (string, error) {
	ua.SendMsg("The restored files will the most current backup\nBEFORE the date you specify below.\n\n")
	for {
		ans, err := ua.GetCmd(ctx, "Enter date as YYYY-MM-DD HH:MM:SS :")
		if err != nil {
			return "", err
		}
		d := compensateShortDate(ans)
		if _, ok := c.strToUtime(d); ok {
			return d, nil
		}
		ua.ErrorMsg("Improper date format.\n")
	}
}

// findJobDependencies is the Director's FindJobDependencies: for each
// JobId the jobs that make up the full state at its start.
func (c *cmds) findJobDependencies(ctx context.Context, ua *uacontext.UA, list string) (string, error) {
	var found []string
	for p := list; ; {
		id, rest, st := nextJobID(p)
		if st == 0 {
			break
		}
		if st < 0 {
			ua.ErrorMsg("Could not parse jobid from '%s'\n", p)
			return "", errFailed
		}
		p = rest
		j, err := c.jobs.JobByID(ctx, uint64(id))
		if err != nil {
			if !isNotFound(err) {
				return "", catalogError(ctx, err)
			}
			ua.ErrorMsg("Unable to get Job record for JobId=%d: ERR=No Job found for JobId %d\n\n", id, id)
			return "", errFailed
		}
		start := j.StartTime.Format(dateLayout)
		ua.SendMsg("Selecting jobs to build the Full state at %s\n", start)
		ids, err := c.accurateJobIDs(ctx, j)
		if err != nil {
			return "", catalogError(ctx, err)
		}
		if len(ids) == 0 {
			ua.ErrorMsg("Could not determine the jobs to build the Full state at %s\n", start)
			return "", errFailed
		}
		for _, x := range ids {
			found = append(found, strconv.FormatUint(x, 10))
		}
	}
	return strings.Join(found, ","), nil
}

// okStatus reports a job that ended well enough to restore from
// (JobStatus 'T' or 'W').
func okStatus(j Job) bool {
	return j.JobStatus == JobStatusTerminated || j.JobStatus == JobStatusWarnings
}

// accurateJobIDs is the catalog's AccurateGetJobids for the full state
// at the start of job j: the last Full of its client and fileset before
// it, the last Differential after that, and the Incrementals after
// those, all started before j ended ... up to j's start.
func (c *cmds) accurateJobIDs(ctx context.Context, j Job) ([]uint64, error) {
	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Client: j.Client, Types: []byte{JobTypeBackup}})
	if err != nil {
		return nil, err
	}
	cands := slices.DeleteFunc(jobs, func(x Job) bool {
		return !okStatus(x) || x.FileSetID != j.FileSetID || x.StartTime.After(j.StartTime)
	})
	return chainJobs(cands, func(x Job) bool { return true }), nil
}

// chainJobs picks from candidate backup jobs the newest Full, the newest
// Differential after it and the Incrementals after those, and returns
// their JobIds ordered by start time.
func chainJobs(cands []Job, ok func(Job) bool) []uint64 {
	var full *Job
	for i := range cands {
		x := &cands[i]
		if x.Level == LevelFull && ok(*x) && (full == nil || x.JobTDate > full.JobTDate) {
			full = x
		}
	}
	if full == nil {
		return nil
	}
	chain := []Job{*full}
	after := full.JobTDate
	var diff *Job
	for i := range cands {
		x := &cands[i]
		if x.Level == LevelDifferential && x.JobTDate > after && ok(*x) && (diff == nil || x.JobTDate > diff.JobTDate) {
			diff = x
		}
	}
	if diff != nil {
		chain = append(chain, *diff)
		after = diff.JobTDate
	}
	for _, x := range cands {
		if x.Level == LevelIncremental && x.JobTDate > after && ok(x) {
			chain = append(chain, x)
		}
	}
	slices.SortStableFunc(chain, func(a, b Job) int { return a.StartTime.Compare(b.StartTime) })
	ids := make([]uint64, 0, len(chain))
	for _, x := range chain {
		if len(ids) == 0 || ids[len(ids)-1] != x.JobID {
			ids = append(ids, x.JobID)
		}
	}
	return ids
}

// enabledVolumes returns the enabled volumes a job wrote (with their
// records), in the order written, keeping only volumes of pool if set.
func (c *cmds) enabledVolumes(ctx context.Context, jobID uint64, pool string) ([]Media, error) {
	jms, err := c.media.JobMedia(ctx, jobID)
	if err != nil {
		return nil, err
	}
	var out []Media
	for _, jm := range jms {
		ms, err := c.media.ListMedia(ctx, MediaQuery{MediaID: jm.MediaID})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.MediaID == jm.MediaID && m.Enabled == 1 && (pool == "" || m.Pool == pool) {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// selectBackupsBeforeDate is the Director's SelectBackupsBeforeDate: the
// client and fileset are chosen, then the last Full before date, the
// last Differential after it and the Incrementals after those; the jobs
// are listed.
func (c *cmds) selectBackupsBeforeDate(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, date string) error {
	cr, err := c.getClientDbr(ctx, ua)
	if err != nil {
		return err
	}
	rx.client = cr.Name

	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Client: cr.Name})
	if err != nil {
		return catalogError(ctx, err)
	}
	fileset := ""
	i := ua.FindArgWithValue("FileSet")
	if i >= 0 {
		name := ua.Args[i].Value
		if msg := nameError(name); msg != "" {
			ua.ErrorMsg("FileSet argument: %s\n", msg)
			i = -1
		} else if !slices.ContainsFunc(jobs, func(j Job) bool { return j.FileSet == name }) && !c.filesetRecord(ctx, name) {
			ua.ErrorMsg("Error getting FileSet \"%s\": ERR=%s\n", name, "FileSet record not found in Catalog.\n")
			i = -1
		} else {
			fileset = name
		}
	}
	if i < 0 {
		var names []string
		for _, j := range jobs {
			if j.FileSet != "" && !slices.Contains(names, j.FileSet) {
				names = append(names, j.FileSet)
			}
		}
		slices.Sort(names)
		ua.StartPrompt("The defined FileSet resources are:\n")
		for _, n := range names {
			ua.AddPrompt(n)
		}
		_, name, err := ua.DoPrompt(ctx, "FileSet", "Select FileSet resource")
		if err != nil {
			if !uacontext.IsInputFailure(err) && !errors.Is(err, uacontext.ErrEmptySelection) {
				return err
			}
			ua.ErrorMsg("No FileSet found for client \"%s\".\n", cr.Name)
			return errFailed
		}
		fileset = name
	}

	when, ok := c.strToUtime(date)
	if !ok {
		when = time.Time{}
	}
	typ := byte(JobTypeBackup)
	if rx.archive {
		typ = JobTypeArchive
	}
	ids, err := c.lastBackupChain(ctx, jobs, typ, fileset, when, rx.pool)
	if err != nil {
		return catalogError(ctx, err)
	}
	if ids == nil {
		kind := ""
		if rx.archive {
			kind = " archive"
		}
		ua.ErrorMsg("No Full backup%s before %s found.\n", kind, date)
		opposite := byte(JobTypeArchive)
		if rx.archive {
			opposite = JobTypeBackup
		}
		if alt, err := c.lastBackupChain(ctx, jobs, opposite, fileset, when, rx.pool); err == nil && alt != nil {
			if opposite == JobTypeBackup {
				ua.SendMsg("A suitable full backup%s was found. Try %s <...> instead.\n", "", "normal restore")
			} else {
				ua.SendMsg("A suitable full backup%s was found. Try %s <...> instead.\n", " archive", "restore archive")
			}
		}
		return errFailed
	}
	if len(ids) == 0 {
		ua.WarningMsg("No jobs found.\n")
		return errFailed
	}
	strs := make([]string, len(ids))
	for k, id := range ids {
		strs[k] = strconv.FormatUint(id, 10)
	}
	rx.jobIDs = strings.Join(strs, ",")
	rx.lastJobID = strs[len(strs)-1]
	return c.listJobsByIDs(ctx, ua, ids)
}

// filesetRecord reports whether the catalog knows a fileset (one of the
// configured FileSets).
func (c *cmds) filesetRecord(_ context.Context, name string) bool {
	return slices.ContainsFunc(c.cat.FileSets(), func(f NamedResource) bool { return f.Name == name })
}

// lastBackupChain finds the jobs of the most recent backup before when
// among jobs (all of one client): nil if there is no Full, else the Full
// (if it has enabled volumes), the last Differential and the
// Incrementals after it that have enabled volumes, by start time.
func (c *cmds) lastBackupChain(ctx context.Context, jobs []Job, typ byte, fileset string, when time.Time, pool string) ([]uint64, error) {
	var cands []Job
	for _, j := range jobs {
		if j.Type == typ && okStatus(j) && j.FileSet == fileset && j.StartTime.Before(when) {
			cands = append(cands, j)
		}
	}
	hasVolumes := map[uint64]bool{}
	volumes := func(j Job) bool {
		v, seen := hasVolumes[j.JobID]
		if !seen {
			vols, err := c.enabledVolumes(ctx, j.JobID, pool)
			v = err == nil && len(vols) > 0
			hasVolumes[j.JobID] = v
		}
		return v
	}
	// The Full: with a pool, only one with volumes in it counts.
	var full *Job
	for i := range cands {
		x := &cands[i]
		if x.Level == LevelFull && (pool == "" || volumes(*x)) && (full == nil || x.JobTDate > full.JobTDate) {
			full = x
		}
	}
	if full == nil {
		return nil, nil
	}
	var chain []Job
	if vols, err := c.enabledVolumes(ctx, full.JobID, ""); err != nil {
		return nil, err
	} else if len(vols) > 0 {
		chain = append(chain, *full)
	}
	after := full.JobTDate
	var diff *Job
	for i := range cands {
		x := &cands[i]
		if x.Level == LevelDifferential && x.JobTDate > after && volumes(*x) && (diff == nil || x.JobTDate > diff.JobTDate) {
			diff = x
		}
	}
	if diff != nil {
		chain = append(chain, *diff)
		after = diff.JobTDate
	}
	for _, x := range cands {
		if x.Level == LevelIncremental && x.JobTDate > after && volumes(x) {
			chain = append(chain, x)
		}
	}
	slices.SortStableFunc(chain, func(a, b Job) int { return a.StartTime.Compare(b.StartTime) })
	ids := []uint64{}
	for _, x := range chain {
		if len(ids) == 0 || ids[len(ids)-1] != x.JobID {
			ids = append(ids, x.JobID)
		}
	}
	return ids, nil
}

// listJobsByIDs prints the selected jobs with their volumes (the
// Director's uar_list_jobs_by_idlist query).
func (c *cmds) listJobsByIDs(ctx context.Context, ua *uacontext.UA, ids []uint64) error {
	rs := &resultSet{cols: []column{numCol("jobid"), textCol("level"), numCol("jobfiles"), numCol("jobbytes"), textCol("starttime"), textCol("volumename")}}
	type row struct {
		j   Job
		vol string
	}
	var rows []row
	for _, id := range ids {
		j, err := c.jobs.JobByID(ctx, id)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return catalogError(ctx, err)
		}
		vols, err := c.enabledVolumes(ctx, id, "")
		if err != nil {
			return catalogError(ctx, err)
		}
		var seen []string
		for _, v := range vols {
			if !slices.Contains(seen, v.VolumeName) {
				seen = append(seen, v.VolumeName)
				rows = append(rows, row{j, v.VolumeName})
			}
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return a.j.StartTime.Compare(b.j.StartTime) })
	for _, r := range rows {
		rs.rows = append(rs.rows, []cell{num(r.j.JobID), char(r.j.Level), num(r.j.JobFiles), num(r.j.JobBytes), timestamp(r.j.StartTime), str(r.vol)})
	}
	ua.Formatter().ArrayStart("query", formatter.Null)
	render(ua.Formatter(), rs, horzList, ua.GUI)
	ua.Formatter().ArrayEnd("query", formatter.Null)
	return nil
}

// listLastJobs is menu item 1: the last 20 backup jobs that ended well
// (the Director's uar_list_jobs query, without thousands separators).
func (c *cmds) listLastJobs(ctx context.Context, ua *uacontext.UA, rx *restoreCtx) error {
	typ := byte(JobTypeBackup)
	if rx.archive {
		typ = JobTypeArchive
	}
	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Types: []byte{typ}, Statuses: []byte{JobStatusTerminated, JobStatusWarnings}, Descending: true, HasLimit: true, Limit: 20})
	if err != nil {
		return catalogError(ctx, err)
	}
	rs := &resultSet{cols: []column{numCol("jobid"), textCol("client"), textCol("starttime"), textCol("joblevel"), numCol("jobfiles"), numCol("jobbytes")}}
	for _, j := range jobs {
		// The Director lists every client's jobs here; a console sees
		// only those its Job and Client ACLs allow.
		if j.ClientID == 0 || !ua.ACLAccessOK(uacontext.ACLJob, j.Name) || !ua.ACLAccessOK(uacontext.ACLClient, j.Client) {
			continue
		}
		rs.rows = append(rs.rows, []cell{num(j.JobID), str(j.Client), timestamp(j.StartTime), char(j.Level), num(j.JobFiles), num(j.JobBytes)})
	}
	ua.Formatter().ArrayStart("query", formatter.Null)
	render(ua.Formatter(), rs, horzList, true)
	ua.Formatter().ArrayEnd("query", formatter.Null)
	return nil
}

// listFileJobs is menu item 2: the last 20 jobs of the client that saved
// a file of that name (the Director's uar_file query).
func (c *cmds) listFileJobs(ctx context.Context, ua *uacontext.UA, client, name string) error {
	jobs, err := c.jobs.ListJobs(ctx, JobQuery{Client: client, Descending: true})
	if err != nil {
		return catalogError(ctx, err)
	}
	rs := &resultSet{cols: []column{numCol("jobid"), textCol("name"), textCol("starttime"), textCol("jobtype"), textCol("jobstatus"), numCol("jobfiles"), numCol("jobbytes")}}
	rc, _ := c.cat.(RestoreCatalog)
	for _, j := range jobs {
		if rc == nil || len(rs.rows) >= 20 {
			break
		}
		err := rc.RestoreFileList(ctx, []uint64{j.JobID}, func(f RestoreFile) error {
			if f.Name == name && f.FileIndex > 0 {
				rs.rows = append(rs.rows, []cell{num(j.JobID), str(f.Path + f.Name), timestamp(j.StartTime), char(j.Type), char(j.JobStatus), num(j.JobFiles), num(j.JobBytes)})
			}
			return nil
		})
		if err != nil {
			return catalogError(ctx, err)
		}
	}
	if len(rs.rows) > 20 {
		rs.rows = rs.rows[:20]
	}
	ua.Formatter().ArrayStart("query", formatter.Null)
	render(ua.Formatter(), rs, horzList, true)
	ua.Formatter().ArrayEnd("query", formatter.Null)
	return nil
}
