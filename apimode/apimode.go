// Package apimode defines the Bareos console API modes and parses the
// arguments of the Director's `.api` command.
//
// A console connection is always in one of three modes: Off (0, free text
// for humans), On (1, the same text preceded by signal packets) or JSON (2,
// one JSON-RPC 2.0 response object per command). Parse turns the words of a
// `.api` command line into the requested change exactly as the Director
// accepts them.
package apimode

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/uaformat/uaformat/internal/ascii"
)

// Mode is a console API mode. The zero value is Off.
type Mode uint8

// The API modes, with the numeric values the Director uses on the wire.
const (
	Off  Mode = 0 // free text (bconsole)
	On   Mode = 1 // text with signals (API_MODE_ON)
	JSON Mode = 2 // JSON-RPC 2.0 results (API_MODE_JSON)
)

// String returns "0", "1" or "2", the way the Director prints the mode in
// the answer of `.api` ("api: 2"). Undefined modes print as "Mode(N)".
func (m Mode) String() string {
	if m.Valid() {
		return strconv.Itoa(int(m))
	}
	return "Mode(" + strconv.Itoa(int(m)) + ")"
}

// Valid reports whether m is one of Off, On and JSON.
func (m Mode) Valid() bool { return m <= JSON }

// ErrInvalid is returned (wrapped) by Parse and ParseMode for arguments the
// Director rejects. The Director answers such a `.api` with a failed result
// and no message.
var ErrInvalid = errors.New("apimode: invalid .api arguments")

// ParseMode parses one mode word as the Director does, ignoring the case
// of ASCII letters only (as C strcasecmp): "0" or "off", "1" or "on", "2"
// or "json".
func ParseMode(word string) (Mode, error) {
	switch {
	case word == "0" || ascii.EqualFold(word, "off"):
		return Off, nil
	case word == "1" || ascii.EqualFold(word, "on"):
		return On, nil
	case word == "2" || ascii.EqualFold(word, "json"):
		return JSON, nil
	}
	return Off, fmt.Errorf("%w: unknown mode %.40q", ErrInvalid, word)
}

// Compact is what a `.api` command does to the JSON compact flag.
type Compact uint8

// The possible effects of `.api` on the compact flag.
const (
	CompactKeep Compact = iota // leave the connection's compact flag as it is
	CompactOn                  // compact=yes
	CompactOff                 // compact= anything else
)

// Request is the parsed effect of one `.api` command.
type Request struct {
	Mode    Mode
	Compact Compact
	// Batch is the Director's batch flag: set by mode JSON (interactive
	// prompts then fail at once), cleared by the other modes.
	Batch bool
}

// Parse interprets the words of a `.api` command line. words[0] is the
// command word itself (".api"), as in the Director's argk/argv arrays;
// each word is taken whole ("compact=yes") and split at its first '='
// into keyword and value, as the Director splits it.
//
// The rules are the Director's: `.api` alone selects On; one or two further
// words are accepted, the first being a mode word (ParseMode, keyword only;
// a value after '=' is ignored as the Director ignores it). A compact=VALUE
// third word counts only with mode JSON: VALUE "yes" (ASCII letters in any
// case) turns compact on, any other value turns it off; "compact" without
// a value, or any other third word, keeps the flag. More than three words,
// or an unknown mode word, is ErrInvalid.
func Parse(words []string) (Request, error) {
	switch {
	case len(words) <= 1:
		return Request{Mode: On}, nil
	case len(words) > 3:
		return Request{}, fmt.Errorf("%w: %d arguments", ErrInvalid, len(words)-1)
	}
	modeWord, _, _ := strings.Cut(words[1], "=")
	m, err := ParseMode(modeWord)
	if err != nil {
		return Request{}, err
	}
	req := Request{Mode: m, Batch: m == JSON}
	if m == JSON && len(words) == 3 {
		if k, v, ok := strings.Cut(words[2], "="); ok && ascii.EqualFold(k, "compact") {
			req.Compact = CompactOff
			if ascii.EqualFold(v, "yes") {
				req.Compact = CompactOn
			}
		}
	}
	return req, nil
}

// ParseLine is Parse for a command line split at blanks. It is a
// convenience for callers that have no argument parser of their own;
// quoting is not interpreted.
func ParseLine(line string) (Request, error) {
	words := strings.Fields(line)
	if len(words) == 0 {
		words = []string{".api"}
	}
	return Parse(words)
}
