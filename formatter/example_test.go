package formatter_test

import (
	"fmt"
	"strings"

	"github.com/uaformat/uaformat/apimode"
	"github.com/uaformat/uaformat/formatter"
)

// printer is a Sink that prints each packet it gets, for the examples.
var printer = formatter.SinkFunc(func(p []byte) error {
	fmt.Printf("-- packet (%d bytes)\n%s", len(p), p)
	if len(p) > 0 && p[len(p)-1] != '\n' {
		fmt.Println()
	}
	return nil
})

// listClients is a listing command: it makes the same calls in every
// mode; the formatter decides what they print.
func listClients(f *formatter.Formatter) {
	f.Decoration("+----+---------+\n")
	f.Decoration("| %-2s | %-7s |\n", "id", "name")
	f.Decoration("+----+---------+\n")
	f.ArrayStart("clients", formatter.Null)
	for i, name := range []string{"alpha", "beta"} {
		f.ObjectStart(formatter.Null, formatter.Null)
		f.KVUint("ClientId", formatter.Null, uint64(i+1), "| %2d ")
		f.KVString("Name", formatter.Null, name, "| %-7s |\n")
		f.ObjectEnd(formatter.Null, formatter.Null) // text modes: send the row
	}
	f.ArrayEnd("clients", formatter.Null)
	f.Decoration("+----+---------+\n")
}

// In mode 0 the calls print text. ObjectEnd sends what was buffered as
// one packet, so the header goes out with the first row; FinalizeResult
// sends the rest.
func Example() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.Off})
	listClients(f)
	f.FinalizeResult(true)
	// Output:
	// -- packet (68 bytes)
	// +----+---------+
	// | id | name    |
	// +----+---------+
	// |  1 | alpha   |
	// -- packet (17 bytes)
	// |  2 | beta    |
	// -- packet (17 bytes)
	// +----+---------+
}

// The same calls in mode 2 build one JSON-RPC response, sent by
// FinalizeResult. Keys are lowercased; decorations and formats are not
// used.
func Example_json() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.JSON})
	listClients(f)
	f.FinalizeResult(true)
	// Output:
	// -- packet (204 bytes)
	// {
	//   "jsonrpc": "2.0",
	//   "id": null,
	//   "result": {
	//     "clients": [
	//       {
	//         "clientid": 1,
	//         "name": "alpha"
	//       },
	//       {
	//         "clientid": 2,
	//         "name": "beta"
	//       }
	//     ]
	//   }
	// }
}

// Mode 1 prints the same text without the decorations.
func Example_apiOn() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.On})
	listClients(f)
	f.FinalizeResult(true)
	// Output:
	// -- packet (17 bytes)
	// |  1 | alpha   |
	// -- packet (17 bytes)
	// |  2 | beta    |
}

// A command that fails, or records a message of type "error", gets the
// error envelope in mode 2: its partial result and all its messages,
// grouped by type.
func ExampleFormatter_FinalizeResult() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.JSON, Compact: true})
	f.KVString("Job", formatter.Null, "backup-1", formatter.Null)
	f.Message(formatter.MsgWarning, "catalog is slow")
	f.Message(formatter.MsgError, "job backup-1 not found")
	f.FinalizeResult(true)

	// The same in mode 0: messages are sent at once, ahead of the buffer.
	f.SetMode(apimode.Off)
	f.KVString("Job", "%s: ", "backup-1", "%s\n")
	f.Message(formatter.MsgError, "job backup-1 not found\n")
	f.FinalizeResult(false)
	// Output:
	// -- packet (180 bytes)
	// {"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"failed","data":{"result":{"job":"backup-1"},"messages":{"warning":["catalog is slow"],"error":["job backup-1 not found"]}}}}
	// -- packet (23 bytes)
	// job backup-1 not found
	// -- packet (14 bytes)
	// Job: backup-1
}

// Listing commands register filters. FilterRow asks the FilterFunc about
// each row; the rows it suppresses are counted, and a successful mode-2
// result reports the range in result.meta.range.
func ExampleFormatter_FilterRow() {
	f := formatter.New(printer, formatter.Options{Mode: apimode.JSON})
	allowed := map[string]bool{"alpha": true, "gamma": true}
	f.SetFilterFunc(func(row []string, flt formatter.Filter) formatter.FilterState {
		if flt.Kind == formatter.FilterACL && !allowed[row[flt.Column]] {
			return formatter.FilterUnknown // no ACL says "show": suppressed
		}
		return formatter.FilterShow
	})
	f.AddLimitFilter(3)
	f.AddOffsetFilter(0)
	f.AddACLFilter(0, 1)
	f.ArrayStart("clients", formatter.Null)
	for _, name := range []string{"alpha", "beta", "gamma"} {
		if !f.FilterRow([]string{name}) {
			continue
		}
		f.ArrayItemString(name, formatter.Null)
	}
	f.ArrayEnd("clients", formatter.Null)
	f.FinalizeResult(true)
	// Output:
	// -- packet (216 bytes)
	// {
	//   "jsonrpc": "2.0",
	//   "id": null,
	//   "result": {
	//     "clients": [
	//       "alpha",
	//       "gamma"
	//     ],
	//     "meta": {
	//       "range": {
	//         "limit": 3,
	//         "offset": 0,
	//         "filtered": 1
	//       }
	//     }
	//   }
	// }
}

// KVStringWrap rewraps a value: in mode 0 long values are broken into
// indented lines; in the other modes newlines and tabs only collapse.
func ExampleFormatter_KVStringWrap() {
	value := "Full 1st sat at 21:10\n|Incremental mon-fri at 21:10"
	for _, mode := range []apimode.Mode{apimode.Off, apimode.On} {
		var out strings.Builder
		f := formatter.New(formatter.SinkFunc(func(p []byte) error {
			out.Write(p)
			return nil
		}), formatter.Options{Mode: mode})
		f.KVStringWrap("Run", "%s = ", value, "%s\n", 20)
		f.SendBuffer()
		fmt.Printf("mode %v:\n%s", mode, out.String())
	}
	// Output:
	// mode 0:
	// Run = Full 1st sat at 21:10 |
	// 	Incremental mon-fri
	// 	at 21:10
	// mode 1:
	// Run = Full 1st sat at 21:10 |Incremental mon-fri at 21:10
}
