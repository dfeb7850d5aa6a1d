package golden

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Diff compares two packet sequences byte for byte. It returns "" if they
// are identical, and otherwise a human-readable report: the packet counts,
// the first differing packet with the offset and surroundings of its first
// differing byte, and a go-cmp diff (-want +got) of the packet texts.
func Diff(want, got [][]byte) string {
	if len(want) == len(got) {
		same := true
		for i := range want {
			if !bytes.Equal(want[i], got[i]) {
				same = false
				break
			}
		}
		if same {
			return ""
		}
	}
	var b strings.Builder
	if len(want) != len(got) {
		fmt.Fprintf(&b, "packet count: want %d, got %d\n", len(want), len(got))
	}
	for i := 0; i < len(want) && i < len(got); i++ {
		if bytes.Equal(want[i], got[i]) {
			continue
		}
		w, g := want[i], got[i]
		at := 0
		for at < len(w) && at < len(g) && w[at] == g[at] {
			at++
		}
		fmt.Fprintf(&b, "packet %d (want %d bytes, got %d): first difference at byte %d:\n\twant %s\n\t got %s\n",
			i, len(w), len(g), at, excerpt(w, at), excerpt(g, at))
		break
	}
	b.WriteString("diff of packet texts (-want +got):\n")
	b.WriteString(cmp.Diff(texts(want), texts(got)))
	return b.String()
}

// excerpt quotes p around offset at: up to 24 bytes before, 24 after.
func excerpt(p []byte, at int) string {
	const ctx = 24
	start := max(at-ctx, 0)
	end := min(at+ctx, len(p))
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	fmt.Fprintf(&b, "%q", p[start:min(at, len(p))])
	b.WriteString(" ▶ ")
	if at < len(p) {
		fmt.Fprintf(&b, "%q", p[at:end])
	} else {
		b.WriteString("(end)")
	}
	if end < len(p) {
		b.WriteString("…")
	}
	return b.String()
}

func texts(packets [][]byte) []string {
	s := make([]string, len(packets))
	for i, p := range packets {
		s[i] = string(p)
	}
	return s
}
