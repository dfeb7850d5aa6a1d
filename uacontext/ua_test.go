package uacontext

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
)

// recorder is a Conn that records packets: data as text, signals by name.
type recorder struct{ pkts []string }

func (r *recorder) Send(p []byte) error { r.pkts = append(r.pkts, string(p)); return nil }
func (r *recorder) Signal(s bsock.Signal) error {
	r.pkts = append(r.pkts, s.String())
	return nil
}

func (r *recorder) take() []string {
	p := r.pkts
	r.pkts = nil
	return p
}

func TestSprintf(t *testing.T) {
	tests := []struct {
		format string
		args   []any
		want   string
	}{
		{"%s: is an invalid command.\n", []any{"x"}, "x: is an invalid command.\n"},
		{"%-6s|", []any{"äöü"}, "äöü|"},
		{"%-7s|", []any{"äöü"}, "äöü |"},
		{"%5s|%-5s|", []any{"ab", "cd"}, "   ab|cd   |"},
		{"%.2s", []any{"ä"}, "ä"},
		{"%.1s", []any{"ä"}, "\xc3"},
		{"%s", []any{formatter.Null}, "(null)"},
		{"%d%%", []any{42}, "42%"},
		{"%05d", []any{-42}, "-0042"},
		{"%5d|%-5d|", []any{uint64(7), int8(-7)}, "    7|-7   |"},
		{"%.3d", []any{5}, "005"},
		{"%x %v", []any{255, true}, "ff true"},
		{"%d", []any{"str"}, "%!d(string=str)"},
		{"%s %s", []any{"a"}, "a %!s(MISSING)"},
		{"%s", []any{"a", 1}, "a"},
		{"100%", nil, "100%!(NOVERB)"},
	}
	for _, tt := range tests {
		if got := formatter.Sprintf(tt.format, tt.args...); got != tt.want {
			t.Errorf("Sprintf(%q, %v) = %q, want %q", tt.format, tt.args, got, tt.want)
		}
	}
}

func newTestUA(api apimode.Mode) (*UA, *recorder) {
	r := &recorder{}
	ua := NewUA(r, Options{Director: testDirector})
	ua.SetMode(api)
	return ua, r
}

func TestMessaging(t *testing.T) {
	tests := []struct {
		api  apimode.Mode
		want []string
	}{
		{apimode.Off, []string{"buffered", "plain 1\n", "info\n", "warning\n", "error\n", "oops\nUSAGE: version \n", "tail"}},
		{apimode.On, []string{"buffered", "plain 1\n", "BNET_INFO_MSG", "info\n", "BNET_WARNING_MSG", "warning\n", "BNET_ERROR_MSG", "error\n", "oops\nUSAGE: version \n", "tail"}},
		{apimode.JSON, []string{"BNET_INFO_MSG", "BNET_WARNING_MSG", "BNET_ERROR_MSG",
			`{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{"k":"tail"},"messages":{"info":["info\n"],"warning":["warning\n"],"error":["error\n"]}}}}`}},
	}
	for _, tt := range tests {
		ua, r := newTestUA(tt.api)
		ua.Formatter().SetCompact(true)
		ver, _ := Reference("version")
		ua.current = &ver
		ua.Formatter().KVString("k", null, "buffered", "%s")
		ua.SendMsg("plain %d\n", 1)
		ua.InfoMsg("info\n")
		ua.WarningMsg("%s\n", "warning")
		ua.ErrorMsg("error\n")
		ua.SendCmdUsage("oops")
		ua.Formatter().KVString("k", null, "tail", "%s")
		ua.Formatter().FinalizeResult(true)
		if diff := cmp.Diff(tt.want, r.take()); diff != "" {
			t.Errorf("mode %v (-want +got):\n%s", tt.api, diff)
		}
	}
}

func TestSendCmdUsageWithoutUsage(t *testing.T) {
	ua, r := newTestUA(apimode.Off)
	ua.SendCmdUsage("no command")
	dot, _ := Reference(".catalogs") // NULL usage
	ua.current = &dot
	ua.SendCmdUsage("null usage")
	if diff := cmp.Diff([]string{"no command", "null usage"}, r.take()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestFindArg(t *testing.T) {
	ua, _ := newTestUA(apimode.Off)
	ua.Args = ParseArgs("list Jobs job=a JOB=b limit on off")
	if i := ua.FindArg("jobs"); i != 1 {
		t.Errorf("FindArg(jobs) = %d", i)
	}
	if i := ua.FindArg("list"); i != -1 {
		t.Errorf("FindArg(list) = %d (argument 0 must not count)", i)
	}
	if v, ok := ua.ArgValue("job"); !ok || v != "a" {
		t.Errorf("ArgValue(job) = %q, %v", v, ok)
	}
	if i := ua.FindArgWithValue("limit"); i != -1 {
		t.Errorf("FindArgWithValue(limit) = %d", i)
	}
	if i := ua.FindArgKeyword("off", "on"); i != 1 {
		t.Errorf("FindArgKeyword(off, on) = %d, want 1 (first argument wins)", i)
	}
	if i := ua.FindArgKeyword("x"); i != -1 {
		t.Errorf("FindArgKeyword(x) = %d", i)
	}
}

func TestDispatchHandlers(t *testing.T) {
	var seen []string
	tab := DefaultTable()
	tab.Add(
		Command{Name: "list", Usage: "jobs", Handler: func(_ context.Context, ua *UA) error {
			seen = append(seen, ua.Args[0].Key)
			if ua.FindArg("jobs") < 0 {
				ua.SendCmdUsage("missing")
				return ErrReported
			}
			return nil
		}},
		Command{Name: "panic", Handler: func(context.Context, *UA) error { panic("boom") }},
		Command{Name: "stub"},
	)
	r := &recorder{}
	ua := NewUA(r, Options{Table: tab, Director: testDirector})
	ctx := context.Background()
	if err := ua.Execute(ctx, "li"); !errors.Is(err, ErrReported) {
		t.Errorf("li: err = %v, want ErrReported", err)
	}
	if err := ua.Execute(ctx, "LIST jobs"); err != nil {
		t.Errorf("LIST jobs: %v", err)
	}
	if diff := cmp.Diff([]string{"li", "LIST"}, seen); diff != "" {
		t.Errorf("handler calls (-want +got):\n%s", diff)
	}
	if err := ua.Execute(ctx, "panic"); !errors.Is(err, ErrPanic) {
		t.Errorf("panic: err = %v, want ErrPanic", err)
	}
	if err := ua.Execute(ctx, "stub"); !errors.Is(err, ErrInvalidCommand) {
		t.Errorf("stub: err = %v, want ErrInvalidCommand", err)
	}
	if err := ua.Execute(ctx, "version"); err != nil {
		t.Errorf("version: %v", err)
	}
	if _, ok := ua.Current(); ok {
		t.Error("Current outside a command")
	}
	want := []string{"missing\nUSAGE: list jobs\n", "stub: is an invalid command.\n", versionLine}
	if diff := cmp.Diff(want, r.take()); diff != "" {
		t.Errorf("packets (-want +got):\n%s", diff)
	}

	ua.SetMode(apimode.On)
	ua.Execute(ctx, "panic")
	if diff := cmp.Diff([]string{"BNET_CMD_BEGIN", "BNET_CMD_FAILED"}, r.take()); diff != "" {
		t.Errorf("panic in mode 1 (-want +got):\n%s", diff)
	}
	if err := ua.Execute(ctx, ""); err == nil || len(r.pkts) != 0 {
		t.Errorf("empty line: err=%v packets %q", err, r.pkts)
	}
}

type fakeResources map[string]bool // "type/name" -> enabled

func (f fakeResources) Resource(t ResourceType, name string) (bool, bool) {
	en, ok := f[t.key(name)]
	return ok, en
}

func (t ResourceType) key(name string) string { return string(rune('0'+t)) + "/" + name }

func TestFilter(t *testing.T) {
	res := fakeResources{ResClient.key("c1"): true, ResClient.key("c2"): false, ResPool.key("p1"): true}
	var acl ACLSet
	acl[ACLClient] = []string{"!c2", "c.*"}
	named := NewUA(&recorder{}, Options{Console: &Console{Name: "n", ACL: acl}, Resources: res})
	root := NewUA(&recorder{}, Options{Resources: res})
	bare := NewUA(&recorder{}, Options{})

	F := func(kind formatter.FilterKind, col, typ int) formatter.Filter {
		return formatter.Filter{Kind: kind, Column: col, Type: typ}
	}
	const (
		show = formatter.FilterShow
		supp = formatter.FilterSuppress
		unkn = formatter.FilterUnknown
	)
	row := []string{"c1", "c2", "", "x@y", "c3", "p1", "nopool"}
	tests := []struct {
		ua   *UA
		f    formatter.Filter
		want formatter.FilterState
	}{
		{named, F(formatter.FilterLimit, 0, 0), show},
		{named, F(formatter.FilterOffset, 0, 0), show},
		{named, F(formatter.FilterACL, 0, int(ACLClient)), show},
		{named, F(formatter.FilterACL, 1, int(ACLClient)), supp},
		{named, F(formatter.FilterACL, 2, int(ACLClient)), unkn},
		{named, F(formatter.FilterACL, 99, int(ACLClient)), unkn},
		{named, F(formatter.FilterACL, 0, int(ACLJob)), supp},
		{root, F(formatter.FilterACL, 0, int(ACLJob)), show},
		{root, F(formatter.FilterACL, 3, int(ACLJob)), supp}, // invalid name
		{root, F(formatter.FilterResource, 5, int(ResPool)), show},
		{root, F(formatter.FilterResource, 6, int(ResPool)), supp},
		{root, F(formatter.FilterResource, 2, int(ResPool)), unkn},
		{bare, F(formatter.FilterResource, 6, int(ResPool)), show},
		{root, F(formatter.FilterEnabled, 0, int(ResClient)), show},
		{root, F(formatter.FilterEnabled, 1, int(ResClient)), supp},
		{root, F(formatter.FilterDisabled, 1, int(ResClient)), show},
		{root, F(formatter.FilterDisabled, 0, int(ResClient)), supp},
		{root, F(formatter.FilterEnabled, 4, int(ResClient)), supp},   // not configured
		{named, F(formatter.FilterDisabled, 1, int(ResClient)), supp}, // denied by ACL
		{root, F(formatter.FilterEnabled, 5, int(ResPool)), show},     // no enabled state
		{root, F(formatter.FilterEnabled, 2, int(ResClient)), unkn},
		{root, F(formatter.FilterKind(99), 0, 0), supp},
	}
	for i, tt := range tests {
		if got := tt.ua.Filter(row, tt.f); got != tt.want {
			t.Errorf("%d: Filter(%+v) = %v, want %v", i, tt.f, got, tt.want)
		}
	}
}

func TestResourceAllowed(t *testing.T) {
	var acl ACLSet
	acl[ACLJob] = []string{"j1"}
	acl[ACLCommand] = []string{"configure"}
	ua := NewUA(&recorder{}, Options{Console: &Console{Name: "n", ACL: acl}})
	if !ua.ResourceAllowed(ResJobDefs, "j1") || ua.ResourceAllowed(ResJob, "j2") {
		t.Error("job ACL not applied")
	}
	if !ua.ResourceAllowed(ResMsgs, "Standard") {
		t.Error("configure not consulted for message resources")
	}
	acl[ACLCommand] = nil
	ua = NewUA(&recorder{}, Options{Console: &Console{Name: "n", ACL: acl}})
	if ua.ResourceAllowed(ResConsole, "x") {
		t.Error("console resource allowed without configure")
	}
}
