package tlspsk_test

import (
	"bufio"
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"net"

	"github.com/uaformat/uaformat/tlspsk"
)

// bareosKey is the PSK of a Bareos console: the 32 ASCII characters of
// the lowercase MD5 hex of its password.
func bareosKey(password string) []byte {
	sum := md5.Sum([]byte(password))
	return []byte(hex.EncodeToString(sum[:]))
}

// A console store: console name to password.
var consoles = map[string]string{"*UserAgent*": "secret", "admin": "pw1"}

// Example runs a server and a client the way a Bareos Director and a
// console use them.
func Example() {
	serverSide, clientSide := net.Pipe()
	server := tlspsk.Server(serverSide, &tlspsk.Config{
		GetKey: func(_ context.Context, identity string) ([]byte, error) {
			var name string
			if _, err := fmt.Sscanf(identity, "R_CONSOLE\x1e%s", &name); err != nil {
				return nil, tlspsk.ErrUnknownIdentity
			}
			pw, ok := consoles[name]
			if !ok {
				return nil, tlspsk.ErrUnknownIdentity
			}
			return bareosKey(pw), nil
		},
	})
	go func() {
		defer server.Close()
		line, err := bufio.NewReader(server).ReadString('\n')
		if err != nil {
			fmt.Println("server:", err)
			return
		}
		st := server.ConnectionState()
		fmt.Printf("server: %q from %q over %s %s\n", line, st.Identity,
			tlspsk.CipherSuiteName(st.CipherSuite), tlspsk.VersionName(st.Version))
		io.WriteString(server, "welcome\n")
	}()

	client := tlspsk.Client(clientSide, &tlspsk.Config{
		Identity: "R_CONSOLE\x1eadmin",
		Key:      bareosKey("pw1"),
	})
	defer client.Close()
	if _, err := io.WriteString(client, "Hello admin\n"); err != nil {
		fmt.Println("client:", err)
		return
	}
	answer, _ := io.ReadAll(client) // up to the server's close_notify
	fmt.Printf("client: %q\n", answer)
	// Output:
	// server: "Hello admin\n" from "R_CONSOLE\x1eadmin" over TLS_CHACHA20_POLY1305_SHA256 TLSv1.3
	// client: "welcome\n"
}

// ExamplePrefixConn shows a server that first peeks at a connection, as
// the Director does to tell TLS from a cleartext Hello, then runs the
// handshake on the bytes it already read and what follows.
func ExamplePrefixConn() {
	serverSide, clientSide := net.Pipe()
	go func() {
		client := tlspsk.Client(clientSide, &tlspsk.Config{
			Identity: "R_CONSOLE\x1e*UserAgent*", Key: bareosKey("secret"), MaxVersion: tlspsk.VersionTLS12,
		})
		defer client.Close()
		io.WriteString(client, "Hello *UserAgent*\n")
		io.Copy(io.Discard, client)
	}()

	peek := make([]byte, 10)
	if _, err := io.ReadFull(serverSide, peek); err != nil {
		fmt.Println(err)
		return
	}
	if string(peek[4:10]) == "Hello " {
		fmt.Println("cleartext")
		return
	}
	server := tlspsk.Server(tlspsk.PrefixConn(serverSide, peek), &tlspsk.Config{
		GetKey: func(_ context.Context, identity string) ([]byte, error) {
			if identity == "R_CONSOLE\x1e*UserAgent*" {
				return bareosKey(consoles["*UserAgent*"]), nil
			}
			return nil, tlspsk.ErrUnknownIdentity
		},
	})
	defer server.Close()
	line, err := bufio.NewReader(server).ReadString('\n')
	if err != nil {
		// A failed handshake has sent its alert; a Director would now
		// write BNET_TERMINATE to server.NetConn() and close.
		fmt.Println(err)
		return
	}
	st := server.ConnectionState()
	fmt.Printf("TLS, first byte %#02x: %q, %s %s\n", peek[0], line, tlspsk.CipherSuiteName(st.CipherSuite), tlspsk.VersionName(st.Version))
	// Output:
	// TLS, first byte 0x16: "Hello *UserAgent*\n", ECDHE-PSK-CHACHA20-POLY1305 TLSv1.2
}
