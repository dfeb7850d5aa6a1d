package uacontext_test

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
)

func ExampleParseArgs() {
	for _, a := range uacontext.ParseArgs(`restore client=fd1 where="/tmp/my restore" all`) {
		fmt.Printf("%q %q %v\n", a.Key, a.Value, a.HasValue)
	}
	// Output:
	// "restore" "" false
	// "client" "fd1" true
	// "where" "/tmp/my restore" true
	// "all" "" false
}

func ExampleACLSet_Allow() {
	var acl uacontext.ACLSet
	acl[uacontext.ACLCommand] = []string{"!delete", "list", "l.*", "version"}
	for _, cmd := range []string{"list", "llist", "delete", "help"} {
		fmt.Println(cmd, acl.Allow(uacontext.ACLCommand, cmd))
	}
	// Output:
	// list true
	// llist true
	// delete false
	// help false
}

func ExampleTable_Lookup() {
	t := uacontext.DefaultTable()
	t.Add(uacontext.Command{Name: "query", Handler: func(context.Context, *uacontext.UA) error { return nil }})
	for _, word := range []string{"q", "que", "ver", "x"} {
		c, ok := t.Lookup(word)
		fmt.Println(word, c.Name, ok)
	}
	// Output:
	// q quit true
	// que query true
	// ver version true
	// x  false
}

// printConn prints what a session sends.
type printConn struct{}

func (printConn) Send(p []byte) error         { fmt.Printf("data %q\n", p); return nil }
func (printConn) Signal(s bsock.Signal) error { fmt.Println(s); return nil }

func ExampleUA_Execute() {
	tab := uacontext.DefaultTable()
	tab.Add(uacontext.Command{
		Name:  "hello",
		Usage: "name=<name>",
		Handler: func(ctx context.Context, ua *uacontext.UA) error {
			name, ok := ua.ArgValue("name")
			if !ok {
				ua.SendCmdUsage("name missing")
				return uacontext.ErrReported
			}
			if name == "nobody" {
				return uacontext.NotFound("Client", name)
			}
			ua.Formatter().KVString("greeting", formatter.Null, "hello "+name, "%s\n")
			return nil
		},
	})
	ctx := context.Background()
	ua := uacontext.NewUA(printConn{}, uacontext.Options{Table: tab})
	ua.SetMode(apimode.On)
	ua.Execute(ctx, "hello name=world")
	ua.Execute(ctx, "hello")
	ua.Execute(ctx, "hello name=nobody")
	ua.Execute(ctx, "nosuch")
	// Output:
	// BNET_CMD_BEGIN
	// BNET_CMD_OK
	// data "hello world\n"
	// BNET_CMD_BEGIN
	// data "name missing\nUSAGE: hello name=<name>\n"
	// BNET_CMD_FAILED
	// BNET_CMD_BEGIN
	// BNET_ERROR_MSG
	// data "Client \"nobody\" not found.\n"
	// BNET_CMD_FAILED
	// BNET_ERROR_MSG
	// data "nosuch: is an invalid command.\n"
}

func ExampleServer() {
	srv := &uacontext.Server{
		Director:   uacontext.DirectorInfo{Name: "bareos-dir"},
		DefaultKey: bsock.PasswordKey("secret"),
		Consoles: uacontext.ConsoleList(uacontext.Console{
			Name: "admin",
			Key:  bsock.PasswordKey("admin-password"),
			ACL: uacontext.ACLSet{
				uacontext.ACLCommand: {"*all*"},
				uacontext.ACLJob:     {"backup-.*"},
			},
		}),
		Messages: &uacontext.MessageQueue{},
	}
	ln, err := net.Listen("tcp", "127.0.0.1:9101")
	if err != nil {
		log.Fatal(err)
	}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-stop
		// Let running commands finish for up to 30 seconds.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Print(err)
		}
	}()
	if err := srv.Serve(ln); !errors.Is(err, uacontext.ErrServerClosed) {
		log.Fatal(err)
	}
	<-stopped // Serve returns at once; Shutdown waits for the sessions
}

// users is a UserSource of PAM users (a *config.Config is one).
type users map[string]*uacontext.Console

func (u users) LookupUser(_ context.Context, name string) (*uacontext.Console, error) {
	if c, ok := u[name]; ok {
		return c, nil
	}
	return nil, uacontext.ErrUnknownUser
}

// consolesAndUsers serves the consoles of a ConsoleSource and the users of
// a UserSource.
type consolesAndUsers struct {
	uacontext.ConsoleSource
	users
}

// A console with UsePAM logs in with its password and then PAM
// credentials, which the embedder's PAMVerifier checks; the session runs
// as the user, with the ACLs of its User resource.
func ExamplePAMVerifierFunc() {
	srv := &uacontext.Server{
		Consoles: consolesAndUsers{
			uacontext.ConsoleList(uacontext.Console{Name: "webui", Key: bsock.PasswordKey("webui-pw"), UsePAM: true}),
			users{"alice": {Name: "alice", ACL: uacontext.ACLSet{uacontext.ACLCommand: {"whoami"}}}},
		},
		PAM: uacontext.PAMVerifierFunc(func(ctx context.Context, console, user, password string) error {
			// Ask the system's PAM, LDAP, ...; compare secrets in constant time.
			if user == "alice" && subtle.ConstantTimeCompare([]byte(password), []byte("alice-pw")) == 1 {
				return nil
			}
			return errors.New("authentication failure")
		}),
	}
	a, b := net.Pipe()
	go srv.ServeConn(context.Background(), a)
	c := bsock.NewConn(b)
	defer c.Close()
	info, err := bsock.ClientHandshake(context.Background(), c, bsock.ClientConfig{
		Name: "webui", Password: "webui-pw", PAMUser: "alice", PAMPassword: "alice-pw"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(info.Info[strings.LastIndex(info.Info, "\n")+1:])
	c.Send([]byte("whoami"))
	p, _ := c.Recv()
	fmt.Print(string(p.Data))
	// Output:
	// You are logged in as: alice
	// alice
}

// scriptedConsole prints what a session sends, like printConn, and
// answers the Director's questions from a script.
type scriptedConsole struct {
	printConn
	answers []string
}

func (c *scriptedConsole) RecvContext(ctx context.Context) (bsock.Packet, error) {
	if len(c.answers) == 0 {
		return bsock.Packet{}, io.EOF // the console went away
	}
	a := c.answers[0]
	c.answers = c.answers[1:]
	fmt.Printf("answer %q\n", a)
	return bsock.Packet{Data: []byte(a)}, nil
}

// An interactive command asks for a confirmation (skipped by "yes" on
// the command line, refused in batch mode) and offers a numbered list.
// A prompt's error is returned as it is: canceled with ".", batch mode,
// or the console gone — the dispatcher adds no message of its own.
func Example_interactiveCommand() {
	tab := uacontext.DefaultTable()
	tab.Add(uacontext.Command{
		Name:  "purge",
		Usage: "[yes]",
		Handler: func(ctx context.Context, ua *uacontext.UA) error {
			ok, err := ua.GetConfirmation(ctx, "Purge a cache? (yes/no): ", false)
			if err != nil {
				return err
			}
			if !ok {
				ua.SendMsg("Nothing done.\n")
				return nil
			}
			ua.StartPrompt("Caches:\n")
			for _, c := range []string{"files", "jobs", "volumes"} {
				ua.AddPrompt(c)
			}
			_, cache, err := ua.DoPrompt(ctx, "Cache", "Select the cache")
			if err != nil {
				return err
			}
			ua.Formatter().KVString("purged", "%s: ", cache, "%s\n")
			return nil
		},
	})
	ua := uacontext.NewUA(&scriptedConsole{answers: []string{"maybe", "yes", "4", "2"}}, uacontext.Options{Table: tab})
	ua.Execute(context.Background(), "purge")
	// Output:
	// data "Purge a cache? (yes/no): "
	// BNET_SUB_PROMPT
	// answer "maybe"
	// data "Invalid response. You must answer YES or NO.\n"
	// data "Purge a cache? (yes/no): "
	// BNET_SUB_PROMPT
	// answer "yes"
	// data "Caches:\n"
	// data "1: files\n2: jobs\n3: volumes\n"
	// data "Select the cache (1-3): "
	// BNET_SUB_PROMPT
	// answer "4"
	// data "Please enter a number between 1 and 3\n"
	// data "Select the cache (1-3): "
	// BNET_SUB_PROMPT
	// answer "2"
	// data "purged: jobs\n"
}
