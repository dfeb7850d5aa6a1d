package bsock

import (
	"errors"
	"fmt"
	"strings"
)

// Protocol is a console protocol generation, numbered like the Bareos
// release that introduced it (major*100 + minor).
type Protocol int

// Console protocol generations.
const (
	// ProtoAuto lets the client choose: ClientHandshake sends the 18.2
	// Hello; console.Dial falls back to 12.4 like python-bareos.
	ProtoAuto Protocol = 0
	// Proto124 is the protocol of Bareos before 18.2 (and of Bacula): one
	// "1000 OK: ..." line after authentication.
	Proto124 Protocol = 1204
	// Proto182 is the protocol since Bareos 18.2: "1000" and "1002"
	// response messages with a record separator after authentication.
	Proto182 Protocol = 1802
)

// String returns "12.4", "18.2", "auto" or the number.
func (p Protocol) String() string {
	switch p {
	case ProtoAuto:
		return "auto"
	case Proto124:
		return "12.4"
	case Proto182:
		return "18.2"
	}
	return fmt.Sprintf("Protocol(%d)", int(p))
}

// DefaultConsoleName is the name of the default (root) console.
const DefaultConsoleName = "*UserAgent*"

// Hello length limits of the reference (payload bytes, newline included).
const (
	MinHelloLen = 15
	MaxHelloLen = 153
)

// ErrBadHello reports a malformed Hello packet.
var ErrBadHello = errors.New("bsock: invalid hello")

// Hello is a parsed console Hello line.
type Hello struct {
	// Name is the console name with the ^A (0x01) bytes turned back into
	// spaces. The default console is DefaultConsoleName.
	Name string
	// Version is major*100+minor of the version token (token 4), or 0 if
	// the Hello has none ("undefined" in the reference).
	Version int
	// Protocol is Proto182 if Version >= 1802, else Proto124.
	Protocol Protocol
}

// helloPrefix lists the Hello prefixes the reference recognises when it
// extracts the name, in the order it tries them, with the position of the
// name token and of the version token (-1: none). A console Hello whose
// name happens to start like one of the daemon prefixes ("Director...",
// "Storage...", "Client...", "Start...") is therefore read from a different
// token, exactly as by the reference.
var helloPrefix = []struct {
	prefix        string
	name, version int
}{
	{"Hello Storage calling Start Job", 5, -1},
	{"Hello Start Storage Job", 4, -1},
	{"Hello Start Job", 3, -1},
	{"Hello Director", 2, -1},
	{"Hello Storage", 2, -1},
	{"Hello Client", 2, -1},
	{"Hello", 1, 4},
}

// ParseHello parses the payload of a console Hello packet as the reference
// Director does:
//
//   - the payload must be MinHelloLen..MaxHelloLen bytes long;
//   - it is taken as a C string (cut at the first NUL);
//   - it must match "Hello <name> calling" (name: up to 127 non-blank
//     bytes), optionally followed by more text; file daemon Hellos
//     ("Hello Client <name> ... calling") are refused;
//   - it is split at single spaces; token 1 is the name (^A -> space) and
//     token 4, if present and not empty, the version: split at '.', at
//     least two parts, each starting with decimal digits; major*100+minor.
//     A version token that does not parse makes the Hello invalid.
//
// Errors wrap ErrBadHello.
func ParseHello(p []byte) (Hello, error) {
	if len(p) < MinHelloLen || len(p) > MaxHelloLen {
		return Hello{}, fmt.Errorf("%w: length %d not in %d..%d", ErrBadHello, len(p), MinHelloLen, MaxHelloLen)
	}
	s := cString(p)
	if _, ok := scan(s, "Hello Client %127s FdProtocolVersion=%d calling"); ok {
		return Hello{}, fmt.Errorf("%w: file daemon hello", ErrBadHello)
	}
	if _, ok := scan(s, "Hello Client %127s calling"); ok {
		return Hello{}, fmt.Errorf("%w: file daemon hello", ErrBadHello)
	}
	_, long := scan(s, `Hello %127s calling version %127s Version="%u.%u.%u"`)
	if !long {
		if _, short := scan(s, "Hello %127s calling"); !short {
			return Hello{}, fmt.Errorf("%w: %.40q does not match \"Hello <name> calling\"", ErrBadHello, s)
		}
	}

	text := string(s)
	for _, h := range helloPrefix {
		if strings.HasPrefix(text, h.prefix) {
			tokens := splitLines(text, ' ')
			if h.name >= len(tokens) {
				return Hello{}, fmt.Errorf("%w: no name token", ErrBadHello)
			}
			hello := Hello{Name: strings.ReplaceAll(tokens[h.name], "\x01", " "), Protocol: Proto124}
			if h.version >= 0 && h.version < len(tokens) && tokens[h.version] != "" {
				v, err := parseHelloVersion(tokens[h.version])
				if err != nil {
					return Hello{}, err
				}
				hello.Version = v
				if v >= int(Proto182) {
					hello.Protocol = Proto182
				}
			}
			return hello, nil
		}
	}
	return Hello{}, fmt.Errorf("%w: no hello prefix", ErrBadHello)
}

// parseHelloVersion turns a version token such as "18.2.5\n" or
// "25.0.0~pre12.abc" into major*100+minor (1802, 2500), with the same
// wrap-around arithmetic as the reference's 32-bit result.
func parseHelloVersion(tok string) (int, error) {
	parts := splitLines(tok, '.')
	if len(parts) < 2 {
		return 0, fmt.Errorf("%w: version %.40q has no minor number", ErrBadHello, tok)
	}
	major, ok1 := leadingUint(parts[0])
	minor, ok2 := leadingUint(parts[1])
	if !ok1 || !ok2 {
		return 0, fmt.Errorf("%w: version %.40q is not numeric", ErrBadHello, tok)
	}
	return int(uint32(major*100 + minor)), nil
}

// leadingUint parses the number at the start of s the way C++ std::stoul
// does: optional leading white space, optional sign, at least one digit,
// no overflow of 64 bits; a minus sign negates modulo 2^64.
func leadingUint(s string) (uint64, bool) {
	i := 0
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	start := i
	var v uint64
	for i < len(s) && isDigit(s[i]) {
		d := uint64(s[i] - '0')
		if v > (^uint64(0)-d)/10 {
			return 0, false
		}
		v = v*10 + d
		i++
	}
	if i == start {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}

// splitLines splits s at sep like repeated std::getline: empty fields
// between separators are kept, a trailing separator does not produce an
// empty last field, and an empty s gives no fields.
func splitLines(s string, sep byte) []string {
	var out []string
	for len(s) > 0 {
		i := strings.IndexByte(s, sep)
		if i < 0 {
			out = append(out, s)
			break
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
	return out
}

// bash replaces spaces by ^A (0x01), as names are sent on the wire.
func bash(name string) string { return strings.ReplaceAll(name, " ", "\x01") }

// HelloText returns the Hello line a console client sends: for Proto124
// "Hello <name> calling\n", otherwise "Hello <name> calling version
// <version>\n" (python-bareos style). name "" means DefaultConsoleName;
// spaces in the name are sent as ^A.
func HelloText(name string, p Protocol, version string) string {
	if name == "" {
		name = DefaultConsoleName
	}
	if p == Proto124 {
		return "Hello " + bash(name) + " calling\n"
	}
	return "Hello " + bash(name) + " calling version " + version + "\n"
}
