package workload

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"os"
	"testing"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// hashSink hashes every packet and checks the packet size limit.
type hashSink struct {
	h       hash.Hash
	n       int64
	packets int
	tooBig  bool
}

func (s *hashSink) Send(p []byte) error {
	s.h.Write(p)
	s.n += int64(len(p))
	s.packets++
	if len(p) > formatter.MaxSend {
		s.tooBig = true
	}
	return nil
}

// skipRows reports whether a check of this many rows is left out: 100,000
// rows in -short mode, 1,000,000 rows unless UAFORMAT_WORKLOAD_1M=1.
func skipRows(rows uint64) bool {
	switch {
	case rows >= 1000000:
		return os.Getenv("UAFORMAT_WORKLOAD_1M") != "1"
	case rows > 1000:
		return testing.Short()
	}
	return false
}

// TestWorkloadBytes checks the output against the pinned sha256 values
// (an untimed identity check of the performance workload).
func TestWorkloadBytes(t *testing.T) {
	for _, e := range Expected {
		if skipRows(e.Rows) {
			continue
		}
		t.Run(fmt.Sprintf("rows=%d/compact=%v", e.Rows, e.Compact), func(t *testing.T) {
			s := &hashSink{h: sha256.New()}
			f := formatter.New(s, formatter.Options{Mode: apimode.JSON, Compact: e.Compact})
			Build(f, e.Rows)
			if err := f.FinalizeResult(true); err != nil {
				t.Fatal(err)
			}
			if s.n != e.Bytes {
				t.Errorf("bytes = %d, want %d", s.n, e.Bytes)
			}
			if got := hex.EncodeToString(s.h.Sum(nil)); got != e.SHA256 {
				t.Errorf("sha256 = %s, want %s", got, e.SHA256)
			}
			if s.tooBig {
				t.Errorf("a packet exceeded MaxSend")
			}
			if want := int((e.Bytes + formatter.MaxSend - 1) / formatter.MaxSend); s.packets != want {
				t.Errorf("packets = %d, want %d", s.packets, want)
			}
		})
	}
}

// TestWorkloadTextBytes checks the text-mode workload against its pinned
// sizes, packet counts (one per row) and sha256 values.
func TestWorkloadTextBytes(t *testing.T) {
	for _, e := range ExpectedText {
		if skipRows(e.Rows) {
			continue
		}
		t.Run(fmt.Sprintf("rows=%d/mode=%d", e.Rows, e.Mode), func(t *testing.T) {
			s := &hashSink{h: sha256.New()}
			f := formatter.New(s, formatter.Options{Mode: e.Mode})
			BuildText(f, e.Rows)
			if err := f.FinalizeResult(true); err != nil {
				t.Fatal(err)
			}
			if s.n != e.Bytes || s.packets != e.Packets {
				t.Errorf("%d bytes in %d packets, want %d in %d", s.n, s.packets, e.Bytes, e.Packets)
			}
			if got := hex.EncodeToString(s.h.Sum(nil)); got != e.SHA256 {
				t.Errorf("sha256 = %s, want %s", got, e.SHA256)
			}
		})
	}
}

// appendPadded prints as %0*d does, for widths shorter and longer than
// the number.
func TestAppendPadded(t *testing.T) {
	for _, v := range []uint64{0, 1, 9, 10, 999, 1000, 1234567, 99999999, 1<<64 - 1} {
		for _, w := range []int{0, 1, 3, 7, 25} {
			if got, want := string(appendPadded([]byte("x"), v, w)), fmt.Sprintf("x%0*d", w, v); got != want {
				t.Errorf("appendPadded(%d, %d) = %q, want %q", v, w, got, want)
			}
		}
	}
}
