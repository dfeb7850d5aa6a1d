package tlspsk

import (
	"crypto/hmac"
	"hash"
)

// HKDF (RFC 5869) on crypto/hmac, and the TLS 1.3 key schedule (RFC 8446
// 7.1) for an external PSK with (EC)DHE.

func hkdfExtract(h func() hash.Hash, ikm, salt []byte) []byte {
	if salt == nil {
		salt = make([]byte, h().Size())
	}
	m := hmac.New(h, salt)
	m.Write(ikm)
	return m.Sum(nil)
}

// hkdfExpand derives n bytes (n <= 255 hash lengths; every caller asks
// for a key, an IV or one hash length).
func hkdfExpand(h func() hash.Hash, prk, info []byte, n int) []byte {
	m := hmac.New(h, prk)
	size := m.Size()
	out := make([]byte, 0, n+size)
	var counter [1]byte
	for len(out) < n {
		counter[0]++
		m.Reset()
		if len(out) > 0 {
			m.Write(out[len(out)-size:])
		}
		m.Write(info)
		m.Write(counter[:])
		out = m.Sum(out)
	}
	clear(out[n:cap(out)])
	return out[:n:n]
}

// expandLabel is HKDF-Expand-Label.
func expandLabel(h func() hash.Hash, secret []byte, label string, context []byte, n int) []byte {
	info := make([]byte, 0, 4+6+len(label)+len(context))
	info = appendU16(info, uint16(n))
	info = append(info, byte(6+len(label)))
	info = append(info, "tls13 "...)
	info = append(info, label...)
	info = appendVec8(info, context)
	return hkdfExpand(h, secret, info, n)
}

func hashOf(h func() hash.Hash, data []byte) []byte {
	d := h()
	d.Write(data)
	return d.Sum(nil)
}

// deriveSecret is Derive-Secret with the transcript hash already computed.
func deriveSecret(h func() hash.Hash, secret []byte, label string, transcriptHash []byte) []byte {
	return expandLabel(h, secret, label, transcriptHash, len(transcriptHash))
}

// schedule13 holds the secrets of one TLS 1.3 handshake.
type schedule13 struct {
	suite     *cipherSuite
	early     []byte
	handshake []byte
	master    []byte
}

func newSchedule13(s *cipherSuite, psk []byte) *schedule13 {
	return &schedule13{suite: s, early: hkdfExtract(s.hash, psk, nil)}
}

func (k *schedule13) emptyHash() []byte { return hashOf(k.suite.hash, nil) }

// binder is the PSK binder over a transcript hash (RFC 8446 4.2.11.2),
// for an external PSK ("ext binder").
func (k *schedule13) binder(transcriptHash []byte) []byte {
	bk := deriveSecret(k.suite.hash, k.early, "ext binder", k.emptyHash())
	defer clear(bk)
	return finishedMAC(k.suite, bk, transcriptHash)
}

// setShared mixes in the (EC)DHE shared secret: the Handshake Secret.
func (k *schedule13) setShared(shared []byte) {
	d := deriveSecret(k.suite.hash, k.early, "derived", k.emptyHash())
	defer clear(d)
	k.handshake = hkdfExtract(k.suite.hash, shared, d)
}

// handshakeTraffic returns the client and server handshake traffic
// secrets for the transcript hash of ClientHello..ServerHello.
func (k *schedule13) handshakeTraffic(transcriptHash []byte) (client, server []byte) {
	return deriveSecret(k.suite.hash, k.handshake, "c hs traffic", transcriptHash),
		deriveSecret(k.suite.hash, k.handshake, "s hs traffic", transcriptHash)
}

// setMaster derives the Master Secret.
func (k *schedule13) setMaster() {
	d := deriveSecret(k.suite.hash, k.handshake, "derived", k.emptyHash())
	defer clear(d)
	k.master = hkdfExtract(k.suite.hash, make([]byte, k.suite.hashLen), d)
}

// appTraffic returns the first application traffic secrets for the
// transcript hash of ClientHello..server Finished.
func (k *schedule13) appTraffic(transcriptHash []byte) (client, server []byte) {
	return deriveSecret(k.suite.hash, k.master, "c ap traffic", transcriptHash),
		deriveSecret(k.suite.hash, k.master, "s ap traffic", transcriptHash)
}

func (k *schedule13) wipe() {
	clear(k.early)
	clear(k.handshake)
	clear(k.master)
}

// finishedMAC is the verify_data of a Finished (or a binder) keyed by a
// base secret (RFC 8446 4.4.4).
func finishedMAC(s *cipherSuite, base, transcriptHash []byte) []byte {
	fk := expandLabel(s.hash, base, "finished", nil, s.hashLen)
	defer clear(fk)
	m := hmac.New(s.hash, fk)
	m.Write(transcriptHash)
	return m.Sum(nil)
}

// trafficKeys derives the record key and IV of a traffic secret.
func trafficKeys(s *cipherSuite, secret []byte) (key, iv []byte) {
	return expandLabel(s.hash, secret, "key", nil, s.keyLen), expandLabel(s.hash, secret, "iv", nil, 12)
}

// nextTrafficSecret is the secret after a KeyUpdate (RFC 8446 7.2).
func nextTrafficSecret(s *cipherSuite, secret []byte) []byte {
	return expandLabel(s.hash, secret, "traffic upd", nil, s.hashLen)
}
