package uacontext

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
)

func kv(k, v string) apimode.Arg { return apimode.Arg{Key: k, Value: v, HasValue: true} }
func k(k string) apimode.Arg     { return apimode.Arg{Key: k} }

func TestParseArgs(t *testing.T) {
	many := strings.Repeat("w ", 40)
	var want30 []apimode.Arg
	for range 30 {
		want30 = append(want30, k("w"))
	}
	tests := []struct {
		line string
		want []apimode.Arg
	}{
		{"", nil},
		{"   \t  ", nil},
		{"\n", nil},
		{"list jobs", []apimode.Arg{k("list"), k("jobs")}},
		{"  list   jobs  \r\n", []apimode.Arg{k("list"), k("jobs")}},
		{"list\tjobs\v\f", []apimode.Arg{k("list"), k("jobs")}},
		{"a=b c= d", []apimode.Arg{kv("a", "b"), kv("c", ""), k("d")}},
		{"a=b=c", []apimode.Arg{kv("a", "b=c")}},
		{"=x", []apimode.Arg{kv("", "x")}},
		{".jobstatus=T", []apimode.Arg{kv(".jobstatus", "T")}},
		{`x "a b" c`, []apimode.Arg{k("x"), k("a b"), k("c")}},
		{`a"b c"d`, []apimode.Arg{k("ab cd")}},
		{`where="/tmp/a b"`, []apimode.Arg{kv("where", "/tmp/a b")}},
		{`x "unterminated  quote  `, []apimode.Arg{k("x"), k("unterminated  quote")}},
		{`a\ b c`, []apimode.Arg{k("a b"), k("c")}},
		{`a\"b`, []apimode.Arg{k(`a"b`)}},
		{`a\\b`, []apimode.Arg{k(`a\b`)}},
		{`ab\`, []apimode.Arg{k("ab")}},
		{`list "" jobs`, []apimode.Arg{k("list")}},
		{`""`, nil},
		{"whoami\x00garbage", []apimode.Arg{k("whoami")}},
		{"\x00whoami", nil},
		{"Case KEY=Value", []apimode.Arg{k("Case"), kv("KEY", "Value")}},
		{"a\xffb ü", []apimode.Arg{k("a\xffb"), k("ü")}},
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

func TestEqualFoldIsASCII(t *testing.T) {
	if !equalFold("LiSt", "list") {
		t.Error("ASCII fold failed")
	}
	// strings.EqualFold would accept the Kelvin sign for k.
	if equalFold("\u212aey", "key") {
		t.Error("non-ASCII fold accepted")
	}
}
