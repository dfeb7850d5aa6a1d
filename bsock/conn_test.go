package bsock

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// scriptConn is a net.Conn that reads from a fixed byte stream and records
// what is written.
type scriptConn struct {
	r io.Reader
	w bytes.Buffer
}

func (s *scriptConn) Read(p []byte) (int, error)       { return s.r.Read(p) }
func (s *scriptConn) Write(p []byte) (int, error)      { return s.w.Write(p) }
func (s *scriptConn) Close() error                     { return nil }
func (s *scriptConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (s *scriptConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (s *scriptConn) SetDeadline(time.Time) error      { return nil }
func (s *scriptConn) SetReadDeadline(time.Time) error  { return nil }
func (s *scriptConn) SetWriteDeadline(time.Time) error { return nil }
func newScript(b ...[]byte) *Conn {
	return NewConn(&scriptConn{r: bytes.NewReader(bytes.Join(b, nil))})
}
func header(n int32) []byte  { return binary.BigEndian.AppendUint32(nil, uint32(n)) }
func packet(s string) []byte { return append(header(int32(len(s))), s...) }
func wire(c *Conn) []byte    { return c.nc.(*scriptConn).w.Bytes() }

func TestSendWireFormat(t *testing.T) {
	tests := []struct {
		name string
		send func(c *Conn) error
		want []byte
	}{
		{"text", func(c *Conn) error { return c.Send([]byte("whoami")) }, []byte("\x00\x00\x00\x06whoami")},
		{"empty", func(c *Conn) error { return c.Send(nil) }, []byte{0, 0, 0, 0}},
		{"EOD", func(c *Conn) error { return c.Signal(EOD) }, []byte{0xff, 0xff, 0xff, 0xff}},
		{"TERMINATE", func(c *Conn) error { return c.Signal(Terminate) }, []byte{0xff, 0xff, 0xff, 0xfc}},
		{"MAIN_PROMPT", func(c *Conn) error { return c.Signal(MainPrompt) }, []byte{0xff, 0xff, 0xff, 0xee}},
		{"TEXT_INPUT", func(c *Conn) error { return c.Signal(TextInput) }, []byte{0xff, 0xff, 0xff, 0xe4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newScript()
			if err := tt.send(c); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, wire(c)); diff != "" {
				t.Errorf("wire bytes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSignalRefusesUndefinedCodes(t *testing.T) {
	for _, s := range []Signal{0, 1, -29, -1000} {
		c := newScript()
		if err := c.Signal(s); !errors.Is(err, ErrInvalidSignal) {
			t.Errorf("Signal(%d) = %v, want ErrInvalidSignal", s, err)
		}
		if len(wire(c)) != 0 {
			t.Errorf("Signal(%d) wrote %x", s, wire(c))
		}
	}
}

func TestSendSplitsLongMessages(t *testing.T) {
	msg := make([]byte, 2_000_000)
	for i := range msg {
		msg[i] = byte(i * 7)
	}
	c := newScript()
	if err := c.Send(msg); err != nil {
		t.Fatal(err)
	}
	// Read the raw wire back with an independent decoder.
	raw := wire(c)
	var sizes []int
	var joined []byte
	for len(raw) > 0 {
		n := int(int32(binary.BigEndian.Uint32(raw)))
		sizes = append(sizes, n)
		joined = append(joined, raw[4:4+n]...)
		raw = raw[4+n:]
	}
	if diff := cmp.Diff([]int{999_996, 999_996, 8}, sizes); diff != "" {
		t.Errorf("packet sizes (-want +got):\n%s", diff)
	}
	if !bytes.Equal(joined, msg) {
		t.Error("payload differs after reassembly")
	}

	// And through Recv.
	r := newScript(wire(c))
	var got []byte
	for range 3 {
		p, err := r.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if p.IsSignal() || len(p.Data) > MaxPayload {
			t.Fatalf("bad packet: signal %v, %d bytes", p.Signal, len(p.Data))
		}
		got = append(got, p.Data...)
	}
	if !bytes.Equal(got, msg) {
		t.Error("Recv payload differs")
	}
	if _, err := r.Recv(); err != io.EOF {
		t.Errorf("after last packet: %v, want io.EOF", err)
	}
}

func TestSendExactlyMaxPayloadIsOnePacket(t *testing.T) {
	c := newScript()
	if err := c.Send(make([]byte, MaxPayload)); err != nil {
		t.Fatal(err)
	}
	if got := len(wire(c)); got != 4+MaxPayload {
		t.Errorf("wire length %d, want %d", got, 4+MaxPayload)
	}
}

func TestRecv(t *testing.T) {
	tests := []struct {
		name    string
		in      []byte
		want    Packet
		wantErr error
	}{
		{"data", packet("root\n"), Packet{Data: []byte("root\n")}, nil},
		{"empty data", header(0), Packet{Data: []byte{}}, nil},
		{"EOD", header(-1), Packet{Signal: EOD}, nil},
		{"MAIN_PROMPT", header(-18), Packet{Signal: MainPrompt}, nil},
		{"TEXT_INPUT", header(-28), Packet{Signal: TextInput}, nil},
		{"undefined -29", header(-29), Packet{Signal: -29}, nil},
		{"undefined min int32", header(-1 << 31), Packet{Signal: -1 << 31}, nil},
		{"TERMINATE", header(-4), Packet{Signal: Terminate}, ErrTerminated},
		{"too big 2^31-1", header(1<<31 - 1), Packet{}, ErrTooBig},
		{"too big MaxPacket+1", header(MaxPacket + 1), Packet{}, ErrTooBig},
		{"clean EOF", nil, Packet{}, io.EOF},
		{"truncated header", []byte{0, 0}, Packet{}, ErrTruncated},
		{"truncated body", append(header(10), "abc"...), Packet{}, ErrTruncated},
		{"header only", header(10), Packet{}, ErrTruncated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newScript(tt.in)
			got, err := c.Recv()
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Recv error = %v, want %v", err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("packet (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRecvErrorProperties(t *testing.T) {
	_, err := newScript([]byte{0, 0, 1}).Recv()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated: %v does not wrap io.ErrUnexpectedEOF", err)
	}
	// Errors that leave the stream out of step are sticky.
	c := newScript(header(1<<31-1), packet("hello"))
	if _, err := c.Recv(); !errors.Is(err, ErrTooBig) {
		t.Fatalf("first Recv: %v", err)
	}
	if _, err := c.Recv(); !errors.Is(err, ErrTooBig) {
		t.Errorf("second Recv after ErrTooBig: %v, want ErrTooBig again", err)
	}
	// TERMINATE does not break the stream.
	c = newScript(header(-4), packet("x"))
	if _, err := c.Recv(); !errors.Is(err, ErrTerminated) {
		t.Fatal(err)
	}
	if p, err := c.Recv(); err != nil || string(p.Data) != "x" {
		t.Errorf("after TERMINATE: %v %v", p, err)
	}
}

// TestRecvBoundedAllocation checks that a header announcing a large payload
// that never arrives does not allocate that payload.
func TestRecvBoundedAllocation(t *testing.T) {
	in := append(header(MaxPacket), make([]byte, 100)...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 20 {
		if _, err := newScript(in).Recv(); !errors.Is(err, ErrTruncated) {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	perCall := (after.TotalAlloc - before.TotalAlloc) / 20
	if perCall >= 512<<10 {
		t.Errorf("Recv allocated %d bytes per call for a 100-byte truncated packet", perCall)
	}
}

func TestRecvDoesNotReadBodyOfTooBigPacket(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	go func() { _, _ = b.Write(header(1<<31 - 1)) }() // and nothing more
	c := NewConn(a)
	// A safety net so that a wrong implementation fails instead of hanging.
	_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if _, err := c.Recv(); !errors.Is(err, ErrTooBig) {
		t.Fatalf("Recv = %v, want ErrTooBig", err)
	}
}

func TestConcurrentSend(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a)
	const writers, each = 4, 50
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			msg := bytes.Repeat([]byte{byte('a' + w)}, 100+w)
			for range each {
				if err := c.Send(msg); err != nil {
					t.Error(err)
					return
				}
				if err := c.Signal(EOD); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	r := NewConn(b)
	counts := map[byte]int{}
	for range writers * each * 2 {
		p, err := r.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if p.IsSignal() {
			if p.Signal != EOD {
				t.Fatalf("unexpected signal %v", p.Signal)
			}
			continue
		}
		w := p.Data[0] - 'a'
		if len(p.Data) != 100+int(w) || bytes.Count(p.Data, p.Data[:1]) != len(p.Data) {
			t.Fatalf("mixed packet from writer %d: %d bytes", w, len(p.Data))
		}
		counts[p.Data[0]]++
	}
	wg.Wait()
	for w := range writers {
		if counts[byte('a'+w)] != each {
			t.Errorf("writer %d: %d packets", w, counts[byte('a'+w)])
		}
	}
}

func TestRecvContextCancel(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.RecvContext(ctx)
		done <- err
	}()
	cancel()
	err := <-done
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RecvContext after cancel = %v, want context.Canceled", err)
	}
	// Nothing was consumed: the connection is still usable afterwards.
	go func() { _, _ = b.Write(packet("still here")) }()
	p, err := c.Recv()
	if err != nil || string(p.Data) != "still here" {
		t.Errorf("Recv after cancelled RecvContext = %q, %v", p.Data, err)
	}
}

func TestRecvContextDeadline(t *testing.T) {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	c := NewConn(a)
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	if _, err := c.RecvContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("RecvContext with expired deadline = %v", err)
	}
}

func TestSignalNames(t *testing.T) {
	want := map[Signal]string{
		EOD: "BNET_EOD", EODPoll: "BNET_EOD_POLL", Status: "BNET_STATUS", Terminate: "BNET_TERMINATE",
		Poll: "BNET_POLL", Heartbeat: "BNET_HEARTBEAT", HBResponse: "BNET_HB_RESPONSE",
		Prompt: "BNET_xxxxxxPROMPT", BTime: "BNET_BTIME", Break: "BNET_BREAK",
		StartSelect: "BNET_START_SELECT", EndSelect: "BNET_END_SELECT", InvalidCmd: "BNET_INVALID_CMD",
		CmdFailed: "BNET_CMD_FAILED", CmdOK: "BNET_CMD_OK", CmdBegin: "BNET_CMD_BEGIN",
		MsgsPending: "BNET_MSGS_PENDING", MainPrompt: "BNET_MAIN_PROMPT", SelectInput: "BNET_SELECT_INPUT",
		WarningMsg: "BNET_WARNING_MSG", ErrorMsg: "BNET_ERROR_MSG", InfoMsg: "BNET_INFO_MSG",
		RunCmd: "BNET_RUN_CMD", YesNo: "BNET_YESNO", StartRTree: "BNET_START_RTREE",
		EndRTree: "BNET_END_RTREE", SubPrompt: "BNET_SUB_PROMPT", TextInput: "BNET_TEXT_INPUT",
	}
	if len(want) != 28 {
		t.Fatalf("table has %d entries", len(want))
	}
	for s, name := range want {
		if s.String() != name || !s.Known() || s.Description() == "" {
			t.Errorf("%d: String %q Known %v Description %q", int32(s), s.String(), s.Known(), s.Description())
		}
	}
	for _, s := range []Signal{0, 1, -29} {
		if s.Known() {
			t.Errorf("%d.Known() = true", int32(s))
		}
	}
	if got := Signal(-29).String(); got != "BNET_SIGNAL(-29)" {
		t.Errorf("String(-29) = %q", got)
	}
}

func TestRecvInto(t *testing.T) {
	a, b := net.Pipe()
	ca, cb := NewConn(a), NewConn(b)
	defer ca.Close()
	defer cb.Close()
	big := bytes.Repeat([]byte("x"), 300)
	go func() {
		ca.Send([]byte("hello"))
		ca.Send(big)
		ca.Signal(EOD)
		ca.Send([]byte("cut"))
		a.Close()
	}()
	ctx := context.Background()
	buf := make([]byte, 100)
	p, err := cb.RecvInto(ctx, buf)
	if err != nil || string(p.Data) != "hello" || &p.Data[0] != &buf[0] {
		t.Fatalf("small packet: %q, %v (in buf: %v)", p.Data, err, err == nil && &p.Data[0] == &buf[0])
	}
	p, err = cb.RecvInto(ctx, buf)
	if err != nil || !bytes.Equal(p.Data, big) {
		t.Fatalf("packet larger than buf: %d bytes, %v", len(p.Data), err)
	}
	p, err = cb.RecvInto(ctx, buf)
	if err != nil || p.Signal != EOD {
		t.Fatalf("signal: %+v, %v", p, err)
	}
	p, err = cb.RecvInto(ctx, buf)
	if err != nil || string(p.Data) != "cut" {
		t.Fatalf("after the signal: %q, %v", p.Data, err)
	}
	if _, err := cb.RecvInto(ctx, buf); !errors.Is(err, io.EOF) {
		t.Errorf("at the end: %v, want io.EOF", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := cb.RecvInto(cctx, buf); !errors.Is(err, context.Canceled) {
		t.Errorf("ended context: %v", err)
	}
}

// TestRecvIntoStream sends several packets in one write, so that a read
// could return more than one packet's bytes: each packet read into the
// buffer must end at its own length.
func TestRecvIntoStream(t *testing.T) {
	a, b := net.Pipe()
	cb := NewConn(b)
	defer cb.Close()
	want := []string{"one", "", "two-two", string(bytes.Repeat([]byte("z"), 150)), "3"}
	var stream []byte
	for _, w := range want {
		stream = binary.BigEndian.AppendUint32(stream, uint32(len(w)))
		stream = append(stream, w...)
	}
	go func() {
		a.Write(stream)
		a.Close()
	}()
	buf := make([]byte, 100)
	for i, w := range want {
		p, err := cb.RecvInto(context.Background(), buf)
		if err != nil || string(p.Data) != w || p.Data == nil {
			t.Fatalf("packet %d: %q (nil: %t), %v; want %q", i, p.Data, p.Data == nil, err, w)
		}
	}
	if _, err := cb.RecvInto(context.Background(), buf); !errors.Is(err, io.EOF) {
		t.Errorf("at the end: %v, want io.EOF", err)
	}
}

func TestRecvIntoTruncated(t *testing.T) {
	a, b := net.Pipe()
	cb := NewConn(b)
	defer cb.Close()
	go func() {
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], 50)
		a.Write(hdr[:])
		a.Write([]byte("0123456789"))
		a.Close()
	}()
	buf := make([]byte, 100)
	if _, err := cb.RecvInto(context.Background(), buf); !errors.Is(err, ErrTruncated) {
		t.Fatalf("truncated payload: %v, want ErrTruncated", err)
	}
	if _, err := cb.RecvInto(context.Background(), buf); !errors.Is(err, ErrTruncated) {
		t.Errorf("after a truncated payload: %v, want the same error", err)
	}
}

// TestRecvIntoAllocs checks RecvInto's promise: a data packet that fits
// the buffer is received without allocating.
func TestRecvIntoAllocs(t *testing.T) {
	const runs = 100
	var stream [][]byte
	for range runs + 1 { // AllocsPerRun makes one warm-up call
		stream = append(stream, packet(string(bytes.Repeat([]byte("x"), 50))))
	}
	c := newScript(stream...)
	buf := make([]byte, 64)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(runs, func() {
		if p, err := c.RecvInto(ctx, buf); err != nil || len(p.Data) != 50 {
			t.Fatalf("RecvInto: %d bytes, %v", len(p.Data), err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per packet, want 0", allocs)
	}
}
