// Package console is a Go client for the Bareos Director console protocol,
// modelled on python-bareos's DirectorConsole and DirectorConsoleJson.
//
// Dial connects and logs in (see bsock.ClientHandshake): it sends the 18.2
// Hello and, when the login is refused and no protocol was forced, retries
// once with the 12.4 Hello. A plain console then sends "autodisplay off";
// a JSON console (Options.JSON) sends ".api json" and ".api json
// compact=yes".
//
// Call sends one command line and collects the answer: data packets are
// concatenated until BNET_EOD, BNET_TERMINATE, BNET_MAIN_PROMPT or
// BNET_SUB_PROMPT; other signals are skipped. BNET_TERMINATE means that
// the Director ended the conversation (it shuts down, or refused the
// session): the call returns what arrived with an error wrapping
// ErrTerminated, since the answer may be incomplete. CallPackets returns every
// packet instead, and CallJSON decodes a JSON-RPC answer of API mode 2.
// Unlike python-bareos, the client does not end an answer early at a line
// that looks like "1000 OK", so it cannot get out of step.
//
// When a command asks a question (run's "OK to run? (yes/mod/no): ", a
// selection list, a confirmation), the answer ends at the prompt (in API
// mode 1 at the data packet after BNET_TEXT_INPUT); Waiting tells which
// question is open, and the next Call or Answer sends the reply.
// Converse runs a whole conversation with an AnswerFunc such as Answers.
//
// When the connection is lost during a call, the client reconnects once,
// logs in again, restores its API mode and re-sends the command. A Client
// is safe for concurrent use; calls are serialised.
//
// # Transport security
//
// Like bconsole, the client starts TLS-PSK right after connecting (TLS
// 1.3, else 1.2; identity "R_CONSOLE" RS console name, key the md5 hex of
// the password) and runs the Hello and CRAM-MD5 inside the tunnel; it
// never falls back to cleartext. Options.TLS changes that as bconsole's
// TLS directives do: Disable ("TLS Enable = no") connects in cleartext;
// versions and suites narrow the handshake; Certificates use TLS with
// certificates instead of a PSK. A Director that refuses the handshake
// (wrong password, unknown console) gives an error wrapping
// ErrTLSRefused; one that does not speak TLS-PSK gives ErrNoTLS.
package console

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/ascii"
)

// DefaultAddr is the Director's console address used by the uaconsole
// command: the loopback interface, port 9101.
const DefaultAddr = "127.0.0.1:9101"

// Errors returned by the client.
var (
	// ErrClosed is returned by calls on a closed Client.
	ErrClosed = errors.New("console: client closed")
	// ErrInvalidJSON reports an answer that is not a JSON-RPC document
	// (python-bareos: JsonRpcInvalidJsonReceivedException).
	ErrInvalidJSON = errors.New("console: invalid JSON received")
	// ErrTerminated reports an answer that ended with BNET_TERMINATE: the
	// Director ended the conversation, and the answer may be incomplete
	// (a Director that shuts down cuts running commands). It wraps
	// bsock.ErrTerminated.
	ErrTerminated = fmt.Errorf("console: the director ended the conversation: %w", bsock.ErrTerminated)
	// ErrTLSRefused reports a TLS handshake the Director refused with an
	// alert: a wrong password, or a console it does not know (a Director
	// cannot tell them apart at this point). It wraps
	// bsock.ErrAuthFailed.
	ErrTLSRefused = fmt.Errorf("%w: the Director refused the TLS handshake", bsock.ErrAuthFailed)
	// ErrNoTLS reports a Director that does not answer a TLS handshake
	// with TLS (a Bacula Director, a Bareos Director before 18.2):
	// connect with TLSOptions.Disable.
	ErrNoTLS = errors.New("the Director does not speak TLS-PSK (connect without TLS: TLS Enable = no)")
)

// TLSOptions configure the TLS of a connection as bconsole's TLS
// directives do (those of its Console resource for a named console, of
// its Director resource for the default console). The zero value is
// bconsole's default: TLS-PSK with TLS 1.3 or 1.2, every suite of
// package tlspsk, and TLS required (the console announces ssl=2).
type TLSOptions struct {
	// Disable connects without TLS ("TLS Enable = no"); the console then
	// announces ssl=0, and a Director that requires TLS refuses it.
	Disable bool
	// Optional announces TLS as enabled but not required (ssl=1, "TLS
	// Require = no"). The connection still starts TLS unless Disable.
	Optional bool
	// MinVersion, MaxVersion and CipherSuites bound the TLS-PSK
	// handshake as in tlspsk.Config ("TLS Protocol", "TLS Cipher List",
	// "TLS Cipher Suites"; see config.TLSConfig.PSK).
	MinVersion, MaxVersion uint16
	CipherSuites           []uint16
	// HandshakeTimeout bounds the TLS handshake (zero:
	// tlspsk.DefaultHandshakeTimeout); Options.Timeout and the context
	// bound it too.
	HandshakeTimeout time.Duration
	// Certificates, if set, uses TLS with certificates (crypto/tls)
	// instead of TLS-PSK: for a Director configured with TLS
	// certificates ("TLS Certificate", "TLS CA Certificate File", ...).
	Certificates *tls.Config
}

// policy is the TLS policy the console announces in its challenge.
func (o TLSOptions) policy() int {
	switch {
	case o.Disable:
		return bsock.TLSNone
	case o.Optional:
		return bsock.TLSEnabled
	}
	return bsock.TLSRequired
}

// key is the console's TLS-PSK and CRAM-MD5 key.
func (o Options) key() string {
	if o.Key != "" {
		return o.Key
	}
	return bsock.PasswordKey(o.Password)
}

// PSKIdentity returns the TLS-PSK identity of a console as Bareos forms
// it: "R_CONSOLE", the record separator 0x1E and the name (not bashed);
// "" means the default console.
func PSKIdentity(name string) string {
	if name == "" {
		name = bsock.DefaultConsoleName
	}
	return "R_CONSOLE\x1e" + name
}

// Options configures Dial.
type Options struct {
	// Name is the console name; "" means the default console
	// ("*UserAgent*").
	Name string
	// Password is the console's cleartext password.
	Password string
	// PAMUser and PAMPassword are sent when the Director asks for a PAM
	// login (a console with "Use Pam Authentication"), as python-bareos's
	// pam_username and pam_password; see bsock.ClientConfig.
	PAMUser, PAMPassword string
	// Key, if set, is used instead of the MD5 of Password as the TLS-PSK
	// and CRAM-MD5 key: the digits of an "[md5]HEX" password as
	// configured (used as written, letter case included, as by Bareos).
	Key string
	// Protocol forces a protocol generation. With bsock.ProtoAuto (the
	// zero value) the client sends the 18.2 Hello and falls back to 12.4
	// once when the login is refused.
	Protocol bsock.Protocol
	// Timeout, if positive, bounds Dial and each call (in addition to the
	// context).
	Timeout time.Duration
	// JSON selects API mode 2 (JSON, compact) after login, like
	// DirectorConsoleJson.
	JSON bool
	// HelloVersion is the version sent in the 18.2 Hello; "" means
	// bsock.DefaultClientVersion.
	HelloVersion string
	// NoReconnect disables the reconnect after a lost connection.
	NoReconnect bool
	// DialContext opens the network connection; nil means a net.Dialer.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// TLS configures the transport security; the zero value is TLS-PSK,
	// as bconsole by default.
	TLS TLSOptions
}

// Client is a logged-in console connection.
type Client struct {
	addr string
	opts Options

	mu      sync.Mutex
	conn    *bsock.Conn // nil while disconnected
	proto   bsock.Protocol
	info    bsock.ServerInfo
	enc     string // TLS cipher and version, "" in cleartext
	mode    int    // API mode as last observed (0, 1, 2)
	lastAPI string // last ".api" command sent by the user, replayed after reconnect
	// sink, if set (by CallJSON and CallArray), receives the data of the
	// answer being read instead of its packets. Its argument is valid
	// only during the call.
	sink   func(data []byte)
	rbuf   []byte // the packet buffer of sink reads (MaxPacket bytes)
	closed bool
	prompt *Prompt // the question the Director waits to have answered, if any
}

// Dial connects to the Director at addr (host:port) and logs in.
func Dial(ctx context.Context, addr string, opts Options) (*Client, error) {
	c := &Client{addr: addr, opts: opts, proto: opts.Protocol}
	ctx, cancel := c.limit(ctx)
	defer cancel()
	if err := c.connect(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// limit applies Options.Timeout to ctx.
func (c *Client) limit(ctx context.Context) (context.Context, context.CancelFunc) {
	if c.opts.Timeout > 0 {
		return context.WithTimeout(ctx, c.opts.Timeout)
	}
	return ctx, func() {}
}

// connect dials, logs in (with the 12.4 fallback) and sets up the mode.
// Caller holds mu or owns c exclusively.
func (c *Client) connect(ctx context.Context) error {
	proto := c.proto
	if proto == bsock.ProtoAuto {
		proto = bsock.Proto182
	}
	conn, info, err := c.login(ctx, proto)
	if err != nil && errors.Is(err, bsock.ErrAuthFailed) && !errors.Is(err, ErrTLSRefused) && c.proto == bsock.ProtoAuto && ctx.Err() == nil &&
		!errors.Is(err, bsock.ErrPAMFailed) && c.opts.PAMUser == "" {
		// Like python-bareos: retry once with the old protocol, and keep
		// using it for later reconnects.
		var err2 error
		conn, info, err2 = c.login(ctx, bsock.Proto124)
		if err2 != nil {
			err = fmt.Errorf("login with protocol 18.2 failed (%w), and with 12.4: %w", err, err2)
			if errors.Is(err2, bsock.ErrLoginRefused) {
				return &refusedError{addr: c.addr, name: c.opts.Name, err: err}
			}
			return fmt.Errorf("console: %w", err)
		}
		c.proto = bsock.Proto124
		err = nil
	}
	if err != nil {
		if errors.Is(err, bsock.ErrLoginRefused) {
			return &refusedError{addr: c.addr, name: c.opts.Name, err: err}
		}
		return fmt.Errorf("console: %w", err)
	}
	c.conn, c.info, c.mode = conn, info, 0
	if err := c.setup(ctx); err != nil {
		c.drop()
		return fmt.Errorf("console: setting up the session: %w", err)
	}
	return nil
}

// refusedError is a login the Director refused: it says so in words and
// keeps the protocol detail for errors.Is and errors.As.
type refusedError struct {
	addr, name string
	err        error
}

func (e *refusedError) Error() string {
	who := "the default console"
	if e.name != "" {
		who = fmt.Sprintf("console %q", e.name)
	}
	return fmt.Sprintf("console: %s refused the login of %s: unknown console or wrong password", e.addr, who)
}

func (e *refusedError) Unwrap() error { return e.err }

func (c *Client) login(ctx context.Context, proto bsock.Protocol) (*bsock.Conn, bsock.ServerInfo, error) {
	dial := c.opts.DialContext
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	nc, err := dial(ctx, "tcp", c.addr)
	if err != nil {
		return nil, bsock.ServerInfo{}, fmt.Errorf("connect to %s: %w", c.addr, err)
	}
	tc, enc, err := c.startTLS(ctx, nc)
	if err != nil {
		nc.Close()
		return nil, bsock.ServerInfo{}, err
	}
	conn := bsock.NewConn(tc)
	info, err := bsock.ClientHandshake(ctx, conn, bsock.ClientConfig{
		Name:      c.opts.Name,
		Password:  c.opts.Password,
		Key:       c.opts.Key,
		Protocol:  proto,
		Version:   c.opts.HelloVersion,
		TLSPolicy: c.opts.TLS.policy(),
		TLS:       enc != "",

		PAMUser:     c.opts.PAMUser,
		PAMPassword: c.opts.PAMPassword,
	})
	if err != nil {
		conn.Close()
		return nil, bsock.ServerInfo{}, err
	}
	c.enc = enc
	return conn, info, nil
}

// setup runs the commands that follow the login.
func (c *Client) setup(ctx context.Context) error {
	if c.opts.JSON {
		for _, cmd := range []string{".api json", ".api json compact=yes"} {
			pkts, err := c.roundTrip(ctx, cmd)
			if err != nil {
				return err
			}
			if _, err := decodeJSON(joinData(pkts)); err != nil {
				return fmt.Errorf("%q: %w", cmd, err)
			}
		}
	} else {
		if _, err := c.roundTrip(ctx, "autodisplay off"); err != nil {
			return err
		}
	}
	if c.lastAPI != "" {
		if _, err := c.roundTrip(ctx, c.lastAPI); err != nil {
			return err
		}
	}
	return nil
}

// drop closes the current connection; the next call reconnects.
func (c *Client) drop() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// Close closes the connection. Like python-bareos it sends nothing before
// closing.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return ErrClosed
	}
	c.closed = true
	if c.conn == nil {
		return nil
	}
	err := c.conn.Close()
	c.conn = nil
	return err
}

// Info returns what the Director said at the last login.
func (c *Client) Info() bsock.ServerInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info
}

// Encryption returns the TLS cipher and version of the connection as
// OpenSSL names them ("TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"), which
// bconsole shows after " Encryption: "; "" for a cleartext connection.
func (c *Client) Encryption() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.enc
}

// Protocol returns the protocol generation in use (after a fallback:
// bsock.Proto124).
func (c *Client) Protocol() bsock.Protocol {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.info.Protocol
}

// Mode returns the API mode as observed from the Director's answers: 0
// after an answer ended with BNET_EOD, 1 or 2 after an answer ended with
// BNET_MAIN_PROMPT (2 after a successful ".api 2"/".api json").
func (c *Client) Mode() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode
}

// Call sends the command line cmd and returns the concatenated data of the
// answer. After BNET_TERMINATE it returns what arrived and an error
// wrapping ErrTerminated.
func (c *Client) Call(ctx context.Context, cmd string) (string, error) {
	pkts, err := c.CallPackets(ctx, cmd)
	return joinData(pkts), err
}

// CallPackets sends the command line cmd and returns every packet of the
// answer, signals included, up to and including the terminating signal
// (BNET_EOD, BNET_MAIN_PROMPT, BNET_SUB_PROMPT or BNET_TERMINATE). After
// BNET_TERMINATE it returns the packets and an error wrapping
// ErrTerminated, and drops the connection; the next call reconnects.
func (c *Client) CallPackets(ctx context.Context, cmd string) ([]bsock.Packet, error) {
	return c.call(ctx, cmd, nil, nil)
}

// call is CallPackets; with a sink, the data of the command's answer goes
// to sink instead of the packets. When the connection is lost, it is
// re-established and cmd re-sent once, unless reset (if not nil) reports
// that the sink cannot start over.
func (c *Client) call(ctx context.Context, cmd string, sink func([]byte), reset func() bool) ([]bsock.Packet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	ctx, cancel := c.limit(ctx)
	defer cancel()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("console: %q: %w", cmd, context.Cause(ctx))
	}

	if c.prompt != nil {
		// The line answers the Director's question: it belongs to the
		// running command, so it is never re-sent on a new connection.
		return c.answer(ctx, cmd)
	}
	reconnected := false
	if c.conn == nil {
		if c.opts.NoReconnect {
			return nil, fmt.Errorf("console: %q: not connected", cmd)
		}
		if err := c.connect(ctx); err != nil {
			return nil, err
		}
		reconnected = true
	}
	c.sink = sink
	pkts, err := c.roundTrip(ctx, cmd)
	c.sink = nil
	if err != nil && lost(err) && !reconnected && !c.opts.NoReconnect && ctx.Err() == nil && (reset == nil || reset()) {
		if rerr := c.connect(ctx); rerr != nil {
			return nil, fmt.Errorf("console: %q: %w (reconnect failed: %w)", cmd, err, rerr)
		}
		c.sink = sink
		pkts, err = c.roundTrip(ctx, cmd)
		c.sink = nil
	}
	if errors.Is(err, ErrTerminated) {
		return pkts, fmt.Errorf("console: %q: %w", cmd, err)
	}
	if err != nil {
		return nil, fmt.Errorf("console: %q: %w", cmd, err)
	}
	if isAPICommand(cmd) {
		c.lastAPI = cmd
	}
	return pkts, nil
}

// CallJSON sends cmd and decodes the answer as a JSON-RPC document (API
// mode 2). It returns the "result" member; an "error" member gives an
// *RPCError; anything else an error wrapping ErrInvalidJSON. An empty
// answer gives the zero gjson.Result and no error (python-bareos: None).
//
// The answer's data is joined as it arrives, so that a large answer (a
// million rows of .bvfs_lsfiles are 340 MB) is held about once: each
// packet is copied into a buffer that grows tenfold and is dropped at
// once, and the string the result refers to is that buffer.
func (c *Client) CallJSON(ctx context.Context, cmd string) (gjson.Result, error) {
	var data strings.Builder
	sink := func(p []byte) {
		if free := data.Cap() - data.Len(); free < len(p) {
			data.Grow(max(len(p), 8*data.Len()))
		}
		data.Write(p)
	}
	reset := func() bool { data.Reset(); return true }
	pkts, err := c.call(ctx, cmd, sink, reset)
	if err != nil {
		if r, jerr := decodeJSON(data.String()); errors.Is(err, ErrTerminated) && jerr == nil {
			return r, err // a whole answer, then the end of the conversation
		}
		return gjson.Result{}, err
	}
	text := data.String()
	if text == "" {
		text = joinData(pkts) // an answer to a question: read as packets
	}
	r, err := decodeJSON(text)
	if err != nil {
		return gjson.Result{}, fmt.Errorf("console: %q: %w", cmd, err)
	}
	return r, nil
}

// roundTrip sends cmd and reads the answer. On an I/O error the
// connection is dropped. Caller holds mu.
func (c *Client) roundTrip(ctx context.Context, cmd string) ([]bsock.Packet, error) {
	conn := c.conn
	if err := conn.SendContext(ctx, []byte(cmd)); err != nil {
		c.drop()
		return nil, err
	}
	return c.readAnswer(ctx, cmd)
}

// readAnswer reads packets until the Director ends the answer or waits
// for input: BNET_EOD, BNET_MAIN_PROMPT, BNET_TERMINATE, BNET_SUB_PROMPT,
// or (API modes) the data packet that follows BNET_TEXT_INPUT, which is
// the prompt. Caller holds mu.
func (c *Client) readAnswer(ctx context.Context, cmd string) ([]bsock.Packet, error) {
	conn := c.conn
	c.prompt = nil
	var pkts []bsock.Packet
	textInput := false
	for {
		var p bsock.Packet
		var err error
		if c.sink != nil {
			if c.rbuf == nil {
				c.rbuf = make([]byte, bsock.MaxPacket)
			}
			p, err = conn.RecvInto(ctx, c.rbuf) // copied to the sink below
		} else {
			p, err = conn.RecvContext(ctx)
		}
		if err != nil && !errors.Is(err, bsock.ErrTerminated) {
			c.drop()
			return nil, err
		}
		if c.sink != nil && p.Signal == 0 {
			// CallJSON, CallArray: the data goes to the sink, not into
			// pkts.
			c.sink(p.Data)
			p.Data = nil
		}
		pkts = append(pkts, p)
		switch p.Signal {
		case bsock.EOD:
			c.mode = 0
			return pkts, nil
		case bsock.MainPrompt:
			c.mode = apiModeAfter(cmd, c.mode)
			return pkts, nil
		case bsock.SubPrompt:
			c.prompt = promptOf(pkts)
			return pkts, nil
		case bsock.Terminate:
			c.drop()
			return pkts, ErrTerminated
		case bsock.TextInput:
			textInput = true
		case 0:
			if textInput {
				c.prompt = promptOf(pkts)
				return pkts, nil
			}
		}
	}
}

// apiModeAfter infers the API mode after an answer that ended with
// MAIN_PROMPT (so the mode is 1 or 2).
func apiModeAfter(cmd string, prev int) int {
	if isAPICommand(cmd) {
		f := fields(cmd)
		if len(f) == 1 {
			return 1
		}
		switch {
		case f[1] == "1" || ascii.EqualFold(f[1], "on"):
			return 1
		case f[1] == "2" || ascii.EqualFold(f[1], "json"):
			return 2
		}
	}
	if prev == 0 {
		return 1
	}
	return prev
}

// isAPICommand reports whether the first word of cmd is ".api".
func isAPICommand(cmd string) bool {
	f := fields(cmd)
	return len(f) > 0 && ascii.EqualFold(f[0], ".api")
}

// fields splits a command line at ASCII blanks, as the Director does.
func fields(cmd string) []string {
	return strings.FieldsFunc(cmd, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r'
	})
}

// joinData concatenates the data of the packets into a string, copying
// each byte once (a large answer is not copied again into the string).
func joinData(pkts []bsock.Packet) string {
	n := 0
	for _, p := range pkts {
		n += len(p.Data)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range pkts {
		b.Write(p.Data)
	}
	return b.String()
}

// lost reports whether err means the connection is gone (as opposed to a
// timeout, a cancelled context or a protocol violation).
func lost(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, bsock.ErrTruncated) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrClosedPipe) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ECONNABORTED)
}
