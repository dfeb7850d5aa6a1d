package console

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/tlspsk"
	"github.com/uaformat/uaformat/uacontext"
)

// startTLS starts the connection's TLS as Options.TLS says and returns
// the connection to log in on and its cipher and version ("" without
// TLS).
func (c *Client) startTLS(ctx context.Context, nc net.Conn) (net.Conn, string, error) {
	o := c.opts.TLS
	if o.Disable {
		return nc, "", nil
	}
	if o.Certificates != nil {
		tc := tls.Client(nc, o.Certificates)
		hctx := ctx
		if o.HandshakeTimeout > 0 {
			var cancel context.CancelFunc
			hctx, cancel = context.WithTimeout(ctx, o.HandshakeTimeout)
			defer cancel()
		}
		if err := tc.HandshakeContext(hctx); err != nil {
			return nil, "", c.tlsError(err)
		}
		cs := tc.ConnectionState()
		return tc, uacontext.OpenSSLCipherName(cs.CipherSuite) + " " + tlspsk.VersionName(cs.Version), nil
	}
	tc := tlspsk.Client(nc, &tlspsk.Config{
		Identity:         PSKIdentity(c.opts.Name),
		Key:              []byte(c.opts.key()),
		MinVersion:       o.MinVersion,
		MaxVersion:       o.MaxVersion,
		CipherSuites:     o.CipherSuites,
		HandshakeTimeout: o.HandshakeTimeout,
	})
	if err := tc.HandshakeContext(ctx); err != nil {
		return nil, "", c.tlsError(err)
	}
	cs := tc.ConnectionState()
	return tc, tlspsk.CipherSuiteName(cs.CipherSuite) + " " + tlspsk.VersionName(cs.Version), nil
}

// tlsError explains a failed TLS handshake.
func (c *Client) tlsError(err error) error {
	name := c.opts.Name
	if name == "" {
		name = bsock.DefaultConsoleName
	}
	var ae *tlspsk.AlertError
	var re tls.AlertError
	switch {
	case errors.As(err, &ae) && ae.Remote, errors.As(err, &re):
		return fmt.Errorf("%w for console %q (wrong password, or a console the Director does not know): %w", ErrTLSRefused, name, err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("%w: it closed the connection during the handshake: %w", ErrNoTLS, err)
	case errors.As(err, &ae) && (ae.Alert == tlspsk.AlertUnexpectedMessage || ae.Alert == tlspsk.AlertDecodeError || ae.Alert == tlspsk.AlertRecordOverflow):
		return fmt.Errorf("%w: it answered with something else than TLS: %w", ErrNoTLS, err)
	}
	return fmt.Errorf("TLS handshake with the Director: %w", err)
}
