package uacontext

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
)

// CutMessage is the error message a console gets when the server closes
// its connection (Server.Close, or the end of Shutdown's grace) while a
// command runs, before BNET_TERMINATE: the answer it has is incomplete.
const CutMessage = "The Director is shutting down: the command was cut off and its answer is incomplete.\n"

// noticeTimeout bounds the writes of a termination notice: the socket
// buffer of a console that reads has room at once.
const noticeTimeout = 20 * time.Millisecond

// serverWriter is the Conn of a session a Server runs: every packet is
// bounded by a write deadline set afresh before it (setting a deadline
// costs no system call), accounted in the output budget while it is
// written, and serialised with the termination notice of Close.
type serverWriter struct {
	c       *bsock.Conn
	timeout time.Duration
	acct    *budgetAccount // may be nil

	mu     sync.Mutex // held during each write
	closed bool       // the server has ended the conversation
	data   bool       // a data packet went out since BNET_CMD_BEGIN
}

func (w *serverWriter) Send(p []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("uacontext: send: %w", ErrServerClosed)
	}
	if w.acct != nil {
		w.acct.sending(len(p))
		defer w.acct.sent(len(p))
	}
	w.data = true
	w.c.SetWriteDeadline(time.Now().Add(w.timeout))
	return w.c.Send(p)
}

func (w *serverWriter) Signal(sig bsock.Signal) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return fmt.Errorf("uacontext: send %v: %w", sig, ErrServerClosed)
	}
	if sig == bsock.CmdBegin {
		w.data = false
	}
	w.c.SetWriteDeadline(time.Now().Add(w.timeout))
	return w.c.Signal(sig)
}

// sessionMode is the API mode of a session as its command loop last
// recorded it, for the termination notice.
type sessionMode struct {
	mode    apimode.Mode
	compact bool
}

// terminate tells the console that the server ends the conversation,
// unless a write is in progress (a console that does not read, or a
// packet half sent: nothing can be added then): if cut, a command was
// running and the console first gets CutMessage the way the mode shows
// errors (mode 1: BNET_ERROR_MSG, the text, BNET_CMD_FAILED; mode 2:
// BNET_CMD_FAILED and the JSON-RPC error document, unless part of the
// answer was sent already); then BNET_TERMINATE, the Director's
// termination signal. Nothing can be written afterwards.
func (w *serverWriter) terminate(m sessionMode, cut bool) {
	if !w.mu.TryLock() {
		return
	}
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	w.closed = true
	w.c.SetWriteDeadline(time.Now().Add(noticeTimeout))
	if cut {
		switch m.mode {
		case apimode.Off:
			w.c.Send([]byte(CutMessage))
		case apimode.On:
			w.c.Signal(bsock.ErrorMsg)
			w.c.Send([]byte(CutMessage))
			w.c.Signal(bsock.CmdFailed)
		case apimode.JSON:
			if !w.data {
				w.c.Signal(bsock.CmdFailed)
				f := formatter.New(formatter.SinkFunc(w.c.Send), formatter.Options{Mode: apimode.JSON, Compact: m.compact})
				f.Message(formatter.MsgError, CutMessage)
				f.FinalizeResult(false)
			}
		}
	}
	w.c.Signal(bsock.Terminate)
}

// RecvContext reads the next packet from the console.
func (w *serverWriter) RecvContext(ctx context.Context) (bsock.Packet, error) {
	return w.c.RecvContext(ctx)
}
