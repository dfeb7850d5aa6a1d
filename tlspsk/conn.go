package tlspsk

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Conn is a TLS-PSK connection over a net.Conn. It implements net.Conn.
// Read and Write run the handshake first if it has not run yet; one Read
// and one Write may run concurrently.
type Conn struct {
	conn     net.Conn
	isClient bool
	config   *Config

	handshakeMu   sync.Mutex
	handshakeErr  error
	handshakeDone atomic.Bool
	state         ConnectionState // set before handshakeDone

	closed atomic.Bool

	in, out halfConn

	// Input state, guarded by in's mutex.
	raw        []byte // bytes read from conn, not yet consumed: raw[rawOff:]
	rawOff     int
	rawFilled  bool   // the last read filled raw: the peer sends faster than it is read
	input      []byte // decrypted application data not yet returned by Read
	hand       []byte // handshake bytes not yet consumed
	useless    int    // records in a row that carried no progress
	vers       uint16 // the version, once known (governs CCS handling)
	ccsSeen    bool   // TLS 1.2: a ChangeCipherSpec arrived
	earlyMode  int    // TLS 1.3 server: how to skip rejected 0-RTT data
	earlySkip  int    // bytes of it still allowed
	transcript []byte // the handshake messages so far

	// Output state, guarded by out's mutex.
	outBuf []byte // records not yet written

	// Test knobs (client): no middlebox-compatibility session ID; an
	// early_data extension and these records sent right after the
	// ClientHello.
	testNoCompat  bool
	testEarlyData [][]byte
}

const (
	earlyNone  = iota
	earlyTrial // skip records that fail to decrypt under the handshake key
	earlyAll   // skip every application_data record (after a HelloRetryRequest)
)

// Server returns the server side of a TLS-PSK connection on conn. The
// handshake runs on the first Read or Write, or on Handshake. To hand over
// a connection whose first bytes were already read (to tell TLS from
// cleartext), wrap it with PrefixConn.
func Server(conn net.Conn, config *Config) *Conn {
	return &Conn{conn: conn, config: config}
}

// Client returns the client side of a TLS-PSK connection on conn.
func Client(conn net.Conn, config *Config) *Conn {
	return &Conn{conn: conn, config: config, isClient: true}
}

// NetConn returns the underlying connection. Writing to it directly (as
// the Director does with its BNET_TERMINATE after a failed handshake)
// bypasses TLS.
func (c *Conn) NetConn() net.Conn { return c.conn }

// LocalAddr returns the local network address.
func (c *Conn) LocalAddr() net.Addr { return c.conn.LocalAddr() }

// RemoteAddr returns the remote network address.
func (c *Conn) RemoteAddr() net.Addr { return c.conn.RemoteAddr() }

// SetDeadline sets the read and write deadlines of the underlying
// connection. A Write that times out leaves the connection unusable for
// writing (a record may be cut); a Read that times out may be retried.
func (c *Conn) SetDeadline(t time.Time) error { return c.conn.SetDeadline(t) }

// SetReadDeadline sets the read deadline of the underlying connection.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.conn.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline of the underlying connection.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }

// ConnectionState returns the negotiated parameters; HandshakeComplete is
// false before the handshake succeeded.
func (c *Conn) ConnectionState() ConnectionState {
	if c.handshakeDone.Load() {
		return c.state
	}
	return ConnectionState{}
}

func (c *Conn) rand() io.Reader {
	if c.config != nil && c.config.Rand != nil {
		return c.config.Rand
	}
	return rand.Reader
}

// Handshake runs the handshake if it has not run yet, bounded by
// Config.HandshakeTimeout.
func (c *Conn) Handshake() error { return c.HandshakeContext(context.Background()) }

// HandshakeContext runs the handshake if it has not run yet, bounded by
// ctx and by Config.HandshakeTimeout. If the bound interrupts the
// handshake, the error wraps the context's error and the underlying
// connection's deadline is reset to none. A failed handshake has sent its
// alert; the connection is then unusable but stays open (the caller may
// still write to NetConn and must Close it).
func (c *Conn) HandshakeContext(ctx context.Context) (err error) {
	if c.handshakeDone.Load() {
		return nil
	}
	c.handshakeMu.Lock()
	defer c.handshakeMu.Unlock()
	if c.handshakeErr != nil {
		return c.handshakeErr
	}
	if c.handshakeDone.Load() {
		return nil
	}
	if c.closed.Load() {
		return ErrClosed
	}
	if err := c.config.check(c.isClient); err != nil {
		c.handshakeErr = err
		return err
	}
	if d := c.config.handshakeTimeout(); d > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	interrupted := make(chan struct{})
	stop := context.AfterFunc(ctx, func() {
		defer close(interrupted)
		c.conn.SetDeadline(time.Unix(1, 0))
	})

	c.in.Lock()
	if c.isClient {
		err = c.clientHandshake(ctx)
	} else {
		err = c.serverHandshake(ctx)
	}
	clear(c.transcript)
	c.transcript = nil
	if err != nil && c.in.err == nil {
		c.in.err = err
	}
	c.in.Unlock()

	if !stop() {
		<-interrupted
		c.conn.SetDeadline(time.Time{})
		if err != nil {
			err = fmt.Errorf("tlspsk: handshake: %w (%w)", ctx.Err(), err)
		}
	}
	if err != nil {
		if err == io.EOF {
			err = fmt.Errorf("tlspsk: handshake: peer closed the connection: %w", io.ErrUnexpectedEOF)
		}
		c.handshakeErr = err
		c.out.Lock()
		if c.out.err == nil {
			c.out.err = err
		}
		c.out.Unlock()
		return err
	}
	c.handshakeDone.Store(true)
	return nil
}

// abort ends the connection because of err: an *AlertError made here is
// sent to the peer (unless writing already failed); any other error (I/O)
// is returned as it is. Callers hold in's mutex.
func (c *Conn) abort(err error) error {
	var ae *AlertError
	if errors.As(err, &ae) && !ae.Remote {
		c.out.Lock()
		if c.out.err == nil {
			c.sendAlertLocked(ae.Alert)
			c.out.err = err
		}
		c.out.Unlock()
	}
	if c.in.err == nil {
		c.in.err = err
	}
	return err
}

// sendAlertLocked sends an alert; close_notify and no_renegotiation are
// warnings, everything else fatal. Callers hold out's mutex.
func (c *Conn) sendAlertLocked(a Alert) error {
	level := byte(2)
	if a == AlertCloseNotify || a == AlertNoRenegotiation || a == AlertUserCanceled {
		level = 1
	}
	var err error
	c.outBuf, err = c.out.appendRecord(c.outBuf, recordAlert, []byte{level, byte(a)}, VersionTLS12)
	if err != nil {
		return err
	}
	return c.flushLocked()
}

// flushLocked writes the queued records. Callers hold out's mutex.
func (c *Conn) flushLocked() error {
	if len(c.outBuf) == 0 {
		return nil
	}
	_, err := c.conn.Write(c.outBuf)
	c.outBuf = c.outBuf[:0]
	if err != nil && c.out.err == nil {
		c.out.err = err
	}
	return err
}

func (c *Conn) flush() error {
	c.out.Lock()
	defer c.out.Unlock()
	return c.flushLocked()
}

// queueRecords queues data as records of type typ (fragmented at
// maxPlaintext) without writing them.
func (c *Conn) queueRecords(typ recordType, data []byte, vers uint16) error {
	c.out.Lock()
	defer c.out.Unlock()
	if c.out.err != nil {
		return c.out.err
	}
	for first := true; first || len(data) > 0; first = false {
		n := min(len(data), maxPlaintext)
		var err error
		c.outBuf, err = c.out.appendRecord(c.outBuf, typ, data[:n], vers)
		if err != nil {
			return err
		}
		data = data[n:]
	}
	return nil
}

// queueHandshake queues handshake messages and adds them to the
// transcript.
func (c *Conn) queueHandshake(msgs ...[]byte) error {
	var all []byte
	for _, m := range msgs {
		c.transcript = append(c.transcript, m...)
		all = append(all, m...)
	}
	return c.queueRecords(recordHandshake, all, VersionTLS12)
}

func (c *Conn) queueChangeCipherSpec() error {
	return c.queueRecords(recordChangeCipherSpec, []byte{1}, VersionTLS12)
}

// sendFinished12 ends a TLS 1.2 handshake flight: ChangeCipherSpec, the
// write side switched to key and iv, the Finished message fin, all sent.
func (c *Conn) sendFinished12(suite *cipherSuite, key, iv, fin []byte) error {
	if err := c.queueChangeCipherSpec(); err != nil {
		return err
	}
	c.out.Lock()
	err := c.out.setKey(VersionTLS12, suite, key, iv)
	c.out.Unlock()
	if err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	if err := c.queueHandshake(fin); err != nil {
		return err
	}
	return c.flush()
}

// setOutKey13 installs a TLS 1.3 write secret (copied).
func (c *Conn) setOutKey13(s *cipherSuite, secret []byte) error {
	c.out.Lock()
	defer c.out.Unlock()
	return c.out.setTrafficSecret13(s, bytes.Clone(secret))
}

// fill makes n bytes available in c.raw[c.rawOff:]. Only called when
// c.input is empty: compacting the buffer may move what it aliases.
func (c *Conn) fill(n int) error {
	for len(c.raw)-c.rawOff < n {
		if c.raw == nil {
			c.raw = make([]byte, 0, recordHeaderLen+maxCiphertext12)
		}
		if cap(c.raw)-c.rawOff < n {
			buf := c.raw[:cap(c.raw)]
			// A bulk transfer: read several records at a time, with
			// fewer system calls.
			grow := c.rawFilled && cap(c.raw) < maxRawBuffer
			if grow {
				buf = make([]byte, min(2*cap(c.raw), maxRawBuffer))
			}
			m := copy(buf, c.raw[c.rawOff:])
			if grow {
				clear(c.raw[:cap(c.raw)]) // it held decrypted records
			}
			c.raw, c.rawOff = buf[:m], 0
		}
		free := cap(c.raw) - len(c.raw)
		m, err := c.conn.Read(c.raw[len(c.raw):cap(c.raw)])
		c.raw = c.raw[:len(c.raw)+m]
		c.rawFilled = m == free
		if err != nil && len(c.raw)-c.rawOff < n {
			if err == io.EOF && len(c.raw) > c.rawOff {
				err = io.ErrUnexpectedEOF
			}
			return err
		}
	}
	return nil
}

// readErr records a read error: sticky unless it is a timeout (the
// partial record stays buffered and a later Read continues it).
func (c *Conn) readErr(err error) error {
	if !errors.Is(err, os.ErrDeadlineExceeded) && c.in.err == nil {
		c.in.err = err
	}
	return err
}

// readRecord reads and processes one record. expectCCS: a TLS 1.2
// ChangeCipherSpec is due (and sets c.ccsSeen). Callers hold in's mutex.
func (c *Conn) readRecord(expectCCS bool) error {
	if c.in.err != nil {
		return c.in.err
	}
	if err := c.fill(recordHeaderLen); err != nil {
		return c.readErr(err)
	}
	hdr := c.raw[c.rawOff : c.rawOff+recordHeaderLen]
	typ := recordType(hdr[0])
	n := int(hdr[3])<<8 | int(hdr[4])
	if typ < recordChangeCipherSpec || typ > recordApplicationData {
		return c.abort(alertf(AlertUnexpectedMessage, "record of unknown type %d", typ))
	}
	if hdr[1] != 3 {
		return c.abort(alertf(AlertProtocolVersion, "record version %#02x%02x is not TLS", hdr[1], hdr[2]))
	}
	limit := maxCiphertext13
	switch {
	case c.in.aead == nil && typ != recordApplicationData:
		limit = maxPlaintext
	case c.in.aead != nil && c.in.version == VersionTLS12:
		limit = maxCiphertext12
	}
	if n > limit {
		return c.abort(alertf(AlertRecordOverflow, "record of %d bytes (limit %d)", n, limit))
	}
	if err := c.fill(recordHeaderLen + n); err != nil {
		return c.readErr(err)
	}
	hdr = c.raw[c.rawOff : c.rawOff+recordHeaderLen]
	body := c.raw[c.rawOff+recordHeaderLen : c.rawOff+recordHeaderLen+n]
	c.rawOff += recordHeaderLen + n

	// TLS 1.3 middlebox compatibility: an unprotected ChangeCipherSpec
	// during the handshake is dropped (RFC 8446 5).
	if typ == recordChangeCipherSpec && c.vers == VersionTLS13 {
		if c.handshakeDone.Load() || n != 1 || body[0] != 1 || len(c.hand) > 0 {
			return c.abort(alertf(AlertUnexpectedMessage, "ChangeCipherSpec in TLS 1.3"))
		}
		return c.noProgress()
	}

	// A peer that failed to process our first flight may send its alert
	// unprotected although we already expect protected records.
	if typ == recordAlert && c.in.aead != nil && c.in.version == VersionTLS13 && !c.handshakeDone.Load() {
		return c.handleAlert(body)
	}

	// Rejected 0-RTT data (TLS 1.3 server): skipped, within a budget.
	if typ == recordApplicationData && c.earlyMode == earlyAll {
		return c.skipEarlyData(n)
	}
	inner, data, err := c.in.open(hdr, body)
	if err != nil {
		if c.earlyMode == earlyTrial && typ == recordApplicationData {
			return c.skipEarlyData(n)
		}
		return c.abort(err)
	}
	c.earlyMode = earlyNone
	typ = inner
	if len(c.hand) > 0 && typ != recordHandshake && typ != recordAlert {
		return c.abort(alertf(AlertUnexpectedMessage, "record of type %d inside a fragmented handshake message", typ))
	}
	switch typ {
	case recordAlert:
		return c.handleAlert(data)
	case recordChangeCipherSpec:
		if !expectCCS || len(data) != 1 || data[0] != 1 {
			return c.abort(alertf(AlertUnexpectedMessage, "unexpected ChangeCipherSpec"))
		}
		c.ccsSeen = true
		return nil
	case recordHandshake:
		if len(data) == 0 {
			return c.abort(alertf(AlertUnexpectedMessage, "empty handshake record"))
		}
		if expectCCS {
			return c.abort(alertf(AlertUnexpectedMessage, "handshake message where ChangeCipherSpec was due"))
		}
		c.hand = append(c.hand, data...)
		return nil
	default: // application data
		if !c.handshakeDone.Load() {
			return c.abort(alertf(AlertUnexpectedMessage, "application data before the handshake completed"))
		}
		if len(data) == 0 {
			return c.noProgress()
		}
		c.useless = 0
		c.input = data
		return nil
	}
}

func (c *Conn) skipEarlyData(n int) error {
	c.earlySkip -= n
	if c.earlySkip < 0 {
		return c.abort(alertf(AlertBadRecordMAC, "too much rejected early data"))
	}
	return nil
}

// noProgress counts a record that carried nothing; too many in a row end
// the connection.
func (c *Conn) noProgress() error {
	c.useless++
	if c.useless > maxUselessRecords {
		return c.abort(alertf(AlertUnexpectedMessage, "too many records without data"))
	}
	return nil
}

func (c *Conn) handleAlert(data []byte) error {
	if len(data) != 2 {
		return c.abort(alertf(AlertDecodeError, "alert record of %d bytes", len(data)))
	}
	a := Alert(data[1])
	if a == AlertCloseNotify {
		c.in.err = io.EOF
		return io.EOF
	}
	warning := data[0] == 1
	if c.vers == VersionTLS13 {
		warning = a == AlertUserCanceled
	}
	if warning {
		return c.noProgress()
	}
	err := &AlertError{Alert: a, Remote: true}
	c.in.err = err
	c.out.Lock()
	if c.out.err == nil {
		c.out.err = err
	}
	c.out.Unlock()
	return err
}

// readHandshake returns the next handshake message, header included (a
// copy). Callers hold in's mutex.
func (c *Conn) readHandshake() ([]byte, error) {
	for len(c.hand) < 4 {
		if err := c.readRecord(false); err != nil {
			return nil, err
		}
	}
	n := int(c.hand[1])<<16 | int(c.hand[2])<<8 | int(c.hand[3])
	if n > maxHandshake {
		return nil, c.abort(alertf(AlertDecodeError, "handshake message of %d bytes (limit %d)", n, maxHandshake))
	}
	for len(c.hand) < 4+n {
		if err := c.readRecord(false); err != nil {
			return nil, err
		}
	}
	msg := bytes.Clone(c.hand[:4+n])
	c.hand = c.hand[4+n:]
	if len(c.hand) == 0 {
		c.hand = nil
	}
	return msg, nil
}

// readChangeCipherSpec waits for a TLS 1.2 ChangeCipherSpec.
func (c *Conn) readChangeCipherSpec() error {
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "ChangeCipherSpec inside a handshake message"))
	}
	c.ccsSeen = false
	for !c.ccsSeen {
		if err := c.readRecord(true); err != nil {
			return err
		}
	}
	return nil
}

// Read reads application data, running the handshake first if needed.
// It returns io.EOF after the peer's close_notify.
func (c *Conn) Read(b []byte) (int, error) {
	if err := c.Handshake(); err != nil {
		return 0, err
	}
	if len(b) == 0 {
		return 0, nil
	}
	c.in.Lock()
	defer c.in.Unlock()
	for len(c.input) == 0 {
		if err := c.readRecord(false); err != nil {
			return 0, err
		}
		for len(c.hand) > 0 {
			if err := c.handlePostHandshake(); err != nil {
				return 0, err
			}
		}
	}
	n := copy(b, c.input)
	c.input = c.input[n:]
	return n, nil
}

// handlePostHandshake processes a handshake message after the handshake:
// KeyUpdate and NewSessionTicket (TLS 1.3), and refuses renegotiation
// (TLS 1.2).
func (c *Conn) handlePostHandshake() error {
	msg, err := c.readHandshake()
	if err != nil {
		return err
	}
	if err := c.noProgress(); err != nil {
		return err
	}
	typ, body := msg[0], msg[4:]
	if c.vers == VersionTLS12 {
		if c.isClient && typ == typeHelloRequest || !c.isClient && typ == typeClientHello {
			c.out.Lock()
			defer c.out.Unlock()
			if c.out.err != nil {
				return nil // not writing any more (CloseWrite): nothing to refuse with
			}
			return c.sendAlertLocked(AlertNoRenegotiation)
		}
		return c.abort(alertf(AlertUnexpectedMessage, "handshake message of type %d after the handshake", typ))
	}
	switch {
	case typ == typeNewSessionTicket && c.isClient:
		if !parseNewSessionTicket(body) {
			return c.abort(alertf(AlertDecodeError, "malformed NewSessionTicket"))
		}
		return nil // no resumption: the ticket is dropped
	case typ == typeKeyUpdate:
		if len(body) != 1 {
			return c.abort(alertf(AlertDecodeError, "malformed KeyUpdate"))
		}
		if body[0] > 1 {
			return c.abort(alertf(AlertIllegalParameter, "KeyUpdate request %d", body[0]))
		}
		if len(c.hand) > 0 {
			return c.abort(alertf(AlertUnexpectedMessage, "KeyUpdate not at a record boundary"))
		}
		if err := c.in.setTrafficSecret13(c.in.suite, nextTrafficSecret(c.in.suite, c.in.secret)); err != nil {
			return c.abort(alertf(AlertInternalError, "key update: %v", err))
		}
		if body[0] == 1 {
			c.out.Lock()
			defer c.out.Unlock()
			if c.out.err != nil {
				return nil // not writing any more (CloseWrite): no key to update
			}
			return c.sendKeyUpdateLocked()
		}
		return nil
	}
	return c.abort(alertf(AlertUnexpectedMessage, "handshake message of type %d after the handshake", typ))
}

// sendKeyUpdateLocked sends a KeyUpdate (update_not_requested) and
// switches to the next write key. Callers hold out's mutex.
func (c *Conn) sendKeyUpdateLocked() error {
	if c.out.err != nil {
		return c.out.err
	}
	var err error
	c.outBuf, err = c.out.appendRecord(c.outBuf, recordHandshake, []byte{typeKeyUpdate, 0, 0, 1, 0}, VersionTLS12)
	if err == nil {
		err = c.flushLocked()
	}
	if err == nil {
		err = c.out.setTrafficSecret13(c.out.suite, nextTrafficSecret(c.out.suite, c.out.secret))
	}
	if err != nil && c.out.err == nil {
		c.out.err = err
	}
	return err
}

// keyUpdateAfterRecords is when a TLS 1.3 write key is replaced (well
// below the AES-GCM limit of RFC 8446 5.5); a variable for tests.
var keyUpdateAfterRecords uint64 = keyUpdateAfter

// Write writes application data, running the handshake first if needed.
func (c *Conn) Write(b []byte) (int, error) {
	if c.closed.Load() {
		return 0, ErrClosed
	}
	if err := c.Handshake(); err != nil {
		return 0, err
	}
	c.out.Lock()
	defer c.out.Unlock()
	if c.out.err != nil {
		return 0, c.out.err
	}
	written, queued := 0, 0
	for len(b) > 0 {
		if c.vers == VersionTLS13 && c.out.seq >= keyUpdateAfterRecords {
			if err := c.flushLocked(); err != nil {
				return written, err
			}
			written += queued
			queued = 0
			if err := c.sendKeyUpdateLocked(); err != nil {
				return written, err
			}
		}
		n := min(len(b), maxPlaintext)
		var err error
		c.outBuf, err = c.out.appendRecord(c.outBuf, recordApplicationData, b[:n], VersionTLS12)
		if err != nil {
			c.out.err = err
			return written, err
		}
		b = b[n:]
		queued += n
		if len(c.outBuf) >= writeBatchMaxBytes || len(b) == 0 {
			if err := c.flushLocked(); err != nil {
				return written, err
			}
			written += queued
			queued = 0
		}
	}
	return written, nil
}

var errShutdown = errors.New("tlspsk: write after CloseWrite")

// CloseWrite sends close_notify and shuts down the writing side of the
// underlying connection when it can (*net.TCPConn, PrefixConn over one).
func (c *Conn) CloseWrite() error {
	if !c.handshakeDone.Load() {
		return errors.New("tlspsk: CloseWrite before the handshake completed")
	}
	c.out.Lock()
	var err error
	if c.out.err == nil {
		err = c.sendAlertLocked(AlertCloseNotify)
		c.out.err = errShutdown
	}
	c.out.Unlock()
	if cw, ok := c.conn.(interface{ CloseWrite() error }); ok {
		if e := cw.CloseWrite(); err == nil {
			err = e
		}
	}
	return err
}

// closeNotifyTimeout bounds the close_notify that Close sends.
const closeNotifyTimeout = 5 * time.Second

// Close sends close_notify (after a completed handshake, unless a Write is
// in progress: then Close only breaks it), closes the underlying
// connection, and wipes the connection's keys and secrets. (The expanded
// key schedules inside the standard library's AEADs cannot be wiped; they
// become garbage.)
func (c *Conn) Close() error {
	if !c.closed.CompareAndSwap(false, true) {
		return ErrClosed
	}
	if c.handshakeDone.Load() && c.out.TryLock() {
		if c.out.err == nil {
			c.conn.SetWriteDeadline(time.Now().Add(closeNotifyTimeout))
			c.sendAlertLocked(AlertCloseNotify)
		}
		c.out.Unlock()
	}

	err := c.conn.Close()

	c.out.Lock()
	if c.out.err == nil || c.out.err == errShutdown {
		c.out.err = ErrClosed
	}
	c.out.wipe()
	clear(c.outBuf[:cap(c.outBuf)])
	c.outBuf = nil
	c.out.Unlock()

	c.in.Lock()
	if c.in.err == nil || c.in.err == io.EOF {
		c.in.err = ErrClosed
	}
	c.in.wipe()
	clear(c.raw[:cap(c.raw)])
	c.raw, c.rawOff, c.input = nil, 0, nil
	clear(c.hand)
	c.hand = nil
	c.in.Unlock()
	return err
}

// quote renders hostile bytes for an error message: quoted, at most 40
// bytes of them.
func quote(b []byte) string {
	if len(b) > 40 {
		return strconv.Quote(string(b[:40])) + "..."
	}
	return strconv.Quote(string(b))
}
