package uacontext

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/uaformat/uaformat/bsock"
)

// pamSource knows a PAM console "webui", a plain console "plain" and the
// User "alice".
type pamSource struct{ noUsers bool }

func (pamSource) LookupConsole(_ context.Context, name string) (*Console, error) {
	switch name {
	case "webui":
		return &Console{Name: "webui", Key: bsock.PasswordKey("webpw"), UsePAM: true, ACL: ACLSet{ACLCommand: {"*all*"}}}, nil
	case "plain":
		return &Console{Name: "plain", Key: bsock.PasswordKey("plainpw"), ACL: ACLSet{ACLCommand: {"*all*"}}}, nil
	}
	return nil, ErrUnknownConsole
}

func (pamSource) LookupUser(_ context.Context, name string) (*Console, error) {
	if name == "alice" || name == "root" {
		return &Console{Name: name, ACL: ACLSet{ACLCommand: {"whoami", "version"}}}, nil
	}
	return nil, fmt.Errorf("%w: %s", ErrUnknownUser, name)
}

// consolesOnly hides LookupUser.
type consolesOnly struct{ ConsoleSource }

// fakePAM accepts alice/alicepw and bob/bobpw (bob has no User resource).
var fakePAM = PAMVerifierFunc(func(ctx context.Context, console, user, password string) error {
	if user+"/"+password == "alice/alicepw" || user+"/"+password == "bob/bobpw" {
		return nil
	}
	return errors.New("authentication failure")
})

func pamServer(logs *syncBuffer) *Server {
	srv := testServer()
	srv.Consoles = pamSource{}
	srv.PAM = fakePAM
	srv.Log = slog.New(slog.NewTextHandler(logs, nil))
	return srv
}

// pamDial logs in over a pipe with PAM credentials.
func pamDial(t *testing.T, srv *Server, cfg bsock.ClientConfig) (*client, error) {
	t.Helper()
	a, b := net.Pipe()
	go srv.ServeConn(context.Background(), a)
	c := bsock.NewConn(b)
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(30 * time.Second)) // hang guard only
	_, err := bsock.ClientHandshake(context.Background(), c, cfg)
	return &client{t: t, c: c}, err
}

// TestPAMLogin: a console with UsePAM logs in with its password and then
// PAM credentials; the session runs as the user, with the User
// resource's ACLs.
func TestPAMLogin(t *testing.T) {
	logs := &syncBuffer{}
	srv := pamServer(logs)
	cl, err := pamDial(t, srv, bsock.ClientConfig{Name: "webui", Password: "webpw", PAMUser: "alice", PAMPassword: "alicepw"})
	if err != nil {
		t.Fatal(err)
	}
	cl.run([]step{
		{"whoami", []string{"alice\n", EOD}},
		{"messages", []string{"messages: is an invalid command.\n", EOD}}, // not in alice's ACL
	})
	if s := srv.Sessions(); len(s) != 1 || s[0].Console != "alice" {
		t.Errorf("Sessions = %+v, want alice's", s)
	}
	if !strings.Contains(logs.String(), "pam_user=alice") {
		t.Errorf("login not logged with the PAM user:\n%s", logs.String())
	}
}

// TestPAMRefusals: wrong PAM credentials, none, a user without a User
// resource, a source without users and a server without a verifier are
// all refused; never is a PAM console let in on its password alone.
func TestPAMRefusals(t *testing.T) {
	for _, tt := range []struct {
		name    string
		setup   func(*Server)
		cfg     bsock.ClientConfig
		wantErr error
		wantLog string
	}{
		{"wrong PAM password", nil, bsock.ClientConfig{Name: "webui", Password: "webpw", PAMUser: "alice", PAMPassword: "x"}, bsock.ErrPAMFailed, "console login failed"},
		{"no PAM credentials", nil, bsock.ClientConfig{Name: "webui", Password: "webpw"}, bsock.ErrPAMRequired, ""},
		{"no User resource", nil, bsock.ClientConfig{Name: "webui", Password: "webpw", PAMUser: "bob", PAMPassword: "bobpw"}, bsock.ErrPAMFailed, "no User resource"},
		{"source without users", func(s *Server) { s.Consoles = consolesOnly{pamSource{}} },
			bsock.ClientConfig{Name: "webui", Password: "webpw", PAMUser: "alice", PAMPassword: "alicepw"}, bsock.ErrPAMFailed, "knows no User resources"},
		{"no verifier", func(s *Server) { s.PAM = nil },
			bsock.ClientConfig{Name: "webui", Password: "webpw", PAMUser: "alice", PAMPassword: "alicepw"}, bsock.ErrPAMFailed, "has no PAM verifier"},
		{"PAM credentials for a plain console", nil, bsock.ClientConfig{Name: "plain", Password: "plainpw", PAMUser: "alice", PAMPassword: "alicepw"}, bsock.ErrPAMNotOffered, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logs := &syncBuffer{}
			srv := pamServer(logs)
			if tt.setup != nil {
				tt.setup(srv)
			}
			if _, err := pamDial(t, srv, tt.cfg); !errors.Is(err, tt.wantErr) {
				t.Errorf("login: %v, want %v", err, tt.wantErr)
			}
			if tt.wantLog != "" {
				deadline := time.Now().Add(10 * time.Second)
				for !strings.Contains(logs.String(), tt.wantLog) && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
				if !strings.Contains(logs.String(), tt.wantLog) {
					t.Errorf("log lacks %q:\n%s", tt.wantLog, logs.String())
				}
			}
		})
	}
}

// TestPAMThrottled: PAM passwords are throttled like console passwords:
// after a failed PAM login the next PAM check from the address waits.
func TestPAMThrottled(t *testing.T) {
	logs := &syncBuffer{}
	srv := pamServer(logs)
	srv.FailDelay = 200 * time.Millisecond
	wrong := bsock.ClientConfig{Name: "webui", Password: "webpw", PAMUser: "alice", PAMPassword: "x"}
	if _, err := pamDial(t, srv, wrong); !errors.Is(err, bsock.ErrPAMFailed) {
		t.Fatal(err)
	}
	start := time.Now()
	right := wrong
	right.PAMPassword = "alicepw"
	if _, err := pamDial(t, srv, right); err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el < srv.FailDelay {
		t.Errorf("PAM check %v after a failed one, before the fail delay %v", el, srv.FailDelay)
	}
}

// TestAudit checks the Director's auditing: off by default (no command
// line in the log at info level); on, audited commands as typed, not the
// others, the Audit Events filter, and ACL failures.
func TestAudit(t *testing.T) {
	run := func(audit Audit, name, pw string, lines ...string) string {
		t.Helper()
		logs := &syncBuffer{}
		srv := testServer()
		srv.Audit = audit
		srv.Log = slog.New(slog.NewTextHandler(logs, nil))
		list, _ := Reference("list")
		list.Handler = func(context.Context, *UA) error { return nil }
		srv.Table = DefaultTable()
		srv.Table.Add(list)
		cl := login(t, srv, name, pw)
		for _, l := range lines {
			cl.do(l)
		}
		cl.c.Close()
		return logs.String()
	}
	out := run(Audit{}, "", rootPassword, "list jobs secretjob", "version")
	if strings.Contains(out, "secretjob") || strings.Contains(out, "audit") {
		t.Errorf("auditing off, but command lines logged:\n%s", out)
	}
	out = run(Audit{Enabled: true}, "", rootPassword, "li jobs password=hunter2", "version", ".api 1")
	want := `msg="audit: cmdline" remote=pipe console=*UserAgent* cmdline="li jobs password=***"`
	if !strings.Contains(out, want) {
		t.Errorf("log lacks %s:\n%s", want, out)
	}
	if strings.Contains(out, "cmdline=version") || strings.Contains(out, "cmdline=\".api") || strings.Contains(out, "hunter2") {
		t.Errorf("unaudited commands or a password logged:\n%s", out)
	}
	out = run(Audit{Enabled: true, Events: []string{"LIST"}}, "", rootPassword, "li jobs", "list clients")
	if strings.Contains(out, `cmdline="li jobs"`) || !strings.Contains(out, `cmdline="list clients"`) {
		t.Errorf("Audit Events = LIST: want only the command typed as list:\n%s", out)
	}
	out = run(Audit{Enabled: true}, "restricted", "pw", "list jobs")
	if want := `msg="audit: acl failure" remote=pipe console=restricted acl="for Command" item=list`; !strings.Contains(out, want) {
		t.Errorf("log lacks %s:\n%s", want, out)
	}
}
