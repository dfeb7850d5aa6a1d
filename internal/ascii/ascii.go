// Package ascii holds the case-insensitive comparisons of the Director,
// which uses C strcasecmp and strncasecmp in the C locale: only the ASCII
// letters A-Z and a-z compare equal across case, every other byte must be
// equal. (strings.EqualFold folds Unicode: it takes "jſon", with U+017F,
// for "json", which the Director does not.)
package ascii

// lower maps an ASCII upper-case letter to lower case.
func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// EqualFold reports whether a and b are equal ignoring the case of ASCII
// letters (strcasecmp(a, b) == 0).
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if lower(a[i]) != lower(b[i]) {
			return false
		}
	}
	return true
}

// HasPrefixFold reports whether prefix is a prefix of s ignoring the case
// of ASCII letters (strncasecmp(s, prefix, strlen(prefix)) == 0).
func HasPrefixFold(s, prefix string) bool {
	return len(prefix) <= len(s) && EqualFold(s[:len(prefix)], prefix)
}
