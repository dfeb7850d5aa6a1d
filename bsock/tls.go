package bsock

import "fmt"

// ErrTLSRequired reports a login that one side refuses to run without
// TLS: a cleartext connection on which the Director or the console
// announces (in its CRAM-MD5 challenge) a TLS policy that the other side
// cannot meet without TLS. It wraps ErrAuthFailed.
var ErrTLSRequired = fmt.Errorf("%w: TLS required", ErrAuthFailed)

// CleartextAllowed reports whether a login may go on without TLS after a
// CRAM-MD5 exchange on a cleartext connection, given the TLS policies the
// two sides announced ("ssl=<n>"), as the Director decides it (its
// TlsResource::SelectTlsPolicy):
//
//	remote \ local   None  Enabled  Required
//	None              yes  yes      no (the local side requires TLS)
//	Enabled           yes  no (*)   no (*)
//	Required          no   no (*)   no (*)
//
// (*) The Director would start TLS after the CRAM-MD5 exchange here (the
// scheme of Bareos before 18.2, in which the console sends its
// ClientHello after the login). This package does not implement it;
// Bareos consoles since 18.2 start TLS before the Hello instead. Policy
// values other than 0, 1 and 2 also ask for that scheme.
func CleartextAllowed(remote, local int) bool {
	switch {
	case remote == TLSNone:
		return local == TLSNone || local == TLSEnabled
	case remote == TLSEnabled:
		return local == TLSNone
	}
	return false
}

// tlsPolicyError explains why CleartextAllowed refused a login.
func tlsPolicyError(remote, local int, remoteSide, localSide string) error {
	switch {
	case remote == TLSNone && local == TLSRequired:
		return fmt.Errorf("%w: the %s requires TLS (ssl=%d), the %s connected without it (ssl=%d)", ErrTLSRequired, localSide, local, remoteSide, remote)
	case remote == TLSRequired && local == TLSNone:
		return fmt.Errorf("%w: the %s requires TLS (ssl=%d), the %s has it disabled (ssl=%d)", ErrTLSRequired, remoteSide, remote, localSide, local)
	}
	return fmt.Errorf("%w: the %s (ssl=%d) and the %s (ssl=%d) would start TLS after the login, the scheme of Bareos before 18.2, which is not supported; start TLS before the Hello",
		ErrTLSRequired, remoteSide, remote, localSide, local)
}

// checkTLSPolicy is the Director's check of the console's TLS policy
// after the CRAM-MD5 exchange: inside TLS everything goes; on a cleartext
// connection the two policies must allow it (CleartextAllowed). A
// challenge without "ssl=" counts as TLSNone.
func (s *serverHS) checkTLSPolicy(ch Challenge) error {
	if s.cfg.Encryption != "" {
		return nil
	}
	if !CleartextAllowed(ch.SSL, s.cfg.TLSPolicy) {
		return tlsPolicyError(ch.SSL, s.cfg.TLSPolicy, "console", "Director")
	}
	return nil
}

// checkDirectorTLSPolicy is the console's check of the policy the
// Director announces in its challenge line, on a cleartext connection.
// A line without "ssl=" counts as TLSNone; a line that does not parse is
// left to the caller.
func checkDirectorTLSPolicy(line []byte, cfg ClientConfig) error {
	if cfg.TLS {
		return nil
	}
	ch, err := ParseChallenge(line)
	if err != nil {
		return nil
	}
	if !CleartextAllowed(ch.SSL, cfg.TLSPolicy) {
		return tlsPolicyError(ch.SSL, cfg.TLSPolicy, "Director", "console")
	}
	return nil
}

// encryptionText is what the 1000 line of the 12.4 protocol says after
// "-- ": " Encryption: " and the cipher, or None.
func encryptionText(cipher string) string {
	if cipher == "" {
		return encryptionNone
	}
	return " Encryption: " + cipher
}
