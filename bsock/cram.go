package bsock

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrBadChallenge reports a CRAM-MD5 challenge line or challenge string
// that does not have the expected shape.
var ErrBadChallenge = errors.New("bsock: invalid cram-md5 challenge")

// ErrReplay reports a challenge that carries the receiver's own qualified
// name: answering it would let a peer replay our own challenge to us.
var ErrReplay = errors.New("bsock: challenge carries our own name (replay attack)")

// TLS policies announced in a challenge line ("ssl=<n>").
const (
	TLSNone     = 0
	TLSEnabled  = 1
	TLSRequired = 2
)

// Challenge is a parsed "auth cram-md5 ..." line.
type Challenge struct {
	// Text is the challenge proper, normally "<R.T@NAME>": the bytes that
	// get hashed.
	Text string
	// Compatible is true for the "cram-md5c" keyword, which asks for the
	// answer in standard base64 instead of the Bareos variant.
	Compatible bool
	// SSL is the announced TLS policy (TLSNone if absent).
	SSL int
	// HasSSL reports whether "ssl=<n>" was present.
	HasSSL bool
}

// ParseChallenge parses the payload of a challenge packet as the reference
// does, first match wins:
//
//	auth cram-md5c <chal> ssl=<int>   -> Compatible
//	auth cram-md5 <chal> ssl=<int>
//	auth cram-md5 <chal>
//
// where <chal> is a run of non-blank bytes; trailing text (such as
// " qualified-name=...") is ignored. The payload is taken as a C string.
// The shape of <chal> itself is checked by ChallengeName. Errors wrap
// ErrBadChallenge.
func ParseChallenge(p []byte) (Challenge, error) {
	s := cString(p)
	if f, ok := scan(s, "auth cram-md5c %s ssl=%d"); ok {
		return Challenge{Text: f[0], Compatible: true, SSL: atoiC(f[1]), HasSSL: true}, nil
	}
	if f, ok := scan(s, "auth cram-md5 %s ssl=%d"); ok {
		return Challenge{Text: f[0], SSL: atoiC(f[1]), HasSSL: true}, nil
	}
	if f, ok := scan(s, "auth cram-md5 %s\n"); ok {
		return Challenge{Text: f[0]}, nil
	}
	return Challenge{}, fmt.Errorf("%w: %.40q", ErrBadChallenge, s)
}

// atoiC converts an optional '-' and digits (as captured by %d) to an int,
// wrapping like a C int on overflow.
func atoiC(s string) int {
	neg := strings.HasPrefix(s, "-")
	var v int32
	for _, c := range strings.TrimPrefix(s, "-") {
		v = v*10 + int32(c-'0')
	}
	if neg {
		v = -v
	}
	return int(v)
}

// ChallengeName checks that chal has the shape "<digits.digits@NAME>" and
// returns NAME: the text between '@' and the last byte (which is assumed to
// be '>' and not checked, as by the reference). The digit runs may be empty
// and may exceed 32 bits. Errors wrap ErrBadChallenge.
func ChallengeName(chal string) (string, error) {
	f, ok := scan([]byte(chal), "<%u.%u@%s")
	if !ok || len(f) != 3 || f[2] == "" {
		return "", fmt.Errorf("%w: %.40q is not <digits.digits@name>", ErrBadChallenge, chal)
	}
	return f[2][:len(f[2])-1], nil
}

// NewChallenge returns a challenge string "<r.t@name>" with spaces in name
// replaced by ^A.
func NewChallenge(r uint64, t int64, name string) string {
	return "<" + strconv.FormatUint(r, 10) + "." + strconv.FormatInt(t, 10) + "@" + bash(name) + ">"
}

// checkNotOwn refuses a challenge whose name equals our own qualified name
// (spaces bashed). Like the reference, storage daemons talking to each
// other are exempt.
func checkNotOwn(chal, ownQualified string) error {
	name, err := ChallengeName(chal)
	if err != nil {
		return err
	}
	if name == bash(ownQualified) && !strings.Contains(chal, "R_STORAGE") {
		return ErrReplay
	}
	return nil
}
