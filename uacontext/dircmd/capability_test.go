package dircmd_test

import (
	"context"
	"errors"
	"iter"
	"regexp"
	"strings"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// resourcesOnly has the sample's resources and no catalog database.
type resourcesOnly struct{ dircmd.Resources }

// jobsOnly has the resources and the Job table, nothing else.
type jobsOnly struct {
	dircmd.Resources
	dircmd.JobRecords
}

// noCatalogResource has no Catalog resource at all.
type noCatalogResource struct{ dircmd.Resources }

func (noCatalogResource) Catalogs() []dircmd.NamedResource { return nil }

// runWith executes line on a fresh session of cat and returns the mode-0
// output and whether the command succeeded (BNET_CMD_OK in mode 1).
func runWith(t *testing.T, cat dircmd.Catalog, console *uacontext.Console, line string) (string, bool) {
	t.Helper()
	table := newTable(cat)
	rec := &recorder{}
	ua := uacontext.NewUA(rec, uacontext.Options{Console: console, Table: table})
	ua.Execute(context.Background(), line)
	rec1 := &recorder{}
	ua = uacontext.NewUA(rec1, uacontext.Options{Console: console, Table: table})
	ua.SetMode(apimode.On)
	ua.Execute(context.Background(), line)
	return rec.data(), rec1.hasSignal(bsock.CmdOK)
}

func TestMissingCapability(t *testing.T) {
	const noDB = "Could not open catalog database \"MyCatalog\".\n"
	const noArgs = "Can't find jobid, pathid or path argument\n"
	otherCatalog := &uacontext.Console{Name: "other", ACL: uacontext.ACLSet{
		uacontext.ACLCommand: {"*all*"}, uacontext.ACLCatalog: {"OtherCatalog"},
		uacontext.ACLJob: {"*all*"}, uacontext.ACLClient: {"*all*"},
	}}
	tests := []struct {
		name    string
		cat     dircmd.Catalog
		console *uacontext.Console
		line    string
		want    string // the whole mode-0 output, or with a trailing "…" its start
		ok      bool
	}{
		// list opens the catalog before it looks at the keyword, and
		// succeeds when it cannot.
		{"list jobs", resourcesOnly{sample}, nil, "list jobs", noDB, true},
		{"llist jobs", resourcesOnly{sample}, nil, "llist jobs", noDB, true},
		{"list without keyword", resourcesOnly{sample}, nil, "list", noDB, true},
		{"list files", resourcesOnly{sample}, nil, "list files jobid=1", noDB, true},
		{"list volumes", resourcesOnly{sample}, nil, "list volumes", noDB, true},
		{"list pools", resourcesOnly{sample}, nil, "list pools", noDB, true},
		{"list joblog", resourcesOnly{sample}, nil, "list joblog jobid=1", noDB, true},
		{".bvfs_lsfiles", resourcesOnly{sample}, nil, ".bvfs_lsfiles jobid=1 path=/", noDB + noArgs, false},
		{".bvfs_lsdirs", resourcesOnly{sample}, nil, ".bvfs_lsdirs jobid=1 path=/", noDB + noArgs, true},
		{".bvfs_versions", resourcesOnly{sample}, nil, ".bvfs_versions jobid=0 client=bareos-fd path=/etc/ fname=hosts", noDB + noArgs, false},
		{".bvfs_get_jobids", resourcesOnly{sample}, nil, ".bvfs_get_jobids jobid=1", noDB, true},
		// Without its arguments a bvfs command does not get to the catalog.
		{".bvfs_lsfiles without path", resourcesOnly{sample}, nil, ".bvfs_lsfiles jobid=1", noArgs, false},

		// Some capabilities: each keyword needs its own.
		{"jobs only: list pools", jobsOnly{sample, sample}, nil, "list pools", noDB, true},
		{"jobs only: list clients", jobsOnly{sample, sample}, nil, "list clients", noDB, true},
		{"jobs only: list storages", jobsOnly{sample, sample}, nil, "list storages", noDB, true},
		{"jobs only: list files", jobsOnly{sample, sample}, nil, "list files jobid=1", noDB, true},
		{"jobs only: list jobmedia", jobsOnly{sample, sample}, nil, "list jobmedia", noDB, true},
		{"jobs only: list jobs", jobsOnly{sample, sample}, nil, "list jobs limit=1", "+-------…", true},
		{"jobs only: unknown keyword", jobsOnly{sample, sample}, nil, "list nonsense", "Unknown list keyword: nonsense\n", false},
		{"jobs only: bvfs", jobsOnly{sample, sample}, nil, ".bvfs_lsfiles jobid=1 path=/", noDB + noArgs, false},

		// Which catalog: none configured, or none the console may use.
		{"no Catalog resource", noCatalogResource{resourcesOnly{sample}}, nil, "list jobs", "Could not find a Catalog resource\n", true},
		{"catalog denied by ACL", resourcesOnly{sample}, otherCatalog, "list jobs", "Could not find a Catalog resource\n", true},

		// Commands that do not read the catalog database.
		{".jobs", resourcesOnly{sample}, nil, ".jobs type=R", "RestoreFiles\n", true},
		{"status director", resourcesOnly{sample}, nil, "status director", "bareos-dir Version: …", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := runWith(t, tt.cat, tt.console, tt.line)
			if prefix, cut := strings.CutSuffix(tt.want, "…"); cut {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("output %q, want it to start with %q", got, prefix)
				}
			} else if got != tt.want {
				t.Errorf("output %q, want %q", got, tt.want)
			}
			if ok != tt.ok {
				t.Errorf("command succeeded: %v, want %v", ok, tt.ok)
			}
		})
	}

	// status director without a StatusReporter: nothing ran, nothing is
	// scheduled or terminated.
	out, _ := runWith(t, resourcesOnly{sample}, nil, "status director")
	for _, want := range []string{"Jobs: run=0, running=0", "No Scheduled Jobs.", "No Terminated Jobs.", "===="} {
		if !strings.Contains(out, want) {
			t.Errorf("status director without StatusReporter lacks %q:\n%s", want, out)
		}
	}
}

func TestBvfsVersions(t *testing.T) {
	const line = ".bvfs_versions jobid=0 client=bareos-fd path=/etc/ fname=hosts"
	doc := jsonResult(t, nil, line)
	vs := doc.Get("result.versions").Array()
	if len(vs) == 0 {
		t.Fatalf("no versions: %s", doc.Raw)
	}
	prev := int64(0)
	for _, v := range vs {
		if v.Get("type").String() != "V" || v.Get("md5").String() == "" || v.Get("volumename").String() == "" ||
			!v.Get("volumeinchanger").Exists() || !v.Get("stat.size").Exists() {
			t.Errorf("version %s", v.Raw)
		}
		if v.Get("name").Exists() || v.Get("linkfileindex").Exists() {
			t.Errorf("a version row has no name and no LinkFileIndex: %s", v.Raw)
		}
		if id := v.Get("fileid").Int(); id <= prev {
			t.Errorf("versions not by FileId: %d after %d", id, prev)
		} else {
			prev = id
		}
		j, err := sample.JobByID(context.Background(), uint64(v.Get("jobid").Int()))
		if err != nil || j.Client != "bareos-fd" || j.Type != dircmd.JobTypeBackup {
			t.Errorf("version of job %+v, %v", j, err)
		}
	}
	text := run(t, nil, apimode.Off, line).data()
	row := regexp.MustCompile(`^(\d+\t){3}[^\t\n]+\t[^\t\n]+\t[^\t\n]+\t[01]\n$`)
	lines := strings.SplitAfter(text, "\n")
	if len(lines)-1 != len(vs) || !row.MatchString(lines[0]) {
		t.Errorf("mode 0: %d lines, first %q; want %d like PathId, FileId, JobId, lstat, MD5, volume, in changer", len(lines)-1, lines[0], len(vs))
	}
	page := jsonResult(t, nil, line+" limit=1 offset=1").Get("result.versions").Array()
	if len(vs) > 1 && (len(page) != 1 || page[0].Get("fileid").Int() != vs[1].Get("fileid").Int()) {
		t.Errorf("limit=1 offset=1: %v", page)
	}
	// The console's Job ACL confines the versions too (the Director
	// checks only the client): restricted may see web01-fd, not its job.
	const web = ".bvfs_versions jobid=0 client=web01-fd path=/etc/ fname=hosts"
	if n := len(jsonResult(t, nil, web).Get("result.versions").Array()); n == 0 {
		t.Errorf("no versions of web01-fd's /etc/hosts")
	}
	if got := jsonResult(t, restricted, web).Get("result.versions"); !got.IsArray() || len(got.Array()) != 0 {
		t.Errorf("restricted console sees versions of a forbidden job: %s", got.Raw)
	}
	if got := jsonResult(t, nil, ".bvfs_versions jobid=0 client=bareos-fd path=/nope/ fname=hosts").Get("result.versions"); !got.IsArray() || len(got.Array()) != 0 {
		t.Errorf("unknown path: %s, want an empty list", got.Raw)
	}

	for _, tt := range []struct {
		console *uacontext.Console
		line    string
		want    string
	}{
		{nil, ".bvfs_versions client=bareos-fd path=/etc/ fname=hosts", "Can't find jobid, pathid or path argument\n"},
		{nil, ".bvfs_versions jobid=0 client=bareos-fd path=/etc/", "Can't find client or fname argument\n"},
		{nil, ".bvfs_versions jobid=0 client path=/etc/ fname=hosts", "Can't find client or fname argument\n"},
		{restricted, ".bvfs_versions jobid=0 client=db01-fd path=/etc/ fname=hosts", "Unauthorized command from this console.\n"},
	} {
		got, ok := runWith(t, sample, tt.console, tt.line)
		if got != tt.want || ok {
			t.Errorf("%s: %q (success %v), want %q and failure", tt.line, got, ok, tt.want)
		}
	}
}

// endless is the sample with a bvfs directory that never ends: its
// listing yields until its context ends, and counts what it yielded
// after that.
type endless struct {
	*sampledir.Director
	cancel     context.CancelFunc
	cancelAt   int
	stoppedErr error
}

func (e *endless) BvfsLsFiles(ctx context.Context, q dircmd.BvfsQuery) iter.Seq2[dircmd.BvfsEntry, error] {
	return func(yield func(dircmd.BvfsEntry, error) bool) {
		for n := 0; ; n++ {
			if n == e.cancelAt {
				e.cancel() // the console goes away
			}
			if err := ctx.Err(); err != nil {
				e.stoppedErr = err
				yield(dircmd.BvfsEntry{}, err)
				return
			}
			if !yield(dircmd.BvfsEntry{Type: 'F', PathID: q.PathID, Name: "f", HasAttr: true, JobID: 1, FileID: uint64(n + 1), LStat: "A A A A A A A A A A A A A A"}, nil) {
				return
			}
		}
	}
}

// TestStreamStopsWithContext checks that a bvfs listing streams into
// the formatter and that the command ends as soon as its context does.
func TestStreamStopsWithContext(t *testing.T) {
	for _, mode := range []apimode.Mode{apimode.Off, apimode.JSON} {
		ctx, cancel := context.WithCancel(context.Background())
		cat := &endless{Director: sample, cancel: cancel, cancelAt: 5000}
		rec := &recorder{}
		ua := uacontext.NewUA(rec, uacontext.Options{Table: newTable(cat)})
		ua.SetMode(mode)
		err := ua.Execute(ctx, ".bvfs_lsfiles jobid=1 path=/ limit=100000000")
		if !errors.Is(err, context.Canceled) || !errors.Is(cat.stoppedErr, context.Canceled) {
			t.Errorf("mode %v: Execute = %v, listing stopped with %v; want context.Canceled", mode, err, cat.stoppedErr)
		}
		if mode == apimode.Off && strings.Count(rec.data(), "\n") != 5000 {
			t.Errorf("mode 0: %d rows sent before the end, want the 5000 listed", strings.Count(rec.data(), "\n"))
		}
	}
}
