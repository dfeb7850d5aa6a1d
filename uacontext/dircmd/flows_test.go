package dircmd_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

var update = flag.Bool("update", false, "rewrite the golden files (testdata/*.golden, the prompt-flow transcripts in testdata/flows) instead of comparing with them")

// flowDirector is a fresh sample Director whose jobs run for a minute of
// a clock that only the test moves.
type flowDirector struct {
	*sampledir.Director
	mu    sync.Mutex
	clock time.Time
}

func newFlowDirector() *flowDirector {
	fd := &flowDirector{clock: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}
	fd.Director = sampledir.New(sampledir.Options{
		Size: 60, BigDirFiles: 2500,
		Now: func() time.Time { return testNow },
		Clock: func() time.Time {
			fd.mu.Lock()
			defer fd.mu.Unlock()
			return fd.clock
		},
		RunDuration: time.Minute,
	})
	return fd
}

func flowTable(cat dircmd.Catalog) *uacontext.Table {
	t := uacontext.NewTable(uacontext.ReferenceCommands()...)
	t.Add(uacontext.Builtins()...)
	t.Add(dircmd.Commands(cat, dircmd.Options{Now: func() time.Time { return testNow }})...)
	t.Add(dircmd.InteractiveCommands(cat, dircmd.Options{Now: func() time.Time { return testNow }, Poll: 5 * time.Millisecond})...)
	return t
}

// console is the client end of an in-memory session.
type console struct {
	t    testing.TB
	c    *bsock.Conn
	mode apimode.Mode
	out  strings.Builder // the transcript
	done chan error
}

// startSession runs a Director session on one end of a pipe and returns
// the console end, switched to mode.
func startSession(t testing.TB, cat dircmd.Catalog, mode apimode.Mode, opts uacontext.Options) *console {
	t.Helper()
	a, b := net.Pipe()
	srv := bsock.NewConn(a)
	if opts.Table == nil {
		opts.Table = flowTable(cat)
	}
	if opts.Connected.IsZero() {
		opts.Connected = testNow
	}
	ua := uacontext.NewUA(srv, opts)
	ctx, cancel := context.WithCancel(context.Background())
	cs := &console{t: t, c: bsock.NewConn(b), mode: apimode.Off, done: make(chan error, 1)}
	go func() { cs.done <- uacontext.Session(ctx, srv, ua) }()
	t.Cleanup(func() {
		cancel()
		cs.c.Close()
		srv.Close()
		select {
		case <-cs.done:
		case <-time.After(5 * time.Second):
			t.Error("session did not end")
		}
	})
	switch mode {
	case apimode.On:
		cs.quiet(".api 1")
	case apimode.JSON:
		cs.quiet(".api 2 compact=yes")
	}
	cs.mode = mode
	return cs
}

// quiet sends a command without recording it.
func (cs *console) quiet(line string) {
	cs.t.Helper()
	keep := cs.out.String()
	cs.send(line)
	cs.out.Reset()
	cs.out.WriteString(keep)
}

func (cs *console) recv() (bsock.Packet, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return cs.c.RecvContext(ctx)
}

// send sends one line and records everything the console sees until the
// Director waits for input again: the end of the answer (BNET_EOD in
// mode 0, BNET_MAIN_PROMPT in the API modes), a sub-prompt, or, in the
// API modes, BNET_TEXT_INPUT and the prompt's text. It returns why it
// stopped: "eod", "main", "sub", "text" or "closed".
func (cs *console) send(line string) string {
	cs.t.Helper()
	fmt.Fprintf(&cs.out, ">> %s\n", strconv.Quote(line))
	if err := cs.c.Send([]byte(line)); err != nil {
		cs.t.Fatalf("send %q: %v", line, err)
	}
	return cs.read()
}

func (cs *console) read() string {
	cs.t.Helper()
	textInput := false
	for {
		p, err := cs.recv()
		if err != nil {
			fmt.Fprintf(&cs.out, "-- connection ended\n")
			return "closed"
		}
		if p.IsSignal() {
			fmt.Fprintf(&cs.out, "%s\n", p.Signal)
			switch p.Signal {
			case bsock.EOD:
				if cs.mode == apimode.Off {
					return "eod"
				}
			case bsock.MainPrompt:
				return "main"
			case bsock.SubPrompt:
				return "sub"
			case bsock.TextInput:
				textInput = true
			}
			continue
		}
		fmt.Fprintf(&cs.out, "%s\n", strconv.Quote(string(p.Data)))
		if textInput {
			return "text"
		}
	}
}

// flow is a scripted conversation: lines sent one after another, each
// after the Director waited for input.
type flow struct {
	name  string
	setup []string // commands run before, not recorded
	lines []string
	after func(t *testing.T, d *flowDirector, cs *console)
}

func transcriptPath(name string, mode apimode.Mode) string {
	return filepath.Join("testdata", "flows", fmt.Sprintf("%s.mode%d.golden", name, mode))
}

func checkTranscript(t *testing.T, name string, mode apimode.Mode, got string) {
	t.Helper()
	path := transcriptPath(name, mode)
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
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

var allModes = []apimode.Mode{apimode.Off, apimode.On, apimode.JSON}

var flows = []flow{
	{name: "run_yes", lines: []string{"run job=BackupClient1", "yes", "list jobs jobid=61", "status director"}},
	{name: "run_empty_answer_runs", lines: []string{"run BackupClient1 level=Full", ""}},
	{name: "run_no", lines: []string{"run job=BackupClient1", "maybe", "n"}},
	{name: "run_cancel", lines: []string{"run job=backup-web01", "."}},
	{name: "run_yes_argument", lines: []string{"run job=backup-db01 level=Differential priority=5 yes"}},
	{name: "run_mod_menu", lines: []string{
		"run job=BackupClient1",
		"mod", "1", "1", // Level: Full
		"mod", "7", "2030-13-01 10:00:00", "2024-03-02 10:00:00", // When
		"mod", "8", "abc", "0", // Priority: bad, then 0
		"mod", "8", "4", // Priority 4
		"mod", "5", "2", // Client
		"mod", "9", "1", // Pool: Full
		"yes", "list jobs jobid=61", "status director",
	}},
	{name: "run_mod_arguments", lines: []string{"run job=BackupClient1", "mod level=Full pool=Full priority=3", "yes"}},
	{name: "run_mod_cancel", lines: []string{"run job=BackupClient1", "mod", "."}},
	{name: "run_select_job", lines: []string{"run", "0", "x", "2", "yes"}},
	{name: "run_select_job_cancel", lines: []string{"run", "."}},
	{name: "run_unknown_job", lines: []string{"run job=nosuch", "1", "no"}},
	{name: "run_bad_arguments", lines: []string{"run job=BackupClient1 level=Sometimes", "run job=BackupClient1 bogus=1", "run job=BackupClient1 when=tomorrow yes"}},
	{name: "run_restore_jobid", lines: []string{"run job=RestoreFiles", "x", "5", "yes"}},
	{name: "run_when_later", lines: []string{"run job=backup-mail when=\"2024-03-05 08:00:00\" yes", "status director"}},
	{name: "cancel_list", setup: []string{"run job=backup-web01 yes"}, lines: []string{"cancel", "yes", "list jobs jobid=61"}},
	{name: "cancel_list_no", setup: []string{"run job=backup-web01 yes"}, lines: []string{"cancel", "no", "status director"}},
	{name: "cancel_two", setup: []string{"run job=backup-web01 yes", "run job=backup-mail when=\"2024-03-05 08:00:00\" yes"}, lines: []string{"cancel", "3", "1", "cancel", "."}},
	{name: "cancel_jobid", setup: []string{"run job=backup-web01 yes"}, lines: []string{"cancel jobid=61", "cancel jobid=61", "cancel ujobid=nosuch"}},
	{name: "cancel_all", setup: []string{"run job=backup-web01 yes", "run job=backup-db01 yes"}, lines: []string{"cancel all", "yes"}},
	{name: "cancel_nothing_running", lines: []string{"cancel", "cancel state=running"}},
	{name: "delete_jobids", lines: []string{"delete jobid=3,5-6,x,9-8", "list jobs jobid=5"}},
	{name: "delete_jobid_range_confirm", lines: []string{"delete jobid=1-30", "no", "delete jobid=1-30", "yes"}},
	{name: "delete_jobid_prompt", lines: []string{"delete jobid", "abc", "7"}},
	{name: "delete_volume", lines: []string{"delete volume=Full-0001", "yes", "list volume=Full-0001"}},
	{name: "delete_volume_no", lines: []string{"delete volume=Full-0001", "no"}},
	{name: "delete_volume_select", lines: []string{"delete volume", "3", "*1", "yes"}},
	{name: "delete_keyword_prompt", lines: []string{"delete", "2", "4", "yes", "delete", "."}},
	{name: "delete_pool", lines: []string{"delete pool=Scratch", "no", "delete pool=Scratch", "yes", "list pools"}},
	{name: "enable_disable", lines: []string{"enable job=backup-laptop", ".jobs", "disable job=nosuch", "disable client", "1", ".clients disabled", "disable schedule=WeeklyCycle", ".schedule"}},
	{name: "disable_select_cancel", lines: []string{"disable job", "."}},
	{name: "time", lines: []string{"time"}},
	{name: "completion", lines: []string{".levels", ".levels Verify", ".types", ".volstatus", ".actiononpurge", ".media", ".mediatypes", ".jobdefs", ".profiles", ".consoles", ".locations", ".pool", ".storage", ".client", ".fileset", ".schedule", ".msgs", ".catalogs", ".jobs type=R", ".help item=run"}},
	{name: "messages_mid_prompt", lines: []string{"run job=BackupClient1", ".messages", "no"}},
}

func TestPromptFlows(t *testing.T) {
	for _, fl := range flows {
		for _, mode := range allModes {
			t.Run(fmt.Sprintf("%s/mode%d", fl.name, mode), func(t *testing.T) {
				d := newFlowDirector()
				cs := startSession(t, d, mode, uacontext.Options{})
				for _, l := range fl.setup {
					cs.quiet(l)
				}
				for _, l := range fl.lines {
					if why := cs.send(l); why == "closed" {
						break
					}
				}
				checkTranscript(t, fl.name, mode, cs.out.String())
				if fl.after != nil {
					fl.after(t, d, cs)
				}
			})
		}
	}
}

// Waiting for jobs: wait returns when the job has ended, with its status.
func TestWait(t *testing.T) {
	d := newFlowDirector()
	cs := startSession(t, d, apimode.JSON, uacontext.Options{})
	cs.send("run job=backup-web01 yes")
	done := make(chan string, 1)
	go func() {
		// Let wait see the job running, then end it.
		time.Sleep(50 * time.Millisecond)
		done <- "moved"
	}()
	// The job ends when the test clock passes its end; move it from
	// another goroutine while wait polls.
	go func() {
		<-done
		d.advance(2 * time.Minute)
	}()
	cs.out.Reset()
	cs.send("wait jobid=61")
	if got := lastJSON(t, cs); got.Get("result.job.jobstatus").String() != "T" || got.Get("result.job.exitstatus").Int() != 0 ||
		got.Get("result.job.jobstatuslong").String() != "OK" {
		t.Errorf("wait: %s", got.Raw)
	}
	// A JobId that is not running is waited for at once; the catalog
	// does not know it either: status "?", exit status 3.
	cs.send("wait jobid=999")
	if got := lastJSON(t, cs); got.Get("result.job.jobstatus").String() != "?" || got.Get("result.job.exitstatus").Int() != 3 {
		t.Errorf("wait for an unknown job: %s", got.Raw)
	}
	cs.send("wait job=nosuch")
	if got := lastJSON(t, cs); got.Get("error.data.messages.error.0").String() != "ERR: Job was not found\n" {
		t.Errorf("wait for a job not running: %s", got.Raw)
	}
	cs.send("wait")
	if got := lastJSON(t, cs); got.Get("result").Raw != "{}" {
		t.Errorf("wait without jobs: %s", got.Raw)
	}
}

// lastJSON returns the last JSON document the console received.
func lastJSON(t testing.TB, cs *console) gjson.Result {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(cs.out.String()), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], `"{`) {
			s, err := strconv.Unquote(lines[i])
			if err != nil {
				t.Fatal(err)
			}
			return gjson.Parse(s)
		}
	}
	t.Fatalf("no JSON in\n%s", cs.out.String())
	return gjson.Result{}
}

// A prompt times out; the command gives up, the session goes on.
func TestPromptTimeout(t *testing.T) {
	d := newFlowDirector()
	cs := startSession(t, d, apimode.Off, uacontext.Options{PromptTimeout: 30 * time.Millisecond})
	cs.send("run job=BackupClient1")
	// No answer: the prompt times out and the command ends.
	cs.read()
	if got := cs.out.String(); !strings.Contains(got, `"Job not run.\n"`) {
		t.Errorf("timeout:\n%s", got)
	}
	cs.out.Reset()
	cs.send("list jobs jobid=61")
	if strings.Contains(cs.out.String(), "BackupClient1") {
		t.Error("the timed-out run started a job")
	}
}

// A console that disconnects at a prompt changes nothing.
func TestDisconnectMidPrompt(t *testing.T) {
	for _, lines := range [][]string{
		{"run job=BackupClient1"},
		{"run job=BackupClient1", "mod", "1"},
		{"delete jobid=1-30"},
		{"delete volume=Full-0001"},
		{"disable client"},
		{"cancel"},
	} {
		d := newFlowDirector()
		if _, err := d.RunJob(context.Background(), dircmd.RunRequest{Job: "backup-web01", Type: 'B', Level: 'I', Client: "web01-fd"}); err != nil {
			t.Fatal(err)
		}
		before := snapshot(t, d.Director)
		cs := startSession(t, d, apimode.Off, uacontext.Options{})
		for _, l := range lines {
			cs.send(l)
		}
		cs.c.Close()
		select {
		case err := <-cs.done:
			cs.done <- err // for the cleanup
			if !errors.Is(err, uacontext.ErrSessionEnded) && !errors.Is(err, net.ErrClosed) && err != nil && !strings.Contains(err.Error(), "closed") {
				t.Logf("%q: session ended with %v", lines, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%q: session did not end", lines)
		}
		if diff := cmp.Diff(before, snapshot(t, d.Director)); diff != "" {
			t.Errorf("%q: state changed (-before +after):\n%s", lines, diff)
		}
	}
}

func (d *flowDirector) advance(by time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.clock = d.clock.Add(by)
}

// snapshot is the sample's state as consoles see it.
func snapshot(t testing.TB, d *sampledir.Director) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	jobs, err := d.ListJobs(ctx, dircmd.JobQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		fmt.Fprintf(&b, "job %d %s %c\n", j.JobID, j.Name, j.JobStatus)
	}
	media, _ := d.ListMedia(ctx, dircmd.MediaQuery{})
	for _, m := range media {
		fmt.Fprintf(&b, "volume %s\n", m.VolumeName)
	}
	pools, _ := d.PoolRecords(ctx)
	for _, p := range pools {
		fmt.Fprintf(&b, "pool %s\n", p.Name)
	}
	for _, j := range d.Jobs() {
		fmt.Fprintf(&b, "jobres %s %v\n", j.Name, j.Enabled)
	}
	for _, c := range d.Clients() {
		fmt.Fprintf(&b, "client %s %v\n", c.Name, c.Enabled)
	}
	running, _ := d.RunningJobs(ctx)
	for _, r := range running {
		fmt.Fprintf(&b, "running %d %c\n", r.JobID, r.Status)
	}
	return b.String()
}
