package dircmd_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// scripted is a scripted console: it records what the Director sends and
// answers prompts from a list. When the list is used up the console
// disconnects (the next read fails with io.EOF).
type scripted struct {
	mu      sync.Mutex
	answers []string
	log     strings.Builder
	pkts    int
	dropAt  int // > 0: sends fail from this packet on (a broken connection)
}

func (c *scripted) Send(p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pkts++
	if c.dropAt > 0 && c.pkts >= c.dropAt {
		return io.ErrClosedPipe
	}
	fmt.Fprintf(&c.log, "< %q\n", p)
	return nil
}

func (c *scripted) Signal(s bsock.Signal) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pkts++
	if c.dropAt > 0 && c.pkts >= c.dropAt {
		return io.ErrClosedPipe
	}
	fmt.Fprintf(&c.log, "<< %s\n", s)
	return nil
}

func (c *scripted) RecvContext(ctx context.Context) (bsock.Packet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return bsock.Packet{}, err
	}
	if len(c.answers) == 0 {
		fmt.Fprintf(&c.log, "-- disconnect\n")
		return bsock.Packet{}, io.EOF
	}
	a := c.answers[0]
	c.answers = c.answers[1:]
	if strings.HasPrefix(a, "\x00signal:") {
		fmt.Fprintf(&c.log, ">> %s\n", a[len("\x00signal:"):])
		return bsock.Packet{Signal: bsock.Poll}, nil
	}
	fmt.Fprintf(&c.log, "> %q\n", a)
	return bsock.Packet{Data: []byte(a)}, nil
}

// restoreSample is the sample Director with a restore job queue: the
// jobs it queued, for the tests to inspect.
type restoreSample struct {
	*sampledir.Director
	mu     sync.Mutex
	queued []dircmd.RunRequest
	fail   bool
}

func (r *restoreSample) RunJob(ctx context.Context, job dircmd.RunRequest) (uint64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		return 0, errors.New("cannot run")
	}
	r.queued = append(r.queued, job)
	return uint64(1000 + len(r.queued)), nil
}

// restoreNow is the clock of the restore tests: after the sample's jobs.
var restoreNow = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func newRestoreSample() *restoreSample {
	return &restoreSample{Director: sample}
}

// dialog runs one command line with scripted answers in the given mode
// and returns the transcript and the command's error.
func dialog(t testing.TB, cat dircmd.Catalog, mode apimode.Mode, batch bool, line string, answers ...string) (string, error) {
	t.Helper()
	return consoleDialog(t, nil, cat, mode, batch, line, answers...)
}

// consoleDialog is dialog for a named console.
func consoleDialog(t testing.TB, who *uacontext.Console, cat dircmd.Catalog, mode apimode.Mode, batch bool, line string, answers ...string) (string, error) {
	t.Helper()
	con := &scripted{answers: answers}
	table := uacontext.NewTable(uacontext.Builtins()...)
	table.Add(dircmd.Commands(cat, dircmd.Options{Now: func() time.Time { return restoreNow }})...)
	ua := uacontext.NewUA(con, uacontext.Options{Table: table, Console: who})
	ua.SetMode(mode)
	ua.Batch = batch
	fmt.Fprintf(&con.log, "* %s\n", line)
	err := ua.Execute(context.Background(), line)
	return con.log.String(), err
}

// restoreFlows are the restore dialogues of the golden transcripts: a
// command line and the console's answers (when they run out, the console
// disconnects). Each runs in mode 0, in mode 1, and in mode 2 after
// ".api 2" (batch mode).
var restoreFlows = []struct {
	name    string
	line    string
	answers []string
}{
	{"menu5-mark-done-yes", "restore", []string{"5", "2", "ls", "cd /etc", "mark *.conf", "mark ssh", "unmark ssh/ssh_config",
		"lsmark", "dir ss*", "estimate", "count", "find *.conf", "pwd", "cd ..", "help", "frob", "done", "yes"}},
	{"menu3-jobids", "restore", []string{"3", "38,45,52", "mark /etc/nginx", "done", "2", "yes"}},
	{"menu-list-last-jobs", "restore", []string{"1", "13"}},
	{"jobid-tree-api", "restore jobid=38,45 client=web01-fd", []string{"cd /srv/www/html", ".pwd", ".ls", ".lsmark", "mark *.js", ".lsmark", ".dir", "done", "yes"}},
	{"select-fileset-prompt", "restore client=bareos-fd select", []string{"2", "mark /etc/hosts", "done", "no"}},
	{"cancel-menu", "restore", []string{"."}},
	{"cancel-client", "restore", []string{"5", "."}},
	{"cancel-fileset", "restore client=bareos-fd select", []string{"."}},
	{"cancel-tree", "restore jobid=38", []string{"."}},
	{"cancel-ok-to-run", "restore client=web01-fd select all done", []string{"."}},
	{"quit-tree", "restore jobid=38", []string{"mark *", "quit"}},
	{"all-done-yes", "restore client=web01-fd select all done yes", nil},
	{"all-done-yes-where", "restore client=db01-fd select current all done where=/tmp/r replace=never comment=nightly yes", nil},
	{"file-form", "restore client=web01-fd file=/etc/hosts file=/srv/www/html/index.html file=/nope yes", nil},
	{"directory-form", "restore client=web01-fd jobid=38,45 directory=/etc/ssh/ yes", nil},
	{"mod-where-replace", "restore client=web01-fd select all done", []string{"mod", "10", "/", "mod", "12", "3", "m", "8", "20", "yes"}},
	{"unknown-keyword", "restore bogus=1", nil},
	{"missing-value", "restore jobid", nil},
	{"no-such-job", "restore jobid=9999", nil},
	{"bad-date", "restore client=web01-fd before=2024-13-01 select", nil},
	{"no-full-before", "restore client=web01-fd before=2023-06 select all done yes", nil},
	{"disconnect-in-tree", "restore jobid=38", []string{"ls"}},
}

func TestRestoreTranscripts(t *testing.T) {
	for _, fl := range restoreFlows {
		for _, mode := range []apimode.Mode{apimode.Off, apimode.On, apimode.JSON} {
			name := fmt.Sprintf("%s.mode%d", fl.name, mode)
			t.Run(name, func(t *testing.T) {
				cat := newRestoreSample()
				out, err := dialog(t, cat, mode, mode == apimode.JSON, fl.line, fl.answers...)
				var b strings.Builder
				b.WriteString(out)
				fmt.Fprintf(&b, "== result: %v\n", errText(err))
				for _, q := range cat.queued {
					fmt.Fprintf(&b, "== queued: %+v\n", q)
				}
				checkGolden(t, filepath.Join("testdata", "restore", name+".golden"), b.String())
			})
		}
	}
}

func errText(err error) string {
	if err == nil {
		return "ok"
	}
	return "failed"
}

// checkGolden compares got with the golden file, or rewrites it with
// -update.
func checkGolden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run %s -update to create it)", err, t.Name())
	}
	if d := cmp.Diff(string(want), got); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}

// restorer may restore web01-fd's backups only, to a few places.
var restorer = &uacontext.Console{
	Name: "restorer",
	ACL: uacontext.ACLSet{
		uacontext.ACLCommand: {"*all*"},
		uacontext.ACLJob:     {"backup-web01", "RestoreFiles"},
		uacontext.ACLClient:  {"web01-fd"},
		uacontext.ACLStorage: {"File"},
		uacontext.ACLPool:    {"*all*"},
		uacontext.ACLFileSet: {"*all*"},
		uacontext.ACLCatalog: {"*all*"},
		uacontext.ACLWhere:   {"/tmp/bareos-restores", "/tmp/ok"},
	},
}

// TestRestoreACL checks the console's ACLs in the restore dialogue:
// clients and jobs it may not see are neither offered nor selected, and
// restore locations are checked.
func TestRestoreACL(t *testing.T) {
	for _, fl := range []struct {
		name    string
		line    string
		answers []string
	}{
		{"acl-menu5", "restore", []string{"5", "mark /etc/hosts", "done", "yes"}},
		{"acl-foreign-jobid", "restore jobid=1,38 client=web01-fd", []string{"mark /etc/hosts", "done", "yes"}},
		{"acl-foreign-client", "restore client=bareos-fd select all done yes", nil},
		{"acl-where-denied", "restore client=web01-fd select all done where=/etc yes", nil},
		{"acl-where-allowed", "restore client=web01-fd select all done where=/tmp/ok yes", nil},
		{"acl-foreign-file", "restore client=bareos-fd file=/etc/hosts yes", nil},
		{"acl-list-last-jobs", "restore", []string{"1", "13"}},
	} {
		t.Run(fl.name, func(t *testing.T) {
			cat := newRestoreSample()
			out, err := consoleDialog(t, restorer, cat, apimode.Off, false, fl.line, fl.answers...)
			var b strings.Builder
			b.WriteString(out)
			fmt.Fprintf(&b, "== result: %v\n", errText(err))
			for _, q := range cat.queued {
				fmt.Fprintf(&b, "== queued: %+v\n", q)
				if q.BackupClient != "web01-fd" {
					t.Errorf("restore of %s queued", q.BackupClient)
				}
			}
			checkGolden(t, filepath.Join("testdata", "restore", fl.name+".golden"), b.String())
		})
	}
}

// prunedCatalog is a catalog without file records (no RestoreCatalog):
// restore can only restore everything or what a regular expression
// selects.
type prunedCatalog struct {
	dircmd.Catalog
	dircmd.JobRecords
	dircmd.MediaRecords
	records // the client, pool and storage records
	runner  *restoreSample
}

// records are a catalog's ClientRecords, PoolRecords and StorageRecords
// (an embedded field of such a name would hide its method).
type records interface {
	dircmd.ClientRecords
	dircmd.PoolRecords
	dircmd.StorageRecords
}

func (p prunedCatalog) RunJob(ctx context.Context, req dircmd.RunRequest) (uint64, error) {
	return p.runner.RunJob(ctx, req)
}

func TestRestoreWithoutFileRecords(t *testing.T) {
	for _, fl := range []struct {
		name    string
		line    string
		answers []string
	}{
		{"pruned-restore-all", "restore jobid=38 client=web01-fd", []string{"yes", "yes"}},
		{"pruned-regexp", "restore jobid=38 client=web01-fd", []string{"no", "(", "\\.conf$", "yes"}},
		{"pruned-abort", "restore jobid=38 client=web01-fd", []string{"no", ""}},
		{"pruned-all-keyword", "restore jobid=38 client=web01-fd all yes", nil},
	} {
		t.Run(fl.name, func(t *testing.T) {
			rs := newRestoreSample()
			d := rs.Director
			cat := prunedCatalog{Catalog: d, JobRecords: d, MediaRecords: d, records: d, runner: rs}
			if _, ok := dircmd.Catalog(cat).(dircmd.RestoreCatalog); ok {
				t.Fatal("the pruned catalog has file records")
			}
			out, err := dialog(t, cat, apimode.Off, false, fl.line, fl.answers...)
			var b strings.Builder
			b.WriteString(out)
			fmt.Fprintf(&b, "== result: %v\n", errText(err))
			for _, q := range rs.queued {
				fmt.Fprintf(&b, "== queued: %+v\n", q)
			}
			checkGolden(t, filepath.Join("testdata", "restore", fl.name+".golden"), b.String())
		})
	}
}
