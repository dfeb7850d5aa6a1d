package console_test

import (
	"context"
	"fmt"
	"net"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/config"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/formatter"
	"github.com/uaformat/uaformat/uacontext"
)

// Example logs in to a Director (here a uacontext.Server with only the
// built-in commands) over TLS-PSK, as bconsole does by default, and runs
// a command in JSON mode.
func Example() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := &uacontext.Server{
		DefaultKey:       bsock.PasswordKey("secret"),
		DefaultTLSPolicy: uacontext.TLSRequired, // the Director's default
	}
	go srv.Serve(ln)
	defer srv.Close()

	ctx := context.Background()
	c, err := console.Dial(ctx, ln.Addr().String(), console.Options{Password: "secret", JSON: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println("Encryption:", c.Encryption())

	r, err := c.CallJSON(ctx, "whoami")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Get("whoami"))
	// Output:
	// Encryption: TLS_CHACHA20_POLY1305_SHA256 TLSv1.3
	// root
}

// ExampleFromConfig connects as bconsole would with a bconsole
// configuration: its Director resource says where, with which password
// and, here, TLS 1.2 only.
func ExampleFromConfig() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := &uacontext.Server{DefaultKey: bsock.PasswordKey("secret"), DefaultTLSPolicy: uacontext.TLSRequired}
	go srv.Serve(ln)
	defer srv.Close()
	host, port, _ := net.SplitHostPort(ln.Addr().String())

	cc, err := config.ParseConsoleConfig("bconsole.conf", []byte(`
Director {
  Name = bareos-dir
  Address = `+host+`
  DIRport = `+port+`
  Password = "secret"
  TLS Protocol = "-ALL,TLSv1.2"
}
`), config.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, con, err := cc.Select("")
	if err != nil {
		fmt.Println(err)
		return
	}
	addr, opts, err := console.FromConfig(dir, con)
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := console.Dial(context.Background(), addr, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	fmt.Println("Encryption:", c.Encryption())
	// Output: Encryption: ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2
}

// ExampleClient_CallArray reads a large answer row by row as it arrives
// instead of whole: here a command of the Director's own, "numbers", that
// lists its rows in an array "numbers" as list and .bvfs_lsfiles do.
func ExampleClient_CallArray() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	table := uacontext.DefaultTable()
	table.Add(uacontext.Command{Name: "numbers", Handler: func(ctx context.Context, ua *uacontext.UA) error {
		f := ua.Formatter()
		f.ArrayStart("numbers", formatter.Null)
		for i := range uint64(5) {
			f.ObjectStart(formatter.Null, formatter.Null)
			f.KVUint("n", formatter.Null, i, "%d ")
			f.KVUint("square", formatter.Null, i*i, "%d\n")
			f.ObjectEnd(formatter.Null, formatter.Null)
		}
		f.ArrayEnd("numbers", formatter.Null)
		return nil
	}})
	srv := &uacontext.Server{DefaultKey: bsock.PasswordKey("secret"), DefaultTLSPolicy: uacontext.TLSRequired, Table: table}
	go srv.Serve(ln)
	defer srv.Close()

	ctx := context.Background()
	c, err := console.Dial(ctx, ln.Addr().String(), console.Options{Password: "secret", JSON: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	for row, err := range c.CallArray(ctx, "numbers", "numbers") {
		if err != nil {
			fmt.Println(err) // after the rows that arrived before it
			return
		}
		fmt.Println(row.Get("n"), row.Get("square"))
	}
	// Output:
	// 0 0
	// 1 1
	// 2 4
	// 3 9
	// 4 16
}
