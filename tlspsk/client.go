package tlspsk

import (
	"bytes"
	"context"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/sha256"
)

// clientState is what the client remembers between its flights.
type clientState struct {
	hello     *clientHello
	priv      *ecdh.PrivateKey // for hello's key share (TLS 1.3)
	psk       []byte
	hrrSuite  uint16
	offers13  bool
	offers12  bool
	ccsSent   bool
	binderSrc *cipherSuite // the hash the PSK is bound to in TLS 1.3
}

// sha256Suite is a TLS 1.3 suite whose hash (SHA-256) binds the PSK.
var sha256Suite = suiteByID(TLS_AES_128_GCM_SHA256)

func (c *Conn) clientHandshake(ctx context.Context) error {
	cfg := c.config
	hs := &clientState{
		psk:       bytes.Clone(cfg.Key),
		offers13:  cfg.supportsVersion(VersionTLS13),
		offers12:  cfg.supportsVersion(VersionTLS12),
		binderSrc: sha256Suite,
	}
	defer clear(hs.psk)
	if err := c.makeClientHello(hs); err != nil {
		return c.abort(err)
	}
	if err := c.queueRecords(recordHandshake, hs.hello.raw, 0x0301); err != nil {
		return err
	}
	c.transcript = append(c.transcript[:0], hs.hello.raw...)
	for _, rec := range c.testEarlyData {
		c.out.Lock()
		c.outBuf, _ = c.out.appendRecord(c.outBuf, recordApplicationData, rec, VersionTLS12)
		c.out.Unlock()
	}
	if err := c.flush(); err != nil {
		return err
	}

	sh, err := c.readServerHello()
	if err != nil {
		return err
	}
	if sh.isHRR() {
		if err := c.handleHelloRetryRequest(hs, sh); err != nil {
			return err
		}
		if sh, err = c.readServerHello(); err != nil {
			return err
		}
		if sh.isHRR() {
			return c.abort(alertf(AlertUnexpectedMessage, "second HelloRetryRequest"))
		}
	}

	switch {
	case sh.supportedVersion != 0:
		if sh.supportedVersion != VersionTLS13 || !hs.offers13 {
			return c.abort(alertf(AlertIllegalParameter, "server selects version %#04x we did not offer", sh.supportedVersion))
		}
		c.vers = VersionTLS13
		return c.clientHandshake13(hs, sh)
	case hs.hrrSuite != 0:
		return c.abort(alertf(AlertIllegalParameter, "ServerHello after HelloRetryRequest is not TLS 1.3"))
	case sh.vers != VersionTLS12 || !hs.offers12:
		return c.abort(alertf(AlertProtocolVersion, "server selects %s, we offer %s..%s", VersionName(sh.vers),
			VersionName(cfg.minVersion()), VersionName(cfg.maxVersion())))
	}
	if hs.offers13 && (bytes.Equal(sh.random[24:], downgradeTLS12) || bytes.Equal(sh.random[24:], downgradeTLS11)) {
		return c.abort(alertf(AlertIllegalParameter, "downgrade from TLS 1.3 detected"))
	}
	c.vers = VersionTLS12
	return c.clientHandshake12(hs, sh)
}

func (c *Conn) readServerHello() (*serverHello, error) {
	msg, err := c.readHandshake()
	if err != nil {
		return nil, err
	}
	if msg[0] != typeServerHello {
		return nil, c.abort(alertf(AlertUnexpectedMessage, "expected ServerHello, got handshake message %d", msg[0]))
	}
	sh, err := parseServerHello(msg)
	if err != nil {
		return nil, c.abort(err)
	}
	return sh, nil
}

// makeClientHello builds the first ClientHello: TLS 1.3 with an external
// PSK (psk_dhe_ke) and TLS 1.2 PSK suites, as enabled.
func (c *Conn) makeClientHello(hs *clientState) error {
	cfg := c.config
	random, err := c.randomBytes(32)
	if err != nil {
		return err
	}
	ch := &clientHello{vers: VersionTLS12, random: random, sessionID: []byte{}, compressionMethods: []byte{0}}
	ecdhe12 := false
	for _, id := range cfg.suites() {
		if s := suiteByID(id); cfg.supportsVersion(s.version) {
			ch.cipherSuites = append(ch.cipherSuites, id)
			ecdhe12 = ecdhe12 || s.ecdhe
		}
	}
	if hs.offers12 {
		ch.extendedMasterSecret = true
		ch.hasRenegotiation, ch.renegotiation = true, []byte{}
		if ecdhe12 {
			ch.ecPointFormats = []byte{0}
		}
	}
	if hs.offers13 || ecdhe12 {
		ch.supportedGroups = append(ch.supportedGroups, cfg.curves()...)
	}
	if hs.offers13 {
		if !c.testNoCompat {
			if ch.sessionID, err = c.randomBytes(32); err != nil {
				return err
			}
		}
		ch.supportedVersions = []uint16{VersionTLS13}
		if hs.offers12 {
			ch.supportedVersions = append(ch.supportedVersions, VersionTLS12)
		}
		hs.priv, err = generateKey(cfg.curves()[0], c.rand())
		if err != nil {
			return alertf(AlertInternalError, "key share: %v", err)
		}
		ch.hasKeyShare = true
		ch.keyShares = []keyShare{{group: cfg.curves()[0], data: hs.priv.PublicKey().Bytes()}}
		ch.pskModes = []uint8{pskModeDHE}
		ch.pskIdentities = []pskIdentity{{identity: []byte(cfg.Identity)}}
		ch.pskBinders = [][]byte{make([]byte, sha256.Size)}
		ch.earlyData = len(c.testEarlyData) > 0
	}
	hs.hello = ch
	ch.marshal()
	if hs.offers13 {
		c.setBinder(hs, nil)
	}
	return nil
}

// setBinder computes the binder of hs.hello (marshaled) over prefix (the
// transcript before it) and its truncated self, and patches it in.
func (c *Conn) setBinder(hs *clientState, prefix []byte) {
	ch := hs.hello
	ks := newSchedule13(hs.binderSrc, hs.psk)
	defer ks.wipe()
	input := append(bytes.Clone(prefix), ch.raw[:ch.truncLen]...)
	binder := ks.binder(hashOf(hs.binderSrc.hash, input))
	copy(ch.raw[len(ch.raw)-len(binder):], binder)
	ch.pskBinders[0] = ch.raw[len(ch.raw)-len(binder):]
}

func (c *Conn) handleHelloRetryRequest(hs *clientState, hrr *serverHello) error {
	ch := hs.hello
	suite := suiteByID(hrr.cipherSuite)
	switch {
	case !hs.offers13 || hrr.supportedVersion != VersionTLS13:
		return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest for a version other than TLS 1.3"))
	case suite == nil || suite.version != VersionTLS13 || !ch.hasSuite(suite.id):
		return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest selects suite %#04x we did not offer", hrr.cipherSuite))
	case !bytes.Equal(hrr.sessionID, ch.sessionID):
		return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest does not echo our session ID"))
	case hrr.compressionMethod != 0:
		return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest selects compression"))
	case hrr.hasSelectedIdentity || hrr.extendedMasterSecret || hrr.hasRenegotiation || hrr.ecPointFormats != nil:
		return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest carries an extension it must not"))
	case len(hrr.unknown) > 0:
		return c.abort(alertf(AlertUnsupportedExtension, "HelloRetryRequest carries extension %d we did not offer", hrr.unknown[0].typ))
	case !hrr.hasKeyShare && hrr.cookie == nil:
		return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest would not change the ClientHello"))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the HelloRetryRequest"))
	}
	c.vers = VersionTLS13
	hs.hrrSuite = suite.id
	if hrr.hasKeyShare {
		g := hrr.selectedGroup
		offered := false
		for _, sg := range ch.supportedGroups {
			offered = offered || sg == g
		}
		if !offered || g == ch.keyShares[0].group || g.curve() == nil {
			return c.abort(alertf(AlertIllegalParameter, "HelloRetryRequest asks for group %v", g))
		}
		priv, err := generateKey(g, c.rand())
		if err != nil {
			return c.abort(alertf(AlertInternalError, "key share: %v", err))
		}
		hs.priv = priv
		ch.keyShares = []keyShare{{group: g, data: priv.PublicKey().Bytes()}}
	}
	ch.cookie = hrr.cookie
	ch.earlyData = false
	ch.marshal()
	c.transcript = append(messageHash(suite, c.transcript), hrr.raw...)
	c.setBinder(hs, c.transcript)
	if len(ch.sessionID) > 0 {
		if err := c.queueChangeCipherSpec(); err != nil {
			return err
		}
		hs.ccsSent = true
	}
	if err := c.queueHandshake(ch.raw); err != nil {
		return err
	}
	return c.flush()
}

func (c *Conn) clientHandshake13(hs *clientState, sh *serverHello) error {
	ch := hs.hello
	suite := suiteByID(sh.cipherSuite)
	switch {
	case suite == nil || suite.version != VersionTLS13 || !ch.hasSuite(suite.id):
		return c.abort(alertf(AlertIllegalParameter, "server selects suite %#04x we did not offer", sh.cipherSuite))
	case hs.hrrSuite != 0 && hs.hrrSuite != suite.id:
		return c.abort(alertf(AlertIllegalParameter, "server changes the suite after HelloRetryRequest"))
	case !bytes.Equal(sh.sessionID, ch.sessionID):
		return c.abort(alertf(AlertIllegalParameter, "ServerHello does not echo our session ID"))
	case sh.compressionMethod != 0:
		return c.abort(alertf(AlertIllegalParameter, "server selects compression"))
	case sh.cookie != nil || sh.extendedMasterSecret || sh.hasRenegotiation || sh.ecPointFormats != nil:
		return c.abort(alertf(AlertIllegalParameter, "TLS 1.3 ServerHello carries a TLS 1.2 extension"))
	case len(sh.unknown) > 0:
		return c.abort(alertf(AlertUnsupportedExtension, "ServerHello carries extension %d we did not offer", sh.unknown[0].typ))
	case !sh.hasSelectedIdentity:
		return c.abort(alertf(AlertHandshakeFailure, "server does not accept our PSK"))
	case sh.selectedIdentity != 0:
		return c.abort(alertf(AlertIllegalParameter, "server selects PSK identity %d we did not offer", sh.selectedIdentity))
	case !sh.hasKeyShare:
		return c.abort(alertf(AlertMissingExtension, "ServerHello without key share (we allow only psk_dhe_ke)"))
	case sh.keyShare.group != ch.keyShares[0].group:
		return c.abort(alertf(AlertIllegalParameter, "server key share for group %v, we sent %v", sh.keyShare.group, ch.keyShares[0].group))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the ServerHello"))
	}
	shared, err := ecdhShared(hs.priv, sh.keyShare.data)
	if err != nil {
		return c.abort(err)
	}
	defer clear(shared)
	c.transcript = append(c.transcript, sh.raw...)
	ks := newSchedule13(suite, hs.psk)
	defer ks.wipe()
	ks.setShared(shared)
	clientHS, serverHS := ks.handshakeTraffic(c.transcriptHash(suite))
	defer clear(clientHS)
	defer clear(serverHS)
	if err := c.in.setTrafficSecret13(suite, bytes.Clone(serverHS)); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}

	msg, err := c.readHandshake()
	if err != nil {
		return err
	}
	if msg[0] != typeEncryptedExtensions {
		return c.abort(alertf(AlertUnexpectedMessage, "expected EncryptedExtensions, got handshake message %d", msg[0]))
	}
	if err := parseEncryptedExtensions(msg[4:]); err != nil {
		return c.abort(err)
	}
	c.transcript = append(c.transcript, msg...)

	if msg, err = c.readHandshake(); err != nil {
		return err
	}
	switch msg[0] {
	case typeFinished:
	case typeCertificate, typeCertificateRequest:
		return c.abort(alertf(AlertUnexpectedMessage, "server uses certificates, we use only the PSK"))
	default:
		return c.abort(alertf(AlertUnexpectedMessage, "expected server Finished, got handshake message %d", msg[0]))
	}
	if !hmac.Equal(msg[4:], finishedMAC(suite, serverHS, c.transcriptHash(suite))) {
		return c.abort(alertf(AlertDecryptError, "server Finished does not verify (wrong key?)"))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the server Finished"))
	}
	c.transcript = append(c.transcript, msg...)
	ks.setMaster()
	clientAP, serverAP := ks.appTraffic(c.transcriptHash(suite))
	defer clear(clientAP)
	defer clear(serverAP)
	if err := c.in.setTrafficSecret13(suite, bytes.Clone(serverAP)); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}

	if !hs.ccsSent && len(ch.sessionID) > 0 {
		if err := c.queueChangeCipherSpec(); err != nil {
			return err
		}
	}
	if err := c.setOutKey13(suite, clientHS); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	fin := simpleMessage(typeFinished, finishedMAC(suite, clientHS, c.transcriptHash(suite)))
	if err := c.queueHandshake(fin); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	if err := c.setOutKey13(suite, clientAP); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	c.state = ConnectionState{
		HandshakeComplete: true, Version: VersionTLS13, CipherSuite: suite.id,
		Identity: c.config.Identity, Curve: sh.keyShare.group, DidHelloRetryRequest: hs.hrrSuite != 0,
	}
	return nil
}

func (c *Conn) clientHandshake12(hs *clientState, sh *serverHello) error {
	ch := hs.hello
	suite := suiteByID(sh.cipherSuite)
	switch {
	case suite == nil || suite.version != VersionTLS12 || !ch.hasSuite(suite.id):
		return c.abort(alertf(AlertIllegalParameter, "server selects suite %#04x we did not offer", sh.cipherSuite))
	case sh.compressionMethod != 0:
		return c.abort(alertf(AlertIllegalParameter, "server selects compression"))
	case len(sh.sessionID) > 0 && bytes.Equal(sh.sessionID, ch.sessionID):
		return c.abort(alertf(AlertIllegalParameter, "server resumes a session we did not offer"))
	case sh.hasKeyShare || sh.hasSelectedIdentity || sh.cookie != nil:
		return c.abort(alertf(AlertIllegalParameter, "TLS 1.2 ServerHello carries a TLS 1.3 extension"))
	case len(sh.unknown) > 0:
		return c.abort(alertf(AlertUnsupportedExtension, "ServerHello carries extension %d we did not offer", sh.unknown[0].typ))
	case sh.ecPointFormats != nil && !suite.ecdhe:
		return c.abort(alertf(AlertUnsupportedExtension, "ec_point_formats for a suite without ECDHE"))
	case !sh.extendedMasterSecret:
		return c.abort(alertf(AlertHandshakeFailure, "server does not support the extended master secret (RFC 7627)"))
	case sh.hasRenegotiation && len(sh.renegotiation) > 0:
		return c.abort(alertf(AlertHandshakeFailure, "renegotiation_info is not empty in an initial handshake"))
	}
	c.transcript = append(c.transcript, sh.raw...)

	msg, err := c.readHandshake()
	if err != nil {
		return err
	}
	var ske *pskServerKeyExchange
	if msg[0] == typeServerKeyExchange {
		if ske, err = parseServerKeyExchange(msg[4:], suite.ecdhe); err != nil {
			return c.abort(err)
		}
		c.transcript = append(c.transcript, msg...)
		if msg, err = c.readHandshake(); err != nil {
			return err
		}
	}
	switch {
	case msg[0] == typeCertificate || msg[0] == typeCertificateRequest:
		return c.abort(alertf(AlertUnexpectedMessage, "server uses certificates, we use only the PSK"))
	case msg[0] != typeServerHelloDone:
		return c.abort(alertf(AlertUnexpectedMessage, "expected ServerHelloDone, got handshake message %d", msg[0]))
	case len(msg) != 4:
		return c.abort(alertf(AlertDecodeError, "malformed ServerHelloDone"))
	case suite.ecdhe && ske == nil:
		return c.abort(alertf(AlertUnexpectedMessage, "ECDHE_PSK suite without ServerKeyExchange"))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the ServerHelloDone"))
	}
	c.transcript = append(c.transcript, msg...)

	cke := &pskClientKeyExchange{identity: []byte(c.config.Identity)}
	var other []byte
	if suite.ecdhe {
		if !c.config.curveEnabled(ske.group) || ske.group.curve() == nil {
			return c.abort(alertf(AlertIllegalParameter, "server picks group %v we did not offer", ske.group))
		}
		priv, err := generateKey(ske.group, c.rand())
		if err != nil {
			return c.abort(alertf(AlertInternalError, "key share: %v", err))
		}
		if other, err = ecdhShared(priv, ske.point); err != nil {
			return c.abort(err)
		}
		cke.point = priv.PublicKey().Bytes()
	} else {
		other = make([]byte, len(hs.psk))
	}
	ckeMsg := cke.marshal(suite.ecdhe)
	c.transcript = append(c.transcript, ckeMsg...)
	premaster := pskPremaster(other, hs.psk)
	clear(other)
	master := extendedMasterSecret(suite, premaster, c.transcriptHash(suite))
	clear(premaster)
	defer clear(master)
	clientKey, serverKey, clientIV, serverIV := keyBlock12(suite, master, ch.random, sh.random)
	defer clear(serverKey)
	defer clear(serverIV)
	fin := simpleMessage(typeFinished, finished12(suite, master, "client finished", c.transcriptHash(suite)))

	if err := c.queueRecords(recordHandshake, ckeMsg, VersionTLS12); err != nil {
		return err
	}
	if err := c.sendFinished12(suite, clientKey, clientIV, fin); err != nil {
		return err
	}

	if err := c.readChangeCipherSpec(); err != nil {
		return err
	}
	if err := c.in.setKey(VersionTLS12, suite, serverKey, serverIV); err != nil {
		return c.abort(alertf(AlertInternalError, "%v", err))
	}
	if msg, err = c.readHandshake(); err != nil {
		return err
	}
	if msg[0] != typeFinished {
		return c.abort(alertf(AlertUnexpectedMessage, "expected server Finished, got handshake message %d", msg[0]))
	}
	if !hmac.Equal(msg[4:], finished12(suite, master, "server finished", c.transcriptHash(suite))) {
		return c.abort(alertf(AlertDecryptError, "server Finished does not verify"))
	}
	if len(c.hand) > 0 {
		return c.abort(alertf(AlertUnexpectedMessage, "data after the server Finished"))
	}
	var curve CurveID
	if ske != nil && suite.ecdhe {
		curve = ske.group
	}
	c.state = ConnectionState{
		HandshakeComplete: true, Version: VersionTLS12, CipherSuite: suite.id,
		Identity: c.config.Identity, Curve: curve,
	}
	return nil
}
