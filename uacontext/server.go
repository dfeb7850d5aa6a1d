package uacontext

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
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

// DefaultShutdownGrace is how long a command still running when the
// server's context ends may take to finish its answer, when
// Server.ShutdownGrace is zero.
const DefaultShutdownGrace = 5 * time.Second

// Server accepts console connections and runs a Director session on each:
// the login (bsock.ServerHandshake) and then the command loop.
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
	// Consoles are the named consoles that may log in.
	Consoles []Console
	// Table is the command table; nil means DefaultTable().
	Table *Table
	// Messages is the console message queue shared by all sessions; may
	// be nil.
	Messages *MessageQueue
	// Resources answers resource output filters; may be nil.
	Resources Resources
	// Log receives connection, login and command records; nil discards
	// them. Passwords and keys are never logged, and values of command
	// arguments whose keyword contains "password" are masked.
	Log *slog.Logger
	// AuthTimeout bounds the whole login; zero means DefaultAuthTimeout.
	AuthTimeout time.Duration
	// WriteTimeout bounds the sending of each packet to a console; zero
	// means DefaultWriteTimeout.
	WriteTimeout time.Duration
	// ShutdownGrace is how long sessions may still run after the context
	// of Serve or ServeConn ended (to finish the answer of a running
	// command) before their connections are closed; zero means
	// DefaultShutdownGrace.
	ShutdownGrace time.Duration
	// PromptTimeout bounds each wait for the answer to a prompt inside a
	// command (UA.PromptTimeout); zero means no limit, as in the
	// Director.
	PromptTimeout time.Duration
	// FailDelay is waited after a failed login (twice) and before
	// refusing a malformed Hello, as brute-force throttling. Zero means no
	// delay; the Director uses bsock.DefaultFailDelay.
	FailDelay time.Duration
	// Rand and Now feed the login challenge (see bsock.ServerConfig); nil
	// means crypto/rand and time.Now.
	Rand io.Reader
	Now  func() time.Time

	initOnce sync.Once
	table    *Table
	consoles map[string]*Console
	log      *slog.Logger
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
		s.consoles = make(map[string]*Console, len(s.Consoles))
		for i := range s.Consoles {
			c := s.Consoles[i] // copy: sessions must not see later edits
			c.Key = strings.ToLower(c.Key)
			if _, dup := s.consoles[c.Name]; !dup && c.Name != "" && c.Name != bsock.DefaultConsoleName {
				s.consoles[c.Name] = &c
			}
		}
	})
}

// lookupKey is the bsock.ServerConfig Lookup function.
func (s *Server) lookupKey(name string) (string, bool) {
	if name == bsock.DefaultConsoleName {
		return strings.ToLower(s.DefaultKey), s.DefaultKey != ""
	}
	c, ok := s.consoles[name]
	if !ok || c.Key == "" {
		return "", false
	}
	return c.Key, true
}

// Serve accepts connections on ln and serves each in its own goroutine
// until ctx ends. Then it closes ln, lets every session finish the command
// it is running (idle sessions end at once), waits for them, and returns
// nil. If accepting fails for another reason, Serve ends the sessions the
// same way and returns the error.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.init()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, func() { ln.Close() })
	defer stop()

	var wg sync.WaitGroup
	defer wg.Wait()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if temporary(err) {
				delay = min(max(2*delay, 5*time.Millisecond), time.Second)
				s.log.Warn("accept failed; retrying", "err", err, "delay", delay)
				t := time.NewTimer(delay)
				select {
				case <-t.C:
				case <-ctx.Done():
					t.Stop()
				}
				continue
			}
			cancel()
			return fmt.Errorf("uacontext: accept: %w", err)
		}
		delay = 0
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.ServeConn(ctx, nc)
		}()
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

// ServeConn runs one console connection to its end: the login, then the
// session loop. It closes nc before it returns. When ctx ends, a session
// waiting for a command ends at once and a running command is finished
// (its answer is sent) before the session ends.
func (s *Server) ServeConn(ctx context.Context, nc net.Conn) {
	s.init()
	log := s.log.With("remote", nc.RemoteAddr().String())
	log.Info("console connection")
	c := bsock.NewConn(nc)
	defer c.Close()

	// When ctx ends, a running command may finish its answer, but not
	// forever: after the grace period the connection is closed, which
	// also ends a session blocked writing to a console that stopped
	// reading.
	ended := make(chan struct{})
	defer close(ended)
	stopGrace := context.AfterFunc(ctx, func() {
		t := time.NewTimer(cmp.Or(s.ShutdownGrace, DefaultShutdownGrace))
		defer t.Stop()
		select {
		case <-ended:
		case <-t.C:
			log.Warn("closing a session that outlived the shutdown grace period")
			c.Close()
		}
	})
	defer stopGrace()

	authTimeout := s.AuthTimeout
	if authTimeout <= 0 {
		authTimeout = DefaultAuthTimeout
	}
	actx, acancel := context.WithTimeout(ctx, authTimeout)
	login, err := bsock.ServerHandshake(actx, c, bsock.ServerConfig{
		DirectorName: s.director().Name,
		Version:      s.director().Version,
		Date:         s.director().Date,
		Banner:       s.director().Banner,
		Lookup:       s.lookupKey,
		FailDelay:    s.FailDelay,
		Rand:         s.Rand,
		Now:          s.Now,
	})
	acancel()
	if err != nil {
		log.Warn("console login failed", "err", err)
		return
	}
	var console *Console
	if login.Console != bsock.DefaultConsoleName {
		console = s.consoles[login.Console]
	}
	log = log.With("console", login.Console)
	log.Info("console logged in", "protocol", login.Protocol.String(), "hello_version", login.HelloVersion)

	sctx, scancel := context.WithCancel(ctx)
	defer scancel()
	ua := NewUA(writeTimeout{c, cmp.Or(s.WriteTimeout, DefaultWriteTimeout)}, Options{
		Console:   console,
		Table:     s.table,
		Director:  s.Director,
		Messages:  s.Messages,
		Resources: s.Resources,
		Log:       log,

		PromptTimeout: s.PromptTimeout,
	})
	err = Session(sctx, writeTimeout{c, cmp.Or(s.WriteTimeout, DefaultWriteTimeout)}, ua)
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
// Session returns nil when the client quit (quit, exit, .quit), and
// otherwise the error that ended it. It does not close c.
func Session(ctx context.Context, c PacketConn, ua *UA) error {
	for !ua.Quit {
		if ua.Mode() != apimode.Off {
			ua.Signal(bsock.MainPrompt)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("uacontext: session: %w", err)
		}
		p, err := c.RecvContext(ctx)
		if err != nil {
			return fmt.Errorf("uacontext: session: %w", err)
		}
		if p.IsSignal() {
			ua.Signal(bsock.Poll)
			continue
		}
		// A command that has started is finished even when ctx ends
		// (its answer is sent).
		err = ua.Execute(context.WithoutCancel(ctx), string(p.Data))
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
func redactedLine(args []apimode.Arg) string {
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
