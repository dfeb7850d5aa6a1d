package fuzz

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/uaformat/uaformat/bsock"
)

// streamConn is a net.Conn that reads a fixed byte stream, handing it out
// in pieces of varying sizes, and records what is written to it.
// Deadlines are accepted and ignored: reads never block.
type streamConn struct {
	mu     sync.Mutex
	in     []byte
	chunks []byte // piece sizes, cycled (0 counts as 1)
	n      int
	out    bytes.Buffer
	closed bool
}

func newStreamConn(in, chunks []byte) *streamConn {
	return &streamConn{in: in, chunks: chunks}
}

func (c *streamConn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	if len(c.in) == 0 {
		return 0, io.EOF
	}
	k := len(p)
	if len(c.chunks) > 0 {
		k = min(k, max(1, int(c.chunks[c.n%len(c.chunks)])))
		c.n++
	}
	k = copy(p[:k], c.in)
	c.in = c.in[k:]
	return k, nil
}

func (c *streamConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return 0, net.ErrClosed
	}
	return c.out.Write(p)
}

func (c *streamConn) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

func (c *streamConn) written() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.out.Bytes())
}

func (c *streamConn) LocalAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9101}
}
func (c *streamConn) RemoteAddr() net.Addr {
	return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}
}
func (c *streamConn) SetDeadline(time.Time) error      { return nil }
func (c *streamConn) SetReadDeadline(time.Time) error  { return nil }
func (c *streamConn) SetWriteDeadline(time.Time) error { return nil }

// frame returns a data packet on the wire.
func frame(payload string) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(payload)))
	return append(b, payload...)
}

// signalFrame returns a signal packet on the wire.
func signalFrame(s bsock.Signal) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(int32(s)))
}

// allocSlack is the allocation, beyond a small multiple of the input
// length, that one parse may make: a 64 KiB first payload buffer, the
// 8 KiB read buffer, and the rest of the machinery. A reader that trusted
// a hostile length header (up to 1 MB, or 2 GB) would exceed it.
const allocSlack = 512 << 10

// allocated returns the bytes allocated by fn (process-wide, so a little
// noise from the fuzzing engine is included; allocSlack covers it).
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wirePacket is one packet of a model parse of a byte stream.
type wirePacket struct {
	data   []byte
	signal int32
}

// modelFrames parses a packet stream independently of bsock: the packets
// up to the first error and the error the reader must report then.
func modelFrames(b []byte) ([]wirePacket, error) {
	var out []wirePacket
	for {
		if len(b) == 0 {
			return out, io.EOF
		}
		if len(b) < 4 {
			return out, bsock.ErrTruncated
		}
		n := int32(binary.BigEndian.Uint32(b))
		b = b[4:]
		switch {
		case n < 0:
			out = append(out, wirePacket{signal: n})
			if bsock.Signal(n) == bsock.Terminate {
				return out, bsock.ErrTerminated
			}
			continue
		case n > bsock.MaxPacket:
			return out, bsock.ErrTooBig
		case int(n) > len(b):
			return out, bsock.ErrTruncated
		}
		out = append(out, wirePacket{data: b[:n]})
		b = b[n:]
	}
}

// FuzzFrameReader feeds a byte stream, in pieces of fuzzed sizes, to
// bsock.Conn.Recv and compares the packets and the final error with an
// independent parse. Allocation stays proportional to the input, whatever
// the length headers announce.
func FuzzFrameReader(f *testing.F) {
	f.Fuzz(func(t *testing.T, stream, chunks []byte) {
		want, wantErr := modelFrames(stream)
		var got []wirePacket
		var err error
		alloc := allocated(func() {
			c := bsock.NewConn(newStreamConn(stream, chunks))
			for {
				var p bsock.Packet
				p, err = c.Recv()
				if err != nil {
					if p.IsSignal() {
						got = append(got, wirePacket{signal: int32(p.Signal)})
					}
					break
				}
				if len(got) > len(want) {
					break
				}
				got = append(got, wirePacket{data: p.Data, signal: int32(p.Signal)})
			}
			// A broken stream stays broken: another Recv fails as well.
			// (BNET_TERMINATE leaves the stream in step: what follows it
			// can still be read.)
			if _, err2 := c.Recv(); err2 == nil && !errors.Is(err, bsock.ErrTerminated) {
				t.Errorf("Recv after %v succeeded", err)
			}
		})
		if !errors.Is(err, wantErr) {
			t.Fatalf("final error %v, want %v", err, wantErr)
		}
		if len(got) != len(want) {
			t.Fatalf("%d packets, want %d", len(got), len(want))
		}
		for i := range want {
			if got[i].signal != want[i].signal || !bytes.Equal(got[i].data, want[i].data) {
				t.Fatalf("packet %d: got %d/%.40q, want %d/%.40q", i, got[i].signal, got[i].data, want[i].signal, want[i].data)
			}
			if want[i].signal == 0 && got[i].data == nil {
				t.Fatalf("packet %d: nil Data for a data packet", i)
			}
		}
		if limit := uint64(8*len(stream)) + allocSlack; alloc > limit {
			t.Fatalf("allocated %d bytes for a %d-byte stream (limit %d)", alloc, len(stream), limit)
		}
	})
}

// checkErrText requires an error message to be valid UTF-8 and bounded:
// a constant plus the input quoted once (%q writes at most 4 bytes per
// input byte). The parsers quote the whole offending input; the golden
// package cuts such quotes at 40 bytes, which would keep log lines short
// (suggested to the lead), so the bound allows the quote for now.
func checkErrText(t *testing.T, err error, inputLen int) {
	t.Helper()
	if err == nil {
		return
	}
	msg := err.Error()
	if len(msg) > 2048+4*inputLen {
		t.Fatalf("error message of %d bytes for %d bytes of input: %.200q...", len(msg), inputLen, msg)
	}
	if !utf8.ValidString(msg) {
		t.Fatalf("error message is not valid UTF-8: %q", msg)
	}
}

// FuzzParseHello checks bsock.ParseHello: no panic, errors wrap
// ErrBadHello, and an accepted Hello is consistent.
func FuzzParseHello(f *testing.F) {
	f.Fuzz(func(t *testing.T, p []byte) {
		var h bsock.Hello
		var err error
		alloc := allocated(func() { h, err = bsock.ParseHello(p) })
		if limit := uint64(16*len(p)) + 64<<10; alloc > limit {
			t.Fatalf("ParseHello of %d bytes allocated %d bytes", len(p), alloc)
		}
		checkErrText(t, err, len(p))
		if err != nil {
			if !errors.Is(err, bsock.ErrBadHello) {
				t.Fatalf("ParseHello(%q): error %v does not wrap ErrBadHello", p, err)
			}
			return
		}
		if len(p) < bsock.MinHelloLen || len(p) > bsock.MaxHelloLen {
			t.Fatalf("ParseHello accepted %d bytes", len(p))
		}
		// The reference's scanner lets a blank in the pattern match no
		// blank at all ("Hello0 calling0" is a Hello) and splits tokens at
		// single spaces (so a name can be empty), but a Hello always
		// starts with "Hello", and ^A in the name is turned into spaces.
		if !bytes.HasPrefix(p, []byte("Hello")) {
			t.Fatalf("ParseHello accepted %q", p)
		}
		if len(h.Name) > bsock.MaxHelloLen || strings.ContainsAny(h.Name, "\x00\x01") {
			t.Fatalf("ParseHello(%q): name %q", p, h.Name)
		}
		if (h.Version >= 1802) != (h.Protocol == bsock.Proto182) || (h.Protocol != bsock.Proto182 && h.Protocol != bsock.Proto124) {
			t.Fatalf("ParseHello(%q): version %d with protocol %v", p, h.Version, h.Protocol)
		}
		if h.Version < 0 {
			t.Fatalf("ParseHello(%q): version %d", p, h.Version)
		}
	})
}

// FuzzParseChallenge checks bsock.ParseChallenge and ChallengeName: no
// panic, errors wrap ErrBadChallenge, an accepted challenge is one
// non-blank word, and the answer can be computed for it.
func FuzzParseChallenge(f *testing.F) {
	f.Fuzz(func(t *testing.T, p []byte) {
		var ch bsock.Challenge
		var err error
		alloc := allocated(func() { ch, err = bsock.ParseChallenge(p) })
		if limit := uint64(16*len(p)) + 64<<10; alloc > limit {
			t.Fatalf("ParseChallenge of %d bytes allocated %d bytes", len(p), alloc)
		}
		checkErrText(t, err, len(p))
		if err != nil {
			if !errors.Is(err, bsock.ErrBadChallenge) {
				t.Fatalf("ParseChallenge(%q): error %v does not wrap ErrBadChallenge", p, err)
			}
			return
		}
		// %s of the reference's scanner may match nothing, so the text may
		// be empty ("authcram-md5" is accepted), but it never holds blanks.
		if strings.ContainsAny(ch.Text, " \t\n\v\f\r\x00") {
			t.Fatalf("ParseChallenge(%q): text %q", p, ch.Text)
		}
		if !bytes.Contains(p, []byte(ch.Text)) {
			t.Fatalf("ParseChallenge(%q): text %q not in the input", p, ch.Text)
		}
		name, err := bsock.ChallengeName(ch.Text)
		checkErrText(t, err, len(ch.Text))
		if err != nil && !errors.Is(err, bsock.ErrBadChallenge) {
			t.Fatalf("ChallengeName(%q): error %v does not wrap ErrBadChallenge", ch.Text, err)
		}
		if err == nil && !strings.Contains(ch.Text, name) {
			t.Fatalf("ChallengeName(%q) = %q", ch.Text, name)
		}
		std, bar := bsock.CramAnswers(bsock.PasswordKey("secret"), ch.Text)
		if std == "" || bar == "" {
			t.Fatalf("CramAnswers for %q: %q %q", ch.Text, std, bar)
		}
	})
}

// Handshake fixtures: a deterministic server (zero random bytes, fixed
// clock) so that seed streams can carry the right answers.
const (
	hsDirector = "fuzz-dir"
	hsPassword = "secret"
	hsAdminPW  = "adminpw"
	hsWebuiPW  = "webuipw" // console "webui" also requires a PAM login
	hsPAMUser  = "alice"
	hsPAMPW    = "alicepw"
)

var hsNow = time.Unix(1700000000, 0)

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func hsConfig() bsock.ServerConfig {
	return bsock.ServerConfig{
		DirectorName: hsDirector,
		Version:      "25.0.0",
		Date:         "21 August 2026",
		Banner:       "fuzz director",
		Lookup: func(name string) (string, bool) {
			switch name {
			case bsock.DefaultConsoleName:
				return bsock.PasswordKey(hsPassword), true
			case "admin":
				return bsock.PasswordKey(hsAdminPW), true
			case "webui":
				return bsock.PasswordKey(hsWebuiPW), true
			}
			return "", false
		},
		RequirePAM: func(name string) bool { return name == "webui" },
		VerifyPAM: func(ctx context.Context, console, user, password string) (string, error) {
			if user == hsPAMUser && password == hsPAMPW {
				return user, nil
			}
			return "", errors.New("wrong PAM credentials")
		},
		StepTimeout: time.Second,
		Rand:        zeroReader{},
		Now:         func() time.Time { return hsNow },
	}
}

// hsChallenge is the challenge the fixture server sends.
var hsChallenge = bsock.NewChallenge(0, hsNow.Unix(), "R_DIRECTOR::"+hsDirector)

// clientStream returns the bytes a console sends for a whole login
// against the fixture server, given the password it uses.
func clientStream(hello, password string, compat bool) []byte {
	key := bsock.PasswordKey(password)
	std, bar := bsock.CramAnswers(key, hsChallenge)
	answer := bar
	if compat {
		answer = std
	}
	kw := "cram-md5"
	if compat {
		kw = "cram-md5c"
	}
	var b []byte
	b = append(b, frame(hello)...)
	b = append(b, frame(answer+"\x00")...)
	b = append(b, frame("auth "+kw+" <1234567890.1700000000@console> ssl=0\n")...)
	b = append(b, frame("1000 OK auth\n")...)
	return b
}

// checkServerOutput requires the server's bytes to be whole, well-formed
// packets.
func checkServerOutput(t *testing.T, out []byte) []wirePacket {
	t.Helper()
	pk, err := modelFrames(out)
	if !errors.Is(err, io.EOF) && !errors.Is(err, bsock.ErrTerminated) {
		t.Fatalf("server output is not whole packets (%v): %.200q", err, out)
	}
	for _, p := range pk {
		if p.signal != 0 && !bsock.Signal(p.signal).Known() {
			t.Fatalf("server sent undefined signal %d", p.signal)
		}
		if len(p.data) > bsock.MaxPayload {
			t.Fatalf("server sent a %d-byte packet", len(p.data))
		}
	}
	return pk
}

// FuzzServerHandshake runs the Director side of the login against a
// hostile console's byte stream: no panic, no hang, bounded allocation,
// errors that say what failed, whole packets on the wire, and a login only
// for a console that gave the right answer.
func FuzzServerHandshake(f *testing.F) {
	f.Fuzz(func(t *testing.T, stream, chunks []byte) {
		conn := newStreamConn(stream, chunks)
		var login bsock.Login
		var err error
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		alloc := allocated(func() {
			login, err = bsock.ServerHandshake(ctx, bsock.NewConn(conn), hsConfig())
		})
		checkErrText(t, err, len(stream))
		if limit := uint64(16*len(stream)) + allocSlack; alloc > limit {
			t.Fatalf("allocated %d bytes for a %d-byte stream (limit %d)", alloc, len(stream), limit)
		}
		checkServerOutput(t, conn.written())
		if err != nil {
			known := []error{bsock.ErrBadHello, bsock.ErrUnknownConsole, bsock.ErrAuthFailed,
				io.EOF, bsock.ErrTruncated, bsock.ErrTooBig, bsock.ErrTerminated, bsock.ErrClosed, net.ErrClosed}
			for _, k := range known {
				if errors.Is(err, k) {
					return
				}
			}
			t.Fatalf("error %v wraps none of the documented errors", err)
		}
		// Success: the console answered the challenge, so its stream starts
		// with a Hello for a known console.
		pk, _ := modelFrames(stream)
		if len(pk) < 4 {
			t.Fatalf("login %+v after %d packets", login, len(pk))
		}
		h, herr := bsock.ParseHello(pk[0].data)
		if herr != nil || h.Name != login.Console || h.Protocol != login.Protocol {
			t.Fatalf("login %+v, hello %+v (%v)", login, h, herr)
		}
		pw := hsPassword
		switch login.Console {
		case "admin":
			pw = hsAdminPW
		case "webui":
			pw = hsWebuiPW
			if login.PAMUser != hsPAMUser {
				t.Fatalf("PAM console logged in as %q", login.PAMUser)
			}
		case bsock.DefaultConsoleName:
		default:
			t.Fatalf("login as unknown console %q", login.Console)
		}
		if login.Console != "webui" && login.PAMUser != "" {
			t.Fatalf("login %+v with a PAM user", login)
		}
		std, bar := bsock.CramAnswers(bsock.PasswordKey(pw), hsChallenge)
		if a := string(bytes.TrimRight(pk[1].data, "\x00")); !strings.HasPrefix(a, std) && !strings.HasPrefix(a, bar) {
			t.Fatalf("login %+v with answer %q", login, pk[1].data)
		}
	})
}

// FuzzClientHandshake runs the console side of the login against a
// hostile Director's byte stream: no panic, bounded allocation, and
// errors that say what failed.
func FuzzClientHandshake(f *testing.F) {
	f.Fuzz(func(t *testing.T, stream, chunks []byte) {
		conn := newStreamConn(stream, chunks)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		var err error
		alloc := allocated(func() {
			_, err = bsock.ClientHandshake(ctx, bsock.NewConn(conn), bsock.ClientConfig{
				Password: hsPassword, Rand: zeroReader{}, Now: func() time.Time { return hsNow },
			})
		})
		checkErrText(t, err, len(stream))
		if limit := uint64(16*len(stream)) + allocSlack; alloc > limit {
			t.Fatalf("allocated %d bytes for a %d-byte stream (limit %d)", alloc, len(stream), limit)
		}
		checkServerOutput(t, conn.written())
		if err == nil {
			// Success needs the Director's answer to our challenge.
			if !bytes.Contains(stream, []byte("1000")) {
				t.Fatalf("login without a 1000 message: %q", stream)
			}
		}
	})
}

// TestHandshakeFixtures checks that the recorded logins of the seed corpus
// reach the success path of both handshake targets, so the fuzzer starts
// from complete logins, and that a wrong password fails.
func TestHandshakeFixtures(t *testing.T) {
	tests := []struct {
		name string
		cfg  bsock.ClientConfig
		ok   bool
	}{
		{"default-18.2", bsock.ClientConfig{Password: hsPassword}, true},
		{"default-12.4", bsock.ClientConfig{Password: hsPassword, Protocol: bsock.Proto124}, true},
		{"admin", bsock.ClientConfig{Name: "admin", Password: hsAdminPW}, true},
		{"wrong-pw", bsock.ClientConfig{Name: "admin", Password: "x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fromClient, fromServer := recordLogin(t, tt.cfg)
			conn := newStreamConn(fromClient, nil)
			login, err := bsock.ServerHandshake(context.Background(), bsock.NewConn(conn), hsConfig())
			if (err == nil) != tt.ok {
				t.Fatalf("ServerHandshake on the recorded stream: %+v, %v", login, err)
			}
			// (A failed login's client hangs up early, so the recording may
			// miss the server's last lines.)
			if tt.ok && !bytes.Equal(conn.written(), fromServer) {
				t.Errorf("replayed server output differs from the recorded one:\n%q\n%q", conn.written(), fromServer)
			}
			cfg := tt.cfg
			cfg.Rand, cfg.Now = zeroReader{}, func() time.Time { return hsNow }
			_, err = bsock.ClientHandshake(context.Background(), bsock.NewConn(newStreamConn(fromServer, nil)), cfg)
			if (err == nil) != tt.ok {
				t.Fatalf("ClientHandshake on the recorded stream: %v", err)
			}
		})
	}
	c := clientStream("Hello admin calling version 25.0.0\n", hsAdminPW, true)
	if _, err := bsock.ServerHandshake(context.Background(), bsock.NewConn(newStreamConn(c, nil)), hsConfig()); err != nil {
		t.Errorf("compat login: %v", err)
	}
}
