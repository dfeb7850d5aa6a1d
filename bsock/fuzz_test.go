package bsock

import (
	"bytes"
	"testing"
)

func FuzzParseHello(f *testing.F) {
	f.Add([]byte("Hello *UserAgent* calling version 18.2.5\n"))
	f.Add([]byte("Hello *UserAgent* calling 100\n"))
	f.Add([]byte("Hello admin calling version 25.0.0~pre1.x Version=\"25.0.0\"\n"))
	f.Add([]byte("Hello Director calling version 1.2\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHello(b)
		if err != nil {
			return
		}
		if len(b) < MinHelloLen || len(b) > MaxHelloLen {
			t.Fatalf("accepted length %d", len(b))
		}
		if (h.Version >= 1802) != (h.Protocol == Proto182) {
			t.Fatalf("version %d with protocol %v", h.Version, h.Protocol)
		}
	})
}

func FuzzParseChallenge(f *testing.F) {
	f.Add([]byte("auth cram-md5 <1234567890.1700000000@*UserAgent*> ssl=0\n"))
	f.Add([]byte("auth cram-md5c <1.2@php-bsock> ssl=1\n"))
	f.Add([]byte("auth cram-md5 <.@x>\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		ch, err := ParseChallenge(b)
		if err != nil {
			return
		}
		if bytes.ContainsAny([]byte(ch.Text), " \t\n\r\v\f\x00") {
			t.Fatalf("challenge text %q contains blanks or NUL", ch.Text)
		}
		_, _ = ChallengeName(ch.Text)
	})
}

func FuzzRecv(f *testing.F) {
	f.Add(packet("whoami"))
	f.Add(append(header(-1), packet("x")...))
	f.Add(header(MaxPacket))
	f.Fuzz(func(t *testing.T, b []byte) {
		c := newScript(b)
		for range 100 {
			p, err := c.Recv()
			if err != nil {
				return
			}
			if len(p.Data) > MaxPacket || len(p.Data) > len(b) {
				t.Fatalf("packet of %d bytes from %d input bytes", len(p.Data), len(b))
			}
		}
	})
}
