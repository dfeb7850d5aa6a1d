package bsock

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fixedRand yields the same 4 bytes forever: 0x499602D2 = 1234567890.
type fixedRand struct{}

func (fixedRand) Read(p []byte) (int, error) {
	b := []byte{0x49, 0x96, 0x02, 0xD2}
	for i := range p {
		p[i] = b[i%4]
	}
	return len(p), nil
}

func fixedNow() time.Time { return time.Unix(1_700_000_000, 0) }

func testServerConfig() ServerConfig {
	keys := map[string]string{
		DefaultConsoleName: PasswordKey("secret"),
		"admin":            PasswordKey("adminpw"),
		"upper":            strings.ToUpper(PasswordKey("upperpw")), // used as written
		"my console":       PasswordKey("spaced"),
	}
	return ServerConfig{
		DirectorName: "bareos-dir",
		Version:      "25.0.0",
		Date:         "21 August 2026",
		Banner:       "Banner line",
		Lookup:       func(n string) (string, bool) { k, ok := keys[n]; return k, ok },
		Rand:         fixedRand{},
		Now:          fixedNow,
	}
}

type serverResult struct {
	login Login
	err   error
}

// startServer runs ServerHandshake on one end of a pipe and returns the
// other end wrapped in a Conn.
func startServer(t *testing.T, cfg ServerConfig) (*Conn, <-chan serverResult) {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	res := make(chan serverResult, 1)
	go func() {
		l, err := ServerHandshake(context.Background(), NewConn(a), cfg)
		res <- serverResult{l, err}
	}()
	c := NewConn(b)
	// Safety net: a broken implementation fails instead of hanging.
	_ = c.SetDeadline(time.Now().Add(20 * time.Second))
	return c, res
}

// expect reads one packet and compares it with want (a string for data,
// a Signal for signals).
func expect(t *testing.T, c *Conn, want any) {
	t.Helper()
	p, err := c.Recv()
	if err != nil && !errors.Is(err, ErrTerminated) {
		t.Fatalf("Recv: %v (want %q)", err, want)
	}
	switch w := want.(type) {
	case string:
		if p.IsSignal() || string(p.Data) != w {
			t.Fatalf("got %s, want %q", describe(p), w)
		}
	case Signal:
		if p.Signal != w {
			t.Fatalf("got %s, want %v", describe(p), w)
		}
	}
}

func expectEOF(t *testing.T, c *Conn) {
	t.Helper()
	if p, err := c.Recv(); err != io.EOF {
		t.Fatalf("got %s, %v; want io.EOF", describe(p), err)
	}
}

func send(t *testing.T, c *Conn, s string) {
	t.Helper()
	if err := c.Send([]byte(s)); err != nil {
		t.Fatal(err)
	}
}

const (
	dirChal    = "<1234567890.1700000000@R_DIRECTOR::bareos-dir>"
	dirChalMsg = "auth cram-md5 " + dirChal + " ssl=0\n"
	uaChal     = "<1234567890.1700000000@*UserAgent*>"
)

// TestServerTranscript replays the python-bareos login of spec §11 and
// checks every byte the server sends.
func TestServerTranscript(t *testing.T) {
	tests := []struct {
		name     string
		hello    string
		response []string
		proto    Protocol
		version  int
	}{
		{"18.2", "Hello *UserAgent* calling version 18.2.5\n", []string{
			"1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)",
			"1002\x1eBanner line\nYou are connected using the default console",
		}, Proto182, 1802},
		{"12.4", "Hello *UserAgent* calling\n", []string{
			"1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: None\n",
		}, Proto124, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, res := startServer(t, testServerConfig())
			send(t, c, tt.hello)
			expect(t, c, dirChalMsg)
			send(t, c, "wGRS45MJwQ/T0h/dbx/WSA")
			expect(t, c, "1000 OK auth\n")
			send(t, c, "auth cram-md5 "+uaChal+" ssl=0\n")
			expect(t, c, "PTUM09/FhF+f78EoVE/l/D\x00")
			send(t, c, "1000 OK auth\n")
			for _, r := range tt.response {
				expect(t, c, r)
			}
			r := <-res
			if r.err != nil {
				t.Fatal(r.err)
			}
			want := Login{Console: DefaultConsoleName, Protocol: tt.proto, HelloVersion: tt.version}
			if diff := cmp.Diff(want, r.login); diff != "" {
				t.Errorf("Login (-want +got):\n%s", diff)
			}
		})
	}
}

func TestServerNamedConsoleAndTruncatedOK(t *testing.T) {
	cfg := testServerConfig()
	cfg.DirectorName = strings.Repeat("d", 90)
	c, res := startServer(t, cfg)
	send(t, c, "Hello admin calling version 25.0.0\n")
	p, err := c.Recv()
	if err != nil {
		t.Fatal(err)
	}
	ch, err := ParseChallenge(p.Data)
	if err != nil {
		t.Fatal(err)
	}
	key := PasswordKey("adminpw")
	_, bar := CramAnswers(key, ch.Text)
	send(t, c, bar+"\x00") // bconsole style, with NUL
	expect(t, c, "1000 OK auth\n")
	own := "<42.1700000000@R_CONSOLE::admin>"
	send(t, c, "auth cram-md5 "+own+" ssl=0\n")
	_, want := CramAnswers(key, own)
	expect(t, c, want+"\x00")
	send(t, c, "1000 OK auth\n")
	okText := ("OK: " + cfg.DirectorName + " Version: 25.0.0 (21 August 2026)")[:99]
	expect(t, c, "1000\x1e"+okText)
	expect(t, c, "1002\x1eBanner line\nYou are logged in as: admin")
	if r := <-res; r.err != nil || r.login.Console != "admin" {
		t.Fatalf("server: %+v", r)
	}
}

// TestServerAcceptsAnswerVariants checks the accepted forms of the
// console's answer to the Director's challenge.
func TestServerAcceptsAnswerVariants(t *testing.T) {
	std, bar := CramAnswers(PasswordKey("secret"), dirChal)
	tests := []struct {
		name, answer string
		ok           bool
	}{
		{"bareos variant (python)", bar, true},
		{"bareos variant + NUL (bconsole)", bar + "\x00", true},
		{"standard (php)", std, true},
		{"standard + NUL", std + "\x00", true},
		{"text after NUL ignored", bar + "\x00garbage", true},
		{"padded standard", std + "==", false},
		{"with newline", bar + "\n", false},
		{"truncated", bar[:21], false},
		{"empty", "", false},
		{"other password", Base64Bareos(cramDigest(PasswordKey("Secret"), dirChal)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, res := startServer(t, testServerConfig())
			send(t, c, "Hello *UserAgent* calling version 18.2.5\n")
			expect(t, c, dirChalMsg)
			send(t, c, tt.answer)
			if tt.ok {
				expect(t, c, "1000 OK auth\n")
				return
			}
			expect(t, c, "1999 Authorization failed.\n")
			expect(t, c, "1999 Authorization failed.\n")
			expectEOF(t, c)
			if r := <-res; !errors.Is(r.err, ErrAuthFailed) {
				t.Errorf("server error %v, want ErrAuthFailed", r.err)
			}
		})
	}
}

// TestServerWrongPassword checks the refusal sequence of both generations.
func TestServerWrongPassword(t *testing.T) {
	for _, tt := range []struct {
		hello string
		tail  []string
	}{
		{"Hello *UserAgent* calling version 18.2.5\n", nil},
		{"Hello *UserAgent* calling\n", []string{"1999 You are not authorized.\n"}},
	} {
		c, res := startServer(t, testServerConfig())
		send(t, c, tt.hello)
		expect(t, c, dirChalMsg)
		send(t, c, Base64Bareos(cramDigest(PasswordKey("wrong"), dirChal)))
		expect(t, c, "1999 Authorization failed.\n")
		expect(t, c, "1999 Authorization failed.\n")
		for _, s := range tt.tail {
			expect(t, c, s)
		}
		expectEOF(t, c)
		if r := <-res; !errors.Is(r.err, ErrAuthFailed) {
			t.Errorf("%q: server error %v, want ErrAuthFailed", tt.hello, r.err)
		}
	}
}

// TestServerStepB covers the console's challenge to the Director.
func TestServerStepB(t *testing.T) {
	key := PasswordKey("secret")
	std, bar := CramAnswers(key, uaChal)
	tests := []struct {
		name      string
		line      string
		answer    string   // expected Director answer ("" = none)
		verdict   string   // what the console replies
		after     []string // what the Director sends next
		wantErr   error
		finalInfo bool
	}{
		{name: "cram-md5", line: "auth cram-md5 " + uaChal + " ssl=0\n", answer: bar + "\x00",
			verdict: "1000 OK auth\n", finalInfo: true},
		{name: "cram-md5 without ssl", line: "auth cram-md5 " + uaChal + "\n", answer: bar + "\x00",
			verdict: "1000 OK auth\n", finalInfo: true},
		{name: "cram-md5c", line: "auth cram-md5c " + uaChal + " ssl=0\n", answer: std + "\x00",
			verdict: "1000 OK auth\n", finalInfo: true},
		{name: "php ssl=1 and big numbers", line: "auth cram-md5 <9999999999.1700000000@php-bsock> ssl=1\n",
			answer:  Base64Bareos(cramDigest(key, "<9999999999.1700000000@php-bsock>")) + "\x00",
			verdict: "1000 OK auth\n", finalInfo: true},
		{name: "verdict with NUL", line: "auth cram-md5 " + uaChal + " ssl=0\n", answer: bar + "\x00",
			verdict: "1000 OK auth\n\x00", finalInfo: true},
		{name: "console rejects", line: "auth cram-md5 " + uaChal + " ssl=0\n", answer: bar + "\x00",
			verdict: "1999 Authorization failed.\n", after: []string{"1999 Authorization failed.\n"}, wantErr: ErrAuthFailed},
		{name: "unparsable line", line: "auth md5 " + uaChal + "\n",
			after: []string{"1999 Authorization failed.\n", "1999 Authorization failed.\n"}, wantErr: ErrBadChallenge},
		{name: "bad shape", line: "auth cram-md5 <x.y@z> ssl=0\n",
			after: []string{"1999 Authorization failed.\n"}, wantErr: ErrBadChallenge},
		{name: "replay", line: "auth cram-md5 " + dirChal + " ssl=0\n",
			after: []string{"1999 Authorization failed.\n"}, wantErr: ErrReplay},
		{name: "tls required", line: "auth cram-md5 " + uaChal + " ssl=2\n", answer: bar + "\x00",
			verdict: "1000 OK auth\n", wantErr: ErrAuthFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, res := startServer(t, testServerConfig())
			send(t, c, "Hello *UserAgent* calling version 18.2.5\n")
			expect(t, c, dirChalMsg)
			send(t, c, bar[:0]+Base64Bareos(cramDigest(key, dirChal)))
			expect(t, c, "1000 OK auth\n")
			send(t, c, tt.line)
			if tt.answer != "" {
				expect(t, c, tt.answer)
				send(t, c, tt.verdict)
			}
			for _, s := range tt.after {
				expect(t, c, s)
			}
			if tt.finalInfo {
				expect(t, c, "1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)")
				expect(t, c, "1002\x1eBanner line\nYou are connected using the default console")
			} else {
				expectEOF(t, c)
			}
			r := <-res
			if tt.wantErr == nil && r.err != nil || tt.wantErr != nil && !errors.Is(r.err, tt.wantErr) {
				t.Errorf("server error %v, want %v", r.err, tt.wantErr)
			}
		})
	}
}

func TestServerUnknownConsole(t *testing.T) {
	c, res := startServer(t, testServerConfig())
	send(t, c, "Hello nobody calling version 25.0.0\n")
	expect(t, c, Terminate)
	expectEOF(t, c)
	if r := <-res; !errors.Is(r.err, ErrUnknownConsole) {
		t.Errorf("server error %v, want ErrUnknownConsole", r.err)
	}
}

func TestServerMalformedHello(t *testing.T) {
	for _, in := range [][]byte{
		packet("Hallo *UserAgent* calling\n"),
		packet("Hello *UserAgent* calling version 25\n"),
		packet("Hi\n"),
		header(0),
		header(-1),
		header(5000),
	} {
		c, res := startServer(t, testServerConfig())
		if _, err := c.NetConn().Write(in); err != nil {
			t.Fatal(err)
		}
		expect(t, c, Terminate)
		expectEOF(t, c)
		if r := <-res; !errors.Is(r.err, ErrBadHello) {
			t.Errorf("%q: server error %v, want ErrBadHello", in, r.err)
		}
	}
}

// TestServerRefusesTLSGracefully checks that a TLS ClientHello is answered
// with an orderly end of stream (FIN), not a reset, even though the
// server did not read all of it.
func TestServerRefusesTLSGracefully(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	res := make(chan error, 1)
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			res <- err
			return
		}
		_, err = ServerHandshake(context.Background(), NewConn(nc), testServerConfig())
		res <- err
	}()
	nc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// More than any read buffer takes in at once, so that unread bytes are
	// still queued in the kernel when the server decides to close.
	hello := append([]byte{0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03}, make([]byte, 100_000)...)
	go func() { _, _ = nc.Write(hello) }()
	_ = nc.SetReadDeadline(time.Now().Add(20 * time.Second))
	buf := make([]byte, 64)
	n, err := nc.Read(buf)
	if n != 0 || err != io.EOF {
		t.Errorf("client read %d bytes %x, err %v; want a clean EOF", n, buf[:n], err)
	}
	if err := <-res; !errors.Is(err, ErrNotCleartext) || !errors.Is(err, ErrBadHello) {
		t.Errorf("server error %v, want ErrNotCleartext and ErrBadHello", err)
	}
}

func TestServerContextCancel(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	ctx, cancel := context.WithCancel(context.Background())
	res := make(chan error, 1)
	go func() {
		_, err := ServerHandshake(ctx, NewConn(a), testServerConfig())
		res <- err
	}()
	cancel()
	if err := <-res; !errors.Is(err, context.Canceled) {
		t.Errorf("ServerHandshake after cancel = %v, want context.Canceled", err)
	}
}

func TestServerUsesConstantTimeCompare(t *testing.T) {
	calls := 0
	orig := equalSecret
	equalSecret = func(a, b []byte) bool { calls++; return orig(a, b) }
	defer func() { equalSecret = orig }()
	c, res := startServer(t, testServerConfig())
	send(t, c, "Hello *UserAgent* calling version 18.2.5\n")
	expect(t, c, dirChalMsg)
	send(t, c, "wGRS45MJwQ/T0h/dbx/WSA")
	expect(t, c, "1000 OK auth\n")
	c.Close()
	<-res
	if calls == 0 {
		t.Error("the answer was not compared with equalSecret")
	}
}

// TestClientServer runs ClientHandshake against ServerHandshake.
func TestClientServer(t *testing.T) {
	tests := []struct {
		name, console, password string
		key                     string
		proto                   Protocol
		wantProto               Protocol
		wantInfo                string
	}{
		{"default auto", "", "secret", "", ProtoAuto, Proto182, "Banner line\nYou are connected using the default console"},
		{"default 18.2", DefaultConsoleName, "secret", "", Proto182, Proto182, "Banner line\nYou are connected using the default console"},
		{"default 12.4", "", "secret", "", Proto124, Proto124, ""},
		{"named 18.2", "admin", "adminpw", "", Proto182, Proto182, "Banner line\nYou are logged in as: admin"},
		{"named with space 12.4", "my console", "spaced", "", Proto124, Proto124, ""},
		// An "[md5]HEX" key is used as written, upper case included.
		{"upper-case md5 key", "upper", "", strings.ToUpper(PasswordKey("upperpw")), Proto182, Proto182, "Banner line\nYou are logged in as: upper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			res := make(chan serverResult, 1)
			go func() {
				l, err := ServerHandshake(context.Background(), NewConn(a), testServerConfig())
				res <- serverResult{l, err}
			}()
			info, err := ClientHandshake(context.Background(), NewConn(b),
				ClientConfig{Name: tt.console, Password: tt.password, Key: tt.key, Protocol: tt.proto})
			if err != nil {
				t.Fatal(err)
			}
			r := <-res
			if r.err != nil {
				t.Fatal(r.err)
			}
			wantConsole := tt.console
			if wantConsole == "" {
				wantConsole = DefaultConsoleName
			}
			if r.login.Console != wantConsole || r.login.Protocol != tt.wantProto {
				t.Errorf("Login = %+v", r.login)
			}
			want := ServerInfo{Protocol: tt.wantProto, Info: tt.wantInfo,
				DirectorName: "bareos-dir", Version: "25.0.0", Date: "21 August 2026",
				Message: "OK: bareos-dir Version: 25.0.0 (21 August 2026)"}
			if tt.wantProto == Proto124 {
				want.Message += " --  Encryption: None\n"
			}
			if diff := cmp.Diff(want, info); diff != "" {
				t.Errorf("ServerInfo (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClientServerFailures(t *testing.T) {
	tests := []struct {
		name, console, password string
		proto                   Protocol
		serverErr               error
		clientErrs              []error
	}{
		{"wrong password 18.2", "", "nope", Proto182, ErrAuthFailed, []error{ErrAuthFailed}},
		{"wrong password 12.4", "", "nope", Proto124, ErrAuthFailed, []error{ErrAuthFailed}},
		{"unknown console", "ghost", "x", Proto182, ErrUnknownConsole, []error{ErrAuthFailed, ErrTerminated}},
		// The Director keeps an "[md5]HEX" key as written: the lower-case
		// MD5 of the right password does not match an upper-case key.
		{"upper-case key, lower-case answer", "upper", "upperpw", Proto182, ErrAuthFailed, []error{ErrAuthFailed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			res := make(chan serverResult, 1)
			go func() {
				l, err := ServerHandshake(context.Background(), NewConn(a), testServerConfig())
				res <- serverResult{l, err}
			}()
			_, err := ClientHandshake(context.Background(), NewConn(b),
				ClientConfig{Name: tt.console, Password: tt.password, Protocol: tt.proto})
			for _, want := range tt.clientErrs {
				if !errors.Is(err, want) {
					t.Errorf("client error %v, want %v", err, want)
				}
			}
			b.Close() // let the server finish its refusal
			if r := <-res; !errors.Is(r.err, tt.serverErr) {
				t.Errorf("server error %v, want %v", r.err, tt.serverErr)
			}
		})
	}
}

// fakeDirector scripts the Director side for client tests.
func fakeDirector(t *testing.T, script func(c *Conn)) *Conn {
	t.Helper()
	a, b := net.Pipe()
	t.Cleanup(func() { a.Close(); b.Close() })
	go func() {
		c := NewConn(a)
		script(c)
	}()
	return NewConn(b)
}

func TestClientChecksDirector(t *testing.T) {
	key := PasswordKey("secret")
	recvText := func(c *Conn) string { p, _ := c.Recv(); return string(p.Data) }

	t.Run("wrong director answer", func(t *testing.T) {
		verdict := make(chan string, 1)
		c := fakeDirector(t, func(d *Conn) {
			recvText(d) // hello
			_ = d.Send([]byte(dirChalMsg))
			recvText(d)
			_ = d.Send([]byte("1000 OK auth\n"))
			recvText(d) // console challenge
			_ = d.Send([]byte("AAAAAAAAAAAAAAAAAAAAAA\x00"))
			verdict <- recvText(d)
		})
		_, err := ClientHandshake(context.Background(), c, ClientConfig{Password: "secret"})
		if !errors.Is(err, ErrAuthFailed) {
			t.Errorf("client error %v, want ErrAuthFailed", err)
		}
		if v := <-verdict; v != "1999 Authorization failed.\n" {
			t.Errorf("client verdict %q", v)
		}
	})

	t.Run("python behaviour", func(t *testing.T) {
		type seen struct{ hello, answer, chal string }
		got := make(chan seen, 1)
		c := fakeDirector(t, func(d *Conn) {
			var s seen
			s.hello = recvText(d)
			_ = d.Send([]byte(dirChalMsg))
			s.answer = recvText(d)
			_ = d.Send([]byte("1000 OK auth\n"))
			s.chal = recvText(d)
			ch, _ := ParseChallenge([]byte(s.chal))
			std, _ := CramAnswers(key, ch.Text)
			_ = d.Send([]byte(std)) // standard encoding, no NUL: python accepts it
			recvText(d)
			_ = d.Send([]byte("1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: None\n"))
			got <- s
		})
		info, err := ClientHandshake(context.Background(), c, ClientConfig{Password: "secret", Protocol: Proto124})
		if err != nil {
			t.Fatal(err)
		}
		s := <-got
		if s.hello != "Hello *UserAgent* calling\n" {
			t.Errorf("hello %q", s.hello)
		}
		if s.answer != "wGRS45MJwQ/T0h/dbx/WSA" {
			t.Errorf("answer %q, want the Bareos variant without NUL", s.answer)
		}
		ch, err := ParseChallenge([]byte(s.chal))
		if err != nil || ch.Compatible || ch.SSL != 0 || !strings.HasSuffix(s.chal, " ssl=0\n") {
			t.Errorf("challenge line %q: %+v %v", s.chal, ch, err)
		}
		if name, err := ChallengeName(ch.Text); err != nil || name != DefaultConsoleName {
			t.Errorf("challenge name %q %v", name, err)
		}
		if info.DirectorName != "bareos-dir" || info.Protocol != Proto124 {
			t.Errorf("info %+v", info)
		}
	})

	t.Run("not authorized instead of challenge", func(t *testing.T) {
		c := fakeDirector(t, func(d *Conn) {
			recvText(d)
			_ = d.Send([]byte("1999 You are not authorized.\n"))
		})
		_, err := ClientHandshake(context.Background(), c, ClientConfig{Password: "secret"})
		if !errors.Is(err, ErrAuthFailed) {
			t.Errorf("client error %v, want ErrAuthFailed", err)
		}
	})
}
