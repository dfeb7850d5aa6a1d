package tlspsk

import (
	"bytes"
	"net"
)

// PrefixConn returns a net.Conn that reads prefix before what remains of
// conn: the way to run a handshake on a connection whose first bytes a
// server already read to tell a TLS ClientHello from a cleartext Hello.
// Everything else goes to conn; the result has a CloseWrite method only
// if conn has one, so that a caller can tell whether it may half-close.
func PrefixConn(conn net.Conn, prefix []byte) net.Conn {
	if len(prefix) == 0 {
		return conn
	}
	p := &prefixConn{Conn: conn, prefix: bytes.Clone(prefix)}
	if _, ok := conn.(interface{ CloseWrite() error }); ok {
		return &halfCloser{p}
	}
	return p
}

type prefixConn struct {
	net.Conn
	prefix []byte
}

func (p *prefixConn) Read(b []byte) (int, error) {
	if len(p.prefix) > 0 {
		n := copy(b, p.prefix)
		p.prefix = p.prefix[n:]
		return n, nil
	}
	return p.Conn.Read(b)
}

// halfCloser is a prefixConn whose connection can shut down its writing
// side.
type halfCloser struct{ *prefixConn }

// CloseWrite shuts down the writing side of the underlying connection.
func (h *halfCloser) CloseWrite() error {
	return h.Conn.(interface{ CloseWrite() error }).CloseWrite()
}
