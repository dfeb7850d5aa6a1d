package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"

	"github.com/uaformat/uaformat/internal/tlsopts"
	"github.com/uaformat/uaformat/uacontext"
)

// ErrUnsupportedTLS reports a TLS directive whose value this
// implementation cannot honour (see TLSConfig.PSK); the message names the
// directive and the value.
var ErrUnsupportedTLS = errors.New("TLS setting not supported")

// Policy returns the TLS policy of the TLS Enable and TLS Require
// directives, the number the Director announces in its challenge.
func (t TLSConfig) Policy() uacontext.TLSPolicy {
	return uacontext.TLSPolicyOf(t.Enable, t.Require)
}

// PSKSettings are the TLS-PSK parameters of the TLS directives, in the
// form of tlspsk.Config.
type PSKSettings struct {
	// MinVersion and MaxVersion are tlspsk.VersionTLS12 or VersionTLS13;
	// zero means both.
	MinVersion, MaxVersion uint16
	// CipherSuites lists the TLS 1.3 suites, then the TLS 1.2 suites, in
	// order of preference; nil means every suite of tlspsk.
	CipherSuites []uint16
}

// PSK reads TLS Protocol, TLS Cipher List (TLS 1.2) and TLS Cipher Suites
// (TLS 1.3) with OpenSSL's rules and narrows them to what package tlspsk
// implements: TLS 1.2 and 1.3; the TLS 1.2 suites PSK-AES128-GCM-SHA256,
// PSK-AES256-GCM-SHA384, PSK-CHACHA20-POLY1305 and
// ECDHE-PSK-CHACHA20-POLY1305; the TLS 1.3 suites usable with a PSK bound
// to SHA-256 (TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256). A
// cipher list that names no PSK suite (one written for certificates)
// leaves TLS 1.2 without one, as with OpenSSL. An error wrapping
// ErrUnsupportedTLS names a value that cannot be honoured: a protocol
// setting without TLS 1.2 or 1.3, a TLS 1.3 list without a usable suite,
// an unknown name, or settings that leave no suite at all.
func (t TLSConfig) PSK() (PSKSettings, error) {
	s, err := tlsopts.Parse(t.Protocol, t.CipherList, t.CipherSuites)
	if err != nil {
		return PSKSettings{}, fmt.Errorf("%w: %w", ErrUnsupportedTLS, err)
	}
	return PSKSettings{MinVersion: s.MinVersion, MaxVersion: s.MaxVersion, CipherSuites: s.CipherSuites}, nil
}

// ServerConfig returns the TLS a Director with these directives (those
// of its Director resource) accepts from consoles: TLS-PSK as PSK says
// and, when TLS Certificate is set, TLS with that certificate (crypto/tls)
// for clients whose ClientHello offers no PSK, with TLS Verify Peer, TLS
// CA Certificate File/Dir and TLS Allowed CN checking their certificates.
// It reads the certificate files. TLS Certificate Revocation List is not
// supported (an error), TLS DH File is ignored (finite-field
// Diffie-Hellman is not implemented; the key exchange is ECDHE).
func (t TLSConfig) ServerConfig() (*uacontext.TLSConfig, error) {
	psk, err := t.PSK()
	if err != nil {
		return nil, err
	}
	cfg := &uacontext.TLSConfig{MinVersion: psk.MinVersion, MaxVersion: psk.MaxVersion, CipherSuites: psk.CipherSuites}
	if t.Certificate == "" {
		return cfg, nil
	}
	if t.CertificateRevocationList != "" {
		return nil, fmt.Errorf("%w: TLS Certificate Revocation List %q: certificate revocation lists are not checked by this implementation", ErrUnsupportedTLS, t.CertificateRevocationList)
	}
	keyFile := t.Key
	if keyFile == "" {
		keyFile = t.Certificate
	}
	cert, err := tls.LoadX509KeyPair(t.Certificate, keyFile)
	if err != nil {
		return nil, fmt.Errorf("config: TLS Certificate %q, TLS Key %q: %w", t.Certificate, keyFile, err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if psk.MinVersion != 0 { // TLS Protocol bounds certificate TLS too
		tc.MinVersion, tc.MaxVersion = psk.MinVersion, psk.MaxVersion
	}
	if t.VerifyPeer {
		pool, err := t.caPool()
		if err != nil {
			return nil, err
		}
		tc.ClientCAs = pool
		tc.ClientAuth = tls.RequireAndVerifyClientCert
		if allowed := t.AllowedCN; len(allowed) > 0 {
			tc.VerifyConnection = func(cs tls.ConnectionState) error {
				if len(cs.PeerCertificates) == 0 {
					return errors.New("config: no peer certificate")
				}
				if cn := cs.PeerCertificates[0].Subject.CommonName; !slices.Contains(allowed, cn) {
					return fmt.Errorf("config: peer certificate CN %q is not in TLS Allowed CN", cn)
				}
				return nil
			}
		}
	}
	cfg.Certificates = tc
	return cfg, nil
}

// caPool reads TLS CA Certificate File and every file of TLS CA
// Certificate Dir; with neither, the system's pool.
func (t TLSConfig) caPool() (*x509.CertPool, error) {
	if t.CACertificateFile == "" && t.CACertificateDir == "" {
		return x509.SystemCertPool()
	}
	pool := x509.NewCertPool()
	var files []string
	if t.CACertificateFile != "" {
		files = append(files, t.CACertificateFile)
	}
	if t.CACertificateDir != "" {
		entries, err := os.ReadDir(t.CACertificateDir)
		if err != nil {
			return nil, fmt.Errorf("config: TLS CA Certificate Dir: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				files = append(files, filepath.Join(t.CACertificateDir, e.Name()))
			}
		}
	}
	for _, f := range files {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("config: TLS CA certificate: %w", err)
		}
		if !pool.AppendCertsFromPEM(pem) && f == t.CACertificateFile {
			return nil, fmt.Errorf("config: TLS CA Certificate File %q holds no PEM certificate", f)
		}
	}
	return pool, nil
}

// checkTLS validates the TLS directives of a resource as it is read.
func (p *parser) checkTLS(t *TLSConfig, pos Position, resType, name string) {
	if _, err := tlsopts.Parse(t.Protocol, t.CipherList, t.CipherSuites); err != nil {
		p.invalid(p.errAt(pos, ErrUnsupportedTLS, "%s %s: %v", resType, quoteShort(name), err))
	}
	if t.DHFile != "" {
		p.ld.notice(pos, slog.LevelWarn, "%s %s: TLS DH File is ignored (finite-field Diffie-Hellman is not implemented; the key exchange is ECDHE)", resType, quoteShort(name))
	}
}
