package dircmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/internal/ascii"
	"github.com/uaformat/uaformat/uacontext"
)

// DefaultPoll is how often wait looks at the running jobs when
// Options.Poll is zero (the Director sleeps a second between looks).
const DefaultPoll = time.Second

// InteractiveCommands returns the Director's commands that ask the
// console questions or change the Director's state, for cat:
//
//	run      needs cat to implement JobRunner
//	rerun    needs JobRunner (and JobRecords for the jobs it reruns)
//	cancel   needs JobController
//	wait     needs JobController
//	delete   needs CatalogEditor
//	enable   needs ResourceSwitch
//	disable  needs ResourceSwitch
//	time     always
//
// and the dot commands interactive bconsole calls for tab completion
// (.levels, .types, .volstatus, .actiononpurge, .media, .mediatypes,
// .jobdefs, .profiles, .consoles, .locations). Commands whose interface
// cat lacks are left out. Add the result to the table after Commands.
//
// The prompts follow the Director exactly (see uacontext.UA.GetCmd and
// DoPrompt); every state change is made after the last question was
// answered, in one call of the interface, so a console that goes away
// or cancels mid-prompt changes nothing.
func InteractiveCommands(cat Catalog, opts Options) []uacontext.Command {
	c := &cmds{cat: cat, capabilities: resolve(cat), opts: opts.withDefaults(), res: ResourceFilter(cat)}
	c.conf, _ = cat.(Configuration)
	var handlers []struct {
		name string
		h    uacontext.HandlerFunc
	}
	add := func(name string, h uacontext.HandlerFunc) {
		handlers = append(handlers, struct {
			name string
			h    uacontext.HandlerFunc
		}{name, h})
	}
	if r, ok := cat.(JobRunner); ok {
		add("run", func(ctx context.Context, ua *uacontext.UA) error { return c.doRun(ctx, ua, r, RunRequest{}) })
		add("rerun", func(ctx context.Context, ua *uacontext.UA) error { return c.rerun(ctx, ua, r) })
	}
	if jc, ok := cat.(JobController); ok {
		add("cancel", func(ctx context.Context, ua *uacontext.UA) error { return c.cancel(ctx, ua, jc) })
		add("wait", func(ctx context.Context, ua *uacontext.UA) error { return c.wait(ctx, ua, jc) })
	}
	if ed, ok := cat.(CatalogEditor); ok {
		add("delete", func(ctx context.Context, ua *uacontext.UA) error { return c.delete(ctx, ua, ed) })
	}
	if sw, ok := cat.(ResourceSwitch); ok {
		add("enable", func(ctx context.Context, ua *uacontext.UA) error { return c.enDisable(ctx, ua, sw, true) })
		add("disable", func(ctx context.Context, ua *uacontext.UA) error { return c.enDisable(ctx, ua, sw, false) })
	}
	add("time", c.timeCmd)
	add(".levels", c.dotLevels)
	add(".types", c.dotTypes)
	add(".volstatus", c.dotVolstatus)
	add(".actiononpurge", c.dotActionOnPurge)
	add(".media", c.dotMedia)
	add(".mediatypes", c.dotMediatypes)
	add(".jobdefs", c.dotJobdefs)
	add(".profiles", c.dotProfiles)
	add(".consoles", c.dotConsoles)
	add(".locations", c.dotLocations)
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

// sessionGone reports whether err ended the session or the handler's
// context (as opposed to a prompt that failed, which the Director treats
// as "no").
func sessionGone(err error) bool {
	return err != nil && !uacontext.IsInputFailure(err) &&
		(errors.Is(err, uacontext.ErrSessionEnded) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded))
}

// cancel is the Director's cancel command.
func (c *cmds) cancel(ctx context.Context, ua *uacontext.UA, jc JobController) error {
	if ua.FindArgWithValue("storage") >= 0 {
		// cancel storage=<sd> jobid=<id>: the sample has no storage
		// daemon to ask.
		store, err := GetStorageResource(ctx, ua, c.cat, jc, false)
		if err != nil {
			if sessionGone(err) {
				return err
			}
			return nil
		}
		if v, ok := ua.ArgValue("jobid"); ok {
			if !uacontext.IsNumber(v) {
				ua.WarningMsg("JobId %s not a number\n", v)
			}
			_ = store
			ua.ErrorMsg("Failed to connect to Storage daemon.\n")
		} else {
			ua.WarningMsg("Missing jobid=JobId specification\n")
		}
		return nil
	}
	sel, err := SelectRunningJobs(ctx, ua, jc, "cancel")
	if err != nil {
		if sessionGone(err) {
			return err
		}
		return nil // the Director's cancel never fails
	}
	for _, j := range sel {
		old, err := jc.CancelJob(ctx, j.JobID)
		if err != nil {
			if errors.Is(err, uacontext.ErrNotFound) {
				continue // ended meanwhile
			}
			return catalogError(ctx, err)
		}
		switch {
		case old.Status == JobStatusCreated || old.StartTime.IsZero() || !old.Connected:
			ua.InfoMsg("JobId %s, Job %s marked to be canceled.\n", strconv.FormatUint(old.JobID, 10), old.Job)
		default:
			ua.SendMsg("%s", "2001 Job "+old.Job+" marked to be canceled.\n")
			ua.SendMsg("3000 JobId=%d Job=\"%s\" marked to be canceled.\n", old.JobID, old.Job)
		}
	}
	return nil
}

// delete is the Director's delete command.
func (c *cmds) delete(ctx context.Context, ua *uacontext.UA, ed CatalogEditor) error {
	ua.Formatter().ObjectStart("deleted", null)
	defer ua.Formatter().ObjectEnd("deleted", null)
	kw := ua.FindArgKeyword("volume", "pool", "jobid", "storage")
	if kw < 0 {
		ua.WarningMsg("In general it is not a good idea to delete either a\nPool or a Volume since they may contain data.\n\n")
		var err error
		kw, err = ua.DoKeywordPrompt(ctx, "Choose catalog item to delete", "volume", "pool", "jobid", "storage")
		if sessionGone(err) {
			return err
		}
	}
	var err error
	switch kw {
	case 0:
		err = c.deleteVolume(ctx, ua, ed)
	case 1:
		err = c.deletePool(ctx, ua, ed)
	case 2:
		err = c.deleteJobs(ctx, ua, ed)
	case 3:
		err = c.deleteStorage(ctx, ua)
	default:
		ua.WarningMsg("Nothing done.\n")
	}
	if sessionGone(err) || err != nil && !errors.Is(err, uacontext.ErrReported) {
		return err
	}
	if errors.Is(err, errDeleteFailed) {
		return err
	}
	return nil // the Director's delete succeeds whatever happened
}

var errDeleteFailed = notRun{errors.New("dircmd: delete failed")}

// deleteJobs is the Director's DeleteJob with its JobId lists and
// ranges ("delete jobid=3,4,6,7-11,14"). The jobs are deleted together
// after the last confirmation; each deletion is reported in the order
// the Director reports it.
func (c *cmds) deleteJobs(ctx context.Context, ua *uacontext.UA, ed CatalogEditor) error {
	var ids []uint64
	report := func(id uint64) {
		ids = append(ids, id)
		ua.Formatter().ArrayItemString(strconv.FormatUint(id, 10), "Jobid %s and associated records deleted from the catalog.\n")
	}
	if ua.FindArgWithValue("jobid") <= 0 {
		id, err := ua.GetPint(ctx, "Enter JobId to delete: ")
		if err != nil {
			if sessionGone(err) {
				return err
			}
			return nil
		}
		report(uint64(uint32(id)))
		return c.applyDelete(ctx, ed, ids)
	}
	ua.Formatter().ArrayStart("jobids", null)
	defer ua.Formatter().ArrayEnd("jobids", null)
	used := make([]bool, len(ua.Args))
	for {
		i := -1
		for k := 1; k < len(ua.Args); k++ {
			if !used[k] && ascii.EqualFold(ua.Args[k].Key, "jobid") {
				i = k
				break
			}
		}
		if i < 0 || !ua.Args[i].HasValue {
			break
		}
		used[i] = true
		v := ua.Args[i].Value
		if !strings.ContainsAny(v, ",-") {
			if uacontext.IsNumber(v) {
				report(uint64(uint32(strToUint64(v))))
			} else {
				ua.ErrorMsg("Illegal JobId %s ignored\n", v)
			}
			continue
		}
		for _, tok := range strings.Split(v, ",") {
			isRange, err := c.deleteRange(ctx, ua, tok, report)
			if err != nil {
				return err // the session ended: nothing is deleted
			}
			if isRange {
				continue
			}
			if uacontext.IsNumber(tok) {
				report(uint64(uint32(strToUint64(tok))))
			} else {
				ua.ErrorMsg("Illegal JobId %s ignored\n", tok)
			}
		}
	}
	return c.applyDelete(ctx, ed, ids)
}

func (c *cmds) applyDelete(ctx context.Context, ed CatalogEditor, ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	if err := ed.DeleteJobs(ctx, ids); err != nil {
		return catalogError(ctx, err)
	}
	return nil
}

// deleteRange is the Director's DeleteJobIdRange: it reports whether tok
// was a range ("a-b"). A range of more than 25 jobs is confirmed unless
// in batch mode.
func (c *cmds) deleteRange(ctx context.Context, ua *uacontext.UA, tok string, report func(uint64)) (bool, error) {
	a, b, ok := strings.Cut(tok, "-")
	if !ok {
		return false, nil
	}
	if !uacontext.IsNumber(a) || !uacontext.IsNumber(b) {
		ua.ErrorMsg("Illegal JobId range %s - %s, ignored\n", a, b)
		return true, nil
	}
	j1, j2 := uint32(strToUint64(a)), uint32(strToUint64(b))
	if j2 <= j1 {
		ua.ErrorMsg("Illegal JobId range %s - %s should define increasing JobIds, ignored\n", a, b)
		return true, nil
	}
	if !ua.Batch && j2-j1 > 25 {
		yes, err := ua.GetYesno(ctx, fmt.Sprintf("Are you sure you want to delete %d JobIds ? (yes/no): ", j2-j1))
		if sessionGone(err) {
			return true, err
		}
		if err != nil || !yes {
			return true, nil
		}
	}
	for j := uint64(j1); j <= uint64(j2); j++ {
		report(j)
	}
	return true, nil
}

// strToUint64 is the Director's str_to_uint64: leading blanks, an
// optional '+', digits; anything else ends the number.
func strToUint64(s string) uint64 {
	i := 0
	for i < len(s) && isCSpace(s[i]) {
		i++
	}
	if i < len(s) && s[i] == '+' {
		i++
	}
	var v uint64
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		v = v*10 + uint64(s[i]-'0')
	}
	return v
}

// deleteVolume is the Director's DeleteVolume.
func (c *cmds) deleteVolume(ctx context.Context, ua *uacontext.UA, ed CatalogEditor) error {
	m, err := SelectMediaRecord(ctx, ua, c.cat)
	if err != nil {
		return err
	}
	ua.WarningMsg("\nThis command will delete volume %s\nand all Jobs saved on that volume from the Catalog\n", m.VolumeName)
	if !ua.Batch && ua.FindArg("yes") < 0 {
		yes, err := ua.GetYesno(ctx, fmt.Sprintf("Are you sure you want to delete Volume \"%s\"? (yes/no): ", m.VolumeName))
		if err != nil || !yes {
			return err
		}
	}
	ids, err := ed.DeleteVolume(ctx, m.MediaID, m.VolStatus != "Purged")
	if err != nil {
		return catalogError(ctx, err)
	}
	f := ua.Formatter()
	if len(ids) > 0 {
		list := make([]string, len(ids))
		for i, id := range ids {
			list[i] = strconv.FormatUint(id, 10)
		}
		f.ArrayStart("jobids", null)
		for _, s := range list {
			f.ArrayItemString(s, null)
		}
		f.ArrayEnd("jobids", null)
		ua.InfoMsg("Deleted %d jobs and associated records deleted from the catalog (jobids: %s).\n", len(ids), strings.Join(list, ","))
	}
	f.ArrayStart("volumes", null)
	f.ArrayItemString(m.VolumeName, "Volume %s deleted.\n")
	f.ArrayEnd("volumes", null)
	return nil
}

// deletePool is the Director's DeletePool (refused in batch mode).
func (c *cmds) deletePool(ctx context.Context, ua *uacontext.UA, ed CatalogEditor) error {
	if ua.Batch {
		ua.ErrorMsg("Deleting pools from the catalog is not supported in batch mode.\n")
		return errDeleteFailed
	}
	p, err := GetPoolRecord(ctx, ua, c.cat)
	if err != nil {
		return err
	}
	yes, err := ua.GetYesno(ctx, fmt.Sprintf("Are you sure you want to delete Pool \"%s\"? (yes/no): ", p.Name))
	if err != nil || !yes {
		return err
	}
	if err := ed.DeletePool(ctx, p.PoolID); err != nil {
		return catalogError(ctx, err)
	}
	return nil
}

// deleteStorage is the Director's DeleteStorage: only storage records
// without a Storage resource can go; the sample's catalog has none.
func (c *cmds) deleteStorage(ctx context.Context, ua *uacontext.UA) error {
	name, ok := ua.ArgValue("storage")
	if i := ua.FindArgWithValue("storage"); i <= 0 || !ok {
		a, err := ua.GetCmd(ctx, "Enter storage to delete: ")
		if sessionGone(err) {
			return err
		}
		name = a
	}
	recs, err := c.storages.StorageRecords(ctx)
	if err != nil {
		return catalogError(ctx, err)
	}
	var orphaned []string
	for _, r := range recs {
		if _, ok := lookupStorage(c.cat, r.Name); !ok {
			orphaned = append(orphaned, r.Name)
		}
	}
	ua.SendMsg("Found %d orphaned Storage records.\n", len(orphaned))
	if !slices.Contains(orphaned, name) {
		ua.ErrorMsg("The given storage '%s' either does not exist at all, or still exists in the configuration. In order to remove a storage from the catalog, its configuration must be removed first.\n", name)
	}
	return nil
}

// enDisable is the Director's enable and disable commands.
func (c *cmds) enDisable(ctx context.Context, ua *uacontext.UA, sw ResourceSwitch, enable bool) error {
	action := "disable"
	if enable {
		action = "enable"
	}
	var (
		typ   uacontext.ResourceType
		name  string
		array string
		what  string
	)
	pick := func(kw string, find func(string) (string, bool), sel func() (string, error)) (bool, error) {
		i := ua.FindArg(kw)
		if i < 0 {
			return false, nil
		}
		if v, ok := ua.ArgValue(kw); ok {
			n, found := find(v)
			if !found {
				ua.ErrorMsg("%s \"%s\" not found.\n", what, v)
				return true, errNothing
			}
			name = n
			return true, nil
		}
		n, err := sel()
		if err != nil {
			return true, err
		}
		name = n
		return true, nil
	}
	typ, array, what = uacontext.ResSchedule, "schedules", "Schedule"
	done, err := pick("schedule", func(v string) (string, bool) {
		s, ok := FindScheduleResource(ua, c.cat, v)
		return s.Name, ok
	}, func() (string, error) {
		s, err := SelectEnableDisableSchedule(ctx, ua, c.cat, enable)
		return s.Name, err
	})
	if !done {
		typ, array, what = uacontext.ResClient, "clients", "Client"
		done, err = pick("client", func(v string) (string, bool) {
			cl, ok := FindClientResource(ua, c.cat, v)
			return cl.Name, ok
		}, func() (string, error) {
			cl, err := SelectEnableDisableClient(ctx, ua, c.cat, enable)
			return cl.Name, err
		})
	}
	if !done {
		typ, array, what = uacontext.ResJob, "jobs", "Job"
		if v, ok := ua.ArgValue("job"); ok {
			j, found := FindJobResource(ua, c.cat, v)
			if !found {
				ua.ErrorMsg("Job \"%s\" not found.\n", v)
				return nil
			}
			name = j.Name
		} else {
			j, err2 := SelectEnableDisableJob(ctx, ua, c.cat, enable)
			err = err2
			name = j.Name
		}
	}
	if err != nil {
		if sessionGone(err) {
			return err
		}
		return nil // the Director's enable/disable never fail
	}
	if err := sw.SetEnabled(ctx, typ, name, enable); err != nil {
		return catalogError(ctx, err)
	}
	f := ua.Formatter()
	f.ObjectStart(action, null)
	ua.SendMsg("%s \"%s\" %sd\n", what, name, action)
	f.ArrayStart(array, null)
	f.ArrayItemString(name, null)
	f.ArrayEnd(array, null)
	f.ObjectEnd(action, null)
	en := "Dis"
	if enable {
		en = "En"
	}
	ua.WarningMsg("%sabling is a temporary operation until the director reloads.\nFor a permanent setting, please set the value of the \"Enabled\"\ndirective in the relevant configuration resource file.\n", en)
	return nil
}

var errNothing = notRun{errors.New("dircmd: nothing selected")}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// wait is the Director's wait command: without arguments until no job
// runs; with jobid=, job= (a prefix of the unique name) or ujobid= until
// that job ended, then its status; with mount (and timeout=<seconds>)
// until a job waits for a mount.
func (c *cmds) wait(ctx context.Context, ua *uacontext.UA, jc JobController) error {
	poll := c.opts.Poll
	if poll <= 0 {
		poll = DefaultPoll
	}
	settle := min(poll/5, 200*time.Millisecond)
	running := func() ([]RunningJob, error) {
		rj, err := jc.RunningJobs(ctx)
		if err != nil {
			return nil, catalogError(ctx, err)
		}
		return rj, nil
	}
	if len(ua.Args) == 1 {
		if err := sleep(ctx, settle); err != nil {
			return err
		}
		for {
			rj, err := running()
			if err != nil {
				return err
			}
			if len(rj) == 0 {
				return nil
			}
			if err := sleep(ctx, poll); err != nil {
				return err
			}
		}
	}
	var stop time.Time
	if i := ua.FindArgWithValue("timeout"); i > 0 {
		stop = time.Now().Add(time.Duration(strToInt64(ua.Args[i].Value)) * time.Second)
	}
	var jobID uint64
	for _, a := range ua.Args[1:] {
		k := lowerASCII(a.Key)
		if k != "jobid" && k != "jobname" && k != "job" && k != "ujobid" && k != "mount" {
			continue
		}
		if k == "mount" {
			for {
				rj, err := running()
				if err != nil {
					return err
				}
				if slices.ContainsFunc(rj, func(j RunningJob) bool { return j.Status == 'm' || j.Status == 'M' }) {
					return nil
				}
				if !stop.IsZero() && !time.Now().Before(stop) {
					ua.WarningMsg("Wait on mount timed out\n")
					return nil
				}
				if err := sleep(ctx, poll); err != nil {
					return err
				}
			}
		}
		if !a.HasValue {
			break
		}
		if k == "jobid" {
			jobID = uint64(uint32(strToInt64(a.Value)))
			break
		}
		rj, err := running()
		if err != nil {
			return err
		}
		for _, j := range rj {
			if k == "ujobid" && j.Job == a.Value || k != "ujobid" && strings.HasPrefix(j.Job, a.Value) {
				jobID = j.JobID
				break
			}
		}
		break
	}
	if jobID == 0 {
		ua.ErrorMsg("ERR: Job was not found\n")
		return nil
	}
	if err := sleep(ctx, settle); err != nil {
		return err
	}
	for {
		rj, err := running()
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(rj, func(j RunningJob) bool { return j.JobID == jobID }) {
			break
		}
		if err := sleep(ctx, poll); err != nil {
			return err
		}
	}
	status := byte('?')
	if j, err := c.jobs.JobByID(ctx, jobID); err == nil {
		status = j.JobStatus
	} else if !errors.Is(err, uacontext.ErrNotFound) {
		return catalogError(ctx, err)
	}
	exit := int64(3)
	switch status {
	case 'e':
		exit = 1
	case JobStatusFatal, JobStatusError, JobStatusCanceled:
		exit = 2
	case JobStatusWarnings, JobStatusTerminated:
		exit = 0
	}
	f := ua.Formatter()
	f.ObjectStart("Job", null)
	f.KVUint("JobId", "%s=", jobID, "%i\n")
	f.KVString("JobStatusLong", null, jobStatusToStr(status), "JobStatus=%s ")
	f.KVString("JobStatus", null, string(rune(status)), "(%s)\n")
	f.KVInt("ExitStatus", null, exit, null)
	f.ObjectEnd("Job", null)
	return nil
}

// jobStatusToStr is the Director's job_status_to_str.
func jobStatusToStr(s byte) string {
	switch s {
	case JobStatusTerminated:
		return "OK"
	case JobStatusWarnings:
		return "OK -- with warnings"
	case JobStatusError, 'e':
		return "Error"
	case JobStatusFatal:
		return "Fatal Error"
	case JobStatusCanceled:
		return "Canceled"
	case 'D':
		return "Differences"
	}
	return "Unknown term code"
}

// timeCmd is the Director's time command.
func (c *cmds) timeCmd(_ context.Context, ua *uacontext.UA) error {
	now := c.opts.Now()
	f := ua.Formatter()
	f.ObjectStart("time", null)
	f.KVString("full", null, now.Format("Mon 02-Jan-2006 15:04:05"), "%s\n")
	f.KVString("year", null, now.Format("2006"), null)
	f.KVString("month", null, now.Format("01"), null)
	f.KVString("day", null, now.Format("02"), null)
	f.KVString("hour", null, now.Format("15"), null)
	f.KVString("minute", null, now.Format("04"), null)
	f.KVString("second", null, now.Format("05"), null)
	f.ObjectEnd("time", null)
	return nil
}

// nameList emits an array of {"name": ...} objects (one line each in
// the text modes).
func nameList(ua *uacontext.UA, array string, names []string) {
	f := ua.Formatter()
	f.ArrayStart(array, null)
	for _, n := range names {
		f.ObjectStart(null, null)
		f.KVString("name", null, n, "%s\n")
		f.ObjectEnd(null, null)
	}
	f.ArrayEnd(array, null)
}

// dotLevels is the Director's .levels [<jobtype>].
func (c *cmds) dotLevels(_ context.Context, ua *uacontext.UA) error {
	f := ua.Formatter()
	f.ArrayStart("levels", null)
	emit := func(name string, level, typ byte) {
		f.ObjectStart(null, null)
		f.KVString("name", null, name, "%s\n")
		f.KVInt("level", null, int64(level), null)
		f.KVInt("jobtype", null, int64(typ), null)
		f.ObjectEnd(null, null)
	}
	switch len(ua.Args) {
	case 1:
		for _, l := range jobLevels {
			if l.name[0] != ' ' {
				emit(l.name, l.level, l.typ)
			}
		}
	case 2:
		var typ byte
		for _, t := range jobTypes {
			if ascii.EqualFold(ua.Args[1].Key, t.name) {
				typ = t.typ
				break
			}
		}
		for _, l := range jobLevels {
			if l.typ == typ && l.name[0] != ' ' {
				emit(l.name, l.level, l.typ)
			}
		}
	}
	f.ArrayEnd("levels", null)
	return nil
}

func (c *cmds) dotTypes(_ context.Context, ua *uacontext.UA) error {
	names := make([]string, len(jobTypes))
	for i, t := range jobTypes {
		names[i] = t.name
	}
	nameList(ua, "jobtypes", names)
	return nil
}

func (c *cmds) dotVolstatus(_ context.Context, ua *uacontext.UA) error {
	nameList(ua, "volstatus", []string{"Unlabeled", "Append", "Full", "Used", "Recycle", "Purged", "Cleaning", "Error", "Archive", "Disabled"})
	return nil
}

func (c *cmds) dotActionOnPurge(_ context.Context, ua *uacontext.UA) error {
	nameList(ua, "actiononpurge", []string{"None", "Truncate"})
	return nil
}

// dotMedia lists the distinct volume names in byte order.
func (c *cmds) dotMedia(ctx context.Context, ua *uacontext.UA) error {
	media, err := c.media.ListMedia(ctx, MediaQuery{})
	if err != nil {
		ua.ErrorMsg("List Media failed: ERR=%s\n", err.Error())
		return uacontext.ErrReported
	}
	var names []string
	for _, m := range media {
		names = append(names, m.VolumeName)
	}
	slices.Sort(names)
	nameList(ua, "media", slices.Compact(names))
	return nil
}

// dotMediatypes lists the distinct media types in byte order.
func (c *cmds) dotMediatypes(ctx context.Context, ua *uacontext.UA) error {
	media, err := c.media.ListMedia(ctx, MediaQuery{})
	if err != nil {
		ua.ErrorMsg("List MediaType failed: ERR=%s\n", err.Error())
		return uacontext.ErrReported
	}
	var types []string
	for _, s := range c.cat.Storages() {
		types = append(types, s.MediaType)
	}
	for _, m := range media {
		types = append(types, m.MediaType)
	}
	slices.Sort(types)
	nameList(ua, "mediatypes", slices.Compact(slices.DeleteFunc(types, func(s string) bool { return s == "" })))
	return nil
}

// ExtraResources is implemented by a Catalog that has JobDefs, Profile
// and Console resources to list (.jobdefs, .profiles, .consoles).
type ExtraResources interface {
	JobDefs() []NamedResource
	Profiles() []NamedResource
	Consoles() []NamedResource
}

func (c *cmds) extra() ExtraResources {
	x, _ := c.cat.(ExtraResources)
	return x
}

func (c *cmds) dotJobdefs(_ context.Context, ua *uacontext.UA) error {
	var names []string
	if x := c.extra(); x != nil {
		names = resNames(ua, uacontext.ACLJob, x.JobDefs(), namedName, nil)
	}
	nameList(ua, "jobdefs", names)
	return nil
}

func (c *cmds) dotProfiles(_ context.Context, ua *uacontext.UA) error {
	var names []string
	if x := c.extra(); x != nil {
		for _, p := range x.Profiles() {
			names = append(names, p.Name)
		}
	}
	nameList(ua, "profiles", names)
	return nil
}

func (c *cmds) dotConsoles(_ context.Context, ua *uacontext.UA) error {
	var names []string
	if x := c.extra(); x != nil {
		for _, p := range x.Consoles() {
			names = append(names, p.Name)
		}
	}
	nameList(ua, "consoles", names)
	return nil
}

// dotLocations lists the catalog's locations; the sample's catalog has
// none.
func (c *cmds) dotLocations(_ context.Context, ua *uacontext.UA) error {
	nameList(ua, "locations", nil)
	return nil
}

// statusRunning is the Director's ListRunningJobs: the connected consoles
// (text mode) and the running jobs the console may see.
func (c *cmds) statusRunning(ua *uacontext.UA, jobs []RunningJob) {
	mode := ua.Mode()
	f := ua.Formatter()
	if mode == apimode.Off {
		ua.SendMsg("\nRunning Jobs:\n")
		// Every connected console, as the Director lists its console
		// control jobs; one connected through TLS with its cipher on the
		// next line, as the Director shows the ciphers of its connections.
		for _, s := range ua.Sessions() {
			ua.SendMsg("Console connected at %s\n", shortTime(s.Connected))
			if s.Encryption != "" {
				ua.SendMsg(" Encryption: %s\n", s.Encryption)
			}
		}
	}
	if mode == apimode.JSON {
		f.ArrayStart("running", null)
	}
	if len(jobs) == 0 {
		if mode != apimode.On && mode != apimode.JSON {
			ua.SendMsg("No Jobs running.\n====\n")
		}
		if mode == apimode.JSON {
			f.ArrayEnd("running", null)
		}
		return
	}
	if mode == apimode.Off {
		ua.SendMsg(" JobId Level   Name                       Status\n")
		ua.SendMsg("======================================================================\n")
	}
	for _, j := range jobs {
		if !ua.ACLAccessOK(uacontext.ACLJob, j.Name) {
			continue
		}
		msg := runningStatus(j, c.opts.Now())
		level := levelString(j.Level)
		switch j.Type {
		case JobTypeAdmin, JobTypeArchive, JobTypeRestore:
			level = "      "
		default:
			if len(level) > 7 {
				level = level[:7]
			}
		}
		switch mode {
		case apimode.JSON:
			f.ObjectStart(null, null)
			f.KVUint("jobid", null, j.JobID, "%llu\n")
			f.KVString("name", null, j.Job, "%s\n")
			f.KVString("level", null, level, "%s\n")
			f.KVString("type", null, jobTypeString(j.Type), "%s\n")
			f.KVString("status", null, msg, "%s\n")
			f.KVString("start_time", null, shortTime(cmp.Or(j.StartTime, j.SchedTime)), "%s\n")
			f.KVUint("files", null, j.Files, "%llu\n")
			f.KVUint("bytes", null, j.Bytes, "%llu\n")
			if j.Comment != "" {
				f.KVString("comment", null, j.Comment, "%s\n")
			}
			f.ObjectEnd(null, null)
		case apimode.On:
			ua.SendMsg("%6d\t%-6s\t%-20s\t%s\t%s\n", j.JobID, level, j.Job, msg, strings.ReplaceAll(j.Comment, " ", "\x01"))
		default:
			ua.SendMsg("%6d %-6s  %-20s %s\n", j.JobID, level, j.Job, msg)
			if j.Comment != "" {
				ua.SendMsg("               %-30s\n", j.Comment)
			}
		}
	}
	if mode == apimode.JSON {
		f.ArrayEnd("running", null)
	}
	if mode == apimode.Off {
		ua.SendMsg("====\n")
	}
}

// runningStatus is the Director's wording of a running job's state.
func runningStatus(j RunningJob, now time.Time) string {
	switch j.Status {
	case JobStatusCreated:
		return "is waiting execution"
	case JobStatusRunning:
		return "is running"
	case 'B':
		return "is blocked"
	case JobStatusTerminated:
		return "has terminated"
	case JobStatusWarnings:
		return "has terminated with warnings"
	case JobStatusError:
		return "has erred"
	case 'e':
		return "has errors"
	case JobStatusFatal:
		return "has a fatal error"
	case JobStatusCanceled:
		return "has been canceled"
	case 't':
		if !j.SchedTime.IsZero() {
			return "is waiting for its start time at " + shortTime(j.SchedTime)
		}
		return "is waiting for its start time"
	case 'p':
		return "is waiting for higher priority jobs to finish"
	}
	return fmt.Sprintf("is in unknown state %c", rune(j.Status))
}
