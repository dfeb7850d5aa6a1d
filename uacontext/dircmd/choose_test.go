package dircmd_test

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// answering is a recorder that answers prompts from a script.
type answering struct {
	recorder
	answers []string
}

func (a *answering) RecvContext(context.Context) (bsock.Packet, error) {
	if len(a.answers) == 0 {
		return bsock.Packet{}, io.EOF
	}
	s := a.answers[0]
	a.answers = a.answers[1:]
	return bsock.Packet{Data: []byte(s)}, nil
}

// selectUA is a mode-0 UA on line whose console answers with answers.
func selectUA(console *uacontext.Console, line string, answers ...string) (*uacontext.UA, *answering) {
	conn := &answering{answers: answers}
	ua := uacontext.NewUA(conn, uacontext.Options{Console: console})
	ua.Args = uacontext.ParseArgs(line)
	return ua, conn
}

func selectConsole() *uacontext.Console {
	var acl uacontext.ACLSet
	acl[uacontext.ACLCommand] = []string{"*all*"}
	acl[uacontext.ACLJob] = []string{"backup-web01", "BackupClient1"}
	acl[uacontext.ACLClient] = []string{"web01-fd", "db01-fd"}
	acl[uacontext.ACLPool] = []string{"Full", "Scratch"}
	acl[uacontext.ACLStorage] = []string{"Tape"}
	acl[uacontext.ACLCatalog] = []string{"MyCatalog"}
	return &uacontext.Console{Name: "restricted", ACL: acl}
}

func TestSelectionHelpers(t *testing.T) {
	ctx := context.Background()
	d := newFlowDirector()

	// A keyword skips the list; one the ACL denies is not looked up.
	ua, _ := selectUA(nil, "x client=web01-fd")
	if c, err := dircmd.GetClientResource(ctx, ua, d); err != nil || c.Name != "web01-fd" {
		t.Errorf("client=: %v %v", c, err)
	}
	ua, conn := selectUA(selectConsole(), "x client=bareos-fd", "2")
	c, err := dircmd.GetClientResource(ctx, ua, d)
	if err != nil || c.Name != "web01-fd" {
		t.Errorf("denied client=: %v %v", c, err)
	}
	if got := conn.data(); !strings.Contains(got, "Error: Client resource bareos-fd does not exist.\n") ||
		!strings.Contains(got, "1: db01-fd\n2: web01-fd\n") || strings.Contains(got, "bareos-fd\n") {
		t.Errorf("denied client= output %q", got)
	}

	// Catalog records: clients, pools, storages, jobs, under ACLs.
	ua, conn = selectUA(selectConsole(), "x", "1")
	cr, err := dircmd.SelectClientRecord(ctx, ua, d)
	if err != nil || cr.Name != "web01-fd" || !strings.Contains(conn.data(), "Defined Clients:\n1: web01-fd\n2: db01-fd\n") {
		t.Errorf("SelectClientRecord: %v %v %q", cr, err, conn.data())
	}
	ua, conn = selectUA(nil, "x recyclepool", "1")
	pr, err := dircmd.SelectPoolRecord(ctx, ua, d, "recyclepool")
	if err != nil || pr.Name != "*None*" || !strings.Contains(conn.data(), "1: *None*\n2: Full\n") {
		t.Errorf("recyclepool: %v %v %q", pr, err, conn.data())
	}
	ua, conn = selectUA(selectConsole(), "x storage=File")
	sr, err := dircmd.SelectStorageRecord(ctx, ua, d, "storage")
	if err != nil || sr.Name != "Tape" || !strings.Contains(conn.data(), "Automatically selected Storage: Tape\n") {
		t.Errorf("SelectStorageRecord: %v %v %q", sr, err, conn.data())
	}
	ua, conn = selectUA(nil, "x jobid=999", "3")
	j, err := dircmd.GetJobRecord(ctx, ua, d)
	if err != nil || j.JobID != 3 || !strings.Contains(conn.data(), "Could not find Job \"999\": ERR=No Job found for JobId 999\n") ||
		!strings.Contains(conn.data(), "Enter the JobId to select: ") {
		t.Errorf("GetJobRecord: %v %v %q", j, err, conn.data())
	}
	ua, conn = selectUA(selectConsole(), "x", "4", "2")
	j, err = dircmd.SelectJobRecord(ctx, ua, d, "")
	if err == nil || !strings.Contains(conn.data(), "No Job found for JobId 4\n") {
		t.Errorf("a job the ACL denies: %v %v %q", j, err, conn.data())
	}
	if strings.Contains(conn.data(), "backup-db01") {
		t.Error("the job list shows a job the ACL denies")
	}

	// Nothing to select, and batch mode.
	ua, _ = selectUA(nil, "x", ".")
	if _, err := dircmd.SelectFileSetResource(ctx, ua, d); !errors.Is(err, uacontext.ErrCanceled) || !errors.Is(err, uacontext.ErrReported) {
		t.Errorf("canceled: %v", err)
	}
	ua, _ = selectUA(nil, "x")
	ua.Batch = true
	if _, err := dircmd.SelectJobResource(ctx, ua, d); !errors.Is(err, uacontext.ErrBatch) {
		t.Errorf("batch: %v", err)
	}
	var none uacontext.ACLSet
	ua, conn = selectUA(&uacontext.Console{Name: "none", ACL: none}, "x")
	if _, err := dircmd.SelectPoolResource(ctx, ua, d); !errors.Is(err, uacontext.ErrEmptySelection) ||
		!strings.Contains(conn.data(), "Selection list for \"Pool\" is empty!\n") {
		t.Errorf("empty: %v %q", err, conn.data())
	}

	// Storage from the command line, from a running job, or by prompt.
	ua, _ = selectUA(nil, "x Tape")
	if s, err := dircmd.GetStorageResource(ctx, ua, d, d, true); err != nil || s.Name != "Tape" {
		t.Errorf("default keyword: %v %v", s, err)
	}
	id, _ := d.RunJob(ctx, dircmd.RunRequest{Job: "backup-mail", Type: 'B', Level: 'I', Storage: "Tape"})
	ua, _ = selectUA(nil, "x jobid="+strconv.FormatUint(id, 10))
	if s, err := dircmd.GetStorageResource(ctx, ua, d, d, false); err != nil || s.Name != "Tape" {
		t.Errorf("jobid=: %v %v", s, err)
	}
	ua, conn = selectUA(nil, "x jobid=7")
	if _, err := dircmd.GetStorageResource(ctx, ua, d, d, false); err == nil || !strings.Contains(conn.data(), "JobId 7 is not running.\n") {
		t.Errorf("jobid= not running: %v %q", err, conn.data())
	}
	ua, _ = selectUA(nil, "x catalog=MyCatalog")
	if cat, err := dircmd.GetCatalogResource(ctx, ua, d); err != nil || cat.Name != "MyCatalog" {
		t.Errorf("catalog=: %v %v", cat, err)
	}
}
