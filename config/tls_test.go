package config

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/tlspsk"
	"github.com/uaformat/uaformat/uacontext"
)

func TestTLSPolicy(t *testing.T) {
	cfg, err := Parse("tls.conf", []byte(`
Director { Name = d; Password = p; TLS Require = no }
Console { Name = a; Password = p }
Console { Name = b; Password = p; TLS Enable = no }
Console { Name = c; Password = p; TLS Require = no; TLS Protocol = "-ALL,TLSv1.2" }
`), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Director.TLS.Policy(); got != uacontext.TLSEnabled {
		t.Errorf("Director policy %v", got)
	}
	for name, want := range map[string]uacontext.TLSPolicy{"a": uacontext.TLSRequired, "b": uacontext.TLSNone, "c": uacontext.TLSEnabled} {
		c, err := cfg.LookupConsole(t.Context(), name)
		if err != nil || c.TLS != want {
			t.Errorf("console %s: %+v, %v; want policy %v", name, c, err, want)
		}
	}
	c, _ := cfg.Console("c")
	psk, err := c.TLS.PSK()
	if err != nil || psk.MinVersion != tlspsk.VersionTLS12 || psk.MaxVersion != tlspsk.VersionTLS12 || psk.CipherSuites != nil {
		t.Errorf("console c PSK = %+v, %v", psk, err)
	}
}

// TestTLSUnsupported checks that values that cannot be honoured are
// errors naming the file, the line, the directive and the value.
func TestTLSUnsupported(t *testing.T) {
	for _, tt := range []struct {
		src, want string
	}{
		{"Console {\n Name = a; Password = p\n TLS Protocol = \"-ALL,TLSv1.1\"\n}\n",
			`bad.conf:1: Console "a": TLS Protocol "-ALL,TLSv1.1": not supported by this implementation: it enables neither TLSv1.2 nor TLSv1.3`},
		{"Director {\n Name = d; Password = p\n TLS Cipher Suites = TLS_AES_256_GCM_SHA384\n}\n",
			`bad.conf:1: Director "d": TLS Cipher Suites "TLS_AES_256_GCM_SHA384": not supported by this implementation: no TLS 1.3 suite usable`},
		{"Console {\n Name = a; Password = p\n TLS Protocol = \"TLSv1.2,-TLSv1.3\"; TLS Cipher List = \"ECDHE-RSA-AES128-GCM-SHA256:PSK-AES128-CBC-SHA\"\n}\n",
			`bad.conf:1: Console "a": not supported by this implementation: no TLS-PSK cipher suite is left for the enabled versions: TLS Cipher List "ECDHE-RSA-AES128-GCM-SHA256:PSK-AES128-CBC-SHA" selects none of the TLS 1.2 PSK suites`},
		{"Console {\n Name = a; Password = p\n TLS Protocol = TLSv9\n}\n",
			`bad.conf:1: Console "a": TLS Protocol "TLSv9": unknown protocol "TLSv9"`},
	} {
		_, err := Parse("bad.conf", []byte(tt.src), Options{})
		if !errors.Is(err, ErrUnsupportedTLS) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) = %v\nwant ErrUnsupportedTLS and %q", tt.src, err, tt.want)
		}
	}
}

// writeCert writes a self-signed certificate and its key as PEM files.
func writeCert(t *testing.T, dir, cn string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: cn}, DNSNames: []string{cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, cn+".pem"), filepath.Join(dir, cn+".key")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	cert, _ = x509.ParseCertificate(der)
	return certFile, keyFile, cert
}

func TestServerConfig(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, cert := writeCert(t, dir, "dir.example")
	clientCert, clientKey, _ := writeCert(t, dir, "console.example")

	// Without certificates: TLS-PSK only.
	sc, err := TLSConfig{Enable: true, Require: true, Protocol: "-ALL,TLSv1.3"}.ServerConfig()
	if err != nil || sc.Certificates != nil || sc.MinVersion != tlspsk.VersionTLS13 {
		t.Errorf("PSK only: %+v, %v", sc, err)
	}

	tc := TLSConfig{Enable: true, Require: true, Certificate: certFile, Key: keyFile, VerifyPeer: true,
		CACertificateFile: clientCert, AllowedCN: []string{"console.example"}}
	sc, err = tc.ServerConfig()
	if err != nil {
		t.Fatal(err)
	}
	if sc.Certificates == nil || len(sc.Certificates.Certificates) != 1 || sc.Certificates.ClientAuth != tls.RequireAndVerifyClientCert {
		t.Fatalf("certificates: %+v", sc.Certificates)
	}
	if diff := cmp.Diff(cert.Raw, sc.Certificates.Certificates[0].Certificate[0]); diff != "" {
		t.Error("wrong certificate loaded")
	}
	// Allowed CN: a verified client certificate with another CN fails.
	good, _ := tls.LoadX509KeyPair(clientCert, clientKey)
	if err := sc.Certificates.VerifyConnection(tls.ConnectionState{PeerCertificates: []*x509.Certificate{good.Leaf}}); err != nil {
		t.Errorf("allowed CN refused: %v", err)
	}
	if err := sc.Certificates.VerifyConnection(tls.ConnectionState{PeerCertificates: []*x509.Certificate{cert}}); err == nil {
		t.Error("CN dir.example accepted, not in TLS Allowed CN")
	}

	tc.Protocol = "-ALL,TLSv1.2"
	if sc, err := tc.ServerConfig(); err != nil || sc.Certificates.MinVersion != tls.VersionTLS12 || sc.Certificates.MaxVersion != tls.VersionTLS12 {
		t.Errorf("TLS Protocol does not bound certificate TLS: %+v, %v", sc, err)
	}
	tc.Protocol = ""

	tc.CertificateRevocationList = filepath.Join(dir, "crl.pem")
	if _, err := tc.ServerConfig(); !errors.Is(err, ErrUnsupportedTLS) {
		t.Errorf("CRL: %v, want ErrUnsupportedTLS", err)
	}
	tc.CertificateRevocationList = ""
	tc.Certificate = filepath.Join(dir, "missing.pem")
	if _, err := tc.ServerConfig(); err == nil {
		t.Error("missing certificate file accepted")
	}
}
