package apimode_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/uaformat/uaformat/apimode"
)

func TestParseMode(t *testing.T) {
	tests := []struct {
		word string
		want apimode.Mode
		ok   bool
	}{
		{"0", apimode.Off, true},
		{"off", apimode.Off, true},
		{"OFF", apimode.Off, true},
		{"oFf", apimode.Off, true},
		{"1", apimode.On, true},
		{"on", apimode.On, true},
		{"ON", apimode.On, true},
		{"On", apimode.On, true},
		{"2", apimode.JSON, true},
		{"json", apimode.JSON, true},
		{"JSON", apimode.JSON, true},
		{"Json", apimode.JSON, true},

		{"", apimode.Off, false},
		{"3", apimode.Off, false},
		{"-1", apimode.Off, false},
		{"00", apimode.Off, false},
		{"01", apimode.Off, false},
		{" 1", apimode.Off, false},
		{"1 ", apimode.Off, false},
		{"o", apimode.Off, false},
		{"offf", apimode.Off, false},
		{"js", apimode.Off, false},
		{"jsonx", apimode.Off, false},
		{"true", apimode.Off, false},
		{"yes", apimode.Off, false},
		{"compact", apimode.Off, false},
		{"2=x", apimode.Off, false}, // ParseMode gets a keyword, not a raw word
		{"\u0130N", apimode.Off, false},
		{"ſon", apimode.Off, false},
		// Only ASCII letters fold, as with C strcasecmp: U+017F (long s)
		// and U+212A (Kelvin) fold to s and k in Unicode, not here.
		{"jſon", apimode.Off, false},
		{"\x00", apimode.Off, false},
		{"\xff", apimode.Off, false},
	}
	for _, tt := range tests {
		got, err := apimode.ParseMode(tt.word)
		if tt.ok {
			if err != nil || got != tt.want {
				t.Errorf("ParseMode(%q) = %v, %v; want %v, nil", tt.word, got, err, tt.want)
			}
			continue
		}
		if !errors.Is(err, apimode.ErrInvalid) {
			t.Errorf("ParseMode(%q) = %v, %v; want ErrInvalid", tt.word, got, err)
		}
	}
}

// args returns the words of a command line.
func args(words ...string) []string { return words }

func TestParse(t *testing.T) {
	on := apimode.Request{Mode: apimode.On}
	off := apimode.Request{Mode: apimode.Off}
	json := apimode.Request{Mode: apimode.JSON, Batch: true}
	jsonC := func(c apimode.Compact) apimode.Request {
		r := json
		r.Compact = c
		return r
	}
	tests := []struct {
		name string
		args []string
		want apimode.Request
		ok   bool
	}{
		{"no args at all", nil, on, true},
		{"command word only", args(".api"), on, true},
		{"0", args(".api", "0"), off, true},
		{"off", args(".api", "off"), off, true},
		{"OFF", args(".api", "OFF"), off, true},
		{"1", args(".api", "1"), on, true},
		{"on", args(".api", "on"), on, true},
		{"On", args(".api", "On"), on, true},
		{"2", args(".api", "2"), json, true},
		{"json", args(".api", "json"), json, true},
		{"JSON", args(".api", "JSON"), json, true},
		{"mode word value ignored", args(".api", "json=whatever"), json, true},
		{"mode word empty value", args(".api", "off="), off, true},

		{"compact=yes", args(".api", "2", "compact=yes"), jsonC(apimode.CompactOn), true},
		{"compact=YES", args(".api", "json", "compact=YES"), jsonC(apimode.CompactOn), true},
		{"COMPACT=Yes", args(".api", "json", "COMPACT=Yes"), jsonC(apimode.CompactOn), true},
		{"compact=no", args(".api", "2", "compact=no"), jsonC(apimode.CompactOff), true},
		{"compact=NO", args(".api", "2", "compact=NO"), jsonC(apimode.CompactOff), true},
		// The Director's user bool parser rejects the deprecated spellings,
		// and a rejected value turns compact off.
		{"compact=true", args(".api", "2", "compact=true"), jsonC(apimode.CompactOff), true},
		{"compact=1", args(".api", "2", "compact=1"), jsonC(apimode.CompactOff), true},
		{"compact=y", args(".api", "2", "compact=y"), jsonC(apimode.CompactOff), true},
		{"compact=yess", args(".api", "2", "compact=yess"), jsonC(apimode.CompactOff), true},
		{"compact empty value", args(".api", "2", "compact="), jsonC(apimode.CompactOff), true},
		{"compact=yes=no", args(".api", "2", "compact=yes=no"), jsonC(apimode.CompactOff), true},
		{"compact missing value", args(".api", "2", "compact"), json, true},
		{"other third word", args(".api", "2", "verbose=yes"), json, true},
		{"other third word no value", args(".api", "2", "yes"), json, true},
		{"compactx=yes", args(".api", "2", "compactx=yes"), json, true},
		{"compact=yeſ is not yes", args(".api", "2", "compact=yeſ"), jsonC(apimode.CompactOff), true},
		{"compaſt is not compact", args(".api", "2", "compaſt=yes"), json, true},
		{"jſon is not json", args(".api", "jſon"), apimode.Request{}, false},

		// compact is only honoured together with mode JSON.
		{"compact with on", args(".api", "1", "compact=yes"), on, true},
		{"compact with off", args(".api", "off", "compact=no"), off, true},
		{"compact as second word", args(".api", "compact=yes"), apimode.Request{}, false},

		{"four words", args(".api", "2", "compact=yes", "x"), apimode.Request{}, false},
		{"five words", args(".api", "1", "a", "b", "c"), apimode.Request{}, false},
		{"bad mode", args(".api", "3"), apimode.Request{}, false},
		{"bad mode with compact", args(".api", "jso", "compact=yes"), apimode.Request{}, false},
		{"empty mode word", args(".api", ""), apimode.Request{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := apimode.Parse(tt.args)
			if !tt.ok {
				if !errors.Is(err, apimode.ErrInvalid) {
					t.Fatalf("Parse = %+v, %v; want ErrInvalid", got, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", d)
			}
		})
	}
}

func TestParseLine(t *testing.T) {
	tests := []struct {
		line string
		want apimode.Request
		ok   bool
	}{
		{"", apimode.Request{Mode: apimode.On}, true},
		{".api", apimode.Request{Mode: apimode.On}, true},
		{".api 0", apimode.Request{Mode: apimode.Off}, true},
		{".api  json   compact=yes ", apimode.Request{Mode: apimode.JSON, Compact: apimode.CompactOn, Batch: true}, true},
		{".api 2 compact=", apimode.Request{Mode: apimode.JSON, Compact: apimode.CompactOff, Batch: true}, true},
		{".api 2 compact", apimode.Request{Mode: apimode.JSON, Batch: true}, true},
		{".api 2 compact=yes more", apimode.Request{}, false},
		{".api nope", apimode.Request{}, false},
	}
	for _, tt := range tests {
		got, err := apimode.ParseLine(tt.line)
		if !tt.ok {
			if !errors.Is(err, apimode.ErrInvalid) {
				t.Errorf("ParseLine(%q) = %+v, %v; want ErrInvalid", tt.line, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLine(%q): %v", tt.line, err)
			continue
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ParseLine(%q) mismatch (-want +got):\n%s", tt.line, d)
		}
	}
}

func TestModeString(t *testing.T) {
	tests := []struct {
		m    apimode.Mode
		want string
	}{
		{apimode.Off, "0"},
		{apimode.On, "1"},
		{apimode.JSON, "2"},
		{3, "Mode(3)"},
		{255, "Mode(255)"},
	}
	for _, tt := range tests {
		if got := tt.m.String(); got != tt.want {
			t.Errorf("Mode(%d).String() = %q, want %q", uint8(tt.m), got, tt.want)
		}
	}
}

func TestModeValid(t *testing.T) {
	for m := 0; m < 256; m++ {
		want := m <= 2
		if got := apimode.Mode(m).Valid(); got != want {
			t.Errorf("Mode(%d).Valid() = %v, want %v", m, got, want)
		}
	}
	// Every valid mode round-trips through its String form.
	for _, m := range []apimode.Mode{apimode.Off, apimode.On, apimode.JSON} {
		got, err := apimode.ParseMode(m.String())
		if err != nil || got != m {
			t.Errorf("ParseMode(%q) = %v, %v; want %v", m.String(), got, err, m)
		}
	}
}

func TestErrorContext(t *testing.T) {
	_, err := apimode.ParseMode("bogus")
	if err == nil || !errors.Is(err, apimode.ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "bogus") {
		t.Errorf("error %q does not name the bad word", msg)
	}
}
