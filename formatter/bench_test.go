package formatter_test

import (
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// discard counts the bytes sent.
type discard struct{ n int }

func (d *discard) Send(p []byte) error { d.n += len(p); return nil }

// listJobs renders a 10-row `list jobs` the way the Director does.
func listJobs(f *formatter.Formatter) {
	f.ArrayStart("jobs", "")
	for i := range uint64(10) {
		f.ObjectStart(formatter.Null, "")
		f.KVUint("jobid", "", i+1, "| %5d ")
		f.KVString("name", "", "BackupClient1", "| %-13s ")
		f.KVString("client", "", "bareos-fd", "| %-9s ")
		f.KVString("starttime", "", "2024-05-01 21:10:02", "| %-19s ")
		f.KVString("duration", "", "00:00:12", "| %-8s ")
		f.KVString("type", "", "B", "| %-4s ")
		f.KVString("level", "", "F", "| %-5s ")
		f.KVUint("jobfiles", "", 184+i, "| %8d ")
		f.KVUint("jobbytes", "", 41934216*i, "| %10d ")
		f.KVString("jobstatus", "", "T", "| %-9s |\n")
		f.ObjectEnd(formatter.Null, "")
	}
	f.ArrayEnd("jobs", "")
}

// BenchmarkSmall measures the small answers that dominate an ordinary
// session, on one formatter reused across commands as a connection does:
// `.api 2` (one key) and a 10-row `list jobs`, in each mode.
func BenchmarkSmall(b *testing.B) {
	cases := []struct {
		name string
		mode apimode.Mode
		fn   func(f *formatter.Formatter)
	}{
		{"api2/json", apimode.JSON, func(f *formatter.Formatter) { f.KVUint("api", "%s: ", 2, "%d\n") }},
		{"api2/text", apimode.Off, func(f *formatter.Formatter) { f.KVUint("api", "%s: ", 2, "%d\n") }},
		{"listjobs10/json", apimode.JSON, listJobs},
		{"listjobs10/json-compact", apimode.JSON, listJobs},
		{"listjobs10/text", apimode.Off, listJobs},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var d discard
			f := formatter.New(&d, formatter.Options{Mode: c.mode, Compact: c.name == "listjobs10/json-compact"})
			b.ReportAllocs()
			for b.Loop() {
				c.fn(f)
				if err := f.FinalizeResult(true); err != nil {
					b.Fatal(err)
				}
			}
			if d.n == 0 {
				b.Fatal("nothing was sent")
			}
		})
	}
}
