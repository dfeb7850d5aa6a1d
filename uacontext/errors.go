package uacontext

import (
	"context"
	"errors"
	"strings"

	"github.com/uaformat/uaformat/formatter"
)

// Errors a command handler returns to the dispatcher (see HandlerFunc).
var (
	// ErrReported marks a command as failed whose handler has already
	// told the console why (with ErrorMsg, or with output the Director
	// sends instead of an error message). The dispatcher sends no
	// further message: in the API modes BNET_CMD_FAILED follows, and in
	// mode 2 the result becomes the error envelope only if an error
	// message was sent.
	ErrReported = errors.New("uacontext: command failed")

	// ErrNotFound marks a failure because a record or resource the
	// command names does not exist. Catalogs return it (possibly
	// wrapped) for lookups of missing records; handlers that know what
	// was missing return a NotFoundError, which carries the Director's
	// wording. dircmd.ErrNotFound is the same value.
	ErrNotFound = errors.New("uacontext: not found")

	// ErrInvalidCommand is returned by Execute and Dispatch for a
	// command word that names no command the console may run; the
	// console got the Director's "<word>: is an invalid command."
	// message.
	ErrInvalidCommand = errors.New("uacontext: invalid command")

	// ErrPanic is returned (wrapped) by Execute and Dispatch when a
	// handler panicked. The console sees a failed command without a
	// message; the panic and its stack are logged.
	ErrPanic = errors.New("uacontext: command handler panicked")

	// ErrAnswerDiscarded is returned by Execute and Dispatch for a
	// command whose mode-2 answer did not fit into the output memory
	// budget (Server.OutputMemory): the console got
	// formatter.DiscardedMessage instead of the answer.
	ErrAnswerDiscarded = errors.New("uacontext: answer discarded: output memory budget exhausted")
)

// CommandError is an error whose text is the message the console sees,
// exactly as the Director words it (usually ending in a newline). Create
// one with Errorf.
type CommandError struct {
	// Msg is the message sent to the console.
	Msg string
	// Err is an optional cause, for errors.Is and errors.As and the log;
	// it is not shown to the console.
	Err error
}

// Error returns the console message without a trailing newline.
func (e *CommandError) Error() string { return strings.TrimSuffix(e.Msg, "\n") }

// Unwrap returns the cause.
func (e *CommandError) Unwrap() error { return e.Err }

// Errorf returns a *CommandError whose console message is the formatted
// text. The format follows UA.ErrorMsg (C printf semantics for %s and
// %d); as with ErrorMsg, the text is sent as it is, so end it with a
// newline unless the Director leaves it out. If an argument is an error,
// the first one becomes the cause (Unwrap).
func Errorf(format string, args ...any) error {
	e := &CommandError{Msg: formatter.Sprintf(format, args...)}
	for _, a := range args {
		if err, ok := a.(error); ok {
			e.Err = err
			break
		}
	}
	return e
}

// NotFoundError reports that the item a command names does not exist.
// Its console message is the Director's: `Job "nightly" not found.`.
// It matches ErrNotFound with errors.Is.
type NotFoundError struct {
	What string // the kind of item, capitalized as the Director does: "Job", "Client", "Pool", ...
	Name string // the name the console gave
	Err  error  // optional cause (e.g. the catalog's ErrNotFound), not shown to the console
}

// NotFound returns a *NotFoundError for the item of kind what called name.
func NotFound(what, name string) error { return &NotFoundError{What: what, Name: name} }

// Error returns the Director's message, `<What> "<Name>" not found.`.
func (e *NotFoundError) Error() string { return e.What + ` "` + e.Name + `" not found.` }

// Is reports whether target is ErrNotFound.
func (e *NotFoundError) Is(target error) bool { return target == ErrNotFound }

// Unwrap returns the cause.
func (e *NotFoundError) Unwrap() error { return e.Err }

// consoleMessage returns the message the console sees for a handler
// error, and false if it sees none (ErrReported).
func consoleMessage(err error) (string, bool) {
	if errors.Is(err, ErrReported) {
		return "", false
	}
	var ce *CommandError
	if errors.As(err, &ce) {
		return ce.Msg, true
	}
	var nf *NotFoundError
	if errors.As(err, &nf) {
		return nf.Error() + "\n", true
	}
	return err.Error() + "\n", true
}

// abandoned reports whether err is the end of ctx: the console went away
// or the server closed the connection while the command ran.
func abandoned(ctx context.Context, err error) bool {
	return ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Cause(ctx)))
}
