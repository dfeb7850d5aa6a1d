package uacontext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strconv"
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
	cmdErr := make(chan error, 1)
	srv := testServer()
	logs := &syncBuffer{}
	// Command lines are logged at debug level only.
	srv.Log = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv.Table = DefaultTable()
	srv.Table.Add(Command{Name: "slow", Handler: func(ctx context.Context, ua *UA) error {
		close(started)
		<-release
		// A graceful shutdown does not cancel a running command.
		cmdErr <- ctx.Err()
		ua.Formatter().KVString("slow", null, "done", "%s\n")
		return nil
	}})
	ln := listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

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
	shut := make(chan error, 1)
	go func() { shut <- srv.Shutdown(context.Background()) }()
	// The idle API-mode session ends at once, with the Director's
	// termination signal.
	if got := busy.read(); !cmp.Equal(got, []string{TERM}) {
		t.Errorf("idle session after shutdown: %q", got)
	}
	// Serve returns at once; Shutdown waits for the running command.
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve = %v, want ErrServerClosed", err)
	}
	select {
	case err := <-shut:
		t.Fatalf("Shutdown returned (%v) while a command was running", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	// The running command finishes and its answer is complete.
	if got := idle.read(); !cmp.Equal(got, []string{"done\n", EOD}) {
		t.Errorf("running command after shutdown: %q", got)
	}
	if got := idle.read(); !cmp.Equal(got, []string{TERM}) {
		t.Errorf("after the last answer: %q", got)
	}
	if got := idle.read(); !cmp.Equal(got, []string{EOF}) {
		t.Errorf("after BNET_TERMINATE: %q", got)
	}
	if err := <-cmdErr; err != nil {
		t.Errorf("the running command's context ended with the graceful shutdown: %v", err)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown = %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("listener still accepting")
	}
	if err := srv.Serve(listen(t)); !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve after Shutdown = %v", err)
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

// TestShutdownGraceExpires shuts down with a command that does not finish
// in time: when Shutdown's context ends, the connection is closed, the
// command's context is canceled, and Shutdown returns the context's error.
func TestShutdownGraceExpires(t *testing.T) {
	started := make(chan struct{})
	cmdErr := make(chan error, 1)
	srv := testServer()
	srv.Table = DefaultTable()
	srv.Table.Add(Command{Name: "slow", Handler: func(ctx context.Context, ua *UA) error {
		close(started)
		<-ctx.Done()
		cmdErr <- context.Cause(ctx)
		return ctx.Err()
	}})
	ln := listen(t)
	go srv.Serve(ln)
	cl := dialTCP(t, ln.Addr().String(), "", rootPassword)
	if err := cl.c.Send([]byte("slow")); err != nil {
		t.Fatal(err)
	}
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want DeadlineExceeded", err)
	}
	if err := <-cmdErr; !errors.Is(err, ErrServerClosed) {
		t.Errorf("command context cause = %v, want ErrServerClosed", err)
	}
	// The console is told that its answer was cut.
	if got := cl.read(); !cmp.Equal(got, []string{CutMessage, TERM}) {
		t.Errorf("after the forced close: %q", got)
	}
}

// TestCloseDoesNotWaitForHungCommand runs a handler that ignores its
// context: Close must return at once, close the console's connection and
// end Serve; the handler keeps only its own goroutine.
func TestCloseDoesNotWaitForHungCommand(t *testing.T) {
	started := make(chan struct{})
	hang := make(chan struct{})
	defer close(hang)
	srv := testServer()
	srv.Table = DefaultTable()
	srv.Table.Add(Command{Name: "hung", Handler: func(context.Context, *UA) error {
		close(started)
		<-hang // ignores its context
		return nil
	}})
	ln := listen(t)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	cl := dialTCP(t, ln.Addr().String(), "", rootPassword)
	if err := cl.c.Send([]byte("hung")); err != nil {
		t.Fatal(err)
	}
	<-started
	closed := make(chan error, 1)
	go func() { closed <- srv.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close waits for a hung command")
	}
	if got := cl.read(); !cmp.Equal(got, []string{CutMessage, TERM}) {
		t.Errorf("console after Close: %q", got)
	}
	if err := <-served; !errors.Is(err, ErrServerClosed) {
		t.Errorf("Serve = %v, want ErrServerClosed", err)
	}
}

// TestDisconnectCancelsCommand runs a command that blocks until its
// context ends (as a catalog call does) and closes the console's
// connection: the command's context must end, with the disconnect as
// its cause, and the session must end.
func TestDisconnectCancelsCommand(t *testing.T) {
	for _, how := range []string{"close", "terminate"} {
		t.Run(how, func(t *testing.T) {
			started := make(chan struct{})
			cmdErr := make(chan error, 1)
			srv := testServer()
			srv.Table = DefaultTable()
			srv.Table.Add(Command{Name: "block", Handler: func(ctx context.Context, ua *UA) error {
				close(started)
				select {
				case <-ctx.Done():
					cmdErr <- context.Cause(ctx)
					return fmt.Errorf("catalog: %w", ctx.Err())
				case <-time.After(30 * time.Second):
					cmdErr <- nil
					return nil
				}
			}})
			ln := listen(t)
			go srv.Serve(ln)
			defer srv.Close()
			cl := dialTCP(t, ln.Addr().String(), "", rootPassword)
			if err := cl.c.Send([]byte("block")); err != nil {
				t.Fatal(err)
			}
			<-started
			if how == "terminate" {
				cl.c.Signal(bsock.Terminate)
			} else {
				cl.c.Close()
			}
			if err := <-cmdErr; !errors.Is(err, errConsoleGone) {
				t.Errorf("command context cause = %v, want the console's disconnect", err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				t.Errorf("the session did not end after the disconnect: Shutdown = %v", err)
			}
		})
	}
}

// TestPipelinedCommand sends a second command while the first runs: the
// read-ahead must keep it for the next turn, not treat it as a
// disconnect.
func TestPipelinedCommand(t *testing.T) {
	release := make(chan struct{})
	srv := testServer()
	srv.Table = DefaultTable()
	srv.Table.Add(Command{Name: "wait", Handler: func(ctx context.Context, ua *UA) error {
		select {
		case <-release:
		case <-ctx.Done():
			return ctx.Err()
		}
		ua.Formatter().KVString("wait", null, "done", "%s\n")
		return nil
	}})
	ln := listen(t)
	go srv.Serve(ln)
	defer srv.Close()
	cl := dialTCP(t, ln.Addr().String(), "", rootPassword)
	if err := cl.c.Send([]byte("wait")); err != nil {
		t.Fatal(err)
	}
	if err := cl.c.Send([]byte("whoami")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond) // let the read-ahead take "whoami"
	close(release)
	if got := cl.read(); !cmp.Equal(got, []string{"done\n", EOD}) {
		t.Errorf("first answer: %q", got)
	}
	if got := cl.read(); !cmp.Equal(got, []string{"root\n", EOD}) {
		t.Errorf("pipelined answer: %q", got)
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
	err := (&Server{}).Serve(ln)
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

// TestCloseTellsCutCommand: a console whose running command Close cuts
// is told so in its API mode before BNET_TERMINATE, unless part of a
// JSON answer went out already (then only BNET_TERMINATE).
func TestCloseTellsCutCommand(t *testing.T) {
	cutJSON := `{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{},"messages":{"error":[` +
		strconv.Quote(CutMessage) + `]}}}}`
	for _, tt := range []struct {
		name, api, cmd string
		want           []string
	}{
		{"mode 1", ".api 1", "slow", []string{CB, EMSG, CutMessage, FAIL, TERM}},
		{"mode 2", ".api 2 compact=yes", "slow", []string{CB, FAIL, cutJSON, TERM}},
		{"mode 2, answer begun", ".api 2 compact=yes", "partial", []string{CB, "{", TERM}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			started := make(chan struct{})
			srv := testServer()
			srv.Table = DefaultTable()
			srv.Table.Add(Command{Name: "slow", Handler: func(ctx context.Context, ua *UA) error {
				close(started)
				<-ctx.Done()
				return ctx.Err()
			}}, Command{Name: "partial", Handler: func(ctx context.Context, ua *UA) error {
				ua.SendPacket([]byte("{"))
				close(started)
				<-ctx.Done()
				return ctx.Err()
			}})
			ln := listen(t)
			go srv.Serve(ln)
			cl := dialTCP(t, ln.Addr().String(), "", rootPassword) // buffered, unlike a pipe
			cl.do(tt.api)
			if err := cl.c.Send([]byte(tt.cmd)); err != nil {
				t.Fatal(err)
			}
			<-started
			srv.Close()
			if got := cl.read(); !cmp.Equal(got, tt.want) {
				t.Errorf("after Close: %q, want %q", got, tt.want)
			}
		})
	}
}
