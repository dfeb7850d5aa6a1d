package dircmd

import (
	"context"
	"errors"
	"github.com/uaformat/uaformat/internal/ascii"
	"slices"

	"github.com/uaformat/uaformat/uacontext"
)

// backupLevels are the levels of backup jobs, in the Director's order;
// "list backups level=" selects those whose name starts with the given
// text.
var backupLevels = []struct {
	name  string
	level byte
}{
	{"Full", 'F'}, {"Base", 'B'}, {"Incremental", 'I'}, {"Differential", 'D'}, {"Since", 'S'}, {"VirtualFull", 'f'},
}

// listBackups is "list backups client=<name> [fileset=<name>|any]
// [jobstatus=...] [level=...] [order=asc|desc] [limit= [offset=]]": the
// client's backup and archive jobs that terminated (by default), in
// start time order. It reports false when the Director's argument check
// fails; the Director then goes on to "Unknown list keyword: backups"
// after the check's own message, if any.
func (c *cmds) listBackups(ctx context.Context, ua *uacontext.UA, mode listMode, opts *listOptions, rng queryRange) (bool, error) {
	client, err := c.clientArg(ctx, ua)
	if err != nil {
		var ce *uacontext.CommandError
		switch {
		case errors.As(err, &ce) && !errors.Is(err, ErrNotFound) && ce.Err != nil:
			return false, err // the catalog failed
		case errors.As(err, &ce):
			ua.ErrorMsg("%s", ce.Msg)
		case !errors.Is(err, uacontext.ErrReported):
			return false, err
		}
		return false, nil
	}
	if client == "" {
		ua.ErrorMsg("missing parameter: client\n")
		return false, nil
	}
	q := JobQuery{Client: client, Types: []byte{JobTypeBackup, JobTypeArchive, 'a'}, Statuses: opts.statuses}
	if len(q.Statuses) == 0 {
		q.Statuses = []byte{JobStatusTerminated, JobStatusWarnings}
	}
	if v, ok := ua.ArgValue("level"); ok {
		for _, item := range splitList(v) {
			for _, l := range backupLevels {
				if ascii.HasPrefixFold(l.name, item) {
					q.Levels = append(q.Levels, l.level)
				}
			}
		}
		if len(q.Levels) == 0 {
			// The Director's selection is then broken SQL: the query
			// fails without a message.
			return true, uacontext.ErrReported
		}
	}
	var filesets []string
	fileset, hasFileSet := ua.ArgValue("fileset")
	if !hasFileSet || ascii.EqualFold(fileset, "any") {
		for _, fs := range c.cat.FileSets() {
			if ua.ACLAccessOK(uacontext.ACLFileSet, fs.Name) {
				filesets = append(filesets, fs.Name)
			}
		}
		if len(filesets) == 0 {
			return true, uacontext.ErrReported // broken SQL again: no fileset to select
		}
	} else {
		if !ua.ACLAccessOK(uacontext.ACLFileSet, fileset) {
			ua.ErrorMsg("Access to specified FileSet not allowed.\n")
			return false, nil
		}
		filesets = []string{fileset}
	}
	if order, ok := ua.ArgValue("order"); ok {
		switch {
		case ascii.HasPrefixFold("ascending", order):
		case ascii.HasPrefixFold("descending", order):
			q.Descending = true
		default:
			return false, nil
		}
	}
	jobCol, poolCol := 1, -1
	if mode == vertList {
		jobCol, poolCol = 2, 22
	}
	setACLFilter(ua, jobCol, uacontext.ACLJob)
	if poolCol > 0 {
		setACLFilter(ua, poolCol, uacontext.ACLPool)
	}
	if opts.current {
		ua.AddResourceFilter(jobCol, uacontext.ResJob)
		if poolCol > 0 {
			ua.AddResourceFilter(poolCol, uacontext.ResPool)
		}
	}
	if opts.enabled {
		ua.AddEnabledFilter(jobCol, uacontext.ResJob)
	}
	if opts.disabled {
		ua.AddDisabledFilter(jobCol, uacontext.ResJob)
	}
	if !rng.sqlOK() {
		return true, uacontext.ErrReported
	}
	jobs, err := c.jobs.ListJobs(ctx, q)
	if err != nil {
		return true, catalogError(ctx, err)
	}
	jobs = slices.DeleteFunc(jobs, func(j Job) bool { return !slices.Contains(filesets, j.FileSet) })
	if rng.has {
		jobs = page(jobs, rng.limit, rng.offset)
	}
	rs := &resultSet{cols: jobColumns}
	if mode == vertList {
		rs.cols = jobLongColumns
	}
	for _, j := range jobs {
		rs.rows = append(rs.rows, c.jobRow(j, mode))
	}
	ua.Formatter().ArrayStart("backups", null)
	render(ua.Formatter(), rs, mode, ua.GUI)
	ua.Formatter().ArrayEnd("backups", null)
	return true, nil
}
