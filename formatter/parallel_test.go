package formatter_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/internal/workload"
)

// sameOutput runs calls on a formatter with the default sizes and on one
// with tiny arena chunks and the parallel writer (formatter.UseTinyTuning),
// and requires the same packets and errors from both.
func sameOutput(t *testing.T, compact bool, fail error, calls func(f *formatter.Formatter) error) {
	t.Helper()
	run := func(tiny bool) ([]string, string) {
		s := &packetSink{fail: fail}
		f := formatter.New(s, formatter.Options{Mode: apimode.JSON, Compact: compact})
		if tiny {
			formatter.UseTinyTuning(f)
		}
		err := calls(f)
		return s.texts(), fmt.Sprint(err)
	}
	want, wantErr := run(false)
	got, gotErr := run(true)
	if d := cmp.Diff(want, got); d != "" || gotErr != wantErr {
		t.Errorf("parallel writer differs (-sequential +parallel):\n%s\nerror %q, sequential %q", d, gotErr, wantErr)
	}
}

// The pinned workload through the parallel writer, in stretches of a few
// tokens, gives the pinned bytes.
func TestParallelWorkload(t *testing.T) {
	for _, e := range workload.Expected[:2] {
		h := sha256.New()
		var n int64
		f := formatter.New(formatter.SinkFunc(func(p []byte) error {
			h.Write(p)
			n += int64(len(p))
			return nil
		}), formatter.Options{Mode: apimode.JSON, Compact: e.Compact})
		formatter.UseTinyTuning(f)
		workload.Build(f, e.Rows)
		if err := f.FinalizeResult(true); err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(h.Sum(nil)); n != e.Bytes || got != e.SHA256 {
			t.Errorf("compact %v: %d bytes, sha256 %s; want %d, %s", e.Compact, n, got, e.Bytes, e.SHA256)
		}
	}
}

// Nesting deeper than a chunk mark describes (64 levels) keeps those
// chunks inside the stretch before them; empty containers, arrays of
// scalars and the error envelope come out the same.
func TestParallelNesting(t *testing.T) {
	for _, compact := range []bool{false, true} {
		sameOutput(t, compact, nil, func(f *formatter.Formatter) error {
			for i := range 300 {
				f.ObjectStart(fmt.Sprintf("o%d", i%7), "")
				f.KVUint("n", "", uint64(i), "")
				if i%10 == 0 {
					f.ArrayStart("a", "")
					f.ArrayItemString("x\ty", "")
					f.ArrayItemBool(true, "")
					f.ArrayItemUint(1<<63, "")
					f.ObjectStart(formatter.Null, "")
					f.ObjectEnd(formatter.Null, "")
					f.ArrayEnd("a", "")
				}
			}
			for range 200 {
				f.ObjectEnd(formatter.Null, "")
			}
			f.KVInt("after", "", -5, "")
			f.Message(formatter.MsgError, "failed")
			return f.FinalizeResult(true)
		})
	}
}

// A result that switched to the tree form (a replaced key) is written by
// the parallel writer as well.
func TestParallelTree(t *testing.T) {
	sameOutput(t, false, nil, func(f *formatter.Formatter) error {
		f.ArrayStart("rows", "")
		for i := range 500 {
			f.ObjectStart(formatter.Null, "")
			f.KVString("name", "", strings.Repeat("n", i%40), "")
			f.KVUint("id", "", uint64(i), "")
			f.ObjectEnd(formatter.Null, "")
		}
		f.ArrayEnd("rows", "")
		f.KVUint("total", "", 1, "")
		f.KVUint("total", "", 500, "") // replaced: tree form
		return f.FinalizeResult(true)
	})
}

// After a failed send the parallel writer goes on counting, and the error
// packet names the same length.
func TestParallelSendFails(t *testing.T) {
	errSink := errors.New("sink fails")
	sameOutput(t, true, errSink, func(f *formatter.Formatter) error {
		for i := range 2000 {
			f.KVString(fmt.Sprintf("key%d", i), "", "value", "")
		}
		return f.FinalizeResult(true)
	})
}

// Results of several packets are cut at the same places.
func TestParallelPackets(t *testing.T) {
	long := strings.Repeat("0123456789", 30_000)
	sameOutput(t, false, nil, func(f *formatter.Formatter) error {
		f.ArrayStart("files", "")
		for i := range 40 {
			f.ObjectStart(formatter.Null, "")
			f.KVString("data", "", long[:(i*7919)%len(long)], "")
			f.ObjectEnd(formatter.Null, "")
		}
		f.ArrayEnd("files", "")
		return f.FinalizeResult(true)
	})
}

// FuzzParallelWriter drives both writers with a call sequence decoded from
// the input (one call per byte: containers, members of up to 80 distinct
// keys, items, strings needing escapes or repair) and requires the same
// packets from the sequential writer and from the parallel one in tiny
// stretches.
func FuzzParallelWriter(f *testing.F) {
	f.Add([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"), false)
	f.Add([]byte(strings.Repeat("\x00\x10\x21\x32\x43\x54\x65\x76\x87\x98\xa9\xba\xcb\xdc\xed\xfe", 20)), true)
	f.Fuzz(func(t *testing.T, prog []byte, compact bool) {
		if len(prog) > 4096 {
			return
		}
		strs := []string{"", "plain", "tab\there", `quote"back\`, "\xff\xfeé", strings.Repeat("long ", 20)}
		sameOutput(t, compact, nil, func(f *formatter.Formatter) error {
			for i, c := range prog {
				key := "k" + strconv.Itoa(int(c>>3)%80)
				switch c % 8 {
				case 0:
					f.ObjectStart(key, "")
				case 1:
					f.ObjectStart(formatter.Null, "")
				case 2:
					f.ArrayStart(key, "")
				case 3:
					f.ObjectEnd(formatter.Null, "")
				case 4:
					f.KVUint(key, "", uint64(i)*0x9E3779B97F4A7C15>>(c%64), "")
				case 5:
					f.KVString(key, "", strs[int(c>>3)%len(strs)], "")
				case 6:
					f.ArrayItemString(strs[int(c>>3)%len(strs)], "")
				case 7:
					f.KVInt(key, "", -int64(c), "")
				}
			}
			return f.FinalizeResult(true)
		})
	})
}

// A sink that panics in the middle of a large result stops the workers of
// the parallel writer before the panic goes on.
func TestParallelSinkPanics(t *testing.T) {
	before := runtime.NumGoroutine()
	sends := 0
	f := formatter.New(formatter.SinkFunc(func([]byte) error {
		if sends++; sends == 3 {
			panic("sink")
		}
		return nil
	}), formatter.Options{Mode: apimode.JSON})
	formatter.UseTinyTuning(f)
	for i := range 500 {
		f.KVString(fmt.Sprintf("k%d", i), "", strings.Repeat("v", 5000), "")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the sink's panic did not come through")
			}
		}()
		f.FinalizeResult(true)
	}()
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("%d goroutines left, %d before", runtime.NumGoroutine(), before)
}
