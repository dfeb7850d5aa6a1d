package uacontext

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/tlspsk"
)

// TLSPolicy is a console's TLS policy, from the TLS Enable and TLS
// Require directives of its Console resource (of the Director resource
// for the default console). It is the number a Director announces in its
// CRAM-MD5 challenge ("ssl=<n>").
//
// Whatever the policy, a connection that starts with a TLS handshake is
// served inside TLS, as by the Director. The policy decides about
// cleartext connections: TLSNone lets every console in without TLS;
// TLSEnabled lets in the consoles older than 18.2 (their Hello has no
// version 18.2 or later: Bacula's bconsole, python-bareos's fallback) and
// refuses the newer ones right after their Hello, as the Director does;
// TLSRequired refuses those too, after the CRAM-MD5 exchange.
type TLSPolicy int

// TLS policies.
const (
	TLSNone     TLSPolicy = bsock.TLSNone     // TLS Enable = no
	TLSEnabled  TLSPolicy = bsock.TLSEnabled  // TLS Enable = yes, TLS Require = no
	TLSRequired TLSPolicy = bsock.TLSRequired // TLS Enable = yes, TLS Require = yes (the Director's default)
)

// TLSPolicyOf returns the policy of the TLS Enable and TLS Require
// directives, as the Director derives it.
func TLSPolicyOf(enable, require bool) TLSPolicy {
	switch {
	case !enable:
		return TLSNone
	case !require:
		return TLSEnabled
	}
	return TLSRequired
}

// String returns the policy's name.
func (p TLSPolicy) String() string {
	switch p {
	case TLSNone:
		return "none"
	case TLSEnabled:
		return "enabled"
	case TLSRequired:
		return "required"
	}
	return fmt.Sprintf("TLSPolicy(%d)", int(p))
}

// TLSConfig configures the TLS a Server accepts: TLS-PSK (package
// tlspsk), the keys being those of the consoles, and optionally TLS with
// certificates (crypto/tls) for clients whose ClientHello offers no PSK.
// The zero value accepts TLS-PSK with tlspsk's defaults (TLS 1.3 and 1.2,
// every suite it implements).
type TLSConfig struct {
	// MinVersion, MaxVersion, CipherSuites and CurvePreferences bound the
	// TLS-PSK handshake as in tlspsk.Config (the Director resource's TLS
	// Protocol, TLS Cipher List and TLS Cipher Suites; see
	// config.Director.ServerTLS).
	MinVersion, MaxVersion uint16
	CipherSuites           []uint16
	CurvePreferences       []tlspsk.CurveID
	// HandshakeTimeout bounds the TLS handshake; zero means
	// tlspsk.DefaultHandshakeTimeout. The Server's AuthTimeout bounds it
	// too.
	HandshakeTimeout time.Duration
	// Certificates, if set, serves the clients whose ClientHello offers
	// no PSK (neither a TLS 1.3 pre_shared_key nor a TLS 1.2 PSK suite of
	// tlspsk) with TLS through crypto/tls: the Director resource's TLS
	// Certificate, TLS Key, TLS CA Certificate File and TLS Verify Peer.
	// The Hello of such a connection is not checked against a PSK
	// identity. Nil: such a handshake fails like one with an unknown PSK
	// identity.
	Certificates *tls.Config
}

// pskConfig is the tlspsk configuration of one connection.
func (t *TLSConfig) pskConfig(getKey func(context.Context, string) ([]byte, error)) *tlspsk.Config {
	cfg := &tlspsk.Config{GetKey: getKey}
	if t != nil {
		cfg.MinVersion, cfg.MaxVersion = t.MinVersion, t.MaxVersion
		cfg.CipherSuites, cfg.CurvePreferences = t.CipherSuites, t.CurvePreferences
		cfg.HandshakeTimeout = t.HandshakeTimeout
	}
	return cfg
}

// PSKIdentityPrefix starts the TLS-PSK identity of a console: "R_CONSOLE"
// and the record separator 0x1E, followed by the console's name as
// configured (not bashed).
const PSKIdentityPrefix = "R_CONSOLE\x1e"

// ErrIdentityMismatch reports a console whose Hello names another console
// than the TLS-PSK identity it authenticated with.
var ErrIdentityMismatch = errors.New("uacontext: console name in the Hello differs from the TLS-PSK identity")

// errTLSRefused reports a cleartext Hello refused for the console's TLS
// policy.
var errTLSRefused = errors.New("uacontext: console requires TLS; cleartext Hello of protocol 18.2 refused")

// terminateBytes is BNET_TERMINATE as it goes on the wire.
var terminateBytes = []byte{0xff, 0xff, 0xff, 0xfc}

// connStart is what the start of a connection decided.
type connStart struct {
	encryption string // cipher and version as OpenSSL names them; "" in cleartext
	identity   string // console name of the TLS-PSK identity ("" without PSK)
	policy     TLSPolicy
}

// peekLen is how many bytes the Director looks at to tell a cleartext
// Hello ("Hello " at offset 4) from a TLS handshake.
const peekLen = 10

// startConn runs the start of a connection as the Director does
// (TryTlsHandshakeAsAServer): it looks at the first bytes; "Hello " at
// offset 4 is a cleartext Hello, checked against the console's TLS
// policy; anything else is a TLS handshake, whatever the policies say. In
// TLS the Hello (read inside the tunnel) must name the console of the
// PSK identity. On success sc.c is the packet connection for the login,
// with the bytes read so far put back. On failure the connection has been
// answered as the Director answers and closed.
func (s *Server) startConn(ctx context.Context, sc *serverConn, l *loginLookup, log *slog.Logger) (connStart, error) {
	nc := sc.nc
	if dl, ok := ctx.Deadline(); ok {
		nc.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	defer func() {
		if stop() {
			nc.SetDeadline(time.Time{})
		}
	}()
	var st connStart

	peek, err := readPeek(nc)
	switch {
	case err != nil && len(peek) == 0:
		// Nothing arrived: nothing to answer.
		nc.Close()
		return st, fmt.Errorf("uacontext: read the first bytes: %w", ctxErr(ctx, err))
	case err != nil:
		// The Director needs ten bytes to decide, and closes otherwise.
		terminate(nc)
		return st, fmt.Errorf("uacontext: read the first %d bytes (got %d): %w", peekLen, len(peek), ctxErr(ctx, err))
	case len(peek) < peekLen || string(peek[4:]) == "Hello ":
		return s.startCleartext(ctx, sc, l, peek)
	}

	var conn net.Conn
	if s.TLS != nil && s.TLS.Certificates != nil && !offersPSK(nc, &peek) {
		conn, st.encryption, err = s.certHandshake(ctx, nc, peek)
	} else {
		conn, st.encryption, st.identity, err = s.pskHandshake(ctx, nc, peek, l)
	}
	if err != nil {
		// The alert has gone out inside TLS; the Director then sends
		// BNET_TERMINATE outside it and closes.
		terminate(nc)
		return st, fmt.Errorf("uacontext: TLS handshake: %w", ctxErr(ctx, err))
	}
	sc.setConn(conn)
	log.Debug("console TLS", "cipher", st.encryption)

	// The Hello inside the tunnel.
	h, raw, err := peekHello(conn)
	if err == nil && st.identity != "" && h.Name != st.identity {
		sleepCtx(ctx, s.failDelay())
		c := bsock.NewConn(conn)
		c.SetWriteDeadline(time.Now().Add(time.Second))
		c.Signal(bsock.Terminate)
		sc.close(ErrIdentityMismatch)
		return st, fmt.Errorf("%w: Hello of %.40q, identity %.40q", ErrIdentityMismatch, h.Name, st.identity)
	}
	if err == nil {
		st.policy = s.policyOf(ctx, l, h.Name)
	}
	sc.setConn(tlspsk.PrefixConn(conn, raw))
	return st, nil
}

// readPeek reads the first bytes of a connection: peekLen of them, or
// only the 4-byte header of a packet too short to be a Hello (which
// cannot be the start of a TLS record either: its first byte is 0).
func readPeek(nc net.Conn) ([]byte, error) {
	peek := make([]byte, peekLen)
	n, err := io.ReadFull(nc, peek[:4])
	if err != nil {
		return peek[:n], err
	}
	if hdr := int32(binary.BigEndian.Uint32(peek)); hdr >= 0 && hdr < bsock.MinHelloLen {
		return peek[:4], nil
	}
	m, err := io.ReadFull(nc, peek[4:])
	return peek[:4+m], err
}

// startCleartext checks a cleartext Hello against the console's TLS
// policy: a console of the 18.2 protocol or later may only log in without
// TLS if its policy is TLSNone; otherwise the Director sends
// BNET_TERMINATE and closes right away. Older consoles go on (their
// policy is checked after the CRAM-MD5 exchange). Hellos that do not
// parse are left to bsock.ServerHandshake, which refuses them.
func (s *Server) startCleartext(ctx context.Context, sc *serverConn, l *loginLookup, peek []byte) (connStart, error) {
	var st connStart
	rest := tlspsk.PrefixConn(sc.nc, peek)
	h, raw, err := peekHello(rest)
	if err == nil {
		st.policy = s.policyOf(ctx, l, h.Name)
		if l.known && h.Protocol >= bsock.Proto182 && st.policy != TLSNone {
			c := bsock.NewConn(tlspsk.PrefixConn(sc.nc, raw))
			c.SetWriteDeadline(time.Now().Add(time.Second))
			c.Signal(bsock.Terminate)
			c.CloseGracefully(250 * time.Millisecond)
			return st, fmt.Errorf("%w: console %.40q, policy %v", errTLSRefused, h.Name, st.policy)
		}
	}
	sc.setConn(tlspsk.PrefixConn(sc.nc, raw))
	return st, nil
}

// peekHello reads the first packet from conn when it has the length of a
// Hello and parses it. It returns every byte it read (to be put back).
func peekHello(conn net.Conn) (bsock.Hello, []byte, error) {
	hdr := make([]byte, 4, 4+bsock.MaxHelloLen)
	if _, err := io.ReadFull(conn, hdr); err != nil {
		return bsock.Hello{}, hdr[:0], err
	}
	n := int32(binary.BigEndian.Uint32(hdr))
	if n < bsock.MinHelloLen || n > bsock.MaxHelloLen {
		return bsock.Hello{}, hdr, bsock.ErrBadHello
	}
	raw := hdr[:4+n]
	if m, err := io.ReadFull(conn, raw[4:]); err != nil {
		return bsock.Hello{}, raw[:4+m], err
	}
	h, err := bsock.ParseHello(raw[4:])
	return h, raw, err
}

// policyOf returns the TLS policy of the console called name (the
// Director resource's for the default console) and remembers the console
// for the login's lookup.
func (s *Server) policyOf(ctx context.Context, l *loginLookup, name string) TLSPolicy {
	if name == bsock.DefaultConsoleName {
		l.known = s.DefaultKey != ""
		return s.DefaultTLSPolicy
	}
	c, ok := l.find(ctx, name)
	if !ok {
		return TLSNone
	}
	return c.TLS
}

// pskKey is the TLS-PSK key lookup: the identity "R_CONSOLE" RS name
// gives the console's key as configured (the Director's for the default
// console).
func (s *Server) pskKey(ctx context.Context, l *loginLookup, identity string) ([]byte, error) {
	name, ok := strings.CutPrefix(identity, PSKIdentityPrefix)
	if !ok || name == "" {
		return nil, fmt.Errorf("%w: not a console identity", tlspsk.ErrUnknownIdentity)
	}
	if name == bsock.DefaultConsoleName {
		if s.DefaultKey == "" {
			return nil, tlspsk.ErrUnknownIdentity
		}
		return []byte(s.DefaultKey), nil
	}
	c, ok := l.find(ctx, name)
	if !ok {
		return nil, tlspsk.ErrUnknownIdentity
	}
	return []byte(c.Key), nil
}

// pskHandshake runs the TLS-PSK server handshake on nc, whose first bytes
// are peek.
func (s *Server) pskHandshake(ctx context.Context, nc net.Conn, peek []byte, l *loginLookup) (net.Conn, string, string, error) {
	// The key is the console's password: its check (the binder, or the
	// Finished message) is throttled like the CRAM-MD5 answer.
	var verdict func(bool)
	cfg := s.TLS.pskConfig(func(ctx context.Context, identity string) ([]byte, error) {
		key, err := s.pskKey(ctx, l, identity)
		if err != nil || s.throttle == nil || verdict != nil {
			return key, err
		}
		name := strings.TrimPrefix(identity, PSKIdentityPrefix)
		v, err := s.throttle.admit(ctx, "password", l.host, name)
		if err != nil {
			l.log.Warn("TLS-PSK login attempt refused unchecked: too many failed logins", "console", name, "err", err)
			return nil, err
		}
		verdict = v
		return key, nil
	})
	tc := tlspsk.Server(tlspsk.PrefixConn(nc, peek), cfg)
	err := tc.HandshakeContext(ctx)
	if verdict != nil {
		verdict(err == nil)
	}
	if err != nil {
		return nil, "", "", err
	}
	cs := tc.ConnectionState()
	name := strings.TrimPrefix(cs.Identity, PSKIdentityPrefix)
	return tc, tlspsk.CipherSuiteName(cs.CipherSuite) + " " + tlspsk.VersionName(cs.Version), name, nil
}

// certHandshake runs a crypto/tls server handshake with the configured
// certificates on nc, whose first bytes are peek.
func (s *Server) certHandshake(ctx context.Context, nc net.Conn, peek []byte) (net.Conn, string, error) {
	tc := tls.Server(tlspsk.PrefixConn(nc, peek), s.TLS.Certificates)
	hctx := ctx
	if d := s.TLS.HandshakeTimeout; d > 0 {
		var cancel context.CancelFunc
		hctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	if err := tc.HandshakeContext(hctx); err != nil {
		return nil, "", err
	}
	cs := tc.ConnectionState()
	return tc, OpenSSLCipherName(cs.CipherSuite) + " " + tlspsk.VersionName(cs.Version), nil
}

// offersPSK reads the rest of the first TLS record after peek (appending
// it to *peek) and reports whether the ClientHello in it offers a PSK
// that tlspsk may take: the pre_shared_key extension of TLS 1.3 or one of
// tlspsk's TLS 1.2 PSK suites. A record that is not a ClientHello, or
// that cannot be read, counts as offering one (tlspsk then answers it).
func offersPSK(nc net.Conn, peek *[]byte) bool {
	p := *peek
	if p[0] != 0x16 {
		return true
	}
	n := int(p[3])<<8 | int(p[4])
	if n > 1<<14+2048 {
		return true
	}
	rec := make([]byte, 5+n)
	copy(rec, p)
	if len(p) < len(rec) {
		m, err := io.ReadFull(nc, rec[len(p):])
		*peek = rec[:len(p)+m]
		if err != nil {
			return true
		}
	}
	*peek = rec
	return clientHelloOffersPSK(rec[5:])
}

// clientHelloOffersPSK parses what a record holds of a ClientHello
// handshake message (it may be cut short) and reports whether it offers a
// PSK; a message that does not parse counts as offering one.
func clientHelloOffersPSK(m []byte) bool {
	if len(m) < 4 || m[0] != 1 {
		return true
	}
	b := m[4:]
	skip := func(n int) bool {
		if len(b) < n {
			return false
		}
		b = b[n:]
		return true
	}
	vec := func(lenBytes int) ([]byte, bool) {
		if len(b) < lenBytes {
			return nil, false
		}
		n := 0
		for _, c := range b[:lenBytes] {
			n = n<<8 | int(c)
		}
		if len(b) < lenBytes+n {
			return nil, false
		}
		v := b[lenBytes : lenBytes+n]
		b = b[lenBytes+n:]
		return v, true
	}
	if !skip(2 + 32) { // legacy_version, random
		return true
	}
	if _, ok := vec(1); !ok { // legacy_session_id
		return true
	}
	suites, ok := vec(2)
	if !ok {
		return true
	}
	for i := 0; i+1 < len(suites); i += 2 {
		switch uint16(suites[i])<<8 | uint16(suites[i+1]) {
		case tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256, tlspsk.TLS_PSK_WITH_AES_256_GCM_SHA384,
			tlspsk.TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, tlspsk.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256:
			return true
		}
	}
	if _, ok := vec(1); !ok { // legacy_compression_methods
		return true
	}
	if len(b) == 0 {
		return false // no extensions: no TLS 1.3 PSK
	}
	exts, ok := vec(2)
	if !ok {
		return true
	}
	for len(exts) >= 4 {
		typ := uint16(exts[0])<<8 | uint16(exts[1])
		n := int(exts[2])<<8 | int(exts[3])
		if typ == 41 { // pre_shared_key
			return true
		}
		if len(exts) < 4+n {
			return true
		}
		exts = exts[4+n:]
	}
	return false
}

// OpenSSLCipherName returns a crypto/tls cipher suite's name as OpenSSL
// prints it ("ECDHE-RSA-AES128-GCM-SHA256"; TLS 1.3 suites keep their
// IANA names), which is how the Director shows the cipher of a
// connection.
func OpenSSLCipherName(id uint16) string {
	if n, ok := opensslNames[id]; ok {
		return n
	}
	if n := tlspsk.CipherSuiteName(id); !strings.HasPrefix(n, "unknown") {
		return n
	}
	return tls.CipherSuiteName(id)
}

var opensslNames = map[uint16]string{
	tls.TLS_AES_128_GCM_SHA256:                        "TLS_AES_128_GCM_SHA256",
	tls.TLS_AES_256_GCM_SHA384:                        "TLS_AES_256_GCM_SHA384",
	tls.TLS_CHACHA20_POLY1305_SHA256:                  "TLS_CHACHA20_POLY1305_SHA256",
	tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256:         "ECDHE-RSA-AES128-GCM-SHA256",
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384:         "ECDHE-RSA-AES256-GCM-SHA384",
	tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256:   "ECDHE-RSA-CHACHA20-POLY1305",
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256:       "ECDHE-ECDSA-AES128-GCM-SHA256",
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384:       "ECDHE-ECDSA-AES256-GCM-SHA384",
	tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: "ECDHE-ECDSA-CHACHA20-POLY1305",
	tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA:            "ECDHE-RSA-AES128-SHA",
	tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA:            "ECDHE-RSA-AES256-SHA",
	tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA:          "ECDHE-ECDSA-AES128-SHA",
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA:          "ECDHE-ECDSA-AES256-SHA",
	tls.TLS_RSA_WITH_AES_128_GCM_SHA256:               "AES128-GCM-SHA256",
	tls.TLS_RSA_WITH_AES_256_GCM_SHA384:               "AES256-GCM-SHA384",
	tls.TLS_RSA_WITH_AES_128_CBC_SHA:                  "AES128-SHA",
	tls.TLS_RSA_WITH_AES_256_CBC_SHA:                  "AES256-SHA",
}

// terminate ends a connection the Director's way after a failed start:
// BNET_TERMINATE on the raw connection (outside any TLS), then an orderly
// close.
func terminate(nc net.Conn) {
	nc.SetWriteDeadline(time.Now().Add(time.Second))
	nc.Write(terminateBytes)
	bsock.NewConn(nc).CloseGracefully(250 * time.Millisecond)
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// ctxErr adds the context's cause to an I/O error that its end caused.
func ctxErr(ctx context.Context, err error) error {
	if ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		return fmt.Errorf("%w: %w", err, context.Cause(ctx))
	}
	return err
}

// encryptionOrNone is the encryption for logs.
func encryptionOrNone(e string) string {
	if e == "" {
		return "None"
	}
	return e
}
