package formatter_test

import (
	"fmt"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// packetConn stands for a console connection: Send prints each packet.
type packetConn struct{}

func (packetConn) Send(p []byte) error {
	fmt.Printf("-- packet\n%s\n", p)
	return nil
}

var conn packetConn

// The README's tour: a listing in API mode 2, sent as one JSON-RPC
// response by FinalizeResult.
func Example_tour() {
	jobs := []struct {
		ID   uint64
		Name string
	}{{1, "BackupWeb"}, {2, "BackupDB"}}

	sink := formatter.SinkFunc(func(p []byte) error { return conn.Send(p) })
	f := formatter.New(sink, formatter.Options{Mode: apimode.JSON})

	f.ArrayStart("jobs", "")
	for _, j := range jobs {
		f.ObjectStart(formatter.Null, "")     // nameless object in the array
		f.KVUint("JobId", "%s=", j.ID, "%d ") // key lowercased in JSON
		f.KVString("Name", "%s=", j.Name, "%s\n")
		f.ObjectEnd(formatter.Null, "") // text modes: one packet per row
	}
	f.ArrayEnd("jobs", "")
	f.FinalizeResult(true) // mode 2: the whole response in one packet
	// Output:
	// -- packet
	// {
	//   "jsonrpc": "2.0",
	//   "id": null,
	//   "result": {
	//     "jobs": [
	//       {
	//         "jobid": 1,
	//         "name": "BackupWeb"
	//       },
	//       {
	//         "jobid": 2,
	//         "name": "BackupDB"
	//       }
	//     ]
	//   }
	// }
}

// The README's resource printer: a Client resource in configuration
// syntax (API mode 0), a default value as a comment.
func ExampleNewResourcePrinter() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.Off})

	p := formatter.NewResourcePrinter(f)
	p.ResourceStart("Clients", "Client", "bareos-fd", false) // mode 2: {"clients": {"bareos-fd": {
	p.KeyQuotedString("Address", "localhost", false)
	p.KeyUnsignedInt("Port", 9102, true) // a default: as a comment
	p.ResourceEnd("Clients", "bareos-fd", false)

	f.FinalizeResult(true)
	// Output:
	// -- packet (49 bytes)
	// Client {
	//   Address = "localhost"
	//   # Port = 9102
	// -- packet (3 bytes)
	// }
}
