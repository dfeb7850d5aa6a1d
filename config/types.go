package config

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/uaformat/uaformat/uacontext"
)

// Sentinel errors wrapped by *Error.
var (
	// ErrSyntax: malformed text (unexpected token, unterminated string,
	// unclosed resource).
	ErrSyntax = errors.New("syntax error")
	// ErrUnknownDirective: a directive that the resource does not have.
	ErrUnknownDirective = errors.New("unknown directive")
	// ErrInvalidValue: a value the directive does not accept (bad number,
	// boolean, port, md5 password, duration).
	ErrInvalidValue = errors.New("invalid value")
	// ErrInvalidName: a resource name that is not a valid Bareos name, or
	// the reserved name of the default console.
	ErrInvalidName = errors.New("invalid name")
	// ErrEmptyPassword: an empty password where the Director requires one.
	ErrEmptyPassword = errors.New("empty password")
	// ErrInvalidACL: an ACL entry the Director refuses, or a regular
	// expression that does not compile (and so would match nothing).
	ErrInvalidACL = errors.New("invalid ACL entry")
	// ErrMissing: a resource without a required directive (Name,
	// Password).
	ErrMissing = errors.New("missing required directive")
	// ErrDuplicate: two resources of the same type with the same name, a
	// second Director resource, or a second Name in one resource.
	ErrDuplicate = errors.New("duplicate")
	// ErrUnknownProfile: a Console or User refers to an undefined Profile.
	ErrUnknownProfile = errors.New("unknown profile")
	// ErrInclude: an @include that cannot be read or is not allowed (such
	// as a command include "@|command", which is never executed).
	ErrInclude = errors.New("include error")
	// ErrTooLarge: the configuration exceeds a limit (MaxFiles,
	// MaxFileSize, MaxTotalSize, MaxTokenLength, MaxIncludeDepth,
	// nesting).
	ErrTooLarge = errors.New("configuration too large")
)

// Position is a place in the configuration: a file and a 1-based line.
type Position struct {
	File string // file name as read ("" if none)
	Line int    // 1-based line number (0 if not tied to a line)
}

// String formats the position as "FILE:LINE" (leaving out what is
// unknown).
func (p Position) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		if p.File != "" {
			b.WriteByte(':')
		}
		b.WriteString(strconv.Itoa(p.Line))
	}
	return b.String()
}

// Error is a configuration error at a place in a file. Load and Parse
// return one *Error, or several joined with errors.Join when there are
// several validation errors.
type Error struct {
	Pos Position // where the problem is
	Msg string   // the problem
	Err error    // one of the sentinel errors
}

// Error formats the problem as "FILE:LINE: message".
func (e *Error) Error() string {
	if p := e.Pos.String(); p != "" {
		return p + ": " + e.Msg
	}
	return e.Msg
}

// Unwrap returns the sentinel error.
func (e *Error) Unwrap() error { return e.Err }

// Notice is something worth knowing about a configuration that is not an
// error: a skipped resource, a deprecated or obsolete directive, an
// @include pattern that matched nothing.
type Notice struct {
	Pos   Position
	Level slog.Level // slog.LevelWarn for things that may be mistakes
	Msg   string
}

// String formats the notice as "FILE:LINE: message".
func (n Notice) String() string {
	if p := n.Pos.String(); p != "" {
		return p + ": " + n.Msg
	}
	return n.Msg
}

// Options configure Load and Parse. The zero value reads the operating
// system's files relative to the working directory and logs nothing.
type Options struct {
	// Logger receives every notice (skipped resources, obsolete
	// directives, ...) at its level, with the file and line; nil discards
	// them. They are also in Config.Notices.
	Logger *slog.Logger
	// FS, if set, holds the configuration files: a path (of Load, or of
	// an @include) is looked up in FS without its leading "/", so that
	// Load("/etc/bareos") with FS = os.DirFS("testdata/root") reads
	// testdata/root/etc/bareos.
	FS fs.FS
	// Dir is the directory relative paths are resolved against; empty
	// means the working directory (or the root of FS), which is what the
	// Director does.
	Dir string
}

// Password is a password as configured: cleartext, or "[md5]" followed
// by the 32 hex digits of the MD5 of the cleartext.
type Password struct {
	// Raw is the value as written in the configuration, with its "[md5]"
	// prefix if it has one.
	Raw string
}

// IsMD5 reports whether the password is given as "[md5]HEX".
func (p Password) IsMD5() bool { return strings.HasPrefix(p.Raw, md5Prefix) }

const md5Prefix = "[md5]"

// Key returns the key the Director uses for CRAM-MD5 and TLS-PSK: the
// lower-case hex MD5 of a cleartext password, or the digits of an
// "[md5]HEX" password exactly as written (letter case included, as the
// Director keeps them).
func (p Password) Key() string {
	if rest, ok := strings.CutPrefix(p.Raw, md5Prefix); ok {
		return rest
	}
	sum := md5.Sum([]byte(p.Raw))
	return hex.EncodeToString(sum[:])
}

// LogValue keeps passwords out of logs.
func (p Password) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Directive is a directive that the Director accepts but this package
// does not model, kept as written.
type Directive struct {
	Name   string   // the directive's canonical name, e.g. "QueryFile"
	Values []string // its values (one, or several for lists)
	Pos    Position
}

// TLSConfig holds the TLS directives of a Director or Console resource.
type TLSConfig struct {
	Enable       bool // TLS Enable (default yes)
	Require      bool // TLS Require (default yes)
	Authenticate bool // TLS Authenticate (deprecated; default no)
	// CipherList (TLS <= 1.2) and CipherSuites (TLS 1.3) are OpenSSL
	// cipher lists; Protocol is an OpenSSL protocol setting.
	CipherList, CipherSuites, Protocol string
	// DHFile is the Diffie-Hellman parameter file.
	DHFile string
	// VerifyPeer asks for a peer certificate whose CN is in AllowedCN
	// (default no).
	VerifyPeer bool
	// Certificate and Key are the PEM files of the certificate;
	// CACertificateFile and CACertificateDir the trusted CAs;
	// CertificateRevocationList a CRL file.
	Certificate, Key                    string
	CACertificateFile, CACertificateDir string
	CertificateRevocationList           string
	// AllowedCN lists the accepted peer certificate common names.
	AllowedCN []string
}

// defaultTLS is the Director's default TLS setting.
func defaultTLS() TLSConfig { return TLSConfig{Enable: true, Require: true} }

// DefaultDirPort is the Director's default port.
const DefaultDirPort = 9101

// DefaultMaxConsoleConnections is the Director's default limit of
// concurrent console connections.
const DefaultMaxConsoleConnections = 20

// Address is one entry of a Director's DirAddresses block.
type Address struct {
	Family string // "ip" (any), "ipv4" or "ipv6", as written in lower case
	Host   string // host name or address; "" is any address
	Port   int    // port (DefaultDirPort if not given)
}

// Director is the Director resource.
type Director struct {
	Name        string
	Description string
	// Password is the password of the default console "*UserAgent*".
	Password Password
	// DirPort and DirAddress are the single listening address (Port and
	// Address; DirPort defaults to DefaultDirPort, an empty DirAddress is
	// any address). DirAddresses is the block form; the two forms cannot
	// be mixed.
	DirPort      int
	DirAddress   string
	DirAddresses []Address
	// DirSourceAddress is the source address of outgoing connections.
	DirSourceAddress string
	// MaxConsoleConnections limits concurrent console connections
	// (default DefaultMaxConsoleConnections); the default console is
	// admitted beyond it.
	MaxConsoleConnections int
	// MaxConcurrentJobs is the Director's job limit (default 1).
	MaxConcurrentJobs int
	// Messages names the Messages resource for daemon messages.
	Messages string
	// QueryFile and WorkingDirectory are paths as configured.
	QueryFile, WorkingDirectory string
	// HeartbeatInterval (default 0: none).
	HeartbeatInterval time.Duration
	// Auditing and AuditEvents: audit logging of console commands.
	Auditing    bool
	AuditEvents []string
	TLS         TLSConfig
	// Other holds every other directive, as written.
	Other []Directive
	// Pos is where the resource starts.
	Pos Position
}

// ListenAddresses returns the host:port addresses the Director listens
// on: one per DirAddresses entry, or DirAddress:DirPort (an empty host
// meaning every address).
func (d *Director) ListenAddresses() []string {
	if len(d.DirAddresses) > 0 {
		out := make([]string, 0, len(d.DirAddresses))
		for _, a := range d.DirAddresses {
			host := a.Host
			if host == "" {
				switch a.Family {
				case "ipv4":
					host = "0.0.0.0"
				case "ipv6":
					host = "::"
				}
			}
			port := a.Port
			if port == 0 {
				port = DefaultDirPort
			}
			out = append(out, net.JoinHostPort(host, strconv.Itoa(port)))
		}
		return out
	}
	port := d.DirPort
	if port == 0 {
		port = DefaultDirPort
	}
	return []string{net.JoinHostPort(d.DirAddress, strconv.Itoa(port))}
}

// Console is a named Console resource.
type Console struct {
	Name        string
	Description string
	Password    Password
	// ACL holds the console's own ACL entries, by kind, in order ("*all*",
	// "!name", names and regular expressions); see Config.EffectiveACL
	// for the lists that decide, with those of the profiles.
	ACL uacontext.ACLSet
	// Profiles names the Profile resources of the console, in order.
	Profiles []string
	// UsePAMAuthentication is "Use Pam Authentication" (default no).
	UsePAMAuthentication bool
	TLS                  TLSConfig
	// Other holds directives kept as written (obsolete ones).
	Other []Directive
	// Pos is where the resource starts.
	Pos Position
}

// Profile is a Profile resource: a named set of ACLs.
type Profile struct {
	Name        string
	Description string
	ACL         uacontext.ACLSet
	Pos         Position
}

// User is a User resource: the ACLs of a user authenticated by PAM
// through a console with UsePAMAuthentication.
type User struct {
	Name        string
	Description string
	ACL         uacontext.ACLSet
	Profiles    []string
	Pos         Position
}
