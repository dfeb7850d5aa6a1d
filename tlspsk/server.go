package tlspsk

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
)

// serverHandshake reads the ClientHello, picks the version and runs that
// version's handshake. Callers hold in's mutex.
func (c *Conn) serverHandshake(ctx context.Context) error {
	msg, err := c.readHandshake()
	if err != nil {
		return err
	}
	if msg[0] != typeClientHello {
		return c.abort(alertf(AlertUnexpectedMessage, "expected ClientHello, got handshake message %d", msg[0]))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the ClientHello"))
	}
	ch, err := parseClientHello(msg)
	if err != nil {
		return c.abort(err)
	}
	vers, err := c.pickVersion(ch)
	if err != nil {
		return c.abort(err)
	}
	if ch.hasSuite(scsvFallback) && vers < c.config.maxVersion() {
		return c.abort(alertf(AlertInappropriateFallback, "client retries with %s although we support %s",
			VersionName(vers), VersionName(c.config.maxVersion())))
	}
	if bytes.IndexByte(ch.compressionMethods, 0) < 0 {
		return c.abort(alertf(AlertIllegalParameter, "client does not offer null compression"))
	}
	c.vers = vers
	if vers == VersionTLS13 {
		return c.serverHandshake13(ctx, ch)
	}
	return c.serverHandshake12(ctx, ch)
}

func (c *Conn) pickVersion(ch *clientHello) (uint16, error) {
	if ch.supportedVersions != nil {
		for _, v := range []uint16{VersionTLS13, VersionTLS12} {
			if ch.offersVersion(v) && c.config.supportsVersion(v) {
				return v, nil
			}
		}
		return 0, alertf(AlertProtocolVersion, "client offers versions %#04x, we take %s..%s",
			ch.supportedVersions, VersionName(c.config.minVersion()), VersionName(c.config.maxVersion()))
	}
	if ch.vers >= VersionTLS12 && c.config.supportsVersion(VersionTLS12) {
		return VersionTLS12, nil
	}
	return 0, alertf(AlertProtocolVersion, "client offers %s, we take %s..%s", VersionName(ch.vers),
		VersionName(c.config.minVersion()), VersionName(c.config.maxVersion()))
}

// lookupKey asks GetKey for the key of one of the identities (at most
// maxPSKIdentities are tried, in order) and returns the key (a copy) and
// the index of its identity.
func (c *Conn) lookupKey(ctx context.Context, ids [][]byte) ([]byte, int, error) {
	var errs []error
	for i, id := range ids {
		if i == maxPSKIdentities {
			break
		}
		key, err := c.config.GetKey(ctx, string(id))
		if err == nil && (len(key) == 0 || len(key) > maxKeyLen) {
			err = fmt.Errorf("key of %d bytes (want 1..%d)", len(key), maxKeyLen)
		}
		if err == nil {
			return bytes.Clone(key), i, nil
		}
		errs = append(errs, fmt.Errorf("no key for PSK identity %s: %w", quote(id), err))
	}
	return nil, -1, &AlertError{Alert: AlertUnknownPSKIdentity, Err: errors.Join(errs...)}
}

// pickGroup returns the enabled group of a client key share, or, without
// one, the group to ask for in a HelloRetryRequest.
func (c *Conn) pickGroup(ch *clientHello) (share *keyShare, retry CurveID, err error) {
	for _, g := range c.config.curves() {
		for i := range ch.keyShares {
			if ch.keyShares[i].group == g {
				return &ch.keyShares[i], 0, nil
			}
		}
	}
	if g, ok := c.commonGroup(ch.supportedGroups); ok {
		return nil, g, nil
	}
	return nil, 0, alertf(AlertHandshakeFailure, "no shared group (client offers %v)", ch.supportedGroups)
}

// commonGroup returns our most preferred group among the client's.
func (c *Conn) commonGroup(client []CurveID) (CurveID, bool) {
	for _, g := range c.config.curves() {
		for _, cg := range client {
			if cg == g {
				return g, true
			}
		}
	}
	return 0, false
}

// generateKey makes an ephemeral key from rand (Config.Rand or
// crypto/rand): a private scalar of the curve's size, redrawn in the rare
// case it is out of range (P-256).
func generateKey(g CurveID, rand io.Reader) (*ecdh.PrivateKey, error) {
	curve := g.curve()
	if curve == nil {
		return nil, fmt.Errorf("unsupported group %v", g)
	}
	b := make([]byte, 32)
	defer clear(b)
	for i := 0; i < 100; i++ {
		if _, err := io.ReadFull(rand, b); err != nil {
			return nil, err
		}
		if k, err := curve.NewPrivateKey(b); err == nil {
			return k, nil
		}
	}
	return nil, errors.New("no valid private key from the random source")
}

// ecdhShared completes an ECDH exchange with the peer's public value.
func ecdhShared(priv *ecdh.PrivateKey, peer []byte) ([]byte, error) {
	pub, err := priv.Curve().NewPublicKey(peer)
	if err != nil {
		return nil, alertf(AlertIllegalParameter, "invalid key share: %v", err)
	}
	shared, err := priv.ECDH(pub)
	if err != nil {
		return nil, alertf(AlertIllegalParameter, "invalid key share: %v", err)
	}
	return shared, nil
}

func (c *Conn) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	if _, err := io.ReadFull(c.rand(), b); err != nil {
		return nil, alertf(AlertInternalError, "random: %v", err)
	}
	return b, nil
}

// messageHash replaces the first ClientHello in the transcript after a
// HelloRetryRequest (RFC 8446 4.4.1).
func messageHash(s *cipherSuite, ch []byte) []byte {
	h := hashOf(s.hash, ch)
	return append([]byte{typeMessageHash, 0, 0, byte(len(h))}, h...)
}

func (c *Conn) transcriptHash(s *cipherSuite) []byte { return hashOf(s.hash, c.transcript) }

func (c *Conn) serverHandshake13(ctx context.Context, ch *clientHello) error {
	var suite *cipherSuite
	for _, id := range ch.cipherSuites {
		if s := suiteByID(id); s != nil && s.version == VersionTLS13 && c.config.suiteEnabled(id) {
			suite = s
			break
		}
	}
	if suite == nil {
		return c.abort(alertf(AlertHandshakeFailure, "no shared TLS 1.3 cipher suite with a SHA-256 PSK"))
	}
	if err := c.checkPSKHello13(ch); err != nil {
		return c.abort(err)
	}
	share, retry, err := c.pickGroup(ch)
	if err != nil {
		return c.abort(err)
	}

	if share == nil {
		// HelloRetryRequest: ask for a key share of the group we take.
		hrr := &serverHello{
			vers: VersionTLS12, random: hrrRandom, sessionID: ch.sessionID, cipherSuite: suite.id,
			supportedVersion: VersionTLS13, hasKeyShare: true, selectedGroup: retry,
		}
		c.transcript = append(c.transcript[:0], messageHash(suite, ch.raw)...)
		if err := c.queueHandshake(hrr.marshal()); err != nil {
			return err
		}
		if len(ch.sessionID) > 0 {
			if err := c.queueChangeCipherSpec(); err != nil {
				return err
			}
		}
		if err := c.flush(); err != nil {
			return err
		}
		if ch.earlyData {
			c.earlyMode, c.earlySkip = earlyAll, maxEarlyDataSkip
		}
		msg, err := c.readHandshake()
		if err != nil {
			return err
		}
		if msg[0] != typeClientHello {
			return c.abort(alertf(AlertUnexpectedMessage, "expected second ClientHello, got handshake message %d", msg[0]))
		}
		if len(c.hand) > 0 {
			return c.abort(alertf(AlertUnexpectedMessage, "data after the ClientHello"))
		}
		ch2, err := parseClientHello(msg)
		if err != nil {
			return c.abort(err)
		}
		if err := checkSecondHello(ch, ch2, suite.id, retry); err != nil {
			return c.abort(err)
		}
		if err := c.checkPSKHello13(ch2); err != nil {
			return c.abort(err)
		}
		ch, share = ch2, &ch2.keyShares[0]
		c.state.DidHelloRetryRequest = true
	}

	// The PSK: the first identity GetKey knows, proven by its binder.
	ids := make([][]byte, len(ch.pskIdentities))
	for i, id := range ch.pskIdentities {
		ids[i] = id.identity
	}
	psk, idx, err := c.lookupKey(ctx, ids)
	if err != nil {
		return c.abort(err)
	}
	ks := newSchedule13(suite, psk)
	clear(psk)
	defer ks.wipe()
	binderInput := append(bytes.Clone(c.transcript), ch.raw[:ch.truncLen]...)
	if !hmac.Equal(ks.binder(hashOf(suite.hash, binderInput)), ch.pskBinders[idx]) {
		return c.abort(alertf(AlertDecryptError, "PSK binder does not verify: wrong key for identity %s", quote(ids[idx])))
	}

	priv, err := generateKey(share.group, c.rand())
	if err != nil {
		return c.abort(alertf(AlertInternalError, "key share: %v", err))
	}
	shared, err := ecdhShared(priv, share.data)
	if err != nil {
		return c.abort(err)
	}
	defer clear(shared)
	random, err := c.randomBytes(32)
	if err != nil {
		return c.abort(err)
	}
	sh := &serverHello{
		vers: VersionTLS12, random: random, sessionID: ch.sessionID, cipherSuite: suite.id,
		supportedVersion: VersionTLS13, hasKeyShare: true,
		keyShare:            keyShare{group: share.group, data: priv.PublicKey().Bytes()},
		hasSelectedIdentity: true, selectedIdentity: uint16(idx),
	}
	c.transcript = append(c.transcript, ch.raw...)
	if err := c.queueHandshake(sh.marshal()); err != nil {
		return err
	}
	if len(ch.sessionID) > 0 && !c.state.DidHelloRetryRequest {
		if err := c.queueChangeCipherSpec(); err != nil {
			return err
		}
	}

	ks.setShared(shared)
	clientHS, serverHS := ks.handshakeTraffic(c.transcriptHash(suite))
	defer clear(clientHS)
	defer clear(serverHS)
	if err := c.setOutKey13(suite, serverHS); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	if err := c.in.setTrafficSecret13(suite, bytes.Clone(clientHS)); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	if ch.earlyData && !c.state.DidHelloRetryRequest {
		c.earlyMode, c.earlySkip = earlyTrial, maxEarlyDataSkip
	}

	ee := simpleMessage(typeEncryptedExtensions, []byte{0, 0})
	thEE := hashOf(suite.hash, append(bytes.Clone(c.transcript), ee...))
	fin := simpleMessage(typeFinished, finishedMAC(suite, serverHS, thEE))
	if err := c.queueHandshake(ee, fin); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}

	ks.setMaster()
	clientAP, serverAP := ks.appTraffic(c.transcriptHash(suite))
	defer clear(clientAP)
	defer clear(serverAP)
	if err := c.setOutKey13(suite, serverAP); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}

	msg, err := c.readHandshake()
	if err != nil {
		return err
	}
	if msg[0] != typeFinished {
		return c.abort(alertf(AlertUnexpectedMessage, "expected client Finished, got handshake message %d", msg[0]))
	}
	if !hmac.Equal(msg[4:], finishedMAC(suite, clientHS, c.transcriptHash(suite))) {
		return c.abort(alertf(AlertDecryptError, "client Finished does not verify"))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the client Finished"))
	}
	if err := c.in.setTrafficSecret13(suite, bytes.Clone(clientAP)); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	c.earlyMode = earlyNone
	c.state = ConnectionState{
		HandshakeComplete: true, Version: VersionTLS13, CipherSuite: suite.id,
		Identity: string(ids[idx]), Curve: share.group, DidHelloRetryRequest: c.state.DidHelloRetryRequest,
	}
	return nil
}

// checkPSKHello13 checks what a TLS 1.3 ClientHello needs for psk_dhe_ke.
func (c *Conn) checkPSKHello13(ch *clientHello) error {
	if ch.pskIdentities == nil {
		return alertf(AlertHandshakeFailure, "client offers no PSK (this server has no certificate)")
	}
	if ch.pskModes == nil {
		return alertf(AlertMissingExtension, "pre_shared_key without psk_key_exchange_modes")
	}
	if bytes.IndexByte(ch.pskModes, pskModeDHE) < 0 {
		return alertf(AlertHandshakeFailure, "client does not allow psk_dhe_ke (PSK without forward secrecy is not supported)")
	}
	if ch.supportedGroups == nil || !ch.hasKeyShare {
		return alertf(AlertMissingExtension, "psk_dhe_ke without supported_groups and key_share")
	}
	return nil
}

// checkSecondHello checks the ClientHello that answers our
// HelloRetryRequest (RFC 8446 4.1.2).
func checkSecondHello(ch1, ch2 *clientHello, suite uint16, group CurveID) error {
	switch {
	case !bytes.Equal(ch1.sessionID, ch2.sessionID) || !bytes.Equal(ch1.random, ch2.random):
		return alertf(AlertIllegalParameter, "second ClientHello changes the random or the session ID")
	case !ch2.offersVersion(VersionTLS13):
		return alertf(AlertIllegalParameter, "second ClientHello drops TLS 1.3")
	case !ch2.hasSuite(suite):
		return alertf(AlertIllegalParameter, "second ClientHello drops the cipher suite")
	case ch2.earlyData:
		return alertf(AlertIllegalParameter, "early data after HelloRetryRequest")
	case len(ch2.keyShares) != 1 || ch2.keyShares[0].group != group:
		return alertf(AlertIllegalParameter, "second ClientHello lacks exactly one key share for %v", group)
	}
	return nil
}

func (c *Conn) serverHandshake12(ctx context.Context, ch *clientHello) error {
	var suite *cipherSuite
	var group CurveID
	for _, id := range ch.cipherSuites {
		s := suiteByID(id)
		if s == nil || s.version != VersionTLS12 || !c.config.suiteEnabled(id) {
			continue
		}
		if s.ecdhe {
			g, ok := c.commonGroup(ch.supportedGroups)
			if !ok {
				continue
			}
			group = g
		}
		suite = s
		break
	}
	if suite == nil {
		return c.abort(alertf(AlertHandshakeFailure, "no shared TLS 1.2 PSK cipher suite"))
	}
	if !ch.extendedMasterSecret {
		return c.abort(alertf(AlertHandshakeFailure, "client does not support the extended master secret (RFC 7627)"))
	}
	if ch.hasRenegotiation && len(ch.renegotiation) > 0 {
		return c.abort(alertf(AlertHandshakeFailure, "renegotiation_info is not empty in an initial handshake"))
	}
	random, err := c.randomBytes(32)
	if err != nil {
		return c.abort(err)
	}
	if c.config.maxVersion() == VersionTLS13 {
		copy(random[24:], downgradeTLS12)
	}
	sh := &serverHello{
		vers: VersionTLS12, random: random, sessionID: []byte{}, cipherSuite: suite.id,
		extendedMasterSecret: true,
		hasRenegotiation:     ch.hasRenegotiation || ch.hasSuite(scsvRenegotiation), renegotiation: []byte{},
	}
	if suite.ecdhe && ch.ecPointFormats != nil {
		sh.ecPointFormats = []byte{0}
	}
	c.transcript = append(c.transcript[:0], ch.raw...)
	msgs := [][]byte{sh.marshal()}
	var priv *ecdh.PrivateKey
	if suite.ecdhe {
		priv, err = generateKey(group, c.rand())
		if err != nil {
			return c.abort(alertf(AlertInternalError, "key share: %v", err))
		}
		ske := &pskServerKeyExchange{group: group, point: priv.PublicKey().Bytes()}
		msgs = append(msgs, ske.marshal(true))
	}
	msgs = append(msgs, simpleMessage(typeServerHelloDone, nil))
	if err := c.queueHandshake(msgs...); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}

	msg, err := c.readHandshake()
	if err != nil {
		return err
	}
	if msg[0] != typeClientKeyExchange {
		return c.abort(alertf(AlertUnexpectedMessage, "expected ClientKeyExchange, got handshake message %d", msg[0]))
	}
	cke, err := parseClientKeyExchange(msg[4:], suite.ecdhe)
	if err != nil {
		return c.abort(err)
	}
	c.transcript = append(c.transcript, msg...)
	psk, _, err := c.lookupKey(ctx, [][]byte{cke.identity})
	if err != nil {
		return c.abort(err)
	}
	defer clear(psk)
	var other []byte
	if suite.ecdhe {
		other, err = ecdhShared(priv, cke.point)
		if err != nil {
			return c.abort(err)
		}
	} else {
		other = make([]byte, len(psk))
	}
	premaster := pskPremaster(other, psk)
	clear(other)
	master := extendedMasterSecret(suite, premaster, c.transcriptHash(suite))
	clear(premaster)
	defer clear(master)
	clientKey, serverKey, clientIV, serverIV := keyBlock12(suite, master, ch.random, sh.random)
	defer clear(serverKey)
	defer clear(serverIV)

	if err := c.readChangeCipherSpec(); err != nil {
		return err
	}
	if err := c.in.setKey(VersionTLS12, suite, clientKey, clientIV); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	msg, err = c.readHandshake()
	if err != nil {
		return err
	}
	if msg[0] != typeFinished {
		return c.abort(alertf(AlertUnexpectedMessage, "expected client Finished, got handshake message %d", msg[0]))
	}
	if !hmac.Equal(msg[4:], finished12(suite, master, "client finished", c.transcriptHash(suite))) {
		return c.abort(alertf(AlertDecryptError, "client Finished does not verify"))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the client Finished"))
	}
	c.transcript = append(c.transcript, msg...)
	fin := simpleMessage(typeFinished, finished12(suite, master, "server finished", c.transcriptHash(suite)))
	if err := c.sendFinished12(suite, serverKey, serverIV, fin); err != nil {
		return err
	}
	c.state = ConnectionState{
		HandshakeComplete: true, Version: VersionTLS12, CipherSuite: suite.id,
		Identity: string(cke.identity), Curve: group,
	}
	return nil
}
