package uacontext

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
)

// scriptConn is a Conn and Receiver: it records what the UA sends (data
// as text, signals by name, answers read as "<< text") and answers
// prompts from a script. An answer starting with "!" is a signal
// ("!BNET_POLL" sends BNET_POLL); the end of the script is the end of the
// connection (io.EOF), or, with block set, a read that waits for ctx.
type scriptConn struct {
	answers []string
	pkts    []string
	block   bool
}

func (c *scriptConn) Send(p []byte) error { c.pkts = append(c.pkts, string(p)); return nil }
func (c *scriptConn) Signal(s bsock.Signal) error {
	c.pkts = append(c.pkts, s.String())
	return nil
}

func (c *scriptConn) RecvContext(ctx context.Context) (bsock.Packet, error) {
	if len(c.answers) == 0 {
		if c.block {
			<-ctx.Done()
			return bsock.Packet{}, context.Cause(ctx)
		}
		return bsock.Packet{}, io.EOF
	}
	a := c.answers[0]
	c.answers = c.answers[1:]
	if sig, ok := strings.CutPrefix(a, "!"); ok {
		for s := bsock.EOD; s >= bsock.TextInput; s-- {
			if s.String() == sig {
				c.pkts = append(c.pkts, "<< "+sig)
				if s == bsock.Terminate {
					return bsock.Packet{Signal: s}, bsock.ErrTerminated
				}
				return bsock.Packet{Signal: s}, nil
			}
		}
	}
	c.pkts = append(c.pkts, "<< "+a)
	return bsock.Packet{Data: []byte(a)}, nil
}

func newScriptUA(api apimode.Mode, answers ...string) (*UA, *scriptConn) {
	c := &scriptConn{answers: answers}
	ua := NewUA(c, Options{})
	ua.SetMode(api)
	ua.Batch = api == apimode.JSON
	return ua, c
}

func TestGetCmd(t *testing.T) {
	tests := []struct {
		name    string
		api     apimode.Mode
		answers []string
		want    string
		err     error
		pkts    []string
	}{
		{"mode0", apimode.Off, []string{"hello  \r\n"}, "hello", nil,
			[]string{"Prompt: ", "BNET_SUB_PROMPT", "<< hello  \r\n"}},
		{"mode1", apimode.On, []string{"x"}, "x", nil,
			[]string{"BNET_TEXT_INPUT", "Prompt: ", "<< x"}},
		{"signals ignored", apimode.Off, []string{"!BNET_POLL", "!BNET_HEARTBEAT", "y"}, "y", nil,
			[]string{"Prompt: ", "BNET_SUB_PROMPT", "<< BNET_POLL", "<< BNET_HEARTBEAT", "<< y"}},
		{"cancel", apimode.Off, []string{". "}, "", ErrCanceled,
			[]string{"Prompt: ", "BNET_SUB_PROMPT", "<< . "}},
		{"dot word is no cancel", apimode.Off, []string{".."}, "..", nil,
			[]string{"Prompt: ", "BNET_SUB_PROMPT", "<< .."}},
		{"nul ends answer", apimode.Off, []string{"ab\x00cd"}, "ab", nil,
			[]string{"Prompt: ", "BNET_SUB_PROMPT", "<< ab\x00cd"}},
		{"batch", apimode.JSON, nil, "", ErrBatch, nil},
		{"eof", apimode.Off, nil, "", ErrSessionEnded,
			[]string{"Prompt: ", "BNET_SUB_PROMPT"}},
		{"terminate", apimode.On, []string{"!BNET_TERMINATE"}, "", ErrSessionEnded,
			[]string{"BNET_TEXT_INPUT", "Prompt: ", "<< BNET_TERMINATE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ua, c := newScriptUA(tt.api, tt.answers...)
			got, err := ua.GetCmd(context.Background(), "Prompt: ")
			if got != tt.want || !errors.Is(err, tt.err) {
				t.Errorf("GetCmd = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
			if diff := cmp.Diff(tt.pkts, c.pkts); diff != "" {
				t.Errorf("packets (-want +got):\n%s", diff)
			}
			if ua.Waiting() {
				t.Error("still waiting after GetCmd returned")
			}
			if errors.Is(tt.err, ErrSessionEnded) && ua.Err() == nil {
				t.Error("session end not recorded in Err")
			}
		})
	}
}

func TestGetSubCmd(t *testing.T) {
	for _, api := range []apimode.Mode{apimode.Off, apimode.On} {
		ua, c := newScriptUA(api, "ls")
		got, err := ua.GetSubCmd(context.Background(), "$ ")
		if got != "ls" || err != nil {
			t.Fatalf("mode %d: GetSubCmd = %q, %v", api, got, err)
		}
		want := []string{"$ ", "BNET_SUB_PROMPT", "<< ls"}
		if diff := cmp.Diff(want, c.pkts); diff != "" {
			t.Errorf("mode %d (-want +got):\n%s", api, diff)
		}
	}
}

func TestGetCmdMessagesMidPrompt(t *testing.T) {
	ua, c := newScriptUA(apimode.Off, ".messages")
	ua.Messages = &MessageQueue{}
	ua.Messages.Post("job 1 done\n")
	got, err := ua.GetCmd(context.Background(), "P: ")
	if got != ".messages" || err != nil {
		t.Fatalf("GetCmd = %q, %v", got, err)
	}
	want := []string{"P: ", "BNET_SUB_PROMPT", "<< .messages", "job 1 done\n"}
	if diff := cmp.Diff(want, c.pkts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGetCmdContextAndTimeout(t *testing.T) {
	ua, c := newScriptUA(apimode.Off)
	c.block = true
	ua.PromptTimeout = 20 * time.Millisecond
	_, err := ua.GetCmd(context.Background(), "P: ")
	if !errors.Is(err, ErrPromptTimeout) || !IsInputFailure(err) {
		t.Fatalf("timeout: err = %v", err)
	}
	if ua.Err() != nil {
		t.Fatalf("timeout ended the session: %v", ua.Err())
	}

	ua, c = newScriptUA(apimode.Off)
	c.block = true
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(10*time.Millisecond, cancel)
	_, err = ua.GetCmd(ctx, "P: ")
	if !errors.Is(err, context.Canceled) || IsInputFailure(err) {
		t.Fatalf("canceled: err = %v", err)
	}
	if ua.Err() == nil {
		t.Fatal("an abandoned prompt must stop the session's output")
	}
	n := len(c.pkts)
	ua.SendMsg("more\n")
	if len(c.pkts) != n {
		t.Error("output sent after the prompt was abandoned")
	}
}

func TestGetCmdNoReceiver(t *testing.T) {
	r := &recorder{}
	ua := NewUA(r, Options{})
	if _, err := ua.GetCmd(context.Background(), "P: "); !errors.Is(err, ErrNoInput) {
		t.Fatalf("err = %v, want ErrNoInput", err)
	}
	if len(r.pkts) != 0 {
		t.Errorf("sent %q", r.pkts)
	}
}

func TestGetPint(t *testing.T) {
	tests := []struct {
		answers []string
		want    int64
		err     error
		warns   []string
	}{
		{[]string{"42"}, 42, nil, nil},
		{[]string{"abc", "-3", "1e400", "7.9"}, 7, nil, []string{"abc", "-3", "1e400"}},
		{[]string{"+5", "1e3"}, 5, nil, nil},
		{[]string{"", "3"}, 3, nil, []string{""}},
		{[]string{"1e-400", "0"}, 0, nil, []string{"1e-400"}},
		{[]string{"x", "."}, 0, ErrCanceled, []string{"x"}},
		{[]string{"99999999999999999999"}, 1<<63 - 1, nil, nil},
	}
	for _, tt := range tests {
		ua, c := newScriptUA(apimode.Off, tt.answers...)
		got, err := ua.GetPint(context.Background(), "N: ")
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("%q: GetPint = %d, %v; want %d, %v", tt.answers, got, err, tt.want, tt.err)
		}
		var warns []string
		for _, p := range c.pkts {
			if w, ok := strings.CutPrefix(p, "Expected a positive integer, got: "); ok {
				warns = append(warns, strings.TrimSuffix(w, "\n"))
			}
		}
		if diff := cmp.Diff(tt.warns, warns); diff != "" {
			t.Errorf("%q: warnings (-want +got):\n%s", tt.answers, diff)
		}
	}
	// The slot kludge: an empty answer is 0.
	ua, _ := newScriptUA(apimode.Off, "")
	if v, err := ua.GetPint(context.Background(), "Enter slot (0 for none): "); v != 0 || err != nil {
		t.Errorf("slot kludge: %d, %v", v, err)
	}
}

func TestIsNumber(t *testing.T) {
	for s, want := range map[string]bool{
		"1": true, "-1": true, "+1": true, "1.": true, "1.5": true, "1e5": true, "1E+5": true, "1e-5": true,
		"": false, "-": false, ".5": false, "1e": false, "1e+": false, "1x": false, " 1": false, "1 ": false, "0x10": false,
	} {
		if got := IsNumber(s); got != want {
			t.Errorf("IsNumber(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestGetYesno(t *testing.T) {
	ua, c := newScriptUA(apimode.On, "maybe", "true", "YeS")
	yes, err := ua.GetYesno(context.Background(), "Sure? ")
	if !yes || err != nil {
		t.Fatalf("GetYesno = %v, %v", yes, err)
	}
	want := []string{
		"BNET_YESNO", "BNET_TEXT_INPUT", "Sure? ", "<< maybe",
		"BNET_WARNING_MSG", "Invalid response. You must answer YES or NO.\n",
		"BNET_YESNO", "BNET_TEXT_INPUT", "Sure? ", "<< true",
		"BNET_WARNING_MSG", "Invalid response. You must answer YES or NO.\n",
		"BNET_YESNO", "BNET_TEXT_INPUT", "Sure? ", "<< YeS",
	}
	if diff := cmp.Diff(want, c.pkts); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestGetConfirmation(t *testing.T) {
	ua, c := newScriptUA(apimode.Off, "no")
	ua.Args = ParseArgs("delete jobid=1")
	ok, err := ua.GetConfirmation(context.Background(), "Sure (yes/no): ", true)
	if ok || err != nil {
		t.Fatalf("mode 0: %v, %v", ok, err)
	}
	if len(c.pkts) == 0 {
		t.Fatal("mode 0: no question asked")
	}
	ua.Args = ParseArgs("delete jobid=1 yes")
	if ok, err := ua.GetConfirmation(context.Background(), "Sure (yes/no): ", false); !ok || err != nil {
		t.Fatalf("yes argument: %v, %v", ok, err)
	}
	ua, c = newScriptUA(apimode.On, "yes")
	ua.Args = ParseArgs("delete jobid=1")
	if ok, err := ua.GetConfirmation(context.Background(), "Sure (yes/no): ", true); ok || err != nil {
		t.Fatalf("mode 1: %v, %v", ok, err)
	}
	if len(c.pkts) != 0 {
		t.Errorf("mode 1 asked: %q", c.pkts)
	}
}

// FuzzPrompts feeds arbitrary answers (one per line) to the input
// primitives in every mode: they must not panic, must end when the
// answers run out, and may only return what their contract allows.
// Seeds are in testdata/fuzz/FuzzPrompts.
func FuzzPrompts(f *testing.F) {
	f.Fuzz(func(t *testing.T, mode uint8, answers string) {
		lines := strings.Split(answers, "\n")
		if len(lines) > 50 {
			return
		}
		for kind := 0; kind < 4; kind++ {
			ua, c := newScriptUA(apimode.Mode(mode%3), lines...)
			ctx := context.Background()
			switch kind {
			case 0:
				v, err := ua.GetPint(ctx, "N: ")
				if err == nil && v < 0 {
					t.Fatalf("GetPint = %d", v)
				}
			case 1:
				yes, err := ua.GetYesno(ctx, "Y/N: ")
				if err == nil {
					last := stripTrailingJunk(cString(lines[len(lines)-len(c.answers)-1]))
					if want, ok := ParseYesNo(last); !ok || want != yes {
						t.Fatalf("GetYesno = %v after %q", yes, last)
					}
				}
			case 2:
				ua.StartPrompt("H:\n")
				for _, it := range []string{"a", "b", "c"} {
					ua.AddPrompt(it)
				}
				i, item, err := ua.DoPrompt(ctx, "X", "Pick")
				if err == nil && (i < 0 || i > 2 || item != []string{"a", "b", "c"}[i]) {
					t.Fatalf("DoPrompt = %d, %q", i, item)
				}
				if err != nil && i != -1 {
					t.Fatalf("DoPrompt failed with index %d", i)
				}
			case 3:
				a, err := ua.GetCmd(ctx, "> ")
				if err == nil && (a == "." || strings.ContainsAny(a, "\x00") || strings.HasSuffix(a, " ")) {
					t.Fatalf("GetCmd = %q", a)
				}
			}
			if ua.Waiting() {
				t.Fatal("still waiting")
			}
		}
	})
}
