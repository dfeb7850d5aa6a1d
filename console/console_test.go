package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/tlspsk"
)

// fakeDirector is a minimal Director for the tests: the real login of
// bsock.ServerHandshake followed by a tiny session loop that knows a few
// commands.
type fakeDirector struct {
	t      *testing.T
	ln     net.Listener
	cfg    bsock.ServerConfig
	logins atomic.Int32 // successful logins
	dropAt atomic.Int32 // close the connection instead of answering the next dropAt "drop" commands

	hung      chan struct{} // receives a value when a "hang" command arrives
	refuse182 atomic.Bool   // refuse 18.2 Hellos like a Director that wants TLS for them
	noTLS     atomic.Bool   // refuse TLS like a Director without it (bsock.ServerHandshake alone)
	keys      map[string]string
	tlsConns  atomic.Int32 // connections that started TLS

	mu       sync.Mutex
	commands []string         // every command line received, in order
	hellos   []bsock.Protocol // protocol of every Hello received, in order
}

// tapConn records the first bytes read from a connection (the Hello).
type tapConn struct {
	net.Conn
	mu   sync.Mutex
	head []byte
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.mu.Lock()
	if len(c.head) < 512 {
		c.head = append(c.head, p[:n]...)
	}
	c.mu.Unlock()
	return n, err
}

func (c *tapConn) hello() bsock.Hello {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, _ := bsock.ParseHello(c.head[4:min(len(c.head), 4+int(c.head[3]))])
	return h
}

func newFakeDirector(t *testing.T) *fakeDirector {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{
		bsock.DefaultConsoleName: bsock.PasswordKey("secret"),
		"admin":                  bsock.PasswordKey("adminpw"),
	}
	d := &fakeDirector{t: t, ln: ln, hung: make(chan struct{}, 1), keys: keys, cfg: bsock.ServerConfig{
		DirectorName: "fake-dir", Version: "25.0.0", Date: "21 August 2026", Banner: "Fake",
		Lookup: func(n string) (string, bool) { k, ok := keys[n]; return k, ok },
	}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				d.serve(ctx, nc)
			}()
		}
	}()
	t.Cleanup(func() {
		cancel()
		ln.Close()
		wg.Wait()
	})
	return d
}

func (d *fakeDirector) addr() string { return d.ln.Addr().String() }

func (d *fakeDirector) received() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.commands...)
}

func (d *fakeDirector) serve(ctx context.Context, nc net.Conn) {
	// Like the Director: a connection that does not start with a Hello
	// is a TLS-PSK handshake.
	first := make([]byte, 1)
	if _, err := io.ReadFull(nc, first); err != nil {
		nc.Close()
		return
	}
	nc = tlspsk.PrefixConn(nc, first)
	enc := ""
	if first[0] == 0x16 && !d.noTLS.Load() {
		d.tlsConns.Add(1)
		tc := tlspsk.Server(nc, &tlspsk.Config{GetKey: func(_ context.Context, id string) ([]byte, error) {
			if k, ok := d.keys[strings.TrimPrefix(id, "R_CONSOLE\x1e")]; ok && strings.HasPrefix(id, "R_CONSOLE\x1e") {
				return []byte(k), nil
			}
			return nil, tlspsk.ErrUnknownIdentity
		}})
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Write([]byte{0xff, 0xff, 0xff, 0xfc})
			nc.Close()
			return
		}
		nc = tc
		cs := tc.ConnectionState()
		enc = tlspsk.CipherSuiteName(cs.CipherSuite) + " " + tlspsk.VersionName(cs.Version)
	}
	tap := &tapConn{Conn: nc}
	c := bsock.NewConn(tap)
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	cfg := d.cfg
	cfg.Encryption = enc
	cfg.Lookup = func(name string) (string, bool) {
		// Called right after the Hello has been read.
		h := tap.hello()
		d.mu.Lock()
		d.hellos = append(d.hellos, h.Protocol)
		d.mu.Unlock()
		if d.refuse182.Load() && h.Protocol == bsock.Proto182 {
			return "", false
		}
		return d.cfg.Lookup(name)
	}
	if _, err := bsock.ServerHandshake(ctx, c, cfg); err != nil {
		return
	}
	d.logins.Add(1)
	api := 0
	compact := false
	for {
		if api != 0 {
			_ = c.Signal(bsock.MainPrompt)
		}
		p, err := c.Recv()
		if err != nil {
			return
		}
		if p.IsSignal() {
			_ = c.Signal(bsock.Poll)
			continue
		}
		cmd := string(p.Data)
		d.mu.Lock()
		d.commands = append(d.commands, cmd)
		d.mu.Unlock()
		json := func(result string) {
			if compact {
				_ = c.Send([]byte(`{"jsonrpc":"2.0","id":null,"result":` + result + `}`))
			} else {
				_ = c.Send([]byte("{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": " + result + "\n}"))
			}
		}
		f := strings.Fields(cmd)
		word := ""
		if len(f) > 0 {
			word = f[0]
		}
		switch word {
		case ".api":
			newAPI := 1
			if len(f) > 1 {
				switch f[1] {
				case "0", "off":
					newAPI = 0
				case "2", "json":
					newAPI = 2
				}
			}
			if api != 0 {
				_ = c.Signal(bsock.CmdBegin)
			}
			if newAPI == 2 && len(f) > 2 {
				compact = f[2] == "compact=yes"
			}
			api = newAPI
			if api != 0 {
				_ = c.Signal(bsock.CmdOK)
			}
			if api == 2 {
				json(fmt.Sprintf(`{"api":%d}`, api))
			} else {
				_ = c.Send([]byte(fmt.Sprintf("api: %d\n", api)))
			}
		case "autodisplay":
		case "whoami":
			if api != 0 {
				_ = c.Signal(bsock.CmdBegin)
				_ = c.Signal(bsock.CmdOK)
			}
			if api == 2 {
				json(`{"whoami":"root"}`)
			} else {
				_ = c.Send([]byte("root\n"))
			}
		case "pieces": // several data packets, interleaved signals
			if api != 0 {
				_ = c.Signal(bsock.CmdBegin)
			}
			_ = c.Send([]byte("one\n"))
			_ = c.Signal(bsock.InfoMsg)
			_ = c.Send([]byte("two\n"))
			_ = c.Signal(bsock.MsgsPending)
			_ = c.Send(nil)
			_ = c.Send([]byte("three\n"))
		case "big":
			_ = c.Send([]byte(strings.Repeat("x", 2_000_000)))
		case "bigjson":
			json(`{"data":"` + strings.Repeat("y", 1_500_000) + `"}`)
		case "rows", "rowsdrop": // rowsDoc(N) in pieces of many sizes; rowsdrop: half of it, then the connection is lost
			if api != 0 {
				_ = c.Signal(bsock.CmdBegin)
				_ = c.Signal(bsock.CmdOK)
			}
			n := 0
			if len(f) > 1 {
				fmt.Sscan(f[1], &n)
			}
			doc := rowsDoc(n)
			if word == "rowsdrop" {
				doc = doc[:len(doc)/2]
			}
			sizes := []int{1, 13, 4096, 70000, 2}
			for k := 0; len(doc) > 0; k++ {
				m := min(sizes[k%len(sizes)], len(doc))
				_ = c.Send([]byte(doc[:m]))
				doc = doc[m:]
			}
			if word == "rowsdrop" {
				return
			}
		case "text": // plain text even in JSON mode, like an ACL-denied .api
			_ = c.Send([]byte("not json\n"))
		case "hang": // never answer
			d.hung <- struct{}{}
			continue
		case "sub":
			_ = c.Send([]byte("Enter something: "))
			_ = c.Signal(bsock.SubPrompt)
			continue
		case "terminate":
			_ = c.Send([]byte("bye\n"))
			_ = c.Signal(bsock.Terminate)
			return
		case "drop":
			if d.dropAt.Add(-1) >= 0 {
				return // lose the connection without an answer
			}
			_ = c.Send([]byte("survived\n"))
		case "quit":
			return
		default:
			if api != 0 {
				_ = c.Signal(bsock.ErrorMsg)
			}
			msg := word + ": is an invalid command.\n"
			if api == 2 {
				_ = c.Send([]byte(`{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{},"messages":{"error":["` +
					strings.ReplaceAll(msg, "\n", `\n`) + `"]}}}}`))
			} else {
				_ = c.Send([]byte(msg))
			}
		}
		if api == 0 {
			_ = c.Signal(bsock.EOD)
		}
	}
}

func dial(t *testing.T, d *fakeDirector, opts Options) *Client {
	t.Helper()
	if opts.Password == "" {
		opts.Password = "secret"
	}
	if opts.Timeout == 0 {
		opts.Timeout = 20 * time.Second // safety net against hangs only
	}
	c, err := Dial(context.Background(), d.addr(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestDialPlain(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{})
	if diff := cmp.Diff([]string{"autodisplay off"}, d.received()); diff != "" {
		t.Errorf("commands after login (-want +got):\n%s", diff)
	}
	info := c.Info()
	if info.DirectorName != "fake-dir" || info.Protocol != bsock.Proto182 || !strings.Contains(info.Info, "default console") {
		t.Errorf("Info() = %+v", info)
	}
	if c.Mode() != 0 {
		t.Errorf("Mode() = %d", c.Mode())
	}
	got, err := c.Call(context.Background(), "whoami")
	if err != nil || got != "root\n" {
		t.Errorf("Call(whoami) = %q, %v", got, err)
	}
}

func TestDialJSON(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{JSON: true, Name: "admin", Password: "adminpw"})
	if diff := cmp.Diff([]string{".api json", ".api json compact=yes"}, d.received()); diff != "" {
		t.Errorf("commands after login (-want +got):\n%s", diff)
	}
	if c.Mode() != 2 {
		t.Errorf("Mode() = %d", c.Mode())
	}
	r, err := c.CallJSON(context.Background(), "whoami")
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Get("whoami").String(); got != "root" {
		t.Errorf("whoami = %q (%s)", got, r.Raw)
	}
	pkts, err := c.CallPackets(context.Background(), "whoami")
	if err != nil {
		t.Fatal(err)
	}
	want := []bsock.Packet{
		{Signal: bsock.CmdBegin}, {Signal: bsock.CmdOK},
		{Data: []byte(`{"jsonrpc":"2.0","id":null,"result":{"whoami":"root"}}`)},
		{Signal: bsock.MainPrompt},
	}
	if diff := cmp.Diff(want, pkts); diff != "" {
		t.Errorf("packets (-want +got):\n%s", diff)
	}
}

func TestCallJSONErrors(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{JSON: true})

	_, err := c.CallJSON(context.Background(), "nosuch")
	var rpc *RPCError
	if !errors.As(err, &rpc) {
		t.Fatalf("CallJSON(nosuch) = %v, want *RPCError", err)
	}
	if rpc.Code != 1 || rpc.Message != "failed" {
		t.Errorf("RPCError = %+v", rpc)
	}
	if diff := cmp.Diff([]string{"nosuch: is an invalid command.\n"}, rpc.Messages("error")); diff != "" {
		t.Errorf("messages (-want +got):\n%s", diff)
	}
	if !strings.Contains(err.Error(), "nosuch: is an invalid command.") {
		t.Errorf("error text %q lacks the Director's message", err)
	}
	if !rpc.Data.Get("result").IsObject() {
		t.Errorf("data.result missing: %s", rpc.Data.Raw)
	}

	if _, err := c.CallJSON(context.Background(), "text"); !errors.Is(err, ErrInvalidJSON) {
		t.Errorf("CallJSON(text) = %v, want ErrInvalidJSON", err)
	}

	// The connection stays usable after both kinds of errors.
	r, err := c.CallJSON(context.Background(), "whoami")
	if err != nil || r.Get("whoami").String() != "root" {
		t.Errorf("whoami after errors: %s, %v", r.Raw, err)
	}
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		in      string
		want    string // raw result
		wantErr error
	}{
		{`{"jsonrpc":"2.0","id":null,"result":{"a":1}}`, `{"a":1}`, nil},
		{"{\n  \"result\": {}\n}", `{}`, nil},
		{``, ``, nil},
		{`{"jsonrpc":"2.0"}`, ``, ErrInvalidJSON},
		{`[1,2]`, ``, ErrInvalidJSON},
		{`{"result": `, ``, ErrInvalidJSON},
		{"api: 2\n", ``, ErrInvalidJSON},
	}
	for _, tt := range tests {
		r, err := decodeJSON(tt.in)
		if !errors.Is(err, tt.wantErr) || r.Raw != tt.want {
			t.Errorf("decodeJSON(%q) = %q, %v; want %q, %v", tt.in, r.Raw, err, tt.want, tt.wantErr)
		}
	}
}

func TestCallPacketsTextMode(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{})
	pkts, err := c.CallPackets(context.Background(), "pieces")
	if err != nil {
		t.Fatal(err)
	}
	want := []bsock.Packet{
		{Data: []byte("one\n")}, {Signal: bsock.InfoMsg}, {Data: []byte("two\n")},
		{Signal: bsock.MsgsPending}, {Data: []byte{}}, {Data: []byte("three\n")}, {Signal: bsock.EOD},
	}
	if diff := cmp.Diff(want, pkts); diff != "" {
		t.Errorf("packets (-want +got):\n%s", diff)
	}
	got, err := c.Call(context.Background(), "pieces")
	if err != nil || got != "one\ntwo\nthree\n" {
		t.Errorf("Call(pieces) = %q, %v", got, err)
	}
}

func TestCallEndSignals(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{})

	// Sub prompt ends the answer.
	if got, err := c.Call(context.Background(), "sub"); err != nil || got != "Enter something: " {
		t.Errorf("Call(sub) = %q, %v", got, err)
	}
	// Big answers arrive split and are joined.
	if got, err := c.Call(context.Background(), "big"); err != nil || len(got) != 2_000_000 {
		t.Errorf("Call(big) = %d bytes, %v", len(got), err)
	}
	// The mode switches are tracked.
	if _, err := c.Call(context.Background(), ".api 2"); err != nil || c.Mode() != 2 {
		t.Errorf(".api 2: mode %d, %v", c.Mode(), err)
	}
	if r, err := c.CallJSON(context.Background(), "bigjson"); err != nil || len(r.Get("data").String()) != 1_500_000 {
		t.Errorf("CallJSON(bigjson): %v", err)
	}
	if _, err := c.Call(context.Background(), ".api 1"); err != nil || c.Mode() != 1 {
		t.Errorf(".api 1: mode %d, %v", c.Mode(), err)
	}
	if got, err := c.Call(context.Background(), ".api 0"); err != nil || c.Mode() != 0 || got != "api: 0\n" {
		t.Errorf(".api 0: %q mode %d, %v", got, c.Mode(), err)
	}
	// TERMINATE ends the answer with an error; the next call reconnects.
	if got, err := c.Call(context.Background(), "terminate"); !errors.Is(err, ErrTerminated) || got != "bye\n" {
		t.Errorf("Call(terminate) = %q, %v", got, err)
	}
	if got, err := c.Call(context.Background(), "whoami"); err != nil || got != "root\n" {
		t.Errorf("Call(whoami) after TERMINATE = %q, %v", got, err)
	}
	if n := d.logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

func TestReconnect(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{JSON: true})
	if _, err := c.Call(context.Background(), ".api 2"); err != nil {
		t.Fatal(err)
	}
	d.dropAt.Store(1) // the first "drop" loses the connection
	if _, err := c.CallJSON(context.Background(), "whoami"); err != nil {
		t.Fatal(err)
	}
	r, err := c.Call(context.Background(), "drop")
	if err != nil {
		t.Fatalf("Call(drop) = %v, want success after reconnect", err)
	}
	if r != "survived\n" {
		t.Errorf("answer after reconnect %q", r)
	}
	if n := d.logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
	want := []string{
		".api json", ".api json compact=yes", ".api 2", "whoami", "drop",
		".api json", ".api json compact=yes", ".api 2", "drop",
	}
	if diff := cmp.Diff(want, d.received()); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
	if c.Mode() != 2 {
		t.Errorf("mode after reconnect %d", c.Mode())
	}
}

func TestReconnectOnlyOnce(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{})
	d.dropAt.Store(2) // lost, reconnected, re-sent, lost again
	if _, err := c.Call(context.Background(), "drop"); err == nil {
		t.Fatal("Call(drop) succeeded although the connection was lost twice")
	}
	if n := d.logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2 (one reconnect)", n)
	}
	// The next call starts over with a fresh connection.
	if got, err := c.Call(context.Background(), "whoami"); err != nil || got != "root\n" {
		t.Errorf("whoami = %q, %v", got, err)
	}

	d.dropAt.Store(1)
	c2 := dial(t, d, Options{NoReconnect: true})
	if _, err := c2.Call(context.Background(), "drop"); err == nil {
		t.Error("Call(drop) with NoReconnect succeeded")
	}
}

func (d *fakeDirector) helloProtocols() []bsock.Protocol {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]bsock.Protocol(nil), d.hellos...)
}

func TestProtocolFallback(t *testing.T) {
	tests := []struct {
		name       string
		opts       Options
		refuse182  bool
		wantErr    bool
		wantHellos []bsock.Protocol
		wantProto  bsock.Protocol
	}{
		{"18.2 accepted", Options{Password: "secret", TLS: cleartext}, false, false,
			[]bsock.Protocol{bsock.Proto182}, bsock.Proto182},
		{"18.2 refused, 12.4 accepted", Options{Password: "secret", TLS: cleartext}, true, false,
			[]bsock.Protocol{bsock.Proto182, bsock.Proto124}, bsock.Proto124},
		{"wrong password: both tried", Options{Password: "wrong", TLS: cleartext}, false, true,
			[]bsock.Protocol{bsock.Proto182, bsock.Proto124}, 0},
		{"forced 18.2: no retry", Options{Password: "secret", Protocol: bsock.Proto182, TLS: cleartext}, true, true,
			[]bsock.Protocol{bsock.Proto182}, 0},
		{"forced 12.4", Options{Password: "secret", Protocol: bsock.Proto124, TLS: cleartext}, false, false,
			[]bsock.Protocol{bsock.Proto124}, bsock.Proto124},
		{"TLS: 18.2 refused, 12.4 accepted", Options{Password: "secret"}, true, false,
			[]bsock.Protocol{bsock.Proto182, bsock.Proto124}, bsock.Proto124},
		{"TLS: wrong password, refused in the handshake", Options{Password: "wrong"}, false, true,
			nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newFakeDirector(t)
			d.refuse182.Store(tt.refuse182)
			tt.opts.Timeout = 20 * time.Second
			c, err := Dial(context.Background(), d.addr(), tt.opts)
			if tt.wantErr {
				if !errors.Is(err, bsock.ErrAuthFailed) {
					t.Errorf("Dial = %v, want ErrAuthFailed", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if c.Protocol() != tt.wantProto {
					t.Errorf("Protocol() = %v, want %v", c.Protocol(), tt.wantProto)
				}
				if got, err := c.Call(context.Background(), "whoami"); err != nil || got != "root\n" {
					t.Errorf("whoami = %q, %v", got, err)
				}
			}
			if diff := cmp.Diff(tt.wantHellos, d.helloProtocols()); diff != "" {
				t.Errorf("Hello protocols (-want +got):\n%s", diff)
			}
		})
	}
}

// cleartext connects without TLS.
var cleartext = TLSOptions{Disable: true}

func TestReconnectKeepsFallbackProtocol(t *testing.T) {
	d := newFakeDirector(t)
	d.refuse182.Store(true)
	c := dial(t, d, Options{})
	d.dropAt.Store(1)
	if _, err := c.Call(context.Background(), "drop"); err != nil {
		t.Fatal(err)
	}
	want := []bsock.Protocol{bsock.Proto182, bsock.Proto124, bsock.Proto124}
	if diff := cmp.Diff(want, d.helloProtocols()); diff != "" {
		t.Errorf("Hello protocols (-want +got):\n%s", diff)
	}
}

func TestUnknownConsole(t *testing.T) {
	d := newFakeDirector(t)
	_, err := Dial(context.Background(), d.addr(), Options{Name: "ghost", Password: "x", Timeout: 20 * time.Second, TLS: cleartext})
	if !errors.Is(err, bsock.ErrAuthFailed) || !errors.Is(err, bsock.ErrTerminated) {
		t.Errorf("Dial(ghost) = %v, want ErrAuthFailed and ErrTerminated", err)
	}
	// Over TLS-PSK the Director refuses the identity in the handshake.
	before := len(d.helloProtocols())
	_, err = Dial(context.Background(), d.addr(), Options{Name: "ghost", Password: "x", Timeout: 20 * time.Second})
	if !errors.Is(err, ErrTLSRefused) || !errors.Is(err, bsock.ErrAuthFailed) || !strings.Contains(err.Error(), `console "ghost"`) {
		t.Errorf("Dial(ghost) over TLS = %v, want ErrTLSRefused naming the console", err)
	}
	if len(d.helloProtocols()) != before {
		t.Errorf("Hellos %v: the TLS refusal must not be retried with the 12.4 Hello", d.helloProtocols())
	}
}

// TestTLS logs in over TLS-PSK with each version and checks what the
// client reports.
func TestTLS(t *testing.T) {
	for _, tt := range []struct {
		opts TLSOptions
		want string
	}{
		{TLSOptions{}, "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"},
		{TLSOptions{MaxVersion: tlspsk.VersionTLS12}, "ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2"},
		{TLSOptions{MaxVersion: tlspsk.VersionTLS12, CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256}}, "PSK-AES128-GCM-SHA256 TLSv1.2"},
		{TLSOptions{Optional: true, CipherSuites: []uint16{tlspsk.TLS_AES_128_GCM_SHA256}}, "TLS_AES_128_GCM_SHA256 TLSv1.3"},
		{cleartext, ""},
	} {
		d := newFakeDirector(t)
		c := dial(t, d, Options{Name: "admin", Password: "adminpw", TLS: tt.opts})
		if got := c.Encryption(); got != tt.want {
			t.Errorf("%+v: Encryption() = %q, want %q", tt.opts, got, tt.want)
		}
		if got, err := c.Call(context.Background(), "whoami"); err != nil || got != "root\n" { // the fake's answer
			t.Errorf("whoami = %q, %v", got, err)
		}
		if n := d.tlsConns.Load(); (n == 1) != (tt.want != "") {
			t.Errorf("%d TLS connections", n)
		}
	}
}

// TestNoTLS connects to a Director without TLS: a clear error, no
// fallback to cleartext.
func TestNoTLS(t *testing.T) {
	d := newFakeDirector(t)
	d.noTLS.Store(true)
	_, err := Dial(context.Background(), d.addr(), Options{Password: "secret", Timeout: 20 * time.Second})
	if !errors.Is(err, ErrNoTLS) || errors.Is(err, bsock.ErrAuthFailed) {
		t.Errorf("Dial = %v, want ErrNoTLS", err)
	}
	if n := len(d.helloProtocols()); n != 0 {
		t.Errorf("%d cleartext Hellos: the client must not fall back", n)
	}
}

func TestCallContext(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.Call(ctx, "whoami"); !errors.Is(err, context.Canceled) {
		t.Errorf("Call with cancelled context = %v", err)
	}

	// Cancel while waiting for an answer that never comes.
	ctx, cancel = context.WithCancel(context.Background())
	go func() {
		<-d.hung
		cancel()
	}()
	if _, err := c.Call(ctx, "hang"); !errors.Is(err, context.Canceled) {
		t.Errorf("Call(hang) = %v, want context.Canceled", err)
	}
	// The half-read connection was dropped; the client starts over.
	if got, err := c.Call(context.Background(), "whoami"); err != nil || got != "root\n" {
		t.Errorf("Call after cancel = %q, %v", got, err)
	}
	if n := d.logins.Load(); n != 2 {
		t.Errorf("%d logins, want 2", n)
	}
}

func TestClose(t *testing.T) {
	d := newFakeDirector(t)
	c := dial(t, d, Options{})
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Call(context.Background(), "whoami"); !errors.Is(err, ErrClosed) {
		t.Errorf("Call after Close = %v, want ErrClosed", err)
	}
}

// TestLoginRefusedInWords: whether the Director ends the cleartext login
// of an unknown console with BNET_TERMINATE or refuses a wrong password,
// Dial says so in words, after trying both protocols, and the error still
// wraps the protocol detail. (Over TLS-PSK the refusal is ErrTLSRefused.)
func TestLoginRefusedInWords(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	defer ln.Close()
	keys := map[string]string{"*UserAgent*": bsock.PasswordKey("secret"), "user1": bsock.PasswordKey("pw1")}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := bsock.NewConn(nc)
				defer c.Close()
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_, _ = bsock.ServerHandshake(ctx, c, bsock.ServerConfig{
					DirectorName: "bareos-dir", Version: "25.0.0", Date: "21 August 2026",
					Lookup: func(name string) (string, bool) { k, ok := keys[name]; return k, ok },
				})
			}()
		}
	}()
	tests := []struct {
		name string
		opts Options
		who  string
	}{
		{"unknown console", Options{Name: "nobody", Password: "pw1"}, `console "nobody"`},
		{"wrong password", Options{Name: "user1", Password: "bad"}, `console "user1"`},
		{"default console, wrong password", Options{Password: "bad"}, "the default console"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Timeout = 10 * time.Second
			tt.opts.TLS.Disable = true // cleartext: the refusal comes from the CRAM-MD5 login
			c, err := Dial(context.Background(), ln.Addr().String(), tt.opts)
			if err == nil {
				c.Close()
				t.Fatal("Dial succeeded")
			}
			want := ln.Addr().String() + " refused the login of " + tt.who + ": unknown console or wrong password"
			if !strings.Contains(err.Error(), want) {
				t.Errorf("Dial = %q, want it to contain %q", err, want)
			}
			if !errors.Is(err, bsock.ErrLoginRefused) || !errors.Is(err, bsock.ErrAuthFailed) {
				t.Errorf("Dial = %v, want ErrLoginRefused and ErrAuthFailed", err)
			}
		})
	}
}
