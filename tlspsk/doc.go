// Package tlspsk implements TLS with pre-shared keys, server and client,
// as the Bareos console protocol uses it: every Bareos console since 18.2
// (bconsole, python-bareos, the web UI) starts a TLS-PSK handshake right
// after connecting, and Go's crypto/tls supports neither TLS 1.3 external
// PSKs nor the TLS 1.2 PSK cipher suites. The package is written on the
// standard library's primitives (crypto/hmac, crypto/sha256,
// crypto/sha512, crypto/aes, crypto/cipher, crypto/ecdh) and
// golang.org/x/crypto/chacha20poly1305.
//
// # Use
//
// Server and Client wrap a net.Conn; the result is a *Conn, itself a
// net.Conn. The server's Config.GetKey gets the identity the client
// offers and returns its key (or an error: the handshake then ends with an
// unknown_psk_identity alert). After the handshake, ConnectionState gives
// the version, the suite and the identity; VersionName and
// CipherSuiteName give their names as OpenSSL prints them (for a banner
// such as "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3").
//
// For Bareos, the identity is "R_CONSOLE", the byte 0x1E, then the console
// name (as configured, not bashed), and the key is the 32 ASCII characters
// of the lowercase MD5 hex of the password (a configured "[md5]HEX" as
// written). A Director peeks at the first bytes of a connection ("Hello "
// at offset 4 is cleartext, anything else TLS), so the server side reads
// some bytes before the handshake: PrefixConn hands them back. A failed
// handshake has already sent its alert when Handshake returns; the
// Director then writes its BNET_TERMINATE (ff ff ff fc) unprotected to
// NetConn and closes.
//
// # Supported
//
// TLS 1.3 (RFC 8446) with an external PSK bound to SHA-256 in the
// psk_dhe_ke mode (forward secrecy: an X25519 or P-256 key exchange on
// top of the PSK), with the cipher suites TLS_AES_128_GCM_SHA256 and
// TLS_CHACHA20_POLY1305_SHA256. The server verifies the PSK binder, sends
// a HelloRetryRequest when the client's key share is not for a group it
// takes, takes the client's order of suites (so bconsole gets
// TLS_CHACHA20_POLY1305_SHA256, as from OpenSSL), answers in the
// middlebox-compatibility mode when the client uses it, skips rejected
// 0-RTT data within a budget, and handles KeyUpdate in both directions;
// both sides replace their write key after 2^24 records. A client drops
// NewSessionTicket messages.
//
// TLS 1.2 (RFC 5246) with the PSK suites TLS_PSK_WITH_AES_128_GCM_SHA256,
// TLS_PSK_WITH_AES_256_GCM_SHA384 (RFC 5487),
// TLS_PSK_WITH_CHACHA20_POLY1305_SHA256 and
// TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256 (RFC 7905, RFC 5489), for
// clients without TLS 1.3 PSK support. The extended master secret
// (RFC 7627) is required; secure renegotiation indication (RFC 5746) is
// sent and checked, and renegotiation is refused with a no_renegotiation
// warning. A server that also enables TLS 1.3 marks a TLS 1.2 ServerHello
// with the downgrade sentinel, which the client checks; TLS_FALLBACK_SCSV
// (RFC 7507) is honoured.
//
// # Deliberately left out
//
//   - TLS_AES_256_GCM_SHA384: the external PSKs of bconsole and OpenSSL are
//     bound to SHA-256, and a PSK is only usable with a suite of its hash
//     (a client offering only this suite fails, as with OpenSSL).
//   - psk_ke (a PSK without a key exchange): no forward secrecy.
//   - CBC suites, encrypt-then-MAC, compression: padding oracles and
//     compression attacks; every client offers AEAD suites.
//   - TLS 1.0 and 1.1: there are no AEAD suites for them, and every client
//     speaks TLS 1.2.
//   - DHE_PSK and RSA_PSK suites, CCM, ARIA and Camellia: finite-field DH
//     is slow, RSA needs certificates, and the others add nothing for
//     these clients.
//   - 0-RTT data: replayable; a server rejects it, a client never sends it.
//   - Session resumption (tickets, session IDs): a console connection
//     lives long and a PSK handshake is already cheap.
//   - Renegotiation: refused, as above.
//   - Certificates: the peers authenticate each other by the PSK alone.
//
// # Limits and safety
//
// Records carry at most 16 KiB of plaintext; larger records are refused
// with record_overflow. A handshake message may be at most 32 KiB, 16
// records in a row may carry no progress (empty records, warnings,
// ChangeCipherSpec, post-handshake messages), and memory grows only as
// data arrives. Handshakes are bounded by Config.HandshakeTimeout
// (DefaultHandshakeTimeout) and by the context of HandshakeContext.
// Errors are alerts: an *AlertError tells which alert was sent or
// received. Binders and Finished messages are compared in constant time.
// Close wipes the connection's keys and secrets (the expanded key
// schedules inside the standard library's AEAD values cannot be reached;
// they are left to the garbage collector), and handshake secrets are
// wiped as soon as they are used.
package tlspsk
