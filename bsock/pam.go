package bsock

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
)

// PAM login messages (the Director's kMessageId... numbers) and the
// conversation's message styles (Linux-PAM's values, which the Director
// sends as one byte).
const (
	msgIDPAMInteractive = 4001 // the console asks the Director to prompt
	msgIDPAMCredentials = 4002 // the console sends user and password
	pamSuccess          = 0    // PAM_SUCCESS: the conversation ended well
	pamPromptEchoOff    = 1    // PAM_PROMPT_ECHO_OFF: a password prompt
	pamPromptEchoOn     = 2    // PAM_PROMPT_ECHO_ON: a prompt with echo
)

// The prompts of the Director's PAM conversation for a console that asks
// to be prompted (the ones of the usual pam_unix stack).
const (
	pamLoginPrompt    = "login: "
	pamPasswordPrompt = "Password: "
)

// pam runs the Director's PAM login after a successful CRAM-MD5 exchange
// and returns the authenticated user. It is the Director's
// AuthenticatePamUser:
//
//   - a console of the 12.4 protocol cannot log in with PAM: it gets the
//     usual 1000 line and then the connection is closed;
//   - otherwise the Director sends response message 1001 ("1001" RS) and
//     reads the console's answer, "4002" RS user RS password (direct
//     credentials) or "4001" (prompt me); an answer without both
//     credentials is taken as 4001: the Director prompts for the login
//     and the password in a conversation (each prompt is a one-byte
//     packet with the PAM message style, then the text with its NUL; the
//     console answers each with one packet) and ends it with the style
//     PAM_SUCCESS and an empty text;
//   - a refusal sends nothing more: the connection is closed.
func (s *serverHS) pam(console string) (string, error) {
	if s.proto == Proto124 {
		_ = s.send124OK()
		return "", fmt.Errorf("%w: %q requires a PAM login, which consoles before 18.2 cannot do", ErrAuthFailed, console)
	}
	if err := s.send(strconv.Itoa(msgIDPAM) + recordSep); err != nil {
		return "", fmt.Errorf("send PAM request: %w", err)
	}
	if s.cfg.VerifyPAM == nil {
		// As a Director built without PAM: the request goes out, then
		// the connection is closed.
		return "", fmt.Errorf("%w: console %q", ErrPAMUnavailable, console)
	}
	answer, err := s.recvData("PAM answer")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrAuthFailed, err)
	}
	fields := bytes.Split(cString(answer), []byte(recordSep))
	id, ok := leadingUint(string(fields[0]))
	if !ok {
		return "", fmt.Errorf("%w: malformed PAM answer %.40q", ErrAuthFailed, answer)
	}
	var user, password string
	if id == msgIDPAMCredentials && len(fields) >= 3 {
		user, password = string(fields[1]), string(fields[2])
	}
	interactive := user == "" || password == ""
	if interactive {
		if user, err = s.pamPrompt(pamPromptEchoOn, pamLoginPrompt); err != nil {
			return "", err
		}
		if password, err = s.pamPrompt(pamPromptEchoOff, pamPasswordPrompt); err != nil {
			return "", err
		}
	}
	authenticated, err := s.cfg.VerifyPAM(s.ctx, console, user, password)
	if err != nil {
		return "", fmt.Errorf("%w: PAM login of %.40q: %w", ErrAuthFailed, user, err)
	}
	if authenticated == "" {
		authenticated = user
	}
	if interactive {
		if err := s.pamMessage(pamSuccess, ""); err != nil {
			return "", err
		}
	}
	return authenticated, nil
}

// pamMessage sends one message of the PAM conversation: the style as a
// one-byte packet, then the text with its NUL.
func (s *serverHS) pamMessage(style byte, text string) error {
	s.stepDeadline()
	if err := s.c.Send([]byte{style}); err != nil {
		return fmt.Errorf("send PAM message: %w", err)
	}
	if err := s.c.Send(append([]byte(text), 0)); err != nil {
		return fmt.Errorf("send PAM message: %w", err)
	}
	return nil
}

// pamPrompt sends a prompt and reads the console's answer (up to its
// first NUL).
func (s *serverHS) pamPrompt(style byte, prompt string) (string, error) {
	if err := s.pamMessage(style, prompt); err != nil {
		return "", err
	}
	p, err := s.recvData("PAM conversation answer")
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrAuthFailed, err)
	}
	return string(cString(p)), nil
}

// clientPAM answers the Director's 1001 request the way python-bareos
// does: with the credentials in one 4002 message. (A console that wants
// to be prompted sends 4001 and runs the conversation; this client does
// not.)
func clientPAM(c *Conn, cfg ClientConfig) error {
	if cfg.PAMUser == "" || cfg.PAMPassword == "" {
		return ErrPAMRequired
	}
	msg := strconv.Itoa(msgIDPAMCredentials) + recordSep + cfg.PAMUser + recordSep + cfg.PAMPassword
	if err := c.Send([]byte(msg)); err != nil {
		return fmt.Errorf("send PAM credentials: %w", err)
	}
	return nil
}

// ErrPAMFailed reports a PAM login that the Director ended without an
// answer (wrong PAM credentials, no such user); it comes wrapped with
// ErrAuthFailed.
var ErrPAMFailed = errors.New("bsock: PAM login refused (connection closed)")
