package dircmd_test

import (
	"context"
	"fmt"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/bsock"
	"github.com/uaformat/uaformat/internal/sampledir"
	"github.com/uaformat/uaformat/uacontext"
	"github.com/uaformat/uaformat/uacontext/dircmd"
)

// printer is a uacontext.Conn that prints what a console would receive.
type printer struct{}

func (printer) Send(p []byte) error { fmt.Print(string(p)); return nil }

func (printer) Signal(s bsock.Signal) error { return nil }

// A Director serving the sample catalog: the commands of this package are
// added to the built-in ones, and sessions run them in any API mode.
func Example() {
	dir := sampledir.New(sampledir.Options{Size: 10, BigDirFiles: -1})
	table := uacontext.NewTable(uacontext.Builtins()...)
	table.Add(dircmd.Commands(dir, dircmd.Options{Now: dir.Now})...)

	ctx := context.Background()
	ua := uacontext.NewUA(printer{}, uacontext.Options{Table: table})
	ua.Execute(ctx, "list pools")
	ua.Execute(ctx, ".storages")

	ua.SetMode(apimode.JSON)
	ua.Formatter().SetCompact(true)
	fmt.Println()
	ua.Execute(ctx, ".pools type=Scratch")
	// Output:
	// +--------+--------------+---------+---------+----------+---------------+
	// | poolid | name         | numvols | maxvols | pooltype | labelformat   |
	// +--------+--------------+---------+---------+----------+---------------+
	// |      1 | Full         |       1 |     100 | Backup   | Full-         |
	// |      2 | Differential |       0 |     100 | Backup   | Differential- |
	// |      3 | Incremental  |       1 |     100 | Backup   | Incremental-  |
	// |      4 | Scratch      |       6 |       0 | Scratch  | NULL          |
	// +--------+--------------+---------+---------+----------+---------------+
	// File
	// Tape
	//
	// {"jsonrpc":"2.0","id":null,"result":{"pools":[{"name":"Scratch"}]}}
}
