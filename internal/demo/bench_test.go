package demo_test

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/internal/demo"
	"github.com/uaformat/uaformat/uacontext"
)

// startDemo runs the demo Director on a loopback port until the test ends.
func startDemo(tb testing.TB) string {
	tb.Helper()
	srv, err := demo.NewServer(demo.Config{Password: "secret"})
	if err != nil {
		tb.Fatal(err)
	}
	return startServer(tb, srv)
}

// startServer serves srv on a loopback port until the test ends.
func startServer(tb testing.TB, srv *uacontext.Server) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	tb.Cleanup(func() {
		srv.Close()
		<-done
	})
	return ln.Addr().String()
}

// dial logs the default console in without TLS (the figures of the
// benchmarks below are for cleartext; tls_bench_test.go compares).
func dial(tb testing.TB, addr string, json bool) *console.Client {
	tb.Helper()
	return dialWith(tb, addr, console.Options{Password: "secret", JSON: json, TLS: console.TLSOptions{Disable: true}})
}

func dialAs(tb testing.TB, addr, name, password string) *console.Client {
	tb.Helper()
	return dialWith(tb, addr, console.Options{Name: name, Password: password, JSON: true})
}

func dialWith(tb testing.TB, addr string, opts console.Options) *console.Client {
	tb.Helper()
	opts.Timeout = time.Minute
	c, err := console.Dial(context.Background(), addr, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	return c
}

// BenchmarkRoundTrip measures small-command round trips through the
// daemon over loopback with the Go client: `whoami` in JSON mode (one
// CMD_BEGIN, CMD_OK, JSON document, MAIN_PROMPT) and in text mode (text,
// EOD), with 1 and 32 concurrent consoles. It reports round trips per
// second over all consoles and the p99 latency of one round trip.
func BenchmarkRoundTrip(b *testing.B) {
	addr := startDemo(b)
	for _, json := range []bool{true, false} {
		mode := "text"
		if json {
			mode = "json"
		}
		for _, consoles := range []int{1, 32} {
			b.Run(fmt.Sprintf("%s/consoles=%d", mode, consoles), func(b *testing.B) {
				clients := make([]*console.Client, consoles)
				for i := range clients {
					clients[i] = dial(b, addr, json)
				}
				lat := make([][]time.Duration, consoles)
				b.ResetTimer()
				var wg sync.WaitGroup
				for i, c := range clients {
					n := b.N / consoles
					if i < b.N%consoles {
						n++
					}
					wg.Add(1)
					go func() {
						defer wg.Done()
						ctx := context.Background()
						for range n {
							t := time.Now()
							var err error
							if json {
								res, e := c.CallJSON(ctx, "whoami")
								if err = e; err == nil && res.Get("whoami").String() != "root" {
									err = fmt.Errorf("whoami answered %s", res.Raw)
								}
							} else {
								var s string
								s, err = c.Call(ctx, "whoami")
								if err == nil && s != "root\n" {
									err = fmt.Errorf("whoami answered %q", s)
								}
							}
							if err != nil {
								b.Error(err)
								return
							}
							lat[i] = append(lat[i], time.Since(t))
						}
					}()
				}
				wg.Wait()
				b.StopTimer()
				all := slices.Concat(lat...)
				slices.Sort(all)
				if len(all) > 0 {
					b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "roundtrips/s")
			})
		}
	}
}

// BenchmarkBvfsLsfiles100k measures the transfer of a 100,000-row
// `.bvfs_lsfiles` answer (compact JSON, about 30 MB) from the daemon to the
// Go client over loopback, parsing included.
func BenchmarkBvfsLsfiles100k(b *testing.B) {
	addr := startDemo(b)
	c := dial(b, addr, true)
	ctx := context.Background()
	var bytes int
	for b.Loop() {
		res, err := c.CallJSON(ctx, ".bvfs_lsfiles jobid=1 path=/var/lib/bigdir/ limit=100000")
		if err != nil {
			b.Fatal(err)
		}
		if n := len(res.Get("files").Array()); n != 100000 {
			b.Fatalf("%d files, want 100000", n)
		}
		bytes = len(res.Raw)
	}
	b.SetBytes(int64(bytes))
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/answer")
}
