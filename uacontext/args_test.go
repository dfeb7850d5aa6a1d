package uacontext

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
)

func kv(k, v string) Arg { return Arg{Key: k, Value: v, HasValue: true} }
func k(k string) Arg     { return Arg{Key: k} }

func TestParseArgs(t *testing.T) {
	many := strings.Repeat("w ", 40)
	var want30 []Arg
	for range 30 {
		want30 = append(want30, k("w"))
	}
	tests := []struct {
		line string
		want []Arg
	}{
		{"", nil},
		{"   \t  ", nil},
		{"\n", nil},
		{"list jobs", []Arg{k("list"), k("jobs")}},
		{"  list   jobs  \r\n", []Arg{k("list"), k("jobs")}},
		{"list\tjobs\v\f", []Arg{k("list"), k("jobs")}},
		{"a=b c= d", []Arg{kv("a", "b"), kv("c", ""), k("d")}},
		{"a=b=c", []Arg{kv("a", "b=c")}},
		{"=x", []Arg{kv("", "x")}},
		{".jobstatus=T", []Arg{kv(".jobstatus", "T")}},
		{`x "a b" c`, []Arg{k("x"), k("a b"), k("c")}},
		{`a"b c"d`, []Arg{k("ab cd")}},
		{`where="/tmp/a b"`, []Arg{kv("where", "/tmp/a b")}},
		{`x "unterminated  quote  `, []Arg{k("x"), k("unterminated  quote")}},
		{`a\ b c`, []Arg{k("a b"), k("c")}},
		{`a\"b`, []Arg{k(`a"b`)}},
		{`a\\b`, []Arg{k(`a\b`)}},
		{`ab\`, []Arg{k("ab")}},
		{`list "" jobs`, []Arg{k("list")}},
		{`""`, nil},
		{"whoami\x00garbage", []Arg{k("whoami")}},
		{"\x00whoami", nil},
		{"Case KEY=Value", []Arg{k("Case"), kv("KEY", "Value")}},
		{"a\xffb ü", []Arg{k("a\xffb"), k("ü")}},
		{many, want30},
	}
	for _, tt := range tests {
		got := ParseArgs(tt.line)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseArgs(%q) mismatch (-want +got):\n%s", tt.line, diff)
		}
	}
}

func TestParseArgsOnly(t *testing.T) {
	got := ParseArgsOnly(`restore file=/a=b "c d"`)
	want := []string{"restore", "file=/a=b", "c d"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseArgsOnly mismatch (-want +got):\n%s", diff)
	}
}

// TestASCIIFolding checks that .api, command lookup and argument
// keywords ignore the case of ASCII letters only, as the Director's
// strcasecmp does: U+017F (long s) and U+212A (Kelvin sign), which
// Unicode folds to s and k, match nothing.
func TestASCIIFolding(t *testing.T) {
	ua, r := newTestUA(apimode.Off)
	ctx := context.Background()
	if err := ua.Execute(ctx, ".api jſon"); err == nil || ua.Mode() != apimode.Off {
		t.Errorf(".api jſon: err %v, mode %v; want a failure and mode 0", err, ua.Mode())
	}
	if err := ua.Execute(ctx, ".api JSON compact=yeſ"); err != nil || ua.Mode() != apimode.JSON || ua.Formatter().Compact() {
		t.Errorf(".api JSON compact=yeſ: err %v, mode %v, compact %v; want mode 2 and compact off", err, ua.Mode(), ua.Formatter().Compact())
	}
	ua.Execute(ctx, ".api 0")
	r.take()
	if err := ua.Execute(ctx, "VERſion"); !errors.Is(err, ErrInvalidCommand) {
		t.Errorf("VERſion: err %v, want an invalid command", err)
	}
	if err := ua.Execute(ctx, "VER"); err != nil {
		t.Errorf("VER: %v", err)
	}
	r.take()
	ua.Args = ParseArgs("x ON \u212aey=1")
	if i := ua.FindArg("on"); i != 1 {
		t.Errorf("FindArg(on) = %d, want 1", i)
	}
	ua.Args = ParseArgs("x \u212aey=1")
	if i := ua.FindArg("key"); i != -1 {
		t.Errorf("FindArg(key) matched the Kelvin sign: %d", i)
	}
	if i := ua.FindArgKeyword("ſ", "k"); i != -1 {
		t.Errorf("FindArgKeyword matched a non-ASCII fold: %d", i)
	}
}
