package formatter

import (
	"math"
	"strconv"
	"testing"
)

// The cached formats print exactly what appendOne prints, and formats of
// any other shape are left to appendOne.
func TestTextFormatCache(t *testing.T) {
	formats := []string{
		"%s", "%s: ", "| %-13s ", "%16s: ", "%-5.3s|", "%.0s", "%.10s", "%06s", "%-s", "<%s>%%",
		"%d", "%d\n", "| %5d ", "%-8d|", "%05d", "%-05d", "%.3d", "%8.5d", "%.0d", "%0.0d", "%020d",
		"plain text", "50%% off", "%", "abc%", "%ld", "%lld", "%i", "%u", "%zu", "%+d", "% d", "%#x",
		"%*d", "%-*s", "%.*s", "%s%s", "%d %d", "%s %%", "%q", "%v", "%x", "%5.2f",
	}
	strs := []string{"", "a", "hello world", "\xff\xfe", "é", Null, "12345678901234567890"}
	ints := []int64{0, 1, -1, 7, -42, 1 << 40, math.MaxInt64, math.MinInt64}
	var c formatCache
	for _, format := range formats {
		for range 2 { // parsed, then cached
			e := c.get(format)
			for _, s := range strs {
				want := string(appendOne([]byte("x"), format, true, s, 0, false))
				if got, ok := e.appendStr([]byte("x"), s); ok && string(got) != want {
					t.Errorf("%q with %q: %q, appendOne %q", format, s, got, want)
				}
			}
			for _, v := range ints {
				u, neg := uint64(v), v < 0
				if neg {
					u = uint64(-v)
				}
				want := string(appendOne([]byte("x"), format, false, "", u, neg))
				if got, ok := e.appendInt([]byte("x"), u, neg); ok && string(got) != want {
					t.Errorf("%q with %d: %q, appendOne %q", format, v, got, want)
				}
			}
		}
	}
	// The common shapes do take the cached path.
	for _, format := range []string{"%s: ", "| %-13s ", "%16s: ", "%.3s", "plain"} {
		if _, ok := c.get(format).appendStr(nil, "v"); !ok {
			t.Errorf("%q is not cached for strings", format)
		}
	}
	for _, format := range []string{"%d\n", "| %5d ", "%05d", "%-8.3d|", "plain"} {
		if _, ok := c.get(format).appendInt(nil, 5, false); !ok {
			t.Errorf("%q is not cached for integers", format)
		}
	}
	for _, format := range []string{"%ld", "%i", "%u", "%*d", "%s%s", "%%d", "%+d", "abc%"} {
		if c.get(format).simple {
			t.Errorf("%q is cached; it must go to appendOne", format)
		}
	}
}

// Formats that share a slot replace each other and still print right.
func TestTextFormatCacheCollisions(t *testing.T) {
	var c formatCache
	for round := range 3 {
		for w := range 200 {
			format := "%" + strconv.Itoa(w) + "s|" // built anew: a new address each round
			want := string(appendOne(nil, format, true, "ab", 0, false))
			if got, ok := c.get(format).appendStr(nil, "ab"); !ok || string(got) != want {
				t.Fatalf("round %d: %q gives %q, %v; want %q", round, format, got, ok, want)
			}
		}
	}
}

// The kept text of keys stays right when many keys and formats share the
// slots, and for keys whose text is too long to keep.
func TestTextKeyCache(t *testing.T) {
	f := New(SinkFunc(func([]byte) error { return nil }), Options{Mode: 0})
	formats := []string{"%s: ", "%16s: ", "| %-13s ", "%s=", "%.2s|", "%40s"}
	var keys []string
	for i := range 300 {
		keys = append(keys, "key"+strconv.Itoa(i))
	}
	keys = append(keys, Null, "", "a very long key that does not fit a block of 32 bytes")
	for round := range 3 {
		for _, k := range keys {
			for _, format := range formats {
				f.text = f.text[:0]
				f.textKey(format, k)
				if want := string(appendOne(nil, format, true, k, 0, false)); string(f.text) != want {
					t.Fatalf("round %d: %q with %q: %q, want %q", round, format, k, f.text, want)
				}
			}
		}
	}
}
