package uacontext

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/tidwall/gjson"
	"github.com/uaformat/uaformat/bsock"
)

// Packet names used in expected sequences.
const (
	EOD  = "BNET_EOD"
	MP   = "BNET_MAIN_PROMPT"
	CB   = "BNET_CMD_BEGIN"
	OK   = "BNET_CMD_OK"
	FAIL = "BNET_CMD_FAILED"
	EMSG = "BNET_ERROR_MSG"
	PEND = "BNET_MSGS_PENDING"
	POLL = "BNET_POLL"
	TERM = "BNET_TERMINATE"
	EOF  = "EOF"
)

const (
	rootPassword = "secret"
	versionLine  = "bareos-dir Version: 25.0.0 (21 August 2026) Debian GNU/Linux 12 (bookworm) debian Debian GNU/Linux 12 (bookworm) \n"
)

// client drives one session from the console side.
type client struct {
	t *testing.T
	c *bsock.Conn
}

// testDirector fixes the Director's description, which otherwise
// describes the host.
var testDirector = DirectorInfo{OSInfo: "Debian GNU/Linux 12 (bookworm)", Platform: "debian", Date: "21 August 2026"}

func testServer() *Server {
	return &Server{
		Director:   testDirector,
		DefaultKey: bsock.PasswordKey(rootPassword),
		Consoles: ConsoleList(Console{
			Name: "restricted",
			Key:  bsock.PasswordKey("pw"),
			ACL: ACLSet{ACLCommand: {
				"version", ".api", ".help", "!gui", "auto.*", "messages",
			}},
		}),
		FailDelay: -1, // no throttling in tests
	}
}

// dial runs srv.ServeConn on one end of a pipe and logs in on the other.
func dial(t *testing.T, srv *Server, name, password string) (*client, error) {
	t.Helper()
	a, b := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		srv.ServeConn(ctx, a)
	}()
	c := bsock.NewConn(b)
	t.Cleanup(func() {
		c.Close()
		cancel()
		<-done
	})
	// Guards against a hanging test only; no assertion depends on it.
	c.SetDeadline(time.Now().Add(30 * time.Second))
	_, err := bsock.ClientHandshake(ctx, c, bsock.ClientConfig{Name: name, Password: password})
	return &client{t: t, c: c}, err
}

func login(t *testing.T, srv *Server, name, password string) *client {
	t.Helper()
	cl, err := dial(t, srv, name, password)
	if err != nil {
		t.Fatalf("login as %q: %v", name, err)
	}
	return cl
}

// read collects packets up to and including the first EOD or MAIN_PROMPT,
// or up to the end of the connection ("EOF").
func (cl *client) read() []string {
	cl.t.Helper()
	var out []string
	for {
		p, err := cl.c.Recv()
		switch {
		case errors.Is(err, io.EOF):
			return append(out, EOF)
		case errors.Is(err, bsock.ErrTerminated):
			return append(out, TERM)
		case err != nil:
			cl.t.Fatalf("recv: %v (after %q)", err, out)
		case p.IsSignal():
			out = append(out, p.Signal.String())
			if p.Signal == bsock.EOD || p.Signal == bsock.MainPrompt {
				return out
			}
		default:
			out = append(out, string(p.Data))
		}
	}
}

// do sends one command line and returns the answer packets.
func (cl *client) do(line string) []string {
	cl.t.Helper()
	if err := cl.c.Send([]byte(line)); err != nil {
		cl.t.Fatalf("send %q: %v", line, err)
	}
	return cl.read()
}

type step struct {
	cmd  string
	want []string
}

func (cl *client) run(steps []step) {
	cl.t.Helper()
	for _, s := range steps {
		got := cl.do(s.cmd)
		if diff := cmp.Diff(s.want, got); diff != "" {
			cl.t.Errorf("%q: packets mismatch (-want +got):\n%s", s.cmd, diff)
		}
	}
}

func compactResult(result string) string {
	return `{"jsonrpc":"2.0","id":null,"result":` + result + `}`
}

func compactError(result, messages string) string {
	return `{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":` + result + `,"messages":` + messages + `}}}`
}

func TestSessionMode0(t *testing.T) {
	cl := login(t, testServer(), "", rootPassword)
	cl.run([]step{
		{"version", []string{versionLine, EOD}},
		{"ver", []string{versionLine, EOD}},
		{"whoami", []string{"root\n", EOD}},
		{"nosuch", []string{"nosuch: is an invalid command.\n", EOD}},
		{"nosuch=1 x", []string{"nosuch: is an invalid command.\n", EOD}},
		{"autodisplay off", []string{EOD}},
		{"autodisplay on", []string{EOD}},
		{"gui on", []string{EOD}},
		{"gui off", []string{EOD}},
		{"gui", []string{"ON or OFF keyword missing.\n", EOD}},
		{"autodisplay maybe", []string{"ON or OFF keyword missing.\n", EOD}},
		{"", []string{EOD}},
		{"   ", []string{EOD}},
		{".api 7", []string{EOD}},
		{".api 1 2 3", []string{EOD}},
		{".", []string{EOD}},
		{"messages", []string{"You have no messages.\n", EOD}},
		{".messages", []string{EOD}},
		{".help item=version", []string{"\n", EOD}},
		{".help item=nosuch", []string{EOD}},
		{".help full=yes", []string{"The full option does not take a value.\n", EOD}},
		{"help nosuch", []string{
			"  Command            Description\n  =======            ===========\n",
			"\nCan't find nosuch command.\n\n",
			"\nWhen at a prompt, entering a period (.) cancels the command.\n\n",
			EOD}},
		{"help version", []string{
			"  Command            Description\n  =======            ===========\n" +
				"  version            Print Director version\n\nArguments:\n\t\n",
			"\nWhen at a prompt, entering a period (.) cancels the command.\n\n",
			EOD}},
		{"help", []string{
			"  Command            Description\n  =======            ===========\n" +
				"  autodisplay        Autodisplay console messages\n",
			"  exit               Terminate Bconsole session\n",
			"  gui                Switch between interactive (gui off) and non-interactive (gui on) mode\n",
			"  help               Print help on specific command\n",
			"  messages           Display pending messages\n",
			"  quit               Terminate Bconsole session\n",
			"  version            Print Director version\n",
			"  whoami             Print the user name associated with this console\n",
			"\nWhen at a prompt, entering a period (.) cancels the command.\n\n",
			EOD}},
		{".help all", []string{"autodisplay\n", "exit\n", "gui\n", "help\n", "messages\n", "quit\n", "version\n", "whoami\n", EOD}},
		{".help", []string{
			". no op -- \n",
			".api Switch between different api modes -- [ 0 | 1 | 2 | off | on | json ] [compact=<yes|no>]\n",
			".help Print parsable information about a command -- [ all ] [ item=cmd ] [ full ]\n",
			".messages Display pending messages -- \n",
			".quit Close connection -- \n",
			"autodisplay Autodisplay console messages -- on | off\n",
			"exit Terminate Bconsole session -- \n",
			"gui Switch between interactive (gui off) and non-interactive (gui on) mode -- on | off\n",
			"help Print help on specific command -- add autodisplay automount cancel configure create delete disable enable estimate exit gui label list llist messages memory mount prune purge quit query restore relabel release reload run status setbandwidth setdebug setip show sqlquery time trace truncate unmount umount update use var version wait\n",
			"messages Display pending messages -- \n",
			"quit Terminate Bconsole session -- \n",
			"version Print Director version -- \n",
			"whoami Print the user name associated with this console -- \n",
			EOD}},
		{".api 1", []string{OK, "api: 1\n", MP}},
	})
}

func TestSessionMode0ToJSON(t *testing.T) {
	cl := login(t, testServer(), "", rootPassword)
	cl.run([]step{
		{".api 2", []string{OK, "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"api\": 2\n  }\n}", MP}},
		{".api json compact=yes", []string{CB, OK, compactResult(`{"api":2}`), MP}},
		{"whoami", []string{CB, OK, compactResult(`{"whoami":"root"}`), MP}},
		{"quit", []string{CB, OK, compactResult(`{}`), EOF}},
	})
}

func TestSessionMode1(t *testing.T) {
	cl := login(t, testServer(), "", rootPassword)
	cl.run([]step{
		{".api", []string{OK, "api: 1\n", MP}},
		{"version", []string{CB, versionLine, OK, MP}},
		{"whoami", []string{CB, OK, "root\n", MP}},
		{"nosuch", []string{EMSG, "nosuch: is an invalid command.\n", MP}},
		{".api 1", []string{CB, OK, "api: 1\n", MP}},
		{".api on", []string{CB, OK, "api: 1\n", MP}},
		{".", []string{CB, CB, OK, OK, MP}},
		{"gui on", []string{CB, OK, MP}},
		{"autodisplay", []string{CB, EMSG, "ON or OFF keyword missing.\n", OK, MP}},
		{"", []string{MP}},
		{".api 7", []string{CB, FAIL, MP}},
		{"messages", []string{CB, OK, MP}},
		{".help item=whoami", []string{CB, "\n", OK, MP}},
		{".help full=1", []string{CB, EMSG, "The full option does not take a value.\n", FAIL, MP}},
		{"help nosuch", []string{CB, "\nCan't find nosuch command.\n\n", OK, MP}},
		{"help", []string{CB,
			"  autodisplay        Autodisplay console messages\n",
			"  exit               Terminate Bconsole session\n",
			"  gui                Switch between interactive (gui off) and non-interactive (gui on) mode\n",
			"  help               Print help on specific command\n",
			"  messages           Display pending messages\n",
			"  quit               Terminate Bconsole session\n",
			"  version            Print Director version\n",
			"  whoami             Print the user name associated with this console\n",
			OK, MP}},
		{".help all", []string{CB, "autodisplay\n", "exit\n", "gui\n", "help\n", "messages\n", "quit\n", "version\n", "whoami\n", OK, MP}},
		{".messages", []string{CB, OK, MP}},
		{".api 0", []string{CB, "api: 0\n", EOD}},
		{"whoami", []string{"root\n", EOD}},
		{".api on", []string{OK, "api: 1\n", MP}},
		{"quit", []string{CB, OK, EOF}},
	})
}

func TestSessionMode2(t *testing.T) {
	cl := login(t, testServer(), "", rootPassword)
	cl.run([]step{
		{".api 2 compact=yes", []string{OK, compactResult(`{"api":2}`), MP}},
		{"whoami", []string{CB, OK, compactResult(`{"whoami":"root"}`), MP}},
		{"nosuch", []string{EMSG, compactError(`{}`, `{"error":["nosuch: is an invalid command.\n"]}`), MP}},
		{"gui off", []string{CB, OK, compactResult(`{}`), MP}},
		{"gui", []string{CB, EMSG, OK, compactError(`{}`, `{"error":["ON or OFF keyword missing.\n"]}`), MP}},
		{".", []string{CB, CB, OK, OK, compactResult(`{}`), MP}},
		{".api 7", []string{CB, FAIL, compactError(`{}`, `{}`), MP}},
		{"", []string{MP}},
		{"messages", []string{CB, OK, compactResult(`{}`), MP}},
		{".messages", []string{CB, OK, compactResult(`{}`), MP}},
		{".help item=version", []string{CB, OK, compactResult(`{"version":{"command":"version","description":"Print Director version","arguments":"","permission":true}}`), MP}},
		{".help item=.", []string{CB, OK, compactResult(`{".":{"command":".","description":"no op","arguments":"","permission":true}}`), MP}},
		{".help full=", []string{CB, EMSG, FAIL, compactError(`{}`, `{"error":["The full option does not take a value.\n"]}`), MP}},
		{".api 2 compact=no", []string{CB, OK, "{\n  \"jsonrpc\": \"2.0\",\n  \"id\": null,\n  \"result\": {\n    \"api\": 2\n  }\n}", MP}},
		{".api 2 compact=yes", []string{CB, OK, compactResult(`{"api":2}`), MP}},
		{".api 2", []string{CB, OK, compactResult(`{"api":2}`), MP}}, // compact kept
		{".api 0", []string{CB, "api: 0\n", EOD}},
		{"whoami", []string{"root\n", EOD}},
	})
}

func TestSessionMode2Quit(t *testing.T) {
	for _, cmd := range []string{"quit", "exit", ".quit", "q", "QUIT"} {
		t.Run(cmd, func(t *testing.T) {
			cl := login(t, testServer(), "", rootPassword)
			cl.run([]step{
				{".api 2 compact=yes", []string{OK, compactResult(`{"api":2}`), MP}},
				{cmd, []string{CB, OK, compactResult(`{}`), EOF}},
			})
		})
	}
	cl := login(t, testServer(), "", rootPassword)
	cl.run([]step{{"quit", []string{EOF}}})
}

// jsonAnswer runs cmd in compact JSON mode and returns the JSON document.
func jsonAnswer(t *testing.T, cl *client, cmd string) gjson.Result {
	t.Helper()
	got := cl.do(cmd)
	if len(got) != 4 || got[0] != CB || got[1] != OK || got[3] != MP || !gjson.Valid(got[2]) {
		t.Fatalf("%q: packets %q", cmd, got)
	}
	return gjson.Parse(got[2])
}

func TestSessionJSONContent(t *testing.T) {
	cl := login(t, testServer(), "", rootPassword)
	cl.do(".api 2 compact=yes")

	v := jsonAnswer(t, cl, "version").Get("result.version")
	want := map[string]string{
		"name": "bareos-dir", "type": "bareos-director", "version": "25.0.0", "bdate": "21 August 2026",
		"operatingsystem": "Debian GNU/Linux 12 (bookworm)", "distname": "debian",
		"distversion": "Debian GNU/Linux 12 (bookworm)", "customversionid": "",
	}
	var keys []string
	v.ForEach(func(k, val gjson.Result) bool {
		keys = append(keys, k.String())
		if w, ok := want[k.String()]; !ok || val.String() != w || val.Type != gjson.String {
			t.Errorf("version.%s = %s", k, val.Raw)
		}
		return true
	})
	if diff := cmp.Diff([]string{"name", "type", "version", "bdate", "operatingsystem", "distname", "distversion", "customversionid"}, keys); diff != "" {
		t.Errorf("version keys (-want +got):\n%s", diff)
	}

	h := jsonAnswer(t, cl, "help").Get("result")
	var cmds []string
	h.ForEach(func(k, val gjson.Result) bool {
		cmds = append(cmds, k.String())
		if val.Get("command").String() != k.String() || !val.Get("permission").Bool() || val.Get("description").String() == "" {
			t.Errorf("help entry %s = %s", k, val.Raw)
		}
		return true
	})
	if diff := cmp.Diff([]string{"autodisplay", "exit", "gui", "help", "messages", "quit", "version", "whoami"}, cmds); diff != "" {
		t.Errorf("help commands (-want +got):\n%s", diff)
	}
	if got := h.Get("help.arguments").String(); !strings.HasPrefix(got, "add autodisplay automount") {
		t.Errorf("help.arguments = %q", got)
	}

	d := jsonAnswer(t, cl, ".help").Get("result")
	if n := len(d.Map()); n != 13 {
		t.Errorf(".help lists %d commands, want 13", n)
	}
	if got := d.Get(`\.api.arguments`).String(); got != "[ 0 | 1 | 2 | off | on | json ] [compact=<yes|no>]" {
		t.Errorf(".api arguments = %q", got)
	}
	if n := len(jsonAnswer(t, cl, ".help all").Get("result").Map()); n != 8 {
		t.Errorf(".help all lists %d commands, want 8", n)
	}
}

func TestSessionRestrictedConsole(t *testing.T) {
	cl := login(t, testServer(), "restricted", "pw")
	cl.run([]step{
		{"whoami", []string{"restricted\n", EOD}},
		{"version", []string{versionLine, EOD}},
		{"help", []string{"help: is an invalid command.\n", EOD}},
		{"he", []string{"he: is an invalid command.\n", EOD}},
		{"gui on", []string{"gui: is an invalid command.\n", EOD}},
		{"autodisplay on", []string{EOD}},
		{".quit", []string{".quit: is an invalid command.\n", EOD}},
		{".help all", []string{"autodisplay\n", "messages\n", "version\n", EOD}},
		{".api 2 compact=yes", []string{OK, compactResult(`{"api":2}`), MP}},
		{"help", []string{EMSG, compactError(`{}`, `{"error":["help: is an invalid command.\n"]}`), MP}},
	})
	full := jsonAnswer(t, cl, ".help all full").Get("result")
	for name, want := range map[string]bool{"autodisplay": true, "exit": false, "gui": false, "help": false, "messages": true, "quit": false, "version": true, "whoami": false} {
		if got := full.Get(name + ".permission"); !got.Exists() || got.Bool() != want {
			t.Errorf(".help all full: %s.permission = %s, want %v", name, got.Raw, want)
		}
	}
	if got := jsonAnswer(t, cl, ".help item=gui").Get("result.gui.permission"); got.Raw != "false" {
		t.Errorf(".help item=gui permission = %s", got.Raw)
	}
	cl.run([]step{{"exit", []string{CB, OK, compactResult(`{}`), EOF}}})
}

func TestSessionLoginFailures(t *testing.T) {
	for _, tt := range []struct{ name, password string }{
		{"", "wrong"},
		{"restricted", "secret"},
		{"nosuch", "pw"},
	} {
		_, err := dial(t, testServer(), tt.name, tt.password)
		if !errors.Is(err, bsock.ErrAuthFailed) {
			t.Errorf("login %q/%q: err = %v, want ErrAuthFailed", tt.name, tt.password, err)
		}
	}
	// No default console key: the default console is unknown.
	if _, err := dial(t, &Server{}, "", ""); !errors.Is(err, bsock.ErrAuthFailed) {
		t.Errorf("login without default key: err = %v", err)
	}
}

func TestSessionSignals(t *testing.T) {
	cl := login(t, testServer(), "", rootPassword)
	// Any signal but TERMINATE is answered with POLL (mode 0: nothing else).
	if err := cl.c.Signal(bsock.Heartbeat); err != nil {
		t.Fatal(err)
	}
	p, err := cl.c.Recv()
	if err != nil || p.Signal != bsock.Poll {
		t.Fatalf("after heartbeat: %v, %v", p, err)
	}
	cl.run([]step{{"whoami", []string{"root\n", EOD}}})
	// In API mode the loop sends MAIN_PROMPT again after the POLL.
	cl.run([]step{{".api 1", []string{OK, "api: 1\n", MP}}})
	if err := cl.c.Signal(bsock.EOD); err != nil {
		t.Fatal(err)
	}
	if got := cl.read(); !cmp.Equal(got, []string{POLL, MP}) {
		t.Errorf("after EOD signal in mode 1: %q", got)
	}
	// TERMINATE ends the session without an answer.
	if err := cl.c.Signal(bsock.Terminate); err != nil {
		t.Fatal(err)
	}
	if got := cl.read(); !cmp.Equal(got, []string{EOF}) {
		t.Errorf("after TERMINATE: %q", got)
	}
}

func TestSessionMessages(t *testing.T) {
	srv := testServer()
	srv.Messages = &MessageQueue{}
	cl := login(t, srv, "", rootPassword)
	srv.Messages.Post("bareos-dir JobId 1: first\nbareos-dir JobId 1: second\n")
	cl.run([]step{
		{"whoami", []string{"root\n", "You have messages.\n", EOD}},
		{"whoami", []string{"root\n", EOD}}, // notified once
		{"me", []string{"bareos-dir JobId 1: first\n", "bareos-dir JobId 1: second\n", EOD}},
		{"messages", []string{"You have no messages.\n", EOD}},
	})
	srv.Messages.Post("third\n")
	cl.run([]step{
		{".messages", []string{"third\n", EOD}},
		{"autodisplay on", []string{EOD}},
	})
	srv.Messages.Post("fourth\n")
	cl.run([]step{
		{"whoami", []string{"root\n", "fourth\n", EOD}},
		{"autodisplay off", []string{EOD}},
		{"gui on", []string{EOD}},
	})
	srv.Messages.Post("fifth\n")
	cl.run([]step{
		{"whoami", []string{"root\n", EOD}}, // gui on: no notice
		{"gui off", []string{"You have messages.\n", EOD}},
		{".api 2 compact=yes", []string{OK, compactResult(`{"api":2}`), MP}},
		{"messages", []string{CB, "fifth\n", OK, compactResult(`{}`), MP}},
	})
	srv.Messages.Post("sixth\n")
	cl.run([]step{
		{"whoami", []string{CB, OK, compactResult(`{"whoami":"root"}`), PEND, MP}},
		{"whoami", []string{CB, OK, compactResult(`{"whoami":"root"}`), MP}},
	})
}

func TestSessionMessagesACL(t *testing.T) {
	srv := testServer()
	srv.Messages = &MessageQueue{}
	srv.Consoles = ConsoleList(Console{Name: "restricted", Key: bsock.PasswordKey("pw"), ACL: ACLSet{ACLCommand: {"whoami", "version"}}})
	cl := login(t, srv, "restricted", "pw")
	srv.Messages.Post("hidden\n")
	// A console that may not run "messages" is not told about messages.
	cl.run([]step{{"whoami", []string{"restricted\n", EOD}}})
	if !srv.Messages.Pending() {
		t.Error("messages consumed")
	}
}
