package bsock_test

import (
	"context"
	"fmt"
	"net"

	"github.com/uaformat/uaformat/bsock"
)

// A Director and a console log in over an in-memory connection.
func Example() {
	dirSide, consoleSide := net.Pipe()
	defer dirSide.Close()
	defer consoleSide.Close()

	key := bsock.PasswordKey("secret")
	done := make(chan bsock.Login, 1)
	go func() {
		login, err := bsock.ServerHandshake(context.Background(), bsock.NewConn(dirSide), bsock.ServerConfig{
			DirectorName: "bareos-dir",
			Version:      "25.0.0",
			Date:         "21 August 2026",
			Banner:       "Example Director",
			Lookup: func(name string) (string, bool) {
				return key, name == bsock.DefaultConsoleName
			},
		})
		if err != nil {
			fmt.Println("server:", err)
		}
		done <- login
	}()

	info, err := bsock.ClientHandshake(context.Background(), bsock.NewConn(consoleSide),
		bsock.ClientConfig{Password: "secret"})
	if err != nil {
		fmt.Println("client:", err)
		return
	}
	login := <-done
	fmt.Println(info.Message)
	fmt.Println(login.Console, login.Protocol)
	// Output:
	// OK: bareos-dir Version: 25.0.0 (21 August 2026)
	// *UserAgent* 18.2
}

// Packets are data or signals.
func ExampleConn_Recv() {
	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	go func() {
		c := bsock.NewConn(a)
		_ = c.Send([]byte("root\n"))
		_ = c.Signal(bsock.EOD)
	}()
	c := bsock.NewConn(b)
	for {
		p, err := c.Recv()
		if err != nil {
			fmt.Println(err)
			return
		}
		if p.IsSignal() {
			fmt.Println("signal", p.Signal)
			if p.Signal == bsock.EOD {
				return
			}
			continue
		}
		fmt.Printf("data %q\n", p.Data)
	}
	// Output:
	// data "root\n"
	// signal BNET_EOD
}
