package tlspsk

import (
	"bytes"
	"io"
	"net"
	"runtime"
	"testing"
	"time"
)

// Benchmarks. The handshake ones replay a recorded client (or server)
// flight into a fresh endpoint with the recorded randomness, so they
// measure one side's CPU alone, without the peer or the network. The
// throughput ones compare the connection's Write and Read with the bare
// AEAD (Seal/Open of the same record size) in the same run: the ratio is
// the record layer's overhead.

func benchReplayServer(b *testing.B, cfg int) {
	toServer, _ := recordFlights(b, testKey, cfg)
	curves := flightConfigs[cfg].serverCurves
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for i := 0; i < b.N; i++ {
		sc := serverConfig()
		sc.Rand, sc.CurvePreferences, sc.HandshakeTimeout = detRand(2), curves, -1
		if err := Server(newFuzzConn(toServer), sc).Handshake(); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// reportCPU reports the process CPU time per operation since start: on a
// busy machine it stays what one handshake costs while ns/op (wall clock)
// grows with the wait for a core.
func reportCPU(b *testing.B, start time.Duration) {
	if d := processCPU() - start; d > 0 {
		b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func flightIndex(b *testing.B, name string) int {
	for i, fc := range flightConfigs {
		if fc.name == name {
			return i
		}
	}
	b.Fatalf("no flight %q", name)
	return 0
}

// BenchmarkServerHandshake is the server's CPU per handshake.
func BenchmarkServerHandshake(b *testing.B) {
	for _, name := range []string{"tls13", "tls13-aes", "tls13-hrr", "tls12-ecdhe", "tls12-psk-aes256"} {
		b.Run(name, func(b *testing.B) { benchReplayServer(b, flightIndex(b, name)) })
	}
}

// BenchmarkClientHandshake is the client's CPU per handshake.
func BenchmarkClientHandshake(b *testing.B) {
	for _, name := range []string{"tls13", "tls12-ecdhe"} {
		b.Run(name, func(b *testing.B) {
			i := flightIndex(b, name)
			_, toClient := recordFlights(b, testKey, i)
			b.ReportAllocs()
			b.ResetTimer()
			cpu := processCPU()
			defer reportCPU(b, cpu)
			for n := 0; n < b.N; n++ {
				cc := clientConfig()
				cc.Rand, cc.HandshakeTimeout = detRand(1), -1
				if flightConfigs[i].cc != nil {
					flightConfigs[i].cc(cc)
				}
				if err := Client(newFuzzConn(toClient), cc).Handshake(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkHandshakeLoopback is a whole handshake, both sides, over
// loopback TCP (wall clock).
func BenchmarkHandshakeLoopback(b *testing.B) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				srv := Server(c, serverConfig())
				srv.Handshake()
				io.Copy(io.Discard, srv)
				srv.Close()
			}()
		}
	}()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		cli := Client(c, clientConfig())
		if err := cli.Handshake(); err != nil {
			b.Fatal(err)
		}
		cli.Close()
	}
}

// discardConn is a net.Conn whose writes go nowhere.
type discardConn struct{ fuzzConn }

// connectedPair returns a client and a server after a handshake in suite
// s, both detached from the network (their conns are replaced by the
// benchmark).
func connectedPair(b *testing.B, s *cipherSuite) (cli, srv *Conn) {
	cc := clientConfig()
	cc.MinVersion, cc.MaxVersion, cc.CipherSuites = s.version, s.version, []uint16{s.id}
	c1, c2 := net.Pipe()
	cli, srv = Client(c1, cc), Server(c2, serverConfig())
	done := make(chan error, 1)
	go func() { done <- srv.Handshake() }()
	if err := cli.Handshake(); err != nil {
		b.Fatal(err)
	}
	if err := <-done; err != nil {
		b.Fatal(err)
	}
	c1.Close()
	c2.Close()
	return cli, srv
}

const benchRecord = maxPlaintext

// BenchmarkWrite: Write of 16 KiB (one full record) through the
// connection, into a discarding conn.
func BenchmarkWrite(b *testing.B) {
	for _, s := range suiteTable {
		b.Run(s.name, func(b *testing.B) {
			cli, _ := connectedPair(b, s)
			cli.conn = &discardConn{}
			buf := make([]byte, benchRecord)
			b.SetBytes(benchRecord)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := cli.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSeal: the bare AEAD sealing 16 KiB in place, for comparison
// with BenchmarkWrite.
func BenchmarkSeal(b *testing.B) {
	for _, s := range suiteTable {
		b.Run(s.name, func(b *testing.B) {
			aead, err := s.aead(make([]byte, s.keyLen))
			if err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, benchRecord, benchRecord+aead.Overhead())
			nonce := make([]byte, aead.NonceSize())
			b.SetBytes(benchRecord)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				aead.Seal(buf[:0], nonce, buf, nil)
			}
		})
	}
}

// BenchmarkRead: Read of 16 KiB records through the connection from a
// prepared stream.
func BenchmarkRead(b *testing.B) {
	const records = 64
	for _, s := range suiteTable {
		b.Run(s.name, func(b *testing.B) {
			cli, srv := connectedPair(b, s)
			seq0 := cli.in.seq
			payload := make([]byte, benchRecord)
			var stream []byte
			for i := 0; i < records; i++ {
				var err error
				if stream, err = srv.out.appendRecord(stream, recordApplicationData, payload, VersionTLS12); err != nil {
					b.Fatal(err)
				}
			}
			src := bytes.NewReader(stream)
			cli.conn = &fuzzConn{r: src}
			buf := make([]byte, benchRecord)
			b.SetBytes(benchRecord)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i%records == 0 {
					src.Reset(stream)
					cli.in.seq = seq0
				}
				if _, err := io.ReadFull(cli, buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpen: the bare AEAD opening 16 KiB, for comparison with
// BenchmarkRead.
func BenchmarkOpen(b *testing.B) {
	for _, s := range suiteTable {
		b.Run(s.name, func(b *testing.B) {
			aead, err := s.aead(make([]byte, s.keyLen))
			if err != nil {
				b.Fatal(err)
			}
			nonce := make([]byte, aead.NonceSize())
			sealed := aead.Seal(nil, nonce, make([]byte, benchRecord), nil)
			work := make([]byte, len(sealed))
			b.SetBytes(benchRecord)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				copy(work, sealed) // Read decrypts in place too, after copying from the socket
				if _, err := aead.Open(work[:0], nonce, work, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLoopbackTransfer: client to server over loopback TCP, 1 MiB
// writes (wall clock, both sides).
func BenchmarkLoopbackTransfer(b *testing.B) {
	for _, id := range []uint16{TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256} {
		s := suiteByID(id)
		b.Run(s.name, func(b *testing.B) {
			cc := clientConfig()
			cc.CipherSuites = []uint16{id}
			cli, srv, cerr, serr := handshakePair(b, cc, serverConfig(), nil)
			if cerr != nil || serr != nil {
				b.Fatal(cerr, serr)
			}
			defer cli.Close()
			defer srv.Close()
			const chunk = 1 << 20
			done := make(chan error, 1)
			go func() {
				_, err := io.CopyN(io.Discard, srv, int64(b.N)*chunk)
				done <- err
			}()
			buf := make([]byte, chunk)
			b.SetBytes(chunk)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := cli.Write(buf); err != nil {
					b.Fatal(err)
				}
			}
			if err := <-done; err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkRecordOverhead alternates, within each iteration, one 16 KiB
// Write through the connection with one bare AEAD Seal of 16 KiB, and one
// 16 KiB Read with one bare copy-and-Open, and reports the ratios of their
// thread CPU times (write/seal, read/open): interleaving, and CPU time
// rather than the wall clock, keep a busy machine out of the comparison.
func BenchmarkRecordOverhead(b *testing.B) {
	const records = 64
	for _, s := range suiteTable {
		b.Run(s.name, func(b *testing.B) {
			cli, srv := connectedPair(b, s)
			cli.conn = &discardConn{}
			// The reader: a second pair, fed a prepared stream.
			rcli, rsrv := connectedPair(b, s)
			seq0 := rcli.in.seq
			payload := make([]byte, benchRecord)
			var stream []byte
			for i := 0; i < records; i++ {
				var err error
				if stream, err = rsrv.out.appendRecord(stream, recordApplicationData, payload, VersionTLS12); err != nil {
					b.Fatal(err)
				}
			}
			src := bytes.NewReader(stream)
			rcli.conn = &fuzzConn{r: src}
			_ = srv

			aead, err := s.aead(make([]byte, s.keyLen))
			if err != nil {
				b.Fatal(err)
			}
			nonce := make([]byte, aead.NonceSize())
			sealBuf := make([]byte, benchRecord, benchRecord+aead.Overhead())
			sealed := aead.Seal(nil, nonce, make([]byte, benchRecord), nil)
			work := make([]byte, len(sealed))
			buf := make([]byte, benchRecord)

			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			var write, seal, read, open time.Duration
			b.SetBytes(2 * benchRecord)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := threadCPU()
				if _, err := cli.Write(buf); err != nil {
					b.Fatal(err)
				}
				t1 := threadCPU()
				aead.Seal(sealBuf[:0], nonce, sealBuf, nil)
				t2 := threadCPU()
				if i%records == 0 {
					src.Reset(stream)
					rcli.in.seq = seq0
				}
				t3 := threadCPU()
				if _, err := io.ReadFull(rcli, buf); err != nil {
					b.Fatal(err)
				}
				t4 := threadCPU()
				copy(work, sealed)
				if _, err := aead.Open(work[:0], nonce, work, nil); err != nil {
					b.Fatal(err)
				}
				t5 := threadCPU()
				write += t1 - t0
				seal += t2 - t1
				read += t4 - t3
				open += t5 - t4
			}
			b.ReportMetric(float64(write)/float64(seal), "write/seal")
			b.ReportMetric(float64(read)/float64(open), "read/open")
			b.ReportMetric(float64(benchRecord)*float64(b.N)/write.Seconds()/1e6, "write-MB/s")
			b.ReportMetric(float64(benchRecord)*float64(b.N)/seal.Seconds()/1e6, "seal-MB/s")
		})
	}
}
