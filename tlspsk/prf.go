package tlspsk

import (
	"crypto/hmac"
	"hash"
)

// The TLS 1.2 PRF (RFC 5246 5) and the PSK key derivations built on it
// (RFC 4279 2, RFC 5489 2, RFC 7627 4).

// prf12 is PRF(secret, label, seed) = P_hash(secret, label + seed),
// truncated to n bytes.
func prf12(h func() hash.Hash, secret []byte, label string, seed []byte, n int) []byte {
	m := hmac.New(h, secret)
	size := m.Size()
	labelSeed := make([]byte, 0, len(label)+len(seed))
	labelSeed = append(append(labelSeed, label...), seed...)
	out := make([]byte, 0, n+size)
	a := make([]byte, 0, size) // A(i)
	m.Write(labelSeed)
	a = m.Sum(a) // A(1)
	for len(out) < n {
		m.Reset()
		m.Write(a)
		m.Write(labelSeed)
		out = m.Sum(out)
		m.Reset()
		m.Write(a)
		a = m.Sum(a[:0])
	}
	clear(a)
	clear(out[n:cap(out)])
	return out[:n:n]
}

// pskPremaster builds the premaster secret of a PSK suite: the other
// secret (N zero bytes for plain PSK, the ECDH result for ECDHE_PSK) and
// the PSK, each with a two-byte length.
func pskPremaster(other, psk []byte) []byte {
	b := make([]byte, 0, 4+len(other)+len(psk))
	b = appendVec16(b, other)
	return appendVec16(b, psk)
}

// extendedMasterSecret is the master secret of RFC 7627 over the session
// hash (the transcript hash through ClientKeyExchange).
func extendedMasterSecret(s *cipherSuite, premaster, sessionHash []byte) []byte {
	return prf12(s.hash, premaster, "extended master secret", sessionHash, 48)
}

// keyBlock12 derives the record keys and IVs (no MAC keys: AEAD suites).
func keyBlock12(s *cipherSuite, master, clientRandom, serverRandom []byte) (clientKey, serverKey, clientIV, serverIV []byte) {
	seed := make([]byte, 0, 64)
	seed = append(append(seed, serverRandom...), clientRandom...)
	kb := prf12(s.hash, master, "key expansion", seed, 2*s.keyLen+2*s.ivLen)
	clientKey, kb = kb[:s.keyLen:s.keyLen], kb[s.keyLen:]
	serverKey, kb = kb[:s.keyLen:s.keyLen], kb[s.keyLen:]
	clientIV, kb = kb[:s.ivLen:s.ivLen], kb[s.ivLen:]
	serverIV = kb[:s.ivLen:s.ivLen]
	return
}

// finished12 is the verify_data of a TLS 1.2 Finished.
func finished12(s *cipherSuite, master []byte, label string, transcriptHash []byte) []byte {
	return prf12(s.hash, master, label, transcriptHash, 12)
}
