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

// ParseMode parses one mode word as the Director does, case-insensitively:
// "0" or "off", "1" or "on", "2" or "json".
func ParseMode(word string) (Mode, error) {
	switch {
	case word == "0" || strings.EqualFold(word, "off"):
		return Off, nil
	case word == "1" || strings.EqualFold(word, "on"):
		return On, nil
	case word == "2" || strings.EqualFold(word, "json"):
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

// Arg is one parsed command-line argument: a keyword and an optional value,
// as the Director splits "key=value" words.
type Arg struct {
	Key      string
	Value    string
	HasValue bool
}

// Parse interprets the arguments of a `.api` command. args[0] is the
// command word itself (".api"), as in the Director's argk/argv arrays, and
// each argument is split at its first '=' (see Arg).
//
// The rules are the Director's: `.api` alone selects On; one or two further
// words are accepted, the first being a mode word (ParseMode, keyword only;
// a value after '=' is ignored as the Director ignores it). A compact=VALUE
// third word counts only with mode JSON: VALUE "yes" (any case) turns compact
// on, any other value turns it off; "compact" without a value, or any other
// third word, keeps the flag. More than three words, or an unknown mode word,
// is ErrInvalid.
func Parse(args []Arg) (Request, error) {
	switch {
	case len(args) <= 1:
		return Request{Mode: On}, nil
	case len(args) > 3:
		return Request{}, fmt.Errorf("%w: %d arguments", ErrInvalid, len(args)-1)
	}
	m, err := ParseMode(args[1].Key)
	if err != nil {
		return Request{}, err
	}
	req := Request{Mode: m, Batch: m == JSON}
	if m == JSON && len(args) == 3 {
		if c := args[2]; strings.EqualFold(c.Key, "compact") && c.HasValue {
			req.Compact = CompactOff
			if strings.EqualFold(c.Value, "yes") {
				req.Compact = CompactOn
			}
		}
	}
	return req, nil
}

// ParseLine is Parse for the words of a command line split at blanks, each
// split at its first '=' ("compact=yes" -> key "compact", value "yes").
// It is a convenience for callers that have no argument parser of their
// own; quoting is not interpreted.
func ParseLine(line string) (Request, error) {
	fields := strings.Fields(line)
	args := make([]Arg, 0, len(fields))
	for _, f := range fields {
		k, v, ok := strings.Cut(f, "=")
		args = append(args, Arg{Key: k, Value: v, HasValue: ok})
	}
	if len(args) == 0 {
		args = append(args, Arg{Key: ".api"})
	}
	return Parse(args)
}
