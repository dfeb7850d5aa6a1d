package bsock

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
)

const b64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

// Base64Standard encodes b as RFC 4648 base64 without '=' padding. This is
// what the reference calls the "compatible" encoding; the PHP client sends
// its CRAM-MD5 answers this way.
func Base64Standard(b []byte) string { return encodeBase64(b, false) }

// Base64Bareos encodes b with the Bareos/Bacula variant of base64: bytes
// >= 0x80 are sign-extended before they are shifted in (overwriting
// leftover bits with ones), and the final partial group is emitted
// unshifted. No padding. bconsole, python-bareos and Bacula send CRAM-MD5
// answers this way, and bconsole and the PHP client accept only this
// encoding from a Director.
func Base64Bareos(b []byte) string { return encodeBase64(b, true) }

func encodeBase64(in []byte, bareos bool) string {
	out := make([]byte, 0, (len(in)*8+5)/6)
	var reg uint32
	rem := 0
	for i := 0; i < len(in); {
		if rem < 6 {
			v := uint32(in[i])
			i++
			if bareos && v >= 0x80 {
				v |= 0xFFFFFF00
			}
			reg = reg<<8 | v
			rem += 8
		}
		out = append(out, b64Alphabet[(reg>>(rem-6))&0x3F])
		rem -= 6
	}
	if rem > 0 {
		low := reg & (1<<rem - 1)
		if bareos {
			out = append(out, b64Alphabet[low])
		} else {
			out = append(out, b64Alphabet[low<<(6-rem)])
		}
	}
	return string(out)
}

// PasswordKey returns the CRAM-MD5 key for a cleartext password: the
// lowercase hex MD5 digest (32 ASCII characters). The key, not the raw
// digest, is what both sides feed into HMAC-MD5.
func PasswordKey(password string) string {
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

// cramDigest returns HMAC-MD5(key, challenge).
func cramDigest(key, challenge string) []byte {
	m := hmac.New(md5.New, []byte(key))
	m.Write([]byte(challenge))
	return m.Sum(nil)
}

// CramAnswers returns the two accepted answers to challenge for the given
// key (md5 hex of the password): standard and Bareos-variant base64 of
// HMAC-MD5(key, challenge).
func CramAnswers(key, challenge string) (standard, bareos string) {
	d := cramDigest(key, challenge)
	return Base64Standard(d), Base64Bareos(d)
}

// equalSecret compares two secrets in constant time (for equal lengths).
// It is a variable so that tests can verify it is used.
var equalSecret = func(a, b []byte) bool {
	return subtle.ConstantTimeCompare(a, b) == 1
}

// cString returns b up to (not including) its first NUL byte.
func cString(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
