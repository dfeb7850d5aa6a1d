package fuzz

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
)

// sessionPassword is the default console's password of the fuzzed daemon.
const sessionPassword = "secret"

// sessionServer returns the demo Director with a deterministic login
// challenge and a small catalog, and a console configuration with an
// ACL-restricted console.
func sessionServer(tb testing.TB) *uacontext.Server {
	tb.Helper()
	srv, err := demo.NewServer(demo.Config{
		Password:    sessionPassword,
		CatalogSize: 6,
		ConfigText: `Console {
  Name = limited
  Password = "limitedpw"
  TLS Enable = no # the scripted sessions log in without TLS
  Command ACL = *all*, !status
  Job ACL = BackupClient1
  Client ACL = bareos-fd
  Pool ACL = Full
  TLS Enable = no   # the fuzzed stream is the cleartext protocol
}
`,
		AuthTimeout:  5 * time.Second,
		WriteTimeout: 5 * time.Second,
	})
	if err != nil {
		tb.Fatal(err)
	}
	srv.Rand = zeroReader{}
	srv.Now = func() time.Time { return hsNow }
	return srv
}

// sessionLogin is what a console sends to log in to sessionServer as the
// default console (the challenge is deterministic, so the answer is
// fixed).
func sessionLogin(name, password string) []byte {
	chal := bsock.NewChallenge(0, hsNow.Unix(), "R_DIRECTOR::"+sampledir.Name)
	_, bar := bsock.CramAnswers(bsock.PasswordKey(password), chal)
	var b []byte
	b = append(b, frame(bsock.HelloText(name, bsock.Proto182, "25.0.0"))...)
	b = append(b, frame(bar)...)
	b = append(b, frame("auth cram-md5 <1234567890.1700000000@console> ssl=0\n")...)
	b = append(b, frame("1000 OK auth\n")...)
	return b
}

// FuzzDaemonSession logs in to the demo Director (the default console, or
// an ACL-restricted one, chosen by the first byte) and feeds it the rest
// of the input as the session's packet stream: command lines, signals,
// hostile headers, anything. The daemon must not panic, must end the
// session when the stream ends, must send only whole, well-formed packets,
// and must not allocate beyond what its answers need.
func FuzzDaemonSession(f *testing.F) {
	srv := sessionServer(f)
	logins := [2][]byte{sessionLogin("", sessionPassword), sessionLogin("limited", "limitedpw")}
	f.Fuzz(func(t *testing.T, who byte, stream []byte) {
		in := append(bytes.Clone(logins[who&1]), stream...)
		conn := newStreamConn(in, nil)
		done := make(chan struct{})
		go func() {
			defer close(done)
			srv.ServeConn(context.Background(), conn)
		}()
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			t.Fatalf("the session did not end after the stream ended (stream %q)", stream)
		}
		out := conn.written()
		pk, err := modelFrames(out)
		if !errors.Is(err, io.EOF) && !errors.Is(err, bsock.ErrTerminated) {
			t.Fatalf("daemon output is not whole packets (%v) for stream %q", err, stream)
		}
		if len(pk) < 4 {
			t.Fatalf("login failed: %q", out)
		}
		for _, p := range pk {
			if p.signal != 0 && !bsock.Signal(p.signal).Known() {
				t.Fatalf("daemon sent undefined signal %d", p.signal)
			}
			if len(p.data) > bsock.MaxPayload {
				t.Fatalf("daemon sent a %d-byte packet", len(p.data))
			}
		}
	})
}

// TestSessionLogin checks that the fixed login of FuzzDaemonSession gets
// in, so that the fuzzer starts inside a session.
func TestSessionLogin(t *testing.T) {
	srv := sessionServer(t)
	for _, who := range []struct{ name, pw, want string }{{"", sessionPassword, "root\n"}, {"limited", "limitedpw", "limited\n"}} {
		conn := newStreamConn(append(sessionLogin(who.name, who.pw), frame("whoami")...), nil)
		srv.ServeConn(context.Background(), conn)
		out := conn.written()
		if !bytes.Contains(out, []byte(who.want)) {
			t.Errorf("login as %q: whoami not answered: %q", who.name, out)
		}
	}
}
