package uacontext

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
)

// DefaultAuthTimeout bounds a console login when Server.AuthTimeout is
// zero.
const DefaultAuthTimeout = 60 * time.Second

// DefaultWriteTimeout bounds each packet sent to a console when
// Server.WriteTimeout is zero: a console that stops reading for that long
// loses its connection.
const DefaultWriteTimeout = 5 * time.Minute

// DefaultMaxConsoleConnections is the Director's default of "Maximum
// Console Connections", used when Server.MaxConsoleConnections is zero.
const DefaultMaxConsoleConnections = 20

// ErrServerClosed is returned by Serve after Shutdown or Close, and is
// the cause (context.Cause) of the contexts of the commands that Close
// cancels.
var ErrServerClosed = errors.New("uacontext: server closed")

// errConsoleGone is the cause of a command's context when the console
// disconnected or terminated the conversation while the command ran.
var errConsoleGone = errors.New("uacontext: console disconnected")

// Server accepts console connections and runs a Director session on each:
// the start of the connection (TLS-PSK, or a cleartext Hello that the
// console's TLSPolicy allows; see TLSConfig), the login
// (bsock.ServerHandshake) and then the command loop.
//
// Its lifecycle follows net/http.Server: Serve accepts until Shutdown or
// Close; Shutdown stops accepting, ends idle sessions, lets running
// commands finish their answers and then closes; Close closes every
// connection at once and cancels the contexts of running commands
// without waiting for their handlers.
//
// The zero Server serves only the built-in commands and refuses every
// login (it knows no console and no default console key). Its fields must
// not be changed while it serves.
type Server struct {
	// Director describes the Director; empty fields take the values of
	// DefaultDirectorInfo.
	Director DirectorInfo
	// DefaultKey is the CRAM-MD5 key (lower-case hex MD5 of the
	// Director's password, see bsock.PasswordKey) of the default console
	// "*UserAgent*". Empty: the default console cannot log in.
	DefaultKey string
	// Consoles looks up the named consoles at login time (ConsoleList
	// serves a fixed list); nil: only the default console may log in. It
	// is consulted for every login, so a source that changes (a reloaded
	// configuration) takes effect for the next login; running sessions
	// keep the Console they logged in with.
	Consoles ConsoleSource
	// Table is the command table; nil means DefaultTable().
	Table *Table
	// Messages is the console message queue shared by all sessions; may
	// be nil.
	Messages *MessageQueue
	// Resources answers resource output filters; may be nil.
	Resources ResourceLookup
	// Log receives connection, login and command records; nil discards
	// them. Passwords and keys are never logged, and values of command
	// arguments whose keyword contains "password" are masked.
	Log *slog.Logger
	// AuthTimeout bounds the whole login; zero means DefaultAuthTimeout.
	AuthTimeout time.Duration
	// WriteTimeout bounds the sending of each packet to a console; zero
	// means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// PromptTimeout bounds each wait for the answer to a prompt inside a
	// command (UA.PromptTimeout); zero means no limit, as in the
	// Director.
	PromptTimeout time.Duration
	// FailDelay is waited after a failed login (twice) and before
	// refusing a malformed Hello, as brute-force throttling. Zero means
	// the Director's bsock.DefaultFailDelay (5 s); a negative value
	// disables the delay (for tests).
	FailDelay time.Duration
	// MaxConsoleConnections is the Director resource's "Maximum Console
	// Connections": the number of console connections (past the Hello,
	// for a known console) the server keeps at once. As the Director
	// does, a named console beyond it is refused right after its Hello
	// (BNET_TERMINATE, close) and the default console is let in anyway
	// (with a log record). Zero means DefaultMaxConsoleConnections; a
	// negative value means no limit.
	MaxConsoleConnections int
	// Rand and Now feed the login challenge (see bsock.ServerConfig); nil
	// means crypto/rand and time.Now.
	Rand io.Reader
	Now  func() time.Time
	// DefaultTLSPolicy is the TLS policy of the default console: the
	// Director resource's TLS Enable and TLS Require (the Director's
	// default is TLSRequired). The zero value, TLSNone, lets it log in
	// without TLS. Named consoles have their own (Console.TLS). A
	// connection that starts with a TLS handshake is served inside TLS
	// whatever the policy (see TLSPolicy).
	DefaultTLSPolicy TLSPolicy
	// TLS configures the TLS the server accepts; nil means TLS-PSK with
	// the defaults of package tlspsk.
	TLS *TLSConfig

	initOnce sync.Once
	table    *Table
	log      *slog.Logger

	mu         sync.Mutex
	listeners  map[*net.Listener]struct{}
	conns      map[*serverConn]struct{}
	inShutdown atomic.Bool
	leases     atomic.Int64 // console connections past a known console's Hello
}

func (s *Server) init() {
	s.initOnce.Do(func() {
		s.table = s.Table
		if s.table == nil {
			s.table = DefaultTable()
		}
		s.log = s.Log
		if s.log == nil {
			s.log = slog.New(slog.DiscardHandler)
		}
	})
}

// failDelay is the delay bsock waits after a failed login.
func (s *Server) failDelay() time.Duration {
	switch {
	case s.FailDelay < 0:
		return 0
	case s.FailDelay == 0:
		return bsock.DefaultFailDelay
	}
	return s.FailDelay
}

// maxConsoles is the connection limit, or -1 for none.
func (s *Server) maxConsoles() int64 {
	switch {
	case s.MaxConsoleConnections < 0:
		return -1
	case s.MaxConsoleConnections == 0:
		return DefaultMaxConsoleConnections
	}
	return int64(s.MaxConsoleConnections)
}

// loginLookup is the console lookup of one login (the bsock.ServerConfig
// Lookup function): it finds the console's key, takes a connection lease
// and applies Maximum Console Connections as the Director does.
type loginLookup struct {
	s       *Server
	ctx     context.Context
	log     *slog.Logger
	console *Console // the named console found; nil for the default console
	leased  bool

	// The console found by find, which the start of a connection (TLS
	// key, TLS policy) and the login share.
	found     *Console
	foundName string
	known     bool // the console of the last policyOf or find exists
}

// find looks the named console up in the server's ConsoleSource, once
// per connection and name.
func (l *loginLookup) find(ctx context.Context, name string) (*Console, bool) {
	if l.found != nil && l.foundName == name {
		l.known = true
		return l.found, true
	}
	l.known = false
	if l.s.Consoles == nil {
		return nil, false
	}
	c, err := l.s.Consoles.LookupConsole(ctx, name)
	switch {
	case errors.Is(err, ErrUnknownConsole):
		return nil, false
	case err != nil:
		l.log.Error("console lookup failed", "console", name, "err", err)
		return nil, false
	case c == nil || c.Key == "":
		return nil, false
	}
	l.found, l.foundName, l.known = c, name, true
	return c, true
}

func (l *loginLookup) lookup(name string) (string, bool) {
	s := l.s
	var key string
	if name == bsock.DefaultConsoleName {
		if s.DefaultKey == "" {
			return "", false
		}
		key = s.DefaultKey
	} else {
		c, ok := l.find(l.ctx, name)
		if !ok {
			return "", false
		}
		l.console, key = c, c.Key
	}
	n := s.leases.Add(1)
	l.leased = true
	if limit := s.maxConsoles(); limit >= 0 && n > limit {
		if name != bsock.DefaultConsoleName {
			l.log.Error("number of console connections exceeded; console refused", "console", name, "max", limit, "current", n)
			return "", false
		}
		l.log.Info("number of console connections exceeded; the default console may connect anyway", "max", limit, "current", n)
	}
	return strings.ToLower(key), true
}

// release gives the connection lease back.
func (l *loginLookup) release() {
	if l.leased {
		l.s.leases.Add(-1)
		l.leased = false
	}
}

// Serve accepts connections on ln and serves each in its own goroutine
// until Shutdown or Close is called; then it returns ErrServerClosed
// (without waiting for the sessions: Shutdown does that). If accepting
// fails for another reason, Serve closes ln and returns the error; the
// sessions already running go on. Serve always closes ln.
func (s *Server) Serve(ln net.Listener) error {
	s.init()
	if !s.trackListener(&ln, true) {
		ln.Close()
		return ErrServerClosed
	}
	defer s.trackListener(&ln, false)
	defer ln.Close()

	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.shuttingDown() {
				return ErrServerClosed
			}
			if temporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.log.Warn("accept failed; retrying", "err", err, "delay", delay)
				time.Sleep(delay)
				continue
			}
			return fmt.Errorf("uacontext: accept: %w", err)
		}
		delay = 0
		sc, ok := s.newConn(context.Background(), nc)
		if !ok {
			nc.Close()
			return ErrServerClosed
		}
		go s.serve(sc)
	}
}

// temporary reports accept errors worth retrying.
func temporary(err error) bool {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, syscall.EMFILE) || errors.Is(err, syscall.ENFILE) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.ENOBUFS) ||
		errors.Is(err, syscall.ENOMEM)
}

// ServeConn runs one console connection to its end, the login and then
// the session loop, and closes nc before it returns. The connection
// counts as one of the server's: Shutdown waits for it and Close closes
// it. ctx is the base of the contexts of its commands; when ctx ends,
// the connection is closed at once, as Close does. After Shutdown or
// Close, ServeConn closes nc without serving it.
func (s *Server) ServeConn(ctx context.Context, nc net.Conn) {
	s.init()
	sc, ok := s.newConn(ctx, nc)
	if !ok {
		nc.Close()
		return
	}
	s.serve(sc)
}

// Shutdown stops the server gracefully: it closes the listeners, ends the
// sessions that wait for a command and the logins in progress, and waits
// for the running commands to finish and send their answers; each such
// session then ends. If ctx ends first, Shutdown closes the remaining
// connections as Close does and returns ctx's error; otherwise it returns
// nil once every connection is closed. Serve returns ErrServerClosed at
// once.
func (s *Server) Shutdown(ctx context.Context) error {
	s.inShutdown.Store(true)
	s.mu.Lock()
	s.closeListenersLocked()
	for c := range s.conns {
		c.drain()
	}
	s.mu.Unlock()

	const maxPoll = 100 * time.Millisecond
	poll := time.Millisecond
	t := time.NewTimer(poll)
	defer t.Stop()
	for {
		if s.numConns() == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			s.Close()
			return ctx.Err()
		case <-t.C:
			poll = min(2*poll, maxPoll)
			t.Reset(poll)
		}
	}
}

// Close closes the listeners and every connection at once, and cancels
// the contexts of running commands (their cause is ErrServerClosed). It
// does not wait for handlers to return: a handler that ignores its
// context keeps its goroutine, but not its connection.
func (s *Server) Close() error {
	s.inShutdown.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeListenersLocked()
	for c := range s.conns {
		c.close(ErrServerClosed)
	}
	return nil
}

func (s *Server) shuttingDown() bool { return s.inShutdown.Load() }

func (s *Server) trackListener(ln *net.Listener, add bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if add {
		if s.shuttingDown() {
			return false
		}
		if s.listeners == nil {
			s.listeners = make(map[*net.Listener]struct{})
		}
		s.listeners[ln] = struct{}{}
	} else {
		delete(s.listeners, ln)
	}
	return true
}

func (s *Server) closeListenersLocked() {
	for ln := range s.listeners {
		(*ln).Close()
	}
}

func (s *Server) numConns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Connection states, for Shutdown.
const (
	stateLogin  = iota // the login runs
	stateIdle          // the session waits for a command
	stateActive        // a command runs
)

// serverConn is one connection the server tracks.
type serverConn struct {
	srv    *Server
	nc     net.Conn
	c      *bsock.Conn
	ctx    context.Context // ends when the connection is closed
	cancel context.CancelCauseFunc

	mu       sync.Mutex
	state    int
	draining chan struct{} // closed when a graceful shutdown began
	drained  bool
	session  *SessionInfo // set once the console logged in
}

// SessionInfo describes a console session a Server runs.
type SessionInfo struct {
	Console   string    // the console's name; "*UserAgent*" for the default console
	Remote    string    // the console's network address
	Connected time.Time // when the connection was accepted
	// Encryption is the TLS cipher and version of the connection as
	// OpenSSL names them ("TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"); ""
	// for a cleartext connection.
	Encryption string
}

// Sessions returns the sessions of the consoles logged in now, in the
// order they connected (status director lists them).
func (s *Server) Sessions() []SessionInfo {
	s.mu.Lock()
	out := make([]SessionInfo, 0, len(s.conns))
	for c := range s.conns {
		c.mu.Lock()
		if c.session != nil {
			out = append(out, *c.session)
		}
		c.mu.Unlock()
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b SessionInfo) int { return a.Connected.Compare(b.Connected) })
	return out
}

func (s *Server) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// newConn registers a connection; false after Shutdown or Close.
func (s *Server) newConn(base context.Context, nc net.Conn) (*serverConn, bool) {
	ctx, cancel := context.WithCancelCause(base)
	sc := &serverConn{srv: s, nc: nc, c: bsock.NewConn(nc), ctx: ctx, cancel: cancel, draining: make(chan struct{})}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shuttingDown() {
		cancel(ErrServerClosed)
		return nil, false
	}
	if s.conns == nil {
		s.conns = make(map[*serverConn]struct{})
	}
	s.conns[sc] = struct{}{}
	return sc, true
}

// drain asks the session to end when it is not running a command: a
// login in progress or an idle session ends at once.
func (sc *serverConn) drain() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if !sc.drained {
		sc.drained = true
		close(sc.draining)
	}
	if sc.state == stateLogin {
		sc.closeLocked(ErrServerClosed)
	}
}

// setState records the session's state; it reports false when a
// graceful shutdown has begun and the session should end instead of
// waiting for the next command.
func (sc *serverConn) setState(state int) bool {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.state = state
	return !(state == stateIdle && sc.drained)
}

// close ends the connection at once: its context (and the running
// command's) is canceled with cause, and the socket is closed.
func (sc *serverConn) close(cause error) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.closeLocked(cause)
}

func (sc *serverConn) closeLocked(cause error) {
	sc.cancel(cause)
	sc.nc.Close() // first: a TLS close_notify then fails at once instead of blocking
	sc.c.Close()
}

// setConn makes the packet connection of the session run over conn (the
// TLS connection, or the raw one with the bytes read to tell them apart
// put back).
func (sc *serverConn) setConn(conn net.Conn) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.c = bsock.NewConn(conn)
}

// conn returns the packet connection.
func (sc *serverConn) conn() *bsock.Conn {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.c
}

// serve runs the connection to its end and unregisters it.
func (s *Server) serve(sc *serverConn) {
	defer func() {
		sc.conn().Close() // inside TLS, with close_notify
		sc.close(errors.New("uacontext: session ended"))
		s.mu.Lock()
		delete(s.conns, sc)
		s.mu.Unlock()
	}()
	// The base context ending closes the connection (ServeConn).
	stop := context.AfterFunc(sc.ctx, func() { sc.close(context.Cause(sc.ctx)) })
	defer stop()

	nc := sc.nc
	connected := s.now()
	log := s.log.With("remote", nc.RemoteAddr().String())
	log.Info("console connection")

	authTimeout := s.AuthTimeout
	if authTimeout <= 0 {
		authTimeout = DefaultAuthTimeout
	}
	actx, acancel := context.WithTimeout(sc.ctx, authTimeout)
	l := &loginLookup{s: s, ctx: actx, log: log}
	defer l.release()
	start, err := s.startConn(actx, sc, l, log)
	if err != nil {
		acancel()
		log.Warn("console connection refused", "err", err)
		return
	}
	c := sc.conn()
	res, err := bsock.ServerHandshake(actx, c, bsock.ServerConfig{
		DirectorName: s.director().Name,
		Version:      s.director().Version,
		Date:         s.director().Date,
		Banner:       s.director().Banner,
		Lookup:       l.lookup,
		FailDelay:    s.failDelay(),
		Rand:         s.Rand,
		Now:          s.Now,
		TLSPolicy:    int(start.policy),
		Encryption:   start.encryption,
	})
	acancel()
	if err != nil {
		log.Warn("console login failed", "err", err)
		return
	}
	console := l.console
	info := &SessionInfo{Console: res.Console, Remote: nc.RemoteAddr().String(), Connected: connected, Encryption: start.encryption}
	sc.mu.Lock()
	sc.session = info
	sc.mu.Unlock()
	log = log.With("console", res.Console)
	log.Info("console logged in", "protocol", res.Protocol.String(), "hello_version", res.HelloVersion, "encryption", encryptionOrNone(start.encryption))

	w := writeTimeout{c, cmp.Or(s.WriteTimeout, DefaultWriteTimeout)}
	ua := NewUA(w, Options{
		Console:   console,
		Table:     s.table,
		Director:  s.Director,
		Messages:  s.Messages,
		Resources: s.Resources,
		Log:       log,
		Connected: connected,
		Sessions:  s.Sessions,

		PromptTimeout: s.PromptTimeout,
	})
	err = runSession(sc.ctx, w, ua, sc)
	log.Info("console session ended", "reason", sessionEnd(err))
}

// writeTimeout bounds every packet a session sends by a write deadline,
// set afresh before each one (setting a deadline costs no system call).
type writeTimeout struct {
	*bsock.Conn
	d time.Duration
}

func (w writeTimeout) Send(p []byte) error {
	w.SetWriteDeadline(time.Now().Add(w.d))
	return w.Conn.Send(p)
}

func (w writeTimeout) Signal(sig bsock.Signal) error {
	w.SetWriteDeadline(time.Now().Add(w.d))
	return w.Conn.Signal(sig)
}

func (s *Server) director() DirectorInfo { return s.Director.withDefaults() }

// sessionEnd describes why a session ended, for the log.
func sessionEnd(err error) string {
	if err == nil {
		return "quit"
	}
	return err.Error()
}

// PacketConn is the connection a session loop reads commands from and
// writes answers to; *bsock.Conn implements it.
type PacketConn interface {
	Conn
	// RecvContext reads one packet; cancelling ctx interrupts the read.
	RecvContext(ctx context.Context) (bsock.Packet, error)
}

// Session runs the Director's command loop on an authenticated
// connection until the client quits, ends the connection, or ctx ends:
//
//   - in the API modes BNET_MAIN_PROMPT starts every turn (it also ends
//     the previous answer);
//   - a data packet is executed as a command line (UA.Execute); unless
//     the command ended the session, pending console messages are shown
//     or announced, and in mode 0 BNET_EOD ends the answer;
//   - BNET_TERMINATE, end of file or a read error end the session; any
//     other signal is answered with BNET_POLL.
//
// While a command runs, Session reads ahead (at most one packet), so that
// it notices when the console disconnects or sends BNET_TERMINATE: the
// command's context is then canceled. The context also ends with ctx.
//
// Session returns nil when the client quit (quit, exit, .quit), and
// otherwise the error that ended it. It does not close c.
func Session(ctx context.Context, c PacketConn, ua *UA) error {
	return runSession(ctx, c, ua, nil)
}

// recvResult is one packet read ahead.
type recvResult struct {
	p   bsock.Packet
	err error
}

// sessionConn is a UA's connection during a session: it sends as the
// connection does and receives (for prompts) from the session's reader.
type sessionConn struct {
	Conn
	in <-chan recvResult
}

// RecvContext returns the next packet the session's reader got, or the
// cause of ctx's end.
func (c sessionConn) RecvContext(ctx context.Context) (bsock.Packet, error) {
	select {
	case r := <-c.in:
		return r.p, r.err
	case <-ctx.Done():
		return bsock.Packet{}, context.Cause(ctx)
	}
}

// runSession is Session; sc (nil outside a Server) learns the session's
// state for a graceful shutdown.
func runSession(ctx context.Context, c PacketConn, ua *UA, sc *serverConn) error {
	ctx, cancel := context.WithCancelCause(ctx)
	in := make(chan recvResult)
	var (
		mu        sync.Mutex
		cmdCancel context.CancelCauseFunc // of the running command, nil when idle
		gone      error                   // set when the console went away
	)
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		for {
			p, err := c.RecvContext(ctx)
			if err != nil && ctx.Err() == nil {
				mu.Lock()
				gone = err
				if cmdCancel != nil {
					cmdCancel(fmt.Errorf("%w: %w", errConsoleGone, err))
				}
				mu.Unlock()
			}
			select {
			case in <- recvResult{p, err}:
			case <-ctx.Done():
				return
			}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		cancel(errors.New("uacontext: session ended"))
		<-readerDone
	}()
	// The prompts of a running command read the console's answers
	// through the session's reader, which owns the connection's input.
	if ua.conn != nil {
		orig := ua.conn
		ua.conn = sessionConn{Conn: orig, in: in}
		defer func() { ua.conn = orig }()
	}

	var draining <-chan struct{}
	if sc != nil {
		draining = sc.draining
	}
	for !ua.Quit {
		if ua.Mode() != apimode.Off {
			ua.Signal(bsock.MainPrompt)
		}
		if sc != nil && !sc.setState(stateIdle) {
			return fmt.Errorf("uacontext: session: %w", ErrServerClosed)
		}
		var r recvResult
		select {
		case r = <-in:
		case <-draining:
			return fmt.Errorf("uacontext: session: %w", ErrServerClosed)
		case <-ctx.Done():
			return fmt.Errorf("uacontext: session: %w", context.Cause(ctx))
		}
		if r.err != nil {
			return fmt.Errorf("uacontext: session: %w", r.err)
		}
		if r.p.IsSignal() {
			ua.Signal(bsock.Poll)
			continue
		}
		if sc != nil {
			sc.setState(stateActive)
		}
		cmdCtx, cmdStop := context.WithCancelCause(ctx)
		mu.Lock()
		if gone != nil {
			cmdStop(fmt.Errorf("%w: %w", errConsoleGone, gone))
		}
		cmdCancel = cmdStop
		mu.Unlock()
		err := ua.Execute(cmdCtx, string(r.p.Data))
		mu.Lock()
		cmdCancel = nil
		mu.Unlock()
		cmdStop(nil)
		if len(ua.Args) > 0 {
			ua.Log.Info("console command", "command", redactedLine(ua.Args), "ok", err == nil, "api", int(ua.Mode()))
		}
		if !ua.Quit {
			ua.afterCommand()
		}
		if err := ua.Err(); err != nil {
			return err
		}
	}
	return nil
}

// afterCommand shows or announces pending console messages and ends a
// mode-0 answer with BNET_EOD.
func (ua *UA) afterCommand() {
	if ua.Messages.Pending() && ua.ACLAccessOK(ACLCommand, "messages") {
		if ua.AutoDisplay {
			ua.Cmd = "messages"
			ua.doMessages()
		} else if !ua.GUI && !ua.UserNotified {
			if ua.Mode() != apimode.Off {
				ua.Signal(bsock.MsgsPending)
			} else {
				ua.SendPacket([]byte("You have messages.\n"))
			}
			ua.UserNotified = true
		}
	}
	if ua.Mode() == apimode.Off {
		ua.Signal(bsock.EOD)
	}
}

// redactedLine renders parsed arguments for the log, masking the values
// of keywords that look like passwords.
func redactedLine(args []Arg) string {
	var b strings.Builder
	for i, a := range args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Key)
		if a.HasValue {
			b.WriteByte('=')
			if strings.Contains(strings.ToLower(a.Key), "password") {
				b.WriteString("***")
			} else {
				b.WriteString(a.Value)
			}
		}
	}
	return b.String()
}
