package dircmd_test

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// countingDirector counts the state changes of a flowDirector and
// records whether one happened while a prompt of the session waited.
type countingDirector struct {
	*flowDirector
	mu      sync.Mutex
	changes int
}

func (c *countingDirector) count() {
	c.mu.Lock()
	c.changes++
	c.mu.Unlock()
}

func (c *countingDirector) n() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changes
}

func (c *countingDirector) RunJob(ctx context.Context, r dircmd.RunRequest) (uint64, error) {
	c.count()
	return c.flowDirector.RunJob(ctx, r)
}

func (c *countingDirector) CancelJob(ctx context.Context, id uint64) (dircmd.RunningJob, error) {
	c.count()
	return c.flowDirector.CancelJob(ctx, id)
}

func (c *countingDirector) DeleteJobs(ctx context.Context, ids []uint64) error {
	c.count()
	return c.flowDirector.DeleteJobs(ctx, ids)
}

func (c *countingDirector) DeleteVolume(ctx context.Context, id uint64, purge bool) ([]uint64, error) {
	c.count()
	return c.flowDirector.DeleteVolume(ctx, id, purge)
}

func (c *countingDirector) DeletePool(ctx context.Context, id uint64) error {
	c.count()
	return c.flowDirector.DeletePool(ctx, id)
}

func (c *countingDirector) SetEnabled(ctx context.Context, t uacontext.ResourceType, name string, on bool) error {
	c.count()
	return c.flowDirector.SetEnabled(ctx, t, name, on)
}

// panicLog fails the fuzz run when a handler panicked (the dispatcher
// recovers and logs it).
type panicLog struct {
	mu     sync.Mutex
	panics []string
}

func (h *panicLog) Enabled(context.Context, slog.Level) bool { return true }
func (h *panicLog) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "panicked") {
		h.mu.Lock()
		var b strings.Builder
		r.Attrs(func(a slog.Attr) bool { fmt.Fprintf(&b, " %s=%v", a.Key, a.Value); return true })
		h.panics = append(h.panics, r.Message+b.String())
		h.mu.Unlock()
	}
	return nil
}
func (h *panicLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *panicLog) WithGroup(string) slog.Handler      { return h }

var fuzzCommands = []string{
	"run job=BackupClient1", "run", "run job=RestoreFiles", "run job=nosuch", "run BackupClient1 level=Full",
	"cancel", "cancel all", "cancel job=backup", "delete", "delete jobid=1-40", "delete jobid",
	"delete volume", "delete volume=Full-0001", "delete pool=Scratch", "delete pool",
	"enable job", "disable client", "disable schedule", "enable job=backup-laptop", "wait jobid=999", "time",
}

var fuzzAnswers = []string{
	"", ".", "yes", "no", "mod", "1", "2", "3", "9", "10", "0", "-1", "x", "*1", "Full-0001", ".messages",
	"mod level=Full", "2024-03-02 10:00:00", "4294967297", "YES", "n", "y", "m", "1e3",
}

// goroutines waits until the number of goroutines is at most want and
// returns it.
func goroutines(want int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(2 * time.Second); n > want && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(5 * time.Millisecond)
	}
	return n
}

// FuzzPromptInput drives an interactive command of the sample Director
// through random answers, cancels, signals and disconnects at any step,
// in every API mode. No handler may panic, the session must end when the
// console goes away, no goroutine may be left behind, and a console that
// goes away while a question is open must leave the Director's state as
// it was.
// Seeds are in testdata/fuzz/FuzzPromptInput: the first byte picks the
// command, the second the API mode, each further byte an answer, a
// signal (0xfe), BNET_TERMINATE (0xfd) or a disconnect (0xff).
func FuzzPromptInput(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) { fuzzPromptScript(t, data, fuzzCommands) })
}

// selectionCommands are the commands whose selections (storage, drive,
// slot, client, job, update item, pool) and questions (rerun's, label's)
// FuzzSelectionInput answers at random.
var selectionCommands = []string{
	"rerun jobid=3", "rerun jobid=3,4,36", "rerun since_jobid=1", "rerun days=400", "mount", "mount storage=Tape",
	"unmount", "release", "status slots", "status storage", "status client", "status scheduler job=nosuch client=x",
	"update", "update slots", "label storage=Tape barcodes slots=9", "label barcodes", "import", "export srcslots=1",
	"move storage=Tape srcslots=2 dstslots=20",
}

// FuzzSelectionInput is FuzzPromptInput for the selections of the
// storage, status, update, label and rerun commands.
func FuzzSelectionInput(f *testing.F) {
	for i := range selectionCommands {
		f.Add([]byte{byte(i), 0, 5, 6, 5})
		f.Add([]byte{byte(i), 2, 2, 0xff})
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzPromptScript(t, data, selectionCommands) })
}

// fuzzPromptScript runs commands[data[0]] in API mode data[1]%3 and
// answers its questions from data[2:] (0xff: disconnect, 0xfe: a
// signal, 0xfd: terminate, else fuzzAnswers), then checks that nothing
// panicked, the session ended, no goroutine was left behind and nothing
// changed after the console left at a question.
func fuzzPromptScript(t *testing.T, data []byte, commands []string) {
	if len(data) < 2 || len(data) > 64 {
		return
	}
	base := runtime.NumGoroutine()
	d := &countingDirector{flowDirector: newFlowDirector()}
	if _, err := d.flowDirector.RunJob(context.Background(), dircmd.RunRequest{Job: "backup-web01", Type: 'B', Level: 'I', Client: "web01-fd"}); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, d.Director)
	logs := &panicLog{}
	mode := apimode.Mode(data[1] % 3)
	a, b := net.Pipe()
	srv := bsock.NewConn(a)
	ua := uacontext.NewUA(srv, uacontext.Options{Table: flowTable(d), Log: slog.New(logs)})
	ua.SetMode(mode)
	ua.Batch = mode == apimode.JSON
	done := make(chan error, 1)
	go func() { done <- uacontext.Session(context.Background(), srv, ua) }()
	cs := &console{t: t, c: bsock.NewConn(b), mode: mode}

	why := cs.send(commands[int(data[0])%len(commands)])
	changesAtPrompt := -1
	for _, op := range data[2:] {
		if why != "sub" && why != "text" {
			break // the command ended
		}
		switch op {
		case 0xff: // disconnect at the question
			changesAtPrompt = d.n()
		case 0xfe: // a signal while the question waits
			if err := cs.c.Signal(bsock.Poll); err != nil {
				t.Fatal(err)
			}
			continue
		case 0xfd: // the console terminates
			changesAtPrompt = d.n()
			_ = cs.c.Signal(bsock.Terminate)
		default:
			why = cs.send(fuzzAnswers[int(op)%len(fuzzAnswers)])
			continue
		}
		break
	}
	if changesAtPrompt < 0 && (why == "sub" || why == "text") {
		// Still asking at the end of the script: cancel until the
		// command ends.
		for i := 0; i < 20 && (why == "sub" || why == "text"); i++ {
			why = cs.send(".")
		}
		if why == "sub" || why == "text" {
			t.Fatalf("the command goes on asking after 20 cancels:\n%s", cs.out.String())
		}
	}
	cs.c.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("the session did not end after the console went away:\n%s", cs.out.String())
	}
	srv.Close()
	if len(logs.panics) > 0 {
		t.Fatalf("handler panicked: %q\n%s", logs.panics, cs.out.String())
	}
	if changesAtPrompt >= 0 {
		if n := d.n(); n != changesAtPrompt {
			t.Fatalf("%d state changes after the console left at a question:\n%s", n-changesAtPrompt, cs.out.String())
		}
		if changesAtPrompt == 0 {
			if after := snapshot(t, d.Director); after != before {
				t.Fatalf("state changed although the command never finished:\n%s", cs.out.String())
			}
		}
	}
	if n := goroutines(base); n > base {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines left behind (%d before):\n%s", n-base, base, buf[:runtime.Stack(buf, true)])
	}
}
