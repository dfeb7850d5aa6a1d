package dircmd_test

import (
	"context"
	"errors"
	"flag"
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

// update rewrites the restore transcripts in testdata/restore (go test
// -run Restore -update). If another package of the test binary defines
// -update already, its flag is used.
var update = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	b := flag.Bool("update", false, "rewrite the golden transcripts in testdata/ instead of comparing with them")
	return func() bool { return *b }
}()

// console is a scripted console: it records what the Director sends and
// answers prompts from a list. When the list is used up the console
// disconnects (the next read fails with io.EOF).
type console struct {
	mu      sync.Mutex
	answers []string
	log     strings.Builder
	pkts    int
	dropAt  int // > 0: sends fail from this packet on (a broken connection)
}

func (c *console) Send(p []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pkts++
	if c.dropAt > 0 && c.pkts >= c.dropAt {
		return io.ErrClosedPipe
	}
	fmt.Fprintf(&c.log, "< %q\n", p)
	return nil
}

func (c *console) Signal(s bsock.Signal) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pkts++
	if c.dropAt > 0 && c.pkts >= c.dropAt {
		return io.ErrClosedPipe
	}
	fmt.Fprintf(&c.log, "<< %s\n", s)
	return nil
}

func (c *console) RecvContext(ctx context.Context) (bsock.Packet, error) {
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
	con := &console{answers: answers}
	table := uacontext.NewTable(uacontext.Builtins()...)
	table.Add(dircmd.Commands(cat, dircmd.Options{Now: func() time.Time { return restoreNow }})...)
	ua := uacontext.NewUA(con, uacontext.Options{Table: table})
	ua.SetMode(mode)
	ua.Batch = batch
	fmt.Fprintf(&con.log, "* %s\n", line)
	err := ua.Execute(context.Background(), line)
	return con.log.String(), err
}

func TestRestoreSmoke(t *testing.T) {
	if os.Getenv("RESTORE_SMOKE") == "" {
		t.Skip("RESTORE_SMOKE not set")
	}
	cat := newRestoreSample()
	out, err := dialog(t, cat, apimode.Off, false, "restore", "5", "2", "ls", "cd /etc", "mark *", "lsmark", "count", "estimate", "done", "yes")
	t.Log(out, err)
	_ = filepath.Join
	_ = cmp.Diff
}
