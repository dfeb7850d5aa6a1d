package bsock

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// Errors returned by Recv. They are wrapped with context; test for them
// with errors.Is.
var (
	// ErrTooBig reports a packet header announcing more than MaxPacket
	// payload bytes. The payload is not read; the stream is unusable
	// afterwards (the reference treats this like a terminated connection).
	ErrTooBig = errors.New("bsock: packet too big")

	// ErrTerminated reports that the peer sent BNET_TERMINATE, meaning it
	// is closing the conversation. Recv returns it together with the
	// signal packet.
	ErrTerminated = errors.New("bsock: connection terminated by peer")

	// ErrTruncated reports that the connection ended in the middle of a
	// packet header or payload. It wraps io.ErrUnexpectedEOF.
	ErrTruncated = fmt.Errorf("bsock: truncated packet: %w", io.ErrUnexpectedEOF)

	// ErrInvalidSignal is returned by (*Conn).Signal for codes outside the
	// defined range -1..-28, which must never be put on the wire.
	ErrInvalidSignal = errors.New("bsock: invalid signal code")

	// ErrClosed is returned for operations on a Conn after Close.
	ErrClosed = errors.New("bsock: use of closed connection")
)

// initialBody is the largest buffer Recv allocates before payload bytes
// have actually arrived. Larger payloads grow the buffer as data comes in.
const initialBody = 64 << 10

// longAgo is a deadline in the past, used to interrupt blocking I/O.
var longAgo = time.Unix(1, 0)

// Conn is a Bareos network socket: a byte stream carrying length-prefixed
// packets (see the package documentation).
//
// Send and Signal may be called from several goroutines at once; each
// message goes out uninterrupted. Recv and RecvContext are meant for a
// single reader; concurrent calls are serialised.
type Conn struct {
	nc net.Conn
	r  *bufio.Reader

	wmu  sync.Mutex // serialises writers
	rmu  sync.Mutex // serialises readers
	rerr error      // sticky read error once the stream is out of step

	dmu       sync.Mutex // guards the deadlines below
	readDL    time.Time  // deadline set by the user, restored after contexts
	writeDL   time.Time
	closeOnce sync.Once
	hdr       [4]byte // read buffer for headers (under rmu)
}

// NewConn returns a Conn that speaks the packet protocol over c.
func NewConn(c net.Conn) *Conn {
	return &Conn{nc: c, r: bufio.NewReaderSize(c, 8<<10)}
}

// NetConn returns the underlying connection. Reading from it directly
// bypasses the Conn's read buffer; writing to it bypasses the framing
// (useful in tests that need to put malformed data on the wire).
func (c *Conn) NetConn() net.Conn { return c.nc }

// RemoteAddr returns the remote network address.
func (c *Conn) RemoteAddr() net.Addr { return c.nc.RemoteAddr() }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.nc.LocalAddr() }

// Close closes the connection. Blocked Send and Recv calls return errors.
func (c *Conn) Close() error {
	err := ErrClosed
	c.closeOnce.Do(func() {
		err = c.nc.Close()
	})
	return err
}

// SetDeadline sets the read and write deadlines, like net.Conn.
func (c *Conn) SetDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.readDL, c.writeDL = t, t
	return c.nc.SetDeadline(t)
}

// SetReadDeadline sets the deadline for Recv, like net.Conn.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.readDL = t
	return c.nc.SetReadDeadline(t)
}

// SetWriteDeadline sets the deadline for Send and Signal, like net.Conn.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.writeDL = t
	return c.nc.SetWriteDeadline(t)
}

// Send sends p as one message. Messages longer than MaxPayload bytes are
// split into consecutive data packets of MaxPayload bytes and a shorter
// rest, as the reference does; nothing marks the split. An empty p sends a
// zero-length data packet.
func (c *Conn) Send(p []byte) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	for {
		n := min(len(p), MaxPayload)
		var hdr [4]byte
		binary.BigEndian.PutUint32(hdr[:], uint32(n))
		bufs := net.Buffers{hdr[:]}
		if n > 0 {
			// No empty writes: on some conns (net.Pipe) they block.
			bufs = append(bufs, p[:n])
		}
		if _, err := bufs.WriteTo(c.nc); err != nil {
			return fmt.Errorf("bsock: send %d bytes: %w", n, err)
		}
		p = p[n:]
		if len(p) == 0 {
			return nil
		}
	}
}

// Signal sends the signal s. Only the defined codes (s.Known()) are
// accepted; others give ErrInvalidSignal, because clients such as the PHP
// webui abort on unknown codes.
func (c *Conn) Signal(s Signal) error {
	if !s.Known() {
		return fmt.Errorf("%w: %d", ErrInvalidSignal, int32(s))
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(int32(s)))
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if _, err := c.nc.Write(hdr[:]); err != nil {
		return fmt.Errorf("bsock: send signal %v: %w", s, err)
	}
	return nil
}

// SendContext is Send with the write bounded by ctx: the context's
// deadline applies, and cancelling ctx interrupts the write (which may then
// have sent part of the message; the connection should be closed).
func (c *Conn) SendContext(ctx context.Context, p []byte) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bsock: send: %w", context.Cause(ctx))
	}
	stop := c.watch(ctx, false)
	err := c.Send(p)
	return stop(err)
}

// SignalContext is Signal with the write bounded by ctx.
func (c *Conn) SignalContext(ctx context.Context, s Signal) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("bsock: send signal: %w", context.Cause(ctx))
	}
	stop := c.watch(ctx, false)
	err := c.Signal(s)
	return stop(err)
}

// Recv reads the next packet.
//
// A positive or zero header gives a data packet (Signal 0; a zero-length
// packet has an empty, non-nil Data). A negative header gives a signal
// packet. BNET_TERMINATE is returned as a signal packet together with
// ErrTerminated. Negative codes below -28 are not defined by the protocol;
// like the reference, Recv returns them as signal packets without an error
// and leaves the decision to the caller (Signal.Known reports false).
//
// Errors: io.EOF when the connection ends cleanly before a header;
// ErrTruncated when it ends inside a packet; ErrTooBig when a header
// announces more than MaxPacket bytes (the payload is not read). After
// ErrTooBig, ErrTruncated or a timeout inside a packet the stream is out of
// step and every later Recv fails with the same error.
//
// Recv never allocates more than the header announces, and grows its buffer
// only as payload bytes actually arrive, starting at 64 KiB at most.
func (c *Conn) Recv() (Packet, error) {
	return c.recv(MaxPacket, nil)
}

// recvMax is Recv for packets of at most max payload bytes: a longer
// packet is refused like one beyond MaxPacket (ErrTooBig, the stream out
// of step) before anything of it is read.
func (c *Conn) recvMax(max int32) (Packet, error) {
	return c.recv(max, nil)
}

// recv reads one packet: a data packet of more than max (at most
// MaxPacket) bytes is refused with ErrTooBig before any of it is read,
// and one of at most len(into) bytes is read into into (Data then
// aliases it).
func (c *Conn) recv(max int32, into []byte) (Packet, error) {
	c.rmu.Lock()
	defer c.rmu.Unlock()
	if c.rerr != nil {
		return Packet{}, c.rerr
	}
	n, err := c.readHeader()
	if err != nil {
		return Packet{}, err
	}
	switch {
	case n < 0:
		s := Signal(n)
		if s == Terminate {
			return Packet{Signal: s}, ErrTerminated
		}
		return Packet{Signal: s}, nil
	case n > max:
		c.rerr = fmt.Errorf("%w: header announces %d bytes (max %d)", ErrTooBig, n, max)
		return Packet{}, c.rerr
	}
	data, err := c.readBody(int(n), into)
	if err != nil {
		return Packet{}, err
	}
	return Packet{Data: data}, nil
}

// RecvContext is Recv bounded by ctx: the context's deadline applies to the
// read, and cancelling ctx interrupts it. When ctx ends the returned error
// wraps ctx.Err(). An interrupted read that had already consumed part of a
// packet leaves the stream out of step (see Recv).
func (c *Conn) RecvContext(ctx context.Context) (Packet, error) {
	if err := ctx.Err(); err != nil {
		return Packet{}, fmt.Errorf("bsock: receive: %w", context.Cause(ctx))
	}
	stop := c.watch(ctx, true)
	p, err := c.Recv()
	return p, stop(err)
}

// readHeader reads a 4-byte header. Caller holds rmu.
func (c *Conn) readHeader() (int32, error) {
	got, err := io.ReadFull(c.r, c.hdr[:])
	if err != nil {
		switch {
		case got == 0 && err == io.EOF:
			return 0, io.EOF
		case got == 0 && !errors.Is(err, io.ErrUnexpectedEOF):
			// Nothing consumed (e.g. a timeout): the stream is still in step.
			return 0, fmt.Errorf("bsock: read header: %w", err)
		case errors.Is(err, io.ErrUnexpectedEOF):
			c.rerr = fmt.Errorf("%w (header: got %d of 4 bytes)", ErrTruncated, got)
		default:
			c.rerr = fmt.Errorf("bsock: read header (got %d of 4 bytes): %w", got, err)
		}
		return 0, c.rerr
	}
	return int32(binary.BigEndian.Uint32(c.hdr[:])), nil
}

// readBody reads n (0 <= n <= MaxPacket) payload bytes, into into when
// they fit in its length. Caller holds rmu.
func (c *Conn) readBody(n int, into []byte) ([]byte, error) {
	buf := into[:0:min(n, len(into))] // reads never go beyond the packet
	if into == nil || n > len(into) { // an empty packet's Data is empty, not nil
		buf = make([]byte, 0, min(n, initialBody))
	}
	for len(buf) < n {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), min(2*cap(buf), n))
			copy(nb, buf)
			buf = nb
		}
		m, err := c.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+m]
		if err != nil && len(buf) < n {
			if err == io.EOF {
				c.rerr = fmt.Errorf("%w (payload: got %d of %d bytes)", ErrTruncated, len(buf), n)
			} else {
				c.rerr = fmt.Errorf("bsock: read payload (got %d of %d bytes): %w", len(buf), n, err)
			}
			return nil, c.rerr
		}
	}
	return buf, nil
}

// watch applies ctx to the read (read=true) or write side of the
// connection until the returned stop function is called. stop restores the
// deadlines set by the user and, if ctx ended, turns the I/O error into one
// that wraps ctx.Err().
func (c *Conn) watch(ctx context.Context, read bool) (stop func(error) error) {
	dl, hasDL := ctx.Deadline()
	if ctx.Done() == nil && !hasDL {
		return func(err error) error { return err }
	}
	set := c.nc.SetWriteDeadline
	if read {
		set = c.nc.SetReadDeadline
	}
	user := func() time.Time {
		c.dmu.Lock()
		defer c.dmu.Unlock()
		if read {
			return c.readDL
		}
		return c.writeDL
	}
	if hasDL {
		if u := user(); u.IsZero() || dl.Before(u) {
			_ = set(dl)
		}
	}
	fired := make(chan struct{})
	stopAF := context.AfterFunc(ctx, func() {
		_ = set(longAgo)
		close(fired)
	})
	return func(err error) error {
		if !stopAF() {
			<-fired
		}
		if hasDL || ctx.Err() != nil {
			c.dmu.Lock()
			if read {
				_ = c.nc.SetReadDeadline(c.readDL)
			} else {
				_ = c.nc.SetWriteDeadline(c.writeDL)
			}
			c.dmu.Unlock()
		}
		if err != nil && ctx.Err() != nil && errors.Is(err, os.ErrDeadlineExceeded) {
			return fmt.Errorf("%w: %w", err, context.Cause(ctx))
		}
		return err
	}
}

// CloseGracefully closes the connection without making the kernel send a
// TCP reset: it reads and discards what the peer has already sent (for up
// to timeout), half-closes the sending side when the connection supports
// it (net.TCPConn, net.UnixConn), waits up to timeout for the peer to close
// its side, and closes. A reset would, for example, stop python-bareos from
// falling back from TLS-PSK to a cleartext connection.
func (c *Conn) CloseGracefully(timeout time.Duration) error {
	drain := func() {
		_ = c.nc.SetReadDeadline(time.Now().Add(timeout))
		_, _ = io.Copy(io.Discard, io.LimitReader(c.r, 1<<20))
	}
	if cw, ok := c.nc.(interface{ CloseWrite() error }); ok {
		drainShort := func() {
			// Take what has arrived already, without waiting for EOF.
			_ = c.nc.SetReadDeadline(time.Now().Add(min(timeout, 50*time.Millisecond)))
			_, _ = io.Copy(io.Discard, io.LimitReader(c.r, 1<<20))
		}
		drainShort()
		_ = cw.CloseWrite()
		drain()
	}
	return c.Close()
}
