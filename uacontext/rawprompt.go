package uacontext

import (
	"context"
	"fmt"

	"github.com/uaformat/uaformat/bsock"
)

// GetRawSubCmd is the prompt of a command that talks to the console
// outside the formatter, as the Director's restore file selection does:
// it runs on a UA context of its own whose output formatter stays in API
// mode 0 and which is never in batch mode. So, in every API mode and also
// after ".api 2":
//
//   - the buffered formatter text is sent, then prompt as a raw data
//     packet, then BNET_SUB_PROMPT;
//   - one answer is read and returned like GetSubCmd does (signals
//     ignored, ".messages" answered, trailing blanks removed, a lone "."
//     is ErrCanceled, the end of the session ErrSessionEnded, ctx and
//     the UA's PromptTimeout bound the wait).
//
// Without a connection that can receive it fails with ErrNoInput.
func (ua *UA) GetRawSubCmd(ctx context.Context, prompt string) (string, error) {
	rc, ok := ua.conn.(Receiver)
	if !ok || ua.conn == nil {
		return "", ErrNoInput
	}
	if err := ua.err; err != nil {
		return "", fmt.Errorf("%w: %w", ErrSessionEnded, err)
	}
	ua.Formatter().SendBuffer()
	ua.SendPacket([]byte(prompt))
	ua.Signal(bsock.SubPrompt)
	if err := ua.err; err != nil {
		return "", fmt.Errorf("%w: %w", ErrSessionEnded, err)
	}
	ua.waiting = true
	defer func() { ua.waiting = false }()
	for {
		p, err := ua.recvAnswer(ctx, rc.RecvContext)
		if err != nil {
			return "", err
		}
		if p.IsSignal() {
			continue
		}
		answer := stripTrailingJunk(cString(string(p.Data)))
		if answer == ".messages" && ua.Messages.Pending() {
			ua.doMessages()
		}
		if answer == "." {
			return "", ErrCanceled
		}
		return answer, nil
	}
}
