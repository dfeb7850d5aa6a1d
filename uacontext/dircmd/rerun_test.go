package dircmd_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// failedSample is the restore sample (which queues the jobs it runs)
// with some jobs failed (JobStatus 'f'), for rerun's selections.
type failedSample struct {
	*restoreSample
	failed []uint64
	copies []uint64 // jobs recorded as copy jobs
}

func (f *failedSample) mark(j dircmd.Job) dircmd.Job {
	if slices.Contains(f.failed, j.JobID) {
		j.JobStatus = dircmd.JobStatusFatal
	}
	if slices.Contains(f.copies, j.JobID) {
		j.Type = dircmd.JobTypeCopy
	}
	return j
}

func (f *failedSample) ListJobs(ctx context.Context, q dircmd.JobQuery) ([]dircmd.Job, error) {
	statuses := q.Statuses
	q.Statuses = nil
	all, err := f.restoreSample.ListJobs(ctx, q)
	var out []dircmd.Job
	for _, j := range all {
		j = f.mark(j)
		if len(statuses) == 0 || slices.Contains(statuses, j.JobStatus) {
			out = append(out, j)
		}
	}
	return out, err
}

func (f *failedSample) JobByID(ctx context.Context, id uint64) (dircmd.Job, error) {
	j, err := f.restoreSample.JobByID(ctx, id)
	return f.mark(j), err
}

// rerunDialog runs line on a Director with Commands and
// InteractiveCommands of cat; the clock is restoreNow.
func rerunDialog(t *testing.T, cat dircmd.Catalog, mode apimode.Mode, line string, answers ...string) (string, *uacontext.UA, error) {
	t.Helper()
	con := &scripted{answers: answers}
	opts := dircmd.Options{Now: func() time.Time { return restoreNow }}
	table := uacontext.NewTable(uacontext.Builtins()...)
	table.Add(dircmd.Commands(cat, opts)...)
	table.Add(dircmd.InteractiveCommands(cat, opts)...)
	ua := uacontext.NewUA(con, uacontext.Options{Table: table, Messages: &uacontext.MessageQueue{}})
	ua.SetMode(mode)
	fmt.Fprintf(&con.log, "* %s\n", line)
	err := ua.Execute(context.Background(), line)
	return con.log.String(), ua, err
}

// TestRerun pins rerun's dialogues: argument errors, a job run again
// with its catalog record's level, client, pool and fileset, a job type
// it skips, a missing job (a queued console message) and the failed-job
// selections with their question.
func TestRerun(t *testing.T) {
	for _, tc := range []struct {
		name    string
		line    string
		mode    apimode.Mode
		answers []string
	}{
		{"noargs", "rerun", apimode.Off, nil},
		{"badjobid", "rerun jobid=3,x", apimode.Off, nil},
		{"jobid_and_since", "rerun jobid=3 since_jobid=1", apimode.Off, nil},
		{"jobid_and_days", "rerun jobid=3 days=1", apimode.Off, nil},
		{"jobid_yes", "rerun jobid=3 yes", apimode.Off, nil},
		{"jobid_yes_json", "rerun jobid=3 yes", apimode.JSON, nil},
		{"jobid_ask", "rerun jobid=3,59", apimode.Off, []string{"yes", "no"}},
		{"restore_job", "rerun jobid=36 yes", apimode.Off, nil},
		{"copy_job", "rerun jobid=4", apimode.Off, []string{"no"}},
		{"missing", "rerun jobid=99999,3 yes", apimode.Off, nil},
		{"since", "rerun since_jobid=50 yes", apimode.Off, nil},
		{"since_until", "rerun since_jobid=50 until_jobid=57 yes", apimode.Off, nil},
		{"since_declined", "rerun since_jobid=50", apimode.Off, []string{"no"}},
		{"days", "rerun days=60 yes", apimode.Off, nil},
		{"hours_none", "rerun hours=1", apimode.Off, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cat := &failedSample{restoreSample: newRestoreSample(), failed: []uint64{12, 55, 58}, copies: []uint64{4}}
			out, ua, err := rerunDialog(t, cat, tc.mode, tc.line, tc.answers...)
			var b strings.Builder
			b.WriteString(out)
			fmt.Fprintf(&b, "== result: %v\n", errText(err))
			for _, q := range cat.queued {
				fmt.Fprintf(&b, "== queued: %+v\n", q)
			}
			for _, m := range ua.Messages.Drain() {
				fmt.Fprintf(&b, "== message: %q\n", m)
			}
			checkGolden(t, filepath.Join("testdata", "rerun", tc.name+".golden"), b.String())
		})
	}
}
