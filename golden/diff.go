package golden

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Diff compares two packet sequences byte for byte. It returns "" if they
// are identical, and otherwise a human-readable report: the packet counts,
// the first differing packet with the offset and surroundings of its first
// differing byte, and a line diff (-want +got) of the packets' texts.
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
	writeLineDiff(&b, lines(want), lines(got))
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

// lines splits packets into display lines: a header line per packet, then
// its text line by line (a line that is not printable UTF-8 is quoted).
func lines(packets [][]byte) []string {
	var out []string
	for i, p := range packets {
		out = append(out, fmt.Sprintf("=== packet %d (%d bytes)", i, len(p)))
		for len(p) > 0 {
			line := p
			if j := bytes.IndexByte(p, '\n'); j >= 0 {
				line = p[:j+1]
			}
			p = p[len(line):]
			out = append(out, display(line))
		}
	}
	return out
}

// display shows one line: as is if it is printable UTF-8 ending in a
// newline (the newline dropped), quoted otherwise.
func display(line []byte) string {
	body, nl := bytes.CutSuffix(line, []byte("\n"))
	printable := nl && utf8.Valid(body)
	for _, r := range string(body) {
		if !printable {
			break
		}
		printable = r == '\t' || unicode.IsPrint(r)
	}
	if printable {
		return "  " + string(body)
	}
	return "  " + strconv.Quote(string(line)) + " (quoted)"
}

// maxDiffCells bounds the table of the line diff; beyond it the changed
// block is shown as a whole.
const maxDiffCells = 1 << 20

// writeLineDiff writes a line diff of a and b: common leading and trailing
// lines are cut to three lines of context, the rest is aligned by a
// longest common subsequence ("-" only in a, "+" only in b, " " both).
func writeLineDiff(w *strings.Builder, a, b []string) {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	const ctx = 3
	if pre > ctx {
		fmt.Fprintf(w, " …(%d equal lines)\n", pre-ctx)
	}
	for _, l := range a[max(pre-ctx, 0):pre] {
		w.WriteString(" " + l + "\n")
	}
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if (len(ma)+1)*(len(mb)+1) > maxDiffCells {
		for _, l := range ma {
			w.WriteString("-" + l + "\n")
		}
		for _, l := range mb {
			w.WriteString("+" + l + "\n")
		}
	} else {
		// lcs[i][j]: length of the longest common subsequence of ma[i:]
		// and mb[j:].
		n, m := len(ma), len(mb)
		lcs := make([]int, (n+1)*(m+1))
		at := func(i, j int) int { return lcs[i*(m+1)+j] }
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				v := max(at(i+1, j), at(i, j+1))
				if ma[i] == mb[j] {
					v = at(i+1, j+1) + 1
				}
				lcs[i*(m+1)+j] = v
			}
		}
		i, j := 0, 0
		for i < n || j < m {
			switch {
			case i < n && j < m && ma[i] == mb[j]:
				w.WriteString(" " + ma[i] + "\n")
				i, j = i+1, j+1
			case i < n && (j == m || at(i+1, j) >= at(i, j+1)):
				w.WriteString("-" + ma[i] + "\n")
				i++
			default:
				w.WriteString("+" + mb[j] + "\n")
				j++
			}
		}
	}
	tail := a[len(a)-suf:]
	for _, l := range tail[:min(ctx, len(tail))] {
		w.WriteString(" " + l + "\n")
	}
	if len(tail) > ctx {
		fmt.Fprintf(w, " …(%d equal lines)\n", len(tail)-ctx)
	}
}
