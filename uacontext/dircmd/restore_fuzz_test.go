package dircmd_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// runDialog runs a restore dialogue on a fresh session. dropAt > 0
// breaks the connection at that packet (sends fail from then on).
func runDialog(t testing.TB, cat dircmd.Catalog, mode apimode.Mode, dropAt int, line string, answers []string) (*scripted, error) {
	t.Helper()
	con := &scripted{answers: answers, dropAt: dropAt}
	table := uacontext.NewTable(uacontext.Builtins()...)
	table.Add(dircmd.Commands(cat, dircmd.Options{Now: func() time.Time { return restoreNow }})...)
	ua := uacontext.NewUA(con, uacontext.Options{Table: table})
	ua.SetMode(mode)
	ua.Batch = mode == apimode.JSON
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := ua.Execute(ctx, line)
	if ctx.Err() != nil {
		t.Fatalf("%q: the dialogue did not end", line)
	}
	return con, err
}

// checkRestoreState checks that the restore left the sample either
// unchanged or with one complete restore job that the console was told
// about.
func checkRestoreState(t testing.TB, cat *restoreSample, con *scripted, err error) {
	t.Helper()
	if errors.Is(err, uacontext.ErrPanic) {
		t.Fatalf("the restore panicked:\n%s", con.log.String())
	}
	switch len(cat.queued) {
	case 0:
		return
	case 1:
	default:
		t.Fatalf("%d jobs queued", len(cat.queued))
	}
	q := cat.queued[0]
	if q.Job != "RestoreFiles" || q.Type != dircmd.JobTypeRestore || len(q.RestoreJobIDs) == 0 || q.Files == 0 || q.BackupClient == "" {
		t.Fatalf("incomplete restore job queued: %+v", q)
	}
	if con.dropAt == 0 && !strings.Contains(con.log.String(), "Job queued. JobId=") && !strings.Contains(con.log.String(), `\"jobid\": \"100`) {
		t.Fatalf("a job was queued but the console was not told:\n%s", con.log.String())
	}
}

// TestRestoreBrokenAtEveryStep ends two dialogues at every answer (the
// console disconnects) and at every packet (the connection breaks while
// sending): the command always ends, and no restore job is queued unless
// the last question was answered.
func TestRestoreBrokenAtEveryStep(t *testing.T) {
	before := runtime.NumGoroutine()
	for _, fl := range restoreFlows[:2] {
		for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
			full, _ := runDialog(t, newRestoreSample(), mode, 0, fl.line, fl.answers)
			for k := 0; k < len(fl.answers); k++ {
				cat := newRestoreSample()
				con, err := runDialog(t, cat, mode, 0, fl.line, fl.answers[:k])
				checkRestoreState(t, cat, con, err)
				if len(cat.queued) != 0 {
					t.Errorf("%s mode %d: a job was queued after %d of %d answers", fl.name, mode, k, len(fl.answers))
				}
			}
			for drop := 1; drop <= full.pkts; drop++ {
				cat := newRestoreSample()
				con, err := runDialog(t, cat, mode, drop, fl.line, fl.answers)
				checkRestoreState(t, cat, con, err)
				// Only a connection that broke after the final "yes" was read
				// may see the job queued.
				if len(cat.queued) != 0 && len(con.answers) != 0 {
					t.Errorf("%s mode %d: a job was queued with the connection broken at packet %d of %d", fl.name, mode, drop, full.pkts)
				}
			}
		}
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}

// FuzzRestoreDialogue runs restore with a fuzzed command line and fuzzed
// answers (including cancels, signals, and an early disconnect or a
// broken connection) in every API mode.
func FuzzRestoreDialogue(f *testing.F) {
	for _, fl := range restoreFlows {
		f.Add(uint8(0), fl.line, strings.Join(fl.answers, "\n"))
	}
	f.Add(uint8(1), "restore", "5\n\x00signal:poll\n2\nmark *\n.\nmod\n10\n/x\nyes")
	f.Add(uint8(2), "restore jobid=38 client=web01-fd", "cd ..\nmark **/*.conf\ndone")
	f.Fuzz(func(t *testing.T, ctl uint8, line, script string) {
		if len(line) > 300 || len(script) > 2000 || !strings.HasPrefix(line, "restore") {
			return
		}
		var answers []string
		if script != "" {
			answers = strings.Split(script, "\n")
		}
		if len(answers) > 60 {
			return
		}
		for i, a := range answers {
			if a == "signal" {
				answers[i] = "\x00signal:poll"
			}
		}
		mode := apimode.Mode(ctl % 3)
		dropAt := 0
		if ctl&0x80 != 0 {
			dropAt = int(ctl>>2&0x1f) + 1
		}
		before := runtime.NumGoroutine()
		cat := newRestoreSample()
		con, err := runDialog(t, cat, mode, dropAt, line, answers)
		checkRestoreState(t, cat, con, err)
		if after := runtime.NumGoroutine(); after > before {
			t.Fatalf("%d goroutines before, %d after", before, after)
		}
	})
}

// BenchmarkRestoreBigDir restores everything of the default sample's
// bareos-fd (its Full holds /var/lib/bigdir/ with 100,000 files):
// selection, a tree of about 100,000 nodes, bootstrap and job.
func BenchmarkRestoreBigDir(b *testing.B) {
	cat := &restoreSample{Director: sampledir.New(sampledir.Options{Now: func() time.Time { return restoreNow }})}
	b.ReportAllocs()
	for range b.N {
		cat.queued = nil
		con, err := runDialog(b, cat, apimode.Off, 0, "restore client=bareos-fd fileset=SelfTest select all done yes", nil)
		if err != nil || len(cat.queued) != 1 || cat.queued[0].Files < 100000 {
			b.Fatalf("restore failed (%v, %d jobs):\n%s", err, len(cat.queued), con.log.String())
		}
	}
}
