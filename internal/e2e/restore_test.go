package e2e

import (
	"runtime"
	"strings"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/uaformat/uaformat/bsock"
)

// wireConsole is a console on a raw connection that answers the
// daemon's questions.
type wireConsole struct {
	t *testing.T
	c *bsock.Conn
}

// say sends a line and reads until the daemon waits again: the end of
// the answer (BNET_EOD in mode 0, BNET_MAIN_PROMPT in the API modes) or
// a prompt (BNET_SUB_PROMPT, or the text after BNET_TEXT_INPUT). It
// returns the data received.
func (w *wireConsole) say(line string) string {
	w.t.Helper()
	if err := w.c.Send([]byte(line)); err != nil {
		w.t.Fatalf("send %q: %v", line, err)
	}
	var b strings.Builder
	textInput := false
	for {
		p, err := w.c.Recv()
		if err != nil {
			w.t.Fatalf("after %q: %v (so far %q)", line, err, b.String())
		}
		switch {
		case !p.IsSignal():
			b.Write(p.Data)
			if textInput {
				return b.String()
			}
		case p.Signal == bsock.EOD, p.Signal == bsock.MainPrompt, p.Signal == bsock.SubPrompt:
			return b.String()
		case p.Signal == bsock.TextInput:
			textInput = true
		}
	}
}

// expect says line and checks that the answer contains want.
func (w *wireConsole) expect(line, want string) string {
	w.t.Helper()
	got := w.say(line)
	if !strings.Contains(got, want) {
		w.t.Fatalf("%q: answer does not contain %q:\n%s", line, want, got)
	}
	return got
}

// restoreJobs counts the restore jobs in the catalog.
func restoreJobs(t *testing.T, d *daemon) int {
	w := &wireConsole{t, login(t, d.raw(t), bsock.DefaultConsoleName, rootPassword)}
	w.say(".api 2 compact=yes")
	doc := w.say("list jobs jobtype=R")
	return len(gjson.Get(doc, "result.jobs").Array())
}

// TestRestoreOverTheWire runs restore dialogues against the demo daemon
// over TCP: the interactive tree mode in mode 0, the scripted form in
// ".api 2", and a console that disconnects in the middle of the tree,
// which changes nothing.
func TestRestoreOverTheWire(t *testing.T) {
	base := runtime.NumGoroutine()
	t.Cleanup(func() { awaitGoroutines(t, base) }) // runs after the daemon's cleanup
	d := startDaemon(t)
	before := restoreJobs(t, d)

	w := &wireConsole{t, login(t, d.raw(t), bsock.DefaultConsoleName, rootPassword)}
	w.expect("restore", "Select item:  (1-13): ")
	w.expect("5", "Select the Client (1-6): ")
	w.expect("2", "cwd is: /\n$ ")
	w.expect("cd /etc", "cwd is: /etc/")
	w.expect("mark hosts", "1 file newly marked.")
	w.expect("lsmark", "*hosts")
	w.expect("done", "OK to run? (yes/mod/no): ")
	out := w.expect("yes", "Job queued. JobId=")
	id := strings.TrimSpace(out[strings.Index(out, "JobId=")+len("JobId="):])
	list := w.expect("list jobs jobid="+id, "RestoreFiles")
	if !strings.Contains(list, "| R ") {
		t.Errorf("the restore job is not of type R:\n%s", list)
	}

	j := &wireConsole{t, login(t, d.raw(t), bsock.DefaultConsoleName, rootPassword)}
	j.say(".api 2 compact=yes")
	doc := j.say("restore client=web01-fd select all done yes")
	if jobid := gjson.Get(doc, "result.run.jobid").String(); jobid == "" {
		t.Errorf("restore in .api 2: no run.jobid in %s", doc)
	}
	// In batch mode the Director's run does not ask "OK to run?": the
	// job is queued without yes too.
	doc = j.say("restore client=web01-fd select all done")
	if gjson.Get(doc, "result.run.jobid").String() == "" {
		t.Errorf("restore without yes in .api 2: %s", doc)
	}
	// But the selection prompts fail: without client= nothing happens.
	doc = j.say("restore select all done yes")
	if gjson.Get(doc, "result.run").Exists() || gjson.Get(doc, "error.data.messages.error").String() == "" {
		t.Errorf("restore with a client prompt in .api 2: %s", doc)
	}

	// A console that goes away in the tree mode changes nothing.
	g := &wireConsole{t, login(t, d.raw(t), bsock.DefaultConsoleName, rootPassword)}
	g.expect("restore client=web01-fd select", "$ ")
	g.expect("mark *", "files newly marked.")
	g.c.Close()

	if got := restoreJobs(t, d); got != before+3 {
		t.Errorf("%d restore jobs after the dialogues, want %d", got, before+3)
	}
}
