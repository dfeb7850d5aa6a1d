package tlspsk

import "bytes"

// Handshake message types.
const (
	typeHelloRequest        uint8 = 0
	typeClientHello         uint8 = 1
	typeServerHello         uint8 = 2
	typeNewSessionTicket    uint8 = 4
	typeEndOfEarlyData      uint8 = 5
	typeEncryptedExtensions uint8 = 8
	typeCertificate         uint8 = 11
	typeServerKeyExchange   uint8 = 12
	typeCertificateRequest  uint8 = 13
	typeServerHelloDone     uint8 = 14
	typeCertificateVerify   uint8 = 15
	typeClientKeyExchange   uint8 = 16
	typeFinished            uint8 = 20
	typeKeyUpdate           uint8 = 24
	typeMessageHash         uint8 = 254
)

// Extension types.
const (
	extServerName           uint16 = 0
	extSupportedGroups      uint16 = 10
	extECPointFormats       uint16 = 11
	extSignatureAlgorithms  uint16 = 13
	extEncryptThenMAC       uint16 = 22
	extExtendedMasterSecret uint16 = 23
	extSessionTicket        uint16 = 35
	extPreSharedKey         uint16 = 41
	extEarlyData            uint16 = 42
	extSupportedVersions    uint16 = 43
	extCookie               uint16 = 44
	extPSKModes             uint16 = 45
	extKeyShare             uint16 = 51
	extRenegotiationInfo    uint16 = 0xff01
)

const pskModeDHE uint8 = 1 // psk_dhe_ke

// hrrRandom is the ServerHello.random of a HelloRetryRequest (RFC 8446
// 4.1.3): SHA-256 of "HelloRetryRequest".
var hrrRandom = []byte{
	0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
	0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
}

// Downgrade sentinels: the last 8 bytes of a TLS 1.3 server's random when
// it negotiates TLS 1.2 (RFC 8446 4.1.3).
var (
	downgradeTLS12 = []byte("DOWNGRD\x01")
	downgradeTLS11 = []byte("DOWNGRD\x00")
)

type keyShare struct {
	group CurveID
	data  []byte
}

type pskIdentity struct {
	identity []byte
	age      uint32
}

// extension is one an endpoint does not interpret.
type extension struct {
	typ  uint16
	data []byte
}

// clientHello is a parsed or to-be-sent ClientHello (RFC 8446 4.1.2).
type clientHello struct {
	raw                []byte // the whole message, header included
	vers               uint16
	random             []byte
	sessionID          []byte
	cipherSuites       []uint16
	compressionMethods []byte

	supportedVersions    []uint16
	supportedGroups      []CurveID
	hasKeyShare          bool
	keyShares            []keyShare
	pskModes             []uint8
	pskIdentities        []pskIdentity
	pskBinders           [][]byte
	extendedMasterSecret bool
	hasRenegotiation     bool // renegotiation_info present
	renegotiation        []byte
	ecPointFormats       []byte
	earlyData            bool
	cookie               []byte
	unknown              []extension

	// truncLen is the length of raw without the binders (the input of
	// the binder MAC); 0 without pre_shared_key.
	truncLen int
}

func (m *clientHello) hasSuite(id uint16) bool {
	for _, s := range m.cipherSuites {
		if s == id {
			return true
		}
	}
	return false
}

func (m *clientHello) offersVersion(v uint16) bool {
	for _, x := range m.supportedVersions {
		if x == v {
			return true
		}
	}
	return false
}

// parseClientHello parses the body of a ClientHello; raw is the whole
// message for the transcript. Malformed input is an *AlertError with
// decode_error, duplicate or misplaced extensions illegal_parameter.
func parseClientHello(raw []byte) (*clientHello, error) {
	if len(raw) < 4 {
		return nil, alertf(AlertDecodeError, "short ClientHello")
	}
	m := &clientHello{raw: raw}
	r := reader(raw[4:])
	var suites, exts reader
	if !r.u16(&m.vers) || !r.bytes(32, &m.random) || !r.vec8(&m.sessionID) || len(m.sessionID) > 32 ||
		!r.sub16(&suites) || len(suites) == 0 || len(suites)%2 != 0 ||
		!r.vec8(&m.compressionMethods) || len(m.compressionMethods) == 0 {
		return nil, alertf(AlertDecodeError, "malformed ClientHello")
	}
	m.cipherSuites = make([]uint16, 0, len(suites)/2)
	for !suites.empty() {
		var s uint16
		suites.u16(&s)
		m.cipherSuites = append(m.cipherSuites, s)
	}
	if r.empty() {
		return m, nil // no extensions: a TLS 1.2 (or older) client
	}
	if !r.sub16(&exts) || !r.empty() {
		return nil, alertf(AlertDecodeError, "malformed ClientHello extensions")
	}
	seen := make(map[uint16]bool)
	for !exts.empty() {
		var typ uint16
		var body reader
		if !exts.u16(&typ) || !exts.sub16(&body) {
			return nil, alertf(AlertDecodeError, "malformed ClientHello extension")
		}
		if seen[typ] {
			return nil, alertf(AlertIllegalParameter, "duplicate extension %d in ClientHello", typ)
		}
		seen[typ] = true
		if seen[extPreSharedKey] && typ != extPreSharedKey {
			return nil, alertf(AlertIllegalParameter, "pre_shared_key is not the last extension")
		}
		ok := true
		switch typ {
		case extSupportedVersions:
			var l reader
			ok = body.sub8(&l) && len(l) >= 2 && len(l)%2 == 0
			for ok && !l.empty() {
				var v uint16
				l.u16(&v)
				m.supportedVersions = append(m.supportedVersions, v)
			}
		case extSupportedGroups:
			var l reader
			ok = body.sub16(&l) && len(l) >= 2 && len(l)%2 == 0
			for ok && !l.empty() {
				var g uint16
				l.u16(&g)
				m.supportedGroups = append(m.supportedGroups, CurveID(g))
			}
		case extKeyShare:
			var l reader
			ok = body.sub16(&l)
			m.hasKeyShare = true
			groups := make(map[CurveID]bool)
			for ok && !l.empty() {
				var ks keyShare
				var g uint16
				ok = l.u16(&g) && l.vec16(&ks.data) && len(ks.data) > 0
				ks.group = CurveID(g)
				if ok && groups[ks.group] {
					return nil, alertf(AlertIllegalParameter, "two key shares for group %d", g)
				}
				groups[ks.group] = true
				m.keyShares = append(m.keyShares, ks)
			}
		case extPSKModes:
			ok = body.vec8(&m.pskModes) && len(m.pskModes) > 0
		case extPreSharedKey:
			var ids, binders reader
			ok = body.sub16(&ids) && len(ids) > 0 && body.sub16(&binders) && len(binders) > 0
			for ok && !ids.empty() {
				var id pskIdentity
				ok = ids.vec16(&id.identity) && len(id.identity) > 0 && ids.u32(&id.age)
				m.pskIdentities = append(m.pskIdentities, id)
			}
			if ok {
				m.truncLen = len(raw) - 2 - len(binders)
			}
			for ok && !binders.empty() {
				var b []byte
				ok = binders.vec8(&b) && len(b) >= 32
				m.pskBinders = append(m.pskBinders, b)
			}
			if ok && len(m.pskBinders) != len(m.pskIdentities) {
				return nil, alertf(AlertIllegalParameter, "%d PSK identities but %d binders", len(m.pskIdentities), len(m.pskBinders))
			}
		case extExtendedMasterSecret:
			m.extendedMasterSecret = true
		case extRenegotiationInfo:
			m.hasRenegotiation = true
			ok = body.vec8(&m.renegotiation)
		case extECPointFormats:
			ok = body.vec8(&m.ecPointFormats) && len(m.ecPointFormats) > 0
		case extEarlyData:
			m.earlyData = true
		case extCookie:
			ok = body.vec16(&m.cookie) && len(m.cookie) > 0
		default:
			m.unknown = append(m.unknown, extension{typ, body})
			body = nil
		}
		if !ok || !body.empty() {
			return nil, alertf(AlertDecodeError, "malformed ClientHello extension %d", typ)
		}
	}
	return m, nil
}

// marshal encodes m into m.raw and sets m.truncLen; binders are written as
// they are in m.pskBinders (the client patches them afterwards).
func (m *clientHello) marshal() []byte {
	var e, l int
	b, at := appendHandshake(nil, typeClientHello)
	b = appendU16(b, m.vers)
	b = append(b, m.random...)
	b = appendVec8(b, m.sessionID)
	b, l = openVec(b, 2)
	for _, s := range m.cipherSuites {
		b = appendU16(b, s)
	}
	closeVec(b, l, 2)
	b = appendVec8(b, m.compressionMethods)

	b, exts := openVec(b, 2)
	if m.supportedVersions != nil {
		b = appendU16(b, extSupportedVersions)
		b, e = openVec(b, 2)
		b, l = openVec(b, 1)
		for _, v := range m.supportedVersions {
			b = appendU16(b, v)
		}
		closeVec(b, l, 1)
		closeVec(b, e, 2)
	}
	if m.supportedGroups != nil {
		b = appendU16(b, extSupportedGroups)
		b, e = openVec(b, 2)
		b, l = openVec(b, 2)
		for _, g := range m.supportedGroups {
			b = appendU16(b, uint16(g))
		}
		closeVec(b, l, 2)
		closeVec(b, e, 2)
	}
	if m.ecPointFormats != nil {
		b = appendU16(b, extECPointFormats)
		b = appendU16(b, uint16(1+len(m.ecPointFormats)))
		b = appendVec8(b, m.ecPointFormats)
	}
	if m.extendedMasterSecret {
		b = appendU16(b, extExtendedMasterSecret)
		b = appendU16(b, 0)
	}
	if m.hasRenegotiation {
		b = appendU16(b, extRenegotiationInfo)
		b = appendU16(b, uint16(1+len(m.renegotiation)))
		b = appendVec8(b, m.renegotiation)
	}
	if m.hasKeyShare {
		b = appendU16(b, extKeyShare)
		b, e = openVec(b, 2)
		b, l = openVec(b, 2)
		for _, ks := range m.keyShares {
			b = appendU16(b, uint16(ks.group))
			b = appendVec16(b, ks.data)
		}
		closeVec(b, l, 2)
		closeVec(b, e, 2)
	}
	if m.pskModes != nil {
		b = appendU16(b, extPSKModes)
		b = appendU16(b, uint16(1+len(m.pskModes)))
		b = appendVec8(b, m.pskModes)
	}
	if m.earlyData {
		b = appendU16(b, extEarlyData)
		b = appendU16(b, 0)
	}
	if m.cookie != nil {
		b = appendU16(b, extCookie)
		b = appendU16(b, uint16(2+len(m.cookie)))
		b = appendVec16(b, m.cookie)
	}
	for _, e := range m.unknown {
		b = appendU16(b, e.typ)
		b = appendVec16(b, e.data)
	}
	m.truncLen = 0
	if m.pskIdentities != nil {
		b = appendU16(b, extPreSharedKey)
		b, e = openVec(b, 2)
		b, l = openVec(b, 2)
		for _, id := range m.pskIdentities {
			b = appendVec16(b, id.identity)
			b = appendU32(b, id.age)
		}
		closeVec(b, l, 2)
		m.truncLen = len(b)
		b, l = openVec(b, 2)
		for _, bd := range m.pskBinders {
			b = appendVec8(b, bd)
		}
		closeVec(b, l, 2)
		closeVec(b, e, 2)
	}
	closeVec(b, exts, 2)
	closeVec(b, at, 3)
	m.raw = b
	return b
}

// serverHello is a parsed or to-be-sent ServerHello or HelloRetryRequest.
type serverHello struct {
	raw               []byte
	vers              uint16
	random            []byte
	sessionID         []byte
	cipherSuite       uint16
	compressionMethod uint8

	supportedVersion     uint16 // 0: absent
	hasKeyShare          bool
	keyShare             keyShare // ServerHello
	selectedGroup        CurveID  // HelloRetryRequest
	hasSelectedIdentity  bool
	selectedIdentity     uint16
	cookie               []byte
	extendedMasterSecret bool
	hasRenegotiation     bool
	renegotiation        []byte
	ecPointFormats       []byte
	unknown              []extension
}

func (m *serverHello) isHRR() bool { return bytes.Equal(m.random, hrrRandom) }

func parseServerHello(raw []byte) (*serverHello, error) {
	if len(raw) < 4 {
		return nil, alertf(AlertDecodeError, "short ServerHello")
	}
	m := &serverHello{raw: raw}
	r := reader(raw[4:])
	var exts reader
	if !r.u16(&m.vers) || !r.bytes(32, &m.random) || !r.vec8(&m.sessionID) || len(m.sessionID) > 32 ||
		!r.u16(&m.cipherSuite) || !r.u8(&m.compressionMethod) {
		return nil, alertf(AlertDecodeError, "malformed ServerHello")
	}
	if r.empty() {
		return m, nil
	}
	if !r.sub16(&exts) || !r.empty() {
		return nil, alertf(AlertDecodeError, "malformed ServerHello extensions")
	}
	hrr := m.isHRR()
	seen := make(map[uint16]bool)
	for !exts.empty() {
		var typ uint16
		var body reader
		if !exts.u16(&typ) || !exts.sub16(&body) {
			return nil, alertf(AlertDecodeError, "malformed ServerHello extension")
		}
		if seen[typ] {
			return nil, alertf(AlertIllegalParameter, "duplicate extension %d in ServerHello", typ)
		}
		seen[typ] = true
		ok := true
		switch typ {
		case extSupportedVersions:
			ok = body.u16(&m.supportedVersion)
		case extKeyShare:
			m.hasKeyShare = true
			var g uint16
			if hrr {
				ok = body.u16(&g)
				m.selectedGroup = CurveID(g)
			} else {
				ok = body.u16(&g) && body.vec16(&m.keyShare.data) && len(m.keyShare.data) > 0
				m.keyShare.group = CurveID(g)
			}
		case extPreSharedKey:
			m.hasSelectedIdentity = true
			ok = body.u16(&m.selectedIdentity)
		case extCookie:
			ok = body.vec16(&m.cookie) && len(m.cookie) > 0
		case extExtendedMasterSecret:
			m.extendedMasterSecret = true
		case extRenegotiationInfo:
			m.hasRenegotiation = true
			ok = body.vec8(&m.renegotiation)
		case extECPointFormats:
			ok = body.vec8(&m.ecPointFormats) && len(m.ecPointFormats) > 0
		default:
			m.unknown = append(m.unknown, extension{typ, body})
			body = nil
		}
		if !ok || !body.empty() {
			return nil, alertf(AlertDecodeError, "malformed ServerHello extension %d", typ)
		}
	}
	return m, nil
}

func (m *serverHello) marshal() []byte {
	b, at := appendHandshake(nil, typeServerHello)
	b = appendU16(b, m.vers)
	b = append(b, m.random...)
	b = appendVec8(b, m.sessionID)
	b = appendU16(b, m.cipherSuite)
	b = append(b, m.compressionMethod)
	b, exts := openVec(b, 2)
	if m.hasKeyShare {
		b = appendU16(b, extKeyShare)
		if m.isHRR() {
			b = appendU16(b, 2)
			b = appendU16(b, uint16(m.selectedGroup))
		} else {
			b = appendU16(b, uint16(4+len(m.keyShare.data)))
			b = appendU16(b, uint16(m.keyShare.group))
			b = appendVec16(b, m.keyShare.data)
		}
	}
	if m.supportedVersion != 0 {
		b = appendU16(b, extSupportedVersions)
		b = appendU16(b, 2)
		b = appendU16(b, m.supportedVersion)
	}
	if m.hasSelectedIdentity {
		b = appendU16(b, extPreSharedKey)
		b = appendU16(b, 2)
		b = appendU16(b, m.selectedIdentity)
	}
	if m.cookie != nil {
		b = appendU16(b, extCookie)
		b = appendU16(b, uint16(2+len(m.cookie)))
		b = appendVec16(b, m.cookie)
	}
	if m.extendedMasterSecret {
		b = appendU16(b, extExtendedMasterSecret)
		b = appendU16(b, 0)
	}
	if m.hasRenegotiation {
		b = appendU16(b, extRenegotiationInfo)
		b = appendU16(b, uint16(1+len(m.renegotiation)))
		b = appendVec8(b, m.renegotiation)
	}
	if m.ecPointFormats != nil {
		b = appendU16(b, extECPointFormats)
		b = appendU16(b, uint16(1+len(m.ecPointFormats)))
		b = appendVec8(b, m.ecPointFormats)
	}
	for _, e := range m.unknown {
		b = appendU16(b, e.typ)
		b = appendVec16(b, e.data)
	}
	closeVec(b, exts, 2)
	closeVec(b, at, 3)
	m.raw = b
	return b
}

// parseExtensionList parses an extensions block that must hold no
// duplicates (EncryptedExtensions, NewSessionTicket).
func parseExtensionList(body []byte) ([]extension, bool) {
	r := reader(body)
	var exts reader
	if !r.sub16(&exts) || !r.empty() {
		return nil, false
	}
	var list []extension
	seen := make(map[uint16]bool)
	for !exts.empty() {
		var e extension
		if !exts.u16(&e.typ) || !exts.vec16(&e.data) || seen[e.typ] {
			return nil, false
		}
		seen[e.typ] = true
		list = append(list, e)
	}
	return list, true
}

// parseEncryptedExtensions checks an EncryptedExtensions body from a server
// we sent offered: only supported_groups is acceptable (RFC 8446 4.2: the
// server may send its groups); an extension we did not offer, or one that
// does not belong here, is refused.
func parseEncryptedExtensions(body []byte) error {
	r := reader(body)
	var exts reader
	if !r.sub16(&exts) || !r.empty() {
		return alertf(AlertDecodeError, "malformed EncryptedExtensions")
	}
	seenGroups := false
	for !exts.empty() {
		var typ uint16
		var data reader
		if !exts.u16(&typ) || !exts.sub16(&data) {
			return alertf(AlertDecodeError, "malformed EncryptedExtensions")
		}
		switch typ {
		case extSupportedGroups:
			var l reader
			if seenGroups {
				return alertf(AlertIllegalParameter, "duplicate extension %d in EncryptedExtensions", typ)
			}
			seenGroups = true
			if !data.sub16(&l) || len(l) < 2 || len(l)%2 != 0 || !data.empty() {
				return alertf(AlertDecodeError, "malformed supported_groups in EncryptedExtensions")
			}
		case extSupportedVersions, extKeyShare, extPreSharedKey, extPSKModes, extCookie,
			extExtendedMasterSecret, extRenegotiationInfo, extECPointFormats:
			return alertf(AlertIllegalParameter, "extension %d in EncryptedExtensions", typ)
		default:
			return alertf(AlertUnsupportedExtension, "EncryptedExtensions carries extension %d we did not offer", typ)
		}
	}
	return nil
}

// parseNewSessionTicket validates a TLS 1.3 NewSessionTicket body; this
// package never resumes, so its content is dropped.
func parseNewSessionTicket(body []byte) bool {
	r := reader(body)
	var lifetime, ageAdd uint32
	var nonce, ticket []byte
	if !r.u32(&lifetime) || !r.u32(&ageAdd) || !r.vec8(&nonce) || !r.vec16(&ticket) || len(ticket) == 0 {
		return false
	}
	_, ok := parseExtensionList(r)
	return ok
}

// pskServerKeyExchange is the ServerKeyExchange of a PSK suite (RFC 4279
// 2, RFC 5489 2).
type pskServerKeyExchange struct {
	hint  []byte
	group CurveID // ECDHE_PSK only
	point []byte  // ECDHE_PSK only
}

const curveTypeNamed uint8 = 3

func parseServerKeyExchange(body []byte, ecdhe bool) (*pskServerKeyExchange, error) {
	m := &pskServerKeyExchange{}
	r := reader(body)
	if !r.vec16(&m.hint) {
		return nil, alertf(AlertDecodeError, "malformed ServerKeyExchange")
	}
	if ecdhe {
		var ct uint8
		var g uint16
		if !r.u8(&ct) || !r.u16(&g) || !r.vec8(&m.point) || len(m.point) == 0 {
			return nil, alertf(AlertDecodeError, "malformed ServerKeyExchange")
		}
		if ct != curveTypeNamed {
			return nil, alertf(AlertIllegalParameter, "ServerKeyExchange curve type %d", ct)
		}
		m.group = CurveID(g)
	}
	if !r.empty() {
		return nil, alertf(AlertDecodeError, "trailing bytes in ServerKeyExchange")
	}
	return m, nil
}

func (m *pskServerKeyExchange) marshal(ecdhe bool) []byte {
	b, at := appendHandshake(nil, typeServerKeyExchange)
	b = appendVec16(b, m.hint)
	if ecdhe {
		b = append(b, curveTypeNamed)
		b = appendU16(b, uint16(m.group))
		b = appendVec8(b, m.point)
	}
	closeVec(b, at, 3)
	return b
}

// pskClientKeyExchange is the ClientKeyExchange of a PSK suite.
type pskClientKeyExchange struct {
	identity []byte
	point    []byte // ECDHE_PSK only
}

func parseClientKeyExchange(body []byte, ecdhe bool) (*pskClientKeyExchange, error) {
	m := &pskClientKeyExchange{}
	r := reader(body)
	if !r.vec16(&m.identity) {
		return nil, alertf(AlertDecodeError, "malformed ClientKeyExchange")
	}
	if ecdhe && (!r.vec8(&m.point) || len(m.point) == 0) {
		return nil, alertf(AlertDecodeError, "malformed ClientKeyExchange")
	}
	if !r.empty() {
		return nil, alertf(AlertDecodeError, "trailing bytes in ClientKeyExchange")
	}
	return m, nil
}

func (m *pskClientKeyExchange) marshal(ecdhe bool) []byte {
	b, at := appendHandshake(nil, typeClientKeyExchange)
	b = appendVec16(b, m.identity)
	if ecdhe {
		b = appendVec8(b, m.point)
	}
	closeVec(b, at, 3)
	return b
}

// simpleMessage encodes a handshake message with the given body.
func simpleMessage(typ uint8, body []byte) []byte {
	b, at := appendHandshake(make([]byte, 0, 4+len(body)), typ)
	b = append(b, body...)
	closeVec(b, at, 3)
	return b
}
