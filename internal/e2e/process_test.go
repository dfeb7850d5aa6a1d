package e2e

import (
	"bytes"
	"context"
	"net"
	"os/exec"
	"testing"
	"time"

	"github.com/uaformat/uaformat/console"
)

// freeAddr returns a loopback address whose port was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startProcess starts the daemon binary bin with args, which make it
// listen on addr, and logs in to it with opts once it answers (within 30
// seconds). The process is killed when the test ends; its standard error
// is in the failure message if it does not answer.
func startProcess(ctx context.Context, t *testing.T, addr string, opts console.Options, bin string, args ...string) (*exec.Cmd, *console.Client) {
	t.Helper()
	daemon := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	daemon.Stderr = &stderr
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		daemon.Process.Kill()
		daemon.Wait()
	})
	for deadline := time.Now().Add(30 * time.Second); ; {
		c, err := console.Dial(ctx, addr, opts)
		if err == nil {
			t.Cleanup(func() { c.Close() })
			return daemon, c
		}
		if time.Now().After(deadline) {
			t.Fatalf("the daemon does not answer: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
