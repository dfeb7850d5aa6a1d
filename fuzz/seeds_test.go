package fuzz

import (
	"bytes"
	"context"
	"encoding/binary"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/fuzz/internal/program"
	"github.com/uaformat/uaformat/golden"
	"github.com/uaformat/uaformat/internal/calls"
)

var writeSeeds = flag.Bool("seeds", false, "rewrite the golden-derived seed corpora in testdata/fuzz")

// oracleDir holds the golden call scripts the formatter seeds come from.
var oracleDir = filepath.Join("..", "golden", "testdata", "oracle")

// programTargets are the fuzz targets whose input is a Program.
var programTargets = []string{"FuzzFormatter", "FuzzFormatterReuse", "FuzzFormatterTree"}

// corpusFile returns the text of a corpus file holding one []byte value.
func corpusFile(data []byte) []byte {
	return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", data)
}

// checkSeed compares the corpus file at path with data, or writes it with
// -seeds.
func checkSeed(t *testing.T, path string, data []byte) {
	t.Helper()
	want := corpusFile(data)
	if *writeSeeds {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fuzz -run TestSeed -seeds)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is out of date (run go test ./fuzz -run TestSeed -seeds)", path)
	}
}

// TestSeedFormatterCorpus checks that every golden oracle case, encoded as
// a Program, replays to exactly the oracle's packets (so the encoding and
// the call-surface dispatch are faithful), and that the encoded case is in the seed
// corpus of every Program target.
func TestSeedFormatterCorpus(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(oracleDir, "*.calls"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no oracle cases in %s", oracleDir)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".calls")
		t.Run(name, func(t *testing.T) {
			s, err := golden.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			p, err := program.FromScript(s)
			if err != nil {
				t.Fatal(err)
			}
			data := p.Encode()
			q := program.Decode(data)
			if q.String() != p.String() {
				t.Fatalf("the encoded program decodes differently:\n%s\nwant:\n%s", q, p)
			}
			rec := &recorder{fail: q.SendFails}
			var sent [][]byte
			f := formatter.New(rec, formatter.Options{Mode: q.Mode, Compact: q.Compact})
			target := calls.New(f)
			for i := range q.Calls {
				q.Calls[i].Do(target)
				sent = append(sent, rec.take()...)
			}
			out, err := os.Open(strings.TrimSuffix(path, ".calls") + ".out")
			if err != nil {
				t.Fatal(err)
			}
			defer out.Close()
			want, err := golden.ReadOut(out)
			if err != nil {
				t.Fatal(err)
			}
			if d := golden.Diff(want, sent); d != "" {
				t.Fatalf("decoded program differs from the oracle:\n%s\nprogram:\n%s", d, q)
			}
			for _, target := range programTargets {
				checkSeed(t, filepath.Join("testdata", "fuzz", target, "golden-"+name), data)
			}
		})
	}
}

// corpusValues returns the text of a corpus file holding several values
// ([]byte or string).
func corpusValues(vals ...any) []byte {
	b := []byte("go test fuzz v1\n")
	for _, v := range vals {
		switch v := v.(type) {
		case []byte:
			b = fmt.Appendf(b, "[]byte(%q)\n", v)
		case string:
			b = fmt.Appendf(b, "string(%q)\n", v)
		case byte:
			b = fmt.Appendf(b, "byte(%q)\n", v)
		default:
			panic(fmt.Sprintf("corpusValues: %T", v))
		}
	}
	return b
}

// checkSeedValues is checkSeed for a corpus file of several values.
func checkSeedValues(t *testing.T, path string, vals ...any) {
	t.Helper()
	want := corpusValues(vals...)
	if *writeSeeds {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./fuzz -run TestSeed -seeds)", err)
	}
	if string(got) != string(want) {
		t.Errorf("%s is out of date (run go test ./fuzz -run TestSeed -seeds)", path)
	}
}

// tapConn records the bytes read from a net.Conn.
type tapConn struct {
	net.Conn
	mu   sync.Mutex
	read []byte
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	c.read = append(c.read, p[:n]...)
	c.mu.Unlock()
	return n, err
}

func (c *tapConn) bytes() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return bytes.Clone(c.read)
}

// recordLogin runs a real login between ServerHandshake (with the fuzz
// fixture configuration) and ClientHandshake over a pipe and returns what
// each side read: the client's stream and the Director's stream.
func recordLogin(t *testing.T, cfg bsock.ClientConfig) (fromClient, fromServer []byte) {
	t.Helper()
	a, b := net.Pipe()
	srv, cli := &tapConn{Conn: a}, &tapConn{Conn: b}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = bsock.ServerHandshake(ctx, bsock.NewConn(srv), hsConfig())
		_ = srv.Close()
	}()
	cfg.Rand, cfg.Now = zeroReader{}, func() time.Time { return hsNow }
	_, _ = bsock.ClientHandshake(ctx, bsock.NewConn(cli), cfg)
	_ = cli.Close()
	<-done
	return srv.bytes(), cli.bytes()
}

// TestSeedWireCorpus checks (or, with -seeds, writes) the seed corpora of
// the wire and command-line targets: packet streams made of the golden
// cases' packets, Hellos and challenges of the real clients, recorded
// logins, and console command lines.
func TestSeedWireCorpus(t *testing.T) {
	seed := func(target, name string, vals ...any) {
		t.Helper()
		checkSeedValues(t, filepath.Join("testdata", "fuzz", target, name), vals...)
	}

	// Packet streams: every golden case's packets as a Director sends them
	// (data packets, then BNET_EOD), read in one piece, byte by byte, or in
	// odd pieces.
	paths, err := filepath.Glob(filepath.Join(oracleDir, "*.out"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no oracle .out files: %v", err)
	}
	for i, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		packets, err := golden.ReadOut(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		var stream []byte
		for _, p := range packets {
			stream = append(stream, frame(string(p))...)
		}
		stream = append(stream, signalFrame(bsock.EOD)...)
		chunks := [][]byte{nil, {1}, {3, 250, 7}}[i%3]
		name := strings.TrimSuffix(filepath.Base(path), ".out")
		seed("FuzzFrameReader", "golden-"+name, stream, chunks)
	}
	hostile := map[string][]byte{
		"len-2^31-1":       {0x7f, 0xff, 0xff, 0xff, 'x'},
		"len-maxpacket+1":  binary.BigEndian.AppendUint32(nil, bsock.MaxPacket+1),
		"len-999999-short": append(binary.BigEndian.AppendUint32(nil, 999_999), "abc"...),
		"truncated-header": {0, 0},
		"terminate":        append(frame("x"), signalFrame(bsock.Terminate)...),
		"undefined-signal": append(signalFrame(-100), frame("")...),
		"tls-clienthello":  {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00},
		"garbage":          []byte("GET / HTTP/1.0\r\n\r\n"),
	}
	for name, stream := range hostile {
		seed("FuzzFrameReader", name, stream, []byte{})
		seed("FuzzServerHandshake", name, stream, []byte{})
		seed("FuzzClientHandshake", name, stream, []byte{})
	}

	hellos := []string{
		"Hello *UserAgent* calling version 25.0.0~pre12.abc Version=\"25.0.0\"\n",
		"Hello admin calling version 23.1.2 Version=\"23.1.2\"\n",
		"Hello *UserAgent* calling version 18.2.5\n",
		"Hello *UserAgent* calling\n",
		"Hello my\x01console calling version 24.0.1\n",
		"Hello *UserAgent* calling 100\n",
		"Hello Client fd calling\n",
		"Hello Director dir calling\n",
		"Hello x calling version 18.1\n",
		"Hello *UserAgent* calling\x00version x\n",
	}
	for i, h := range hellos {
		seed("FuzzParseHello", fmt.Sprintf("hello-%02d", i), []byte(h))
	}

	challenges := []string{
		"auth cram-md5 " + hsChallenge + " ssl=0\n",
		"auth cram-md5c <1.2@php-bsock> ssl=1\n",
		"auth cram-md5 <1.2@bconsole> ssl=2 qualified-name=x\n",
		"auth cram-md5 <1.2@x>\n",
		"auth cram-md5 <1234567890.1700000000@*UserAgent*> ssl=0\x00junk",
		"auth cram-md5 <x> ssl=99999999999999999999\n",
	}
	for i, c := range challenges {
		seed("FuzzParseChallenge", fmt.Sprintf("challenge-%02d", i), []byte(c))
	}

	logins := map[string]bsock.ClientConfig{
		"default-18.2":   {Password: hsPassword},
		"default-12.4":   {Password: hsPassword, Protocol: bsock.Proto124},
		"admin-18.2":     {Name: "admin", Password: hsAdminPW},
		"admin-wrong-pw": {Name: "admin", Password: "wrong"},
		"unknown":        {Name: "nobody", Password: hsPassword},
		"pam":            {Name: "webui", Password: hsWebuiPW, PAMUser: hsPAMUser, PAMPassword: hsPAMPW},
		"pam-wrong-pw":   {Name: "webui", Password: hsWebuiPW, PAMUser: hsPAMUser, PAMPassword: "wrong"},
		"pam-12.4":       {Name: "webui", Password: hsWebuiPW, Protocol: bsock.Proto124},
	}
	for name, cfg := range logins {
		fromClient, fromServer := recordLogin(t, cfg)
		seed("FuzzServerHandshake", "login-"+name, fromClient, []byte{})
		seed("FuzzServerHandshake", "login-"+name+"-split", fromClient, []byte{1, 5})
		seed("FuzzClientHandshake", "login-"+name, fromServer, []byte{})
	}
	seed("FuzzServerHandshake", "login-compat", clientStream("Hello admin calling version 25.0.0\n", hsAdminPW, true), []byte{})

	lines := []string{
		"list jobs", "llist jobid=1", ".api 2 compact=yes", `restore file="/a b" \"x`,
		"a\x00b", ".bvfs_lsdirs path=/ jobid=1,2", `a "" b`, `\`, `"`, "x=y=z",
		"status director\r\n", strings.Repeat("w ", 40), "list files jobid=3 \\\t\"q\"",
	}
	for i, l := range lines {
		seed("FuzzParseArgs", fmt.Sprintf("line-%02d", i), l)
	}
	// Daemon sessions: command sequences of the load and ACL tests, mode
	// switches, and hostile packets, as the default and the limited
	// console.
	sessions := map[string][][]byte{
		"listings":  cmdFrames(".jobs", ".clients", ".pools", "list jobs", "llist jobid=1", "list volumes", "list files jobid=1", "list jobtotals"),
		"modes":     cmdFrames(".api 1", "whoami", ".api 2", "version", ".api 2 compact=yes", ".jobs", ".api 0", "help", ".api json compact=no", "list clients"),
		"bvfs":      cmdFrames(".api 2", ".bvfs_lsdirs jobid=1 path=/", ".bvfs_lsfiles jobid=1 path=/etc/ limit=5", ".bvfs_lsdirs jobid=1 path=/var/lib/bigdir/ limit=3 offset=1"),
		"errors":    cmdFrames("list nosuchthing", "llist jobid=abc", "status storage", "nosuchcommand", ".api 3", ".help item=list", "status director"),
		"signals":   {signalFrame(bsock.Heartbeat), signalFrame(-100), signalFrame(bsock.EOD), frame("whoami"), signalFrame(bsock.Terminate)},
		"hostile":   {frame("whoami"), {0x7f, 0xff, 0xff, 0xff}, []byte("junk")},
		"truncated": {frame(".jobs"), binary.BigEndian.AppendUint32(nil, 100), []byte("list")},
		"quit":      cmdFrames("whoami", "quit", "whoami"),
	}
	for name, frames := range sessions {
		stream := bytes.Join(frames, nil)
		seed("FuzzDaemonSession", name+"-root", byte(0), stream)
		seed("FuzzDaemonSession", name+"-limited", byte(1), stream)
	}

	apis := []string{"", "0", "1", "2", "json compact=yes", "json compact=no", "off", "ON",
		"2 compact", "2 compact=Yes extra", "JSON compact=1", "2=x compact=YES", "3"}
	for i, a := range apis {
		seed("FuzzAPI", fmt.Sprintf("api-%02d", i), a)
	}
}

// cmdFrames returns each command line as a data packet.
func cmdFrames(cmds ...string) [][]byte {
	out := make([][]byte, len(cmds))
	for i, c := range cmds {
		out[i] = frame(c)
	}
	return out
}
