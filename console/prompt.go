package console

import (
	"context"
	"errors"
	"fmt"

	"github.com/uaformat/uaformat/bsock"
)

// Prompt is a question the Director asks in the middle of a command (the
// Director's GetCmd, GetYesno, DoPrompt, ...): the command waits until
// the console answers with one line. A lone "." cancels the question.
//
// In API mode 0 the Director shows the prompt and sends BNET_SUB_PROMPT;
// selection lists and yes/no questions are plain text there. In API mode
// 1 it sends BNET_TEXT_INPUT before the prompt (BNET_SUB_PROMPT only for
// sub-prompts such as the restore tree's "$ "), BNET_YESNO before yes/no
// questions and the items of a selection between BNET_START_SELECT and
// BNET_END_SELECT. In API mode 2 the Director never asks (its commands
// fail instead).
type Prompt struct {
	// Text is the prompt as the Director shows it, for example
	// "OK to run? (yes/mod/no): ".
	Text string
	// Sub reports a sub-prompt (the answer ended with BNET_SUB_PROMPT).
	Sub bool
	// YesNo reports a yes/no question (BNET_YESNO; API modes only).
	YesNo bool
	// Select reports a numbered selection (BNET_SELECT_INPUT; API modes
	// only); Header and Items are the list shown before it.
	Select bool
	Header string
	Items  []string
}

// Errors of the prompt API.
var (
	// ErrNotWaiting is returned by Answer when the Director is not
	// waiting for input.
	ErrNotWaiting = errors.New("console: the Director is not waiting for input")
	// ErrNoMoreAnswers is returned by the AnswerFunc of Answers when its
	// answers are used up; Converse then cancels the question.
	ErrNoMoreAnswers = errors.New("console: no more answers")
	// ErrTooManyPrompts is returned by Converse when a command asked
	// more than MaxPrompts questions.
	ErrTooManyPrompts = errors.New("console: too many prompts")
)

// MaxPrompts bounds the questions Converse answers for one command.
const MaxPrompts = 10000

// promptOf describes the question that ends pkts.
func promptOf(pkts []bsock.Packet) *Prompt {
	p := &Prompt{}
	inSelect := false
	headerNext := false
	for _, pk := range pkts {
		switch pk.Signal {
		case bsock.StartSelect:
			inSelect, headerNext = true, true
			p.Header, p.Items = "", nil
		case bsock.EndSelect:
			inSelect = false
		case bsock.SelectInput:
			p.Select = true
		case bsock.YesNo:
			p.YesNo = true
		case bsock.SubPrompt:
			p.Sub = true
		case 0:
			switch {
			case inSelect && headerNext:
				p.Header, headerNext = string(pk.Data), false
			case inSelect:
				p.Items = append(p.Items, string(pk.Data))
			default:
				p.Text = string(pk.Data)
			}
		}
	}
	return p
}

// Waiting reports whether the Director waits for the answer to a
// question (the last answer ended at a prompt), and which.
func (c *Client) Waiting() (Prompt, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.prompt == nil {
		return Prompt{}, false
	}
	return *c.prompt, true
}

// Answer sends line as the answer to the question the Director waits
// for and returns the packets that follow, up to the end of the command
// or the next question (see Waiting). It fails with ErrNotWaiting when
// no question is pending. An answer is never re-sent after a lost
// connection. Call does the same when a question is pending.
func (c *Client) Answer(ctx context.Context, line string) ([]bsock.Packet, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, ErrClosed
	}
	if c.prompt == nil {
		return nil, ErrNotWaiting
	}
	ctx, cancel := c.limit(ctx)
	defer cancel()
	return c.answer(ctx, line)
}

// answer sends line to a pending question. Caller holds mu.
func (c *Client) answer(ctx context.Context, line string) ([]bsock.Packet, error) {
	c.prompt = nil
	if c.conn == nil {
		return nil, fmt.Errorf("console: answer %q: not connected", line)
	}
	if err := c.conn.SendContext(ctx, []byte(line)); err != nil {
		c.drop()
		return nil, fmt.Errorf("console: answer %q: %w", line, err)
	}
	pkts, err := c.readAnswer(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("console: answer %q: %w", line, err)
	}
	return pkts, nil
}

// AnswerFunc answers a question of the Director. An error cancels the
// question (Converse answers "." and returns the error after the
// command ended).
type AnswerFunc func(p Prompt) (string, error)

// Answers returns an AnswerFunc that gives the answers in order, then
// ErrNoMoreAnswers.
func Answers(answers ...string) AnswerFunc {
	i := 0
	return func(Prompt) (string, error) {
		if i >= len(answers) {
			return "", ErrNoMoreAnswers
		}
		i++
		return answers[i-1], nil
	}
}

// Converse sends the command line cmd and answers every question the
// Director asks with answer, until the command ends. It returns all
// packets of the conversation (the answers are not among them). If
// answer fails, the question is canceled with "." and the first such
// error is returned once the command has ended.
func (c *Client) Converse(ctx context.Context, cmd string, answer AnswerFunc) ([]bsock.Packet, error) {
	pkts, err := c.CallPackets(ctx, cmd)
	if err != nil {
		return pkts, err
	}
	var firstErr error
	for n := 0; ; n++ {
		p, waiting := c.Waiting()
		if !waiting {
			return pkts, firstErr
		}
		line, aerr := answer(p)
		if n >= MaxPrompts {
			aerr = ErrTooManyPrompts
		}
		if aerr != nil {
			line = "."
			if firstErr == nil {
				firstErr = aerr
			}
		}
		more, err := c.Answer(ctx, line)
		pkts = append(pkts, more...)
		if err != nil {
			return pkts, err
		}
	}
}
