package uacontext

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
)

func TestMessageQueue(t *testing.T) {
	var q MessageQueue
	if q.Pending() || q.Drain() != nil {
		t.Fatal("zero queue not empty")
	}
	long := strings.Repeat("x", 2500)
	q.Post("a\nb\n")
	q.Post("c-no-newline")
	q.Post(long + "\n")
	q.Post("nul\x00hidden\n")
	if !q.Pending() {
		t.Fatal("not pending")
	}
	want := []string{"a\n", "b\n", "c-no-newline" + long[:1999-12], long[:2500-1999+12] + "\n", "nul"}
	if diff := cmp.Diff(want, q.Drain()); diff != "" {
		t.Errorf("Drain (-want +got):\n%s", diff)
	}
	if q.Pending() {
		t.Error("pending after Drain")
	}

	small := MessageQueue{MaxBytes: 10}
	small.Post("one\ntwo\n")
	small.Post("three\n")
	if diff := cmp.Diff([]string{"two\n", "three\n"}, small.Drain()); diff != "" {
		t.Errorf("bounded queue (-want +got):\n%s", diff)
	}
	small.Post(strings.Repeat("y", 25))
	if got := small.Drain(); len(got) != 1 || got[0] != strings.Repeat("y", 10) {
		t.Errorf("oversized post: %q", got)
	}
	var nilq *MessageQueue
	nilq.Post("x")
	if nilq.Pending() || nilq.Drain() != nil {
		t.Error("nil queue")
	}
}

func TestRedactedLine(t *testing.T) {
	got := redactedLine(ParseArgs(`configure add console name=c password=secret X=1 Password="a b"`))
	want := "configure add console name=c password=*** X=1 Password=***"
	if got != want {
		t.Errorf("redactedLine = %q, want %q", got, want)
	}
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func listen(t *testing.T) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return ln
}

func dialTCP(t *testing.T, addr string, name, password string) *client {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c := bsock.NewConn(nc)
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
	if _, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{Name: name, Password: password}); err != nil {
		t.Fatalf("login: %v", err)
	}
	return &client{t: t, c: c}
}

func TestServeGracefulShutdown(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	srv := testServer()
	logs := &syncBuffer{}
	srv.Log = slog.New(slog.NewTextHandler(logs, nil))
	srv.Table = DefaultTable()
	srv.Table.Add(Command{Name: "slow", Handler: func(_ context.Context, ua *UA) error {
		close(started)
		<-release
		ua.Send.KVString("slow", null, "done", "%s\n")
		return nil
	}})
	ln := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, ln) }()

	idle := dialTCP(t, ln.Addr().String(), "", rootPassword)
	busy := dialTCP(t, ln.Addr().String(), "restricted", "pw")
	idle.run([]step{{"whoami", []string{"root\n", EOD}}})
	busy.run([]step{{".api 1", []string{OK, "api: 1\n", MP}}})

	// "slow" is not in the restricted console's Command ACL.
	busy.run([]step{{"slow", []string{EMSG, "slow: is an invalid command.\n", MP}}})
	// The default console may run it.
	if err := idle.c.Send([]byte("slow")); err != nil {
		t.Fatal(err)
	}
	<-started
	cancel()
	// The idle API-mode session ends at once.
	if got := busy.read(); !cmp.Equal(got, []string{EOF}) {
		t.Errorf("idle session after shutdown: %q", got)
	}
	close(release)
	// The running command finishes and its answer is complete.
	if got := idle.read(); !cmp.Equal(got, []string{"done\n", EOD}) {
		t.Errorf("running command after shutdown: %q", got)
	}
	if got := idle.read(); !cmp.Equal(got, []string{EOF}) {
		t.Errorf("after the last answer: %q", got)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("listener still accepting")
	}
	out := logs.String()
	for _, want := range []string{"console logged in", "console=restricted", "command=whoami", "console session ended"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, rootPassword) || strings.Contains(out, bsock.PasswordKey(rootPassword)) {
		t.Errorf("log contains a password or key:\n%s", out)
	}
}

func TestServeAuthTimeout(t *testing.T) {
	srv := testServer()
	srv.AuthTimeout = time.Millisecond
	a, b := net.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeConn(context.Background(), a)
	}()
	// The client never sends its Hello; the server gives up and closes.
	_, err := io.ReadAll(b)
	<-done
	if err != nil && !errors.Is(err, io.ErrClosedPipe) {
		t.Errorf("read after auth timeout: %v", err)
	}
}

func TestServeAcceptError(t *testing.T) {
	ln := listen(t)
	ln.Close()
	err := (&Server{}).Serve(context.Background(), ln)
	if err == nil || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Serve on closed listener = %v", err)
	}
}

// TestSessionTooBigPacket runs Session over a pipe without login.
func TestSessionTooBigPacket(t *testing.T) {
	a, b := net.Pipe()
	defer b.Close()
	sc := bsock.NewConn(a)
	ua := NewUA(sc, Options{})
	errc := make(chan error, 1)
	go func() { errc <- Session(context.Background(), sc, ua); a.Close() }()
	// A header announcing more than MaxPacket bytes ends the session.
	if _, err := b.Write([]byte{0x00, 0x0f, 0x42, 0x41}); err != nil {
		t.Fatal(err)
	}
	if err := <-errc; !errors.Is(err, bsock.ErrTooBig) {
		t.Errorf("Session = %v, want ErrTooBig", err)
	}
	if ua.Mode() != apimode.Off {
		t.Error("mode changed")
	}
}
