package bsock

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
)

// pamServerConfig asks a PAM login of "admin" and accepts alice/alicepw.
func pamServerConfig(verified *[]string) ServerConfig {
	cfg := testServerConfig()
	cfg.RequirePAM = func(name string) bool { return name == "admin" }
	cfg.VerifyPAM = func(ctx context.Context, console, user, password string) (string, error) {
		if verified != nil {
			*verified = append(*verified, console+":"+user)
		}
		if user == "alice" && password == "alicepw" {
			return user, nil
		}
		return "", errors.New("bad PAM credentials")
	}
	return cfg
}

// cramAsAdmin runs the Hello and both CRAM-MD5 steps as console "admin".
func cramAsAdmin(t *testing.T, c *Conn, hello string) {
	t.Helper()
	send(t, c, hello)
	p, err := c.Recv()
	if err != nil {
		t.Fatal(err)
	}
	ch, err := ParseChallenge(p.Data)
	if err != nil {
		t.Fatal(err)
	}
	key := PasswordKey("adminpw")
	_, bar := CramAnswers(key, ch.Text)
	send(t, c, bar)
	expect(t, c, "1000 OK auth\n")
	own := "<42.1700000000@R_CONSOLE::admin>"
	send(t, c, "auth cram-md5 "+own+" ssl=0\n")
	_, want := CramAnswers(key, own)
	expect(t, c, want+"\x00")
	send(t, c, "1000 OK auth\n")
}

// TestServerPAMTranscript checks every byte of the Director's PAM login:
// 1001 after CRAM-MD5, the console's 4002 credentials (python-bareos,
// bconsole -p) or its 4001 request to be prompted (bconsole), the
// conversation, and the response messages naming the PAM user.
func TestServerPAMTranscript(t *testing.T) {
	okMsgs := []string{
		"1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)",
		"1002\x1eBanner line\nYou are logged in as: alice",
	}
	t.Run("credentials", func(t *testing.T) {
		var verified []string
		c, res := startServer(t, pamServerConfig(&verified))
		cramAsAdmin(t, c, "Hello admin calling version 25.0.0\n")
		expect(t, c, "1001\x1e")
		send(t, c, "4002\x1ealice\x1ealicepw")
		for _, m := range okMsgs {
			expect(t, c, m)
		}
		r := <-res
		if r.err != nil || r.login.PAMUser != "alice" || r.login.Console != "admin" {
			t.Fatalf("server: %+v", r)
		}
		if strings.Join(verified, ",") != "admin:alice" {
			t.Errorf("VerifyPAM calls: %q", verified)
		}
	})
	t.Run("interactive", func(t *testing.T) {
		c, res := startServer(t, pamServerConfig(nil))
		cramAsAdmin(t, c, "Hello admin calling version 25.0.0\n")
		expect(t, c, "1001\x1e")
		send(t, c, "4001\x1e")
		expect(t, c, "\x02")
		expect(t, c, "login: \x00")
		send(t, c, "alice\x00")
		expect(t, c, "\x01")
		expect(t, c, "Password: \x00")
		send(t, c, "alicepw")
		expect(t, c, "\x00")
		expect(t, c, "\x00")
		for _, m := range okMsgs {
			expect(t, c, m)
		}
		if r := <-res; r.err != nil || r.login.PAMUser != "alice" {
			t.Fatalf("server: %+v", r)
		}
	})
	t.Run("wrong PAM password", func(t *testing.T) {
		c, res := startServer(t, pamServerConfig(nil))
		cramAsAdmin(t, c, "Hello admin calling version 25.0.0\n")
		expect(t, c, "1001\x1e")
		send(t, c, "4002\x1ealice\x1ewrong")
		expectEOF(t, c) // the Director closes without a word
		if r := <-res; !errors.Is(r.err, ErrAuthFailed) {
			t.Errorf("server error %v, want ErrAuthFailed", r.err)
		}
	})
	t.Run("no verifier", func(t *testing.T) {
		cfg := pamServerConfig(nil)
		cfg.VerifyPAM = nil
		c, res := startServer(t, cfg)
		cramAsAdmin(t, c, "Hello admin calling version 25.0.0\n")
		expect(t, c, "1001\x1e")
		expectEOF(t, c)
		if r := <-res; !errors.Is(r.err, ErrPAMUnavailable) {
			t.Errorf("server error %v, want ErrPAMUnavailable", r.err)
		}
	})
	t.Run("console before 18.2", func(t *testing.T) {
		c, res := startServer(t, pamServerConfig(nil))
		cramAsAdmin(t, c, "Hello admin calling\n")
		// The Director sends its 1000 line, then refuses.
		expect(t, c, "1000 OK: bareos-dir Version: 25.0.0 (21 August 2026) --  Encryption: None\n")
		expectEOF(t, c)
		if r := <-res; !errors.Is(r.err, ErrAuthFailed) {
			t.Errorf("server error %v, want ErrAuthFailed", r.err)
		}
	})
	t.Run("other consoles", func(t *testing.T) {
		c, res := startServer(t, pamServerConfig(nil))
		send(t, c, "Hello *UserAgent* calling version 18.2.5\n")
		expect(t, c, dirChalMsg)
		send(t, c, "wGRS45MJwQ/T0h/dbx/WSA")
		expect(t, c, "1000 OK auth\n")
		send(t, c, "auth cram-md5 "+uaChal+" ssl=0\n")
		expect(t, c, "PTUM09/FhF+f78EoVE/l/D\x00")
		send(t, c, "1000 OK auth\n")
		expect(t, c, "1000\x1eOK: bareos-dir Version: 25.0.0 (21 August 2026)")
		expect(t, c, "1002\x1eBanner line\nYou are connected using the default console")
		if r := <-res; r.err != nil || r.login.PAMUser != "" {
			t.Fatalf("server: %+v", r)
		}
	})
}

// TestClientPAM runs ClientHandshake with PAM credentials against
// ServerHandshake, as python-bareos logs in with pam_username and
// pam_password.
func TestClientPAM(t *testing.T) {
	for _, tt := range []struct {
		name, console, user, password string
		wantErr                       error
		wantInfo                      string
	}{
		{"right", "admin", "alice", "alicepw", nil, "Banner line\nYou are logged in as: alice"},
		{"wrong", "admin", "alice", "nope", ErrAuthFailed, ""},
		{"missing", "admin", "", "", ErrPAMRequired, ""},
		{"not offered", "", "alice", "alicepw", ErrPAMNotOffered, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			go func() {
				ServerHandshake(context.Background(), NewConn(a), pamServerConfig(nil))
				a.Close()
			}()
			pw := "adminpw"
			if tt.console == "" {
				pw = "secret"
			}
			info, err := ClientHandshake(context.Background(), NewConn(b), ClientConfig{
				Name: tt.console, Password: pw, PAMUser: tt.user, PAMPassword: tt.password})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.Info != tt.wantInfo {
				t.Errorf("info %q, want %q", info.Info, tt.wantInfo)
			}
		})
	}
}

// TestServerBoundsHandshakePackets checks that a login does not read a
// large packet: an answer announcing 1 MB is refused unread.
func TestServerBoundsHandshakePackets(t *testing.T) {
	c, res := startServer(t, testServerConfig())
	send(t, c, "Hello *UserAgent* calling version 18.2.5\n")
	expect(t, c, dirChalMsg)
	if _, err := c.NetConn().Write([]byte{0, 0x0f, 0x42, 0x40}); err != nil { // 1,000,000
		t.Fatal(err)
	}
	c.NetConn().Close()
	if r := <-res; !errors.Is(r.err, ErrTooBig) {
		t.Errorf("server error %v, want ErrTooBig", r.err)
	}
}

// TestServerAdmit checks the Admit hook: it sees every answer before it
// is checked and learns the verdict; a refusal is answered like a wrong
// password, without checking the answer.
func TestServerAdmit(t *testing.T) {
	var verdicts []bool
	cfg := testServerConfig()
	cfg.Admit = func(ctx context.Context, console string) (func(bool), error) {
		if console == "admin" {
			return nil, errors.New("too many failed logins")
		}
		return func(ok bool) { verdicts = append(verdicts, ok) }, nil
	}
	for _, pw := range []string{"wrong", "secret"} {
		a, b := net.Pipe()
		go func() { ServerHandshake(context.Background(), NewConn(a), cfg); a.Close() }()
		ClientHandshake(context.Background(), NewConn(b), ClientConfig{Password: pw})
		b.Close()
	}
	if len(verdicts) != 2 || verdicts[0] || !verdicts[1] {
		t.Errorf("verdicts %v, want [false true]", verdicts)
	}

	c, res := startServer(t, cfg)
	send(t, c, "Hello admin calling version 25.0.0\n")
	p, err := c.Recv()
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := ParseChallenge(p.Data)
	_, right := CramAnswers(PasswordKey("adminpw"), ch.Text)
	send(t, c, right) // the right answer, but not admitted
	expect(t, c, "1999 Authorization failed.\n")
	expect(t, c, "1999 Authorization failed.\n")
	expectEOF(t, c)
	if r := <-res; !errors.Is(r.err, ErrAdmission) || !errors.Is(r.err, ErrAuthFailed) {
		t.Errorf("server error %v, want ErrAdmission and ErrAuthFailed", r.err)
	}
}
