package demo_test

import (
	"context"
	"crypto/sha256"

	"net"
	"syscall"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/tlspsk"
)

// tlsTransports are the transports the TLS benchmarks compare, cleartext
// first (the reference of the ratios).
var tlsTransports = []struct {
	name string
	opts console.TLSOptions
}{
	{"clear", console.TLSOptions{Disable: true}},
	{"tls13-chacha20", console.TLSOptions{}},
	{"tls13-aes128gcm", console.TLSOptions{CipherSuites: []uint16{tlspsk.TLS_AES_128_GCM_SHA256}}},
	{"tls12-aes128gcm", console.TLSOptions{MaxVersion: tlspsk.VersionTLS12, CipherSuites: []uint16{tlspsk.TLS_PSK_WITH_AES_128_GCM_SHA256}}},
	{"tls12-ecdhe-chacha20", console.TLSOptions{MaxVersion: tlspsk.VersionTLS12}},
}

// BenchmarkBvfsLsfiles100kTLS fetches the 100,000-row `.bvfs_lsfiles`
// answer in compact JSON (about 34 MB) with the Go client over loopback
// through every transport, taking turns within each iteration (each
// transport starting an iteration in turn) so that all see the same
// machine load, and reports the time until the whole
// answer has reached the client (every packet read, before any parsing)
// for each transport and its ratio to cleartext ("x-clear"), and the
// same for the CPU time of the process (both sides; "cpu-x-clear"),
// which other load on the machine disturbs less: the cost of TLS-PSK on
// a bulk answer. Each answer is checked against the first one,
// which is parsed once.
func BenchmarkBvfsLsfiles100kTLS(b *testing.B) {
	addr := startDemo(b)
	clients := make([]*console.Client, len(tlsTransports))
	for i, tr := range tlsTransports {
		clients[i] = dialWith(b, addr, console.Options{Password: "secret", JSON: true, TLS: tr.opts})
	}
	ctx := context.Background()
	const cmd = ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000"
	res, err := clients[0].CallJSON(ctx, cmd)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(res.Get("files").Array()); n != 100000 {
		b.Fatalf("%d files, want 100000", n)
	}
	pkts, err := clients[0].CallPackets(ctx, cmd)
	if err != nil {
		b.Fatal(err)
	}
	h := sha256.New()
	for _, p := range pkts {
		h.Write(p.Data)
	}
	want := [32]byte(h.Sum(nil))
	spent := make([]time.Duration, len(tlsTransports))
	cpu := make([]time.Duration, len(tlsTransports))
	var n, size int
	for b.Loop() {
		for k := range clients {
			i := (k + n) % len(clients) // each transport goes first in turn
			c := clients[i]
			start, cpu0 := time.Now(), cpuTime(b)
			pkts, err := c.CallPackets(ctx, cmd)
			spent[i] += time.Since(start)
			cpu[i] += cpuTime(b) - cpu0
			if err != nil {
				b.Fatal(err)
			}
			h := sha256.New()
			size = 0
			for _, p := range pkts {
				h.Write(p.Data)
				size += len(p.Data)
			}
			if [32]byte(h.Sum(nil)) != want {
				b.Fatalf("%s: the answer differs", tlsTransports[i].name)
			}
		}
		n++
	}
	b.SetBytes(int64(size))
	for i, tr := range tlsTransports {
		b.ReportMetric(float64(spent[i].Microseconds())/1000/float64(n), tr.name+"-ms/answer")
		b.ReportMetric(float64(cpu[i].Microseconds())/1000/float64(n), tr.name+"-cpu-ms/answer")
		if i > 0 {
			b.ReportMetric(float64(spent[i])/float64(spent[0]), tr.name+"-x-clear")
			b.ReportMetric(float64(cpu[i])/float64(cpu[0]), tr.name+"-cpu-x-clear")
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(tb testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkTLSLogin measures a console login over loopback: the TCP
// connection, the TLS handshake (none for clear), the Hello, CRAM-MD5 in
// both directions and the response messages, then the close. Both sides
// run in this process, so "cpu-µs/login" — the process's CPU time per
// login — bounds the server's share from above (the two sides do about
// the same work: one ephemeral key exchange and the key schedule each).
func BenchmarkTLSLogin(b *testing.B) {
	addr := startDemo(b)
	for _, tr := range tlsTransports {
		b.Run(tr.name, func(b *testing.B) {
			ctx := context.Background()
			cpu0 := cpuTime(b)
			for b.Loop() {
				nc, err := net.Dial("tcp", addr)
				if err != nil {
					b.Fatal(err)
				}
				var conn net.Conn = nc
				if !tr.opts.Disable {
					tc := tlspsk.Client(nc, &tlspsk.Config{Identity: console.PSKIdentity(""), Key: []byte(bsock.PasswordKey("secret")),
						MaxVersion: tr.opts.MaxVersion, CipherSuites: tr.opts.CipherSuites})
					if err := tc.Handshake(); err != nil {
						b.Fatal(err)
					}
					conn = tc
				}
				c := bsock.NewConn(conn)
				policy := bsock.TLSRequired
				if tr.opts.Disable {
					policy = bsock.TLSNone
				}
				if _, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Password: "secret", TLS: !tr.opts.Disable, TLSPolicy: policy}); err != nil {
					b.Fatal(err)
				}
				c.Close()
			}
			b.ReportMetric(float64((cpuTime(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/login")
		})
	}
}
