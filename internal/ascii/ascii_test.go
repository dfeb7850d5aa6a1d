package ascii

import "testing"

func TestEqualFold(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"json", "JSON", true},
		{"JsOn", "jSoN", true},
		{"", "", true},
		{"ü", "ü", true},
		{"jſon", "json", false}, // U+017F LATIN SMALL LETTER LONG S
		{"Ü", "ü", false},
		{"K", "\u212a", false}, // KELVIN SIGN
		{"[", "{", false},      // differ by 0x20 but are not letters
		{"@", "`", false},
		{"json", "jso", false},
		{"a\x00", "A\x00", true},
	}
	for _, tt := range tests {
		if got := EqualFold(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestHasPrefixFold(t *testing.T) {
	tests := []struct {
		s, prefix string
		want      bool
	}{
		{"version", "VER", true},
		{"version", "", true},
		{"ver", "version", false},
		{"ſtatus", "st", false},
		{"Director", "dir", true},
	}
	for _, tt := range tests {
		if got := HasPrefixFold(tt.s, tt.prefix); got != tt.want {
			t.Errorf("HasPrefixFold(%q, %q) = %v, want %v", tt.s, tt.prefix, got, tt.want)
		}
	}
}
