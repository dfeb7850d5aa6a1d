package formatter

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// putDec prints as strconv does, at every digit count.
func TestPutDec(t *testing.T) {
	vals := []uint64{0, 1, 9, 10, 99, 100, math.MaxUint32, math.MaxUint64, math.MaxUint64 - 1, 1 << 63}
	for p := uint64(10); p <= 1e19; p *= 10 {
		vals = append(vals, p-1, p, p+1)
		if p > math.MaxUint64/10 {
			break
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		vals = append(vals, r.Uint64()>>r.UintN(64))
	}
	var buf [28]byte
	for _, v := range vals {
		want := strconv.FormatUint(v, 10)
		if n := putDec(buf[:], v); string(buf[:n]) != want {
			t.Fatalf("putDec(%d) = %q", v, buf[:n])
		}
	}
}

// clean accepts exactly the strings of printable ASCII without '"' and
// '\\', whatever the position of a bad byte in its eight-byte word.
func TestClean(t *testing.T) {
	slow := func(s string) bool {
		for i := 0; i < len(s); i++ {
			if c := s[i]; c < 0x20 || c >= 0x80 || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	}
	for n := range 20 {
		for pos := range n {
			for c := range 256 {
				b := []byte("abcdefghijklmnopqrstuvwxyz"[:n])
				b[pos] = byte(c)
				if got, want := clean(string(b)), slow(string(b)); got != want {
					t.Fatalf("clean(%q) = %v", b, got)
				}
			}
		}
	}
}

// Tokens decode to what was stored, keys beyond the header's range
// included.
func TestTokenRoundTrip(t *testing.T) {
	a := arena{tune: &defaultTuning}
	a.reset()
	keys := []uint32{0, 1, keyEsc - 1, keyEsc, keyEsc + 1, 1000, math.MaxUint32}
	nums := []uint64{0, 127, 128, 1<<63 + 5, math.MaxUint64}
	for _, k := range keys {
		for _, v := range nums {
			a.putUint(tInt, k, true, v)
			a.putUint(tNeg, k, false, v)
		}
		putStr(&a, k, true, "str")
		a.put(tTrue, k, true)
	}
	r := a.reader()
	for _, k := range keys {
		for _, v := range nums {
			if tk, ok := r.next(true); !ok || tk.tag != tInt || tk.key != k || tk.num != v {
				t.Fatalf("key %d, %d: got %+v", k, v, tk)
			}
			if tk, ok := r.next(false); !ok || tk.tag != tNeg || tk.num != v {
				t.Fatalf("item %d: got %+v", v, tk)
			}
		}
		if tk, ok := r.next(true); !ok || tk.tag != tStr || tk.key != k || string(tk.str) != "str" {
			t.Fatalf("key %d string: got %+v", k, tk)
		}
		if tk, ok := r.next(true); !ok || tk.tag != tTrue || tk.key != k {
			t.Fatalf("key %d true: got %+v", k, tk)
		}
	}
	if tk, ok := r.next(true); ok {
		t.Fatalf("after the end: %+v", tk)
	}
}

// populate leaves any slice of fresh memory usable and zero, whatever its
// length and alignment.
func TestPopulate(t *testing.T) {
	for _, n := range []int{0, 1, 4095, 8192, 1<<20 + 3} {
		for _, off := range []int{0, 1, 4095} {
			b := make([]byte, n+off)[off:]
			populate(b)
			for i, c := range b {
				if c != 0 {
					t.Fatalf("n %d, off %d: byte %d is %d", n, off, i, c)
				}
				b[i] = byte(i)
			}
		}
	}
}
