package uacontext

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/ascii"
)

// Errors of the input primitives (GetCmd, GetPint, GetYesno, DoPrompt,
// ...). Each failed prompt returns one of them, possibly wrapped, or an
// error wrapping the handler's ctx.Err() when its context ended.
//
// Every one of them matches ErrReported (errors.Is): the Director's
// commands answer a failed prompt with their own words ("Job not run.",
// "Selection aborted, nothing done.", or nothing at all), so a handler
// may return a prompt's error as it is and the dispatcher adds no
// message of its own; the command fails (BNET_CMD_FAILED, mode-2 error
// envelope).
var (
	// ErrCanceled: the user answered a prompt with a lone ".".
	ErrCanceled error = &inputError{"uacontext: prompt canceled"}

	// ErrBatch: the session is in batch mode (set by ".api 2"), in which
	// the Director never waits for input; the prompt failed at once.
	ErrBatch error = &inputError{"uacontext: input is not possible in batch mode"}

	// ErrNoInput: the UA's connection cannot receive (it has no
	// RecvContext method), as when a command runs without a console.
	ErrNoInput error = &inputError{"uacontext: no console to read input from"}

	// ErrPromptTimeout: no answer came within the UA's PromptTimeout.
	ErrPromptTimeout error = &inputError{"uacontext: timed out waiting for input"}

	// ErrSessionEnded wraps the read error that ended the session while
	// a prompt waited (the console disconnected, sent BNET_TERMINATE, or
	// the stream broke). After it, nothing more is sent on the session
	// (UA.Err reports it) and the session ends after the command.
	ErrSessionEnded error = &inputError{"uacontext: console session ended while waiting for input"}
)

// inputError is the type of the input sentinels: they match ErrReported.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// Is reports whether target is ErrReported.
func (e *inputError) Is(target error) bool { return target == ErrReported }

// Receiver is implemented by connections a UA can read answers from;
// *bsock.Conn implements it. A UA whose Conn does not implement it
// cannot prompt (ErrNoInput).
type Receiver interface {
	// RecvContext reads one packet; cancelling ctx interrupts the read.
	RecvContext(ctx context.Context) (bsock.Packet, error)
}

// IsInputFailure reports whether err is the failure of a prompt that the
// Director handles like an ordinary "no" (a cancel, batch mode, no
// console, or a prompt timeout), as opposed to the end of the session or
// of the handler's context.
func IsInputFailure(err error) bool {
	return errors.Is(err, ErrCanceled) || errors.Is(err, ErrBatch) ||
		errors.Is(err, ErrNoInput) || errors.Is(err, ErrPromptTimeout)
}

// GetCmd shows prompt and waits for one line of input, the Director's
// GetCmd with a text-input prompt:
//
//   - in batch mode, or without a connection that can receive, it fails at
//     once without output (ErrBatch, ErrNoInput);
//   - mode 0 sends the prompt text, then BNET_SUB_PROMPT; the API modes
//     send BNET_TEXT_INPUT, then the prompt text (in mode 2 the text is
//     not part of the JSON result);
//   - signals from the console are ignored while waiting; BNET_TERMINATE
//     or the end of the connection ends the wait (ErrSessionEnded);
//   - the answer is taken up to its first NUL byte with trailing newlines,
//     carriage returns and blanks removed;
//   - an answer ".messages" first sends the pending console messages and
//     is then returned as the answer, as the Director does;
//   - a lone "." cancels (ErrCanceled).
//
// The wait ends with ctx (an error wrapping ctx.Err()) or after the UA's
// PromptTimeout (ErrPromptTimeout).
func (ua *UA) GetCmd(ctx context.Context, prompt string) (string, error) {
	return ua.getCmd(ctx, prompt, false)
}

// GetSubCmd is GetCmd with a sub-prompt (the Director's GetCmd with
// subprompt set, used by the restore tree's "$ " prompt): in every mode
// the prompt text is followed by BNET_SUB_PROMPT, and no BNET_TEXT_INPUT
// precedes it.
func (ua *UA) GetSubCmd(ctx context.Context, prompt string) (string, error) {
	return ua.getCmd(ctx, prompt, true)
}

func (ua *UA) getCmd(ctx context.Context, prompt string, sub bool) (string, error) {
	if ua.Batch {
		ua.noteBatchFailure(fmt.Sprintf("Input is needed for %q, which is not possible in batch mode.\n", strings.TrimSpace(prompt)))
		return "", ErrBatch
	}
	rc, ok := ua.conn.(Receiver)
	if !ok || ua.conn == nil {
		return "", ErrNoInput
	}
	recv := rc.RecvContext
	if err := ua.err; err != nil {
		return "", fmt.Errorf("%w: %w", ErrSessionEnded, err)
	}
	api := ua.Mode() != apimode.Off
	if !sub && api {
		ua.Signal(bsock.TextInput)
	}
	ua.SendMsg("%s", prompt)
	if !api || sub {
		ua.Signal(bsock.SubPrompt)
	}
	if err := ua.err; err != nil {
		return "", fmt.Errorf("%w: %w", ErrSessionEnded, err)
	}
	ua.waiting = true
	defer func() { ua.waiting = false }()
	for {
		p, err := ua.recvAnswer(ctx, recv)
		if err != nil {
			return "", err
		}
		if p.IsSignal() {
			continue // the Director ignores signals here
		}
		answer := stripTrailingJunk(cString(string(p.Data)))
		if answer == ".messages" {
			if ua.Messages.Pending() {
				ua.doMessages()
			}
		}
		if answer == "." {
			return "", ErrCanceled
		}
		return answer, nil
	}
}

// recvAnswer reads one packet within ctx and the prompt timeout.
func (ua *UA) recvAnswer(ctx context.Context, recv func(context.Context) (bsock.Packet, error)) (bsock.Packet, error) {
	rctx := ctx
	if ua.PromptTimeout > 0 {
		var cancel context.CancelFunc
		rctx, cancel = context.WithTimeoutCause(ctx, ua.PromptTimeout, ErrPromptTimeout)
		defer cancel()
	}
	p, err := recv(rctx)
	if err == nil {
		return p, nil
	}
	switch {
	case ctx.Err() != nil:
		// The handler's context ended: the answer is abandoned, and the
		// stream may be out of step. Nothing more is sent.
		ua.markDead(fmt.Errorf("uacontext: prompt: %w", context.Cause(ctx)))
		return bsock.Packet{}, fmt.Errorf("uacontext: prompt: %w", context.Cause(ctx))
	case ua.PromptTimeout > 0 && (rctx.Err() != nil || errors.Is(err, os.ErrDeadlineExceeded)):
		// The connection's read deadline (set from rctx) can fire just
		// before rctx's own timer: both mean the prompt timed out.
		ua.Log.Info("prompt timed out", "timeout", ua.PromptTimeout)
		return bsock.Packet{}, fmt.Errorf("%w (%v)", ErrPromptTimeout, ua.PromptTimeout)
	}
	ua.markDead(fmt.Errorf("%w: %w", ErrSessionEnded, err))
	return bsock.Packet{}, fmt.Errorf("%w: %w", ErrSessionEnded, err)
}

// markDead records err as the session's send error, so nothing more is
// sent and the session loop ends after the command.
func (ua *UA) markDead(err error) {
	if ua.err == nil {
		ua.err = err
	}
}

// noteBatchFailure records, in mode 2 only, why a prompt failed in batch
// mode as an error message of the JSON result (no signal is sent). The
// Director fails such prompts silently; this message is the one addition
// to its output, so that a JSON client can tell why the command failed.
func (ua *UA) noteBatchFailure(text string) {
	if ua.Mode() == apimode.JSON {
		ua.Formatter().Message(formatter.MsgError, text)
	}
}

// Waiting reports whether the UA is waiting for the console to answer a
// prompt (for the log and for embedders that watch sessions).
func (ua *UA) Waiting() bool { return ua.waiting }

// GetPint asks for a positive integer, the Director's GetPint. The answer
// must be a number (optional sign, digits, optional fraction and
// exponent) that is not negative; otherwise the warning "Expected a
// positive integer, got: <answer>" is sent and the prompt repeated. An
// empty answer to a prompt starting with "Enter slot" is 0. The value is
// truncated toward zero; values beyond the int64 range saturate.
func (ua *UA) GetPint(ctx context.Context, prompt string) (int64, error) {
	for {
		answer, err := ua.GetCmd(ctx, prompt)
		if err != nil {
			return 0, err
		}
		if answer == "" && strings.HasPrefix(prompt, "Enter slot") {
			return 0, nil
		}
		if !IsNumber(answer) {
			ua.WarningMsg("Expected a positive integer, got: %s\n", answer)
			continue
		}
		f, ok := strtod(answer)
		if !ok || f < 0 {
			ua.WarningMsg("Expected a positive integer, got: %s\n", answer)
			continue
		}
		if f >= math.MaxInt64 {
			return math.MaxInt64, nil
		}
		return int64(f), nil
	}
}

// IsNumber reports whether s is a number as the Director's Is_a_number
// accepts it: an optional sign, at least one digit, an optional fraction
// after a '.', and an optional exponent ("e", optional sign, digit).
func IsNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	digits := false
	for i < len(s) && isDigit(s[i]) {
		digits = true
		i++
	}
	if digits && i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if digits && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		switch {
		case i+1 < len(s) && isDigit(s[i+1]):
			i += 2
		case i+2 < len(s) && (s[i+1] == '-' || s[i+1] == '+') && isDigit(s[i+2]):
			i += 2
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return digits && i == len(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// strtod converts a string that IsNumber accepts like C strtod, and
// reports false where strtod sets ERANGE (overflow, or a result too small
// for a normal double that is not zero).
func strtod(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	if f == 0 {
		// Underflow to zero: strtod reports ERANGE if any mantissa digit
		// is not zero.
		for i := 0; i < len(s) && s[i] != 'e' && s[i] != 'E'; i++ {
			if '1' <= s[i] && s[i] <= '9' {
				return 0, false
			}
		}
		return 0, true
	}
	if math.Abs(f) < 0x1p-1022 {
		return 0, false
	}
	return f, true
}

// ParseYesNo parses a user's yes/no answer as the Director does: "yes"
// or "no" in any case; anything else (including the deprecated "true",
// "1", ...) is not an answer (ok false).
func ParseYesNo(s string) (yes, ok bool) {
	switch {
	case ascii.EqualFold(s, "yes"):
		return true, true
	case ascii.EqualFold(s, "no"):
		return false, true
	}
	return false, false
}

// GetYesno asks a yes/no question, the Director's GetYesno: in the API
// modes BNET_YESNO precedes each prompt; an answer other than yes or no
// (any case) gives the warning "Invalid response. You must answer YES or
// NO." and the question is asked again.
func (ua *UA) GetYesno(ctx context.Context, prompt string) (bool, error) {
	for {
		if ua.Mode() != apimode.Off {
			ua.Signal(bsock.YesNo) // also in batch mode, where GetCmd then fails
		}
		answer, err := ua.GetCmd(ctx, prompt)
		if err != nil {
			return false, err
		}
		if yes, ok := ParseYesNo(answer); ok {
			return yes, nil
		}
		ua.WarningMsg("Invalid response. You must answer YES or NO.\n")
	}
}

// GetConfirmation is the Director's GetConfirmation: true at once if the
// command line has the argument "yes"; otherwise false in the API modes
// and in batch mode (no question is asked; in mode 2 the JSON result gets
// an error message saying that "yes" is needed); otherwise the answer to
// GetYesno(prompt). Without a console (ErrNoInput) it returns fallback.
// A failed question (canceled, timed out, session ended) is false with
// the error.
func (ua *UA) GetConfirmation(ctx context.Context, prompt string, fallback bool) (bool, error) {
	if ua.FindArg("yes") >= 0 {
		return true, nil
	}
	if ua.conn == nil {
		return fallback, nil
	}
	if ua.Mode() != apimode.Off || ua.Batch {
		ua.noteBatchFailure(fmt.Sprintf("Confirmation %q is needed: add \"yes\" to the command.\n", strings.TrimSpace(prompt)))
		return false, nil
	}
	return ua.GetYesno(ctx, prompt)
}
