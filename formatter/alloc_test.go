//go:build !race

package formatter_test

import (
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// The small answers that dominate a session allocate nothing on a
// connection's reused formatter, in every mode and style (BenchmarkSmall
// measures them).
func TestSmallAnswersAllocationFree(t *testing.T) {
	for _, c := range []struct {
		name    string
		mode    apimode.Mode
		compact bool
		fn      func(f *formatter.Formatter)
	}{
		{"api2/json", apimode.JSON, false, func(f *formatter.Formatter) { f.KVUint("api", "%s: ", 2, "%d\n") }},
		{"api2/text", apimode.Off, false, func(f *formatter.Formatter) { f.KVUint("api", "%s: ", 2, "%d\n") }},
		{"listjobs10/json", apimode.JSON, false, listJobs},
		{"listjobs10/json-compact", apimode.JSON, true, listJobs},
		{"listjobs10/text", apimode.Off, false, listJobs},
		{"listjobs10/api1", apimode.On, false, listJobs},
	} {
		var d discard
		f := formatter.New(&d, formatter.Options{Mode: c.mode, Compact: c.compact})
		run := func() {
			c.fn(f)
			if err := f.FinalizeResult(true); err != nil {
				t.Fatal(err)
			}
		}
		run() // the first answer sets the reused buffers up
		if n := testing.AllocsPerRun(100, run); n != 0 {
			t.Errorf("%s: %.1f allocations per answer, want 0", c.name, n)
		}
	}
}
