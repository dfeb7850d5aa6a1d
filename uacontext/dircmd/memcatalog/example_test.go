package memcatalog_test

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/console"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
	"github.com/uaformat/uaformat/uacontext/dircmd/memcatalog"
)

// myCatalog starts from the in-memory catalog; a method of its own
// replaces a capability (here the Director's run-time status).
type myCatalog struct{ *memcatalog.Catalog }

func (myCatalog) Status(context.Context) (dircmd.DirectorStatus, error) {
	return dircmd.DirectorStatus{BinaryInfo: "my-daemon", Started: time.Now()}, nil
}

// A daemon with its own catalog and its own command, and a console that
// uses both. README's "Your own Director" is this daemon's main.
func Example() {
	cat := myCatalog{memcatalog.New(memcatalog.Resources{
		Clients:  []dircmd.ClientResource{{Name: "web-fd", Enabled: true}},
		Catalogs: []dircmd.NamedResource{{Name: "MyCatalog"}},
	})}
	job, _ := cat.AddJob(dircmd.Job{Name: "BackupWeb", Client: "web-fd", Type: 'B', Level: 'F', JobStatus: 'T', StartTime: time.Now()})
	cat.AddFiles(job.JobID, []memcatalog.File{{Name: "/srv/www/index.html"}, {Name: "/srv/www/app.js"}})

	table := uacontext.NewTable(uacontext.ReferenceCommands()...)
	table.Add(uacontext.Builtins()...)
	table.Add(dircmd.Commands(cat, dircmd.Options{})...)
	table.Add(uacontext.Command{Name: "hello", Help: "greet a client", Handler: func(ctx context.Context, ua *uacontext.UA) error {
		name, _ := ua.ArgValue("client")
		for _, c := range cat.Clients() {
			if c.Name == name {
				ua.Formatter().KVString("greeting", "%s: ", "hello "+name, "%s\n")
				return nil
			}
		}
		return uacontext.NotFound("Client", name)
	}})
	srv := &uacontext.Server{Director: uacontext.DirectorInfo{Name: "my-dir"}, DefaultKey: bsock.PasswordKey("secret"), Table: table}
	ln, _ := net.Listen("tcp", "127.0.0.1:0") // a daemon listens on 127.0.0.1:9101
	go srv.Serve(ln)
	defer srv.Close()

	ctx := context.Background()
	c, err := console.Dial(ctx, ln.Addr().String(), console.Options{Password: "secret", JSON: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	hello, _ := c.CallJSON(ctx, "hello client=web-fd")
	files, _ := c.CallJSON(ctx, ".bvfs_lsfiles jobid=1 path=/srv/www/")
	_, err = c.CallJSON(ctx, "hello client=nobody")
	fmt.Println(hello.Get("greeting"))
	fmt.Println(files.Get("files.#.name"))
	fmt.Println(err)
	// Output:
	// hello web-fd
	// ["app.js","index.html"]
	// console: "hello client=nobody": console: JSON-RPC error 1: failed: Client "nobody" not found.
}
