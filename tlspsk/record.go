package tlspsk

import (
	"crypto/cipher"
	"encoding/binary"
	"errors"
	"slices"
	"sync"
)

// Record content types.
type recordType uint8

const (
	recordChangeCipherSpec recordType = 20
	recordAlert            recordType = 21
	recordHandshake        recordType = 22
	recordApplicationData  recordType = 23
)

// halfConn is one direction of the record layer: its protection state
// and sequence number. Its mutex serializes users of that direction.
type halfConn struct {
	sync.Mutex
	err error // sticky: once set, every operation of this direction fails

	version uint16
	suite   *cipherSuite
	aead    cipher.AEAD // nil: records are not protected yet
	iv      [12]byte    // static IV (first 4 bytes only: TLS 1.2 AES-GCM salt)
	seq     uint64
	secret  []byte // TLS 1.3 traffic secret, for KeyUpdate

	nonce [12]byte
	aad   [13]byte
}

var errSeqOverflow = errors.New("tlspsk: record sequence number exhausted")

// setKey installs a record key; key and iv are wiped here.
func (hc *halfConn) setKey(version uint16, s *cipherSuite, key, iv []byte) error {
	aead, err := s.aead(key)
	clear(key)
	if err != nil {
		clear(iv)
		return err
	}
	hc.version, hc.suite, hc.aead, hc.seq = version, s, aead, 0
	hc.iv = [12]byte{}
	copy(hc.iv[:], iv)
	clear(iv)
	return nil
}

// setTrafficSecret13 installs the keys of a TLS 1.3 traffic secret and
// keeps the secret (for KeyUpdate). It takes ownership of secret.
func (hc *halfConn) setTrafficSecret13(s *cipherSuite, secret []byte) error {
	key, iv := trafficKeys(s, secret)
	clear(hc.secret)
	hc.secret = secret
	return hc.setKey(VersionTLS13, s, key, iv)
}

// wipe drops the keys.
func (hc *halfConn) wipe() {
	clear(hc.secret)
	hc.secret = nil
	hc.aead = nil
	hc.iv = [12]byte{}
	hc.nonce = [12]byte{}
}

// makeNonce builds the per-record nonce for the current sequence number.
func (hc *halfConn) makeNonce() []byte {
	n := hc.nonce[:]
	if hc.suite.explicitNonce() {
		copy(n[:4], hc.iv[:4])
		binary.BigEndian.PutUint64(n[4:], hc.seq)
		return n
	}
	copy(n, hc.iv[:])
	for i := 0; i < 8; i++ {
		n[4+i] ^= byte(hc.seq >> (56 - 8*i))
	}
	return n
}

// overhead is how many bytes protection adds to a payload.
func (hc *halfConn) overhead() int {
	if hc.aead == nil {
		return 0
	}
	o := hc.aead.Overhead()
	if hc.version == VersionTLS13 {
		o++ // inner content type
	} else if hc.suite.explicitNonce() {
		o += 8
	}
	return o
}

// appendRecord appends a record of type typ carrying payload (at most
// maxPlaintext bytes) to b, protected when keys are set. vers is the
// legacy record version written in the header.
func (hc *halfConn) appendRecord(b []byte, typ recordType, payload []byte, vers uint16) ([]byte, error) {
	if hc.aead != nil && hc.seq == ^uint64(0) {
		return b, errSeqOverflow
	}
	hdr := len(b)
	n := len(payload) + hc.overhead()
	b = slices.Grow(b, recordHeaderLen+n)
	outer := typ
	if hc.aead != nil && hc.version == VersionTLS13 {
		outer = recordApplicationData
		vers = VersionTLS12
	}
	b = append(b, byte(outer), byte(vers>>8), byte(vers), byte(n>>8), byte(n))
	if hc.aead == nil {
		return append(b, payload...), nil
	}
	nonce := hc.makeNonce()
	var aad []byte
	if hc.version == VersionTLS13 {
		aad = b[hdr : hdr+recordHeaderLen]
	} else {
		aad = hc.aad[:]
		binary.BigEndian.PutUint64(aad, hc.seq)
		aad[8] = byte(typ)
		aad[9], aad[10] = 3, 3
		binary.BigEndian.PutUint16(aad[11:], uint16(len(payload)))
		if hc.suite.explicitNonce() {
			b = append(b, nonce[4:]...)
		}
	}
	start := len(b)
	b = append(b, payload...)
	if hc.version == VersionTLS13 {
		b = append(b, byte(typ))
	}
	b = hc.aead.Seal(b[:start], nonce, b[start:], aad)
	hc.seq++
	return b, nil
}

// open removes the protection of a record in place. hdr is the record
// header as received, body its fragment; the result aliases body. A
// failure is an *AlertError.
func (hc *halfConn) open(hdr []byte, body []byte) (recordType, []byte, error) {
	typ := recordType(hdr[0])
	if hc.aead == nil {
		return typ, body, nil
	}
	if hc.seq == ^uint64(0) {
		return 0, nil, alertf(AlertInternalError, "%v", errSeqOverflow)
	}
	nonce := hc.makeNonce()
	var aad []byte
	ct := body
	if hc.version == VersionTLS13 {
		if typ != recordApplicationData {
			return 0, nil, alertf(AlertUnexpectedMessage, "unprotected record of type %d after keys were set", typ)
		}
		aad = hdr
	} else {
		if hc.suite.explicitNonce() {
			if len(body) < 8 {
				return 0, nil, alertf(AlertBadRecordMAC, "record too short for its nonce")
			}
			copy(nonce[4:], body[:8])
			ct = body[8:]
		}
		if len(ct) < hc.aead.Overhead() {
			return 0, nil, alertf(AlertBadRecordMAC, "record too short for its tag")
		}
		aad = hc.aad[:]
		binary.BigEndian.PutUint64(aad, hc.seq)
		aad[8] = byte(typ)
		aad[9], aad[10] = hdr[1], hdr[2]
		binary.BigEndian.PutUint16(aad[11:], uint16(len(ct)-hc.aead.Overhead()))
	}
	pt, err := hc.aead.Open(ct[:0], nonce, ct, aad)
	if err != nil {
		return 0, nil, alertf(AlertBadRecordMAC, "record authentication failed")
	}
	hc.seq++
	if hc.version == VersionTLS13 {
		// TLSInnerPlaintext: content, type, zero padding.
		i := len(pt) - 1
		for i >= 0 && pt[i] == 0 {
			i--
		}
		if i < 0 {
			return 0, nil, alertf(AlertUnexpectedMessage, "record without a content type")
		}
		typ, pt = recordType(pt[i]), pt[:i]
	}
	if len(pt) > maxPlaintext {
		return 0, nil, alertf(AlertRecordOverflow, "record plaintext of %d bytes", len(pt))
	}
	return typ, pt, nil
}
