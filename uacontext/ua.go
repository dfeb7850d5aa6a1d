package uacontext

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/ascii"
)

// Conn is the packet connection a UA writes to. *bsock.Conn implements
// it; tests and embedders can record packets with their own
// implementation.
type Conn interface {
	// Send sends p as one data packet (split into several packets only
	// beyond bsock.MaxPayload bytes).
	Send(p []byte) error
	// Signal sends a signal packet.
	Signal(s bsock.Signal) error
}

// Console is a named console: its name (the Console resource name, also
// the name clients log in with), its CRAM-MD5 key (the lower-case hex MD5
// of its password, or the digits of an "[md5]HEX" password exactly as
// configured) and its access control lists. A nil *Console stands
// for the default console ("*UserAgent*"), which may do everything.
type Console struct {
	Name string
	Key  string
	ACL  ACLSet
	// UsePAM is the Director's "Use Pam Authentication": after the
	// console's password, a user must log in with PAM credentials (see
	// PAMVerifier); the session then runs as that user, with the ACLs of
	// the User resource of that name (see UserSource).
	UsePAM bool
	// TLS is the console's TLS policy (its TLS Enable and TLS Require);
	// the zero value, TLSNone, lets it log in without TLS too. The key
	// is also its TLS-PSK key.
	TLS TLSPolicy
}

// Options configure NewUA. Zero fields get defaults.
type Options struct {
	// Console is the logged-in console; nil is the default console.
	Console *Console
	// Table is the command table; nil means DefaultTable().
	Table *Table
	// Director describes the Director for version and similar output;
	// empty fields take the values of DefaultDirectorInfo.
	Director DirectorInfo
	// Messages is the Director's console message queue shared by all
	// sessions; nil means there are never console messages.
	Messages *MessageQueue
	// Resources answers resource and enabled/disabled output filters;
	// nil lets such filters show every row.
	Resources ResourceLookup
	// Log receives the session's records: audit records (see Audit),
	// failed commands; nil discards them.
	Log *slog.Logger
	// Audit configures the auditing of commands (see Audit).
	Audit Audit
	// Remote is the console's network address, for audit records.
	Remote string
	// SessionLog says that Log names the console and its address in
	// every record already (a Server's session logger does), so that
	// audit records do not repeat them.
	SessionLog bool
	// Budget, if set, accounts the memory of buffered mode-2 results
	// (see formatter.Budget).
	Budget formatter.Budget
	// Connected is when the console connected; zero means now.
	Connected time.Time
	// Sessions lists the sessions of the server the session runs in
	// (Server.Sessions); nil means this session is the only one.
	Sessions func() []SessionInfo
	// PromptTimeout bounds each wait for the answer to a prompt (see
	// UA.PromptTimeout); zero means no limit.
	PromptTimeout time.Duration
}

// UA is the user agent context of one console session, the state the
// Director keeps per connection and hands to every command: the output
// formatter (which owns the API mode), the parsed command line, the
// console and its ACLs, and the session flags.
//
// Command handlers produce their result through the session's formatter
// (Formatter: key/value and object calls that it renders for the current
// mode) and the messaging methods (SendMsg, InfoMsg, WarningMsg,
// ErrorMsg, ...); SendPacket and Signal bypass the formatter. A UA is
// used by one goroutine at a time.
type UA struct {
	// Args are the words of the current command line, split at '='
	// (see ParseArgs); Args[0] is the command word as typed.
	Args []Arg
	// Cmd is the current command line as received (up to its first NUL).
	Cmd string
	// Console is the logged-in console; nil is the default console.
	Console *Console

	Batch        bool // non-interactive: prompts fail at once (set by .api 2)
	GUI          bool // gui on: no "You have messages" notifications
	AutoDisplay  bool // autodisplay on: console messages are shown after each command
	UserNotified bool // the user was told that messages are pending
	Quit         bool // the session ends after this command

	// Table is the command table the session dispatches from.
	Table *Table
	// Director describes the Director (name, version, ...).
	Director DirectorInfo
	// Messages is the shared console message queue (may be nil).
	Messages *MessageQueue
	// Resources answers resource output filters (may be nil).
	Resources ResourceLookup
	// Log receives audit events; never nil after NewUA.
	Log *slog.Logger
	// Connected is when the console connected.
	Connected time.Time

	// PromptTimeout bounds each wait for the answer to a prompt (GetCmd
	// and everything built on it): without an answer in time the prompt
	// fails with ErrPromptTimeout. Zero means no limit.
	PromptTimeout time.Duration

	prompts promptList // the selection list of StartPrompt/AddPrompt
	waiting bool       // a prompt waits for the console's answer

	out        *formatter.Formatter // the session's formatter ("ua->send")
	audit      Audit
	remote     string
	sessionLog bool
	conn       Conn
	sessions   func() []SessionInfo
	acl        *ACL // the console's compiled ACLs; nil for the default console
	current    *Command
	err        error
}

// NewUA returns the context of a new session that sends its output to c.
// The session starts in API mode 0 with a formatter whose filter callback
// is the UA's Filter method.
func NewUA(c Conn, opts Options) *UA {
	ua := &UA{
		Console:    opts.Console,
		Table:      opts.Table,
		Director:   opts.Director.withDefaults(),
		Messages:   opts.Messages,
		Resources:  opts.Resources,
		Log:        opts.Log,
		Connected:  opts.Connected,
		conn:       c,
		sessions:   opts.Sessions,
		audit:      opts.Audit,
		remote:     opts.Remote,
		sessionLog: opts.SessionLog,
	}
	if ua.Connected.IsZero() {
		ua.Connected = time.Now()
	}
	ua.PromptTimeout = opts.PromptTimeout
	if opts.Console != nil {
		ua.acl = opts.Console.ACL.Compile()
	}
	if ua.Table == nil {
		ua.Table = DefaultTable()
	}
	if ua.Log == nil {
		ua.Log = slog.New(slog.DiscardHandler)
	}
	ua.out = formatter.New(formatter.SinkFunc(ua.sendPacket), formatter.Options{Mode: apimode.Off, Budget: opts.Budget})
	ua.out.SetFilterFunc(ua.Filter)
	return ua
}

// Formatter returns the session's output formatter (the Director's
// ua->send). It owns the session's API mode (see Mode and SetMode); what
// a command renders through it is buffered and sent as the mode requires
// (in mode 2 as one JSON document at the end of the command).
func (ua *UA) Formatter() *formatter.Formatter { return ua.out }

// Mode returns the session's API mode, which the formatter holds.
func (ua *UA) Mode() apimode.Mode { return ua.out.Mode() }

// SetMode switches the session's API mode (as .api does), effective at
// once for the formatter and the session's signals.
func (ua *UA) SetMode(m apimode.Mode) { ua.out.SetMode(m) }

// Err returns the first error met while sending to the connection, if
// any. The Director ignores send errors while a command runs; the session
// ends when the next read fails.
func (ua *UA) Err() error { return ua.err }

// sendPacket sends one data packet. Once a send failed, the stream may be
// out of step (a packet cut off by a write timeout), so nothing more is
// written and every later send fails at once with the first error.
func (ua *UA) sendPacket(p []byte) error {
	if ua.conn == nil {
		return nil
	}
	if ua.err != nil {
		return ua.err
	}
	err := ua.conn.Send(p)
	if err != nil && ua.err == nil {
		ua.err = fmt.Errorf("uacontext: send: %w", err)
	}
	return err
}

// Signal sends the signal s to the client at once, outside the formatter.
func (ua *UA) Signal(s bsock.Signal) error {
	if ua.conn == nil {
		return nil
	}
	if ua.err != nil {
		return ua.err
	}
	err := ua.conn.Signal(s)
	if err != nil && ua.err == nil {
		ua.err = fmt.Errorf("uacontext: send %v: %w", s, err)
	}
	return err
}

// SendPacket sends p to the client at once as a raw data packet, outside
// the formatter and in every mode (the Director does this for console
// messages).
func (ua *UA) SendPacket(p []byte) error { return ua.sendPacket(p) }

// Current returns the table entry of the running command (the Director's
// cmddef), or false outside a command.
func (ua *UA) Current() (Command, bool) {
	if ua.current == nil {
		return Command{}, false
	}
	return *ua.current, true
}

// Sessions returns the console sessions of the server this session runs
// in, in the order they connected (see Server.Sessions); outside a server
// just this one.
func (ua *UA) Sessions() []SessionInfo {
	if ua.sessions != nil {
		return ua.sessions()
	}
	name := bsock.DefaultConsoleName
	if ua.Console != nil {
		name = ua.Console.Name
	}
	return []SessionInfo{{Console: name, Connected: ua.Connected}}
}

// ConsoleName returns the name whoami prints: the console's name, or
// "root" for the default console.
func (ua *UA) ConsoleName() string {
	if ua.Console == nil {
		return "root"
	}
	return ua.Console.Name
}

// ACLs returns the ACL set that governs this session, nil for the default
// console.
func (ua *UA) ACLs() *ACLSet {
	if ua.Console == nil {
		return nil
	}
	return &ua.Console.ACL
}

// ACLAccessOK reports whether the session's console may access item of
// the given kind (see ACL.Allow). The default console may access every
// valid name. The console's lists were compiled when the session began
// (NewUA); later changes to its Console do not show.
func (ua *UA) ACLAccessOK(kind ACLKind, item string) bool {
	return ua.acl.Allow(kind, item)
}

// ACLNoRestrictions reports whether the console's list of kind grants
// everything (see ACL.Unrestricted).
func (ua *UA) ACLNoRestrictions(kind ACLKind) bool {
	return ua.acl.Unrestricted(kind)
}

// message is the Director's vSendMsg: flush the text buffer, send the
// signal in the API modes, then hand the text to the formatter.
func (ua *UA) message(sig bsock.Signal, typ, text string) {
	ua.Formatter().SendBuffer()
	if sig != 0 && ua.Mode() != apimode.Off {
		ua.Signal(sig)
	}
	ua.Formatter().Message(typ, text)
}

// SendMsg formats a message and shows it to the user without a type: in
// the text modes it is sent at once as its own packet (after the buffered
// text); in JSON mode it does not appear in the result. The format uses C
// printf semantics for %s and %d (byte widths, formatter.Null prints
// "(null)"); other verbs follow package fmt.
func (ua *UA) SendMsg(format string, args ...any) {
	ua.message(0, null, formatter.Sprintf(format, args...))
}

// SendRawMsg is SendMsg for a ready text (no format processing).
func (ua *UA) SendRawMsg(text string) { ua.message(0, null, text) }

// InfoMsg sends an informational message: BNET_INFO_MSG first in the API
// modes, the text as its own packet in the text modes, or an entry of
// messages.info in the JSON result.
func (ua *UA) InfoMsg(format string, args ...any) {
	ua.message(bsock.InfoMsg, formatter.MsgInfo, formatter.Sprintf(format, args...))
}

// WarningMsg sends a warning like InfoMsg, with BNET_WARNING_MSG and
// messages.warning.
func (ua *UA) WarningMsg(format string, args ...any) {
	ua.message(bsock.WarningMsg, formatter.MsgWarning, formatter.Sprintf(format, args...))
}

// ErrorMsg sends an error like InfoMsg, with BNET_ERROR_MSG and
// messages.error. In JSON mode an error message turns the command's
// result into an error document even if the command succeeds.
func (ua *UA) ErrorMsg(format string, args ...any) {
	ua.message(bsock.ErrorMsg, formatter.MsgError, formatter.Sprintf(format, args...))
}

// SendCmdUsage sends msg followed by the usage of the running command,
// "msg\nUSAGE: <name> <usage>\n", as an untyped message (SendMsg); just
// msg if there is no running command or its Usage is formatter.Null.
func (ua *UA) SendCmdUsage(msg string) {
	text := msg
	if c := ua.current; c != nil && c.Name != "" && c.Usage != null {
		text = msg + "\nUSAGE: " + c.Name + " " + c.Usage + "\n"
	}
	ua.message(0, null, text)
}

// FindArg returns the index (>= 1) of the first argument whose keyword
// equals keyword (ASCII case-insensitively), or -1.
func (ua *UA) FindArg(keyword string) int {
	for i := 1; i < len(ua.Args); i++ {
		if ascii.EqualFold(keyword, ua.Args[i].Key) {
			return i
		}
	}
	return -1
}

// FindArgWithValue is FindArg for keyword=value arguments: it returns the
// index of the first argument with that keyword if it has a value, and -1
// if it has none (later arguments are not considered) or is absent.
func (ua *UA) FindArgWithValue(keyword string) int {
	i := ua.FindArg(keyword)
	if i < 0 || !ua.Args[i].HasValue {
		return -1
	}
	return i
}

// FindArgKeyword returns the position in list of the first argument
// keyword (from Args[1] on) that equals one of list, or -1: arguments are
// tried in order and for each the list in order.
func (ua *UA) FindArgKeyword(list ...string) int {
	for i := 1; i < len(ua.Args); i++ {
		for j, kw := range list {
			if ascii.EqualFold(kw, ua.Args[i].Key) {
				return j
			}
		}
	}
	return -1
}

// ArgValue returns the value of the argument keyword=value as
// FindArgWithValue finds it.
func (ua *UA) ArgValue(keyword string) (string, bool) {
	i := ua.FindArgWithValue(keyword)
	if i < 0 {
		return "", false
	}
	return ua.Args[i].Value, true
}

// Execute runs one command line as the Director does for each data packet
// of a session: the line is parsed (ParseArgs) and dispatched (Dispatch)
// with ctx as the handler's context. It returns nil if the command
// succeeded, and otherwise the error Dispatch returns. Execute sends
// neither the EOD nor the prompt that end an answer; the session loop
// does.
func (ua *UA) Execute(ctx context.Context, line string) error {
	ua.Cmd = cString(line)
	ua.Args = ParseArgs(ua.Cmd)
	return ua.Dispatch(ctx)
}

// Dispatch runs the command in ua.Args:
//
//   - no arguments: nothing happens, no output (returns ErrInvalidCommand);
//   - the first table entry that the command word is a prefix of is
//     looked up; unless it is exit, quit or whoami the console's Command
//     ACL must allow its name;
//   - found and allowed: BNET_CMD_BEGIN in the API modes, the handler
//     runs with ctx, and in the API modes (checked after the handler,
//     which may change the mode) BNET_CMD_OK or BNET_CMD_FAILED follows;
//   - otherwise (unknown, denied, or without handler): the error message
//     "<word>: is an invalid command.\n" and no CMD signals
//     (ErrInvalidCommand);
//   - in every case FinalizeResult sends the result.
//
// A handler's error fails the command. Its message reaches the console
// as an error message before BNET_CMD_FAILED (in mode 2 the result
// becomes the error envelope): the text of a CommandError as it is, the
// Director's wording of a NotFoundError, the text of any other error
// followed by a newline, and nothing for ErrReported. When ctx has ended
// (the console went away, or the server closed the connection) the error
// is only logged and nothing more is sent on the connection. A handler
// that panics fails without a message (ErrPanic); the panic is logged.
//
// A mode-2 answer that does not fit into the memory budget of the
// session's formatter (Options.Budget) is discarded: the command fails
// with ErrAnswerDiscarded and the console gets
// formatter.DiscardedMessage in the error envelope.
//
// Dispatch returns the handler's error (nil on success).
func (ua *UA) Dispatch(ctx context.Context) error {
	if len(ua.Args) == 0 {
		return ErrInvalidCommand
	}
	word := ua.Args[0].Key
	cmd, found := ua.Table.Lookup(word)
	if found && !bypassesACL(cmd.Name) && !ua.ACLAccessOK(ACLCommand, cmd.Name) {
		ua.auditACLFailure(cmd.Name)
		found = false
	}
	if found && cmd.Handler == nil {
		found = false
	}
	if !found {
		ua.ErrorMsg("%s: is an invalid command.\n", word)
		ua.Formatter().FinalizeResult(false)
		return ErrInvalidCommand
	}
	ua.auditCmdline(cmd)
	if ua.Mode() != apimode.Off {
		ua.Signal(bsock.CmdBegin)
	}
	err := ua.run(ctx, &cmd)
	if err == nil && ua.Formatter().Discarded() {
		// The answer did not fit into the output memory budget: the
		// console gets formatter.DiscardedMessage, and the command fails.
		err = ErrAnswerDiscarded
		ua.Log.Warn("answer discarded: the output memory budget is exhausted", "command", cmd.Name)
	}
	switch {
	case err == nil, errors.Is(err, ErrAnswerDiscarded):
	case abandoned(ctx, err):
		// Nobody waits for the answer: send nothing more on this
		// connection (the session ends after this command).
		ua.Log.Debug("command abandoned", "command", cmd.Name, "err", err)
		if ua.err == nil {
			ua.err = fmt.Errorf("uacontext: %s: %w", cmd.Name, err)
		}
	case errors.Is(err, ErrPanic):
	default:
		if msg, ok := consoleMessage(err); ok {
			ua.ErrorMsg("%s", msg)
		}
		ua.logFailure(cmd.Name, err)
	}
	if ua.Mode() != apimode.Off {
		if err == nil {
			ua.Signal(bsock.CmdOK)
		} else {
			ua.Signal(bsock.CmdFailed)
		}
	}
	ua.Formatter().FinalizeResult(err == nil)
	return err
}

// logFailure logs a failed command: refusals and not-found conditions
// the console caused (its own business, shown to it) at Debug, other
// failures (a catalog that does not answer, ...) at Error.
func (ua *UA) logFailure(name string, err error) {
	var ce *CommandError
	switch {
	case errors.Is(err, ErrReported), errors.Is(err, ErrNotFound), errors.As(err, &ce) && ce.Err == nil:
		ua.Log.Debug("command failed", "command", name, "err", err)
	default:
		ua.Log.Error("command failed", "command", name, "err", err)
	}
}

func (ua *UA) run(ctx context.Context, cmd *Command) (err error) {
	ua.current = cmd
	defer func() {
		ua.current = nil
		if r := recover(); r != nil {
			ua.Log.Error("command handler panicked", "command", cmd.Name, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("%w: %v", ErrPanic, r)
		}
	}()
	return cmd.Handler(ctx, ua)
}

func bypassesACL(name string) bool {
	return name == "exit" || name == "quit" || name == "whoami"
}
