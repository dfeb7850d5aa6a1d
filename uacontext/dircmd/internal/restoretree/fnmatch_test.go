package restoretree

import (
	"strings"
	"testing"
)

// refMatch is a direct recursive matcher with the Director's fnmatch
// semantics (flags 0), including its recursion limit: the oracle for
// Pattern. It takes exponential time on some inputs; tests keep them
// small.
func refMatch(pattern, name string) bool {
	return refRec(cString(pattern), cString(name), 64) == 0
}

// refRec returns 0 for a match, 1 for no match, -1 for "too deep".
func refRec(p, s string, recur int) int {
	if recur <= 0 {
		return -1
	}
	recur--
	for {
		if p == "" {
			if s == "" {
				return 0
			}
			return 1
		}
		c := p[0]
		p = p[1:]
		switch c {
		case '?':
			if s == "" {
				return 1
			}
			s = s[1:]
			continue
		case '*':
			for p != "" && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return 0
			}
			for s != "" {
				if e := refRec(p, s, recur); e != 1 {
					return e
				}
				s = s[1:]
			}
			return 1
		case '[':
			if s == "" {
				return 1
			}
			switch r, rest := refRange(p, s[0]); r {
			case 1:
				p = rest
				s = s[1:]
				continue
			case 0:
				return 1
			}
			// a bad range: '[' is an ordinary byte
		case '\\':
			if p != "" {
				c = p[0]
				p = p[1:]
			}
		}
		if s == "" || s[0] != c {
			return 1
		}
		s = s[1:]
	}
}

// refRange returns 1 (match, with the rest of the pattern), 0 (no match)
// or -1 (not a bracket expression).
func refRange(p string, test byte) (int, string) {
	at := func(i int) byte {
		if i < len(p) {
			return p[i]
		}
		return 0
	}
	i := 0
	negate := at(0) == '!' || at(0) == '^'
	if negate {
		i++
	}
	ok := false
	c := at(i)
	i++
	for {
		if c == '\\' {
			c = at(i)
			i++
		}
		if c == 0 {
			return -1, ""
		}
		if at(i) == '-' && at(i+1) != 0 && at(i+1) != ']' {
			c2 := at(i + 1)
			i += 2
			if c2 == '\\' {
				c2 = at(i)
				i++
			}
			if c2 == 0 {
				return -1, ""
			}
			if int8(c) <= int8(test) && int8(test) <= int8(c2) {
				ok = true
			}
		} else if c == test {
			ok = true
		}
		c = at(i)
		i++
		if c == ']' {
			break
		}
	}
	if ok == negate {
		return 0, ""
	}
	return 1, p[i:]
}

func TestFnmatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"*", "", true},
		{"*", "anything/at all", true},
		{"*", ".bashrc", true},
		{"?", "", false},
		{"?", "a", true},
		{"a*b", "ab", true},
		{"a*b", "axxb", true},
		{"a*b", "axxbc", false},
		{"*.conf", "nginx.conf", true},
		{"*.conf", "nginx.conf.bak", false},
		{"data-00000[1-3].bin", "data-0000002.bin", false},
		{"data-000000[1-3].bin", "data-0000002.bin", true},
		{"[!a]*", "abc", false},
		{"[^a]*", "bcd", true},
		{"[]]", "]", true},
		{"[]-a]", "^", true},
		{"[a-]", "-", true},
		{"[abc", "[abc", true}, // no closing bracket: literal
		{"[abc", "a", false},
		{"\\*", "*", true},
		{"\\*", "a", false},
		{"a\\", "a\\", true},
		{"[\\]]", "]", true},
		{"R*sum*", "résumé.pdf", false},
		{"r*sum*", "résumé.pdf", true},
		{"[\x80-\xff]*", "é", true},                                // signed chars: 0x80..-1 holds 0xc3
		{"[a-\xff]*", "é", false},                                  // 'a' (97) .. -1 is an empty range
		{"x\x00yz", "x", true},                                     // C strings end at NUL
		{strings.Repeat("*", 80), "abc", true},                     // one group of stars
		{strings.Repeat("*a", 64), strings.Repeat("a", 64), false}, // 64 groups: recursion limit
		{strings.Repeat("*a", 63), strings.Repeat("a", 63), true},
	}
	for _, tt := range tests {
		if got := Fnmatch(tt.pattern, tt.name); got != tt.want {
			t.Errorf("Fnmatch(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
		if len(tt.pattern) < 70 || !strings.Contains(tt.pattern, "*a") {
			if ref := refMatch(tt.pattern, tt.name); ref != tt.want {
				t.Errorf("reference(%q, %q) = %v, want %v", tt.pattern, tt.name, ref, tt.want)
			}
		}
	}
}

// TestFnmatchLinear checks that a pattern that makes a recursive matcher
// take exponential time is answered at once.
func TestFnmatchLinear(t *testing.T) {
	p := Compile(strings.Repeat("*a", 30) + "b")
	name := strings.Repeat("a", 4000)
	for range 10 {
		if p.Match(name) {
			t.Fatal("matched")
		}
	}
}

func FuzzFnmatch(f *testing.F) {
	for _, s := range [][2]string{{"*.c", "main.c"}, {"[a-c]?x", "bzx"}, {"[!]x]*", "y"}, {"\\[*", "[a"}, {"a*b*c", "aXbYc"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, pattern, name string) {
		if len(name) > 40 || strings.Count(pattern, "*") > 4 || len(pattern) > 40 {
			return // keep the recursive oracle fast
		}
		if got, want := Fnmatch(pattern, name), refMatch(pattern, name); got != want {
			t.Fatalf("Fnmatch(%q, %q) = %v, reference %v", pattern, name, got, want)
		}
	})
}
