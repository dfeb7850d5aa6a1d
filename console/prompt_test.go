package console_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/internal/demo"
)

// demoDirector serves the demo Director on loopback for the test.
func demoDirector(t *testing.T) string {
	t.Helper()
	srv, err := demo.NewServer(demo.Config{Password: "secret", CatalogSize: 60, RunDuration: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("server did not stop")
		}
	})
	return ln.Addr().String()
}

func TestPromptsModes(t *testing.T) {
	addr := demoDirector(t)
	ctx := context.Background()
	for _, mode := range []string{"", ".api 1"} {
		c, err := console.Dial(ctx, addr, console.Options{Password: "secret", Timeout: 10 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		if mode != "" {
			if _, err := c.Call(ctx, mode); err != nil {
				t.Fatal(err)
			}
		}
		out, err := c.Call(ctx, "run job=BackupClient1")
		if err != nil {
			t.Fatal(err)
		}
		p, waiting := c.Waiting()
		if !waiting || p.Text != "OK to run? (yes/mod/no): " || !strings.Contains(out, "JobName:  BackupClient1") {
			t.Fatalf("%q: waiting=%v prompt=%+v out=%q", mode, waiting, p, out)
		}
		// A selection list: items are known in API mode 1.
		pkts, err := c.Answer(ctx, "mod")
		if err != nil {
			t.Fatal(err)
		}
		p, waiting = c.Waiting()
		if !waiting || p.Text != "Select parameter to modify (1-10): " {
			t.Fatalf("%q: after mod: %+v (%d packets)", mode, p, len(pkts))
		}
		if mode != "" && (!p.Select || len(p.Items) != 10 || p.Items[0] != "Level" || p.Header != "Parameters to modify:\n") {
			t.Errorf("%q: selection: %+v", mode, p)
		}
		// The rest by script; the last answer runs the job.
		if _, err := c.Answer(ctx, "7"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Answer(ctx, ""); err != nil { // now
			t.Fatal(err)
		}
		more, err := c.Call(ctx, "yes") // Call answers a pending question too
		if err != nil {
			t.Fatal(err)
		}
		if _, waiting := c.Waiting(); waiting || !strings.Contains(more, "Job queued. JobId=") {
			t.Errorf("%q: after yes: waiting=%v %q", mode, waiting, more)
		}
		if _, err := c.Answer(ctx, "x"); !errors.Is(err, console.ErrNotWaiting) {
			t.Errorf("answer without a question: %v", err)
		}
	}
}

func TestConverse(t *testing.T) {
	addr := demoDirector(t)
	ctx := context.Background()
	c, err := console.Dial(ctx, addr, console.Options{Password: "secret", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var asked []string
	script := console.Answers("mod", "1", "1", "yes")
	pkts, err := c.Converse(ctx, "run job=backup-web01", func(p console.Prompt) (string, error) {
		asked = append(asked, p.Text)
		return script(p)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"OK to run? (yes/mod/no): ", "Select parameter to modify (1-10): ", "Select level (1-5): ", "OK to run? (yes/mod/no): "}
	if strings.Join(asked, "|") != strings.Join(want, "|") {
		t.Errorf("asked %q, want %q", asked, want)
	}
	var text strings.Builder
	for _, p := range pkts {
		text.Write(p.Data)
	}
	if !strings.Contains(text.String(), "Level:    Full") || !strings.Contains(text.String(), "Job queued. JobId=61") {
		t.Errorf("conversation:\n%s", text.String())
	}

	// Answers that run out cancel the question; the error comes back
	// after the command ended, and the session goes on.
	_, err = c.Converse(ctx, "run job=backup-web01", console.Answers("mod"))
	if !errors.Is(err, console.ErrNoMoreAnswers) {
		t.Errorf("exhausted answers: %v", err)
	}
	if _, waiting := c.Waiting(); waiting {
		t.Error("still waiting after the canceled conversation")
	}
	if out, err := c.Call(ctx, "whoami"); err != nil || out != "root\n" {
		t.Errorf("whoami after the conversation: %q, %v", out, err)
	}
}

// python-bareos's DirectorConsole reads an answer until BNET_SUB_PROMPT:
// the prompt ends Call in mode 0, with the prompt text last.
func TestPromptEndsCallLikePython(t *testing.T) {
	addr := demoDirector(t)
	ctx := context.Background()
	c, err := console.Dial(ctx, addr, console.Options{Password: "secret", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	out, err := c.Call(ctx, "delete jobid=1-40")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(out, "Are you sure you want to delete 39 JobIds ? (yes/no): ") {
		t.Errorf("answer does not end with the prompt: %q", out)
	}
	if out, err := c.Call(ctx, "no"); err != nil || out != "" {
		t.Errorf("no: %q, %v", out, err)
	}
}
