package bsock

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"testing"
	"time"
)

func TestCleartextAllowed(t *testing.T) {
	// The Director's TlsResource::SelectTlsPolicy: None and Enabled mix
	// into cleartext, a Required side with a None side is denied, and
	// everything else would start TLS after the login.
	want := map[[2]int]bool{
		{TLSNone, TLSNone}: true, {TLSNone, TLSEnabled}: true, {TLSEnabled, TLSNone}: true,
	}
	for remote := -1; remote <= 4; remote++ {
		for local := TLSNone; local <= TLSRequired; local++ {
			if got := CleartextAllowed(remote, local); got != want[[2]int{remote, local}] {
				t.Errorf("CleartextAllowed(%d, %d) = %v", remote, local, got)
			}
		}
	}
}

// TestServerTLSPolicy runs the Director side with each TLS policy against
// consoles announcing each policy, in cleartext and inside TLS.
func TestServerTLSPolicy(t *testing.T) {
	key := PasswordKey("secret")
	_, bar := CramAnswers(key, uaChal)
	for _, proto := range []Protocol{Proto182, Proto124} {
		for local := TLSNone; local <= TLSRequired; local++ {
			for _, remote := range []int{TLSNone, TLSEnabled, TLSRequired, 4} {
				for _, inTLS := range []bool{false, true} {
					name := fmt.Sprintf("%v/director=%d/console=%d/tls=%v", proto, local, remote, inTLS)
					t.Run(name, func(t *testing.T) {
						cfg := testServerConfig()
						cfg.TLSPolicy = local
						if inTLS {
							cfg.Encryption = "TLS_CHACHA20_POLY1305_SHA256 TLSv1.3"
						}
						c, res := startServer(t, cfg)
						hello := "Hello *UserAgent* calling version 18.2.5\n"
						if proto == Proto124 {
							hello = "Hello *UserAgent* calling\n"
						}
						send(t, c, hello)
						expect(t, c, "auth cram-md5 "+dirChal+" ssl="+strconv.Itoa(local)+"\n")
						send(t, c, Base64Bareos(cramDigest(key, dirChal)))
						expect(t, c, "1000 OK auth\n")
						send(t, c, "auth cram-md5 "+uaChal+" ssl="+strconv.Itoa(remote)+"\n")
						expect(t, c, bar+"\x00")
						send(t, c, "1000 OK auth\n")
						ok := inTLS || CleartextAllowed(remote, local)
						switch {
						case ok && proto == Proto182:
							expect(t, c, "1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)")
							expect(t, c, "1002\x1eBanner line\nYou are connected using the default console")
						case ok:
							expect(t, c, "1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) -- "+encryptionText(cfg.Encryption)+"\n")
						case proto == Proto124:
							// As the Director: no "1999 Authorization failed."
							// (the CRAM-MD5 exchange succeeded), only the 12.4
							// refusal.
							expect(t, c, "1999 You are not authorized.\n")
							expectEOF(t, c)
						default:
							expectEOF(t, c)
						}
						r := <-res
						if ok != (r.err == nil) || !ok && !errors.Is(r.err, ErrTLSRequired) {
							t.Errorf("server error %v, want success %v", r.err, ok)
						}
					})
				}
			}
		}
	}
}

func TestEncryptionText(t *testing.T) {
	if got := encryptionText(""); got != " Encryption: None" {
		t.Errorf("encryptionText(\"\") = %q", got)
	}
	if got := encryptionText("PSK-AES128-GCM-SHA256 TLSv1.2"); got != " Encryption: PSK-AES128-GCM-SHA256 TLSv1.2" {
		t.Errorf("encryptionText = %q", got)
	}
}

// TestClientTLSPolicy runs ClientHandshake against ServerHandshake with
// each pair of policies: the console announces its own and refuses a
// Director that needs TLS on a cleartext connection before it answers.
func TestClientTLSPolicy(t *testing.T) {
	for local := TLSNone; local <= TLSRequired; local++ {
		for remote := TLSNone; remote <= TLSRequired; remote++ {
			for _, inTLS := range []bool{false, true} {
				t.Run(fmt.Sprintf("director=%d/console=%d/tls=%v", remote, local, inTLS), func(t *testing.T) {
					a, b := net.Pipe()
					defer a.Close()
					defer b.Close()
					scfg := testServerConfig()
					scfg.TLSPolicy = remote
					if inTLS {
						scfg.Encryption = "TLS_AES_128_GCM_SHA256 TLSv1.3"
					}
					ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
					defer cancel()
					go func() {
						ServerHandshake(ctx, NewConn(a), scfg)
						a.Close()
					}()
					_, err := ClientHandshake(ctx, NewConn(b), ClientConfig{Password: "secret", TLSPolicy: local, TLS: inTLS, Rand: fixedRand{}, Now: fixedNow})
					ok := inTLS || CleartextAllowed(remote, local)
					if ok != (err == nil) || !ok && !errors.Is(err, ErrTLSRequired) {
						t.Errorf("ClientHandshake = %v, want success %v", err, ok)
					}
					if !ok && !errors.Is(err, ErrAuthFailed) {
						t.Errorf("ErrTLSRequired should wrap ErrAuthFailed: %v", err)
					}
				})
			}
		}
	}
}
