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
	"github.com/uaformat/uaformat/internal/logbound"
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
	// Director's password, see bsock.PasswordKey, or the digits of an
	// "[md5]HEX" password as written) of the default console
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
	// Log receives connection, login and session records; nil discards
	// them. Passwords and keys are never logged, values of command
	// arguments whose keyword contains "password" are masked, and every
	// value is cut to a bounded prefix (internal/logbound.DefaultMax
	// bytes), so that nothing a console sends is copied into the log in
	// full. Records about connections that have not logged in are
	// rate-limited server-wide, and the records of each session per
	// session (the numbers of records dropped are reported); command
	// lines are logged only by auditing (Audit) and at debug level.
	Log *slog.Logger
	// Audit configures the auditing of console commands, as the
	// Director's "Auditing" and "Audit Events"; off by default.
	Audit Audit
	// AuthTimeout bounds the whole login; zero means DefaultAuthTimeout.
	AuthTimeout time.Duration
	// WriteTimeout bounds the sending of each packet to a console; zero
	// means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// PromptTimeout bounds each wait for the answer to a prompt inside a
	// command (UA.PromptTimeout); zero means no limit, as in the
	// Director.
	PromptTimeout time.Duration
	// FailDelay throttles password guessing. After a failed login from
	// an address (an IPv4 address, an IPv6 /64), the next password check
	// from it waits FailDelay, doubling with each further failure up to
	// MaxFailDelay; checks from one address run one at a time; a success
	// clears the address. Once logins as one console have failed from
	// several addresses, checks for that console from addresses that
	// have not logged in as it before wait their turn, one per FailDelay.
	// An attempt whose turn would come after its login deadline
	// (AuthTimeout) is refused at once, unchecked, so a guesser's
	// connections are not held. PAM passwords are throttled the same
	// way. The verdict of a check is sent at once and a failed
	// connection closed (the Director holds it for the delay, which
	// slows no guesser that reconnects but keeps its connections open).
	// Zero means the Director's bsock.DefaultFailDelay (5 s); a negative
	// value disables throttling (for tests).
	FailDelay time.Duration
	// MaxFailDelay bounds the per-address delay; zero means
	// DefaultMaxFailDelay.
	MaxFailDelay time.Duration
	// MaxUnauthenticated bounds the connections that have not logged in
	// yet (enforced when Serve accepts them): beyond it, a new
	// connection takes the place of the oldest one of the host that
	// holds the most, or is refused (BNET_TERMINATE, close) if that is
	// its own host. MaxUnauthenticatedPerHost bounds them per host (an
	// IPv4 address, an IPv6 /64): one more is refused at once. Slow or
	// silent connections from one host can thus not starve logins from
	// another. Zero means DefaultMaxUnauthenticated and
	// DefaultMaxUnauthenticatedPerHost; negative, no limit. ServeConn is
	// not subject to them (its caller accepts).
	MaxUnauthenticated        int
	MaxUnauthenticatedPerHost int
	// OutputMemory bounds the memory that all sessions together hold for
	// answers not yet sent: buffered mode-2 results and packets being
	// written. When a session needs more, the session that has been
	// blocked longest (a second or more) sending to a console that does
	// not read, and that holds memory, is ended (logged with its
	// reason); if there is none, the answer that needs the memory is
	// discarded and the console gets an error instead
	// (formatter.DiscardedMessage). Zero means DefaultOutputMemory;
	// negative, no limit.
	OutputMemory int64
	// PAM checks the PAM credentials of consoles with UsePAM; nil
	// refuses them (with a log record).
	PAM PAMVerifier
	// MaxConsoleConnections is the Director resource's "Maximum Console
	// Connections": the number of consoles logged in at once. As the
	// Director does, a named console beyond it is refused right after its
	// Hello (BNET_TERMINATE, close) and the default console is let in
	// anyway (with a log record). Unlike the Director, which counts
	// connections from their start, only consoles that have logged in
	// count (logins in progress are limited by MaxUnauthenticated), so
	// that connections that never log in cannot lock the named consoles
	// out; logins that finish at the same moment may pass the limit by
	// the few in flight. Zero means DefaultMaxConsoleConnections; a
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
	log      *slog.Logger // bounded
	connLog  *slog.Logger // bounded and rate-limited: pre-login records
	pending  pendingLogins
	throttle *loginThrottle // nil: no throttling
	budget   *outputBudget

	mu         sync.Mutex
	listeners  map[*net.Listener]struct{}
	conns      map[*serverConn]struct{}
	inShutdown atomic.Bool
	leases     atomic.Int64 // consoles logged in
}

func (s *Server) init() {
	s.initOnce.Do(func() {
		s.table = s.Table
		if s.table == nil {
			s.table = DefaultTable()
		}
		h := slog.DiscardHandler
		if s.Log != nil {
			h = s.Log.Handler()
		}
		bounded := logbound.New(h, 0)
		s.log = slog.New(bounded)
		s.connLog = slog.New(logbound.NewLimiter(bounded, connLogRate, connLogBurst))
		s.pending.max = limitOr(s.MaxUnauthenticated, DefaultMaxUnauthenticated)
		s.pending.perHost = limitOr(s.MaxUnauthenticatedPerHost, DefaultMaxUnauthenticatedPerHost)
		if s.FailDelay >= 0 {
			s.throttle = &loginThrottle{base: s.failDelay(), max: cmp.Or(s.MaxFailDelay, DefaultMaxFailDelay), now: time.Now}
		}
		s.budget = &outputBudget{limit: int64(limitOr(int(s.OutputMemory), DefaultOutputMemory))}
	})
}

// Log rates: records about connections that have not logged in (for the
// whole server), and the records of one session.
const (
	connLogRate, connLogBurst       = 5, 50
	sessionLogRate, sessionLogBurst = 2, 20
)

// limitOr maps a limit field: zero is def, negative is no limit (-1).
func limitOr(v, def int) int {
	switch {
	case v < 0:
		return -1
	case v == 0:
		return def
	}
	return v
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
	host    string   // hostKey of the console's address
	console *Console // the named console found; nil for the default console
	user    *Console // the User resource of a PAM login
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

// admit is the bsock.ServerConfig Admit hook: the failed-login throttle
// for the console's password; a right answer takes the console's lease
// (Maximum Console Connections) before the console learns it logged in.
func (l *loginLookup) admit(ctx context.Context, console string) (func(bool), error) {
	var verdict func(bool)
	if l.s.throttle != nil {
		var err error
		verdict, err = l.s.throttle.admit(ctx, "password", l.host, console)
		if err != nil {
			l.log.Warn("login attempt refused unchecked: too many failed logins", "console", console, "err", err)
			return nil, err
		}
	}
	return func(ok bool) {
		if verdict != nil {
			verdict(ok)
		}
		if ok {
			l.lease()
		}
	}, nil
}

// requirePAM reports whether the console found must log in with PAM.
func (l *loginLookup) requirePAM(string) bool {
	if l.console == nil || !l.console.UsePAM {
		return false
	}
	if l.s.PAM == nil {
		l.log.Error("console requires a PAM login (Use Pam Authentication), but the server has no PAM verifier; login refused",
			"console", l.console.Name)
	}
	return true
}

// verifyPAM checks PAM credentials (throttled like passwords) and finds
// the user's User resource.
func (l *loginLookup) verifyPAM(ctx context.Context, console, user, password string) (string, error) {
	s := l.s
	if s.throttle != nil {
		verdict, err := s.throttle.admit(ctx, "pam", l.host, user)
		if err != nil {
			l.log.Warn("PAM login attempt refused unchecked: too many failed logins", "console", console, "user", user, "err", err)
			return "", err
		}
		err = s.PAM.VerifyPAM(ctx, console, user, password)
		verdict(err == nil)
		if err != nil {
			return "", err
		}
	} else if err := s.PAM.VerifyPAM(ctx, console, user, password); err != nil {
		return "", err
	}
	users, ok := s.Consoles.(UserSource)
	if !ok {
		l.log.Error("PAM login refused: the console source knows no User resources", "console", console, "user", user)
		return "", fmt.Errorf("%w: %.40q", ErrUnknownUser, user)
	}
	u, err := users.LookupUser(ctx, user)
	if err != nil {
		l.log.Warn("PAM login refused: no User resource for the user", "console", console, "user", user, "err", err)
		return "", err
	}
	l.user = u
	return user, nil
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
	if limit := s.maxConsoles(); limit >= 0 {
		if n := s.leases.Load(); n >= limit {
			if name != bsock.DefaultConsoleName {
				l.log.Error("number of console connections exceeded; console refused", "console", name, "max", limit, "current", n+1)
				return "", false
			}
			l.log.Info("number of console connections exceeded; the default console may connect anyway", "max", limit, "current", n+1)
		}
	}
	return key, true
}

// lease counts the console that has logged in (see release).
func (l *loginLookup) lease() {
	if !l.leased {
		l.s.leases.Add(1)
		l.leased = true
	}
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
		// The accept-time limits come first, before anything is
		// allocated for the connection: a flood of connections is
		// refused as cheaply as possible.
		sc := &serverConn{srv: s, nc: nc}
		if !s.admitAccepted(sc) {
			continue
		}
		if !s.newConn(context.Background(), sc) {
			s.pending.release(sc)
			nc.Close()
			return ErrServerClosed
		}
		go s.serve(sc)
	}
}

// admitAccepted applies the accept-time limits to a connection Serve has
// just accepted (MaxUnauthenticated, MaxUnauthenticatedPerHost): it
// reports whether to serve it; a refused connection has been refused and
// unregistered, and a connection it displaced is closed.
func (s *Server) admitAccepted(sc *serverConn) bool {
	host := hostKey(sc.nc.RemoteAddr())
	ok, evicted := s.pending.admit(sc, host)
	if evicted != nil {
		s.connLog.Warn("too many connections that have not logged in: closing the oldest of the host with the most",
			"remote", evicted.nc.RemoteAddr().String(), "max", s.pending.max)
		evicted.close(errEvicted)
	}
	if !ok {
		s.connLog.Warn("too many connections that have not logged in: connection refused",
			"remote", sc.nc.RemoteAddr().String(), "max", s.pending.max, "max_per_host", s.pending.perHost)
		refuseAtAccept(sc.nc)
	}
	return ok
}

// errEvicted is the cause of a connection refused or displaced by the
// accept-time limits.
var errEvicted = errors.New("uacontext: too many connections that have not logged in")

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
	sc := &serverConn{srv: s, nc: nc}
	if ok := s.newConn(ctx, sc); !ok {
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
//
// A console whose connection it closes is told, unless the server is in
// the middle of writing to it: a session waiting for a command gets
// BNET_TERMINATE (the Director's termination signal), a session whose
// command runs gets CutMessage as an error of its API mode, then
// BNET_TERMINATE, so it does not mistake the cut answer for a whole one.
func (s *Server) Close() error {
	s.inShutdown.Store(true)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closeListenersLocked()
	var wg sync.WaitGroup
	for c := range s.conns {
		wg.Go(func() {
			c.terminate()
			c.close(ErrServerClosed)
		})
	}
	wg.Wait()
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
	session  *SessionInfo  // set once the console logged in
	w        *serverWriter // set once the console logged in
	mode     sessionMode   // the session's API mode, as last recorded

	// pending, pendingHost: registered in Server.pending (under its lock).
	pending     bool
	pendingHost string
	pendingSeq  uint64
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

// newConn sets sc up for serving (sc.srv and sc.nc set) and registers
// it; false after Shutdown or Close.
func (s *Server) newConn(base context.Context, sc *serverConn) bool {
	ctx, cancel := context.WithCancelCause(base)
	sc.c, sc.ctx, sc.cancel, sc.draining = bsock.NewConn(sc.nc), ctx, cancel, make(chan struct{})
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.shuttingDown() {
		cancel(ErrServerClosed)
		return false
	}
	if s.conns == nil {
		s.conns = make(map[*serverConn]struct{})
	}
	s.conns[sc] = struct{}{}
	return true
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

// terminate sends the termination notice of a session (see Close).
func (sc *serverConn) terminate() {
	sc.mu.Lock()
	w, m, cut := sc.w, sc.mode, sc.state == stateActive
	sc.mu.Unlock()
	if w != nil {
		w.terminate(m, cut)
	}
}

// setMode records the session's API mode for the termination notice.
func (sc *serverConn) setMode(m sessionMode) {
	sc.mu.Lock()
	sc.mode = m
	sc.mu.Unlock()
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
		s.pending.release(sc)
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
	remote := nc.RemoteAddr().String()
	connLog := s.connLog.With("remote", remote)
	connLog.Debug("console connection")

	authTimeout := s.AuthTimeout
	if authTimeout <= 0 {
		authTimeout = DefaultAuthTimeout
	}
	actx, acancel := context.WithTimeout(sc.ctx, authTimeout)
	l := &loginLookup{s: s, ctx: actx, log: connLog, host: hostKey(nc.RemoteAddr())}
	defer l.release()
	start, err := s.startConn(actx, sc, l, connLog)
	if err != nil {
		acancel()
		connLog.Warn("console connection refused", "err", err)
		return
	}
	c := sc.conn()
	cfg := bsock.ServerConfig{
		DirectorName: s.director().Name,
		Version:      s.director().Version,
		Date:         s.director().Date,
		Banner:       s.director().Banner,
		Lookup:       l.lookup,
		Rand:         s.Rand,
		Now:          s.Now,
		TLSPolicy:    int(start.policy),
		Encryption:   start.encryption,
		RequirePAM:   l.requirePAM,
	}
	if s.PAM != nil {
		cfg.VerifyPAM = l.verifyPAM
	}
	cfg.Admit = l.admit
	res, err := bsock.ServerHandshake(actx, c, cfg)
	acancel()
	s.pending.release(sc)
	if err != nil {
		connLog.Warn("console login failed", "err", err)
		return
	}
	console, name := l.console, res.Console
	if l.user != nil {
		console, name = l.user, l.user.Name
	}
	info := &SessionInfo{Console: name, Remote: remote, Connected: connected, Encryption: start.encryption}
	sc.mu.Lock()
	sc.session = info
	sc.mu.Unlock()
	connLog.Info("console logged in", "console", res.Console, "pam_user", res.PAMUser,
		"protocol", res.Protocol.String(), "hello_version", res.HelloVersion, "encryption", encryptionOrNone(start.encryption))

	// From here on the session has its own log rate.
	log := slog.New(logbound.NewLimiter(s.log.Handler(), sessionLogRate, sessionLogBurst)).
		With("remote", remote, "console", name)
	acct := s.budget.account(func(cause error, held int64, blockedFor time.Duration) {
		log.ErrorContext(logbound.Always(context.Background()), "ending the session of a console that does not read",
			"reason", cause, "held_bytes", held, "blocked", blockedFor.Round(time.Millisecond))
		sc.close(cause)
	})
	defer acct.close()
	w := &serverWriter{c: c, timeout: cmp.Or(s.WriteTimeout, DefaultWriteTimeout), acct: acct}
	sc.mu.Lock()
	sc.w = w
	sc.mu.Unlock()
	ua := NewUA(w, Options{
		Console:    console,
		Table:      s.table,
		Director:   s.Director,
		Messages:   s.Messages,
		Resources:  s.Resources,
		Log:        log,
		Audit:      s.Audit,
		Remote:     remote,
		SessionLog: true,
		Budget:     acct,
		Connected:  connected,
		Sessions:   s.Sessions,

		PromptTimeout: s.PromptTimeout,
	})
	err = runSession(sc.ctx, w, ua, sc)
	if errors.Is(err, ErrServerClosed) && sc.ctx.Err() == nil {
		// A graceful shutdown ended the session between commands: tell
		// the console, with the Director's termination signal.
		w.terminate(sessionMode{}, false)
	}
	log.InfoContext(logbound.Always(context.Background()), "console session ended", "reason", sessionEnd(err))
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
			sc.setMode(sessionMode{ua.Mode(), ua.Formatter().Compact()})
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
			ua.Log.Debug("console command", "command", redactedLine(ua.Args), "ok", err == nil, "api", int(ua.Mode()))
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
