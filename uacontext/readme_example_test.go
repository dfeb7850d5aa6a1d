package uacontext_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/memcatalog"
)

// The README's daemon: a command table with the Director's commands and
// one of its own, a Server on a loopback port, a console that calls the
// command, and a graceful Shutdown.
func Example_server() {
	cat := memcatalog.New(memcatalog.Resources{Clients: []dircmd.ClientResource{{Name: "web-fd", Enabled: true}}})
	table := uacontext.NewTable(uacontext.ReferenceCommands()...) // Director's order for prefix matching
	table.Add(uacontext.Builtins()...)                            // .api, help, version, whoami, quit, ...
	table.Add(dircmd.Commands(cat, dircmd.Options{})...)          // list, llist, .jobs, .bvfs_lsfiles, ...
	table.Add(uacontext.Command{Name: "hello", Help: "say hello", Handler: func(ctx context.Context, ua *uacontext.UA) error {
		who, _ := ua.ArgValue("client") // ctx ends when the console goes away
		if !slices.ContainsFunc(cat.Clients(), func(c dircmd.ClientResource) bool { return c.Name == who }) {
			return uacontext.NotFound("Client", who) // `Client "x" not found.`, BNET_CMD_FAILED
		}
		ua.Formatter().KVString("greeting", "%s: ", "hi "+who, "%s\n")
		return nil
	}})
	srv := &uacontext.Server{
		Director:   uacontext.DirectorInfo{Name: "bareos-dir"},
		DefaultKey: bsock.PasswordKey("secret"),
		Table:      table,
		// Consoles: named consoles, or any ConsoleSource, consulted at every login.
		// TLS-PSK is always accepted (each console's key is its PSK); which cleartext logins
		// get in follows Console.TLS and DefaultTLSPolicy (zero: TLSNone, cleartext too;
		// the Director's default is TLSRequired). TLS: versions, suites, certificates.
		// FailDelay 0 = the Director's 5 s; MaxConsoleConnections 0 = the Director's 20;
		// MaxUnauthenticated(PerHost), OutputMemory, Audit, PAM: see "Hostile load" below
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	ctx := context.Background()
	c, err := console.Dial(ctx, ln.Addr().String(), console.Options{Password: "secret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cmd := range []string{"hello client=web-fd", "hello client=nobody"} {
		out, err := c.Call(ctx, cmd)
		fmt.Printf("%s: %q %v\n", cmd, out, err)
	}
	c.Close()

	// On SIGTERM, as net/http: stop accepting, end idle sessions, let running
	// commands finish; Close everything when ctx ends.
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	fmt.Println(srv.Shutdown(ctx), errors.Is(<-served, uacontext.ErrServerClosed))
	// Output:
	// hello client=web-fd: "greeting: hi web-fd\n" <nil>
	// hello client=nobody: "Client \"nobody\" not found.\n" <nil>
	// <nil> true
}
