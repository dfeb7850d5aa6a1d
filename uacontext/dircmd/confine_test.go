package dircmd_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// visibleJobs returns the jobs of the sample catalog that the restricted
// console may see (Job and Client ACL), selected by q.
func visibleJobs(t *testing.T, q dircmd.JobQuery) (all, visible []dircmd.Job) {
	t.Helper()
	jobs, err := sample.ListJobs(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	acl := restricted.ACL.Compile()
	for _, j := range jobs {
		if acl.Allow(uacontext.ACLJob, j.Name) && (j.Client == "" || acl.Allow(uacontext.ACLClient, j.Client)) {
			visible = append(visible, j)
		}
	}
	if len(visible) == 0 || len(visible) == len(jobs) {
		t.Fatalf("%d of %d jobs visible: the test would be vacuous", len(visible), len(jobs))
	}
	return jobs, visible
}

// TestJobTotalsConfined checks the deliberate deviation from the
// Director: "list jobtotals" lists and sums only the jobs the console's
// ACLs allow.
func TestJobTotalsConfined(t *testing.T) {
	_, visible := visibleJobs(t, dircmd.JobQuery{Types: []byte{'B', 'A', 'a', 'C'}})
	var files, bytes uint64
	names := map[string]bool{}
	for _, j := range visible {
		files += j.JobFiles
		bytes += j.JobBytes
		names[j.Name] = true
	}
	doc := jsonResult(t, restricted, "list jobtotals")
	for _, n := range strs(doc.Get("result.jobs.#.job")) {
		if !names[n] {
			t.Errorf("jobtotals lists job %q, which the console may not see", n)
		}
	}
	tot := doc.Get("result.jobtotals")
	if tot.Get("jobs").Uint() != uint64(len(visible)) || tot.Get("files").Uint() != files || tot.Get("bytes").Uint() != bytes {
		t.Errorf("totals %s, want jobs=%d files=%d bytes=%d", tot.Raw, len(visible), files, bytes)
	}
	// The default console still sees every job.
	all := jsonResult(t, nil, "list jobtotals").Get("result.jobtotals.jobs").Uint()
	if all <= uint64(len(visible)) {
		t.Errorf("root's total %d is not larger than the restricted one %d", all, len(visible))
	}
}

// TestCountConfined checks that "list jobs count" counts only the jobs
// the console may see.
func TestCountConfined(t *testing.T) {
	_, visible := visibleJobs(t, dircmd.JobQuery{})
	doc := jsonResult(t, restricted, "list jobs count")
	if got := doc.Get("result.jobs.0.count").Uint(); got != uint64(len(visible)) {
		t.Errorf("count = %d, want %d (%s)", got, len(visible), doc.Raw)
	}
}

// TestJobMediaConfined checks that "list jobmedia" without a job shows
// only the media of jobs the console may see.
func TestJobMediaConfined(t *testing.T) {
	_, visible := visibleJobs(t, dircmd.JobQuery{})
	ok := map[uint64]bool{}
	for _, j := range visible {
		ok[j.JobID] = true
	}
	doc := jsonResult(t, restricted, "list jobmedia")
	rows := doc.Get("result.jobmedia").Array()
	if len(rows) == 0 {
		t.Fatalf("no job media at all: %s", doc.Raw)
	}
	for _, r := range rows {
		if id := r.Get("jobid").Uint(); !ok[id] {
			t.Errorf("jobmedia shows job %d, which the console may not see", id)
		}
	}
}

// TestVolumeOfForbiddenPool checks that a volume named directly, or by
// its MediaId, is not shown when its pool is forbidden.
func TestVolumeOfForbiddenPool(t *testing.T) {
	media, err := sample.ListMedia(context.Background(), dircmd.MediaQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var hidden, shown *dircmd.Media
	for i, m := range media {
		switch {
		case m.Pool == "Full" && shown == nil:
			shown = &media[i]
		case m.Pool != "" && m.Pool != "Full" && hidden == nil:
			hidden = &media[i]
		}
	}
	if hidden == nil || shown == nil {
		t.Fatal("the sample has no volumes in both an allowed and a forbidden pool")
	}
	for _, m := range []apimode.Mode{apimode.Off, apimode.JSON} {
		for _, line := range []string{"list volume=" + hidden.VolumeName, "llist volume=" + hidden.VolumeName, "list mediaid=" + itoa(hidden.MediaID)} {
			if out := run(t, restricted, m, line).data(); contains(out, hidden.VolumeName) {
				t.Errorf("mode %v, %q shows the volume of pool %s:\n%s", m, line, hidden.Pool, out)
			}
			if out := run(t, nil, m, line).data(); !contains(out, hidden.VolumeName) {
				t.Errorf("mode %v, %q: the default console does not see the volume", m, line)
			}
		}
		if out := run(t, restricted, m, "list volume="+shown.VolumeName).data(); !contains(out, shown.VolumeName) {
			t.Errorf("mode %v: the volume of the allowed pool is hidden", m)
		}
	}
}

func itoa(v uint64) string { return strconv.FormatUint(v, 10) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
