package console_test

import (
	"context"
	"fmt"
	"net"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
)

// startDirector runs a toy Director that knows one command, in JSON mode.
func startDirector() (addr string, stop func()) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		c := bsock.NewConn(nc)
		defer c.Close()
		_, err = bsock.ServerHandshake(context.Background(), c, bsock.ServerConfig{
			DirectorName: "bareos-dir", Version: "25.0.0", Date: "21 August 2026",
			Lookup: func(string) (string, bool) { return bsock.PasswordKey("secret"), true },
		})
		if err != nil {
			return
		}
		for {
			p, err := c.Recv()
			if err != nil {
				return
			}
			switch string(p.Data) {
			case "whoami":
				_ = c.Signal(bsock.CmdBegin)
				_ = c.Signal(bsock.CmdOK)
				_ = c.Send([]byte(`{"jsonrpc":"2.0","id":null,"result":{"whoami":"root"}}`))
			default: // .api json, .api json compact=yes
				_ = c.Signal(bsock.CmdOK)
				_ = c.Send([]byte(`{"jsonrpc":"2.0","id":null,"result":{"api":2}}`))
			}
			_ = c.Signal(bsock.MainPrompt)
		}
	}()
	return ln.Addr().String(), func() { ln.Close() }
}

func Example() {
	addr, stop := startDirector()
	defer stop()

	ctx := context.Background()
	c, err := console.Dial(ctx, addr, console.Options{Password: "secret", JSON: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()

	r, err := c.CallJSON(ctx, "whoami")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Get("whoami"))
	// Output: root
}
