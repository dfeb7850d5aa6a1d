package dircmd_test

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

var errDown = errors.New("catalog is down")

// failing is the sample catalog with some methods failing: each method
// named in fail returns its error (errDown unless given).
type failing struct {
	*sampledir.Director
	fail map[string]error
}

func (f failing) err(method string) error {
	if err, ok := f.fail[method]; ok {
		if err == nil {
			return fmt.Errorf("%s: %w", method, errDown)
		}
		return err
	}
	return nil
}

func (f failing) ListJobs(ctx context.Context, q dircmd.JobQuery) ([]dircmd.Job, error) {
	if err := f.err("ListJobs"); err != nil {
		return nil, err
	}
	return f.Director.ListJobs(ctx, q)
}

func (f failing) JobByID(ctx context.Context, id uint64) (dircmd.Job, error) {
	if err := f.err("JobByID"); err != nil {
		return dircmd.Job{}, err
	}
	return f.Director.JobByID(ctx, id)
}

func (f failing) JobByUnique(ctx context.Context, job string) (dircmd.Job, error) {
	if err := f.err("JobByUnique"); err != nil {
		return dircmd.Job{}, err
	}
	return f.Director.JobByUnique(ctx, job)
}

func (f failing) ClientRecords(ctx context.Context) ([]dircmd.ClientRecord, error) {
	if err := f.err("ClientRecords"); err != nil {
		return nil, err
	}
	return f.Director.ClientRecords(ctx)
}

func (f failing) PoolRecords(ctx context.Context) ([]dircmd.PoolRecord, error) {
	if err := f.err("PoolRecords"); err != nil {
		return nil, err
	}
	return f.Director.PoolRecords(ctx)
}

func (f failing) StorageRecords(ctx context.Context) ([]dircmd.StorageRecord, error) {
	if err := f.err("StorageRecords"); err != nil {
		return nil, err
	}
	return f.Director.StorageRecords(ctx)
}

func (f failing) ListMedia(ctx context.Context, q dircmd.MediaQuery) ([]dircmd.Media, error) {
	if err := f.err("ListMedia"); err != nil {
		return nil, err
	}
	return f.Director.ListMedia(ctx, q)
}

func (f failing) JobMedia(ctx context.Context, id uint64) ([]dircmd.JobMedia, error) {
	if err := f.err("JobMedia"); err != nil {
		return nil, err
	}
	return f.Director.JobMedia(ctx, id)
}

func (f failing) JobFiles(ctx context.Context, id uint64, fn func(string) error) error {
	if err := f.err("JobFiles"); err != nil {
		n := 0
		// Fail half-way: after two files.
		f.Director.JobFiles(ctx, id, func(name string) error {
			if n++; n > 2 {
				return err
			}
			return fn(name)
		})
		return err
	}
	return f.Director.JobFiles(ctx, id, fn)
}

func (f failing) BvfsPathID(ctx context.Context, path string) (uint64, error) {
	if err := f.err("BvfsPathID"); err != nil {
		return 0, err
	}
	return f.Director.BvfsPathID(ctx, path)
}

func (f failing) BvfsLsDirs(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return f.stream("BvfsLsDirs", f.Director.BvfsLsDirs(ctx, q))
}

func (f failing) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return f.stream("BvfsLsFiles", f.Director.BvfsLsFiles(ctx, q))
}

func (f failing) BvfsVersions(ctx context.Context, q dircmd.BvfsVersionQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return f.stream("BvfsVersions", f.Director.BvfsVersions(ctx, q))
}

// stream fails a listing half-way: after two entries.
func (f failing) stream(method string, seq iter.Seq2[dircmd.BvfsEntry, error]) iter.Seq2[dircmd.BvfsEntry, error] {
	err := f.err(method)
	if err == nil {
		return seq
	}
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		n := 0
		for e, serr := range seq {
			if serr != nil || n == 2 {
				break
			}
			n++
			if !yield(e, nil) {
				return
			}
		}
		yield(dircmd.BvfsEntry{}, err)
	}
}

func (f failing) Status(ctx context.Context) (dircmd.DirectorStatus, error) {
	if err := f.err("Status"); err != nil {
		return dircmd.DirectorStatus{}, err
	}
	return f.Director.Status(ctx)
}

func (f failing) Scheduled(ctx context.Context, now time.Time, days int) ([]dircmd.ScheduledRun, error) {
	if err := f.err("Scheduled"); err != nil {
		return nil, err
	}
	return f.Director.Scheduled(ctx, now, days)
}

func (f failing) Terminated(ctx context.Context) ([]dircmd.TerminatedJob, error) {
	if err := f.err("Terminated"); err != nil {
		return nil, err
	}
	return f.Director.Terminated(ctx)
}

// runOn executes line against cat in mode and returns the packets and
// the dispatcher's error.
func runOn(t *testing.T, cat dircmd.Catalog, mode apimode.Mode, line string) (*recorder, error) {
	t.Helper()
	rec := &recorder{}
	ua := uacontext.NewUA(rec, uacontext.Options{Table: newTable(cat)})
	ua.SetMode(mode)
	return rec, ua.Execute(context.Background(), line)
}

// TestCatalogFailuresReachConsole fails each catalog method a command
// uses and checks that the command fails with the cause on the console:
// "Query failed: ..." as an error message, BNET_CMD_FAILED, and the mode-2
// error envelope. No failure may turn into an empty successful answer.
func TestCatalogFailuresReachConsole(t *testing.T) {
	tests := []struct {
		method, line string
	}{
		{"ListJobs", "list jobs"},
		{"ListJobs", "llist jobs"},
		{"ListJobs", "list jobs count"},
		{"ListJobs", "list jobtotals"},
		{"ListJobs", "list jobmedia"},
		{"JobByID", "list jobs jobid=1"},
		{"JobByID", "list files jobid=1"},
		{"JobByID", "list volumes jobid=1"},
		{"JobByID", ".bvfs_lsfiles jobid=1 path=/"},
		{"JobByID", ".bvfs_lsdirs jobid=1 path=/"},
		{"JobByUnique", "list jobs ujobid=x"},
		{"ClientRecords", "list clients"},
		{"ClientRecords", "list jobs client=bareos-fd"},
		{"PoolRecords", "list pools"},
		{"PoolRecords", "list volumes"},
		{"PoolRecords", "list volumes pool=Full"},
		{"StorageRecords", "list storages"},
		{"ListMedia", "list volumes"},
		{"ListMedia", "llist volumes all"},
		{"ListMedia", "list mediaid=1"},
		{"ListMedia", "list jobmedia"},
		{"JobMedia", "list jobmedia"},
		{"JobMedia", "list jobmedia jobid=1"},
		{"JobMedia", "list volumes jobid=1"},
		{"JobFiles", "list files jobid=1"},
		{"BvfsPathID", ".bvfs_lsdirs jobid=1 path=/"},
		{"BvfsPathID", ".bvfs_lsfiles jobid=1 path=/"},
		{"BvfsLsDirs", ".bvfs_lsdirs jobid=1 path=/"},
		{"BvfsLsFiles", ".bvfs_lsfiles jobid=1 path=/"},
		{"BvfsLsFiles", ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/"},
		{"BvfsPathID", ".bvfs_versions jobid=0 client=bareos-fd path=/etc/ fname=hosts"},
		{"BvfsVersions", ".bvfs_versions jobid=0 client=bareos-fd path=/etc/ fname=hosts"},
		{"Status", "status director"},
		{"Scheduled", "status director"},
		{"Terminated", "status director"},
	}
	for _, tt := range tests {
		t.Run(tt.method+"/"+tt.line, func(t *testing.T) {
			cat := failing{Director: sample, fail: map[string]error{tt.method: nil}}
			want := "Query failed: " + tt.method + ": catalog is down\n"

			rec, err := runOn(t, cat, apimode.Off, tt.line)
			if !errors.Is(err, errDown) {
				t.Errorf("Execute = %v, want the catalog's error", err)
			}
			if !strings.Contains(rec.data(), want) {
				t.Errorf("mode 0: %q missing from %q", want, rec.data())
			}

			rec, _ = runOn(t, cat, apimode.On, tt.line)
			if !rec.hasSignal(bsock.CmdFailed) || !rec.hasSignal(bsock.ErrorMsg) || rec.hasSignal(bsock.CmdOK) {
				t.Errorf("mode 1: signals %v", rec.pkts)
			}

			rec, _ = runOn(t, cat, apimode.JSON, tt.line)
			out := rec.data()
			if !gjson.Valid(out) {
				t.Fatalf("mode 2: invalid JSON %q", out)
			}
			doc := gjson.Parse(out)
			if doc.Get("error.code").Int() != 1 || doc.Get("error.data.messages.error.0").String() != want {
				t.Errorf("mode 2: want the error envelope with %q, got %s", want, out)
			}
		})
	}
}

// TestNotFoundIsNotAFailure checks that the catalog's ErrNotFound is a
// missing record, answered as the Director answers it, while any other
// error of the same lookup fails the command.
func TestNotFoundIsNotAFailure(t *testing.T) {
	notFound := fmt.Errorf("job 1: %w", dircmd.ErrNotFound)
	tests := []struct {
		line    string
		method  string
		wantErr string // "" success
		wantOut string // substring of the mode-0 output
	}{
		// list jobs with an unknown job: an empty list, success.
		{"list jobs jobid=1", "JobByID", "", ""},
		{"list jobs ujobid=x", "JobByUnique", "", ""},
		// list files: the Director's message for a missing job.
		{"list files jobid=1", "JobByID", "jobid not found in db", "jobid not found in db, access to job or client denied by ACL, or client not found in db\n"},
		// bvfs: a missing job is skipped, which leaves none.
		{".bvfs_lsfiles jobid=1 path=/", "JobByID", "Unauthorized command from this console.", "Unauthorized command from this console.\n"},
		// A bvfs path that is not found: no versions.
		{".bvfs_versions jobid=0 client=bareos-fd path=/etc/ fname=hosts", "BvfsPathID", "", ""},
		// An unknown bvfs path lists the root for files, nothing for dirs.
		{".bvfs_lsfiles jobid=1 path=/nope/", "", "", ""},
		{".bvfs_lsdirs jobid=1 path=/nope/", "", "uacontext: command failed", ""},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			fail := map[string]error{}
			if tt.method != "" {
				fail[tt.method] = notFound
			}
			rec, err := runOn(t, failing{Director: sample, fail: fail}, apimode.Off, tt.line)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Execute = %v, want success", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Execute = %v, want %q", err, tt.wantErr)
			}
			if strings.Contains(rec.data(), "Query failed") {
				t.Errorf("not-found reported as a catalog failure: %q", rec.data())
			}
			if !strings.Contains(rec.data(), tt.wantOut) {
				t.Errorf("output %q lacks %q", rec.data(), tt.wantOut)
			}
			if tt.method == "" {
				return
			}
			// The same lookup failing otherwise fails the command.
			_, err = runOn(t, failing{Director: sample, fail: map[string]error{tt.method: nil}}, apimode.Off, tt.line)
			if !errors.Is(err, errDown) {
				t.Errorf("with a failing catalog: Execute = %v, want the catalog's error", err)
			}
		})
	}
}

// blocking is the sample catalog whose ListJobs blocks until its context
// ends, as a hung database query does.
type blocking struct {
	*sampledir.Director
	started chan struct{}
	ended   chan error
}

func (b blocking) ListJobs(ctx context.Context, q dircmd.JobQuery) ([]dircmd.Job, error) {
	close(b.started)
	select {
	case <-ctx.Done():
		b.ended <- ctx.Err()
		return nil, ctx.Err()
	case <-time.After(30 * time.Second):
		b.ended <- nil
		return b.Director.ListJobs(ctx, q)
	}
}

// TestDisconnectCancelsCatalogCall runs "list jobs" through a server on
// a catalog call that blocks, and closes the console's connection: the
// catalog call must see its context end, and the server must not wait
// for it.
func TestDisconnectCancelsCatalogCall(t *testing.T) {
	cat := blocking{Director: sample, started: make(chan struct{}), ended: make(chan error, 1)}
	srv := &uacontext.Server{DefaultKey: bsock.PasswordKey("pw"), Table: newTable(cat)}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c := bsock.NewConn(nc)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Password: "pw"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Send([]byte("list jobs")); err != nil {
		t.Fatal(err)
	}
	<-cat.started
	c.Close()
	if err := <-cat.ended; !errors.Is(err, context.Canceled) {
		t.Errorf("catalog call after the disconnect: ctx.Err() = %v, want context.Canceled", err)
	}
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("session still running after the disconnect: %v", err)
	}
}
