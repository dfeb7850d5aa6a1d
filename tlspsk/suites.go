package tlspsk

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/sha512"
	"hash"

	"golang.org/x/crypto/chacha20poly1305"
)

// cipherSuite describes one supported suite.
type cipherSuite struct {
	id      uint16
	name    string // OpenSSL's name
	version uint16 // VersionTLS13 or VersionTLS12
	hash    func() hash.Hash
	hashLen int
	keyLen  int
	// ivLen is the length of the static IV: 12 for TLS 1.3 and for
	// ChaCha20-Poly1305 in TLS 1.2 (nonce = IV xor sequence number), 4 for
	// AES-GCM in TLS 1.2 (nonce = IV || explicit 8-byte nonce on the wire).
	ivLen  int
	aead   func(key []byte) (cipher.AEAD, error)
	ecdhe  bool // TLS 1.2: ECDHE_PSK key exchange (RFC 5489)
	chacha bool
}

// explicitNonce reports whether records carry an explicit nonce (TLS 1.2
// AES-GCM, RFC 5288).
func (s *cipherSuite) explicitNonce() bool {
	return s.version == VersionTLS12 && !s.chacha
}

func aesGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

var suiteTable = []*cipherSuite{
	{id: TLS_CHACHA20_POLY1305_SHA256, name: "TLS_CHACHA20_POLY1305_SHA256", version: VersionTLS13,
		hash: sha256.New, hashLen: 32, keyLen: 32, ivLen: 12, aead: chacha20poly1305.New, chacha: true},
	{id: TLS_AES_128_GCM_SHA256, name: "TLS_AES_128_GCM_SHA256", version: VersionTLS13,
		hash: sha256.New, hashLen: 32, keyLen: 16, ivLen: 12, aead: aesGCM},
	{id: TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256, name: "ECDHE-PSK-CHACHA20-POLY1305", version: VersionTLS12,
		hash: sha256.New, hashLen: 32, keyLen: 32, ivLen: 12, aead: chacha20poly1305.New, ecdhe: true, chacha: true},
	{id: TLS_PSK_WITH_AES_256_GCM_SHA384, name: "PSK-AES256-GCM-SHA384", version: VersionTLS12,
		hash: sha512.New384, hashLen: 48, keyLen: 32, ivLen: 4, aead: aesGCM},
	{id: TLS_PSK_WITH_CHACHA20_POLY1305_SHA256, name: "PSK-CHACHA20-POLY1305", version: VersionTLS12,
		hash: sha256.New, hashLen: 32, keyLen: 32, ivLen: 12, aead: chacha20poly1305.New, chacha: true},
	{id: TLS_PSK_WITH_AES_128_GCM_SHA256, name: "PSK-AES128-GCM-SHA256", version: VersionTLS12,
		hash: sha256.New, hashLen: 32, keyLen: 16, ivLen: 4, aead: aesGCM},
}

// defaultSuiteOrder is the order a client offers by default: TLS 1.3
// first (ChaCha20 first, as bconsole ends up with against OpenSSL), then
// TLS 1.2 with forward secrecy, then plain PSK.
var defaultSuiteOrder = func() []uint16 {
	ids := make([]uint16, len(suiteTable))
	for i, s := range suiteTable {
		ids[i] = s.id
	}
	return ids
}()

func suiteByID(id uint16) *cipherSuite {
	for _, s := range suiteTable {
		if s.id == id {
			return s
		}
	}
	return nil
}

// Signalling suite values.
const (
	scsvRenegotiation uint16 = 0x00FF // RFC 5746
	scsvFallback      uint16 = 0x5600 // RFC 7507
)
