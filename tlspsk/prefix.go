package tlspsk

import (
	"bytes"
	"errors"
	"net"
)

// PrefixConn returns a net.Conn that reads prefix before what remains of
// conn: the way to run a handshake on a connection whose first bytes a
// server already read to tell a TLS ClientHello from a cleartext Hello.
// Everything else, CloseWrite included, goes to conn.
func PrefixConn(conn net.Conn, prefix []byte) net.Conn {
	if len(prefix) == 0 {
		return conn
	}
	return &prefixConn{Conn: conn, prefix: bytes.Clone(prefix)}
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

// CloseWrite shuts down the writing side of the underlying connection if
// it supports that.
func (p *prefixConn) CloseWrite() error {
	if cw, ok := p.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return errors.New("tlspsk: CloseWrite not supported by the underlying connection")
}
