package tlspsk

import (
	"bufio"
	"bytes"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"hash"
	"os"
	"strings"
	"testing"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(s), ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

// loadVectors reads testdata/rfc8448.txt: "name = hex" entries continued on
// indented lines.
func loadVectors(t testing.TB) map[string][]byte {
	t.Helper()
	f, err := os.Open("testdata/rfc8448.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][]byte{}
	var name string
	var text strings.Builder
	flush := func() {
		if name != "" {
			out[name] = unhex(t, text.String())
		}
		name = ""
		text.Reset()
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(strings.TrimSpace(line), "#") || strings.TrimSpace(line) == "":
			flush()
		case line[0] == ' ' || line[0] == '\t':
			text.WriteString(line)
		default:
			flush()
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				t.Fatalf("bad line %q", line)
			}
			name = strings.TrimSpace(k)
			text.WriteString(v)
		}
	}
	flush()
	return out
}

func checkBytes(t *testing.T, what string, got, want []byte) {
	t.Helper()
	if !bytes.Equal(got, want) {
		t.Errorf("%s:\n got %x\nwant %x", what, got, want)
	}
}

// RFC 5869 appendix A, test cases 1 to 3 (SHA-256).
func TestHKDFVectors(t *testing.T) {
	seq := func(from, to int) []byte {
		b := make([]byte, 0, to-from)
		for i := from; i < to; i++ {
			b = append(b, byte(i))
		}
		return b
	}
	tests := []struct {
		ikm, salt, info []byte
		l               int
		prk, okm        string
	}{
		{bytes.Repeat([]byte{0x0b}, 22), seq(0, 13), seq(0xf0, 0xfa), 42,
			"077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
			"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
		{seq(0, 80), seq(0x60, 0xb0), seq(0xb0, 0x100), 82,
			"06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
			"b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87"},
		{bytes.Repeat([]byte{0x0b}, 22), nil, nil, 42,
			"19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
			"8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
	}
	for i, tc := range tests {
		prk := hkdfExtract(sha256.New, tc.ikm, tc.salt)
		checkBytes(t, "PRK of case "+string(rune('1'+i)), prk, unhex(t, tc.prk))
		checkBytes(t, "OKM of case "+string(rune('1'+i)), hkdfExpand(sha256.New, prk, tc.info, tc.l), unhex(t, tc.okm))
	}
}

// Our HKDF agrees with crypto/hkdf on random inputs of every shape we use.
func TestHKDFMatchesStdlib(t *testing.T) {
	for _, h := range []func() hash.Hash{sha256.New, sha512.New384} {
		for i := 0; i < 50; i++ {
			ikm, salt, info := make([]byte, i), make([]byte, i%40), make([]byte, i%17)
			rand.Read(ikm)
			rand.Read(salt)
			rand.Read(info)
			prk := hkdfExtract(h, ikm, salt)
			want, err := hkdf.Extract(h, ikm, salt)
			if err != nil {
				t.Fatal(err)
			}
			checkBytes(t, "extract", prk, want)
			n := 1 + i*5
			wantOKM, err := hkdf.Expand(h, prk, string(info), n)
			if err != nil {
				t.Fatal(err)
			}
			checkBytes(t, "expand", hkdfExpand(h, prk, info, n), wantOKM)
		}
	}
}

// The TLS 1.2 PRF test vectors posted to the IETF TLS working group list
// (msg03416), SHA-256 and SHA-384; also checked with "openssl kdf
// TLS1-PRF".
func TestPRF12Vectors(t *testing.T) {
	checkBytes(t, "P_SHA256", prf12(sha256.New, unhex(t, "9bbe436ba940f017b17652849a71db35"), "test label",
		unhex(t, "a0ba9f936cda311827a6f796ffd5198c"), 100), unhex(t, `
		e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a
		6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab
		4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701
		87347b66`))
	checkBytes(t, "P_SHA384", prf12(sha512.New384, unhex(t, "b80b733d6ceefcdc71566ea48e5567df"), "test label",
		unhex(t, "cd665cf6a8447dd6ff8b27555edb7465"), 148), unhex(t, `
		7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd
		e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd
		8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425
		9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6
		91c8f3a26854308d5eaa3be85e0990703d73e56f`))
}

// RFC 7539 2.8.2 through the AEAD constructor of our ChaCha20-Poly1305
// suites, and the nonce construction of RFC 7905 / RFC 8446 5.3.
func TestChaCha20Poly1305Vector(t *testing.T) {
	s := suiteByID(TLS_CHACHA20_POLY1305_SHA256)
	key := unhex(t, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
	aead, err := s.aead(key)
	if err != nil {
		t.Fatal(err)
	}
	pt := []byte("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.")
	got := aead.Seal(nil, unhex(t, "070000004041424344454647"), pt, unhex(t, "50515253c0c1c2c3c4c5c6c7"))
	checkBytes(t, "sealed", got, unhex(t, `
		d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6
		3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36
		92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc
		3ff4def08e4b7a9de576d26586cec64b6116 1ae10b594f09e26a7e902ecbd0600691`))

	// Nonce: the IV with the sequence number xored into its last 8 bytes.
	hc := &halfConn{suite: s}
	copy(hc.iv[:], unhex(t, "070000004041424344454647"))
	hc.seq = 0x0102030405060708
	checkBytes(t, "nonce", hc.makeNonce(), unhex(t, "07000000414341474143414f"))
	// TLS 1.2 AES-GCM: 4-byte salt, then the sequence number (sent
	// explicitly).
	hc = &halfConn{suite: suiteByID(TLS_PSK_WITH_AES_128_GCM_SHA256)}
	copy(hc.iv[:], []byte{0xaa, 0xbb, 0xcc, 0xdd})
	hc.seq = 0x0102030405060708
	checkBytes(t, "GCM nonce", hc.makeNonce(), unhex(t, "aabbccdd0102030405060708"))
}

// TestRFC8448Section3 replays the key schedule and the record protection
// of the full TLS 1.3 handshake of RFC 8448 section 3.
func TestRFC8448Section3(t *testing.T) {
	v := loadVectors(t)
	s := suiteByID(TLS_AES_128_GCM_SHA256)

	// x25519 from both sides.
	cpriv, err := ecdh.X25519().NewPrivateKey(v["s3.client_private"])
	if err != nil {
		t.Fatal(err)
	}
	checkBytes(t, "client public", cpriv.PublicKey().Bytes(), v["s3.client_public"])
	spriv, err := ecdh.X25519().NewPrivateKey(v["s3.server_private"])
	if err != nil {
		t.Fatal(err)
	}
	shared, err := ecdhShared(spriv, v["s3.client_public"])
	if err != nil {
		t.Fatal(err)
	}
	checkBytes(t, "shared secret", shared, v["s3.shared"])
	shared2, _ := ecdhShared(cpriv, v["s3.server_public"])
	checkBytes(t, "shared secret (client)", shared2, v["s3.shared"])

	// Our parsers read the messages the way they were built.
	ch, err := parseClientHello(v["s3.client_hello"])
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.keyShares) != 1 || ch.keyShares[0].group != X25519 || !bytes.Equal(ch.keyShares[0].data, v["s3.client_public"]) ||
		!ch.offersVersion(VersionTLS13) || !ch.hasSuite(TLS_AES_128_GCM_SHA256) || ch.pskIdentities != nil {
		t.Errorf("ClientHello parsed as %+v", ch)
	}
	sh, err := parseServerHello(v["s3.server_hello"])
	if err != nil {
		t.Fatal(err)
	}
	if sh.supportedVersion != VersionTLS13 || sh.cipherSuite != TLS_AES_128_GCM_SHA256 || !bytes.Equal(sh.keyShare.data, v["s3.server_public"]) {
		t.Errorf("ServerHello parsed as %+v", sh)
	}
	checkBytes(t, "ServerHello re-encoded", sh.marshal(), v["s3.server_hello"])

	// Key schedule with no PSK (an all-zero one).
	ks := newSchedule13(s, make([]byte, 32))
	checkBytes(t, "early secret", ks.early, v["s3.early_secret"])
	checkBytes(t, "derived (early)", deriveSecret(s.hash, ks.early, "derived", ks.emptyHash()), v["s3.derived_early"])
	ks.setShared(shared)
	checkBytes(t, "handshake secret", ks.handshake, v["s3.handshake_secret"])
	transcript := append(bytes.Clone(v["s3.client_hello"]), v["s3.server_hello"]...)
	th := hashOf(s.hash, transcript)
	checkBytes(t, "transcript hash CH..SH", th, v["s3.hello_hash"])
	chs, shs := ks.handshakeTraffic(th)
	checkBytes(t, "client handshake traffic", chs, v["s3.client_hs_traffic"])
	checkBytes(t, "server handshake traffic", shs, v["s3.server_hs_traffic"])
	for _, x := range []struct{ secret, key, iv string }{
		{"s3.server_hs_traffic", "s3.server_hs_key", "s3.server_hs_iv"},
		{"s3.client_hs_traffic", "s3.client_hs_key", "s3.client_hs_iv"},
		{"s3.server_ap_traffic", "s3.server_ap_key", "s3.server_ap_iv"},
		{"s3.client_ap_traffic", "s3.client_ap_key", "s3.client_ap_iv"},
	} {
		k, iv := trafficKeys(s, v[x.secret])
		checkBytes(t, x.key, k, v[x.key])
		checkBytes(t, x.iv, iv, v[x.iv])
	}

	// The server Finished over CH..CertificateVerify.
	checkBytes(t, "server finished key", expandLabel(s.hash, shs, "finished", nil, 32), v["s3.server_finished_key"])
	for _, m := range []string{"s3.encrypted_extensions", "s3.certificate", "s3.certificate_verify"} {
		transcript = append(transcript, v[m]...)
	}
	checkBytes(t, "server finished", finishedMAC(s, shs, hashOf(s.hash, transcript)), v["s3.server_finished"])
	fin := simpleMessage(typeFinished, v["s3.server_finished"])
	transcript = append(transcript, fin...)
	th = hashOf(s.hash, transcript)
	checkBytes(t, "transcript hash CH..server Finished", th, v["s3.server_finished_hash"])
	ks.setMaster()
	checkBytes(t, "master secret", ks.master, v["s3.master_secret"])
	cAP, sAP := ks.appTraffic(th)
	checkBytes(t, "client application traffic", cAP, v["s3.client_ap_traffic"])
	checkBytes(t, "server application traffic", sAP, v["s3.server_ap_traffic"])

	// The record layer: our protection of the server's encrypted flight
	// is the RFC's record, and we read the RFC's record back.
	flight := bytes.Join([][]byte{v["s3.encrypted_extensions"], v["s3.certificate"], v["s3.certificate_verify"], fin}, nil)
	var out halfConn
	if err := out.setTrafficSecret13(s, bytes.Clone(shs)); err != nil {
		t.Fatal(err)
	}
	rec, err := out.appendRecord(nil, recordHandshake, flight, VersionTLS12)
	if err != nil {
		t.Fatal(err)
	}
	checkBytes(t, "protected record", rec, v["s3.server_flight_record"])
	var in halfConn
	if err := in.setTrafficSecret13(s, bytes.Clone(shs)); err != nil {
		t.Fatal(err)
	}
	want := v["s3.server_flight_record"]
	typ, pt, err := in.open(want[:5], bytes.Clone(want[5:]))
	if err != nil || typ != recordHandshake {
		t.Fatalf("open: %v, type %d", err, typ)
	}
	checkBytes(t, "opened record", pt, flight)
	// One flipped bit anywhere fails authentication.
	for _, i := range []int{0, 1, 4, 5, 300, len(want) - 1} {
		bad := bytes.Clone(want)
		bad[i] ^= 1
		var in halfConn
		in.setTrafficSecret13(s, bytes.Clone(shs))
		if _, _, err := in.open(bad[:5], bad[5:]); err == nil {
			t.Errorf("record with bit flipped at %d opened", i)
		}
	}
}

// TestRFC8448Section4 checks the PSK half of the key schedule against the
// resumed handshake of RFC 8448 section 4: the binder over the truncated
// ClientHello (which our parser must locate), and the handshake and
// application secrets of a PSK combined with x25519.
func TestRFC8448Section4(t *testing.T) {
	v := loadVectors(t)
	s := suiteByID(TLS_AES_128_GCM_SHA256)
	ks := newSchedule13(s, v["s4.psk"])
	checkBytes(t, "early secret", ks.early, v["s4.early_secret"])
	bk := deriveSecret(s.hash, ks.early, "res binder", ks.emptyHash())
	checkBytes(t, "binder key", bk, v["s4.binder_key"])
	checkBytes(t, "binder finished key", expandLabel(s.hash, bk, "finished", nil, 32), v["s4.binder_finished_key"])

	ch, err := parseClientHello(v["s4.client_hello"])
	if err != nil {
		t.Fatal(err)
	}
	if ch.truncLen != 477 {
		t.Fatalf("binders start at %d, want 477", ch.truncLen)
	}
	if len(ch.pskIdentities) != 1 || len(ch.pskBinders) != 1 || !ch.earlyData ||
		!bytes.Equal(ch.pskModes, []byte{pskModeDHE}) || len(ch.keyShares) != 1 {
		t.Fatalf("ClientHello parsed as %+v", ch)
	}
	th := hashOf(s.hash, ch.raw[:ch.truncLen])
	checkBytes(t, "binder hash", th, v["s4.binder_hash"])
	checkBytes(t, "binder", finishedMAC(s, bk, th), v["s4.binder"])
	checkBytes(t, "binder in the ClientHello", ch.pskBinders[0], v["s4.binder"])

	// The external-PSK binder differs from the resumption one only by
	// its label.
	ext := deriveSecret(s.hash, ks.early, "ext binder", ks.emptyHash())
	checkBytes(t, "ext binder", ks.binder(th), finishedMAC(s, ext, th))

	ks.setShared(v["s4.shared"])
	chs, shs := ks.handshakeTraffic(v["s4.hello_hash"])
	checkBytes(t, "client handshake traffic", chs, v["s4.client_hs_traffic"])
	checkBytes(t, "server handshake traffic", shs, v["s4.server_hs_traffic"])
	ks.setMaster()
	cAP, sAP := ks.appTraffic(v["s4.server_finished_hash"])
	checkBytes(t, "client application traffic", cAP, v["s4.client_ap_traffic"])
	checkBytes(t, "server application traffic", sAP, v["s4.server_ap_traffic"])

	// Re-encoding the parsed ClientHello gives a message that parses to
	// the same fields with the binders at the same place relative to
	// the end.
	cp := *ch
	ch2, err := parseClientHello(cp.marshal())
	if err != nil {
		t.Fatal(err)
	}
	if len(ch2.raw)-ch2.truncLen != len(ch.raw)-ch.truncLen {
		t.Errorf("binders of the re-encoded ClientHello at %d of %d", ch2.truncLen, len(ch2.raw))
	}
}
