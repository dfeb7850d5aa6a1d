package tlspsk

import (
	"context"
	"crypto/ecdh"
	"errors"
	"fmt"
	"io"
	"time"
)

// Protocol versions. TLS 1.0 and 1.1 are not supported: they have no AEAD
// cipher suites.
const (
	VersionTLS12 uint16 = 0x0303
	VersionTLS13 uint16 = 0x0304
)

// Cipher suites (IANA names). The TLS 1.3 suites are used with an external
// PSK bound to SHA-256 and an ephemeral (EC)DHE share (psk_dhe_ke); the TLS
// 1.2 suites are the PSK suites of RFC 4279, 5487, 5489 and 7905 with AEAD
// protection.
const (
	TLS_AES_128_GCM_SHA256       uint16 = 0x1301
	TLS_CHACHA20_POLY1305_SHA256 uint16 = 0x1303

	TLS_PSK_WITH_AES_128_GCM_SHA256             uint16 = 0x00A8
	TLS_PSK_WITH_AES_256_GCM_SHA384             uint16 = 0x00A9
	TLS_PSK_WITH_CHACHA20_POLY1305_SHA256       uint16 = 0xCCAB
	TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 uint16 = 0xCCAC
)

// CurveID is a named group for the ephemeral key exchange.
type CurveID uint16

// Supported groups.
const (
	CurveP256 CurveID = 23
	X25519    CurveID = 29
)

// String returns the group's name as OpenSSL prints it.
func (id CurveID) String() string {
	switch id {
	case X25519:
		return "X25519"
	case CurveP256:
		return "P-256"
	}
	return fmt.Sprintf("group(%d)", uint16(id))
}

func (id CurveID) curve() ecdh.Curve {
	switch id {
	case X25519:
		return ecdh.X25519()
	case CurveP256:
		return ecdh.P256()
	}
	return nil
}

var defaultCurves = []CurveID{X25519, CurveP256}

// DefaultHandshakeTimeout bounds a handshake when Config.HandshakeTimeout
// is zero.
const DefaultHandshakeTimeout = 10 * time.Second

// Limits of the record layer and of handshake messages.
const (
	maxPlaintext    = 1 << 14 // record payload (RFC 8446 5.1, RFC 5246 6.2.1)
	maxCiphertext13 = maxPlaintext + 256
	maxCiphertext12 = maxPlaintext + 2048
	// maxRawBuffer bounds the read buffer of a connection, which grows
	// from one record as long as each read fills it.
	maxRawBuffer       = 8 * (recordHeaderLen + maxCiphertext12)
	recordHeaderLen    = 5
	maxHandshake       = 1 << 15 // largest handshake message body we accept
	maxUselessRecords  = 16      // records in a row that carry no progress
	maxIdentityLen     = 1 << 10 // a client's identity
	maxKeyLen          = 1 << 10 // a PSK
	maxPSKIdentities   = 16      // identities of a ClientHello we look up
	maxEarlyDataSkip   = maxPlaintext + maxCiphertext13
	keyUpdateAfter     = 1 << 24 // records sent under one TLS 1.3 key before we update it
	writeBatchMaxBytes = 4 * (maxPlaintext + 64)
)

// Config configures a client or a server. A Config may be shared by many
// connections and must not be modified after its first use.
type Config struct {
	// GetKey is the server's key lookup: it gets the PSK identity the
	// client offered (arbitrary bytes) and returns the key, or an error
	// (ErrUnknownIdentity or any other) when it has none. The handshake
	// then fails with an unknown_psk_identity alert and an error wrapping
	// GetKey's. A key must have 1 to 1024 bytes; it is copied, the caller
	// keeps its slice. The context is the handshake's. Required for
	// servers.
	GetKey func(ctx context.Context, identity string) ([]byte, error)

	// Identity and Key are the client's PSK identity and key (1 to 1024
	// bytes each). Required for clients.
	Identity string
	Key      []byte

	// MinVersion and MaxVersion bound the protocol version; zero means
	// VersionTLS12 and VersionTLS13.
	MinVersion, MaxVersion uint16

	// CipherSuites lists the enabled suites (both versions); nil enables
	// all supported suites. A client offers them in this order; a server
	// takes the first suite of the client's list it has enabled.
	CipherSuites []uint16

	// CurvePreferences lists the enabled groups in order of preference;
	// nil means X25519, then P-256. A client sends a key share for the
	// first one; a server takes a share of the client for an enabled group
	// and otherwise asks for one with a HelloRetryRequest.
	CurvePreferences []CurveID

	// HandshakeTimeout bounds a handshake; zero means
	// DefaultHandshakeTimeout, a negative value no bound (a context passed
	// to HandshakeContext still applies).
	HandshakeTimeout time.Duration

	// Rand is the source of randomness; nil means crypto/rand.
	Rand io.Reader
}

// ErrUnknownIdentity is what a GetKey callback returns for an identity it
// has no key for (any other error works the same way).
var ErrUnknownIdentity = errors.New("tlspsk: unknown PSK identity")

// ErrConfig is wrapped by the errors of an unusable Config.
var ErrConfig = errors.New("tlspsk: invalid config")

// ErrClosed is returned by operations on a closed Conn.
var ErrClosed = errors.New("tlspsk: use of closed connection")

func (c *Config) minVersion() uint16 {
	if c.MinVersion == 0 {
		return VersionTLS12
	}
	return c.MinVersion
}

func (c *Config) maxVersion() uint16 {
	if c.MaxVersion == 0 {
		return VersionTLS13
	}
	return c.MaxVersion
}

func (c *Config) supportsVersion(v uint16) bool {
	return (v == VersionTLS12 || v == VersionTLS13) && v >= c.minVersion() && v <= c.maxVersion()
}

func (c *Config) suites() []uint16 {
	if c.CipherSuites == nil {
		return defaultSuiteOrder
	}
	return c.CipherSuites
}

func (c *Config) suiteEnabled(id uint16) bool {
	for _, s := range c.suites() {
		if s == id {
			return true
		}
	}
	return false
}

func (c *Config) curves() []CurveID {
	if c.CurvePreferences == nil {
		return defaultCurves
	}
	return c.CurvePreferences
}

func (c *Config) curveEnabled(id CurveID) bool {
	for _, g := range c.curves() {
		if g == id {
			return true
		}
	}
	return false
}

func (c *Config) handshakeTimeout() time.Duration {
	if c.HandshakeTimeout == 0 {
		return DefaultHandshakeTimeout
	}
	return c.HandshakeTimeout
}

// check validates the configuration for one side.
func (c *Config) check(isClient bool) error {
	if c == nil {
		return fmt.Errorf("%w: nil Config", ErrConfig)
	}
	lo, hi := c.minVersion(), c.maxVersion()
	if lo != VersionTLS12 && lo != VersionTLS13 || hi != VersionTLS12 && hi != VersionTLS13 || lo > hi {
		return fmt.Errorf("%w: version range %#04x..%#04x (supported: TLS 1.2, TLS 1.3)", ErrConfig, lo, hi)
	}
	usable := false
	for _, id := range c.suites() {
		s := suiteByID(id)
		if s == nil {
			return fmt.Errorf("%w: unsupported cipher suite %#04x", ErrConfig, id)
		}
		if c.supportsVersion(s.version) {
			usable = true
		}
	}
	if !usable {
		return fmt.Errorf("%w: no enabled cipher suite for the enabled versions", ErrConfig)
	}
	for _, g := range c.curves() {
		if g.curve() == nil {
			return fmt.Errorf("%w: unsupported group %d", ErrConfig, uint16(g))
		}
	}
	if len(c.curves()) == 0 {
		return fmt.Errorf("%w: empty CurvePreferences (nil means the default)", ErrConfig)
	}
	if isClient {
		if len(c.Identity) == 0 || len(c.Identity) > maxIdentityLen {
			return fmt.Errorf("%w: identity of %d bytes (want 1..%d)", ErrConfig, len(c.Identity), maxIdentityLen)
		}
		if len(c.Key) == 0 || len(c.Key) > maxKeyLen {
			return fmt.Errorf("%w: key of %d bytes (want 1..%d)", ErrConfig, len(c.Key), maxKeyLen)
		}
	} else if c.GetKey == nil {
		return fmt.Errorf("%w: server without GetKey", ErrConfig)
	}
	return nil
}

// VersionName returns the version's name as OpenSSL prints it
// ("TLSv1.3", "TLSv1.2").
func VersionName(v uint16) string {
	switch v {
	case VersionTLS13:
		return "TLSv1.3"
	case VersionTLS12:
		return "TLSv1.2"
	case 0x0302:
		return "TLSv1.1"
	case 0x0301:
		return "TLSv1"
	}
	return fmt.Sprintf("unknown(%#04x)", v)
}

// CipherSuiteName returns the suite's name as OpenSSL prints it
// ("TLS_CHACHA20_POLY1305_SHA256", "PSK-AES128-GCM-SHA256", ...), or a hex
// form for a suite this package does not implement.
func CipherSuiteName(id uint16) string {
	if s := suiteByID(id); s != nil {
		return s.name
	}
	return fmt.Sprintf("unknown(%#04x)", id)
}

// CipherSuites returns the supported cipher suites in the default order of
// preference.
func CipherSuites() []uint16 {
	return append([]uint16(nil), defaultSuiteOrder...)
}

// ConnectionState describes a connection after its handshake.
type ConnectionState struct {
	HandshakeComplete    bool
	Version              uint16  // VersionTLS12 or VersionTLS13
	CipherSuite          uint16  // the negotiated suite
	Identity             string  // the PSK identity in use
	Curve                CurveID // the group of the ephemeral key exchange, 0 for plain PSK
	DidHelloRetryRequest bool    // the server asked for another key share
}
