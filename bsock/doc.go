// Package bsock implements the wire level of the Bareos console protocol:
// packet framing, signals, and the login handshake (Hello, CRAM-MD5 in
// both directions, response messages) for both the Director and the
// console side.
//
// # Framing
//
// A connection carries packets. Each packet starts with a 4-byte signed
// big-endian length N. N > 0: N payload bytes follow. N = 0: an empty data
// packet. N < 0: a signal (see Signal), no payload. Payloads are never
// longer than MaxPacket; senders split longer messages into packets of
// MaxPayload bytes, and receivers concatenate data packets until an end
// signal, so the split is invisible at the message level. Text is not
// NUL-terminated on the wire.
//
// Conn sends and receives packets over a net.Conn. Receiving is defensive:
// a header announcing more than MaxPacket bytes is an error (ErrTooBig)
// and its payload is never allocated; payload buffers grow only as data
// actually arrives. Undefined signal codes (below -28) are delivered like
// the reference delivers them, as signal packets; Signal.Known tells them
// apart. Deadlines work as on net.Conn; RecvContext, SendContext and
// SignalContext bound a single operation by a context.
//
// # Login
//
// A console opens the connection with a Hello packet ("Hello <name>
// calling ..."). Its version token selects the protocol generation:
// Proto182 for consoles of Bareos 18.2 and later, Proto124 otherwise
// (older consoles, Bacula, python-bareos's fallback). Then the Director
// challenges the console with CRAM-MD5, the console challenges the
// Director, and the Director sends the response messages of the chosen
// generation. The CRAM-MD5 key is not the password but the lowercase hex
// MD5 of it (PasswordKey). Answers are base64 without padding in one of two
// variants (Base64Standard, Base64Bareos); the Director accepts both and
// answers in the Bareos variant unless the console asked for "cram-md5c".
//
// ServerHandshake implements the Director side byte for byte like the
// reference, including the refusals (BNET_TERMINATE for malformed Hellos
// and unknown consoles, "1999 Authorization failed." for wrong passwords,
// throttling delays) and the PAM login of consoles with "Use Pam
// Authentication" (response message 1001, the console's credentials or a
// prompted conversation; the credentials are checked by a function the
// server supplies). ClientHandshake implements the console side the way
// python-bareos does it, PAM credentials included. ParseHello and
// ParseChallenge are the pure parsers both use. The packets a server reads
// before the login succeeded are bounded to a few kilobytes.
//
// # Transport security
//
// This package speaks the protocol over any net.Conn: plain TCP, or the
// TLS-PSK tunnel of Bareos consoles since 18.2 (package tlspsk; the
// server side of uacontext.Server and the client of package console set
// it up), in which the console starts TLS right after connecting, with
// the PSK identity "R_CONSOLE" + RS (0x1E) + console name (unbashed) and,
// as the key, the 32 ASCII bytes of the md5-hex password (PasswordKey).
// The Hello and CRAM-MD5 then run inside the tunnel.
//
// The CRAM-MD5 challenges announce each side's TLS policy ("ssl=<n>":
// TLSNone, TLSEnabled, TLSRequired; ServerConfig.TLSPolicy,
// ClientConfig.TLSPolicy). Inside TLS (ServerConfig.Encryption,
// ClientConfig.TLS) any policy is accepted; on a cleartext connection
// the two policies must allow cleartext (CleartextAllowed), else the
// login fails with ErrTLSRequired, as with the Director. The older scheme
// in which TLS starts after the CRAM-MD5 exchange (Bareos before 18.2) is
// not implemented.
//
// ServerHandshake itself expects a cleartext Hello: a connection that
// starts with anything else, such as a TLS ClientHello reaching a server
// that does not speak TLS, is refused gracefully — it drains what
// arrived, half-closes and closes, so the peer sees an orderly end of
// stream rather than a reset.
package bsock
