package dircmd_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/tlspsk"
	"github.com/uaformat/uaformat/uacontext"
)

// TestStatusDirectorListsConsoles connects three consoles to a server,
// at distinct times of the server's clock, and checks that status
// director lists each with its connect time (not the catalog's clock),
// and that a console that left is no longer listed.
func TestStatusDirectorListsConsoles(t *testing.T) {
	var mu sync.Mutex
	clock := time.Date(2030, 5, 6, 7, 8, 0, 0, time.Local)
	srv := &uacontext.Server{
		DefaultKey: bsock.PasswordKey("pw"),
		Table:      sampleTable,
		FailDelay:  -1,
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(time.Minute)
			return clock
		},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var conns []*bsock.Conn
	for i := range 3 {
		nc, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		var conn net.Conn = nc
		if i == 1 { // the second console over TLS-PSK
			conn = tlspsk.Client(nc, &tlspsk.Config{Identity: "R_CONSOLE\x1e*UserAgent*", Key: []byte(bsock.PasswordKey("pw")), MaxVersion: tlspsk.VersionTLS12})
		}
		c := bsock.NewConn(conn)
		defer c.Close()
		if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Password: "pw", TLS: i == 1}); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
	}
	// The client's login ends when it reads the Director's OK; the server
	// registers the session right after sending it.
	sessions := srv.Sessions()
	for deadline := time.Now().Add(10 * time.Second); len(sessions) != 3 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
		sessions = srv.Sessions()
	}
	if len(sessions) != 3 {
		t.Fatalf("Sessions = %+v, want 3", sessions)
	}
	if sessions[1].Encryption != "ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2" {
		t.Errorf("the TLS session's Encryption = %q", sessions[1].Encryption)
	}
	want := func(ss []uacontext.SessionInfo) string {
		var b strings.Builder
		b.WriteString("\nRunning Jobs:\n")
		for _, s := range ss {
			b.WriteString("Console connected at " + s.Connected.Format("02-Jan-06 15:04") + "\n")
			if s.Encryption != "" {
				b.WriteString(" Encryption: " + s.Encryption + "\n")
			}
		}
		return b.String()
	}
	if got := statusText(t, conns[1]); !strings.Contains(got, want(sessions)+"No Jobs running.\n") {
		t.Errorf("status director:\n%s\nwant the consoles:\n%s", got, want(sessions))
	}
	conns[0].Close()
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.Sessions()) != 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if got := statusText(t, conns[2]); !strings.Contains(got, want(sessions[1:])+"No Jobs running.\n") {
		t.Errorf("status director after a console left:\n%s", got)
	}
}

// statusText runs status director in mode 0 and returns the text up to
// the EOD.
func statusText(t *testing.T, c *bsock.Conn) string {
	t.Helper()
	if err := c.Send([]byte("status director")); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for {
		p, err := c.Recv()
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		if p.Signal == bsock.EOD {
			return b.String()
		}
		b.Write(p.Data)
	}
}
