package dircmd

import (
	"context"
	"errors"
	"strings"

	"github.com/uaformat/uaformat/uacontext"
)

// escapeFilename is the Director's escape_filename: a backslash before
// every '"' and '\'.
func escapeFilename(s string) string {
	if !strings.ContainsAny(s, "\"\\") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// restoreRunLine is the run command line the Director builds from a
// restore's selections.
func (c *cmds) restoreRunLine(ua *uacontext.UA, rx *restoreCtx, job *JobResource, restoreClient string) string {
	catalog := ""
	if cats := c.cat.Catalogs(); len(cats) > 0 {
		catalog = cats[0].Name
	}
	var b strings.Builder
	b.WriteString(`run job="` + job.Name + `" client="` + rx.client + `" restoreclient="` + restoreClient +
		`" storage="` + rx.store + `" bootstrap="` + escapeFilename(rx.bootstrap) + `" files=` +
		formatUint(uint64(rx.selected)) + ` catalog="` + catalog + `"`)
	if rx.backupFormat.ok {
		b.WriteString(" backupformat=" + rx.backupFormat.v)
	}
	switch {
	case rx.regexWhere.ok:
		b.WriteString(` regexwhere="` + escapeFilename(rx.regexWhere.v) + `"`)
	case rx.where.ok:
		b.WriteString(` where="` + escapeFilename(rx.where.v) + `"`)
	}
	if rx.replace.ok {
		b.WriteString(" replace=" + rx.replace.v)
	}
	if rx.pluginOptions.ok {
		b.WriteString(" pluginoptions=" + rx.pluginOptions.v)
	}
	if rx.comment.ok {
		b.WriteString(` comment="` + rx.comment.v + `"`)
	}
	if ua.FindArg("yes") > 0 {
		b.WriteString(" yes")
	}
	return b.String()
}

// noRunner is the JobRunner of a catalog that cannot run jobs.
type noRunner struct{}

func (noRunner) RunJob(context.Context, RunRequest) (uint64, error) {
	return 0, errors.New("dircmd: the catalog cannot run jobs (no JobRunner)")
}

// runRestore hands the restore job to the run command as the Director
// does: it builds the run command line, makes it the current command
// and runs it (showing the job, "OK to run? (yes/mod/no):" unless yes
// was given, the mod menu, and queueing the job with the catalog's
// JobRunner). As in the Director, restore succeeds whatever run does;
// run's failures are reported on the console ("Job not run.", "Job
// failed."). Only the end of the session or of ctx is returned.
func (c *cmds) runRestore(ctx context.Context, ua *uacontext.UA, rx *restoreCtx, job *JobResource, restoreClient string) error {
	line := c.restoreRunLine(ua, rx, job, restoreClient)
	ua.Cmd = line
	ua.Args = uacontext.ParseArgs(line)
	runner, ok := c.cat.(JobRunner)
	if !ok {
		runner = noRunner{}
	}
	err := c.doRun(ctx, ua, runner, RunRequest{
		BackupClient:  rx.client,
		RestoreJobIDs: parseJobIDs(rx.jobIDs),
		Files:         uint64(rx.selected),
		Bootstrap:     rx.bootstrap,
	})
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil, errors.Is(err, uacontext.ErrSessionEnded):
		return err
	}
	var ce *uacontext.CommandError
	if errors.As(err, &ce) {
		ua.ErrorMsg("%s", ce.Msg)
	}
	return nil
}
