package uacontext

// MaxArgs is the largest number of words the Director keeps from one
// command line (MAX_CMD_ARGS). Further words are dropped without notice.
const MaxArgs = 30

// Arg is one parsed command-line argument: a keyword and an optional value,
// as the Director splits "key=value" words (see ParseArgs).
type Arg struct {
	Key      string
	Value    string
	HasValue bool // "key=" has an empty value, "key" none
}

// String returns the word as typed: "key" or "key=value".
func (a Arg) String() string {
	if a.HasValue {
		return a.Key + "=" + a.Value
	}
	return a.Key
}

// ParseArgs splits a command line into arguments exactly as the Director
// does before it runs a command.
//
// The line is taken as a C string (it ends at the first NUL byte); trailing
// newlines, carriage returns and spaces are removed. Words are separated by
// ASCII white space. A backslash makes the next byte literal (a trailing
// backslash is dropped); a double quote is removed and toggles quoting, in
// which white space belongs to the word. The scan stops at the first empty
// word (so `a "" b` yields only `a`) and after MaxArgs words. Each word is
// then split at its first '=' into Key and Value; HasValue tells "a" (no
// value) from "a=" (empty value). Nothing is case-folded.
//
// ParseArgs never fails; an empty or blank line gives no arguments.
func ParseArgs(line string) []Arg {
	return appendArgs(nil, line)
}

// ParseArgsOnly is ParseArgs without the split at '=': it returns the
// words whole (the Director's ParseArgsOnly, used where words are file
// names).
func ParseArgsOnly(line string) []string {
	var words []string
	scanWords(line, func(w string) { words = append(words, w) })
	return words
}

func appendArgs(dst []Arg, line string) []Arg {
	scanWords(line, func(w string) {
		a := Arg{Key: w}
		for i := 0; i < len(w); i++ {
			if w[i] == '=' {
				a = Arg{Key: w[:i], Value: w[i+1:], HasValue: true}
				break
			}
		}
		dst = append(dst, a)
	})
	return dst
}

// cString returns s up to its first NUL byte.
func cString(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			return s[:i]
		}
	}
	return s
}

// isSpace is C isspace for ASCII in the C locale.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// stripTrailingJunk removes trailing '\n', '\r' and ' ' (not tabs).
func stripTrailingJunk(s string) string {
	n := len(s)
	for n > 0 && (s[n-1] == '\n' || s[n-1] == '\r' || s[n-1] == ' ') {
		n--
	}
	return s[:n]
}

// scanWords calls yield for each word of line, following the Director's
// next_arg rules, at most MaxArgs times.
func scanWords(line string, yield func(string)) {
	s := stripTrailingJunk(cString(line))
	p := 0
	buf := make([]byte, 0, len(s))
	for count := 0; count < MaxArgs; count++ {
		for p < len(s) && isSpace(s[p]) {
			p++
		}
		buf = buf[:0]
		inQuote := false
	word:
		for p < len(s) {
			c := s[p]
			switch {
			case c == '\\':
				p++
				if p < len(s) {
					buf = append(buf, s[p])
					p++
				}
			case c == '"':
				p++
				inQuote = !inQuote
			case !inQuote && isSpace(c):
				p++
				break word
			default:
				buf = append(buf, c)
				p++
			}
		}
		if len(buf) == 0 {
			return
		}
		yield(string(buf))
	}
}
